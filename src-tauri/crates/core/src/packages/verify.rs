//! Reading a package back: every file in the manifest is present and hashes
//! to what the manifest says, and nothing is in the ZIP that the manifest does
//! not list. Streams each file, so a large package verifies in flat memory.

use std::collections::BTreeSet;
use std::fs::File;
use std::io::Read;
use std::path::Path;

use serde::Serialize;
use sha2::{Digest, Sha256};
use zip::result::ZipError;
use zip::ZipArchive;

use crate::error::{Error, Result};
use crate::packages::writer::Entry;
use crate::packages::{CHECKSUMS, MANIFEST};

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct VerifyReport {
    /// True when every file is present and matches its hash.
    pub ok: bool,
    pub reference: String,
    pub encrypted: bool,
    pub files_checked: u32,
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub bytes_checked: u64,
    /// Each problem found, naming the file.
    pub problems: Vec<String>,
    pub manifest_sha256: String,
    /// Every file the manifest lists, with the SHA-256 recomputed from the ZIP.
    pub files: Vec<CheckedFile>,
}

/// One file of a package as verification found it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CheckedFile {
    pub path: String,
    /// The SHA-256 computed from the bytes in the ZIP (empty when the file is missing).
    pub sha256: String,
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub bytes: u64,
    /// Present and matching the manifest.
    pub ok: bool,
}

#[derive(serde::Deserialize)]
struct Manifest {
    reference: String,
    files: Vec<Entry>,
}

fn open_entry<'a>(zip: &'a mut ZipArchive<File>, name: &str, passphrase: Option<&str>) -> Result<Option<zip::read::ZipFile<'a, File>>> {
    let found = match passphrase {
        Some(p) => zip.by_name_decrypt(name, p.as_bytes()),
        None => zip.by_name(name),
    };
    match found {
        Ok(f) => Ok(Some(f)),
        Err(ZipError::FileNotFound) => Ok(None),
        Err(ZipError::InvalidPassword) => Err(Error::invalid("passphrase", "is not the package's passphrase")),
        Err(ZipError::UnsupportedArchive(m)) if m == ZipError::PASSWORD_REQUIRED => {
            Err(Error::invalid("passphrase", "the package is encrypted; give its passphrase"))
        }
        Err(e) => Err(Error::invalid("file", format!("is not a readable package ({e})"))),
    }
}

pub fn verify(path: &Path, passphrase: Option<&str>) -> Result<VerifyReport> {
    let file =
        File::open(path).map_err(|e| Error::Io(std::io::Error::new(e.kind(), format!("{} could not be opened: {e}", path.display()))))?;
    let mut zip = ZipArchive::new(file).map_err(|e| Error::invalid("file", format!("is not a ZIP file ({e})")))?;
    let encrypted = (0..zip.len()).any(|i| zip.by_index_raw(i).is_ok_and(|f| f.encrypted()));
    let passphrase = if encrypted { passphrase } else { None };
    let mut manifest_bytes = Vec::new();
    open_entry(&mut zip, MANIFEST, passphrase)?
        .ok_or_else(|| Error::invalid("file", "has no manifest.json: it is not a Rightsdesk package"))?
        .read_to_end(&mut manifest_bytes)
        .map_err(|e| Error::invalid("file", format!("its manifest could not be read ({e})")))?;
    let manifest: Manifest =
        serde_json::from_slice(&manifest_bytes).map_err(|_| Error::invalid("file", "its manifest.json is not a Rightsdesk manifest"))?;

    let mut problems = Vec::new();
    let mut checked = Vec::with_capacity(manifest.files.len());
    let mut bytes_checked = 0u64;
    let listed: BTreeSet<&str> = manifest.files.iter().map(|e| e.path.as_str()).collect();
    for entry in &manifest.files {
        let Some(mut f) = open_entry(&mut zip, &entry.path, passphrase)? else {
            problems.push(format!("{} is listed in the manifest but missing", entry.path));
            checked.push(CheckedFile { path: entry.path.clone(), sha256: String::new(), bytes: 0, ok: false });
            continue;
        };
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 64 * 1024];
        let mut n_total = 0u64;
        loop {
            let n = match f.read(&mut buf) {
                Ok(n) => n,
                Err(e) => {
                    problems.push(format!("{} could not be read ({e})", entry.path));
                    break;
                }
            };
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            n_total += n as u64;
        }
        bytes_checked += n_total;
        let sha256 = format!("{:x}", hasher.finalize());
        let ok = sha256 == entry.sha256;
        if !ok {
            problems.push(format!("{} does not match its SHA-256 in the manifest", entry.path));
        }
        checked.push(CheckedFile { path: entry.path.clone(), sha256, bytes: n_total, ok });
    }
    let names: Vec<String> = zip.file_names().map(str::to_string).collect();
    for name in names {
        if name != MANIFEST && name != CHECKSUMS && !name.ends_with('/') && !listed.contains(name.as_str()) {
            problems.push(format!("{name} is in the package but not in the manifest"));
        }
    }
    Ok(VerifyReport {
        ok: problems.is_empty(),
        reference: manifest.reference,
        encrypted,
        files_checked: u32::try_from(manifest.files.len()).unwrap_or(u32::MAX),
        bytes_checked,
        problems,
        manifest_sha256: format!("{:x}", Sha256::digest(&manifest_bytes)),
        files: checked,
    })
}
