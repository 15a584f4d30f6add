//! Backups and the retention purge. Restore is deliberately not a window
//! command: it replaces the database the window has open, so it runs from the
//! CLI with the app closed (the screen explains how).

use rightsdesk_core::backups::{self as backup, BackupSchedule, BackupSummary};
use rightsdesk_core::files::destination;
use rightsdesk_core::mailbox::purge as mail_purge;
use rightsdesk_core::retention::{self, PurgePlan, PurgeReport, RetentionPolicy};
use rightsdesk_core::workspace::current_actor;
use rightsdesk_core::Error;
use tauri::State;

use crate::error::IpcError;
use crate::grants::{not_chosen, FolderPurpose, Grants};
use crate::state::{blocking, App};

#[tauri::command]
#[specta::specta]
pub async fn backup_schedule(state: State<'_, App>) -> Result<BackupSchedule, IpcError> {
    let db = state.db()?;
    blocking(move || backup::schedule(&db)).await
}

/// Saves the schedule. `dir` is the folder already configured, one the officer picked with
/// `choose_folder(backups)` in this session, or empty (no folder); any other path is refused. A
/// folder inside the app's data folder or the evidence folder is refused too (a backup there
/// would be lost with what it backs up).
#[tauri::command]
#[specta::specta]
pub async fn set_backup_schedule(
    state: State<'_, App>,
    grants: State<'_, Grants>,
    dir: String,
    keep: u32,
    daily: bool,
) -> Result<BackupSchedule, IpcError> {
    let (db, clock) = (state.db()?, state.clock.clone());
    let configured = {
        let db = db.clone();
        blocking(move || backup::schedule(&db)).await?.dir
    };
    let picked = if dir.is_empty() || configured.as_deref() == Some(dir.as_str()) {
        None
    } else {
        Some(grants.folder(FolderPurpose::Backups, &dir, "dir").map_err(|_| not_chosen("dir"))?)
    };
    blocking(move || {
        if let Some(folder) = &picked {
            let protected = destination::Protected::for_database(db.path());
            destination::check(&folder.join("rightsdesk-backup"), &protected, destination::Overwrite::Allowed)
                .map_err(|_| Error::invalid("dir", format!("{} is, or is inside, the app's data or evidence folder; a backup there would be lost with what it backs up; choose a folder elsewhere", folder.display())))?;
        }
        backup::set_schedule(&db, &*clock, &current_actor(), &dir, keep, daily)
    })
    .await
}

/// Backs up now into the scheduled folder, keeping the newest N there.
#[tauri::command]
#[specta::specta]
pub async fn backup_now(state: State<'_, App>) -> Result<BackupSummary, IpcError> {
    let (db, clock) = (state.db()?, state.clock.clone());
    blocking(move || {
        let s = backup::schedule(&db)?;
        let dir = s.dir.ok_or_else(|| Error::invalid("dir", "choose a backup folder first"))?;
        Ok(backup::backup_rotating(&db, &*clock, std::path::Path::new(&dir), s.keep)?.0)
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn retention_policies(state: State<'_, App>) -> Result<Vec<RetentionPolicy>, IpcError> {
    let register = state.register()?;
    blocking(move || retention::policies(register.store())).await
}

#[tauri::command]
#[specta::specta]
pub async fn set_retention(state: State<'_, App>, regime: String, months: u32) -> Result<RetentionPolicy, IpcError> {
    // On a team register the periods are the admin's: the server refuses anyone else's change.
    let (register, clock) = (state.register()?, state.clock.clone());
    blocking(move || retention::set_months(register.store(), &*clock, &current_actor(), &regime, months)).await
}

/// Days after the dismissal that a mail dismissed as not a request keeps its content.
#[tauri::command]
#[specta::specta]
pub async fn intake_dismissed_days(state: State<'_, App>) -> Result<u32, IpcError> {
    let register = state.register()?;
    blocking(move || mail_purge::dismissed_days(register.store())).await
}

#[tauri::command]
#[specta::specta]
pub async fn set_intake_dismissed_days(state: State<'_, App>, days: u32) -> Result<u32, IpcError> {
    let (register, clock) = (state.register()?, state.clock.clone());
    blocking(move || mail_purge::set_dismissed_days(register.store(), &*clock, &current_actor(), days)).await
}

#[tauri::command]
#[specta::specta]
pub async fn purge_preview(state: State<'_, App>) -> Result<PurgePlan, IpcError> {
    let (register, clock) = (state.register()?, state.clock.clone());
    blocking(move || retention::preview(register.store(), &*clock)).await
}

/// Runs the purge the officer confirmed; refused if the preview they saw (`expected` requests) is stale.
/// On a team register the purge is the admin's: the server refuses an officer's or an auditor's,
/// naming the role, and nothing is removed.
#[tauri::command]
#[specta::specta]
pub async fn run_purge(state: State<'_, App>, expected: u32) -> Result<PurgeReport, IpcError> {
    let (register, clock) = (state.register()?, state.clock.clone());
    blocking(move || retention::purge(register.store(), &*clock, &current_actor(), Some(expected))).await
}
