//! Migrations are history: numbered, applied atomically, never edited once shipped.

use rusqlite::Connection;
use rusqlite_migration::{Migrations, M};

use crate::error::{Error, Result};

const MIGRATIONS: &[&str] = &[
    // 1: requests, their timeline, settings.
    include_str!("migrations/0001_requests.sql"),
    // 2: clock events and schedule history (deadline engine).
    include_str!("migrations/0002_clock_events.sql"),
    // 3: data map, tasks, identity verification, evidence.
    include_str!("migrations/0003_work.sql"),
    // 4: mail settings, letters, outbox, reminders.
    include_str!("migrations/0004_mail.sql"),
    // 5: packages, imports.
    include_str!("migrations/0005_packages.sql"),
    // 6: retention purge marks, one-time redaction of timeline events.
    include_str!("migrations/0006_security.sql"),
    // 7: the officer's workspace: saved filters.
    include_str!("migrations/0007_workspace.sql"),
    // 8: indexes for the list, detail and dashboard at 100,000 requests (issue 8).
    include_str!("migrations/0008_indexes.sql"),
    // 9: the list's search as an FTS5 trigram index kept in step by triggers (issue 8).
    include_str!("migrations/0009_search.sql"),
    // 10: the data map's legal basis and source per system, for the answer package's cover letter (issue 6).
    include_str!("migrations/0010_datamap_letter.sql"),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: usize = MIGRATIONS.len();

pub fn apply(conn: &mut Connection) -> Result<()> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let found = usize::try_from(found).unwrap_or(usize::MAX);
    if found > SCHEMA_VERSION {
        return Err(Error::SchemaTooNew { found, supported: SCHEMA_VERSION });
    }
    let migrations = Migrations::new(MIGRATIONS.iter().map(|sql| M::up(sql)).collect());
    migrations.to_latest(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        let migrations = Migrations::new(MIGRATIONS.iter().map(|sql| M::up(sql)).collect());
        assert!(migrations.validate().is_ok());
    }

    #[test]
    fn requests_registered_before_the_search_index_are_found_after_the_upgrade() {
        let mut conn = Connection::open_in_memory().unwrap();
        let before_search = Migrations::new(MIGRATIONS[..8].iter().map(|sql| M::up(sql)).collect());
        before_search.to_latest(&mut conn).unwrap();
        conn.execute(
            "INSERT INTO requests (id, number, reference, request_type, regime, jurisdiction, subject_name, subject_email, \
             channel, received_at, received_on, time_zone, status, rule_set, schedule, created_at, updated_at) \
             VALUES ('r1', 1, 'DSR-2024-0001', 'access', 'eu-gdpr', 'DE', 'Zoë Older', 'zoe@old.example', 'email', \
             '2024-01-01T00:00:00Z', '2024-01-01', 'UTC', 'completed', 'x', '{}', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')",
            [],
        )
        .unwrap();
        apply(&mut conn).unwrap();
        let found: i64 = conn
            .query_row("SELECT rowid FROM requests_search WHERE requests_search MATCH '\"zoe older\"'", [], |r| r.get(0))
            .unwrap();
        assert_eq!(found, 1);
    }
}
