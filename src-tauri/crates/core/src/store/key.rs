//! The database key. The database is SQLCipher-encrypted; its key is either a
//! random 256-bit key kept in the OS keyring, or derived by SQLCipher's own KDF
//! (PBKDF2-HMAC-SHA512, 256,000 iterations) from a passphrase the officer types
//! — or, for scripts, cron and tests, from `RIGHTSDESK_PASSPHRASE`.

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
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        Ok(DbKey::Raw(Zeroizing::new(hex)))
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
        Ok(None) => Err(no_key(
            "the OS keyring holds no key for this database (it may be protected by a passphrase)".into(),
        )),
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

    #[test]
    fn the_key_never_shows_in_debug_output() {
        let key = DbKey::passphrase("correct horse battery").unwrap();
        assert!(!format!("{key:?}").contains("horse"));
    }
}
