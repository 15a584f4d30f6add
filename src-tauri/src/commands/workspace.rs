//! The officer's workspace: dashboard, paged search, saved filters, bulk actions, UI preferences.

use rightsdesk_core::domain::Status;
use rightsdesk_core::register::dashboard::{self, Dashboard};
use rightsdesk_core::register::next_step::{self, NextStep};
use rightsdesk_core::requests::bulk::{self, BulkOutcome};
use rightsdesk_core::requests::rows::RequestFilter;
use rightsdesk_core::requests::saved_filter_rows::SavedFilter;
use rightsdesk_core::requests::saved_filters;
use rightsdesk_core::requests::search::{self, ListPage};
use rightsdesk_core::workspace::current_actor;
use serde::Serialize;
use tauri::State;

use crate::error::IpcError;
use crate::state::{blocking, App};

#[tauri::command]
#[specta::specta]
pub async fn dashboard(state: State<'_, App>) -> Result<Dashboard, IpcError> {
    // On either register: a team register's dashboard comes from the server's own tallies.
    let (register, clock) = (state.register()?, state.clock.clone());
    blocking(move || dashboard::dashboard(register.store(), &*clock)).await
}

/// The one thing the officer should do about a request now (the request page opens with it).
#[tauri::command]
#[specta::specta]
pub async fn next_step(state: State<'_, App>, id: String) -> Result<NextStep, IpcError> {
    let (register, clock) = (state.register()?, state.clock.clone());
    blocking(move || next_step::next_step(register.store(), &*clock, &id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn search_requests(state: State<'_, App>, mut filter: RequestFilter) -> Result<ListPage, IpcError> {
    // "Assigned to me" on the local file: the name this app records changes under.
    filter.me = Some(current_actor());
    let (register, clock) = (state.register()?, state.clock.clone());
    // The list's rows only: a schedule is three quarters of a request's JSON (`ListRow`).
    blocking(move || search::page(register.store(), &*clock, &filter).map(ListPage::from)).await
}

#[tauri::command]
#[specta::specta]
pub async fn list_saved_filters(state: State<'_, App>) -> Result<Vec<SavedFilter>, IpcError> {
    let register = state.register()?;
    blocking(move || saved_filters::list(register.store())).await
}

#[tauri::command]
#[specta::specta]
pub async fn save_filter(state: State<'_, App>, name: String, filter: RequestFilter) -> Result<SavedFilter, IpcError> {
    let (register, clock) = (state.register()?, state.clock.clone());
    blocking(move || saved_filters::save(register.store(), &*clock, &name, &filter, &current_actor())).await
}

#[tauri::command]
#[specta::specta]
pub async fn delete_saved_filter(state: State<'_, App>, id: String) -> Result<(), IpcError> {
    let (register, clock) = (state.register()?, state.clock.clone());
    blocking(move || saved_filters::delete(register.store(), &*clock, &id, &current_actor())).await
}

/// `as_of` is the `as_of` of the list pages the officer saw (the smallest): if a selected request
/// changed after it, the whole batch is refused with who changed it and when (`Conflict`).
#[tauri::command]
#[specta::specta]
pub async fn bulk_change_status(
    state: State<'_, App>,
    ids: Vec<String>,
    to: Status,
    reason: Option<String>,
    as_of: Option<i32>,
) -> Result<BulkOutcome, IpcError> {
    let (register, clock) = (state.register()?, state.clock.clone());
    let as_of = as_of.map(i64::from);
    blocking(move || bulk::change_status(register.store(), &*clock, &ids, as_of, to, reason.as_deref(), &current_actor())).await
}

/// `as_of` as for [`bulk_change_status`].
#[tauri::command]
#[specta::specta]
pub async fn bulk_mark_duplicate(
    state: State<'_, App>,
    ids: Vec<String>,
    original: String,
    as_of: Option<i32>,
) -> Result<BulkOutcome, IpcError> {
    let (register, clock) = (state.register()?, state.clock.clone());
    let as_of = as_of.map(i64::from);
    blocking(move || bulk::mark_duplicate(register.store(), &*clock, &ids, as_of, &original, &current_actor())).await
}

/// Overrides the window takes from the environment (for screenshots, kiosks and tests):
/// `RIGHTSDESK_THEME` (`light` or `dark`; otherwise the system setting) and
/// `RIGHTSDESK_LANG` (`en`, `de`, `fr`; otherwise the officer's choice or the system language).
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct UiPreferences {
    pub theme: Option<String>,
    pub language: Option<String>,
}

#[tauri::command]
#[specta::specta]
pub async fn ui_preferences() -> Result<UiPreferences, IpcError> {
    let pick =
        |var: &str, allowed: &[&str]| std::env::var(var).ok().map(|v| v.trim().to_lowercase()).filter(|v| allowed.contains(&v.as_str()));
    Ok(UiPreferences { theme: pick("RIGHTSDESK_THEME", &["light", "dark"]), language: pick("RIGHTSDESK_LANG", &["en", "de", "fr"]) })
}
