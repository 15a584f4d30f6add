//! Where the database lives by default: the platform data directory
//! (`~/.local/share/rightsdesk` on Linux, `%APPDATA%\rightsdesk` on Windows,
//! `~/Library/Application Support/rightsdesk` on macOS), unless `RIGHTSDESK_DB`
//! names a file. The app and the CLI share this rule, so they open the same file.

use std::path::PathBuf;

pub const DB_ENV: &str = "RIGHTSDESK_DB";
pub const DB_FILE: &str = "rightsdesk.sqlite3";

pub fn data_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("XDG_DATA_HOME").filter(|d| !d.is_empty()) {
        if cfg!(target_os = "linux") {
            return Some(PathBuf::from(dir).join("rightsdesk"));
        }
    }
    let home = std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE"))?;
    let home = PathBuf::from(home);
    Some(if cfg!(target_os = "windows") {
        std::env::var_os("APPDATA").map(PathBuf::from).unwrap_or(home).join("rightsdesk")
    } else if cfg!(target_os = "macos") {
        home.join("Library/Application Support/rightsdesk")
    } else {
        home.join(".local/share/rightsdesk")
    })
}

/// The database path: `RIGHTSDESK_DB` if set, else the data directory's file.
pub fn default_db_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(DB_ENV).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    data_dir().map(|d| d.join(DB_FILE))
}

/// The folder beside the database that holds the evidence files.
pub const EVIDENCE_DIR: &str = "evidence";
