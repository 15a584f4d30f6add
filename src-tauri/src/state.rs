//! The app's state: the database (the local file open, a team register open, locked
//! awaiting a passphrase, or failed with a reason the window shows), the clock, and what
//! went wrong in the background ([`StatusBoard`]).

use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use rightsdesk_core::clock::{Clock, SystemClock};
use rightsdesk_core::secrets::OsKeyring;
use rightsdesk_core::store::interface::{PgDb, Store};
use rightsdesk_core::store::pg::{self, PgUrl};
use rightsdesk_core::store::{Db, DbKey};
use rightsdesk_core::workspace::Opened;
use rightsdesk_core::Error;

use crate::error::IpcError;
use crate::status::{BackgroundJob, StatusBoard};

#[derive(Clone)]
pub enum DbState {
    Open(Arc<Db>),
    /// A team register on PostgreSQL (`RIGHTSDESK_DB=postgresql://…`, or the address the officer
    /// connected to in the window): only the services ported to the store interface run on it.
    Team(Arc<Team>),
    /// The team register at `address` could not be opened (no password found, the server down…):
    /// the window offers to connect again, or to use the register on this computer.
    TeamUnavailable {
        address: String,
        error: IpcError,
    },
    /// No key from the environment or the keyring: the officer types the passphrase.
    Locked {
        path: PathBuf,
        reason: String,
    },
    Failed(IpcError),
}

/// A team register the app is connected to: one session (the window's commands take turns on
/// it), its address, and the password that logged in, kept in memory only, for the change
/// listener's own connection ([`crate::team_watch`]).
pub struct Team {
    pub db: PgDb,
    pub url: PgUrl,
    /// The server is a read replica (a standby in recovery, `pg_is_in_recovery()` when
    /// connected): it shows what the primary committed, takes no change and cannot `LISTEN`, so
    /// the window does not refresh by itself there ([`crate::team_watch`]) and says so.
    pub replica: bool,
    /// The login's team role (`pg_has_role` on the register's group roles when connected; the
    /// admin's first): the window shows admin-only forms read-only to the others and sends the
    /// outbox in the background for officers and admins only. The server enforces it regardless.
    pub role: Option<pg::TeamRole>,
    password: Option<zeroize::Zeroizing<String>>,
}

impl Team {
    /// Connects to `url` with `password` (none: from RIGHTSDESK_DB_PASSWORD, PGPASSWORD,
    /// ~/.pgpass or the OS keyring) and checks that it holds a register this version reads.
    /// Each failure is the core's own message, naming the address, never the password.
    pub fn connect(url: PgUrl, password: Option<String>) -> Result<Team, Error> {
        let password = match password {
            Some(p) => Some(zeroize::Zeroizing::new(p)),
            None => pg::url::password(&url, &OsKeyring::default())?.map(|(p, _)| p),
        };
        let mut client = pg::connect(&url, password.as_ref().map(|p| p.as_str()))?;
        pg::migrations::check(&mut client, &url)?;
        let replica = client.query_one("SELECT pg_is_in_recovery()", &[]).map(|r| r.get::<_, bool>(0)).unwrap_or(false);
        let db = PgDb::pooled(client, &url, password.as_ref().map(|p| p.as_str()));
        let role = pg::team::role_of(&db).ok().flatten();
        Ok(Team { db, url, replica, role, password })
    }

    /// A second session to the same register (the change listener's own).
    pub fn connect_again(&self) -> Result<postgres::Client, Error> {
        pg::connect(&self.url, self.password.as_ref().map(|p| p.as_str()))
    }

    /// The same register on a fresh session, for when the first one was lost (the server
    /// restarted, the network dropped): [`Team::connect`] with the same address and password.
    pub fn reopen(&self) -> Result<Team, Error> {
        Team::connect(self.url.clone(), self.password.as_ref().map(|p| p.to_string()))
    }
}

/// The register a ported service runs on: the local file or a team register.
#[derive(Clone)]
pub enum Register {
    File(Arc<Db>),
    Team(Arc<Team>),
}

impl Register {
    pub fn store(&self) -> Store<'_> {
        match self {
            Register::File(db) => Store::Sqlite(db),
            Register::Team(team) => Store::Postgres(&team.db),
        }
    }
}

