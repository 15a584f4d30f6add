//! The store: one SQLite file, opened in exactly one place ([`Db::open`]).
//!
//! One writer connection behind a mutex, WAL, `foreign_keys=ON`, STRICT
//! tables, migrations applied atomically. Every write goes through
//! [`Db::write`], an IMMEDIATE transaction, so a change and its timeline event
//! commit together or not at all.

pub mod db;
pub mod events;
pub mod key;
pub mod lock;
mod migrations;
pub mod requests;
pub mod saved_filters;
pub mod settings;
pub mod tally;

pub use db::Db;
pub use key::DbKey;
pub use migrations::SCHEMA_VERSION;

use std::path::Path;

use crate::error::Result;
use crate::secrets::SecretStore;

/// Opens the database at `path` with its key from `RIGHTSDESK_PASSPHRASE` or
/// the OS keyring (a new database gets a new random key there). With neither,
/// refuses to create or open anything and says how to provide a key.
pub fn unlock(path: &Path, secrets: &dyn SecretStore) -> Result<Db> {
    let (key, _) = key::resolve(path, secrets)?;
    Db::open(path, &key)
}

/// Opens the database at `path` for reading only, without the writer lock:
/// what the CLI's reading commands use, so they work while the app is open.
/// A database that does not exist is refused ([`require_existing`]): a typo in
/// `--db` never creates one. One whose schema is older than this version's is
/// upgraded as [`unlock`] does (under the lock).
pub fn unlock_read_only(path: &Path, secrets: &dyn SecretStore) -> Result<Db> {
    require_existing(path)?;
    let (key, _) = key::resolve(path, secrets)?;
    match Db::open_read_only(path, &key) {
        Err(crate::Error::SchemaTooOld { .. }) => Db::open(path, &key),
        other => other,
    }
}

/// Refuses a path where no database is, before anything (a file, a `-wal`, a
/// lock file, a folder, a keyring entry) is created: what every command that
/// is not meant to start a new register checks first.
pub fn require_existing(path: &Path) -> Result<()> {
    if path.is_file() {
        return Ok(());
    }
    Err(crate::Error::invalid(
        "db",
        format!("no database at {}; check --db or RIGHTSDESK_DB (nothing was created)", path.display()),
    ))
}
