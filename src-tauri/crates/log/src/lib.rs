//! rightsdesk-log: the one place that decides where and how the app and the CLI
//! write their log. The core only emits `tracing` events; this crate installs
//! the subscriber that writes them to a file.
//!
//! - **Where:** `logs/` beside the register's database file. For the default
//!   register that is `<data directory>/logs/`; a register opened with `--db` or
//!   `RIGHTSDESK_DB` elsewhere keeps its log beside it, so a register and the
//!   record of what was done to it stay together (and tests never write into
//!   the officer's real data directory). The folder is the owner's only (0700).
//! - **How:** one line per event, UTC timestamp, level, target and `key=value`
//!   fields, no colours; a new file each day (`rightsdesk.YYYY-MM-DD.log`),
//!   the last [`KEEP_FILES`] kept.
//! - **What:** only Rightsdesk's own events (targets starting `rightsdesk`), at
//!   the level `RIGHTSDESK_LOG` names (`off`, `error`, `warn`, `info` (default),
//!   `debug`, `trace`). Events carry identifiers and actions (ids, references,
//!   counts, kinds, codes, durations), never personal data: that is the rule
//!   for every `tracing` call in the workspace, and the end-to-end test of
//!   personal data reads these files.
//! - **Never the terminal:** the CLI's stdout is a document for scripts
//!   (`--json`) and its stderr one line for a person; a log line in either
//!   would break both.
//!
//! A log that cannot be opened (a read-only folder, say) is no reason to stop
//! the officer's work: [`install`] then reports why and the program goes on
//! without a log.

use std::path::{Path, PathBuf};

use tracing::level_filters::LevelFilter;
use tracing_appender::rolling::{Builder, Rotation};

/// The environment variable that sets the log level.
pub const LEVEL_ENV: &str = "RIGHTSDESK_LOG";
/// The folder, beside the database file, that holds the log files.
pub const LOGS_DIR: &str = "logs";
/// How many daily files are kept.
pub const KEEP_FILES: usize = 7;
/// The log files' names: `rightsdesk.YYYY-MM-DD.log`.
pub const FILE_PREFIX: &str = "rightsdesk";
pub const FILE_SUFFIX: &str = "log";

/// The log folder for the register whose database file is `db`.
pub fn dir_for(db: &Path) -> PathBuf {
    db.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).join(LOGS_DIR)
}

/// The level `RIGHTSDESK_LOG` asks for; `info` when unset or not a level.
pub fn level_from_env() -> LevelFilter {
    level(std::env::var(LEVEL_ENV).ok().as_deref())
}

fn level(value: Option<&str>) -> LevelFilter {
    value.and_then(|v| v.trim().parse().ok()).unwrap_or(LevelFilter::INFO)
}

/// Installs the process's subscriber: Rightsdesk's events at `level` go to a
/// daily file in `dir` (created, owner-only). Returns why not when the folder
/// or file cannot be opened, or a subscriber is already installed; the caller
/// goes on without a log.
pub fn install(dir: &Path, level: LevelFilter) -> Result<(), String> {
    if level == LevelFilter::OFF {
        return Ok(());
    }
    create_private_dir(dir).map_err(|e| format!("could not create the log folder: {e}"))?;
    let appender = Builder::new()
        .rotation(Rotation::DAILY)
        .max_log_files(KEEP_FILES)
        .filename_prefix(FILE_PREFIX)
        .filename_suffix(FILE_SUFFIX)
        .build(dir)
        .map_err(|e| format!("could not open the log file: {e}"))?;
    let only_ours = tracing_subscriber::filter::Targets::new().with_target("rightsdesk", level);
    use tracing_subscriber::layer::SubscriberExt as _;
    let subscriber =
        tracing_subscriber::registry().with(tracing_subscriber::fmt::layer().with_ansi(false).with_writer(appender)).with(only_ours);
    tracing::subscriber::set_global_default(subscriber).map_err(|e| format!("could not install the log: {e}"))
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_folder_sits_beside_the_database() {
        assert_eq!(dir_for(Path::new("/data/rightsdesk/rightsdesk.sqlite3")), Path::new("/data/rightsdesk/logs"));
        assert_eq!(dir_for(Path::new("register.sqlite3")), Path::new("./logs"));
    }

    #[test]
    fn the_level_is_info_unless_the_environment_names_another() {
        assert_eq!(level(None), LevelFilter::INFO);
        assert_eq!(level(Some("debug")), LevelFilter::DEBUG);
        assert_eq!(level(Some(" WARN ")), LevelFilter::WARN);
        assert_eq!(level(Some("off")), LevelFilter::OFF);
        assert_eq!(level(Some("loud")), LevelFilter::INFO);
    }

    #[test]
    fn events_of_rightsdesk_reach_the_daily_file_and_others_do_not() {
        let dir = tempfile::tempdir().unwrap();
        let logs = dir.path().join("logs");
        install(&logs, LevelFilter::INFO).unwrap();
        tracing::info!(target: "rightsdesk_core::backups", files = 3, "backup written");
        tracing::info!(target: "lettre::transport", "a neighbour's event");
        tracing::debug!(target: "rightsdesk_core::backups", "below the level");
        let files: Vec<_> = std::fs::read_dir(&logs).unwrap().flatten().map(|e| e.path()).collect();
        assert_eq!(files.len(), 1, "{files:?}");
        let name = files[0].file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with("rightsdesk.") && name.ends_with(".log"), "{name}");
        let text = std::fs::read_to_string(&files[0]).unwrap();
        assert!(text.contains("backup written") && text.contains("files=3"), "{text}");
        assert!(!text.contains("neighbour") && !text.contains("below the level"), "{text}");
        assert!(!text.contains('\x1b'), "no colours in a file: {text}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            assert_eq!(std::fs::metadata(&logs).unwrap().permissions().mode() & 0o777, 0o700);
        }
    }
}
