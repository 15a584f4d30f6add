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
use crate::store::Db;

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
}

/// The package of request `id` to attach: `known` (the file the officer saved it
/// to in this session), else the default `packages/<reference>-package.zip`
/// beside the database. None when neither is a file or none was recorded for
/// the request.
pub fn built_package(db: &Db, clock: &dyn Clock, id: &RequestId, known: Option<&Path>) -> Result<Option<BuiltPackage>> {
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
    Ok(Some(BuiltPackage { name, path: path.display().to_string(), bytes, encrypted, limit_bytes, fits: bytes <= limit_bytes }))
}

/// The package as a mail attachment (`application/zip`), refused when it is over the limit.
pub fn package_attachment(package: &BuiltPackage) -> Result<Attachment> {
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
    let bytes = std::fs::read(&package.path).map_err(|e| read_error(Path::new(&package.path), e))?;
    Ok(Attachment { name: package.name.clone(), content_type: "application/zip".into(), bytes })
}

fn read_error(path: &Path, e: std::io::Error) -> Error {
    Error::Io(std::io::Error::new(e.kind(), format!("the package {} could not be read: {e}", path.display())))
}
