//! Named points where the crash harness (`cli/tests/crash.rs`) kills the
//! process: inside write transactions, between writing a file and renaming it,
//! between the outbox's claim and the server's answer, between the steps of a
//! backup, a restore and a key change.
//!
//! Compiled in only with the `crash-points` feature, which only the harness's
//! own build of the CLI turns on (in a separate target folder); in every other
//! build [`hit`] is an empty function and `RIGHTSDESK_CRASH_AT` means nothing.
//! With the feature, `RIGHTSDESK_CRASH_AT=<point>:<n>` makes the n-th pass
//! through `<point>` write one line naming the point to stderr and send the
//! process SIGKILL: no destructor, no rollback, no flush runs, as when the
//! power goes or the OS kills it.
//!
//! Besides the named points, the database connection reports `sql.row` (each
//! row a statement inserted, updated or deleted, migrations included) and
//! `sql.commit` (each commit, just before SQLite makes it durable).

/// The points inside a write: a kill there interrupts a transaction or a file
/// that is half-written. The harness counts its kills by this list.
pub const INSIDE_WRITES: &[&str] = &["sql.row", "sql.commit", "db.write.begun", "db.write.before-commit", "file.written"];

/// Passes the point `name`; with the `crash-points` feature and
/// `RIGHTSDESK_CRASH_AT` naming it, the n-th pass kills the process.
#[inline(always)]
pub fn hit(name: &'static str) {
    #[cfg(feature = "crash-points")]
    armed::hit(name);
    #[cfg(not(feature = "crash-points"))]
    let _ = name; // no crash points in this build: nothing to do with it
}

/// Installs the `sql.row` and `sql.commit` points on a connection.
#[inline(always)]
pub(crate) fn watch(conn: &rusqlite::Connection) {
    #[cfg(feature = "crash-points")]
    armed::watch(conn);
    #[cfg(not(feature = "crash-points"))]
    let _ = conn; // no crash points in this build: nothing to watch
}

#[cfg(feature = "crash-points")]
mod armed {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::OnceLock;

    /// The armed point and the pass that kills, from `RIGHTSDESK_CRASH_AT`.
    fn target() -> Option<&'static (String, u64)> {
        static TARGET: OnceLock<Option<(String, u64)>> = OnceLock::new();
        TARGET
            .get_or_init(|| {
                let spec = std::env::var("RIGHTSDESK_CRASH_AT").ok()?;
                let (name, n) = spec.rsplit_once(':')?;
                Some((name.to_string(), n.parse().ok().filter(|n| *n > 0)?))
            })
            .as_ref()
    }

    pub(super) fn hit(name: &'static str) {
        static PASSES: AtomicU64 = AtomicU64::new(0);
        let Some((armed, n)) = target() else { return };
        if armed != name || PASSES.fetch_add(1, Ordering::SeqCst) + 1 != *n {
            return;
        }
        let inside = super::INSIDE_WRITES.contains(&name);
        use std::io::Write as _;
        // The harness's build only, about to kill itself: a lost line is no loss.
        let _ = writeln!(std::io::stderr(), "rightsdesk: crash point {name}:{n} (inside a write: {inside})");
        #[cfg(unix)]
        let _ = rustix::process::kill_process(rustix::process::getpid(), rustix::process::Signal::KILL);
        // SIGKILL cannot be caught; should it somehow not arrive (or on Windows), end without unwinding anyway.
        std::process::abort();
    }

    pub(super) fn watch(conn: &rusqlite::Connection) {
        if target().is_none() {
            return;
        }
        // Each returns the hook it replaces (none).
        let _ = conn.update_hook(Some(|_: rusqlite::hooks::Action, _: &str, _: &str, _: i64| hit("sql.row")));
        let _ = conn.commit_hook(Some(|| {
            hit("sql.commit");
            false
        }));
    }
}
