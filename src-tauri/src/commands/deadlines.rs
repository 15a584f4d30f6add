use rightsdesk_core::deadlines::{self, ClockEvent, EngineOptions, Holiday, Schedule};
use rightsdesk_core::deadlines::{self as service, WhatIf};
use rightsdesk_core::domain::RequestDetail;
use rightsdesk_core::domain::RequestId;
use rightsdesk_core::requests::schedules;
use rightsdesk_core::workspace::current_actor;
use tauri::State;

use crate::commands::mail::{actor_on, admin_only, said_by_role};
use crate::error::IpcError;
use crate::state::{blocking, App};

#[tauri::command]
#[specta::specta]
pub async fn record_clock_event(
    state: State<'_, App>,
    id: String,
    event: ClockEvent,
    expected_version: Option<i32>,
) -> Result<RequestDetail, IpcError> {
    // The local file or a team register (there the server records the login as the actor).
    let (register, clock) = (state.register()?, state.clock.clone());
    // The request's `version` the page loaded: a stale page is refused (`conflict`), nothing written.
    let expected = expected_version.map(i64::from);
    blocking(move || {
        schedules::record_clock_event_expecting(register.store(), &*clock, &RequestId::from(&id), event, &current_actor(), expected)
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn what_if(state: State<'_, App>, input: WhatIf) -> Result<Schedule, IpcError> {
    let db = state.db().ok();
    blocking(move || service::what_if(db.as_deref(), &input)).await
}

#[tauri::command]
#[specta::specta]
pub async fn deadline_options(state: State<'_, App>) -> Result<EngineOptions, IpcError> {
    let register = state.register()?;
    blocking(move || service::options(register.store())).await
}

#[tauri::command]
#[specta::specta]
pub async fn set_deadline_options(state: State<'_, App>, options: EngineOptions) -> Result<EngineOptions, IpcError> {
    // On a team register the deadline settings are the admin's (the server refuses anyone else).
    const WHAT: &str = "the deadline settings";
    let (register, clock) = (state.register()?, state.clock.clone());
    blocking(move || {
        admin_only(&register, WHAT)?;
        said_by_role(&register, WHAT, schedules::set_deadline_options(register.store(), &*clock, &options, &actor_on(&register)))
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn holidays(jurisdiction: String, year: i32) -> Result<Vec<Holiday>, IpcError> {
    blocking(move || deadlines::holiday_list(&jurisdiction, year)).await
}
