//! A request's conversation: the letters sent and the mails received, and the
//! one click that records a received mail as the identity evidence or the
//! clarification the request awaits.

use rightsdesk_core::domain::RequestDetail;
use rightsdesk_core::mailbox::conversation::{self, Conversation, ReceivedAs};
use rightsdesk_core::workspace::current_actor;
use tauri::State;

use crate::error::IpcError;
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
