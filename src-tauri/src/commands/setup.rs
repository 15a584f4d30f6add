use rightsdesk_core::deadlines::{self, RegimeInfo};
use rightsdesk_core::domain::{RequestChannel, RequestType, Status};
use rightsdesk_core::requests;
use rightsdesk_core::settings;
use rightsdesk_core::settings as keys;
use rightsdesk_core::workspace::current_actor;
use serde::Serialize;
use tauri::State;

use crate::commands::team::TeamInfo;
use crate::error::IpcError;
use crate::state::{blocking, App, DbState};

/// A value and its label, for the UI's select controls.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// Why the database is locked, and whether unlocking will create it.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct LockInfo {
    pub reason: String,
    /// True when no database exists yet: the passphrase typed will protect a new one.
    pub new_database: bool,
}

/// What the window needs to start: where the data is, whether it is empty,
/// and the closed lists the forms offer (owned by the core, not the UI).
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct AppInfo {
    pub db_path: String,
    /// Why the database could not be opened, if it could not.
    pub open_error: Option<IpcError>,
    /// Set when the database waits for its passphrase (no key in the environment or the OS keyring).
    pub locked: Option<LockInfo>,
    /// Set on a team register: the window shows it (and as whom) and offers only what runs there.
    pub team: Option<TeamInfo>,
    /// Set when the team register could not be opened: its address, to connect again.
    pub team_unavailable: Option<String>,
    /// Whether the officer may go back to the register on this computer (not when
    /// RIGHTSDESK_DB names the team register).
    pub local_possible: bool,
    pub request_count: u32,
    pub org_name: Option<String>,
    pub time_zone: String,
    pub today: String,
    pub regimes: Vec<RegimeInfo>,
    pub request_types: Vec<Choice>,
    pub channels: Vec<Choice>,
    pub statuses: Vec<Choice>,
}

fn status_label(s: Status) -> String {
    let text = s.as_str().replace('-', " ");
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().collect::<String>() + chars.as_str()).unwrap_or_default()
}

#[tauri::command]
#[specta::specta]
pub async fn app_info(state: State<'_, App>) -> Result<AppInfo, IpcError> {
    let lists = |open_error, locked, db_path, request_count, org_name, time_zone: chrono_tz::Tz, today| AppInfo {
        db_path,
        open_error,
        locked,
        team: None,
        team_unavailable: None,
        local_possible: !crate::commands::team::team_from_environment(),
        request_count,
        org_name,
        time_zone: time_zone.name().to_string(),
        today,
        regimes: deadlines::regimes().to_vec(),
        request_types: RequestType::ALL.iter().map(|t| Choice { value: t.as_str().into(), label: t.label().into() }).collect(),
        channels: RequestChannel::ALL.iter().map(|c| Choice { value: c.as_str().into(), label: c.label().into() }).collect(),
        statuses: Status::ALL.iter().map(|s| Choice { value: s.as_str().into(), label: status_label(*s) }).collect(),
    };
    let db = match state.state() {
        DbState::Open(db) => db,
        DbState::Team(team) => {
            let clock = state.clock.clone();
            return blocking(move || {
                let zone = settings::org_time_zone(&team.db)?;
                let count = u32::try_from(requests::count(&team.db)?).unwrap_or(u32::MAX);
                let org = rightsdesk_core::store::interface::Store::from(&team.db).read(|c| keys::get(c, keys::ORG_NAME))?;
                let today = clock.today(zone).to_string();
                let info = TeamInfo::of(&team);
                Ok(AppInfo { team: Some(info), ..lists(None, None, team.url.display(), count, org, zone, today) })
            })
            .await;
        }
        DbState::Failed(e) => return Ok(lists(Some(e), None, String::new(), 0, None, chrono_tz::Tz::UTC, String::new())),
        DbState::TeamUnavailable { address, error } => {
            let info = lists(Some(error), None, address.clone(), 0, None, chrono_tz::Tz::UTC, String::new());
            return Ok(AppInfo { team_unavailable: Some(address), ..info });
        }
        DbState::Locked { path, reason } => {
            let locked = LockInfo { reason, new_database: !path.exists() };
            let shown = path.display().to_string();
            return Ok(lists(None, Some(locked), shown, 0, None, chrono_tz::Tz::UTC, String::new()));
        }
    };
    let clock = state.clock.clone();
    blocking(move || {
        let zone = settings::org_time_zone(&db)?;
        let count = u32::try_from(requests::count(&db)?).unwrap_or(u32::MAX);
        let org = db.read(|c| keys::get(c, keys::ORG_NAME))?;
        let today = clock.today(zone).to_string();
        Ok(lists(None, None, db.path().display().to_string(), count, org, zone, today))
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn load_demo(state: State<'_, App>) -> Result<u32, IpcError> {
    let (db, clock) = (state.db()?, state.clock.clone());
    blocking(move || rightsdesk_core::workspace::demo::load(&db, &*clock, &current_actor()).map(|n| u32::try_from(n).unwrap_or(0))).await
}

/// The window has painted its first screen: the register's dates are brought up to this
/// version's rules now, not before the window (a failure goes to the status line), and the
/// daily jobs, the outbox and the mailbox start. Returns how many open requests had their
/// dates recomputed, so that the window reads again what it shows when any had.
#[tauri::command]
#[specta::specta]
pub async fn first_paint_done(state: State<'_, App>) -> Result<u32, IpcError> {
    let app = state.inner().clone();
    blocking(move || Ok(u32::try_from(app.first_paint_done()).unwrap_or(u32::MAX))).await
}

/// Unlocks the database with the officer's passphrase (creating it when new).
#[tauri::command]
#[specta::specta]
pub async fn unlock_database(state: State<'_, App>, passphrase: String) -> Result<(), IpcError> {
    let app = state.inner().clone();
    blocking(move || app.unlock(&passphrase)).await
}
