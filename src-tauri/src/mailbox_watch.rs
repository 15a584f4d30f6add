//! The privacy mailbox, read in the background while the window is open.
//!
//! When a mailbox is set up, the app runs one fetch (`rightsdesk_core::mailbox::fetch::fetch`,
//! the same as `rightsdesk mailbox fetch`) at start and then every poll interval (a setting,
//! default 5 minutes); "Fetch now" in the Inbox runs one at once. A fetch that fails (the
//! server down, the login refused) is shown in the Inbox header and on the status line and
//! retried after a minute; the core's fetch is idempotent and files a message only with its
//! server state, so a failed or interrupted run loses nothing and files nothing twice. Two
//! runs never overlap (one lock).
//!
//! Between fetches, when the server offers IMAP IDLE, the loop waits on
//! `rightsdesk_core::mailbox::idle::wait` (a second connection, the folder opened read-only)
//! and fetches as soon as the server reports a new message (or has one after the last UID
//! filed: it came between the fetch and the IDLE), or at the poll interval at the latest. The wait is
//! dropped, closing its connection, when new settings are saved; a server without IDLE is
//! polled, and a failed wait is retried through a fetch after a minute.
//!
//! On a team register the settings are the team's and the password is in each workstation's
//! keyring: an officer's or an admin's window fetches as on the file (two workstations fetching
//! at once file each message once: the core's guarantee), an auditor's window and one on a read
//! replica do not (neither may write). A fetch that filed something tells the other windows
//! through the register's change notices ([`crate::team_watch`]): the core's fetch sends one
//! (the new intake items are no event of a request, which the events' trigger announces).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use rightsdesk_core::mailbox::fetch::{self as imap, FetchReport};
use rightsdesk_core::mailbox::idle::{self, Woken};
use rightsdesk_core::mailbox::settings as mailbox_settings;
use rightsdesk_core::secrets::{MemorySecrets, OsKeyring, SecretError, SecretStore};
use rightsdesk_core::store::pg::TeamRole;
use rightsdesk_core::store::Store;
use rightsdesk_core::Error;
use serde::Serialize;
use tauri::Manager;
use tokio::sync::Notify;

use crate::commands::mail::actor_on;
use crate::error::IpcError;
use crate::state::{App, Register};
use crate::status::BackgroundJob;

/// The settings key of the poll interval, in minutes.
pub const POLL_KEY: &str = "mailbox.poll_minutes";
pub const DEFAULT_POLL_MINUTES: u32 = 5;
/// After a failed fetch, the next try comes this soon (or at the poll interval, if sooner).
const RETRY_AFTER: Duration = Duration::from_secs(60);

/// The keyring, and a password typed this session where no keyring is reachable (memory only).
#[derive(Clone)]
pub struct Secrets {
    pub keyring: Arc<dyn SecretStore>,
    pub session: Arc<MemorySecrets>,
}

impl Default for Secrets {
    fn default() -> Self {
        Secrets { keyring: Arc::new(OsKeyring::default()), session: Arc::new(MemorySecrets::default()) }
    }
}

/// This session's password first, then the OS keyring's.
impl SecretStore for Secrets {
    fn get(&self, name: &str) -> Result<Option<String>, SecretError> {
        match self.session.get(name)? {
            Some(v) => Ok(Some(v)),
            None => self.keyring.get(name),
        }
    }
    /// To the OS keyring; a value held for this session only (no keyring) is replaced there,
    /// so an OAuth refresh token the provider rotates is not lost.
    fn set(&self, name: &str, value: &str) -> Result<(), SecretError> {
        if self.session.get(name)?.is_some() {
            return self.session.set(name, value);
        }
        self.keyring.set(name, value)
    }
    fn delete(&self, name: &str) -> Result<(), SecretError> {
        let _ = self.session.delete(name);
        self.keyring.delete(name)
    }
}

/// What the Inbox header shows about the background fetch.
#[derive(Debug, Clone, Default, Serialize, specta::Type)]
pub struct WatchStatus {
    /// Whether a mailbox is set up (nothing is fetched otherwise).
    pub configured: bool,
    /// A fetch is running now.
    pub fetching: bool,
    /// When the last fetch began (RFC 3339, UTC).
    pub started_at: Option<String>,
    /// When a fetch last succeeded, and what it did.
    pub last_ok_at: Option<String>,
    pub last_report: Option<FetchReport>,
    /// The last fetch's error, in the core's words, until a fetch succeeds.
    pub error: Option<String>,
    pub error_at: Option<String>,
    /// When the next background fetch is due.
    pub next_at: Option<String>,
    pub poll_minutes: u32,
    /// `idle`: listening for new mail with IMAP IDLE (and read at `next_at` at the latest);
    /// `poll`: the folder is read every `poll_minutes` (the server has no IDLE, or it failed).
    pub mode: String,
    /// How many fetches have ended since the window opened: the Inbox reads its list again when
    /// this changes (a mail read on an IDLE wake shows at once).
    pub runs: u32,
}

