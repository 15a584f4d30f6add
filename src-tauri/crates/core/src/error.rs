//! The one error type of the core. Messages name the field or the entity,
//! never the personal data inside it.

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{entity} not found")]
    NotFound { entity: &'static str },

    #[error("{field}: {reason}")]
    Invalid { field: &'static str, reason: String },

    #[error("a request cannot go from {from} to {to}")]
    InvalidTransition { from: &'static str, to: &'static str },

    #[error(
        "this database was written by a newer Rightsdesk (schema version {found}, this version understands up to {supported}); \
         install the newer Rightsdesk or open another database"
    )]
    SchemaTooNew { found: usize, supported: usize },

    #[error("the database could not be opened at {path}: {reason}")]
    Open { path: String, reason: String },

    #[error(
        "no key to open the encrypted database: {reason}. Set RIGHTSDESK_PASSPHRASE to the database's passphrase \
         (at least 8 characters), or run where the OS keyring is available"
    )]
    KeyUnavailable { reason: String },

    #[error("the database at {path} could not be unlocked: the passphrase or key is wrong, or the file is not a Rightsdesk database (nothing was changed)")]
    WrongKey { path: String },

    #[error(
        "the database at {path} is not encrypted; encrypt it first with `rightsdesk encrypt` \
         (a guided, atomic step that keeps every request)"
    )]
    NotEncrypted { path: String },

    #[error(
        "the database at {path} is in use by {holder}; close it there and try again \
         (reading commands such as list, show, export and backup still work while it is open)"
    )]
    InUse { path: String, holder: String },

    #[error("the database at {path} needs upgrading to this version's schema, which a reader cannot do; open it for writing once")]
    SchemaTooOld { path: String },

    #[error("database error: {0}")]
    Database(#[from] rusqlite::Error),

    #[error("file error: {0}")]
    Io(#[from] std::io::Error),

    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    pub fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        Error::Invalid { field, reason: reason.into() }
    }

    /// A closed code the UI and scripts can branch on.
    pub fn code(&self) -> &'static str {
        match self {
            Error::NotFound { .. } => "not_found",
            Error::Invalid { .. } => "invalid",
            Error::InvalidTransition { .. } => "invalid_transition",
            Error::SchemaTooNew { .. } => "schema_too_new",
            Error::Open { .. } => "open_failed",
            Error::KeyUnavailable { .. } => "key_unavailable",
            Error::WrongKey { .. } => "wrong_key",
            Error::NotEncrypted { .. } => "not_encrypted",
            Error::InUse { .. } => "in_use",
            Error::SchemaTooOld { .. } => "schema_too_old",
            Error::Database(_) => "database",
            Error::Io(_) => "io",
            Error::Internal(_) => "internal",
        }
    }

    /// The field the error is about, when there is one.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Error::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }
}

impl From<rusqlite_migration::Error> for Error {
    fn from(e: rusqlite_migration::Error) -> Self {
        match e {
            rusqlite_migration::Error::RusqliteError { err, .. } => Error::Database(err),
            other => Error::Internal(format!("migration failed: {other}")),
        }
    }
}

pub(crate) fn json_err(e: serde_json::Error) -> crate::Error {
    crate::Error::Internal(e.to_string())
}
