//! All rows or none: every request of the file and its `registered` event in
//! one transaction, with a record of the import. Any bad row (or, unless the
//! officer chose to skip them, any duplicate) and nothing is written.

use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::register::{Registrar, Schedules};
use super::rows::{analyse, Analysis, RowOutcome};
use super::triggers::{hold_back, restore, Counts};
use super::ImportOptions;
use crate::clock::Clock;
use crate::deadlines::load_options;
use crate::error::{Error, Result};
use crate::requests::rows::with_search_deferred;
use crate::settings::org_time_zone;
use crate::store::events::{self, with_seals_deferred, EventKind, NewEvent};
use crate::store::interface::Conn;
use crate::store::{Db, Store};

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportReport {
    pub import_id: String,
    pub imported: u32,
    pub skipped_duplicates: u32,
    /// The references given to the new requests, in file order.
    pub references: Vec<String>,
    pub encoding: String,
    pub delimiter: String,
}

/// Rows from which an import into a register of at most a quarter of their
/// number rebuilds the register's indexes instead of adding to them row by row.
const REBUILD_FROM_ROWS: usize = 5_000;

/// Whether `rows` new requests are better indexed by dropping the requests'
/// secondary indexes and building them again after the inserts (in the same
/// transaction: a failed import leaves them as they were): each index is then
/// one scan of the table and one sort instead of an insert per row (17 of them
/// on `requests`). A rebuild scans the rows already there too, so it pays only
/// when they are few beside the file's: measured (thread CPU, 50,000 rows a
/// file) the rebuild took 1.2 s over 50,000 rows and 3.0 s over 100,000,
/// adding to the indexes row by row 1.5–1.7 s per 50,000 new rows, so the
/// break-even is near a register of a quarter of the file. Not for a file with
/// appeals: registering an appeal looks its earlier request up by reference
/// through one of those indexes.
fn big_enough_to_rebuild_indexes(conn: &rusqlite::Connection, rows: usize, appeals: bool) -> Result<bool> {
    if appeals || rows < REBUILD_FROM_ROWS {
        return Ok(false);
    }
    let existing: i64 = conn.query_row("SELECT count(*) FROM requests", [], |r| r.get(0))?;
    Ok(existing <= rows as i64 / 4)
}

/// Drops the secondary indexes of `requests` and returns the SQL (as stored)
/// that creates each again. Kept: those behind its PRIMARY KEY and UNIQUE
/// columns (the inserts check them), and those that lead with a foreign key's
/// column (SQLite looks referencing rows up through them).
fn drop_request_indexes(conn: &rusqlite::Connection) -> Result<Vec<String>> {
    let found: Vec<(String, String)> = conn
        .prepare(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'requests' AND sql IS NOT NULL \
             AND COALESCE((SELECT name FROM pragma_index_info(sqlite_master.name) WHERE seqno = 0), '') \
                 NOT IN (SELECT \"from\" FROM pragma_foreign_key_list('requests'))",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (name, _) in &found {
        conn.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
    }
    Ok(found.into_iter().map(|(_, sql)| sql).collect())
}

/// Registers every row of the file, or none, on either store. `file_name` is
/// recorded (without its folder). On the officer's file the bulk path below;
/// on a team register each row registered as the form registers it, all in one
/// writing transaction (the writer lock held once for the whole import, so the
/// references and the chain stay serial with every other client's writes).
pub fn commit<'a>(
    store: impl Into<Store<'a>>,
    clock: &dyn Clock,
    file_name: &str,
    bytes: &[u8],
    options: &ImportOptions,
    actor: &str,
) -> Result<ImportReport> {
    let store = store.into();
    let zone = org_time_zone(store)?;
    let file = ImportFile {
        import_id: uuid::Uuid::now_v7().to_string(),
        file_sha256: format!("{:x}", Sha256::digest(bytes)),
        file_name: std::path::Path::new(file_name).file_name().and_then(|n| n.to_str()).unwrap_or("import.csv").to_string(),
    };
    match store {
        Store::Sqlite(db) => commit_bulk(db, clock, zone, &file, bytes, options, actor),
        Store::Postgres(_) => store.write(|c| commit_rows(c, clock, zone, &file, bytes, options, actor)),
    }
}

/// What is recorded of the file itself.
struct ImportFile {
    import_id: String,
    file_sha256: String,
    file_name: String,
}

/// The error naming the first row that stops the import (a bad row, or a
/// duplicate unless the officer chose to skip them), if any.
fn refuse_blocking(analysis: &Analysis, options: &ImportOptions) -> Result<()> {
    let blocking: Vec<_> = analysis
        .preview
        .rows
        .iter()
        .filter(|r| r.outcome == RowOutcome::Error || (r.outcome == RowOutcome::Duplicate && !options.skip_duplicates))
        .collect();
    let Some(first) = blocking.first() else { return Ok(()) };
    let more = match blocking.len() {
        1 => String::new(),
        n => format!(" (and {} more rows)", n - 1),
    };
    Err(Error::invalid(
        "file",
        format!(
            "line {}, {}: {}{more}; nothing was imported",
            first.line,
            first.field.as_deref().unwrap_or("row"),
            first.message.as_deref().unwrap_or("is not valid"),
        ),
    ))
}

/// The import's own row and its `imported` event (on a team register the
/// server records the actor from `session_user`).
fn record<'a>(
    conn: impl Into<Conn<'a>>,
    clock: &dyn Clock,
    file: &ImportFile,
    analysis: &Analysis,
    references: Vec<String>,
    actor: &str,
) -> Result<ImportReport> {
    let conn = conn.into();
    let p = &analysis.preview;
    let imported = u32::try_from(references.len()).unwrap_or(u32::MAX);
    let now = clock.now().to_rfc3339();
    conn.execute(
        "INSERT INTO imports (id, file_name, file_sha256, encoding, delimiter, imported, skipped_duplicates, created_at, actor) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        &[&file.import_id, &file.file_name, &file.file_sha256, &p.encoding, &p.delimiter, &imported, &p.duplicates, &now, &actor],
    )?;
    events::append(
        conn,
        None,
        clock.now(),
        actor,
        NewEvent {
            kind: EventKind::Imported,
            summary: format!("Imported {imported} requests from a CSV file ({} duplicates skipped)", p.duplicates),
            data: json!({ "import": file.import_id, "file_sha256": file.file_sha256, "imported": imported, "skipped_duplicates": p.duplicates }),
        },
    )?;
    Ok(ImportReport {
        import_id: file.import_id.clone(),
        imported,
        skipped_duplicates: p.duplicates,
        references,
        encoding: p.encoding.clone(),
        delimiter: p.delimiter.clone(),
    })
}

