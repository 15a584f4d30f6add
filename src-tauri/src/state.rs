//! The app's state: the database (open, locked awaiting a passphrase, or failed
//! with a reason the window shows), the clock, and what went wrong in the
//! background ([`StatusBoard`]).

use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use rightsdesk_core::clock::{Clock, SystemClock};
use rightsdesk_core::secrets::OsKeyring;
use rightsdesk_core::store::{Db, DbKey};
use rightsdesk_core::workspace::Opened;
use rightsdesk_core::Error;

use crate::error::IpcError;
use crate::status::{BackgroundJob, StatusBoard};

#[derive(Clone)]
pub enum DbState {
    Open(Arc<Db>),
    /// No key from the environment or the keyring: the officer types the passphrase.
    Locked {
        path: PathBuf,
        reason: String,
    },
    Failed(IpcError),
}

#[derive(Clone)]
pub struct App {
    db: Arc<RwLock<DbState>>,
    pub clock: Arc<dyn Clock>,
    /// The background jobs' failures, for the window's status line.
    pub status: Arc<StatusBoard>,
}

impl App {
    /// Opens the default database (RIGHTSDESK_DB or the platform data directory)
    /// with its key from RIGHTSDESK_PASSPHRASE or the OS keyring. A failure is
    /// kept and shown in the window instead of crashing.
    pub fn open_default() -> App {
        let status = Arc::new(StatusBoard::default());
        let state = match rightsdesk_core::paths::default_db_path() {
            None => DbState::Failed(IpcError::internal("no data directory could be found; set RIGHTSDESK_DB to a file path")),
            Some(path) => match rightsdesk_core::open(&path, &OsKeyring::default()) {
                Ok(opened) => DbState::Open(started(opened, &status)),
                Err(Error::KeyUnavailable { reason }) => DbState::Locked { path, reason },
                Err(e) => {
                    tracing::error!(code = %e.code(), "the register could not be opened");
                    DbState::Failed(e.into())
                }
            },
        };
        App { db: Arc::new(RwLock::new(state)), clock: Arc::new(SystemClock), status }
    }

    pub fn state(&self) -> DbState {
        self.db.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn db(&self) -> Result<Arc<Db>, IpcError> {
        match self.state() {
            DbState::Open(db) => Ok(db),
            DbState::Locked { .. } => Err(IpcError {
                code: rightsdesk_core::error::ErrorCode::Locked,
                message: "the database is locked; enter its passphrase first".into(),
                field: None,
            }),
            DbState::Failed(e) => Err(e),
        }
    }

    /// Opens the locked database with a passphrase (creating it if it does not exist yet).
    pub fn unlock(&self, passphrase: &str) -> Result<(), Error> {
        let DbState::Locked { path, .. } = self.state() else { return Ok(()) };
        let opened = rightsdesk_core::workspace::open_with_key(&path, &DbKey::passphrase(passphrase)?).map_err(|e| match e {
            Error::WrongKey { .. } => Error::invalid("passphrase", "is not the passphrase of this database"),
            other => other,
        })?;
        *self.db.write().unwrap_or_else(|p| p.into_inner()) = DbState::Open(started(opened, &self.status));
        Ok(())
    }
}

/// The register opened for work (`rightsdesk_core::open`: its open requests' dates already
/// brought up to this version's rules), with the daily backup and audit anchor started in the
/// background when due: those are the window's own; cron runs them for the CLI.
///
/// None of these failures stops the window: each goes to the log and to the status line
/// ([`StatusBoard`]), where the officer sees it until the job next succeeds.
fn started(opened: Opened, status: &Arc<StatusBoard>) -> Arc<Db> {
    // A failed refresh leaves the stored dates as they were; the window still opens.
    let Opened { db, refresh_failed, .. } = opened;
    status.record(BackgroundJob::RuleRefresh, &SystemClock, &refresh_failed.map_or(Ok(()), Err));
    let db = Arc::new(db);
    let (for_backup, status) = (db.clone(), status.clone());
    std::thread::spawn(move || {
        let backup = rightsdesk_core::backups::run_scheduled_if_due(&for_backup, &SystemClock);
        status.record(BackgroundJob::DailyBackup, &SystemClock, &backup);
        // With the daily job on, the audit trail's head goes to the officer's own
        // mailbox too (at most once a day, when mail is set up); cron runs `audit anchor` otherwise.
        if rightsdesk_core::backups::schedule(&for_backup).is_ok_and(|s| s.daily) {
            let actor = rightsdesk_core::workspace::current_actor();
            let anchor = rightsdesk_core::audit::anchor::run_if_due(&for_backup, &SystemClock, &OsKeyring::default(), &actor);
            status.record(BackgroundJob::AuditAnchor, &SystemClock, &anchor);
        }
    });
    db
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
        Ok(result) => result.map_err(IpcError::from),
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
