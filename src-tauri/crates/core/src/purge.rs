//! What a feature that holds a request's personal data implements so that the
//! retention purge (`retention`) can preview and remove it: the [`Purger`]
//! trait, the scope it is given and what it returns. The registry of purgers
//! lives in `retention::purgers`; each feature's purger lives with the feature.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::error::Result;
use crate::store::Conn;

/// Which requests are being purged, and where their files live.
pub struct PurgeScope<'a> {
    pub request_ids: &'a [String],
    /// The database's directory (evidence lives under `evidence/` there); empty on a
    /// team register, whose stored files are rows of `stored_chunks`.
    pub data_dir: &'a Path,
    pub now: DateTime<Utc>,
}

/// What one purger removed.
#[derive(Debug, Default)]
pub struct Purged {
    pub items: u64,
    /// Files to delete after the transaction commits.
    pub files_after_commit: Vec<PathBuf>,
}

pub trait Purger: Sync {
    /// A stable name for the audit event's counts.
    fn name(&self) -> &'static str;
    /// What it removes, in the officer's words.
    fn what(&self) -> &'static str;
    /// How many items the purge of `scope` would remove (the preview).
    fn count(&self, conn: Conn<'_>, scope: &PurgeScope<'_>) -> Result<u64>;
    /// Removes or redacts them, inside the purge's transaction.
    fn purge(&self, conn: Conn<'_>, scope: &PurgeScope<'_>) -> Result<Purged>;
}

/// The text that replaces a removed value.
pub const REMOVED: &str = "(removed under the retention policy)";
