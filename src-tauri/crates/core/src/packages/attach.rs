//! The built package as the response letter's attachment: which file, how
//! large, and whether it fits the mail server's limit. The letter goes out
//! through the same path as `rightsdesk letter --attach`
//! ([`crate::letters::send_now`] with an [`Attachment`]); an encrypted
//! package's passphrase never goes into the letter.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::clock::Clock;
use crate::domain::RequestId;
use crate::error::{Error, Result};
use crate::letters::Attachment;
use crate::store::Store;

/// A package of a request found on disk, offered as the response letter's attachment.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BuiltPackage {
    /// The ZIP's file name (`DSR-2025-0001-package.zip`: a reference, never a name).
    pub name: String,
    pub path: String,
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub bytes: u64,
    /// Recorded as AES-256 encrypted when it was built: its passphrase goes by another channel.
    pub encrypted: bool,
    /// The mail settings' attachment limit.
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub limit_bytes: u64,
    /// Whether it fits under that limit (else it is offered disabled, with the reason).
    pub fits: bool,
    /// On a team register: the package is the copy kept in the database under this name
    /// (its manifest SHA-256), read back by [`package_attachment_in`]; `path` is then empty.
    #[serde(skip)]
    #[cfg_attr(feature = "specta", specta(skip))]
    pub kept: Option<String>,
}

/// The package of request `id` to attach: `known` (the file the officer saved it
/// to in this session), else the default `packages/<reference>-package.zip`
/// beside the database. None when neither is a file or none was recorded for
/// the request.
///
/// On a team register the package is the newest one of the request kept in the database
/// (by whichever officer built it; `known` is not needed).
pub fn built_package<'a>(
    store: impl Into<Store<'a>>,
    clock: &dyn Clock,
    id: &RequestId,
    known: Option<&Path>,
) -> Result<Option<BuiltPackage>> {
    let db = match store.into() {
        Store::Sqlite(db) => db,
        store @ Store::Postgres(_) => return kept_package(store, clock, id),
    };
    let request = crate::requests::detail(db, clock, id.as_str())?.request;
    let default = db.path().parent().unwrap_or(Path::new(".")).join("packages").join(super::default_file_name(&request.reference));
    let candidates: Vec<PathBuf> = known.map(Path::to_path_buf).into_iter().chain(std::iter::once(default)).collect();
    let Some(path) = candidates.into_iter().find(|p| p.is_file()) else { return Ok(None) };
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
    // The newest record of a package of this request under that name.
    let encrypted: Option<bool> = db.read(|c| {
        let mut stmt = c.prepare_cached(
            "SELECT encrypted FROM packages WHERE request_id = ?1 AND file_name = ?2 ORDER BY created_at DESC, id DESC LIMIT 1",
        )?;
        let mut rows = stmt.query(rusqlite::params![request.id, name])?;
        Ok(match rows.next()? {
            Some(r) => Some(r.get::<_, i64>(0)? != 0),
            None => None,
        })
    })?;
    let Some(encrypted) = encrypted else { return Ok(None) };
    let bytes = std::fs::metadata(&path).map_err(|e| read_error(&path, e))?.len();
    let limit_bytes = u64::from(crate::settings::mail::load(db)?.unwrap_or_default().max_attachment_bytes);
    Ok(Some(BuiltPackage { name, path: path.display().to_string(), bytes, encrypted, limit_bytes, fits: bytes <= limit_bytes, kept: None }))
}

