//! The work behind each answer: the organisation's data map ([`datamap`]), the
//! task list of each request generated from it ([`tasks`]), identity
//! verification ([`identity`]), evidence files ([`evidence`]), and the checks
//! and export of the hash-chained audit trail ([`audit`]).
//!
//! Each service takes `&Db` and `&dyn Clock` and writes its change with its
//! timeline event in one transaction, as the request services do.

pub mod audit;
pub mod datamap;
pub mod datamap_io;
pub mod duplicates;
pub mod evidence;
mod files;
pub use files::write_atomically as write_file;
pub use files::write_atomically_as as write_file_as;
pub mod identity;
pub mod purge;
mod sealed;
pub mod starter;
pub mod tasks;

/// Trims a free-text field and refuses one longer than `max` characters.
pub(crate) fn text(field: &'static str, value: &str, max: usize) -> crate::Result<String> {
    let value = value.trim();
    if value.chars().count() > max {
        return Err(crate::Error::invalid(field, format!("is longer than {max} characters")));
    }
    if value.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(crate::Error::invalid(field, "contains control characters"));
    }
    Ok(value.to_string())
}

pub(crate) fn json_err(e: serde_json::Error) -> crate::Error {
    crate::Error::Internal(e.to_string())
}

/// A fresh encrypted database file for tests.
#[cfg(test)]
pub(crate) fn test_db(path: &std::path::Path) -> crate::store::Db {
    crate::store::Db::open(path, &crate::store::DbKey::passphrase(TEST_PASSPHRASE).expect("passphrase")).expect("open test database")
}

/// Ada's access request under EU GDPR, received 2026-11-20: the work tests' usual request.
#[cfg(test)]
pub(crate) fn ada_access_request() -> crate::domain::NewRequest {
    crate::domain::NewRequest {
        request_type: "access".into(),
        regime: "eu-gdpr".into(),
        jurisdiction: "DE".into(),
        subject_name: "Ada Example".into(),
        subject_email: "ada@example.org".into(),
        received: "2026-11-20".into(),
        ..Default::default()
    }
}

#[cfg(test)]
pub(crate) const TEST_PASSPHRASE: &str = "work test passphrase";
