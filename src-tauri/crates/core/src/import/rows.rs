//! Every row checked as the form would check it, and duplicates found: the
//! same subject email (or first identifier), type and date of receipt, either
//! earlier in the file or already in the register.

use std::collections::HashMap;

use chrono_tz::Tz;
use rusqlite::OptionalExtension;
use serde::Serialize;

use super::decode::decode;
use super::mapping::{self, ImportField};
use super::sniff;
use super::ImportOptions;
use crate::clock::Clock;
use crate::domain::{Identifier, NewRequest, RequestChannel, RequestType};
use crate::error::{Error, Result};
use crate::requests::{validate_new_request, ValidRequest};
use crate::settings::org_time_zone;
use crate::store::interface::{Conn, Dialect};
use crate::store::Store;

/// The most rows one file may hold (a bigger register is imported in parts).
pub const MAX_ROWS: usize = 50_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum RowOutcome {
    Ok,
    Error,
    Duplicate,
}

/// What the preview shows for one row.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RowReport {
    /// The line of the file the row starts on (the header is line 1).
    pub line: u32,
    pub outcome: RowOutcome,
    /// The field at fault (`type`, `email`, `received`…, or `duplicate`).
    pub field: Option<String>,
    /// What is wrong, without repeating the value.
    pub message: Option<String>,
    /// The request as it would be registered (as read, before checking).
    pub request: ImportedRow,
}

/// One row's cells as read, before checking, so the preview shows the row as the file
/// has it, an unknown type or channel included. [`ImportedRow::to_new_request`] reads it.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportedRow {
    pub request_type: String,
    pub regime: String,
    pub jurisdiction: String,
    pub subject_name: String,
    pub subject_email: String,
    pub identifiers: Vec<Identifier>,
    /// Empty means email.
    pub channel: String,
    pub received: String,
    pub time_zone: String,
    pub notes: String,
    pub appeal_of: Option<String>,
}

