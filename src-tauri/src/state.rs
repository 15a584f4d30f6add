//! The app's state: the open database (or why it could not be opened) and the clock.

use std::sync::Arc;

use rightsdesk_core::clock::{Clock, SystemClock};
use rightsdesk_core::store::Db;

use crate::error::IpcError;

#[derive(Clone)]
pub struct App {
    db: Result<Arc<Db>, IpcError>,
    pub clock: Arc<dyn Clock>,
}

impl App {
    /// Opens the default database (RIGHTSDESK_DB or the platform data directory).
    /// A failure is kept and shown in the window instead of crashing.
    pub fn open_default() -> App {
        let db = match rightsdesk_core::paths::default_db_path() {
            Some(path) => Db::open(&path).map(Arc::new).map_err(IpcError::from),
            None => Err(IpcError::internal("no data directory could be found; set RIGHTSDESK_DB to a file path")),
        };
        App { db, clock: Arc::new(SystemClock) }
    }

    pub fn db(&self) -> Result<Arc<Db>, IpcError> {
        self.db.clone()
    }
}

/// Runs a core call on a blocking thread and maps its error for the UI.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> rightsdesk_core::Result<T> + Send + 'static,
) -> Result<T, IpcError> {
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|_| IpcError::internal("the operation stopped unexpectedly"))?
        .map_err(IpcError::from)
}
