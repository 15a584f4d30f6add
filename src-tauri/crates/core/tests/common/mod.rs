//! What the core's tests share: a register in a real (encrypted) SQLite file,
//! and the "Ada Example" request.
//!
//! Each test file declares `mod common;` and uses a subset of these helpers.
#![allow(dead_code)] // each test binary uses a subset; the rest would warn in it

use std::path::Path;

use rightsdesk_core::domain::{NewRequest, RequestType};
use rightsdesk_core::store::{Db, DbKey};

/// The passphrase of the registers the tests create.
pub const PASSPHRASE: &str = "test passphrase";

/// A new register, `r.sqlite3` in `dir`, encrypted with [`PASSPHRASE`].
pub fn register_in(dir: &Path) -> Db {
    Db::open(&dir.join("r.sqlite3"), &DbKey::passphrase(PASSPHRASE).unwrap()).unwrap()
}

/// Ada Example's access request under the EU GDPR in Germany (ada@example.org),
/// received on `received` (YYYY-MM-DD).
pub fn ada(received: &str) -> NewRequest {
    NewRequest {
        request_type: RequestType::Access,
        regime: "eu-gdpr".into(),
        jurisdiction: "DE".into(),
        subject_name: "Ada Example".into(),
        subject_email: "ada@example.org".into(),
        received: received.into(),
        ..Default::default()
    }
}

/// `name`'s access request under the EU GDPR in Germany (the name, lower-cased
/// and dotted, at example.org), received on `received` (YYYY-MM-DD).
pub fn gdpr_access(name: &str, received: &str) -> NewRequest {
    NewRequest {
        request_type: RequestType::Access,
        regime: "eu-gdpr".into(),
        jurisdiction: "DE".into(),
        subject_name: name.into(),
        subject_email: format!("{}@example.org", name.to_lowercase().replace(' ', ".")),
        received: received.into(),
        ..Default::default()
    }
}

/// Ada Example's request of `request_type` under `regime` in `jurisdiction`
/// (ada@example.net), received on 2 November 2026 in UTC: the letter tests' Ada.
pub fn ada_under(request_type: &str, regime: &str, jurisdiction: &str) -> NewRequest {
    NewRequest {
        request_type: request_type.parse().unwrap(),
        regime: regime.into(),
        jurisdiction: jurisdiction.into(),
        subject_name: "Ada Example".into(),
        subject_email: "ada@example.net".into(),
        received: "2026-11-02".into(),
        time_zone: "UTC".into(),
        ..Default::default()
    }
}
