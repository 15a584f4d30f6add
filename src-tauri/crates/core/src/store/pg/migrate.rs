//! Moving a register between the local file and a team database (issue 18, item 6):
//! [`to_postgres`] copies an officer's SQLite register into an empty team database,
//! [`to_sqlite`] copies a team database into a new register file (no lock-in).
//!
//! - The tables are read from the file's schema, not from a list kept here: every table
//!   but SQLite's own (`sqlite_%`), the FTS5 search table and its shadow tables (the team
//!   register searches through a `pg_trgm` index on `requests`, which needs no rows of its
//!   own) and the tallies the target's triggers keep ([`RECOMPUTED`]: counted on the target
//!   once the requests are in, see `TALLIES`, and their rows counted on both sides). The team
//!   register must have the same tables and columns, or nothing is moved.
//! - Into a team register each table goes with one binary `COPY` (`PgTx::copy_in`): the rows
//!   stream to the server while the file is read, each value checked against its column's
//!   type as an `INSERT` would check it. Out of one, rows are written by batched `INSERT`s.
//! - The target must be empty; a non-empty one is refused, naming what it holds.
//! - One transaction on each side: the source is read in one snapshot, the target written
//!   in one transaction that commits only after the caller's check (the audit trail
//!   verified on both) passes. A move that fails or is killed leaves the target as it was.
//! - Rows stream in batches (at most [`BATCH_ROWS`] rows or [`BATCH_BYTES`] bytes held at
//!   once), so memory stays flat however large the register is.
//! - Ids, references, request numbers, events with their sequence numbers, seals and actors
//!   are copied as stored, and so is the highest event number ever issued (the audit trail
//!   checks that no event was cut off the end). On the team register the server sets the
//!   actor of a new row from `session_user`; the move keeps the recorded actors through the
//!   door migration 1 leaves for it: `SET LOCAL rightsdesk.keep_actor = 'on'`, honoured
//!   only for the tables' owner or a superuser (`rightsdesk_installer()`). The move checks
//!   that first and refuses anyone else.
//! - Stored files (evidence and mails kept sealed beside the register file, in the team
//!   register's `stored_chunks`) are the caller's to copy, in `check` with both transactions
//!   open (`workspace::team_move`, through `evidence::moving`): `stored_chunks` is the team
//!   register's own table, not compared with the file's schema.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::{Error, Result};
use crate::store::events;
use crate::store::interface::{Conn, ToValue, ValueRef};
use crate::store::{Db, PgDb};

/// Tables the target's triggers fill as the requests go in: the register's tallies.
pub const RECOMPUTED: &[&str] = &["request_days", "request_statuses", "request_open_kinds", "request_open_dates", "request_open_notices"];

/// The tallies of the requests moved in, counted in one pass each, then the insert trigger that
/// keeps them row by row (`rightsdesk_requests_inserted`, PostgreSQL migration 8) on again. The
/// move holds it off while the requests go in: one transaction that adds to the same few tally
/// rows 100,000 times leaves that many versions of each behind it, all of which every later
/// addition steps over (the 100,000 requests took 54 s of a 106 s move so; the whole move takes
/// 63 s with this, `bench-stores`). Each statement counts what that trigger adds for each
/// request, in the same columns; the move compares the tallies' rows with the file's
/// (`recomputed`), and the tests their contents (`core/tests/migrate_contents.rs`). The right
/// depth would be that trigger itself counting per statement (`REFERENCING NEW TABLE`), which
/// would make this copy of its sums unneeded; not done, as it is on every registration's path.
const TALLIES: &str = "\
    INSERT INTO request_days (day, received, answered, answered_dated, answered_on_time) \
        SELECT day, sum(received), sum(answered), sum(answered_dated), sum(answered_on_time) FROM ( \
            SELECT received_on AS day, count(*) AS received, 0 AS answered, 0 AS answered_dated, 0 AS answered_on_time \
                FROM requests GROUP BY received_on \
            UNION ALL \
            SELECT closed_on, 0, count(*), count(due), count(*) FILTER (WHERE closed_on <= due) FROM requests \
                WHERE closed_on IS NOT NULL AND status IN ('completed', 'refused') GROUP BY closed_on \
        ) counted GROUP BY day; \
    INSERT INTO request_statuses (status, n) SELECT status, count(*) FROM requests GROUP BY status; \
    INSERT INTO request_open_kinds (request_type, regime, n) \
        SELECT request_type, regime, count(*) FROM requests \
        WHERE status NOT IN ('completed', 'refused', 'withdrawn', 'duplicate') GROUP BY 1, 2; \
    INSERT INTO request_open_dates (due, target, ack, n) \
        SELECT coalesce(due, ''), coalesce(target, ''), \
               CASE WHEN status = 'received' THEN coalesce((schedule::jsonb) ->> 'ack_due', '') ELSE '' END, count(*) \
        FROM requests WHERE status NOT IN ('completed', 'refused', 'withdrawn', 'duplicate') GROUP BY 1, 2, 3; \
    INSERT INTO request_open_notices (notice, due, n) \
        SELECT (schedule::jsonb) ->> 'extension_notice_due', coalesce(due, ''), count(*) FROM requests \
        WHERE status NOT IN ('completed', 'refused', 'withdrawn', 'duplicate') \
          AND (schedule::jsonb) ->> 'extended_due' IS NULL AND (schedule::jsonb) ->> 'extension_notice_due' IS NOT NULL \
        GROUP BY 1, 2; \
    ALTER TABLE requests ENABLE TRIGGER requests_tallies_insert;";

