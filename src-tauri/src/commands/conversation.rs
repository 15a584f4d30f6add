//! A request's conversation: the letters sent and the mails received, and the
//! one click that records a received mail as the identity evidence or the
//! clarification the request awaits.

use rightsdesk_core::domain::RequestDetail;
use rightsdesk_core::files::atomic;
use rightsdesk_core::files::destination::Overwrite;
use rightsdesk_core::mailbox::conversation::{self, Conversation, ReceivedAs};
use rightsdesk_core::workspace::current_actor;
use tauri::State;

use crate::commands::files::destination;
use crate::error::IpcError;
use crate::grants::{Grants, SavePurpose};
use crate::state::{blocking, App};

#[tauri::command]
#[specta::specta]
pub async fn request_conversation(state: State<'_, App>, request_id: String) -> Result<Conversation, IpcError> {
    let db = state.db()?;
    blocking(move || conversation::conversation(&db, &request_id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn record_mail_received(state: State<'_, App>, mail_id: String, what: ReceivedAs) -> Result<RequestDetail, IpcError> {
    let (db, clock) = (state.db()?, state.clock.clone());
    blocking(move || conversation::record_received(&db, &*clock, &mail_id, what, &current_actor())).await
}

/// Saves attachment `index` (0 = the first listed) of a received mail, as it came, to a file
/// picked with `choose_save_path(attachment)`; returns its size. Never opened here.
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
    let db = state.db()?;
    blocking(move || {
        let out = destination(&db, &out)?;
        let (_, bytes) = conversation::attachment(&db, &mail_id, index as usize)?;
        atomic::write_bytes_as(&out, Overwrite::Allowed, &bytes)?;
        Ok(u32::try_from(bytes.len()).unwrap_or(u32::MAX))
    })
    .await
}
