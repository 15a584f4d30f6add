//! The team register on PostgreSQL (issue 18), first part: the address and the password
//! ([`url`]), connecting over TLS that verifies the server ([`connect`]), the schema
//! translated from SQLite's and versioned like it ([`migrations`]), and the people and
//! roles the server enforces ([`team`]). The services run on it through the store
//! interface (`store::interface`); `docs/design/team-register.md` says what they can
//! rely on.

pub mod connect;
pub mod migrate;
pub mod migrations;
pub mod team;
pub mod url;

pub use connect::{connect, open};
pub use migrations::SCHEMA_VERSION;
pub use team::TeamRole;
pub use url::{is_postgres_url, PgUrl};