/// The row triggers that put the logged-in role on record as each event's and chain row's actor
/// (`rightsdesk_server_actor`, PostgreSQL migration 1), off while the rows are copied in and on
/// again after, in the move's transaction. For the installer with `rightsdesk.keep_actor` on, as
/// the move is (checked before anything is copied), they keep the actor sent, so the rows are the
/// same either way; but each asks the catalog whether the session is the installer, once per
/// row: with them on, the 100,000 requests' million events and as many chain rows took a
/// quarter of the move (`bench-stores`: 68 s with them, 50 s without).
const ACTORS_KEPT_OFF: &str = "\
    ALTER TABLE events DISABLE TRIGGER events_actor_from_session; \
    ALTER TABLE audit_chain DISABLE TRIGGER audit_chain_actor_from_session;";
const ACTORS_KEPT_ON: &str = "\
    ALTER TABLE events ENABLE TRIGGER events_actor_from_session; \
    ALTER TABLE audit_chain ENABLE TRIGGER audit_chain_actor_from_session;";

/// Drops the team register's secondary indexes (those behind no constraint: the constraints'
/// own, which the copy checks its rows against and the foreign keys look up through, stay)
/// and returns the statement that makes each again, as PostgreSQL describes it
/// (`pg_indexes.indexdef`). The move makes them again after its rows are in, in its own
/// transaction (a move that fails leaves them as they were): one sort per index instead of an
/// insert per row, the requests' trigram search index above all.
fn drop_secondary_indexes(target: Conn<'_>) -> Result<Vec<String>> {
    let found: Vec<(String, String)> = target.query_map(
        "SELECT i.indexname::text, i.indexdef FROM pg_indexes i \
         WHERE i.schemaname = current_schema() \
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c \
                           WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass) \
         ORDER BY i.tablename, i.indexname",
        &[],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    for (name, _) in &found {
        target.execute_batch(&format!("DROP INDEX {}", ident(name)))?;
    }
    Ok(found.into_iter().map(|(_, def)| def).collect())
}

/// At most this many rows are held in memory at once.
pub const BATCH_ROWS: usize = 500;
/// A batch is written once it holds this many bytes, whatever its rows.
pub const BATCH_BYTES: usize = 8 << 20;

/// One table's rows on both sides after a move.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TableCount {
    pub table: String,
    /// Rows in the source (in the snapshot moved).
    pub source: u64,
    /// Rows in the target after the move (before it commits).
    pub target: u64,
    /// Counted again on the target rather than copied ([`RECOMPUTED`]).
    pub recomputed: bool,
}

/// A table to move: its name, columns (in the source's order) and key (for the order of reading).
#[derive(Debug, Clone)]
struct Table {
    name: String,
    columns: Vec<String>,
    key: Vec<String>,
}

