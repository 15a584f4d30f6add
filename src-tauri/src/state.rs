//! The app's state: the database (open, locked awaiting a passphrase, or failed
//! with a reason the window shows) and the clock.

use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use rightsdesk_core::clock::{Clock, SystemClock};
use rightsdesk_core::secrets::OsKeyring;
use rightsdesk_core::store::{Db, DbKey};
use rightsdesk_core::workspace::Opened;
use rightsdesk_core::Error;

use crate::error::IpcError;

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
}

impl App {
    /// Opens the default database (RIGHTSDESK_DB or the platform data directory)
    /// with its key from RIGHTSDESK_PASSPHRASE or the OS keyring. A failure is
    /// kept and shown in the window instead of crashing.
    pub fn open_default() -> App {
        let state = match rightsdesk_core::paths::default_db_path() {
            None => DbState::Failed(IpcError::internal("no data directory could be found; set RIGHTSDESK_DB to a file path")),
            Some(path) => match rightsdesk_core::open(&path, &OsKeyring::default()) {
                Ok(opened) => DbState::Open(started(opened)),
                Err(Error::KeyUnavailable { reason }) => DbState::Locked { path, reason },
                Err(e) => DbState::Failed(e.into()),
            },
        };
        App { db: Arc::new(RwLock::new(state)), clock: Arc::new(SystemClock) }
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
        *self.db.write().unwrap_or_else(|p| p.into_inner()) = DbState::Open(started(opened));
        Ok(())
    }
}

/// The register opened for work (`rightsdesk_core::open`: its open requests' dates already
/// brought up to this version's rules), with the daily backup and audit anchor started in the
/// background when due: those are the window's own; cron runs them for the CLI.
fn started(opened: Opened) -> Arc<Db> {
    // A failed refresh leaves the stored dates as they were; the window still opens.
    let Opened { db, refresh_failed: _, .. } = opened;
    let db = Arc::new(db);
    let for_backup = db.clone();
    std::thread::spawn(move || {
        // A failed scheduled backup must not stop the window; the schedule screen shows the last backup's age.
        let _ = rightsdesk_core::backups::run_scheduled_if_due(&for_backup, &SystemClock);
        // With the daily job on, the audit trail's head goes to the officer's own
        // mailbox too (at most once a day, when mail is set up); cron runs `audit anchor` otherwise.
        if rightsdesk_core::backups::schedule(&for_backup).is_ok_and(|s| s.daily) {
            let actor = rightsdesk_core::workspace::current_actor();
            let _ = rightsdesk_core::audit::anchor::run_if_due(&for_backup, &SystemClock, &OsKeyring::default(), &actor);
        }
    });
    db
}

/// Runs a core call on a blocking thread and maps its error for the UI.
pub async fn blocking<T: Send + 'static>(f: impl FnOnce() -> rightsdesk_core::Result<T> + Send + 'static) -> Result<T, IpcError> {
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|_| IpcError::internal("the operation stopped unexpectedly"))?
        .map_err(IpcError::from)
}
