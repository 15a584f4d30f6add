//! The database key. The database is SQLCipher-encrypted; its key is either a
//! random 256-bit key kept in the OS keyring, or derived by SQLCipher's own KDF
//! (PBKDF2-HMAC-SHA512, 256,000 iterations) from a passphrase the officer types
//! — or, for scripts, cron and tests, from `RIGHTSDESK_PASSPHRASE`.
//!
//! A change to a new random key ([`change`]) never leaves the database without
//! a key that opens it: the new key waits in a second keyring entry (the
//! "pending" one) until the re-encryption has committed and been synced, and
//! only then replaces the main entry; [`super::unlock`] tries the pending key
//! when the main one does not open the database, and promotes it.

use std::path::Path;

use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::secrets::{SecretError, SecretStore};

pub const PASSPHRASE_ENV: &str = "RIGHTSDESK_PASSPHRASE";

/// How the database is unlocked. The secret is wiped from memory when dropped.
#[derive(Clone)]
pub enum DbKey {
    Passphrase(Zeroizing<String>),
    /// 32 random bytes, hex-encoded (64 characters).
    Raw(Zeroizing<String>),
}

impl std::fmt::Debug for DbKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            DbKey::Passphrase(_) => "DbKey::Passphrase(<hidden>)",
            DbKey::Raw(_) => "DbKey::Raw(<hidden>)",
        })
    }
}

/// Where the key came from, to tell the officer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeySource {
    Environment,
    Keyring,
    NewInKeyring,
    /// The keyring's pending entry: a key change was interrupted after its re-encryption.
    PendingKeyring,
}

impl DbKey {
    pub fn passphrase(p: &str) -> Result<DbKey> {
        if p.chars().count() < 8 {
            return Err(Error::invalid("passphrase", "must be at least 8 characters"));
        }
        Ok(DbKey::Passphrase(Zeroizing::new(p.to_string())))
    }

    /// A fresh random key.
    pub fn random() -> Result<DbKey> {
        let mut bytes = Zeroizing::new([0u8; 32]);
        getrandom::fill(bytes.as_mut()).map_err(|e| Error::Internal(format!("no randomness: {e}")))?;
        Ok(DbKey::Raw(Zeroizing::new(hex::encode(bytes.as_ref()))))
    }

    /// The secret itself (passphrase, or the raw key's hex), e.g. to derive a backup key from.
    pub(crate) fn secret(&self) -> &str {
        match self {
            DbKey::Passphrase(p) | DbKey::Raw(p) => p.as_str(),
        }
    }

    /// The value for `PRAGMA key` / `PRAGMA rekey`, quoted for SQL.
    pub(crate) fn pragma_value(&self) -> Zeroizing<String> {
        match self {
            DbKey::Passphrase(p) => Zeroizing::new(format!("'{}'", p.replace('\'', "''"))),
            DbKey::Raw(hex) => Zeroizing::new(format!("\"x'{}'\"", hex.as_str())),
        }
    }

    fn raw_from_keyring(hex: String) -> Result<DbKey> {
        let hex = Zeroizing::new(hex);
        if hex.len() != 64 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(Error::Internal("the key in the OS keyring is malformed".into()));
        }
        Ok(DbKey::Raw(hex))
    }
}

/// The keyring entry name of the key for the database at `path`.
pub fn keyring_name(path: &Path) -> String {
    let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    format!("database-key:{}", path.display())
}

/// The keyring entry name of a new key for the database at `path` while a key
/// change is under way (see [`change`]).
pub fn pending_keyring_name(path: &Path) -> String {
    let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    format!("database-key-pending:{}", path.display())
}

/// The key in the pending entry, if there is a well-formed one and the keyring answers.
pub(crate) fn pending(path: &Path, secrets: &dyn SecretStore) -> Option<DbKey> {
    let hex = secrets.get(&pending_keyring_name(path)).ok()??;
    DbKey::raw_from_keyring(hex).ok()
}

/// Makes `key` (which opened the database) the main entry, then removes the
/// pending one — only once the main entry reads back as `key`, so a failure
/// here leaves the pending entry for the next start. Best effort: the database
/// is open either way.
pub(crate) fn promote(path: &Path, key: &DbKey, secrets: &dyn SecretStore) {
    let DbKey::Raw(hex) = key else { return };
    let main = keyring_name(path);
    if secrets.set(&main, hex).is_err() {
        return;
    }
    if secrets.get(&main).ok().flatten().as_deref() != Some(hex.as_str()) {
        return;
    }
    crate::crash_point::hit("key.promoted");
    if secrets.delete(&pending_keyring_name(path)).is_err() {
        // The key in use is safe; a stale pending entry is removed at the next opening (store::unlock).
        tracing::warn!("the pending database key could not be removed from the OS keyring");
    }
}