/// Copies the register file `file` into the empty team database `pg` (set up by `team init`,
/// connected as its owner or a superuser). `check(source, target)` runs after the copy with
/// both transactions still open; the target commits only if it returns Ok.
pub fn to_postgres<T>(file: &Db, pg: &PgDb, check: impl FnOnce(Conn<'_>, Conn<'_>) -> Result<T>) -> Result<(Vec<TableCount>, T)> {
    to_postgres_prepared(file, pg, |_| Ok(()), check)
}

/// [`to_postgres`], with `prepare(source)` run first in the file's own writing transaction,
/// before anything is read, copied or counted: what it writes to the file is moved and
/// counted with the rest, and is rolled back with the file's transaction if the move fails.
pub fn to_postgres_prepared<T>(
    file: &Db,
    pg: &PgDb,
    prepare: impl FnOnce(Conn<'_>) -> Result<()>,
    check: impl FnOnce(Conn<'_>, Conn<'_>) -> Result<T>,
) -> Result<(Vec<TableCount>, T)> {
    pg.write(|ptx| {
        let target = Conn::from(ptx);
        // The recorded actors stay; `rightsdesk_server_actor` honours this only for the installer.
        target.execute_batch("SET LOCAL rightsdesk.keep_actor = 'on'")?;
        let installer = target.query_row("SELECT rightsdesk_installer()", &[], |r| r.get::<bool>(0))?;
        if !installer {
            return Err(Error::invalid(
                "to",
                "only the database administrator who set up the team register (the owner of its tables, or a superuser) \
                 may move a register into it: the events keep the actors they were recorded with, which a team \
                 member's connection may not do; nothing was written",
            ));
        }
        file.write(|sqlite| {
            let source = Conn::from(&**sqlite);
            prepare(source)?;
            let tables = sqlite_tables(sqlite)?;
            same_schema(&tables, &pg_tables(target)?, "to")?;
            refuse_non_empty(target, &tables, "team database")?;
            let mut counts = Vec::new();
            // The tallies are counted once after the requests are in, not row by row (see TALLIES).
            target.execute_batch("ALTER TABLE requests DISABLE TRIGGER requests_tallies_insert")?;
            target.execute_batch(ACTORS_KEPT_OFF)?;
            let indexes = drop_secondary_indexes(target)?;
            for t in &tables {
                let moved = copy_from_sqlite(sqlite, t, target)?;
                counts.push(count(t, moved, target)?);
            }
            for index in &indexes {
                target.execute_batch(index)?;
            }
            target.execute_batch(ACTORS_KEPT_ON)?;
            target.execute_batch(TALLIES)?;
            let issued = events::highest_seq_issued(source)?;
            if issued > 0 {
                // Not `setval`, which no rollback undoes: a move that fails after this would leave
                // the empty register with numbers issued. RESTART gives the sequence a new file in
                // this transaction, so it and the `nextval` on it go with a rollback.
                target.execute_batch(&format!("ALTER TABLE events ALTER COLUMN seq RESTART WITH {issued}"))?;
                target.query_row("SELECT nextval(pg_get_serial_sequence('events', 'seq'))", &[], |r| r.get::<i64>(0))?;
            }
            // The team register's own record of it (`events_issued`, PostgreSQL only): the copy's
            // insert trigger raised it to the last event moved; it is the file's, as audit verify reads.
            target.execute("UPDATE events_issued SET seq = ?1", &[&issued])?;
            counts.sort_by(|a, b| a.table.cmp(&b.table));
            counts.extend(recomputed(source, target)?);
            let checked = check(source, target)?;
            Ok((counts, checked))
        })
    })
}

/// Copies the team database `pg` into `file`, a register file just created (empty).
/// `check(source, target)` runs after the copy with both transactions still open; the file's
/// transaction commits only if it returns Ok.
pub fn to_sqlite<T>(pg: &PgDb, file: &Db, check: impl FnOnce(Conn<'_>, Conn<'_>) -> Result<T>) -> Result<(Vec<TableCount>, T)> {
    // `Db::write`, not `write_bulk`: the bulk writer's page cache may grow to 1 GiB, and
    // memory is to stay flat however large the register.
    file.write(|tx| {
        let sqlite: &rusqlite::Connection = tx;
        let target = Conn::from(sqlite);
        // An appeal may be read before the request it appeals: the references are checked at commit.
        sqlite.pragma_update(None, "defer_foreign_keys", "ON")?;
        let tables = sqlite_tables(sqlite)?;
        refuse_non_empty(target, &tables, "new register file")?;
        pg.read(|ptx| {
            let source = Conn::from(ptx);
            same_schema(&tables, &pg_tables(source)?, "from")?;
            let mut counts = Vec::new();
            for (i, t) in tables.iter().enumerate() {
                let moved = copy_from_postgres(source, t, i, target)?;
                counts.push(count(t, moved, target)?);
            }
            let issued = events::highest_seq_issued(source)?;
            if issued > events::highest_seq_issued(target)? {
                let n = target.execute("UPDATE sqlite_sequence SET seq = ?1 WHERE name = 'events'", &[&issued])?;
                if n == 0 {
                    target.execute("INSERT INTO sqlite_sequence (name, seq) VALUES ('events', ?1)", &[&issued])?;
                }
            }
            counts.sort_by(|a, b| a.table.cmp(&b.table));
            counts.extend(recomputed(source, target)?);
            let checked = check(source, target)?;
            Ok((counts, checked))
        })
    })
}

/// `name` quoted as an SQL identifier (the same on both stores).
fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The tables to move, read from the SQLite register's schema, parents before the tables
/// that refer to them.
fn sqlite_tables(c: &rusqlite::Connection) -> Result<Vec<Table>> {
    let mut stmt = c.prepare("SELECT name, coalesce(sql, '') FROM sqlite_master WHERE type = 'table' ORDER BY name")?;
    let all: Vec<(String, String)> = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    let virtual_tables: Vec<&str> =
        all.iter().filter(|(_, sql)| sql.to_ascii_uppercase().starts_with("CREATE VIRTUAL TABLE")).map(|(n, _)| n.as_str()).collect();
    let mut tables = Vec::new();
    let mut parents: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, _) in &all {
        let shadow = virtual_tables.iter().any(|v| name == v || name.starts_with(&format!("{v}_")));
        if name.starts_with("sqlite_") || shadow || RECOMPUTED.contains(&name.as_str()) {
            continue;
        }
        let mut info = c.prepare("SELECT name, pk FROM pragma_table_info(?1) ORDER BY cid")?;
        let cols: Vec<(String, i64)> = info.query_map([name], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        let mut key: Vec<(i64, String)> = cols.iter().filter(|(_, pk)| *pk > 0).map(|(n, pk)| (*pk, n.clone())).collect();
        key.sort();
        let mut fks = c.prepare("SELECT \"table\" FROM pragma_foreign_key_list(?1)")?;
        let refs: BTreeSet<String> = fks
            .query_map([name], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<BTreeSet<_>>>()?
            .into_iter()
            .filter(|t| t != name)
            .collect();
        parents.insert(name.clone(), refs);
        tables.push(Table {
            name: name.clone(),
            columns: cols.into_iter().map(|(n, _)| n).collect(),
            key: key.into_iter().map(|(_, n)| n).collect(),
        });
    }
    // Parents first (Kahn's order; the schema has no cycle but a table's reference to itself).
    let mut ordered = Vec::with_capacity(tables.len());
    let mut placed: BTreeSet<String> = BTreeSet::new();
    while !tables.is_empty() {
        let Some(i) = tables.iter().position(|t| parents[&t.name].iter().all(|p| placed.contains(p) || !parents.contains_key(p))) else {
            return Err(Error::Internal("the register's tables refer to each other in a cycle".into()));
        };
        let t = tables.remove(i);
        placed.insert(t.name.clone());
        ordered.push(t);
    }
    Ok(ordered)
}

/// The team register's tables and their columns (`schema_version` and the tallies left out).
fn pg_tables(c: Conn<'_>) -> Result<BTreeMap<String, BTreeSet<String>>> {
    let rows = c.query_map(
        "SELECT c.table_name::text, c.column_name::text FROM information_schema.columns c \
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
         WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' \
         AND c.table_name NOT IN ('schema_version', 'events_issued', 'stored_chunks')",
        &[],
        |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?)),
    )?;
    let mut tables: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (t, col) in rows {
        if !RECOMPUTED.contains(&t.as_str()) {
            tables.entry(t).or_default().insert(col);
        }
    }
    Ok(tables)
}

