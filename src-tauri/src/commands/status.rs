//! The window's status line: what went wrong in the background (see [`crate::status`]).

use tauri::State;

use crate::error::IpcError;
use crate::state::App;
use crate::status::AppStatus;

/// The background jobs whose last run failed: the daily backup, the audit anchor,
/// the refresh of dates to this version's rules, the outbox.
#[tauri::command]
#[specta::specta]
pub async fn app_status(state: State<'_, App>) -> Result<AppStatus, IpcError> {
    Ok(state.status.status())
}
