//! Opening a register for work: the one way the app and the CLI open it.
//!
//! Unlocking is the store's job ([`store::unlock`]); what this adds is what
//! every opening for work must do before the first command runs, so that a
//! register used only from cron (`rightsdesk remind --send`, `outbox send`)
//! is as up to date as one opened in the window:
//!
//! - open requests whose dates were computed under rules older than this
//!   version's are recomputed, each change on its request's timeline as a
//!   `dates-recomputed` event ([`requests::schedules::refresh_after_rule_update`]).
//!
//! What does not belong here: the app's daily backup and audit anchor, which
//! run in the window's background (cron runs `rightsdesk backup` and
//! `rightsdesk audit anchor` instead), and reading commands, which open
//! read-only ([`open_read_only`]) and never write, so they show the dates as
//! stored until the next opening for work.

use std::path::Path;

use crate::clock::{Clock, SystemClock};
use crate::error::{Error, Result};
use crate::requests;
use crate::secrets::SecretStore;
use crate::store::{self, Db, DbKey};

use super::current_actor;

/// A register opened for work, and what opening it did.
pub struct Opened {
    pub db: Db,
    /// How many open requests had their dates recomputed under this version's rules.
    pub recomputed: usize,
    /// Why the dates could not be brought up to this version's rules, if so: the
    /// register is open all the same, with the dates as they were stored. The
    /// caller tells the officer (the app's status line, the CLI's stderr).
    pub refresh_failed: Option<Error>,
}

/// Opens the register at `path` for work: unlocks it with its key from
/// `RIGHTSDESK_PASSPHRASE` or `secrets` ([`store::unlock`]: takes the writer
/// lock, creates the database if there is none, applies migrations), then
/// brings it up to date (see the module's paragraph).
pub fn open(path: &Path, secrets: &dyn SecretStore) -> Result<Opened> {
    Ok(prepare(store::unlock(path, secrets)?, &SystemClock, &current_actor()))
}

/// Opens the register at `path` for work as [`open`] does, but leaves bringing its dates up to
/// this version's rules to the caller, who must call [`refresh_rules`] next: the app shows its
/// window and first list first (the check reads every open request: 80 ms at 100,000, most of a
/// second at 1,000,000), then refreshes, and until then shows the dates as stored.
pub fn open_refreshing_later(path: &Path, secrets: &dyn SecretStore) -> Result<Db> {
    let db = store::unlock(path, secrets)?;
    crate::files::atomic::remove_stale(db.path());
    Ok(db)
}

/// For a register opened with [`open_refreshing_later`]: recomputes the open requests whose
/// dates were computed under older rules (what [`open`] does at once); how many were recomputed.
pub fn refresh_rules(db: &Db) -> Result<usize> {
    requests::schedules::refresh_after_rule_update(db, &SystemClock, &current_actor())
}

/// Opens the register at `path` for work with a key the officer typed (the
/// app's passphrase prompt), then as [`open`].
pub fn open_with_key(path: &Path, key: &DbKey) -> Result<Opened> {
    Ok(prepare(Db::open(path, key)?, &SystemClock, &current_actor()))
}

/// Opens the register at `path` for reading only, without the writer lock
/// ([`store::unlock_read_only`]). Nothing is written: the dates of open
/// requests are shown as stored, and brought up to this version's rules at
/// the next [`open`].
pub fn open_read_only(path: &Path, secrets: &dyn SecretStore) -> Result<Db> {
    store::unlock_read_only(path, secrets)
}

/// What every opening for work does once the register is unlocked.
fn prepare(db: Db, clock: &dyn Clock, actor: &str) -> Opened {
    // What a killed writer left half-written beside the database or in its evidence
    // folder: under the writer lock nobody else is mid-file there.
    crate::files::atomic::remove_stale(db.path());
    let (recomputed, refresh_failed) = match requests::schedules::refresh_after_rule_update(&db, clock, actor) {
        Ok(n) => (n, None),
        Err(e) => (0, Some(e)),
    };
    Opened { db, recomputed, refresh_failed }
}