/// Refuses a move between schemas that differ: every table and column of the file must be
/// in the team register and the other way round. `field` names the team database's option.
fn same_schema(file: &[Table], team: &BTreeMap<String, BTreeSet<String>>, field: &'static str) -> Result<()> {
    let differs = |what: String| {
        Error::invalid(
            field,
            format!(
                "the team database's schema differs from this version's register file ({what}): run `rightsdesk team init` \
                 with this version of Rightsdesk first; nothing was written"
            ),
        )
    };
    for t in file {
        let Some(cols) = team.get(&t.name) else { return Err(differs(format!("it has no table {}", t.name))) };
        let mine: BTreeSet<String> = t.columns.iter().cloned().collect();
        if let Some(c) = mine.symmetric_difference(cols).next() {
            return Err(differs(format!("column {}.{c} is on one side only", t.name)));
        }
    }
    if let Some(extra) = team.keys().find(|k| !file.iter().any(|t| &t.name == *k)) {
        return Err(differs(format!("its table {extra} is not in the file")));
    }
    Ok(())
}

/// Refuses a target that holds anything, naming each table that has rows and how many.
fn refuse_non_empty(c: Conn<'_>, tables: &[Table], target_name: &str) -> Result<()> {
    let mut held = Vec::new();
    let names = tables.iter().map(|t| t.name.as_str()).chain(RECOMPUTED.iter().copied());
    for name in names {
        let n = c.query_row(&format!("SELECT count(*) FROM {}", ident(name)), &[], |r| r.get::<i64>(0))?;
        if n > 0 {
            held.push(format!("{n} in {name}"));
        }
    }
    if held.is_empty() {
        return Ok(());
    }
    Err(Error::invalid(
        "to",
        format!(
            "the {target_name} is not empty: it holds rows ({}); a register is moved only into an empty one; nothing was written",
            held.join(", ")
        ),
    ))
}

