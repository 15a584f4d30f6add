//! The CLI's log: what ran, how it ended, how long it took, in `logs/` beside the
//! register (see `rightsdesk_log`), never on stdout or stderr, where it would
//! break a script's `--json` document or the one line a person reads.
//!
//! The log is opened only beside a register that exists: a command refused for a
//! mistyped `--db` leaves nothing behind (`tests/db_path.rs`), and one that starts
//! a register (`request add`, `demo load`, `restore`) records its end once the
//! register is there. Commands that need no register (`deadline`, `holidays`) do not log.

use std::path::PathBuf;
use std::time::Instant;

use rightsdesk_core::Result;

/// One command's entry in the log.
pub struct Log {
    db: Option<PathBuf>,
    open: bool,
    command: String,
    started: Instant,
}

impl Log {
    /// Opens the log beside `db` if that register exists, and records the start of `command`.
    pub fn start(db: Option<PathBuf>, command: String) -> Log {
        let mut log = Log { db, open: false, command, started: Instant::now() };
        log.open_if_there();
        if log.open {
            tracing::info!(version = env!("CARGO_PKG_VERSION"), command = %log.command, "cli started");
        }
        log
    }

    /// Records how the command ended: `ok` or the error's code, and its duration.
    pub fn finish(mut self, result: &Result<()>) {
        self.open_if_there();
        let ms = self.started.elapsed().as_millis() as u64;
        match result {
            Ok(()) => tracing::info!(command = %self.command, outcome = "ok", ms, "cli command"),
            // The code only: an error's words may name a file the officer typed.
            Err(e) => tracing::warn!(command = %self.command, outcome = %e.code(), ms, "cli command"),
        }
    }

    fn open_if_there(&mut self) {
        let Some(db) = self.db.as_deref().filter(|db| !self.open && db.is_file()) else { return };
        // Without a log the command runs all the same; saying so on stderr would break scripts that read it.
        self.open = rightsdesk_log::install(&rightsdesk_log::dir_for(db), rightsdesk_log::level_from_env()).is_ok();
    }
}

/// The command as typed, without its arguments: `request list`, `outbox send`.
pub fn command_name(matches: &clap::ArgMatches) -> String {
    let mut names = Vec::new();
    let mut m = matches;
    while let Some((name, sub)) = m.subcommand() {
        names.push(name);
        m = sub;
    }
    names.join(" ")
}
