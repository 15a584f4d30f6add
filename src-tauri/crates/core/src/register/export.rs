//! All requests as CSV or JSON, streamed to any writer.

use std::io::Write;

use chrono::NaiveDate;
use serde::Serialize;

use crate::clock::Clock;
use crate::domain::Identifier;
use crate::error::{Error, Result};
use crate::files::csv_safe::neutralise;
use crate::store::events::parse_instant;
use crate::store::{Row, Store};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Csv,
    Json,
}

impl ExportFormat {
    pub fn parse(s: &str) -> Result<ExportFormat> {
        match s {
            "csv" => Ok(ExportFormat::Csv),
            "json" => Ok(ExportFormat::Json),
            _ => Err(Error::invalid("format", "is csv or json")),
        }
    }
}

/// One line of the register.
#[derive(Debug, Clone, Serialize)]
pub struct RegisterRow {
    pub reference: String,
    pub id: String,
    #[serde(rename = "type")]
    pub request_type: String,
    pub regime: String,
    pub jurisdiction: String,
    pub subject_name: String,
    pub subject_email: Option<String>,
    pub identifiers: Vec<Identifier>,
    pub channel: String,
    pub received_on: NaiveDate,
    pub received_at: String,
    pub time_zone: String,
    pub status: String,
    pub status_reason: Option<String>,
    pub due: Option<NaiveDate>,
    /// The local date the request was closed (completed, refused, withdrawn, duplicate).
    pub closed_on: Option<NaiveDate>,
    /// Calendar days from receipt to closing.
    pub days_to_respond: Option<i64>,
    /// Closed on or before the due date in force; none while open or without a date.
    pub on_time: Option<bool>,
    pub notes: String,
    pub created_at: String,
    pub updated_at: String,
}

const CSV_HEADER: &[&str] = &[
    "reference",
    "id",
    "type",
    "regime",
    "jurisdiction",
    "subject_name",
    "subject_email",
    "identifiers",
    "channel",
    "received_on",
    "received_at",
    "time_zone",
    "status",
    "status_reason",
    "due",
    "closed_on",
    "days_to_respond",
    "on_time",
    "notes",
    "created_at",
    "updated_at",
];

const ROW_SQL: &str = "SELECT reference, id, request_type, regime, jurisdiction, subject_name, subject_email, identifiers, \
     channel, received_on, received_at, time_zone, status, status_reason, due, closed_on, notes, created_at, updated_at \
     FROM requests ORDER BY received_on, number";

/// One request's columns as stored, in `ROW_SQL`'s order.
struct Stored {
    text: [String; 6],
    subject_email: Option<String>,
    identifiers: String,
    received_on: String,
    received_at: String,
    status: String,
    status_reason: Option<String>,
    due: Option<String>,
    closed: Option<String>,
    notes: String,
    created_at: String,
    updated_at: String,
}

impl Stored {
    /// `text`: reference, id, type, regime, jurisdiction, subject name.
    fn into_row(self, channel: String, time_zone: String) -> Result<RegisterRow> {
        let corrupt = |field: &'static str| Error::Internal(format!("stored request has an unreadable {field}"));
        let date = |s: &str, field| s.parse::<NaiveDate>().map_err(|_| corrupt(field));
        let received_on = date(&self.received_on, "date of receipt")?;
        let due = self.due.as_deref().map(|d| date(d, "due date")).transpose()?;
        let closed_on = match self.status.parse::<crate::domain::Status>() {
            Ok(s) if s.is_closed() => self.closed.as_deref().map(|d| date(d, "closing date")).transpose()?,
            _ => None,
        };
        let [reference, id, request_type, regime, jurisdiction, subject_name] = self.text;
        Ok(RegisterRow {
            days_to_respond: closed_on.map(|d| (d - received_on).num_days()),
            on_time: match (closed_on, due) {
                (Some(c), Some(d)) => Some(c <= d),
                _ => None,
            },
            closed_on,
            reference,
            id,
            request_type,
            regime,
            jurisdiction,
            subject_name,
            subject_email: self.subject_email,
            identifiers: serde_json::from_str::<Vec<Identifier>>(&self.identifiers).map_err(|_| corrupt("identifiers"))?,
            channel,
            received_on,
            received_at: parse_instant(&self.received_at).to_rfc3339(),
            time_zone,
            status: self.status,
            status_reason: self.status_reason,
            due,
            notes: self.notes,
            created_at: parse_instant(&self.created_at).to_rfc3339(),
            updated_at: parse_instant(&self.updated_at).to_rfc3339(),
        })
    }
}