/// The rows of `t` in the target now, as many as were read (`moved`);
/// refuses a copy that does not hold every row read.
fn count(t: &Table, moved: u64, target: Conn<'_>) -> Result<TableCount> {
    let n = target.query_row(&format!("SELECT count(*) FROM {}", ident(&t.name)), &[], |r| r.get::<i64>(0))?;
    if u64::try_from(n).ok() != Some(moved) {
        return Err(Error::Internal(format!("{}: {moved} rows read, {n} in the copy; nothing was written", t.name)));
    }
    Ok(TableCount { table: t.name.clone(), source: moved, target: u64::try_from(n).unwrap_or(0), recomputed: false })
}

/// The tallies on both sides, after the target's triggers rebuilt them.
fn recomputed(source: Conn<'_>, target: Conn<'_>) -> Result<Vec<TableCount>> {
    let mut out = Vec::new();
    for name in RECOMPUTED {
        let sql = format!("SELECT count(*) FROM {}", ident(name));
        let [s, t] = [source, target].map(|c| c.query_row(&sql, &[], |r| r.get::<i64>(0)));
        out.push(TableCount {
            table: (*name).into(),
            source: u64::try_from(s?).unwrap_or(0),
            target: u64::try_from(t?).unwrap_or(0),
            recomputed: true,
        });
    }
    Ok(out)
}

/// A value held between reading and writing.
#[derive(Debug, Clone)]
enum Val {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl Val {
    fn of(v: ValueRef<'_>) -> Val {
        match v {
            ValueRef::Null => Val::Null,
            ValueRef::Integer(i) => Val::Integer(i),
            ValueRef::Real(f) => Val::Real(f),
            ValueRef::Text(s) => Val::Text(s.to_owned()),
            ValueRef::Blob(b) => Val::Blob(b.to_vec()),
        }
    }

    fn size(&self) -> usize {
        match self {
            Val::Text(s) => s.len(),
            Val::Blob(b) => b.len(),
            _ => 8,
        }
    }
}

impl ToValue for Val {
    fn to_value(&self) -> ValueRef<'_> {
        match self {
            Val::Null => ValueRef::Null,
            Val::Integer(i) => ValueRef::Integer(*i),
            Val::Real(f) => ValueRef::Real(*f),
            Val::Text(s) => ValueRef::Text(s),
            Val::Blob(b) => ValueRef::Blob(b),
        }
    }
}

