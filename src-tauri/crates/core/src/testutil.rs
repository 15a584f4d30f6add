//! Fixtures for the core's unit tests: an encrypted database file and the usual request.

/// A fresh encrypted database file for tests.
pub(crate) fn test_db(path: &std::path::Path) -> crate::store::Db {
    crate::store::Db::open(path, &crate::store::DbKey::passphrase(TEST_PASSPHRASE).expect("passphrase")).expect("open test database")
}

/// Ada's access request under EU GDPR, received 2026-11-20: the work tests' usual request.
pub(crate) fn ada_access_request() -> crate::domain::NewRequest {
    crate::domain::NewRequest {
        request_type: crate::domain::RequestType::Access,
        regime: "eu-gdpr".into(),
        jurisdiction: "DE".into(),
        subject_name: "Ada Example".into(),
        subject_email: "ada@example.org".into(),
        received: "2026-11-20".into(),
        ..Default::default()
    }
}

pub(crate) const TEST_PASSPHRASE: &str = "work test passphrase";