/// The background fetcher's state: its status, the lock that keeps two runs apart, and the
/// bell that wakes it ("Fetch now", new settings).
#[derive(Clone, Default)]
pub struct MailboxWatch {
    pub secrets: Secrets,
    status: Arc<Mutex<WatchStatus>>,
    run: Arc<tokio::sync::Mutex<()>>,
    wake: Arc<Notify>,
}

impl MailboxWatch {
    pub fn status(&self) -> WatchStatus {
        self.lock().clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, WatchStatus> {
        self.status.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Wakes the background loop (new settings: fetch with them now).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Runs one fetch now (waiting for a running one to end first), records how it ended
    /// for the Inbox header and the status line, and returns its result.
    pub async fn run_once(&self, app: &App) -> Result<Option<FetchReport>, Error> {
        let _one_at_a_time = self.run.lock().await;
        let Some(register) = fetching_register(app) else { return Ok(None) };
        let (poll, configured) = tauri::async_runtime::spawn_blocking({
            let register = register.clone();
            move || mailbox_settings::load(register.store()).map(|s| (poll_minutes(register.store()), s.is_some()))
        })
        .await
        .unwrap_or(Ok((DEFAULT_POLL_MINUTES, false)))?;
        {
            let mut s = self.lock();
            s.configured = configured;
            s.poll_minutes = poll;
            if !configured {
                return Ok(None);
            }
            s.fetching = true;
            s.started_at = Some(app.clock.now().to_rfc3339());
        }
        let (clock, secrets) = (app.clock.clone(), self.secrets.clone());
        let result = tauri::async_runtime::spawn_blocking(move || imap::fetch(register.store(), &*clock, &secrets, &actor_on(&register)))
            .await
            .unwrap_or_else(|_| Err(Error::Internal("the mailbox fetch stopped unexpectedly".into())));
        let now = app.clock.now().to_rfc3339();
        let mut s = self.lock();
        s.fetching = false;
        s.runs = s.runs.wrapping_add(1);
        match &result {
            Ok(report) => {
                s.last_ok_at = Some(now);
                s.last_report = Some(report.clone());
                s.error = None;
                s.error_at = None;
            }
            Err(e) => {
                s.error = Some(e.to_string());
                s.error_at = Some(now);
            }
        }
        drop(s);
        app.status.record(BackgroundJob::Mailbox, &*app.clock, &result);
        result.map(Some)
    }

    fn set_next(&self, at: Option<String>, mode: &str) {
        let mut s = self.lock();
        s.next_at = at;
        s.mode = mode.into();
    }
}

/// The register this window fetches the mailbox into: the file, or a team register where the
/// login may write (an officer or admin, not on a read replica); none while it is locked or failed.
pub(crate) fn fetching_register(app: &App) -> Option<Register> {
    app.register().ok().filter(|r| may_fetch(r).is_ok())
}

/// Whether this window may read the mailbox into `register`: an auditor's or a read replica's
/// may not (the server would refuse what it files); the error says why, naming the login.
pub fn may_fetch(register: &Register) -> Result<(), IpcError> {
    let Register::Team(team) = register else { return Ok(()) };
    let why = if team.replica {
        "this is a read replica of the team register, which takes no change".to_string()
    } else if matches!(team.role, Some(TeamRole::Officer | TeamRole::Admin)) {
        return Ok(());
    } else {
        let role = team.role.map(|r| format!("in the {} role", r.as_str())).unwrap_or_else(|| "in none of its roles".into());
        format!("{} is {role}; an officer or an admin of the team register fetches the mailbox", team.url.user)
    };
    Err(Error::invalid("mailbox", format!("the mailbox is not read from this window: {why}")).into())
}

/// The poll interval in minutes (1 to 1440), the default when unset or unreadable.
pub fn poll_minutes(db: Store<'_>) -> u32 {
    db.read(|c| rightsdesk_core::settings::get(c, POLL_KEY))
        .ok()
        .flatten()
        .and_then(|v| v.parse().ok())
        .filter(|m| (1..=1440).contains(m))
        .unwrap_or(DEFAULT_POLL_MINUTES)
}

/// The poll interval as typed, or an error naming the field (checked before anything is saved).
pub fn check_poll_minutes(minutes: u32) -> rightsdesk_core::Result<u32> {
    if !(1..=1440).contains(&minutes) {
        return Err(Error::invalid("poll_minutes", "is a number of minutes from 1 to 1440"));
    }
    Ok(minutes)
}

/// Stores the poll interval, naming the field when it is out of range.
pub fn save_poll_minutes(db: Store<'_>, minutes: u32) -> rightsdesk_core::Result<u32> {
    let minutes = check_poll_minutes(minutes)?;
    db.write(|tx| rightsdesk_core::settings::set(tx, POLL_KEY, &minutes.to_string()))?;
    Ok(minutes)
}

/// Fetches at start, then when IMAP IDLE reports a new mail (where the server has it) or every
/// poll interval; after a failure, again after a minute. Quiet while no mailbox is set up or the
/// database is locked.
pub fn start(app: tauri::AppHandle) {
    tauri::async_runtime::spawn(async move {
        // Whether the server offers IDLE: unknown until a wait says; asked again after new settings.
        let mut has_idle: Option<bool> = None;
        loop {
            let (state, watch) = (app.state::<App>().inner().clone(), app.state::<MailboxWatch>().inner().clone());
            let fetched = watch.run_once(&state).await;
            let db = fetching_register(&state);
            let minutes = match db.clone() {
                Some(r) => tauri::async_runtime::spawn_blocking(move || poll_minutes(r.store())).await.unwrap_or(DEFAULT_POLL_MINUTES),
                None => DEFAULT_POLL_MINUTES,
            };
            let poll = Duration::from_secs(u64::from(minutes) * 60);
            let mut wait = if fetched.is_ok() { poll } else { RETRY_AFTER.min(poll) };
            let configured = watch.status().configured;
            let settings = match db {
                Some(db) if fetched.is_ok() && configured && has_idle != Some(false) => tauri::async_runtime::spawn_blocking(move || {
                    let settings = mailbox_settings::load(db.store()).ok().flatten()?;
                    let after = idle::last_filed(db.store(), &settings.folder).ok().flatten();
                    Some((settings, after))
                })
                .await
                .ok()
                .flatten(),
                _ => None,
            };
            if let Some((settings, after)) = settings {
                watch.set_next(Some((state.clock.now() + poll).to_rfc3339()), "idle");
                let secrets = watch.secrets.clone();
                let heard = tokio::select! {
                    heard = idle::wait(&settings, &secrets, poll, after) => Some(heard),
                    _ = watch.wake.notified() => None,
                };
                match heard {
                    // New settings: fetch with them now, and ask their server about IDLE again.
                    None => {
                        has_idle = None;
                        continue;
                    }
                    Some(Ok(Woken::NewMail | Woken::Timeout)) => {
                        has_idle = Some(true);
                        continue;
                    }
                    Some(Ok(Woken::NoIdle)) => has_idle = Some(false),
                    Some(Err(e)) => {
                        tracing::warn!(error = %e, "waiting for new mail (IMAP IDLE) failed; fetching again soon");
                        wait = RETRY_AFTER.min(poll);
                    }
                }
            }
            watch.set_next(configured.then(|| (state.clock.now() + wait).to_rfc3339()), "poll");
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = watch.wake.notified() => has_idle = None,
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_poll_interval_out_of_range_is_refused_naming_the_field() {
        assert_eq!(check_poll_minutes(0).unwrap_err().field(), Some("poll_minutes"));
        assert_eq!(check_poll_minutes(1441).unwrap_err().field(), Some("poll_minutes"));
        assert_eq!(check_poll_minutes(5).unwrap(), 5);
    }

    #[test]
    fn a_password_typed_this_session_is_used_before_the_keyring_and_only_in_memory() {
        let keyring = Arc::new(MemorySecrets::default());
        keyring.set("imap-password:a@h:993", "from-keyring").unwrap();
        let secrets = Secrets { keyring: keyring.clone(), session: Arc::new(MemorySecrets::default()) };
        assert_eq!(secrets.get("imap-password:a@h:993").unwrap().as_deref(), Some("from-keyring"));
        secrets.session.set("imap-password:a@h:993", "typed").unwrap();
        assert_eq!(secrets.get("imap-password:a@h:993").unwrap().as_deref(), Some("typed"));
        assert_eq!(keyring.get("imap-password:a@h:993").unwrap().as_deref(), Some("from-keyring"), "the keyring is not overwritten");
    }

    #[test]
    fn a_secret_held_for_this_session_is_replaced_in_memory_not_written_to_the_keyring() {
        let keyring = Arc::new(MemorySecrets::default());
        let secrets = Secrets { keyring: keyring.clone(), session: Arc::new(MemorySecrets::default()) };
        secrets.session.set("imap-oauth-refresh:a@h:993", "first").unwrap();
        secrets.set("imap-oauth-refresh:a@h:993", "rotated").unwrap();
        assert_eq!(secrets.get("imap-oauth-refresh:a@h:993").unwrap().as_deref(), Some("rotated"));
        assert_eq!(keyring.get("imap-oauth-refresh:a@h:993").unwrap(), None);
        secrets.set("other", "v").unwrap();
        assert_eq!(keyring.get("other").unwrap().as_deref(), Some("v"), "anything else goes to the keyring");
    }
}
