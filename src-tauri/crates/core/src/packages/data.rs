//! The subject's data in machine-readable form: one JSON file with every
//! category, and a CSV file per category ("structured, commonly used and
//! machine-readable", GDPR Art. 20(1)). CSV cells that a spreadsheet would run
//! as a formula are neutralised, as in the register export.

use std::collections::BTreeSet;

use serde_json::json;

use crate::error::{Error, Result};
use crate::files::csv_safe::neutralise;
use crate::packages::sources::CategoryRecords;

/// A file name part: lower-case letters, digits and dashes.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "data".into()
    } else {
        out
    }
}

pub fn json_file(reference: &str, records: &[CategoryRecords]) -> Result<Vec<u8>> {
    let categories: serde_json::Map<String, serde_json::Value> = records.iter().map(|c| (c.category.clone(), json!(c.rows))).collect();
    serde_json::to_vec_pretty(&json!({ "reference": reference, "categories": categories })).map_err(|e| Error::Internal(e.to_string()))
}

pub fn csv_file(records: &CategoryRecords) -> Result<Vec<u8>> {
    let columns: BTreeSet<&String> = records.rows.iter().flat_map(|r| r.keys()).collect();
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    let err = |e: csv::Error| Error::Internal(format!("CSV: {e}"));
    w.write_record(columns.iter().map(|c| neutralise(c).into_owned())).map_err(err)?;
    for row in &records.rows {
        w.write_record(columns.iter().map(|c| neutralise(row.get(*c).map_or("", String::as_str)).into_owned())).map_err(err)?;
    }
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend(w.into_inner().map_err(|e| Error::Internal(e.to_string()))?);
    Ok(bytes)
}
