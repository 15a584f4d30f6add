use rightsdesk_core::domain::RequestId;
use rightsdesk_core::domain::{NewRequest, Request, RequestDetail, Status};
use rightsdesk_core::requests;
use rightsdesk_core::requests::rows::RequestFilter;
use rightsdesk_core::workspace::current_actor;
use tauri::State;

use crate::commands::mail::actor_on;
use crate::error::IpcError;
use crate::state::{blocking, App};

#[tauri::command]
#[specta::specta]
pub async fn list_requests(state: State<'_, App>, mut filter: RequestFilter) -> Result<Vec<Request>, IpcError> {
    // "Assigned to me" on the local file: the name this app records changes under.
    filter.me = Some(current_actor());
    let (register, clock) = (state.register()?, state.clock.clone());
    blocking(move || requests::list(register.store(), &*clock, &filter)).await
}

#[tauri::command]
#[specta::specta]
pub async fn get_request(state: State<'_, App>, id: String) -> Result<RequestDetail, IpcError> {
    let (register, clock) = (state.register()?, state.clock.clone());
    blocking(move || requests::detail(register.store(), &*clock, &id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn register_request(state: State<'_, App>, input: NewRequest) -> Result<Request, IpcError> {
    let (register, clock) = (state.register()?, state.clock.clone());
    blocking(move || requests::register(register.store(), &*clock, &input, &current_actor())).await
}

/// A request received as processor for a customer, the controller (issue 19 item 12).
#[tauri::command]
#[specta::specta]
pub async fn register_processor_request(
    state: State<'_, App>,
    input: NewRequest,
    role: requests::processor::ProcessorInput,
) -> Result<requests::processor::ProcessorRole, IpcError> {
    let (register, clock) = (state.register()?, state.clock.clone());
    blocking(move || requests::processor::register(register.store(), &*clock, &input, &role, &actor_on(&register)).map(|(_, role)| role))
        .await
}

/// The request's processor role (controller, dates), if it was received as processor.
#[tauri::command]
#[specta::specta]
pub async fn processor_role(state: State<'_, App>, id: String) -> Result<Option<requests::processor::ProcessorRole>, IpcError> {
    let (register, clock) = (state.register()?, state.clock.clone());
    blocking(move || requests::processor::of_request(register.store(), &*clock, &id)).await
}

/// `expected_version` is the `version` of the copy the page loaded: if someone changed the request
/// since, the change is refused (`conflict`: "changed by NAME at TIME — reload") and nothing is written.
#[tauri::command]
#[specta::specta]
pub async fn change_status(
    state: State<'_, App>,
    id: String,
    to: Status,
    reason: Option<String>,
    expected_version: Option<i32>,
) -> Result<RequestDetail, IpcError> {
    let (register, clock) = (state.register()?, state.clock.clone());
    let expected = expected_version.map(i64::from);
    blocking(move || {
        requests::change_status_expecting(
            register.store(),
            &*clock,
            &RequestId::from(&id),
            to,
            reason.as_deref(),
            &current_actor(),
            expected,
        )
    })
    .await
}
