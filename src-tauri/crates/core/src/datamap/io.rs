//! The data map as a file: CSV (one row per system, a header naming the
//! columns of [`FIELDS`]) or JSON (an array of objects with those fields).
//! An import is all-or-nothing: every row is checked first, and the first bad
//! row is named with its line (CSV) or item number (JSON) and field. A CSV
//! export neutralises cells a spreadsheet would run as formulas (as the
//! register export does, `files::csv_safe`), and the import takes the
//! neutralising apostrophe off again, so a map reads back as it was.

use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::HashSet;

use crate::clock::Clock;
use crate::datamap::{self, field_name, SystemInput, ValidSystem, FIELDS};
use crate::error::{Error, Result};
use crate::files::csv_safe;
use crate::store::events::{self, EventKind, NewEvent};
use crate::store::Store;

/// The two file formats of the data map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum DataFormat {
    Csv,
    Json,
}

impl DataFormat {
    pub fn parse(s: &str) -> Option<DataFormat> {
        match s.trim().to_ascii_lowercase().as_str() {
            "csv" => Some(DataFormat::Csv),
            "json" => Some(DataFormat::Json),
            _ => None,
        }
    }

    /// The format a file name's extension suggests.
    pub fn from_file_name(name: &str) -> Option<DataFormat> {
        name.rsplit_once('.').and_then(|(_, ext)| DataFormat::parse(ext))
    }
}

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportSummary {
    pub added: u32,
    pub updated: u32,
}

fn row_error(place: String, e: Error) -> Error {
    match e {
        Error::Invalid { field, reason } => Error::invalid("import", format!("{place}, {field}: {reason}")),
        other => other,
    }
}

/// Parses and checks a whole file; nothing is written.
pub fn parse(text: &str, format: DataFormat) -> Result<Vec<ValidSystem>> {
    let inputs: Vec<(String, SystemInput)> = match format {
        DataFormat::Csv => parse_csv(text)?,
        DataFormat::Json => parse_json(text)?,
    };
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(inputs.len());
    for (place, input) in inputs {
        let valid = input.validate().map_err(|e| row_error(place.clone(), e))?;
        if !seen.insert(valid.input.name.to_lowercase()) {
            return Err(Error::invalid("import", format!("{place}, name: the same system appears twice in the file")));
        }
        out.push(valid);
    }
    if out.is_empty() {
        return Err(Error::invalid("import", "the file holds no systems"));
    }
    Ok(out)
}

fn parse_csv(text: &str) -> Result<Vec<(String, SystemInput)>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new().flexible(false).trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| csv_error(&e))?.clone();
    let mut columns = Vec::with_capacity(headers.len());
    for h in headers.iter() {
        let key = h.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        if !FIELDS.contains(&key.as_str()) {
            return Err(Error::invalid(
                "import",
                format!("line 1: unknown column \"{}\" (columns: {})", h.chars().take(40).collect::<String>(), FIELDS.join(", ")),
            ));
        }
        if columns.contains(&key) {
            return Err(Error::invalid("import", format!("line 1: the column {key} appears twice")));
        }
        columns.push(key);
    }
    if !columns.iter().any(|c| c == "name") {
        return Err(Error::invalid("import", "line 1: the header has no name column"));
    }
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(&e))?;
        let line = record.position().map_or(0, |p| p.line());
        let mut input = SystemInput::default();
        for (key, value) in columns.iter().zip(record.iter()) {
            set_csv_field(&mut input, key, value);
        }
        out.push((format!("line {line}"), input));
    }
    Ok(out)
}

fn csv_error(e: &csv::Error) -> Error {
    let line = e.position().map(|p| p.line());
    let what = match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("has {len} fields where the header has {expected_len}")
        }
        csv::ErrorKind::Utf8 { .. } => "is not UTF-8 text".to_string(),
        _ => "could not be read as CSV".to_string(),
    };
    match line {
        Some(l) => Error::invalid("import", format!("line {l} {what}")),
        None => Error::invalid("import", format!("the file {what}")),
    }
}