/// Changes the key of the open database `db` (opened with [`super::unlock`],
/// so no other writer is at work) to the passphrase `new`, or with `None` to a
/// new random key kept in the OS keyring. Killed at any step, one key the
/// officer has still opens the database:
///
/// 1. the new random key goes into the keyring's pending entry (the main one
///    still holds the key that opens the database);
/// 2. the database is re-encrypted in one transaction (SQLCipher's `PRAGMA
///    rekey` rewrites every page in a single write transaction, all of it or
///    none of it), then checkpointed and synced to disk;
/// 3. the main entry gets the new key, and the pending entry is removed.
///
/// Until 3, the main entry opens the database if the transaction did not
/// commit, and the pending entry if it did. With a passphrase there is nothing
/// to keep in the keyring: the old entries are removed after step 2 (killed
/// before that, the old key opens it; after, the new passphrase does).
pub fn change(db: &super::Db, new: Option<DbKey>, secrets: &dyn SecretStore) -> Result<()> {
    let path = db.path().to_path_buf();
    crate::crash_point::hit("key.begun");
    let key = match new {
        Some(key) => key,
        None => {
            let key = DbKey::random()?;
            let DbKey::Raw(hex) = &key else { return Err(Error::Internal("random key".into())) };
            secrets.set(&pending_keyring_name(&path), hex).map_err(|e| Error::KeyUnavailable { reason: e.to_string() })?;
            crate::crash_point::hit("key.stored");
            key
        }
    };
    db.rekey(&key)?;
    sync(db)?;
    crate::crash_point::hit("key.synced");
    match &key {
        DbKey::Raw(_) => {
            promote(&path, &key, secrets);
            if pending(&path, secrets).is_some() {
                return Err(Error::KeyUnavailable {
                    reason: "the database was re-encrypted, but its new key could not be moved to the main keyring \
                             entry; it stays in the pending entry and the next start moves it"
                        .into(),
                });
            }
        }
        DbKey::Passphrase(_) => {
            // The old random key is useless now; remove it so the keyring does not claim this database.
            if secrets.delete(&keyring_name(&path)).and(secrets.delete(&pending_keyring_name(&path))).is_err() {
                tracing::warn!("a superseded database key could not be removed from the OS keyring");
            }
        }
    }
    Ok(())
}

/// Makes the committed re-encryption durable before the keyring is told of
/// it: the WAL is copied into the database file, then the file, what is left of
/// the WAL and the folder are synced (a commit in WAL mode with
/// `synchronous=NORMAL` is not synced by itself).
fn sync(db: &super::Db) -> Result<()> {
    db.with_connection(|c| Ok(c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?))?;
    let path = db.path();
    std::fs::File::open(path)?.sync_all()?;
    let wal = std::path::PathBuf::from(format!("{}-wal", path.display()));
    if let Ok(f) = std::fs::File::open(&wal) {
        f.sync_all()?;
    }
    crate::files::atomic::sync_dir(&crate::files::atomic::parent_of(path));
    Ok(())
}

/// Finds the key for the database at `path`: `RIGHTSDESK_PASSPHRASE` first, then
/// the OS keyring. A database that does not exist yet gets a new random key in
/// the keyring. With neither, it refuses, saying how to provide one.
pub fn resolve(path: &Path, secrets: &dyn SecretStore) -> Result<(DbKey, KeySource)> {
    let from_env = std::env::var(PASSPHRASE_ENV).ok().map(Zeroizing::new);
    resolve_with(path, from_env.as_deref().map(String::as_str), secrets)
}

