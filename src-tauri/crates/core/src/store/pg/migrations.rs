//! The team register's migrations: history, numbered like SQLite's, applied in one
//! transaction by `rightsdesk team init` (a database administrator; officers cannot
//! change a schema). The version is the one row of `schema_version`; a newer one is
//! refused as SQLite's `user_version` is ([`Error::SchemaTooNew`]).

use super::connect::{refused, server_error};
use super::url::PgUrl;
use crate::error::{Error, Result};

pub(super) const MIGRATIONS: &[&str] = &[
    // 1: the SQLite register through its migration 19, translated (docs/design/team-register.md).
    include_str!("migrations/0001_register.sql"),
    // 2: SQLite's migration 20: open requests by type, regime and dates kept by triggers (issue 21).
    include_str!("migrations/0002_open_tallies.sql"),
    // 3: SQLite's migration 21: open, unextended requests by the last day to notify an extension.
    include_str!("migrations/0003_open_notices.sql"),
    // 4: SQLite's migration 22: five indexes no query reads dropped (issue 21).
    include_str!("migrations/0004_fewer_indexes.sql"),
    // 5: PostgreSQL only: the highest event number issued, kept with its transaction
    // (`events_issued`), and the change notices on `CHANGES_CHANNEL` (issue 18).
    include_str!("migrations/0005_events_issued_and_notices.sql"),
    // 6: SQLite's migration 23: a task can be assigned to a member of the team (issue 18).
    include_str!("migrations/0006_task_assignee.sql"),
    // 7: PostgreSQL only: stored files (evidence, kept mails) as rows of their sealed bytes (issue 18).
    include_str!("migrations/0007_stored_chunks.sql"),
    // 8: PostgreSQL only: a new request's three tallies kept by one insert trigger (issue 18).
    include_str!("migrations/0008_insert_tallies.sql"),
    // 9: SQLite's migration 26: the index on lower(reference) dropped, references looked up upper-cased (issue 21).
    include_str!("migrations/0009_reference_upper.sql"),
    // 10: SQLite's migration 27: the retention purge's candidates in a partial index a registration does not write.
    include_str!("migrations/0010_closed_unpurged.sql"),
    // 11: SQLite's migration 28: the index on (request_type, due, number) dropped (issue 21).
    include_str!("migrations/0011_no_type_due.sql"),
    // 12: SQLite's migration 29: a schedule's explanation kept once, named by its hash (issue 21).
    include_str!("migrations/0012_schedule_explanations.sql"),
    // 13: SQLite's migration 30: whether a request is closed written as comparisons in the indexes (issue 21).
    include_str!("migrations/0013_closed_as_comparisons.sql"),
    // 14: SQLite's migration 31: the sealed states' index by seq dropped (issue 21).
    include_str!("migrations/0014_no_states_by_seq.sql"),
];

/// The team register's schema version this build writes.
pub const SCHEMA_VERSION: usize = MIGRATIONS.len();

/// The lock that keeps two `team init` apart: "RDSCHEMA".
const MIGRATION_LOCK: i64 = 0x5244_5343_4845_4d41;

/// The schema version the database holds; `None` when it holds no Rightsdesk register.
fn found(client: &mut impl postgres::GenericClient) -> std::result::Result<Option<usize>, postgres::Error> {
    let exists: bool = client.query_one("SELECT to_regclass('public.schema_version') IS NOT NULL", &[])?.get(0);
    if !exists {
        return Ok(None);
    }
    let version: i64 = client.query_one("SELECT version FROM schema_version", &[])?.get(0);
    Ok(Some(usize::try_from(version).unwrap_or(usize::MAX)))
}

/// Refuses a database this version cannot work on: one with no register, one whose schema
/// is newer (as SQLite's is refused), one not yet upgraded, or one this role may not read.
pub fn check(client: &mut postgres::Client, url: &PgUrl) -> Result<()> {
    let found = match found(client) {
        Ok(f) => f,
        Err(e) if e.code() == Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE) => {
            return Err(refused(
                url,
                format!(
                    "{} has no role in this Rightsdesk register: ask your database administrator to run \
                     `rightsdesk team add {} --role officer|auditor|admin`",
                    url.user, url.user
                ),
            ))
        }
        Err(e) => return Err(server_error(e)),
    };
    match found {
        None | Some(0) => {
            Err(refused(url, "this database has no Rightsdesk register: ask your database administrator to run `rightsdesk team init`"))
        }
        Some(v) if v > SCHEMA_VERSION => Err(Error::SchemaTooNew { found: v, supported: SCHEMA_VERSION }),
        Some(v) if v < SCHEMA_VERSION => Err(refused(
            url,
            format!(
                "this register's schema (version {v}) is older than this Rightsdesk's ({SCHEMA_VERSION}): ask your \
                 database administrator to run `rightsdesk team init` with this version to upgrade it"
            ),
        )),
        Some(_) => Ok(()),
    }
}

/// Brings the schema to [`SCHEMA_VERSION`] inside `tx` (which commits or rolls back as a
/// whole), after any other `team init` under way. Returns the version found (0 for none).
pub fn apply(tx: &mut postgres::Transaction<'_>) -> Result<usize> {
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).map_err(server_error)?;
    let from = found(tx).map_err(server_error)?.unwrap_or(0);
    if from > SCHEMA_VERSION {
        return Err(Error::SchemaTooNew { found: from, supported: SCHEMA_VERSION });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(from) {
        tx.batch_execute(sql).map_err(|e| match server_error(e) {
            Error::Internal(m) => Error::Internal(format!("team register migration {}: {m}", i + 1)),
            other => other,
        })?;
        tx.execute("UPDATE schema_version SET version = $1", &[&((i + 1) as i64)]).map_err(server_error)?;
    }
    Ok(from)
}
