//! The store: one SQLite file, opened in exactly one place ([`Db::open`]).
//!
//! One writer connection behind a mutex, WAL, `foreign_keys=ON`, STRICT
//! tables, migrations applied atomically. Every write goes through
//! [`Db::write`], an IMMEDIATE transaction, so a change and its timeline event
//! commit together or not at all.

pub mod db;
pub mod events;
pub mod interface;
pub mod key;
pub mod lock;
mod migrations;
pub mod pg;
pub mod row;
pub mod version;

pub use db::{Db, PageHmac};
pub use interface::{Conn, Dialect, PgDb, PgTx, Row, Store, ToValue, SESSIONS};
pub use key::DbKey;
pub use migrations::SCHEMA_VERSION;

use std::path::Path;

use crate::error::Result;
use crate::secrets::SecretStore;

/// Opens the database at `path` with its key from `RIGHTSDESK_PASSPHRASE` or
/// the OS keyring (a new database gets a new random key there). With neither,
/// refuses to create or open anything and says how to provide a key.
///
/// When that key does not open the database, the keyring's pending entry is
/// tried: a key change killed after its re-encryption left the new key there
/// ([`key::change`]); it is then promoted to the main entry. A pending entry
/// left while the main key still opens the database is from a key change that
/// never committed (or was already promoted), and is removed.
pub fn unlock(path: &Path, secrets: &dyn SecretStore) -> Result<Db> {
    let (db, source) = open_with_fallback(path, secrets, |key| Db::open(path, key))?;
    match source {
        key::KeySource::Keyring => {
            // A pending key of a key change that did finish; none is the usual case.
            let _ = secrets.delete(&key::pending_keyring_name(path));
        }
        key::KeySource::PendingKeyring => {
            if let Some(k) = db.key() {
                key::promote(path, &k, secrets);
            }
        }
        key::KeySource::Environment | key::KeySource::NewInKeyring => {}
    }
    Ok(db)
}

/// Opens the database at `path` for reading only, without the writer lock:
/// what the CLI's reading commands use, so they work while the app is open.
/// A database that does not exist is refused ([`require_existing`]): a typo in
/// `--db` never creates one. One whose schema is older than this version's is
/// upgraded as [`unlock`] does (under the lock). Falls back to the keyring's
/// pending key as [`unlock`] does, but leaves the keyring as it is (without the
/// writer lock a key change may be under way).
pub fn unlock_read_only(path: &Path, secrets: &dyn SecretStore) -> Result<Db> {
    require_existing(path)?;
    let (db, _) = open_with_fallback(path, secrets, |key| match Db::open_read_only(path, key) {
        Err(crate::Error::SchemaTooOld { .. }) => Db::open(path, key),
        other => other,
    })?;
    Ok(db)
}

/// Opens with the key [`key::resolve`] finds; if it does not open an existing
/// database (a wrong key, or the keyring has no main entry), with the
/// keyring's pending key. The first failure is what the caller hears when the
/// pending key does not open it either.
fn open_with_fallback(path: &Path, secrets: &dyn SecretStore, open: impl Fn(&DbKey) -> Result<Db>) -> Result<(Db, key::KeySource)> {
    let failure = match key::resolve(path, secrets) {
        Ok((key, source)) => match open(&key) {
            Ok(db) => return Ok((db, source)),
            Err(e @ crate::Error::WrongKey { .. }) => e,
            Err(e) => return Err(e),
        },
        Err(e @ crate::Error::KeyUnavailable { .. }) if path.is_file() => e,
        Err(e) => return Err(e),
    };
    let Some(pending) = key::pending(path, secrets) else { return Err(failure) };
    match open(&pending) {
        Ok(db) => Ok((db, key::KeySource::PendingKeyring)),
        Err(crate::Error::WrongKey { .. }) => Err(failure),
        Err(e) => Err(e),
    }
}

/// Refuses a path where no database is, before anything (a file, a `-wal`, a
/// lock file, a folder, a keyring entry) is created: what every command that
/// is not meant to start a new register checks first.
pub fn require_existing(path: &Path) -> Result<()> {
    if path.is_file() {
        return Ok(());
    }
    Err(crate::Error::invalid("db", format!("no database at {}; check --db or RIGHTSDESK_DB (nothing was created)", path.display())))
}