/// The plain path (a team register): each row through
/// `requests::register_scheduled`, exactly as the form, with its schedule
/// computed once per distinct law, type and day; the seals written in one
/// pass at the end. The tallies and the search index are kept by the
/// server's triggers, row by row.
fn commit_rows(
    c: Conn<'_>,
    clock: &dyn Clock,
    zone: chrono_tz::Tz,
    file: &ImportFile,
    bytes: &[u8],
    options: &ImportOptions,
    actor: &str,
) -> Result<ImportReport> {
    let analysis = analyse(c, clock, zone, bytes, options)?;
    refuse_blocking(&analysis, options)?;
    let engine = load_options(c)?;
    let mut schedules = Schedules::new(&engine)?;
    // The writer lock is held: the import's requests take the numbers from here on, one after another.
    let first = crate::requests::rows::next_number(c)?;
    with_seals_deferred(c, || {
        for (row, valid) in analysis.preview.rows.iter().zip(&analysis.valid) {
            let Some(valid) = valid else { continue };
            let source = json!({ "import": file.import_id, "line": row.line });
            let (distinct, _) = schedules.get(valid)?;
            crate::requests::register_scheduled(c, clock, valid, &distinct.schedule, actor, Some(&source))?;
        }
        Ok(())
    })?;
    let references = c.query_map("SELECT reference FROM requests WHERE number >= ?1 ORDER BY number", &[&first], |r| r.get(0))?;
    record(c, clock, file, &analysis, references, actor)
}

/// The bulk path (the officer's file), for speed: see below.
fn commit_bulk(
    db: &Db,
    clock: &dyn Clock,
    zone: chrono_tz::Tz,
    file: &ImportFile,
    bytes: &[u8],
    options: &ImportOptions,
    actor: &str,
) -> Result<ImportReport> {
    let import_id = &file.import_id;
    db.write_bulk(|tx| {
        // Checked again inside the transaction: the register may have changed since the preview.
        let analysis = analyse(tx.into(), clock, zone, bytes, options)?;
        refuse_blocking(&analysis, options)?;
        let p = &analysis.preview;
        // The bulk path: the deadline engine once per distinct law, type and day
        // of receipt, each schedule's JSON written once (`register`); the search
        // index written once; each event's chain link written as it is, from the
        // values the row was inserted with (`events::Sealer`), nothing read back;
        // the dashboard's tallies counted in Rust and added once, their
        // insert triggers held back meanwhile (`triggers`). Each row is
        // registered as the form registers it (`requests::register_scheduled`),
        // with the same row, events, tasks and seals.
        let engine = load_options(tx)?;
        let rows = analysis.valid.iter().flatten().count();
        let rebuilt = if big_enough_to_rebuild_indexes(tx, rows, analysis.valid.iter().flatten().any(|v| v.appeal_of.is_some()))? {
            drop_request_indexes(tx)?
        } else {
            Vec::new()
        };
        let held = hold_back(tx)?;
        let mut counts = Counts::default();
        let mut registrar = Registrar::new(tx, &engine)?;
        let valid: Vec<(u32, &_)> = p.rows.iter().zip(&analysis.valid).filter_map(|(row, v)| Some((row.line, v.as_ref()?))).collect();
        let references = with_search_deferred(tx, || registrar.register_all(tx, clock, &valid, actor, import_id, &mut counts))?;
        restore(tx, held, &counts)?;
        for sql in &rebuilt {
            tx.execute_batch(sql)?;
        }
        record(tx, clock, file, &analysis, references, actor)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn register_of(n: i64) -> rusqlite::Connection {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE requests (number INTEGER PRIMARY KEY)").unwrap();
        conn.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 WHERE ?1 > 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?1) INSERT INTO requests (number) SELECT i FROM n",
            [n],
        )
        .unwrap();
        conn
    }

    #[test]
    fn the_indexes_are_rebuilt_only_for_a_large_file_into_a_register_small_beside_it() {
        // Into an empty register, or one of up to a quarter of the file: rebuilt.
        assert!(big_enough_to_rebuild_indexes(&register_of(0), 50_000, false).unwrap());
        assert!(big_enough_to_rebuild_indexes(&register_of(12_500), 50_000, false).unwrap());
        // The second file of 50,000 into the first's 50,000: added to row by row.
        assert!(!big_enough_to_rebuild_indexes(&register_of(12_501), 50_000, false).unwrap());
        assert!(!big_enough_to_rebuild_indexes(&register_of(50_000), 50_000, false).unwrap());
        // A small file, or one with appeals: never.
        assert!(!big_enough_to_rebuild_indexes(&register_of(0), 4_999, false).unwrap());
        assert!(!big_enough_to_rebuild_indexes(&register_of(0), 50_000, true).unwrap());
    }
}
