use rightsdesk_core::register::{self, ExportFormat, ExportResult, YearMetrics};
use tauri::State;

use crate::commands::files::destination;
use crate::error::IpcError;
use crate::grants::{Grants, SavePurpose};
use crate::state::{blocking, App, Register};

/// Writes the register to `out`, a file the officer picked with `choose_save_path(register)`.
#[tauri::command]
#[specta::specta]
pub async fn export_register(
    state: State<'_, App>,
    grants: State<'_, Grants>,
    format: ExportFormat,
    out: String,
) -> Result<ExportResult, IpcError> {
    let out = grants.take_save(SavePurpose::Register, &out, "out")?;
    let (on, clock) = (state.register()?, state.clock.clone());
    blocking(move || {
        // Never over the register's own files; on a team register, never over the one kept on this computer.
        register::export_to_file(on.store(), &*clock, format, &text(&checked(&on, &out)?)?)
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn year_metrics(state: State<'_, App>, year: i32) -> Result<YearMetrics, IpcError> {
    let (on, clock) = (state.register()?, state.clock.clone());
    blocking(move || register::year_metrics(on.store(), &*clock, year)).await
}

/// Writes the yearly figures as CSV to `out`, a file the officer picked with `choose_save_path(metrics)`.
#[tauri::command]
#[specta::specta]
pub async fn export_metrics(state: State<'_, App>, grants: State<'_, Grants>, year: i32, out: String) -> Result<ExportResult, IpcError> {
    let out = grants.take_save(SavePurpose::Metrics, &out, "out")?;
    let (on, clock) = (state.register()?, state.clock.clone());
    blocking(move || register::metrics_to_file(on.store(), &*clock, year, &text(&checked(&on, &out)?)?)).await
}

/// Where a picked file may be written: never over the register's own files; on a team register,
/// never over the register file kept on this computer.
fn checked(on: &Register, out: &std::path::Path) -> rightsdesk_core::Result<std::path::PathBuf> {
    match on {
        Register::File(db) => destination(db, out),
        Register::Team(_) => {
            let local = rightsdesk_core::paths::default_db_path().unwrap_or_else(|| std::path::PathBuf::from("rightsdesk.sqlite3"));
            let protected = rightsdesk_core::files::destination::Protected::for_database(&local);
            rightsdesk_core::files::destination::check(out, &protected, rightsdesk_core::files::destination::Overwrite::Allowed)
        }
    }
}

/// The checked destination as the text the core's export functions take (an empty text would
/// mean "the default folder", which a picked file never is).
fn text(path: &std::path::Path) -> rightsdesk_core::Result<String> {
    match path.to_str() {
        Some(s) if !s.trim().is_empty() && s.trim() == s => Ok(s.to_string()),
        _ => Err(rightsdesk_core::Error::invalid("out", "the chosen location cannot be written by name; choose another")),
    }
}