/// The error of a command whose service does not run on a team register yet.
pub fn not_on_team() -> IpcError {
    IpcError {
        code: rightsdesk_core::error::ErrorCode::Invalid,
        message: "not yet available on a team register: this works on a register kept on this computer".into(),
        field: None,
    }
}

/// If the window never says it has painted (it failed to load), the work kept for after its
/// first paint runs this long after the start all the same.
const PAINT_AT_THE_LATEST: Duration = Duration::from_secs(10);

#[derive(Clone)]
pub struct App {
    /// `None` while the register is being opened (on its own thread, while the window starts).
    db: Arc<(Mutex<Option<DbState>>, Condvar)>,
    pub clock: Arc<dyn Clock>,
    /// The background jobs' failures, for the window's status line.
    pub status: Arc<StatusBoard>,
    start: Arc<Start>,
}

/// What waits for the window's first painted screen.
#[derive(Default)]
struct Start {
    painted: Mutex<bool>,
    on_paint: Condvar,
    /// The register opened at start while its dates are not yet brought up to this version's
    /// rules; then how many open requests had theirs recomputed.
    refresh: Mutex<(Option<Arc<Db>>, usize)>,
}

impl App {
    /// Opens the default database (RIGHTSDESK_DB or the platform data directory) with its key
    /// from RIGHTSDESK_PASSPHRASE or the OS keyring, on a thread of its own: the window starts
    /// meanwhile (the key derivation alone takes about 0.1 s), and [`App::state`] waits for the
    /// opening. A failure is kept and shown in the window instead of crashing.
    ///
    /// Opened, the register's dates are brought up to this version's rules (the daily backup and
    /// audit anchor after them) once the window has painted its first screen
    /// ([`App::first_paint_done`]), or [`PAINT_AT_THE_LATEST`] after the start if it never says.
    pub fn open_default() -> App {
        let app = App {
            db: Arc::new((Mutex::new(None), Condvar::new())),
            clock: Arc::new(SystemClock),
            status: Arc::new(StatusBoard::default()),
            start: Arc::new(Start::default()),
        };
        let opening = app.clone();
        std::thread::spawn(move || {
            // A panic while opening must not leave the window waiting for the register for ever.
            let opened = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| opening.open()));
            opening.set(
                opened.unwrap_or_else(|_| DbState::Failed(IpcError::internal("the register could not be opened (an unexpected stop)"))),
            );
            opening.wait_for_first_paint();
            opening.bring_up_to_date();
        });
        app
    }

    /// Opens the default database for work, its dates left for [`App::bring_up_to_date`]:
    /// `RIGHTSDESK_DB` (a file path or a team register's address), else the team register the
    /// officer last connected to ([`crate::commands::team`]), else the file in the data directory.
    fn open(&self) -> DbState {
        let named = std::env::var(rightsdesk_core::paths::DB_ENV).ok().filter(|v| !v.is_empty());
        let team = match named {
            Some(db) if pg::is_postgres_url(&db) => Some(db),
            Some(_) => None,
            None => crate::commands::team::remembered_address(),
        };
        if let Some(address) = team {
            return match PgUrl::parse(&address).and_then(|url| Team::connect(url, None)) {
                Ok(team) => DbState::Team(Arc::new(team)),
                Err(e) => {
                    tracing::error!(code = %e.code(), "the team register could not be opened");
                    DbState::TeamUnavailable { address, error: e.into() }
                }
            };
        }
        self.open_file()
    }

    /// Opens the register file (RIGHTSDESK_DB or the data directory's), its dates left for
    /// [`App::bring_up_to_date`].
    pub(crate) fn open_file(&self) -> DbState {
        match rightsdesk_core::paths::default_db_path() {
            None => DbState::Failed(IpcError::internal("no data directory could be found; set RIGHTSDESK_DB to a file path")),
            Some(path) => match rightsdesk_core::workspace::open_refreshing_later(&path, &OsKeyring::default()) {
                Ok(db) => {
                    let db = Arc::new(db);
                    lock(&self.start.refresh).0 = Some(db.clone());
                    DbState::Open(db)
                }
                Err(Error::KeyUnavailable { reason }) => DbState::Locked { path, reason },
                Err(e) => {
                    tracing::error!(code = %e.code(), "the register could not be opened");
                    DbState::Failed(e.into())
                }
            },
        }
    }

    /// The database's state; while it is being opened at start, waits for the opening.
    pub fn state(&self) -> DbState {
        let (state, opened) = &*self.db;
        let mut state = lock(state);
        loop {
            if let Some(s) = &*state {
                return s.clone();
            }
            state = opened.wait(state).unwrap_or_else(|p| p.into_inner());
        }
    }

    pub(crate) fn set(&self, new: DbState) {
        *lock(&OPEN_TEAM) = match &new {
            DbState::Team(team) => Some((team.url.clone(), team.replica)),
            _ => None,
        };
        let (state, opened) = &*self.db;
        *lock(state) = Some(new);
        opened.notify_all();
    }

    /// The local register file; on a team register, [`not_on_team`] (the command's service is
    /// not ported to the store interface yet).
    pub fn db(&self) -> Result<Arc<Db>, IpcError> {
        match self.register()? {
            Register::File(db) => Ok(db),
            Register::Team(_) => Err(not_on_team()),
        }
    }

    /// The register, file or team, for a service that runs on the store interface.
    pub fn register(&self) -> Result<Register, IpcError> {
        match self.state() {
            DbState::Open(db) => Ok(Register::File(db)),
            DbState::Team(team) => Ok(Register::Team(team)),
            DbState::Locked { .. } => Err(IpcError {
                code: rightsdesk_core::error::ErrorCode::Locked,
                message: "the database is locked; enter its passphrase first".into(),
                field: None,
            }),
            DbState::Failed(e) | DbState::TeamUnavailable { error: e, .. } => Err(e),
        }
    }

    /// Opens the locked database with a passphrase (creating it if it does not exist yet).
    pub fn unlock(&self, passphrase: &str) -> Result<(), Error> {
        let DbState::Locked { path, .. } = self.state() else { return Ok(()) };
        let opened = rightsdesk_core::workspace::open_with_key(&path, &DbKey::passphrase(passphrase)?).map_err(|e| match e {
            Error::WrongKey { .. } => Error::invalid("passphrase", "is not the passphrase of this database"),
            other => other,
        })?;
        // Opening with the passphrase already brought the dates up to date (the officer waits for the unlock anyway).
        let Opened { db, refresh_failed, .. } = opened;
        self.status.record(BackgroundJob::RuleRefresh, &SystemClock, &refresh_failed.map_or(Ok(()), Err));
        let db = Arc::new(db);
        start_daily_jobs(db.clone(), self.status.clone());
        self.set(DbState::Open(db));
        Ok(())
    }

    /// The window has painted its first screen: what was kept off the start runs now. Returns
    /// how many open requests had their dates recomputed under this version's rules (the window
    /// then reads again what it shows).
    pub fn first_paint_done(&self) -> usize {
        *lock(&self.start.painted) = true;
        self.start.on_paint.notify_all();
        self.bring_up_to_date()
    }

    /// Waits until the window has painted its first screen, or [`PAINT_AT_THE_LATEST`] has passed.
    pub fn wait_for_first_paint(&self) {
        let painted = lock(&self.start.painted);
        let _ = self.start.on_paint.wait_timeout_while(painted, PAINT_AT_THE_LATEST, |painted| !*painted);
    }

    /// Brings the register opened at start up to this version's rules, once (whoever comes first:
    /// the window's first paint or the opening thread's time limit), then starts the daily jobs.
    /// A failed refresh leaves the stored dates as they were and is shown on the status line.
    /// Returns how many open requests had their dates recomputed at this start.
    pub(crate) fn bring_up_to_date(&self) -> usize {
        // Held while refreshing, so a second caller waits for the first one's result rather than
        // answering before the dates are recomputed.
        let mut refresh = lock(&self.start.refresh);
        if let Some(db) = refresh.0.take() {
            let refreshed = rightsdesk_core::workspace::refresh_rules(&db);
            self.status.record(BackgroundJob::RuleRefresh, &SystemClock, &refreshed);
            refresh.1 = *refreshed.as_ref().unwrap_or(&0);
            start_daily_jobs(db, self.status.clone());
        }
        refresh.1
    }
}