fn set_field(input: &mut SystemInput, key: &str, value: &str) {
    *input.field_mut(key) = value.to_string();
}

/// A CSV cell as it was before the export neutralised it, so an exported map reads back unchanged.
fn set_csv_field(input: &mut SystemInput, key: &str, value: &str) {
    set_field(input, key, csv_safe::restore(value));
}

fn parse_json(text: &str) -> Result<Vec<(String, SystemInput)>> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| Error::invalid("import", format!("line {}: not valid JSON", e.line())))?;
    let items = match value {
        serde_json::Value::Array(items) => items,
        serde_json::Value::Object(mut o) if o.get("systems").is_some_and(|s| s.is_array()) => match o.remove("systems") {
            Some(serde_json::Value::Array(items)) => items,
            _ => Vec::new(),
        },
        _ => return Err(Error::invalid("import", "expected an array of systems")),
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let place = format!("item {}", i + 1);
        let serde_json::Value::Object(map) = item else {
            return Err(Error::invalid("import", format!("{place}: expected an object")));
        };
        let mut input = SystemInput::default();
        for (key, value) in map {
            if !FIELDS.contains(&key.as_str()) {
                return Err(Error::invalid("import", format!("{place}: unknown field \"{}\"", key.chars().take(40).collect::<String>())));
            }
            let text = match value {
                serde_json::Value::String(s) => s,
                serde_json::Value::Null => String::new(),
                serde_json::Value::Array(parts) if parts.iter().all(|p| p.is_string()) => {
                    parts.iter().filter_map(|p| p.as_str()).collect::<Vec<_>>().join("; ")
                }
                _ => return Err(Error::invalid("import", format!("{place}, {}: expected text", field_name(&key)))),
            };
            set_field(&mut input, &key, &text);
        }
        out.push((place, input));
    }
    Ok(out)
}

/// Imports a data map file: systems are matched by name (case-insensitive);
/// a known one is updated, a new one added. All or nothing. On either store.
pub fn import<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, text: &str, format: DataFormat, actor: &str) -> Result<ImportSummary> {
    let systems = parse(text, format)?;
    let now = clock.now();
    store.into().write(|tx| {
        let mut summary = ImportSummary { added: 0, updated: 0 };
        for s in &systems {
            let existing = datamap::find_by_name(tx, &s.input.name)?;
            datamap::upsert(tx, existing.as_ref().map(|e| e.id.as_str()), s, now)?;
            if existing.is_some() {
                summary.updated += 1;
            } else {
                summary.added += 1;
            }
        }
        events::append(
            tx,
            None,
            now,
            actor,
            NewEvent {
                kind: EventKind::DatamapImported,
                summary: format!(
                    "Data map imported ({}): {} added, {} updated",
                    match format {
                        DataFormat::Csv => "CSV",
                        DataFormat::Json => "JSON",
                    },
                    summary.added,
                    summary.updated
                ),
                data: json!({ "added": summary.added, "updated": summary.updated }),
            },
        )?;
        Ok(summary)
    })
}

/// The data map as a file that [`import`] reads back. On either store.
pub fn export<'a>(store: impl Into<Store<'a>>, format: DataFormat) -> Result<String> {
    let systems: Vec<SystemInput> = datamap::list(store)?.iter().map(SystemInput::from).collect();
    render(&systems, format)
}