impl ImportedRow {
    /// The typed request, or the error naming the type or the channel with the
    /// messages the form and the CLI give.
    pub fn to_new_request(&self) -> Result<NewRequest> {
        let request_type: RequestType = self.request_type.parse()?;
        let channel = match self.channel.trim() {
            "" => None,
            c => Some(c.parse::<RequestChannel>()?),
        };
        Ok(NewRequest {
            request_type,
            regime: self.regime.clone(),
            jurisdiction: self.jurisdiction.clone(),
            subject_name: self.subject_name.clone(),
            subject_email: self.subject_email.clone(),
            identifiers: self.identifiers.clone(),
            channel,
            received: self.received.clone(),
            time_zone: self.time_zone.clone(),
            notes: self.notes.clone(),
            idempotency_key: None,
            appeal_of: self.appeal_of.clone(),
        })
    }
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportPreview {
    pub encoding: String,
    /// `comma`, `semicolon` or `tab`.
    pub delimiter: String,
    pub headers: Vec<String>,
    /// The mapping used (as detected, or as given).
    pub mapping: Vec<Option<ImportField>>,
    pub rows: Vec<RowReport>,
    pub ok: u32,
    pub errors: u32,
    pub duplicates: u32,
    /// Whether committing now would register the rows (no errors; duplicates only if skipped).
    pub can_commit: bool,
}

/// A preview plus the checked requests, for [`super::commit`].
pub(super) struct Analysis {
    pub preview: ImportPreview,
    pub valid: Vec<Option<ValidRequest>>,
}

fn read_row(record: &csv::StringRecord, headers: &[String], mapping: &[Option<ImportField>], options: &ImportOptions) -> ImportedRow {
    let mut r = ImportedRow { regime: options.default_regime.clone(), channel: options.default_channel.clone(), ..Default::default() };
    for (i, field) in mapping.iter().enumerate() {
        let (Some(field), Some(value)) = (field, record.get(i)) else { continue };
        let value = value.trim().to_string();
        if value.is_empty() {
            continue;
        }
        match field {
            // "Web form" and "Opt-out sale sharing" read as the names `web-form`, `opt-out-sale-sharing`.
            ImportField::Type => r.request_type = value.to_lowercase().replace(' ', "-"),
            ImportField::Regime => r.regime = value.to_lowercase(),
            ImportField::Jurisdiction => r.jurisdiction = value,
            ImportField::Name => r.subject_name = value,
            ImportField::Email => r.subject_email = value,
            ImportField::Identifier => r.identifiers.push(Identifier { kind: headers[i].trim().to_string(), value }),
            ImportField::Channel => r.channel = value.to_lowercase().replace(' ', "-"),
            ImportField::Received => r.received = value,
            ImportField::TimeZone => r.time_zone = value,
            ImportField::Notes => r.notes = value,
            ImportField::AppealOf => r.appeal_of = Some(value),
        }
    }
    r
}

/// Who, what and when: the key two requests are the same by.
fn duplicate_key(v: &ValidRequest) -> Option<(String, &'static str, String)> {
    let who = v
        .subject_email
        .as_ref()
        .map(|e| format!("email:{}", e.to_lowercase()))
        .or_else(|| v.identifiers.first().map(|i| format!("{}:{}", i.kind.to_lowercase(), i.value)))?;
    Some((who, v.request_type.as_str(), v.received_on.to_string()))
}

fn in_register(conn: Conn<'_>, v: &ValidRequest) -> Result<Option<String>> {
    let (received_on, kind) = (v.received_on.to_string(), v.request_type.as_str());
    if let Some(email) = &v.subject_email {
        if let Some(c) = conn.sqlite() {
            // SQLite's cached statement, as before the store interface (the bulk path's speed).
            return Ok(c
                .prepare_cached(
                    "SELECT reference FROM requests WHERE lower(subject_email) = lower(?1) AND request_type = ?2 AND received_on = ?3",
                )?
                .query_row(rusqlite::params![email, kind, received_on], |r| r.get(0))
                .optional()?);
        }
        return conn.query_opt(
            "SELECT reference FROM requests WHERE lower(subject_email) = lower(?1) AND request_type = ?2 AND received_on = ?3 LIMIT 1",
            &[email, &kind, &received_on],
            |r| r.get(0),
        );
    }
    let Some(id) = v.identifiers.first() else { return Ok(None) };
    let sql = match conn.dialect() {
        Dialect::Sqlite => {
            "SELECT reference FROM requests, json_each(requests.identifiers) j \
             WHERE lower(json_extract(j.value, '$.kind')) = lower(?1) AND json_extract(j.value, '$.value') = ?2 \
               AND request_type = ?3 AND received_on = ?4 LIMIT 1"
        }
        Dialect::Postgres => {
            "SELECT reference FROM requests, jsonb_array_elements(requests.identifiers::jsonb) j \
             WHERE lower(j ->> 'kind') = lower(?1) AND j ->> 'value' = ?2 \
               AND request_type = ?3 AND received_on = ?4 LIMIT 1"
        }
    };
    conn.query_opt(sql, &[&id.kind, &id.value, &kind, &received_on], |r| r.get(0))
}

/// Reads and checks the whole file against the register as `conn` sees it.
pub(super) fn analyse(conn: Conn<'_>, clock: &dyn Clock, zone: Tz, bytes: &[u8], options: &ImportOptions) -> Result<Analysis> {
    let decoded = decode(bytes, options.encoding.as_deref())?;
    let text = one_line_ending(&decoded.text);
    let (delimiter, delimiter_name) = sniff::delimiter(&text);
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).has_headers(true).flexible(true).from_reader(text.as_bytes());
    let headers = read_headers(&mut reader)?;
    let mapping = match &options.mapping {
        Some(m) => m.clone(),
        None => mapping::from_headers(&headers),
    };
    mapping::check(&mapping, headers.len(), !options.default_regime.trim().is_empty())?;