/// The columns of the register's query as [`Stored`], from a row of either store (their `get`s
/// differ in type only); columns 8 and 11 (channel, time zone) are read by the caller.
macro_rules! stored_of {
    ($r:expr) => {
        Stored {
            text: [$r.get(0)?, $r.get(1)?, $r.get(2)?, $r.get(3)?, $r.get(4)?, $r.get(5)?],
            subject_email: $r.get(6)?,
            identifiers: $r.get(7)?,
            received_on: $r.get(9)?,
            received_at: $r.get(10)?,
            status: $r.get(12)?,
            status_reason: $r.get(13)?,
            due: $r.get(14)?,
            closed: $r.get(15)?,
            notes: $r.get(16)?,
            created_at: $r.get(17)?,
            updated_at: $r.get(18)?,
        }
    };
}

fn register_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Result<RegisterRow>> {
    let stored = stored_of!(r);
    let (channel, time_zone) = (r.get(8)?, r.get(11)?);
    Ok(stored.into_row(channel, time_zone))
}

/// [`register_row`] through the store interface (a team register); the
/// request's number last, for the next page.
fn register_row_of(r: &Row<'_>) -> Result<(RegisterRow, i64)> {
    let stored = stored_of!(r);
    Ok((stored.into_row(r.get(8)?, r.get(11)?)?, r.get(19)?))
}

/// Requests read per round trip from a team register: memory stays flat at any size.
const PAGE: i64 = 1_000;

/// Calls `each` with every request, oldest first, in one read transaction
/// (a consistent register); returns how many. The file is read in one pass;
/// a team register page by page (by date of receipt and number) on one snapshot.
pub fn for_each_row<'a>(store: impl Into<Store<'a>>, each: &mut dyn FnMut(RegisterRow) -> Result<()>) -> Result<usize> {
    match store.into() {
        Store::Sqlite(db) => db.read(|c| {
            let mut stmt = c.prepare(ROW_SQL)?;
            let mut rows = stmt.query([])?;
            let mut n = 0;
            while let Some(r) = rows.next()? {
                each(register_row(r)??)?;
                n += 1;
            }
            Ok(n)
        }),
        store @ Store::Postgres(_) => store.read(|c| {
            let columns = ROW_SQL.split(" FROM ").next().unwrap_or(ROW_SQL);
            let mut n = 0;
            let mut after: Option<(String, i64)> = None;
            loop {
                let page = match &after {
                    None => c.query_map(
                        &format!("{columns}, number FROM requests ORDER BY received_on, number LIMIT ?1"),
                        &[&PAGE],
                        register_row_of,
                    )?,
                    Some((day, number)) => c.query_map(
                        &format!(
                            "{columns}, number FROM requests WHERE received_on > ?1 OR (received_on = ?1 AND number > ?2) \
                             ORDER BY received_on, number LIMIT ?3"
                        ),
                        &[day, number, &PAGE],
                        register_row_of,
                    )?,
                };
                let full = page.len() as i64 == PAGE;
                for (row, number) in page {
                    after = Some((row.received_on.to_string(), number));
                    each(row)?;
                    n += 1;
                }
                if !full {
                    return Ok(n);
                }
            }
        }),
    }
}

/// Every request, oldest first, with when and whether it was answered on time.
pub fn register_rows<'a>(store: impl Into<Store<'a>>) -> Result<Vec<RegisterRow>> {
    let mut out = Vec::new();
    for_each_row(store, &mut |r| {
        out.push(r);
        Ok(())
    })?;
    Ok(out)
}

