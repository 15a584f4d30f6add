//! The OS file dialogs, opened by the backend, and where a command may write.
//!
//! The window asks for a location with `choose_*`; the backend shows the OS
//! dialog (tauri-plugin-dialog, from Rust: the window holds no permission for
//! the plugin's own commands) and records the officer's pick as a grant
//! (crate::grants). The window then passes the returned path to the command
//! that reads or writes it, which refuses any path that was not picked.
//! [`destination`] is the last gate before any write: the core guard, which
//! refuses the database, its companion files and the data folders even when
//! the officer confirmed replacing a file.

use std::path::{Path, PathBuf};

use rightsdesk_core::backups as backup;
use rightsdesk_core::files::destination::{self, Overwrite};
use rightsdesk_core::store::Db;
use tauri::{Manager, State, WebviewWindow};
use tauri_plugin_dialog::{DialogExt, FileDialogBuilder};

use crate::error::IpcError;
use crate::grants::{FolderPurpose, Grants, OpenPurpose, SavePurpose};
use crate::state::{blocking, App, Register};

/// At most this many characters of a title or suggested name reach the dialog.
const MAX_LABEL: usize = 200;

/// A one-line label for the dialog: control characters dropped, length capped.
fn one_line(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).take(MAX_LABEL).collect()
}

/// The suggested file name, reduced to a bare name (no folder, no `..`), or `fallback`.
fn bare_name(suggested: &str, fallback: &str) -> String {
    let name = one_line(suggested);
    let name = name.rsplit(['/', '\\']).next().unwrap_or("").trim().to_string();
    if name.is_empty() || name == "." || name == ".." {
        fallback.to_string()
    } else {
        name
    }
}

/// A dialog over the window, opening in the officer's home folder (GTK would otherwise open on
/// "Recent", where a typed location does not navigate).
fn dialog(window: &WebviewWindow, title: &str) -> FileDialogBuilder<tauri::Wry> {
    let builder = window.dialog().file().set_parent(window).set_title(one_line(title));
    match window.path().home_dir() {
        Ok(home) if home.is_dir() => builder.set_directory(home),
        _ => builder,
    }
}

/// Runs a blocking dialog off the async runtime; `None` when the officer cancelled.
async fn shown<T: Send + 'static>(
    f: impl FnOnce() -> Option<tauri_plugin_dialog::FilePath> + Send + 'static,
    then: impl FnOnce(PathBuf) -> Result<T, IpcError> + Send + 'static,
) -> Result<Option<T>, IpcError> {
    let picked = tauri::async_runtime::spawn_blocking(f).await.map_err(|_| IpcError::internal("the file dialog stopped unexpectedly"))?;
    match picked {
        None => Ok(None),
        Some(p) => {
            let path = p.into_path().map_err(|_| IpcError::internal("the file dialog returned no local path"))?;
            then(path).map(Some)
        }
    }
}

/// Shows the OS save dialog (GTK asks before replacing a file) and grants the
/// picked file for one write of `purpose`. Returns its path, or `None` if cancelled.
#[tauri::command]
#[specta::specta]
pub async fn choose_save_path(
    window: WebviewWindow,
    grants: State<'_, Grants>,
    purpose: SavePurpose,
    suggested_name: String,
    title: String,
) -> Result<Option<String>, IpcError> {
    let (fallback, filter): (&str, Option<(&str, &[&str])>) = match purpose {
        SavePurpose::Package => ("package.zip", Some(("Zip", &["zip"]))),
        SavePurpose::Register => ("register.csv", Some(("CSV, JSON", &["csv", "json"]))),
        SavePurpose::Metrics => ("figures.csv", Some(("CSV", &["csv"]))),
        SavePurpose::Calendar => ("rightsdesk-deadlines.ics", Some(("iCalendar", &["ics"]))),
        // Any type: the attachment keeps the name and type it came with.
        SavePurpose::Attachment => ("attachment", None),
        // Any type: the copy keeps the stored file's name.
        SavePurpose::Evidence => ("evidence", None),
    };
    let mut builder = dialog(&window, &title).set_file_name(bare_name(&suggested_name, fallback));
    if let Some((name, extensions)) = filter {
        builder = builder.add_filter(name, extensions);
    }
    let grants = grants.inner().clone();
    shown(move || builder.blocking_save_file(), move |path| grants.grant_save(purpose, path)).await
}

/// Shows the OS open dialog and grants the picked file for reading for `purpose`.
#[tauri::command]
#[specta::specta]
pub async fn choose_open_path(
    window: WebviewWindow,
    grants: State<'_, Grants>,
    purpose: OpenPurpose,
    title: String,
) -> Result<Option<String>, IpcError> {
    let builder = match purpose {
        OpenPurpose::Package => dialog(&window, &title).add_filter("Zip", &["zip"]),
        OpenPurpose::Evidence => dialog(&window, &title),
    };
    let grants = grants.inner().clone();
    shown(move || builder.blocking_pick_file(), move |path| grants.grant_open(purpose, path)).await
}

/// Shows the OS folder dialog and grants the picked folder for `purpose`.
#[tauri::command]
#[specta::specta]
pub async fn choose_folder(
    window: WebviewWindow,
    grants: State<'_, Grants>,
    purpose: FolderPurpose,
    title: String,
) -> Result<Option<String>, IpcError> {
    let builder = dialog(&window, &title).set_can_create_directories(true);
    let grants = grants.inner().clone();
    shown(move || builder.blocking_pick_folder(), move |path| grants.grant_folder(purpose, path)).await
}

/// Writes the deadlines calendar (.ics) to a file picked with `choose_save_path(calendar)`.
#[tauri::command]
#[specta::specta]
pub async fn save_calendar(state: State<'_, App>, grants: State<'_, Grants>, out: String) -> Result<u32, IpcError> {
    let out = grants.take_save(SavePurpose::Calendar, &out, "out")?;
    let (register, clock) = (state.register()?, state.clock.clone());
    blocking(move || {
        let out = match &register {
            Register::File(db) => destination(db, &out)?,
            // No register file here; the local register's place and the app's data folder stay off limits.
            Register::Team(_) => destination::check(
                &out,
                &destination::Protected::for_database(&rightsdesk_core::paths::default_db_path().unwrap_or_default()),
                Overwrite::Allowed,
            )?,
        };
        let n = rightsdesk_core::register::calendar::write(register.store(), &*clock, &out, Overwrite::Allowed)?;
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    })
    .await
}

/// Where a granted file may be written: the core guard with replacing allowed
/// (the officer confirmed the save dialog), but never the database, its
/// companion files, its evidence, the app's data folder or the backup folder.
pub fn destination(db: &Db, path: &Path) -> rightsdesk_core::Result<PathBuf> {
    destination::check(path, &backup::protected(db)?, Overwrite::Allowed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_suggested_name_cannot_point_the_dialog_at_another_folder() {
        assert_eq!(bare_name("../../etc/passwd", "x.zip"), "passwd");
        assert_eq!(bare_name("..", "x.zip"), "x.zip");
        assert_eq!(bare_name("", "x.zip"), "x.zip");
        assert_eq!(bare_name("DSR-2026-0001-package.zip", "x.zip"), "DSR-2026-0001-package.zip");
        assert_eq!(bare_name("a\u{1b}[2Jb.zip", "x.zip"), "a[2Jb.zip");
    }
}
