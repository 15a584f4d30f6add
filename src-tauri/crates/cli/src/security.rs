//! `rightsdesk encrypt` and `rightsdesk key change`: the database key's life cycle.

use std::path::Path;

use rightsdesk_core::secrets::{OsKeyring, SecretStore};
use rightsdesk_core::store::db::encrypt_plaintext;
use rightsdesk_core::store::key::{self, keyring_name, PASSPHRASE_ENV};
use rightsdesk_core::store::{unlock, DbKey};
use rightsdesk_core::{Error, Result};
use serde_json::json;

use crate::output::Output;

/// A key from the given passphrase, or a new random one stored in the keyring.
fn new_key(path: &Path, passphrase: Option<String>, keyring: &OsKeyring) -> Result<(DbKey, &'static str)> {
    if let Some(p) = passphrase.filter(|p| !p.is_empty()) {
        return Ok((DbKey::passphrase(&p)?, "passphrase"));
    }
    let key = DbKey::random()?;
    let DbKey::Raw(hex) = &key else { return Err(Error::Internal("random key".into())) };
    keyring.set(&keyring_name(path), hex).map_err(|e| Error::KeyUnavailable { reason: e.to_string() })?;
    Ok((key, "OS keyring"))
}

pub fn encrypt(path: &Path, out: &Output) -> Result<()> {
    let keyring = OsKeyring::default();
    let (key, kind) = new_key(path, std::env::var(PASSPHRASE_ENV).ok(), &keyring)?;
    encrypt_plaintext(path, &key)?;
    out.message(&format!("encrypted {} (key: {kind})", path.display()), &json!({ "encrypted": path.display().to_string(), "key": kind }))
}

pub fn change_key(path: &Path, new_passphrase_env: Option<&str>, out: &Output) -> Result<()> {
    let keyring = OsKeyring::default();
    let db = unlock(path, &keyring)?;
    let passphrase = match new_passphrase_env {
        Some(var) => Some(std::env::var(var).map_err(|_| Error::invalid("new-passphrase-env", format!("the variable {var} is not set")))?),
        None => None,
    };
    let new = match passphrase.filter(|p| !p.is_empty()) {
        Some(p) => Some(DbKey::passphrase(&p)?),
        None => None,
    };
    let kind = if new.is_some() { "passphrase" } else { "OS keyring" };
    // The new random key waits in the keyring's pending entry until the re-encryption is on disk (store::key::change).
    key::change(&db, new, &keyring)?;
    out.message(&format!("the database key was changed (now: {kind})"), &json!({ "key": kind }))
}