/// The team register open now (its address, and whether it is a read replica), for
/// [`blocking`]'s word on a change the server refused as read-only.
static OPEN_TEAM: Mutex<Option<(PgUrl, bool)>> = Mutex::new(None);

/// A change a team register's server refused because it only reads (SQLSTATE 25006), said as
/// the core says it: on a read replica "this server is a read-only copy (replica)…", on a
/// database or login set read-only, that; about the whole change, not one field of a form (so
/// the window shows it above the form's buttons). Any other error as it is.
fn said_plainly(e: Error) -> IpcError {
    let read_only =
        matches!(&e, Error::Postgres { sqlstate, .. } if sqlstate == "25006") || matches!(&e, Error::Internal(m) if m.ends_with("(25006)"));
    let open = lock(&OPEN_TEAM).clone();
    match open {
        Some((url, replica)) if read_only => {
            IpcError { field: None, ..IpcError::from(pg::connect::read_only_refusal(&url, e, || Some(replica))) }
        }
        _ => e.into(),
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The daily backup and audit anchor, started in the background when due: those are the
/// window's own; cron runs them for the CLI.
///
/// None of these failures stops the window: each goes to the log and to the status line
/// ([`StatusBoard`]), where the officer sees it until the job next succeeds.
fn start_daily_jobs(db: Arc<Db>, status: Arc<StatusBoard>) {
    std::thread::spawn(move || {
        let backup = rightsdesk_core::backups::run_scheduled_if_due(&db, &SystemClock);
        status.record(BackgroundJob::DailyBackup, &SystemClock, &backup);
        // With the daily job on, the audit trail's head goes to the officer's own
        // mailbox too (at most once a day, when mail is set up); cron runs `audit anchor` otherwise.
        if rightsdesk_core::backups::schedule(&db).is_ok_and(|s| s.daily) {
            let actor = rightsdesk_core::workspace::current_actor();
            let anchor = rightsdesk_core::audit::anchor::run_if_due(&*db, &SystemClock, &OsKeyring::default(), &actor);
            status.record(BackgroundJob::AuditAnchor, &SystemClock, &anchor);
        }
        // The backup read the whole register through this connection.
        let _ = db.release_memory();
    });
}

/// Runs a core call on a blocking thread and maps its error for the UI. The log records
/// which command ran (see [`command_name`]), its outcome (`ok` or the error's code) and how long it took.
pub async fn blocking<T, F>(f: F) -> Result<T, IpcError>
where
    T: Send + 'static,
    F: FnOnce() -> rightsdesk_core::Result<T> + Send + 'static,
{
    let command = command_name(std::any::type_name::<F>());
    let started = std::time::Instant::now();
    let result = match tauri::async_runtime::spawn_blocking(f).await {
        Ok(result) => result.map_err(said_plainly),
        Err(_) => {
            tracing::error!(command, "ipc command stopped unexpectedly (a panic)");
            Err(IpcError::internal("the operation stopped unexpectedly"))
        }
    };
    let ms = started.elapsed().as_millis() as u64;
    match &result {
        Ok(_) => tracing::info!(command, outcome = "ok", ms, "ipc command"),
        Err(e) => tracing::warn!(command, outcome = %e.code, ms, "ipc command"),
    }
    result
}

/// The IPC command a closure was written in, from its type's name
/// (`rightsdesk_app::commands::requests::list_requests::{{closure}}::{{closure}}` is
/// `requests::list_requests`): every command hands its work to [`blocking`] as a
/// closure, so the log names each without a name written at seventy call sites.
fn command_name(closure_type: &str) -> &str {
    let path = closure_type.split("::{{closure}}").next().unwrap_or(closure_type);
    path.strip_prefix("rightsdesk_app::commands::").unwrap_or(path)
}

#[cfg(test)]
mod tests {
    fn name_of<F: FnOnce() -> u8>(_: &F) -> &'static str {
        super::command_name(std::any::type_name::<F>())
    }

    async fn list_requests() -> &'static str {
        name_of(&move || 1)
    }

    #[test]
    fn a_command_is_named_by_the_function_its_closure_was_written_in() {
        let name = tauri::async_runtime::block_on(list_requests());
        assert_eq!(name, "rightsdesk_app::state::tests::list_requests", "outside `commands` the whole path");
        assert_eq!(
            super::command_name("rightsdesk_app::commands::requests::list_requests::{{closure}}::{{closure}}"),
            "requests::list_requests"
        );
    }
}