/// The newest package of request `id` kept in a team register, with the ZIP's size the
/// build recorded (read through the kept copy when its event no longer says it).
fn kept_package(store: Store<'_>, clock: &dyn Clock, id: &RequestId) -> Result<Option<BuiltPackage>> {
    let request = crate::requests::detail(store, clock, id.as_str())?.request;
    let newest = store.read(|c| {
        let Some((package, name, blob, encrypted)) = c.query_opt(
            "SELECT p.id, p.file_name, p.manifest_sha256, p.encrypted FROM packages p WHERE p.request_id = ?1 \
             AND EXISTS (SELECT 1 FROM stored_chunks s WHERE s.blob = p.manifest_sha256 AND s.n = 0) \
             ORDER BY p.created_at DESC, p.id DESC LIMIT 1",
            &[&request.id],
            |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?, r.get::<String>(2)?, r.get::<i64>(3)? != 0)),
        )?
        else {
            return Ok(None);
        };
        let recorded = c.query_map(
            "SELECT data FROM events WHERE request_id = ?1 AND kind = ?2 AND redacted_at IS NULL ORDER BY seq DESC",
            &[&request.id, &crate::domain::EventKind::PackageBuilt.as_str()],
            |r| r.get::<String>(0),
        )?;
        let bytes = recorded
            .iter()
            .filter_map(|d| serde_json::from_str::<serde_json::Value>(d).ok())
            .find_map(|d| (d["package"].as_str() == Some(package.as_str())).then(|| d["kept"]["zip_bytes"].as_u64()).flatten());
        Ok(Some((name, blob, encrypted, bytes)))
    })?;
    let Some((name, blob, encrypted, bytes)) = newest else { return Ok(None) };
    let bytes = match bytes {
        Some(b) => b,
        None => {
            let mut reader = crate::evidence::place::open_package(store, &blob)?.ok_or(Error::NotFound { entity: "package" })?;
            std::io::copy(&mut reader, &mut std::io::sink()).map_err(|e| kept_error(&e))?
        }
    };
    let limit_bytes = u64::from(crate::settings::mail::load(store)?.unwrap_or_default().max_attachment_bytes);
    Ok(Some(BuiltPackage { name, path: String::new(), bytes, encrypted, limit_bytes, fits: bytes <= limit_bytes, kept: Some(blob) }))
}

fn kept_error(e: &std::io::Error) -> Error {
    Error::invalid("package", format!("the package kept in the team register is damaged or was changed ({})", e.kind()))
}

/// The package's ZIP, read from where [`built_package`] found it: the file, or on a team
/// register the copy kept in the database (decrypted a row at a time into `out`). Its size.
pub fn write_package<'a>(store: impl Into<Store<'a>>, package: &BuiltPackage, out: &mut dyn std::io::Write) -> Result<u64> {
    match &package.kept {
        Some(blob) => {
            let mut reader = crate::evidence::place::open_package(store.into(), blob)?.ok_or(Error::NotFound { entity: "package" })?;
            std::io::copy(&mut reader, out).map_err(|e| match e.kind() {
                std::io::ErrorKind::InvalidData => kept_error(&e),
                _ => Error::Io(e),
            })
        }
        None => {
            let mut file = std::fs::File::open(&package.path).map_err(|e| read_error(Path::new(&package.path), e))?;
            Ok(std::io::copy(&mut file, out)?)
        }
    }
}

/// [`package_attachment`] on either store: on a team register the kept copy is read back.
pub fn package_attachment_in<'a>(store: impl Into<Store<'a>>, package: &BuiltPackage) -> Result<Attachment> {
    if package.kept.is_none() {
        return package_attachment(package);
    }
    fits(package)?;
    let mut bytes = Vec::with_capacity(usize::try_from(package.bytes).unwrap_or(0));
    write_package(store, package, &mut bytes)?;
    Ok(Attachment { name: package.name.clone(), content_type: "application/zip".into(), bytes })
}

/// The package as a mail attachment (`application/zip`), refused when it is over the limit.
pub fn package_attachment(package: &BuiltPackage) -> Result<Attachment> {
    fits(package)?;
    let bytes = std::fs::read(&package.path).map_err(|e| read_error(Path::new(&package.path), e))?;
    Ok(Attachment { name: package.name.clone(), content_type: "application/zip".into(), bytes })
}

fn fits(package: &BuiltPackage) -> Result<()> {
    if !package.fits {
        return Err(Error::invalid(
            "attachments",
            format!(
                "the package is {:.1} MB; the limit set for this mail server is {:.1} MB",
                package.bytes as f64 / 1_048_576.0,
                package.limit_bytes as f64 / 1_048_576.0
            ),
        ));
    }
    Ok(())
}

fn read_error(path: &Path, e: std::io::Error) -> Error {
    Error::Io(std::io::Error::new(e.kind(), format!("the package {} could not be read: {e}", path.display())))
}
