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
/// A database that does not exist yet, or whose schema is older than this
/// version's, is opened as [`unlock`] does (created or upgraded under the lock).
pub fn unlock_read_only(path: &Path, secrets: &dyn SecretStore) -> Result<Db> {
    if !path.exists() {
        return unlock(path, secrets);
    }
    let (key, _) = key::resolve(path, secrets)?;
    match Db::open_read_only(path, &key) {
        Err(crate::Error::SchemaTooOld { .. }) => Db::open(path, &key),
        other => other,
    }
}
