//! The one error type of the core. Messages name the field or the entity,
//! never the personal data inside it.

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong, as one closed set the UI and scripts branch on: every
/// [`Error`] has one ([`Error::code`]), and the desktop shell adds its own few
/// (`locked`, `not_chosen`) so that one set crosses IPC. On the wire each is
/// the `snake_case` string shown ([`ErrorCode::as_str`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// `not_found`: the request, task, letter... named does not exist.
    NotFound,
    /// `invalid`: an input is refused; `field` names it.
    Invalid,
    /// `invalid_transition`: a request cannot move to that status from its current one.
    InvalidTransition,
    /// `schema_too_new`: the database was written by a newer Rightsdesk.
    SchemaTooNew,
    /// `schema_too_old`: a reader met a database that needs upgrading first.
    SchemaTooOld,
    /// `open_failed`: the database file could not be opened.
    OpenFailed,
    /// `key_unavailable`: no passphrase and no OS keyring to open the database with.
    KeyUnavailable,
    /// `wrong_key`: the passphrase or key does not open the database.
    WrongKey,
    /// `not_encrypted`: the database is not encrypted yet.
    NotEncrypted,
    /// `in_use`: another process holds the database for writing.
    InUse,
    /// `corrupt`: a stored value does not read as its column's type (table, column and row in the message).
    Corrupt,
    /// `database`: SQLite failed.
    Database,
    /// `io`: a file could not be read or written.
    Io,
    /// `internal`: a fault in Rightsdesk itself.
    Internal,
    /// `locked`: raised by the desktop shell: the database waits for its passphrase.
    Locked,
    /// `not_chosen`: raised by the desktop shell: a path the officer did not pick in the app's file dialog.
    NotChosen,
    /// `conflict`: the request was changed by someone else since it was loaded; nothing was written, reload it.
    Conflict,
}

impl ErrorCode {
    /// Every code, in the order above.
    pub const ALL: [ErrorCode; 17] = [
        ErrorCode::NotFound,
        ErrorCode::Invalid,
        ErrorCode::InvalidTransition,
        ErrorCode::SchemaTooNew,
        ErrorCode::SchemaTooOld,
        ErrorCode::OpenFailed,
        ErrorCode::KeyUnavailable,
        ErrorCode::WrongKey,
        ErrorCode::NotEncrypted,
        ErrorCode::InUse,
        ErrorCode::Corrupt,
        ErrorCode::Database,
        ErrorCode::Io,
        ErrorCode::Internal,
        ErrorCode::Locked,
        ErrorCode::NotChosen,
        ErrorCode::Conflict,
    ];

    /// The code as it crosses IPC and appears in scripts' output.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::NotFound => "not_found",
            ErrorCode::Invalid => "invalid",
            ErrorCode::InvalidTransition => "invalid_transition",
            ErrorCode::SchemaTooNew => "schema_too_new",
            ErrorCode::SchemaTooOld => "schema_too_old",
            ErrorCode::OpenFailed => "open_failed",
            ErrorCode::KeyUnavailable => "key_unavailable",
            ErrorCode::WrongKey => "wrong_key",
            ErrorCode::NotEncrypted => "not_encrypted",
            ErrorCode::InUse => "in_use",
            ErrorCode::Corrupt => "corrupt",
            ErrorCode::Database => "database",
            ErrorCode::Io => "io",
            ErrorCode::Internal => "internal",
            ErrorCode::Locked => "locked",
            ErrorCode::NotChosen => "not_chosen",
            ErrorCode::Conflict => "conflict",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

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

    /// A stored value that does not read as what its column holds (a status no
    /// version wrote, a date that is not one): named by table, column and row
    /// id or number, never by the value, which may be personal data.
    #[error(
        "the database holds an unreadable value in {table}.{column} of row {row}; nothing was changed. \
         Restore the register from a backup, or ask for help repairing that row"
    )]
    Corrupt { table: &'static str, column: &'static str, row: String },

    #[error("database error: {0}")]
    Database(#[source] rusqlite::Error),

    /// PostgreSQL (a team register) refused or failed: its SQLSTATE (empty when the
    /// connection failed) and its message, never its DETAIL, which may quote a row.
    #[error("database error: {message}")]
    Postgres { sqlstate: String, message: String },

    /// A change made on a stale copy: the request's last change (by `by`, at `at`, both as on
    /// its timeline) came after the copy the change was made on was loaded. Nothing was written.
    #[error("changed by {by} at {} — reload", .at.format("%Y-%m-%d %H:%M:%S UTC"))]
    Conflict { by: String, at: chrono::DateTime<chrono::Utc> },

    #[error("file error: {0}")]
    Io(#[from] std::io::Error),

    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    pub fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        Error::Invalid { field, reason: reason.into() }
    }

    /// The closed code the UI and scripts branch on.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::NotFound { .. } => ErrorCode::NotFound,
            Error::Invalid { .. } => ErrorCode::Invalid,
            Error::InvalidTransition { .. } => ErrorCode::InvalidTransition,
            Error::SchemaTooNew { .. } => ErrorCode::SchemaTooNew,
            Error::Open { .. } => ErrorCode::OpenFailed,
            Error::KeyUnavailable { .. } => ErrorCode::KeyUnavailable,
            Error::WrongKey { .. } => ErrorCode::WrongKey,
            Error::NotEncrypted { .. } => ErrorCode::NotEncrypted,
            Error::InUse { .. } => ErrorCode::InUse,
            Error::SchemaTooOld { .. } => ErrorCode::SchemaTooOld,
            Error::Corrupt { .. } => ErrorCode::Corrupt,
            Error::Database(_) => ErrorCode::Database,
            Error::Postgres { .. } => ErrorCode::Database,
            Error::Conflict { .. } => ErrorCode::Conflict,
            Error::Io(_) => ErrorCode::Io,
            Error::Internal(_) => ErrorCode::Internal,
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

/// A value read strictly from a row (the store's `row` helpers, which raise
/// [`Corrupt`]) reaches the caller as [`Error::Corrupt`] even when it failed
/// inside a rusqlite row callback.
impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        match e {
            rusqlite::Error::FromSqlConversionFailure(column, kind, cause) => match cause.downcast::<Corrupt>() {
                Ok(corrupt) => Error::from(*corrupt),
                Err(cause) => Error::Database(rusqlite::Error::FromSqlConversionFailure(column, kind, cause)),
            },
            other => Error::Database(other),
        }
    }
}

/// A stored value that does not read as its column's type: the table, the
/// column and the row's id or number, never the value (it may be personal data).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unreadable value in {table}.{column} of row {row}")]
pub struct Corrupt {
    pub table: &'static str,
    pub column: &'static str,
    /// The row's id or number (never a value from it).
    pub row: String,
}

impl Corrupt {
    pub fn new(table: &'static str, column: &'static str, row: impl std::fmt::Display) -> Self {
        Corrupt { table, column, row: row.to_string() }
    }
}

impl From<Corrupt> for rusqlite::Error {
    fn from(c: Corrupt) -> Self {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(c))
    }
}

impl From<Corrupt> for Error {
    fn from(c: Corrupt) -> Self {
        Error::Corrupt { table: c.table, column: c.column, row: c.row }
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
