//! The CSV import on either register: the file kept on this computer (its bulk path) or a
//! team register (all rows or none in one transaction; the server records the login and
//! refuses an auditor's import).

use rightsdesk_core::import::{self, ImportOptions, ImportPreview, ImportReport};
use rightsdesk_core::workspace::current_actor;
use tauri::State;

use crate::error::IpcError;
use crate::state::{blocking, App, Register};

#[tauri::command]
#[specta::specta]
pub async fn preview_import(state: State<'_, App>, content: Vec<u8>, options: ImportOptions) -> Result<ImportPreview, IpcError> {
    let (register, clock) = (state.register()?, state.clock.clone());
    blocking(move || import::preview(register.store(), &*clock, &content, &options)).await
}

#[tauri::command]
#[specta::specta]
pub async fn commit_import(
    state: State<'_, App>,
    file_name: String,
    content: Vec<u8>,
    options: ImportOptions,
) -> Result<ImportReport, IpcError> {
    let (register, clock) = (state.register()?, state.clock.clone());
    // On a team register the login the window works as (the server records the same
    // `session_user` whatever is sent); on the file the officer's account name.
    let actor = match &register {
        Register::File(_) => current_actor(),
        Register::Team(team) => team.url.user.clone(),
    };
    blocking(move || import::commit(register.store(), &*clock, &file_name, &content, &options, &actor)).await
}
