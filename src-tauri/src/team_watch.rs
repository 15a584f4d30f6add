//! Windows on a team register refresh by themselves (issue 18 item 4): a thread holds a
//! connection of its own to the team register, `LISTEN`s on the channel the register's
//! trigger notifies at every event's commit, blocks until a notification arrives (no polling
//! loop), and tells the window which request changed (through the channel the window gave
//! `watch_register`: the window holds no event permission); the list and an open request page
//! read again. A dropped connection is tried again after 1, 2, 4… up to 30 s, and the
//! status line says meanwhile that changes by others are not shown ([`BackgroundJob::TeamUpdates`]);
//! back, the window's own session is opened afresh too (it went down with this one, most likely)
//! and the window reads again what it shows.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use postgres::fallible_iterator::FallibleIterator;
use rightsdesk_core::clock::SystemClock;
use rightsdesk_core::Error;
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager};

use crate::state::{App, DbState, Team};
use crate::status::BackgroundJob;

/// The channel the team register's trigger notifies at every committed event (PostgreSQL
/// migration 5), with the changed request's id as the payload ('' for a change of no one request).
use rightsdesk_core::store::pg::CHANGES_CHANNEL as CHANNEL;

/// What the window is told: something changed on the team register.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct RegisterChanged {
    /// The request that changed; `None` for a change of no one request, or after a reconnection
    /// (anything may have changed meanwhile).
    pub request_id: Option<String>,
}

/// The windows' channels for [`RegisterChanged`] (one per page load; a closed one is dropped).
#[derive(Default)]
pub struct Watchers(Mutex<Vec<Channel<RegisterChanged>>>);

impl Watchers {
    pub fn add(&self, channel: Channel<RegisterChanged>) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).push(channel);
    }

    fn tell(&self, changed: &RegisterChanged) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).retain(|c| c.send(changed.clone()).is_ok());
    }
}

const FIRST_RETRY: Duration = Duration::from_secs(1);
const LAST_RETRY: Duration = Duration::from_secs(30);

/// Starts listening for `team`'s changes, for as long as the app has that register open.
pub fn start(app: AppHandle, team: Arc<Team>) {
    if team.replica {
        // A standby refuses LISTEN while in recovery: no listener, no retries. The window says
        // once that this is a read-only copy which does not refresh by itself, and offers Reload.
        tracing::info!("a read replica: the window does not refresh by itself");
        return;
    }
    let spawned = std::thread::Builder::new().name("team-watch".into()).spawn(move || {
        let mut team = team;
        let mut wait = FIRST_RETRY;
        let mut reconnecting = false;
        while still_open(&app, &team) {
            let ended = listen(&app, &mut team, reconnecting, &mut wait);
            if !still_open(&app, &team) {
                break;
            }
            let state = app.state::<App>();
            let why = ended.err().unwrap_or_else(|| Error::Internal("the team register closed the connection".into()));
            tracing::warn!(code = %why.code(), retry_in_s = wait.as_secs(), "team register updates interrupted");
            state.status.record::<()>(
                BackgroundJob::TeamUpdates,
                &SystemClock,
                &Err(Error::Internal(format!(
                    "changes by others are not shown until the connection is back ({why}); trying again in {} s",
                    wait.as_secs()
                ))),
            );
            std::thread::sleep(wait);
            wait = (wait * 2).min(LAST_RETRY);
            reconnecting = true;
        }
    });
    if spawned.is_err() {
        tracing::error!("the team register's change listener could not start");
    }
}

/// Whether the app still has `team` open (connecting to another register ends this listener).
fn still_open(app: &AppHandle, team: &Arc<Team>) -> bool {
    matches!(app.state::<App>().state(), DbState::Team(open) if Arc::ptr_eq(&open, team))
}

/// One connection's life: LISTEN, then each notification to the window as it arrives. Returns
/// when the connection ends.
fn listen(app: &AppHandle, team: &mut Arc<Team>, reconnecting: bool, wait: &mut Duration) -> Result<(), Error> {
    let mut client = team.connect_again()?;
    client.batch_execute(&format!("LISTEN {CHANNEL}")).map_err(|e| Error::Internal(format!("PostgreSQL: {e}")))?;
    let state = app.state::<App>();
    if reconnecting {
        let fresh = Arc::new(team.reopen()?);
        if !still_open(app, team) {
            return Ok(());
        }
        state.set(DbState::Team(fresh.clone()));
        *team = fresh;
    }
    state.status.clear(BackgroundJob::TeamUpdates);
    *wait = FIRST_RETRY;
    tracing::info!(reconnecting, "listening for the team register's changes");
    if reconnecting {
        // What others changed while the connection was down was not notified here.
        emit(app, None);
    }
    let mut notifications = client.notifications();
    let mut arriving = notifications.blocking_iter();
    while let Some(n) = arriving.next().map_err(|e| Error::Internal(format!("PostgreSQL: {e}")))? {
        if !still_open(app, team) {
            // The window went to another register meanwhile: this listener ends (and its connection).
            return Ok(());
        }
        emit(app, Some(n.payload()).filter(|p| !p.is_empty()).map(str::to_string));
    }
    Ok(())
}

fn emit(app: &AppHandle, request_id: Option<String>) {
    app.state::<Watchers>().tell(&RegisterChanged { request_id });
}