pub(crate) fn render(systems: &[SystemInput], format: DataFormat) -> Result<String> {
    match format {
        DataFormat::Json => serde_json::to_string_pretty(systems).map_err(crate::error::json_err),
        DataFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(FIELDS).map_err(|e| Error::Internal(e.to_string()))?;
            for s in systems {
                // As in the register export: a cell a spreadsheet would run as a formula is written as text.
                w.write_record(FIELDS.iter().map(|f| csv_safe::neutralise(s.field(f)).into_owned()))
                    .map_err(|e| Error::Internal(e.to_string()))?;
            }
            let bytes = w.into_inner().map_err(|e| Error::Internal(e.to_string()))?;
            String::from_utf8(bytes).map_err(|e| Error::Internal(e.to_string()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use crate::store::Db;

    fn db() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::testutil::test_db(&dir.path().join("r.sqlite3"));
        (dir, db)
    }

    const CSV: &str = "name,vendor,role,purposes,location,retention,legal_duty\n\
        Stripe,Stripe Inc.,sub-processor,\"Payment processing, subscriptions\",USA,7 years,\"Tax law: payment records, 7 years\"\n\
        NeonDB,Neon Inc.,sub-processor,Tenant data,\"AWS us-east-1, USA\",30 days after cancellation,\n";

    #[test]
    fn a_csv_data_map_is_imported_and_exported_back_readable_by_a_csv_parser() {
        let (_dir, db) = db();
        let clock = FixedClock::at("2026-11-23");
        let summary = import(&db, &clock, CSV, DataFormat::Csv, "o").unwrap();
        assert_eq!(summary, ImportSummary { added: 2, updated: 0 });
        let out = export(&db, DataFormat::Csv).unwrap();
        let mut reader = csv::Reader::from_reader(out.as_bytes());
        let headers: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
        assert_eq!(headers, FIELDS);
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(&rows[1][0], "Stripe");
        assert_eq!(&rows[1][3], "Payment processing, subscriptions");
        assert_eq!(&rows[1][9], "Tax law: payment records, 7 years");
        // Importing the export again changes nothing but says it updated both.
        assert_eq!(import(&db, &clock, &out, DataFormat::Csv, "o").unwrap(), ImportSummary { added: 0, updated: 2 });
        assert_eq!(export(&db, DataFormat::Csv).unwrap(), out);
    }

    #[test]
    fn json_round_trips() {
        let (_dir, db) = db();
        let clock = FixedClock::at("2026-11-23");
        import(&db, &clock, CSV, DataFormat::Csv, "o").unwrap();
        let json = export(&db, DataFormat::Json).unwrap();
        let (_dir2, other) = self::db();
        import(&other, &clock, &json, DataFormat::Json, "o").unwrap();
        assert_eq!(export(&other, DataFormat::Csv).unwrap(), export(&db, DataFormat::Csv).unwrap());
    }

    #[test]
    fn a_bad_row_is_named_and_nothing_is_imported() {
        let (_dir, db) = db();
        let clock = FixedClock::at("2026-11-23");
        let cases: &[(&str, DataFormat, &str)] = &[
            ("name,role\nA,own\nB,vendor\n", DataFormat::Csv, "import: line 3, role: is one of: own, processor, sub-processor"),
            ("name,role\nA,own\n,own\n", DataFormat::Csv, "import: line 3, name: is required"),
            ("name,colour\nA,red\n", DataFormat::Csv, "import: line 1: unknown column \"colour\""),
            ("name,role\nA,own\nB\n", DataFormat::Csv, "import: line 3 has 1 fields where the header has 2"),
            ("name\nA\na\n", DataFormat::Csv, "import: line 3, name: the same system appears twice"),
            ("[{\"name\":\"A\"},{\"name\":\"B\",\"role\":5}]", DataFormat::Json, "import: item 2, role: expected text"),
            ("[{\"name\":\"A\",\"owner\":\"x\"}]", DataFormat::Json, "import: item 1: unknown field \"owner\""),
            ("[{\"name\":\"A\"", DataFormat::Json, "import: line 1: not valid JSON"),
            ("name,role\n", DataFormat::Csv, "import: the file holds no systems"),
        ];
        for (text, format, expected) in cases {
            let err = import(&db, &clock, text, *format, "o").unwrap_err();
            assert!(err.to_string().starts_with(expected), "{text:?}: {err}");
            assert_eq!(err.field(), Some("import"));
        }
        assert!(datamap::list(&db).unwrap().is_empty(), "no row of a refused file was kept");
    }
}
