//! Which file paths the window may hand the backend: only those the officer
//! picked in an OS file dialog that the backend itself opened in this session.
//!
//! The window never types a path. `choose_save_path`, `choose_open_path` and
//! `choose_folder` (commands/files.rs) open the dialog from Rust (the window has
//! no permission for the dialog plugin's own commands, so it cannot open one or
//! mint a grant) and record what the officer picked here, for one purpose. A
//! path-taking command then asks [`Grants`] for its argument: a path that was
//! not picked for that purpose in this session is refused with the code
//! `not_chosen`, whatever it names (`/`, `..`, the database, a symlink).
//!
//! A save grant is used once: the officer confirmed that one save dialog (GTK
//! asks before replacing a file), so the write may replace that one file, and
//! a second write needs a second dialog. An open grant (a file to read) and a
//! folder grant stay valid for the session. A grant never overrides the core's
//! guard: every write still passes `rightsdesk_core::files::destination::check`, which
//! refuses the database, its companion files and the data folders.
//!
//! Grants live in memory only; a restart forgets them.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use crate::error::IpcError;

/// What a file to be written is for (decides the dialog's filter and the grant's use).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum SavePurpose {
    /// An answer package (`build_package`).
    Package,
    /// The register as CSV or JSON (`export_register`).
    Register,
    /// The yearly figures (`export_metrics`).
    Metrics,
    /// The deadlines calendar (`save_calendar`).
    Calendar,
    /// An attachment of a received mail, saved as it came (`save_mail_attachment`).
    Attachment,
    /// A copy of a request's stored file, decrypted (`save_evidence`).
    Evidence,
}

/// What a file to be read is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum OpenPurpose {
    /// A package to verify (`verify_package`).
    Package,
    /// A file to attach to a request as evidence (`add_evidence`).
    Evidence,
}

/// What a folder is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum FolderPurpose {
    /// Where the scheduled backups go (`set_backup_schedule`).
    Backups,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Use {
    Save(SavePurpose),
    Open(OpenPurpose),
    Folder(FolderPurpose),
}

/// The paths picked in this session's dialogs, by what they were picked for.
#[derive(Default, Clone)]
pub struct Grants {
    granted: Arc<Mutex<HashMap<(Use, String), PathBuf>>>,
}

/// The error every path-taking command gives for a path the officer did not pick.
pub fn not_chosen(field: &str) -> IpcError {
    IpcError {
        code: rightsdesk_core::error::ErrorCode::NotChosen,
        message: format!("{field}: choose the file with the Choose… button; the app accepts only a location picked in its file dialog"),
        field: Some(field.into()),
    }
}

impl Grants {
    fn record(&self, key: Use, path: PathBuf) -> Result<String, IpcError> {
        let shown = path.to_str().ok_or_else(|| IpcError {
            code: rightsdesk_core::error::ErrorCode::Invalid,
            message: "path: the chosen location's name is not valid Unicode; choose another".into(),
            field: Some("path".into()),
        })?;
        let shown = shown.to_string();
        self.lock().insert((key, shown.clone()), path);
        Ok(shown)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(Use, String), PathBuf>> {
        self.granted.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Records a file the officer confirmed in a save dialog; returns the path as the window will send it back.
    pub fn grant_save(&self, purpose: SavePurpose, path: PathBuf) -> Result<String, IpcError> {
        self.record(Use::Save(purpose), path)
    }

    pub fn grant_open(&self, purpose: OpenPurpose, path: PathBuf) -> Result<String, IpcError> {
        self.record(Use::Open(purpose), path)
    }

    pub fn grant_folder(&self, purpose: FolderPurpose, path: PathBuf) -> Result<String, IpcError> {
        self.record(Use::Folder(purpose), path)
    }

    /// The file picked in a save dialog for `purpose`, used up by this call.
    pub fn take_save(&self, purpose: SavePurpose, path: &str, field: &str) -> Result<PathBuf, IpcError> {
        self.lock().remove(&(Use::Save(purpose), path.to_string())).ok_or_else(|| not_chosen(field))
    }

    /// The file picked in an open dialog for `purpose` (stays granted for the session).
    pub fn open(&self, purpose: OpenPurpose, path: &str, field: &str) -> Result<PathBuf, IpcError> {
        self.lock().get(&(Use::Open(purpose), path.to_string())).cloned().ok_or_else(|| not_chosen(field))
    }

    /// The folder picked for `purpose` (stays granted for the session).
    pub fn folder(&self, purpose: FolderPurpose, path: &str, field: &str) -> Result<PathBuf, IpcError> {
        self.lock().get(&(Use::Folder(purpose), path.to_string())).cloned().ok_or_else(|| not_chosen(field))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_nobody_picked_is_refused_and_a_save_grant_is_used_once_for_its_own_purpose() {
        let grants = Grants::default();
        assert_eq!(
            grants.take_save(SavePurpose::Register, "/tmp/r.csv", "out").unwrap_err().code,
            rightsdesk_core::error::ErrorCode::NotChosen
        );
        let shown = grants.grant_save(SavePurpose::Register, PathBuf::from("/tmp/r.csv")).unwrap();
        assert!(grants.take_save(SavePurpose::Package, &shown, "out").is_err(), "granted for another purpose");
        assert!(grants.open(OpenPurpose::Package, &shown, "path").is_err(), "a save grant is not an open grant");
        assert_eq!(grants.take_save(SavePurpose::Register, &shown, "out").unwrap(), PathBuf::from("/tmp/r.csv"));
        assert!(grants.take_save(SavePurpose::Register, &shown, "out").is_err(), "used up");
    }

    #[test]
    fn an_open_grant_and_a_folder_grant_stay_for_the_session() {
        let grants = Grants::default();
        let p = grants.grant_open(OpenPurpose::Package, PathBuf::from("/tmp/p.zip")).unwrap();
        assert!(grants.open(OpenPurpose::Package, &p, "path").is_ok());
        assert!(grants.open(OpenPurpose::Package, &p, "path").is_ok());
        let d = grants.grant_folder(FolderPurpose::Backups, PathBuf::from("/tmp/b")).unwrap();
        assert!(grants.folder(FolderPurpose::Backups, &d, "dir").is_ok());
        assert!(grants.folder(FolderPurpose::Backups, "/tmp/b/..", "dir").is_err());
    }

    #[test]
    fn the_refusal_reaches_the_ui_with_its_own_code_and_field() {
        let json = serde_json::to_value(not_chosen("out")).unwrap();
        assert_eq!(json["code"], "not_chosen");
        assert_eq!(json["field"], "out");
    }
}
