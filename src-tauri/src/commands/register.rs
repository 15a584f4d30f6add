use rightsdesk_core::register::{self, ExportFormat, ExportResult, YearMetrics};
use tauri::State;

use crate::error::IpcError;
use crate::state::{blocking, App};

/// Writes the register to `out` (empty: the exports folder beside the database).
#[tauri::command]
#[specta::specta]
pub async fn export_register(state: State<'_, App>, format: ExportFormat, out: String) -> Result<ExportResult, IpcError> {
    let (db, clock) = (state.db()?, state.clock.clone());
    blocking(move || register::export_to_file(&db, &*clock, format, &out)).await
}

#[tauri::command]
#[specta::specta]
pub async fn year_metrics(state: State<'_, App>, year: i32) -> Result<YearMetrics, IpcError> {
    let (db, clock) = (state.db()?, state.clock.clone());
    blocking(move || register::year_metrics(&db, &*clock, year)).await
}

/// Writes the yearly figures as CSV to `out` (empty: the exports folder beside the database).
#[tauri::command]
#[specta::specta]
pub async fn export_metrics(state: State<'_, App>, year: i32, out: String) -> Result<ExportResult, IpcError> {
    let (db, clock) = (state.db()?, state.clock.clone());
    blocking(move || register::metrics_to_file(&db, &*clock, year, &out)).await
}