/// Rows of one table on their way into the target, written a batch at a time.
struct Batch<'t, 'c> {
    table: &'t Table,
    target: Conn<'c>,
    rows_per: usize,
    values: Vec<Val>,
    bytes: usize,
    written: u64,
}

impl<'t, 'c> Batch<'t, 'c> {
    fn new(table: &'t Table, target: Conn<'c>) -> Self {
        // Both stores take well over 30,000 parameters in a statement.
        let rows_per = (30_000 / table.columns.len().max(1)).clamp(1, BATCH_ROWS);
        Batch { table, target, rows_per, values: Vec::new(), bytes: 0, written: 0 }
    }

    fn push(&mut self, row: impl IntoIterator<Item = Val>) -> Result<()> {
        for v in row {
            self.bytes += v.size();
            self.values.push(v);
        }
        if self.values.len() / self.table.columns.len() >= self.rows_per || self.bytes >= BATCH_BYTES {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        let width = self.table.columns.len();
        let rows = self.values.len() / width;
        if rows == 0 {
            return Ok(());
        }
        let cols: Vec<String> = self.table.columns.iter().map(|c| ident(c)).collect();
        let tuples: Vec<String> =
            (0..rows).map(|r| format!("({})", (1..=width).map(|i| format!("?{}", r * width + i)).collect::<Vec<_>>().join(", "))).collect();
        let sql = format!("INSERT INTO {} ({}) VALUES {}", ident(&self.table.name), cols.join(", "), tuples.join(", "));
        let params: Vec<&dyn ToValue> = self.values.iter().map(|v| v as &dyn ToValue).collect();
        let n = self.target.execute(&sql, &params).map_err(|e| in_table(e, &self.table.name))?;
        if n != rows {
            return Err(Error::Internal(format!("{}: {n} of {rows} rows written", self.table.name)));
        }
        self.written += rows as u64;
        self.values.clear();
        self.bytes = 0;
        Ok(())
    }

    fn finish(mut self) -> Result<u64> {
        self.flush()?;
        Ok(self.written)
    }
}

/// A store's refusal of a row, with the table it was meant for (never the row's values).
fn in_table(e: Error, table: &str) -> Error {
    match e {
        Error::Postgres { sqlstate, message } => Error::Postgres { sqlstate, message: format!("{table}: {message}") },
        Error::Database(d) => Error::Internal(format!("{table}: {d}")),
        other => other,
    }
}

/// The `ORDER BY` of a table's rows: its key, or SQLite's rowid for a table without one.
fn order(t: &Table, rowid: bool) -> String {
    if t.key.is_empty() {
        return if rowid { "rowid".into() } else { t.columns.iter().map(|c| ident(c)).collect::<Vec<_>>().join(", ") };
    }
    t.key.iter().map(|c| ident(c)).collect::<Vec<_>>().join(", ")
}

/// One row of `t` as read from the file.
fn sqlite_row(t: &Table, r: &rusqlite::Row<'_>) -> Result<Vec<Val>> {
    use rusqlite::types::ValueRef as V;
    let mut row = Vec::with_capacity(t.columns.len());
    for i in 0..t.columns.len() {
        row.push(match r.get_ref(i)? {
            V::Null => Val::Null,
            V::Integer(n) => Val::Integer(n),
            V::Real(f) => Val::Real(f),
            V::Text(s) => Val::Text(
                String::from_utf8(s.to_vec())
                    .map_err(|_| Error::Internal(format!("{}.{}: text that is not UTF-8", t.name, t.columns[i])))?,
            ),
            V::Blob(b) => Val::Blob(b.to_vec()),
        });
    }
    Ok(row)
}

/// Copies `t`'s rows from the file into the target. Into a team register, with one binary
/// `COPY` per table, each value checked against its column's type as an `INSERT` would: the
/// rows stream to the server while the file is read, the server's triggers firing row by row
/// as for inserts (a table with a column of a type that is not built in goes by `INSERT`s).
fn copy_from_sqlite(src: &rusqlite::Connection, t: &Table, target: Conn<'_>) -> Result<u64> {
    let cols: Vec<String> = t.columns.iter().map(|c| ident(c)).collect();
    let sql = format!("SELECT {} FROM {} ORDER BY {}", cols.join(", "), ident(&t.name), order(t, true));
    let mut stmt = src.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    if let Some(tx) = target.postgres() {
        if let Some(types) = tx.column_types(&t.name, &t.columns)? {
            let copy = format!("COPY {} ({}) FROM STDIN (FORMAT binary)", ident(&t.name), cols.join(", "));
            let mut read = 0u64;
            let taken = tx
                .copy_in(&copy, &types, |put| {
                    while let Some(r) = rows.next()? {
                        let row = sqlite_row(t, r)?;
                        let values: Vec<&dyn ToValue> = row.iter().map(|v| v as &dyn ToValue).collect();
                        put(&values)?;
                        read += 1;
                    }
                    Ok(())
                })
                .map_err(|e| in_table(e, &t.name))?;
            if taken != read {
                return Err(Error::Internal(format!("{}: {taken} of {read} rows written", t.name)));
            }
            return Ok(read);
        }
    }
    let mut batch = Batch::new(t, target);
    while let Some(r) = rows.next()? {
        batch.push(sqlite_row(t, r)?)?;
    }
    batch.finish()
}

/// Rows fetched from the team database's cursor at a time.
const FETCH_ROWS: usize = 200;

fn copy_from_postgres(src: Conn<'_>, t: &Table, i: usize, target: Conn<'_>) -> Result<u64> {
    let cols: Vec<String> = t.columns.iter().map(|c| ident(c)).collect();
    // One cursor name per table: a FETCH is prepared once per session with its cursor's columns.
    let cursor = format!("rightsdesk_move_{i}_{}", t.name.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').collect::<String>());
    src.execute_batch(&format!(
        "DECLARE {cursor} NO SCROLL CURSOR FOR SELECT {} FROM {} ORDER BY {}",
        cols.join(", "),
        ident(&t.name),
        order(t, false)
    ))?;
    let fetch = format!("FETCH {FETCH_ROWS} FROM {cursor}");
    let mut batch = Batch::new(t, target);
    loop {
        let rows = src.query_map(&fetch, &[], |r| (0..cols.len()).map(|i| r.value(i).map(Val::of)).collect::<Result<Vec<_>>>())?;
        if rows.is_empty() {
            break;
        }
        for row in rows {
            batch.push(row)?;
        }
    }
    src.execute_batch(&format!("CLOSE {cursor}"))?;
    batch.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_the_server_keeps_is_rebuilt_by_the_move_but_the_schema_version() {
        let kept: BTreeSet<&str> = super::super::team::KEPT_BY_SERVER.iter().copied().collect();
        let rebuilt: BTreeSet<&str> = RECOMPUTED.iter().copied().collect();
        // `events_issued` is the team register's own (no SQLite table): the move sets it.
        assert_eq!(kept.difference(&rebuilt).copied().collect::<Vec<_>>(), vec!["events_issued", "schema_version"]);
        assert!(rebuilt.is_subset(&kept));
    }

    #[test]
    fn the_tables_moved_are_read_from_the_schema_without_the_search_index_and_parents_come_first() {
        let db = Db::open_in_memory().unwrap();
        let tables = db.read(sqlite_tables).unwrap();
        let names: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
        assert!(!names.iter().any(|n| n.starts_with("requests_search") || n.starts_with("sqlite_")), "{names:?}");
        assert!(!names.iter().any(|n| RECOMPUTED.contains(n)), "{names:?}");
        for t in ["requests", "events", "audit_chain", "tasks", "letters", "settings", "systems", "owner_replies"] {
            assert!(names.contains(&t), "{t} in {names:?}");
        }
        let at = |t: &str| names.iter().position(|n| *n == t).unwrap();
        assert!(at("requests") < at("events") && at("requests") < at("tasks") && at("systems") < at("tasks"));
        assert!(at("tasks") < at("owner_mails") && at("letters") < at("owner_mails") && at("intake_items") < at("owner_replies"));
        let events = &tables[at("events")];
        assert_eq!(events.key, vec!["seq"]);
        assert!(events.columns.contains(&"actor".to_string()));
    }
}