fn csv_error(e: csv::Error) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => Error::Io(io),
        other => Error::Internal(format!("CSV: {other:?}")),
    }
}

/// Writes the register to `out`; returns how many requests it holds. The CSV
/// is written row by row as the table is read (flat memory at any size).
pub fn export<'a>(store: impl Into<Store<'a>>, format: ExportFormat, out: &mut dyn Write) -> Result<usize> {
    let db = store.into();
    match format {
        ExportFormat::Json => {
            let rows = register_rows(db)?;
            serde_json::to_writer_pretty(&mut *out, &rows).map_err(|e| Error::Internal(e.to_string()))?;
            out.write_all(b"\n")?;
            Ok(rows.len())
        }
        ExportFormat::Csv => {
            // A BOM so Excel reads the UTF-8 as UTF-8; CRLF as RFC 4180 says.
            out.write_all("\u{feff}".as_bytes())?;
            let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(&mut *out);
            w.write_record(CSV_HEADER).map_err(csv_error)?;
            let mut identifiers = String::new();
            let n = for_each_row(db, &mut |r| {
                identifiers.clear();
                for (i, id) in r.identifiers.iter().enumerate() {
                    if i > 0 {
                        identifiers.push_str("; ");
                    }
                    identifiers.push_str(&id.kind);
                    identifiers.push_str(": ");
                    identifiers.push_str(&id.value);
                }
                let opt_date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
                let cells: [&str; 21] = [
                    &r.reference,
                    &r.id,
                    &r.request_type,
                    &r.regime,
                    &r.jurisdiction,
                    &r.subject_name,
                    r.subject_email.as_deref().unwrap_or_default(),
                    &identifiers,
                    &r.channel,
                    &r.received_on.to_string(),
                    &r.received_at,
                    &r.time_zone,
                    &r.status,
                    r.status_reason.as_deref().unwrap_or_default(),
                    &opt_date(r.due),
                    &opt_date(r.closed_on),
                    &r.days_to_respond.map(|d| d.to_string()).unwrap_or_default(),
                    r.on_time.map(|b| if b { "yes" } else { "no" }).unwrap_or_default(),
                    &r.notes,
                    &r.created_at,
                    &r.updated_at,
                ];
                for cell in cells {
                    w.write_field(neutralise(cell).as_bytes()).map_err(csv_error)?;
                }
                w.write_record(None::<&[u8]>).map_err(csv_error)
            })?;
            w.flush()?;
            Ok(n)
        }
    }
}

/// Where an export went.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ExportResult {
    pub path: String,
    pub requests: u32,
}

/// Writes the register to `out` atomically; an empty `out` means
/// `exports/register-<today>.<csv|json>` in the folder that holds the database.
/// Writes the register to `out` atomically; an empty `out` means
/// `exports/register-<today>.<csv|json>` in the folder that holds the database
/// (a team register has no folder: there the file must be named).
pub fn export_to_file<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, format: ExportFormat, out: &str) -> Result<ExportResult> {
    let store = store.into();
    let path = if out.trim().is_empty() {
        let Store::Sqlite(db) = store else {
            return Err(Error::invalid("out", "names the file to write: a team register has no folder of its own"));
        };
        let dir = db.path().parent().unwrap_or(std::path::Path::new(".")).join("exports");
        std::fs::create_dir_all(&dir).map_err(|e| crate::files::atomic::write_error(&dir, &e))?;
        let ext = match format {
            ExportFormat::Csv => "csv",
            ExportFormat::Json => "json",
        };
        dir.join(format!("register-{}.{ext}", clock.now().date_naive()))
    } else {
        std::path::PathBuf::from(out.trim())
    };
    let mut n = 0;
    crate::files::atomic::write_with(&path, |f| {
        let mut w = std::io::BufWriter::new(f);
        n = export(store, format, &mut w)?;
        w.flush().map_err(|e| crate::files::atomic::write_error(&path, &e))?;
        Ok(())
    })?;
    Ok(ExportResult { path: path.display().to_string(), requests: u32::try_from(n).unwrap_or(u32::MAX) })
}
