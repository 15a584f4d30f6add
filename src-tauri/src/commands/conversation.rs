//! A request's conversation: the letters sent and the mails received, and the
//! one click that records a received mail as the identity evidence or the
//! clarification the request awaits.

use rightsdesk_core::domain::RequestDetail;
use rightsdesk_core::files::atomic;
use rightsdesk_core::files::destination::Overwrite;
use rightsdesk_core::mailbox::conversation::{self, Conversation, ReceivedAs};
use tauri::State;

use crate::commands::files::destination;
use crate::commands::mail::actor_on;
use crate::error::IpcError;
use crate::grants::{Grants, SavePurpose};
use crate::state::{blocking, App, Register};

#[tauri::command]
#[specta::specta]
pub async fn request_conversation(state: State<'_, App>, request_id: String) -> Result<Conversation, IpcError> {
    let register = state.register()?;
    blocking(move || conversation::conversation(register.store(), &request_id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn record_mail_received(state: State<'_, App>, mail_id: String, what: ReceivedAs) -> Result<RequestDetail, IpcError> {
    let (register, clock) = (state.register()?, state.clock.clone());
    blocking(move || conversation::record_received(register.store(), &*clock, &mail_id, what, &actor_on(&register))).await
}

/// Saves attachment `index` (0 = the first listed) of a received mail, as it came, to a file
/// picked with `choose_save_path(attachment)`; returns its size. Never opened here, never over
/// the register's files (on a team register, never over the register kept on this computer).
#[tauri::command]
#[specta::specta]
pub async fn save_mail_attachment(
    state: State<'_, App>,
    grants: State<'_, Grants>,
    mail_id: String,
    index: u32,
    out: String,
) -> Result<u32, IpcError> {
    let out = grants.take_save(SavePurpose::Attachment, &out, "out")?;
    let register = state.register()?;
    blocking(move || {
        let out = match &register {
            Register::File(db) => destination(db, &out)?,
            Register::Team(_) => {
                let local = rightsdesk_core::paths::default_db_path().unwrap_or_else(|| std::path::PathBuf::from("rightsdesk.sqlite3"));
                let protected = rightsdesk_core::files::destination::Protected::for_database(&local);
                rightsdesk_core::files::destination::check(&out, &protected, Overwrite::Allowed)?
            }
        };
        let (_, bytes) = conversation::attachment(register.store(), &mail_id, index as usize)?;
        atomic::write_bytes_as(&out, Overwrite::Allowed, &bytes)?;
        Ok(u32::try_from(bytes.len()).unwrap_or(u32::MAX))
    })
    .await
}