/// [`resolve`] with the passphrase given instead of read from the environment.
pub fn resolve_with(path: &Path, passphrase: Option<&str>, secrets: &dyn SecretStore) -> Result<(DbKey, KeySource)> {
    if let Some(p) = passphrase.filter(|p| !p.is_empty()) {
        return Ok((DbKey::passphrase(p)?, KeySource::Environment));
    }
    let name = keyring_name(path);
    let no_key = |why: String| Error::KeyUnavailable { reason: why };
    match secrets.get(&name) {
        Ok(Some(hex)) => Ok((DbKey::raw_from_keyring(hex)?, KeySource::Keyring)),
        Ok(None) if !path.exists() => {
            let key = DbKey::random()?;
            let DbKey::Raw(hex) = &key else { return Err(Error::Internal("random key".into())) };
            secrets.set(&name, hex).map_err(|e| no_key(e.to_string()))?;
            Ok((key, KeySource::NewInKeyring))
        }
        Ok(None) => Err(no_key("the OS keyring holds no key for this database (it may be protected by a passphrase)".into())),
        Err(SecretError::Unavailable(why)) | Err(SecretError::Failed(why)) => Err(no_key(why)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::{MemorySecrets, NoKeyring};

    #[test]
    fn a_new_database_gets_a_random_key_kept_in_the_keyring() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.sqlite3");
        let secrets = MemorySecrets::default();
        let (_, source) = resolve_with(&path, None, &secrets).unwrap();
        assert_eq!(source, KeySource::NewInKeyring);
        assert_eq!(secrets.get(&keyring_name(&path)).unwrap().unwrap().len(), 64);
    }

    #[test]
    fn without_keyring_or_passphrase_it_refuses_and_says_how() {
        let dir = tempfile::tempdir().unwrap();
        let err = resolve_with(&dir.path().join("r.sqlite3"), None, &NoKeyring).unwrap_err();
        assert!(err.to_string().contains(PASSPHRASE_ENV), "{err}");
    }

    #[test]
    fn a_short_passphrase_is_refused() {
        assert_eq!(DbKey::passphrase("short").unwrap_err().field(), Some("passphrase"));
    }

    /// The keyring as a key change killed at each of its steps leaves it: the next
    /// writer opens the database and leaves one entry, the key that opens it.
    #[test]
    fn unlock_recovers_from_a_key_change_killed_at_any_step() {
        use crate::store::{unlock, unlock_read_only, Db};
        let raw = |s: &MemorySecrets, name: &str| s.get(name).unwrap();
        // (pending entry written, rekey committed, main entry promoted, main entry present at all)
        for (stored, rekeyed, promoted, had_main) in [
            (true, false, false, true),
            (true, true, false, true),
            (true, true, true, true),
            (true, true, false, false),
            (false, false, false, true),
        ] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("r.sqlite3");
            let secrets = MemorySecrets::default();
            let old = DbKey::random().unwrap();
            drop(Db::open(&path, &old).unwrap());
            let (main, pending) = (keyring_name(&path), pending_keyring_name(&path));
            if had_main {
                secrets.set(&main, old.secret()).unwrap();
            }
            let new = DbKey::random().unwrap();
            if stored {
                secrets.set(&pending, new.secret()).unwrap();
            }
            if rekeyed {
                let db = Db::open(&path, &old).unwrap();
                db.rekey(&new).unwrap();
            }
            if promoted {
                secrets.set(&main, new.secret()).unwrap();
            }
            let opens = if rekeyed { &new } else { &old };
            let case = format!("stored={stored} rekeyed={rekeyed} promoted={promoted} main={had_main}");
            // A reader opens it and leaves the keyring alone (a key change may be under way).
            drop(unlock_read_only(&path, &secrets).unwrap_or_else(|e| panic!("{case}: {e}")));
            assert_eq!(raw(&secrets, &pending).is_some(), stored, "{case}");
            drop(unlock(&path, &secrets).unwrap_or_else(|e| panic!("{case}: {e}")));
            assert_eq!(raw(&secrets, &main).as_deref(), Some(opens.secret()), "{case}");
            assert_eq!(raw(&secrets, &pending), None, "{case}");
        }
    }

    #[test]
    fn a_pending_key_that_does_not_open_the_database_does_not_hide_the_first_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.sqlite3");
        drop(crate::store::Db::open(&path, &DbKey::random().unwrap()).unwrap());
        let secrets = MemorySecrets::default();
        secrets.set(&pending_keyring_name(&path), DbKey::random().unwrap().secret()).unwrap();
        let err = crate::store::unlock(&path, &secrets).unwrap_err();
        assert!(matches!(err, Error::KeyUnavailable { .. }), "{err}");
        assert!(secrets.get(&pending_keyring_name(&path)).unwrap().is_some(), "a failed open removed the pending key");
    }

    #[test]
    fn a_key_change_ends_with_the_new_key_in_the_main_entry_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.sqlite3");
        let secrets = MemorySecrets::default();
        let db = crate::store::unlock(&path, &secrets).unwrap();
        let old = secrets.get(&keyring_name(&path)).unwrap().unwrap();
        change(&db, None, &secrets).unwrap();
        drop(db);
        let new = secrets.get(&keyring_name(&path)).unwrap().unwrap();
        assert_ne!(new, old);
        assert_eq!(secrets.get(&pending_keyring_name(&path)).unwrap(), None);
        assert!(crate::store::Db::open(&path, &DbKey::Raw(Zeroizing::new(old))).is_err());
        let db = crate::store::unlock(&path, &secrets).unwrap();
        change(&db, Some(DbKey::passphrase("a new passphrase").unwrap()), &secrets).unwrap();
        assert_eq!(secrets.get(&keyring_name(&path)).unwrap(), None, "the useless random key stays in the keyring");
    }

    #[test]
    fn the_key_never_shows_in_debug_output() {
        let key = DbKey::passphrase("correct horse battery").unwrap();
        assert!(!format!("{key:?}").contains("horse"));
    }
}
