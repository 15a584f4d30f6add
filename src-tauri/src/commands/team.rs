//! Connecting the app to a team register (issue 18 item 2): the address and the password the
//! officer types on the first-run screen. The password goes to the OS keyring entry
//! `rightsdesk team remember` uses (never to a file); the address to a small file in the app's
//! config folder, so the next start opens the same register. And the window's channel for
//! the register's changes ([`crate::team_watch`]).

use std::path::PathBuf;
use std::sync::Arc;

use rightsdesk_core::secrets::{OsKeyring, SecretStore};
use rightsdesk_core::store::pg::PgUrl;
use serde::{Deserialize, Serialize};
use tauri::ipc::Channel;
use tauri::{AppHandle, State};

use crate::error::IpcError;
use crate::state::{blocking, App, DbState, Team};
use crate::team_watch::{self, RegisterChanged, Watchers};

/// The team register the window works on, for its banner.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct TeamInfo {
    /// `postgresql://USER@HOST:PORT/DBNAME` (never a password).
    pub address: String,
    /// The PostgreSQL login the app works as: the actor on record for what the officer does.
    pub login: String,
    pub host: String,
    pub dbname: String,
    /// A read replica: it shows what the primary committed, takes no change, and the window
    /// does not refresh by itself there (it says so and offers to reload).
    pub replica: bool,
    /// The login's team role, "officer", "auditor" or "admin" ("": in none of them): the
    /// mail settings and templates are read-only in the window unless "admin".
    pub role: String,
}

impl TeamInfo {
    pub fn of(team: &Team) -> TeamInfo {
        let url = &team.url;
        TeamInfo {
            address: url.display(),
            login: url.user.clone(),
            host: url.host.clone(),
            dbname: url.dbname.clone(),
            replica: team.replica,
            role: team.role.map(|r| r.as_str().to_string()).unwrap_or_default(),
        }
    }
}

/// How connecting went.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct TeamConnected {
    pub team: TeamInfo,
    /// Whether the password is in the OS keyring for the next start; without a keyring it is
    /// kept in memory for this session only, and the window says so.
    pub password_kept: bool,
}

/// The remembered address: `team.json` in the app's config folder.
#[derive(Serialize, Deserialize)]
struct Remembered {
    address: String,
}

/// The app's config folder: `$XDG_CONFIG_HOME/rightsdesk` (`~/.config/rightsdesk`) on Linux,
/// `%APPDATA%\rightsdesk` on Windows, `~/Library/Application Support/rightsdesk` on macOS.
fn config_dir() -> Option<PathBuf> {
    if cfg!(target_os = "linux") {
        if let Some(dir) = std::env::var_os("XDG_CONFIG_HOME").filter(|d| !d.is_empty()) {
            return Some(PathBuf::from(dir).join("rightsdesk"));
        }
    }
    let home = PathBuf::from(std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE"))?);
    Some(if cfg!(target_os = "windows") {
        std::env::var_os("APPDATA").map(PathBuf::from).unwrap_or(home).join("rightsdesk")
    } else if cfg!(target_os = "macos") {
        home.join("Library/Application Support/rightsdesk")
    } else {
        home.join(".config/rightsdesk")
    })
}

const REMEMBERED_FILE: &str = "team.json";

/// The team register the officer last connected to in the window, if any.
pub fn remembered_address() -> Option<String> {
    let text = std::fs::read_to_string(config_dir()?.join(REMEMBERED_FILE)).ok()?;
    serde_json::from_str::<Remembered>(&text).ok().map(|r| r.address).filter(|a| !a.is_empty())
}

/// Whether `RIGHTSDESK_DB` names a team register (it then comes before anything the window chose).
pub fn team_from_environment() -> bool {
    std::env::var(rightsdesk_core::paths::DB_ENV).is_ok_and(|db| rightsdesk_core::store::pg::is_postgres_url(&db))
}

/// Writes the address (whole or not at all: a new file renamed over the old).
fn remember_address(url: &PgUrl) -> rightsdesk_core::Result<()> {
    let dir =
        config_dir().ok_or_else(|| rightsdesk_core::Error::invalid("address", "no config folder could be found to remember it in"))?;
    std::fs::create_dir_all(&dir)?;
    let mut address = url.display();
    if let Some(ca) = &url.sslrootcert {
        address = format!("{address}?sslmode=verify-full&sslrootcert={}", ca.display());
    }
    let text = serde_json::to_string_pretty(&Remembered { address }).map_err(|e| rightsdesk_core::Error::Internal(e.to_string()))?;
    let part = dir.join(format!("{REMEMBERED_FILE}.part"));
    std::fs::write(&part, text)?;
    std::fs::rename(&part, dir.join(REMEMBERED_FILE))?;
    Ok(())
}

/// Connects to the team register at `address` with `password` (empty: from RIGHTSDESK_DB_PASSWORD,
/// PGPASSWORD, ~/.pgpass or the OS keyring), and works on it from now on. A wrong password, an
/// unreachable server, a refused certificate, a database with no register or a newer one: each
/// its own message from the core, naming the address, never the password; nothing is kept then.
#[tauri::command]
#[specta::specta]
pub async fn connect_team(app: AppHandle, state: State<'_, App>, address: String, password: String) -> Result<TeamConnected, IpcError> {
    let state = state.inner().clone();
    let (team, password_kept) = blocking(move || {
        let url = PgUrl::parse(address.trim()).map_err(|e| match e {
            rightsdesk_core::Error::Invalid { reason, .. } => rightsdesk_core::Error::invalid("address", reason),
            other => other,
        })?;
        let typed = Some(password).filter(|p| !p.is_empty());
        let team = Team::connect(url.clone(), typed.clone())?;
        remember_address(&url)?;
        // The same entry `rightsdesk team remember` writes; kept only once the server accepted it.
        let kept = match typed {
            Some(p) => OsKeyring::default().set(&url.keyring_name(), &p).is_ok(),
            None => true,
        };
        Ok((Arc::new(team), kept))
    })
    .await?;
    let info = TeamInfo::of(&team);
    state.set(DbState::Team(team.clone()));
    team_watch::start(app, team);
    Ok(TeamConnected { team: info, password_kept })
}

/// Back to the register on this computer: the remembered address is forgotten (the password
/// stays in the keyring, for `rightsdesk team` and a later connection) and the register file
/// opens as at a start (or asks for its passphrase). Refused while RIGHTSDESK_DB names the team
/// register.
#[tauri::command]
#[specta::specta]
pub async fn use_local_register(state: State<'_, App>) -> Result<(), IpcError> {
    if team_from_environment() {
        return Err(rightsdesk_core::Error::invalid(
            "address",
            "RIGHTSDESK_DB names the team register; start Rightsdesk without it to use the register on this computer",
        )
        .into());
    }
    let app = state.inner().clone();
    blocking(move || {
        if let Some(file) = config_dir().map(|d| d.join(REMEMBERED_FILE)) {
            match std::fs::remove_file(file) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
                _ => {}
            }
        }
        app.set(app.open_file());
        app.bring_up_to_date();
        Ok(())
    })
    .await
}

/// The window's channel for the team register's changes (a new page load gives a new one).
/// On the local file nothing is sent: only this window changes it.
#[tauri::command]
#[specta::specta]
pub async fn watch_register(watchers: State<'_, Watchers>, on_change: Channel<RegisterChanged>) -> Result<(), IpcError> {
    watchers.add(on_change);
    Ok(())
}