    let mut rows = Vec::new();
    let mut valid = Vec::new();
    let mut seen: HashMap<(String, &'static str, String), u32> = HashMap::new();
    // Into an empty register (a first import, the largest), no row is already registered:
    // one question instead of one per row.
    let register_empty: bool = conn.query_row("SELECT NOT EXISTS (SELECT 1 FROM requests)", &[], |r| r.get(0))?;
    for record in reader.records() {
        if rows.len() >= MAX_ROWS {
            return Err(Error::invalid("file", format!("has more than {MAX_ROWS} rows; split it into smaller files")));
        }
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            Error::invalid("file", format!("line {line} is not well-formed CSV ({})", short(&e)))
        })?;
        let line = u32::try_from(record.position().map_or(0, |p| p.line())).unwrap_or(u32::MAX);
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let request = read_row(&record, &headers, &mapping, options);
        let report = |outcome, field: Option<&str>, message: Option<String>| RowReport {
            line,
            outcome,
            field: field.map(str::to_string),
            message,
            request: request.clone(),
        };
        if record.len() != headers.len() {
            let msg = format!("has {} cells where the header has {}", record.len(), headers.len());
            rows.push(report(RowOutcome::Error, Some("row"), Some(msg)));
            valid.push(None);
            continue;
        }
        let checked = request.to_new_request().and_then(|r| validate_new_request(&r, clock, zone)).and_then(|v| {
            // An appeal's earlier request must already be in the register, decided, under the same law.
            if let Some(earlier) = v.appeal_of.as_deref() {
                crate::requests::appealed_request(conn, &v, earlier)?;
            }
            Ok(v)
        });
        match checked {
            Err(e) => {
                let reason = match &e {
                    Error::Invalid { reason, .. } => reason.clone(),
                    other => other.to_string(),
                };
                rows.push(report(RowOutcome::Error, e.field(), Some(reason)));
                valid.push(None);
            }
            Ok(v) => {
                let key = duplicate_key(&v);
                let earlier = key.as_ref().and_then(|k| seen.get(k).copied());
                let existing = if earlier.is_none() && !register_empty { in_register(conn, &v)? } else { None };
                if let Some(first) = earlier {
                    let msg = format!("repeats line {first} (same subject, type and date of receipt)");
                    rows.push(report(RowOutcome::Duplicate, Some("duplicate"), Some(msg)));
                    valid.push(None);
                } else if let Some(reference) = existing {
                    let msg = format!("is already registered as {reference} (same subject, type and date of receipt)");
                    rows.push(report(RowOutcome::Duplicate, Some("duplicate"), Some(msg)));
                    valid.push(None);
                } else {
                    if let Some(k) = key {
                        seen.insert(k, line);
                    }
                    rows.push(report(RowOutcome::Ok, None, None));
                    valid.push(Some(v));
                }
            }
        }
    }
    if rows.is_empty() {
        return Err(Error::invalid("file", "has a header row but no requests"));
    }
    let count = |o: RowOutcome| u32::try_from(rows.iter().filter(|r| r.outcome == o).count()).unwrap_or(u32::MAX);
    let (ok, errors, duplicates) = (count(RowOutcome::Ok), count(RowOutcome::Error), count(RowOutcome::Duplicate));
    Ok(Analysis {
        preview: ImportPreview {
            encoding: decoded.encoding,
            delimiter: delimiter_name.to_string(),
            headers,
            mapping,
            can_commit: errors == 0 && ok > 0 && (duplicates == 0 || options.skip_duplicates),
            rows,
            ok,
            errors,
            duplicates,
        },
        valid,
    })
}

/// The CSV error's kind without the field's content (which may be personal data).
fn short(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => format!("{len} cells where {expected_len} were expected"),
        csv::ErrorKind::Utf8 { .. } => "not valid text".into(),
        csv::ErrorKind::Io(io) => io.to_string(),
        _ => "unreadable".into(),
    }
}

/// Reads and checks a file without writing anything: what the officer sees
/// before committing. On either store (a team register's auditor may preview).
pub fn preview<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, bytes: &[u8], options: &ImportOptions) -> Result<ImportPreview> {
    let store = store.into();
    let zone = org_time_zone(store)?;
    store.read(|c| analyse(c, clock, zone, bytes, options)).map(|a| a.preview)
}

/// The file's header row, read as the import reads it (for mapping columns by
/// name); `encoding` as in [`ImportOptions::encoding`].
pub fn headers(bytes: &[u8], encoding: Option<&str>) -> Result<Vec<String>> {
    let decoded = decode(bytes, encoding)?;
    let text = one_line_ending(&decoded.text);
    let (delimiter, _) = sniff::delimiter(&text);
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).from_reader(text.as_bytes());
    read_headers(&mut reader)
}

/// Every line ending as `\n`. The CSV reader ends a record at a lone CR (old
/// Mac files, some web forms) but counts lines by LF only, so without this
/// every row of a CR-only file would be reported on line 1.
fn one_line_ending(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('\r') {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// The header row, trimmed; a header that appears twice is refused (naming it),
/// since one of the two columns would otherwise be silently ignored.
fn read_headers(reader: &mut csv::Reader<&[u8]>) -> Result<Vec<String>> {
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| Error::invalid("file", format!("the header row could not be read as CSV ({})", short(&e))))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    for (i, h) in headers.iter().enumerate() {
        if h.is_empty() {
            continue;
        }
        if let Some(j) = headers[..i].iter().position(|earlier| earlier.to_lowercase() == h.to_lowercase()) {
            return Err(Error::invalid(
                "file",
                format!(
                    "the header \"{}\" names two columns ({} and {}); rename one so each column is read",
                    crate::domain::printable(h),
                    j + 1,
                    i + 1
                ),
            ));
        }
    }
    Ok(headers)
}
