use rightsdesk_core::import::{self, ImportOptions, ImportPreview, ImportReport};
use rightsdesk_core::workspace::current_actor;
use tauri::State;

use crate::error::IpcError;
use crate::state::{blocking, App};

#[tauri::command]
#[specta::specta]
pub async fn preview_import(state: State<'_, App>, content: Vec<u8>, options: ImportOptions) -> Result<ImportPreview, IpcError> {
    let (db, clock) = (state.db()?, state.clock.clone());
    blocking(move || import::preview(&db, &*clock, &content, &options)).await
}

#[tauri::command]
#[specta::specta]
pub async fn commit_import(
    state: State<'_, App>,
    file_name: String,
    content: Vec<u8>,
    options: ImportOptions,
) -> Result<ImportReport, IpcError> {
    let (db, clock) = (state.db()?, state.clock.clone());
    blocking(move || import::commit(&db, &*clock, &file_name, &content, &options, &current_actor())).await
}
