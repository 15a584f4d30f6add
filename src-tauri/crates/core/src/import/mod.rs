//! Bulk import of requests from CSV (web-form exports, other trackers).
//!
//! Read ([`decode`]: UTF-8 with or without BOM, else Windows-1252, or as chosen; [`sniff`]:
//! comma, semicolon or tab), map the columns to request fields ([`mapping`]),
//! check every row as the form would ([`rows`]: `requests::validate_new_request`,
//! plus duplicates within the file and against the register), then commit all
//! rows in one transaction or none ([`commit`]). A row's error names its line
//! and field, never the value.

mod commit;
mod decode;
mod mapping;
mod register;
mod rows;
mod sniff;
mod triggers;

pub use commit::{commit, ImportReport};
pub use mapping::{from_headers as auto_mapping, ImportField};
pub use rows::{headers, preview, ImportPreview, ImportedRow, RowOutcome, RowReport};

use serde::{Deserialize, Serialize};

/// How to read a file. Empty means "detect / use the file's own column".
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportOptions {
    /// One entry per column of the file, in order: the field it fills, or none to ignore it.
    /// `None` maps the columns from their headers.
    pub mapping: Option<Vec<Option<ImportField>>>,
    /// The regime for rows without one (web forms rarely say), e.g. `eu-gdpr`.
    pub default_regime: String,
    /// The channel for rows without one, e.g. `web-form`.
    pub default_channel: String,
    /// Leave out rows already in the register (or repeated in the file) instead of refusing the file.
    pub skip_duplicates: bool,
    /// The file's encoding as the officer chose it (`utf-8`, `windows-1252`, …); `None` or empty: detect.
    #[serde(default)]
    pub encoding: Option<String>,
}
