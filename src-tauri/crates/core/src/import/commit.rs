//! All rows or none: every request of the file and its `registered` event in
//! one transaction, with a record of the import. Any bad row (or, unless the
//! officer chose to skip them, any duplicate) and nothing is written.

use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::rows::{analyse, RowOutcome};
use super::ImportOptions;
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::requests::register_in;
use crate::requests::rows::with_search_deferred;
use crate::settings::org_time_zone;
use crate::store::events::{self, EventKind, NewEvent};
use crate::store::Db;

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

/// Registers every row of the file, or none. `file_name` is recorded (without its folder).
pub fn commit(db: &Db, clock: &dyn Clock, file_name: &str, bytes: &[u8], options: &ImportOptions, actor: &str) -> Result<ImportReport> {
    let zone = org_time_zone(db)?;
    let import_id = uuid::Uuid::now_v7().to_string();
    let file_sha256 = format!("{:x}", Sha256::digest(bytes));
    let file_name = std::path::Path::new(file_name).file_name().and_then(|n| n.to_str()).unwrap_or("import.csv").to_string();
    db.write_bulk(|tx| {
        // Checked again inside the transaction: the register may have changed since the preview.
        let analysis = analyse(tx, clock, zone, bytes, options)?;
        let p = &analysis.preview;
        let blocking: Vec<_> = p
            .rows
            .iter()
            .filter(|r| r.outcome == RowOutcome::Error || (r.outcome == RowOutcome::Duplicate && !options.skip_duplicates))
            .collect();
        if let Some(first) = blocking.first() {
            let more = match blocking.len() {
                1 => String::new(),
                n => format!(" (and {} more rows)", n - 1),
            };
            return Err(Error::invalid(
                "file",
                format!(
                    "line {}, {}: {}{more}; nothing was imported",
                    first.line,
                    first.field.as_deref().unwrap_or("row"),
                    first.message.as_deref().unwrap_or("is not valid"),
                ),
            ));
        }
        let references = with_search_deferred(tx, || {
            let mut references = Vec::new();
            let mut reference = tx.prepare_cached("SELECT reference FROM requests WHERE id = ?1")?;
            for (row, valid) in p.rows.iter().zip(&analysis.valid) {
                let Some(valid) = valid else { continue };
                let source = json!({ "import": import_id, "line": row.line });
                let id = register_in(tx, clock, valid, actor, Some(&source))?;
                references.push(reference.query_row([&id], |r| r.get::<_, String>(0))?);
            }
            Ok(references)
        })?;
        let imported = u32::try_from(references.len()).unwrap_or(u32::MAX);
        tx.execute(
            "INSERT INTO imports (id, file_name, file_sha256, encoding, delimiter, imported, skipped_duplicates, created_at, actor) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            rusqlite::params![
                import_id,
                file_name,
                file_sha256,
                p.encoding,
                p.delimiter,
                imported,
                p.duplicates,
                clock.now().to_rfc3339(),
                actor
            ],
        )?;
        events::append(
            tx,
            None,
            clock.now(),
            actor,
            NewEvent {
                kind: EventKind::Imported,
                summary: format!("Imported {imported} requests from a CSV file ({} duplicates skipped)", p.duplicates),
                data: json!({ "import": import_id, "file_sha256": file_sha256, "imported": imported, "skipped_duplicates": p.duplicates }),
            },
        )?;
        Ok(ImportReport {
            import_id: import_id.clone(),
            imported,
            skipped_duplicates: p.duplicates,
            references,
            encoding: p.encoding.clone(),
            delimiter: p.delimiter.clone(),
        })
    })
}
