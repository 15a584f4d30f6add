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

/// The channel every appended event notifies (migration 5, `rightsdesk_events_notify`): the
/// payload is the changed request's id, or '' for an event of no request (settings, the data
/// map). Delivered at COMMIT, never after a rollback; a window that `LISTEN`s to it refreshes.
pub const CHANGES_CHANNEL: &str = "rightsdesk_changes";

#[cfg(test)]
mod tests {
    #[test]
    fn the_change_channel_is_the_one_the_schema_notifies() {
        let sql: String = super::migrations::MIGRATIONS.concat();
        assert!(sql.contains(&format!("pg_notify('{}'", super::CHANGES_CHANNEL)));
    }
}
