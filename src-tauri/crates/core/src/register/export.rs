//! All requests as CSV or JSON, streamed to any writer.

use std::io::Write;

use chrono::NaiveDate;
use serde::Serialize;

use super::closures::closed_on;
use super::csv_safe::neutralise;
use crate::clock::Clock;
use crate::domain::Identifier;
use crate::error::{Error, Result};
use crate::services::requests::today_in;
use crate::store::requests::{self as rows, RequestFilter, SortOrder};
use crate::store::Db;

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
    "reference", "id", "type", "regime", "jurisdiction", "subject_name", "subject_email", "identifiers", "channel",
    "received_on", "received_at", "time_zone", "status", "status_reason", "due", "closed_on", "days_to_respond",
    "on_time", "notes", "created_at", "updated_at",
];

/// Every request, oldest first, with when and whether it was answered on time.
pub fn register_rows(db: &Db, clock: &dyn Clock) -> Result<Vec<RegisterRow>> {
    db.read(|c| {
        let closed = closed_on(c)?;
        let mut out = Vec::new();
        let page = 10_000u32;
        loop {
            let filter = RequestFilter {
                sort: SortOrder::ReceivedAsc,
                limit: Some(page),
                offset: Some(u32::try_from(out.len()).unwrap_or(u32::MAX)),
                ..Default::default()
            };
            let batch = rows::list(c, &filter, today_in(clock))?;
            let n = batch.len();
            for r in batch {
                let closed_on = if r.status.is_closed() { closed.get(&r.id).copied() } else { None };
                out.push(RegisterRow {
                    days_to_respond: closed_on.map(|d| (d - r.received_on).num_days()),
                    on_time: match (closed_on, r.due) {
                        (Some(c), Some(d)) => Some(c <= d),
                        _ => None,
                    },
                    closed_on,
                    reference: r.reference,
                    id: r.id,
                    request_type: r.request_type.as_str().into(),
                    regime: r.regime,
                    jurisdiction: r.jurisdiction,
                    subject_name: r.subject.name,
                    subject_email: r.subject.email,
                    identifiers: r.subject.identifiers,
                    channel: r.channel.as_str().into(),
                    received_on: r.received_on,
                    received_at: r.received_at.to_rfc3339(),
                    time_zone: r.time_zone,
                    status: r.status.as_str().into(),
                    status_reason: r.status_reason,
                    due: r.due,
                    notes: r.notes,
                    created_at: r.created_at.to_rfc3339(),
                    updated_at: r.updated_at.to_rfc3339(),
                });
            }
            if n < page as usize {
                break;
            }
        }
        Ok(out)
    })
}

fn csv_error(e: csv::Error) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => Error::Io(io),
        other => Error::Internal(format!("CSV: {other:?}")),
    }
}

/// Writes the register to `out`; returns how many requests it holds.
pub fn export(db: &Db, clock: &dyn Clock, format: ExportFormat, out: &mut dyn Write) -> Result<usize> {
    let rows = register_rows(db, clock)?;
    match format {
        ExportFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &rows).map_err(|e| Error::Internal(e.to_string()))?;
            out.write_all(b"\n")?;
        }
        ExportFormat::Csv => {
            // A BOM so Excel reads the UTF-8 as UTF-8; CRLF as RFC 4180 says.
            out.write_all("\u{feff}".as_bytes())?;
            let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(&mut *out);
            w.write_record(CSV_HEADER).map_err(csv_error)?;
            for r in &rows {
                let identifiers =
                    r.identifiers.iter().map(|i| format!("{}: {}", i.kind, i.value)).collect::<Vec<_>>().join("; ");
                let opt_date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
                let cells: [String; 21] = [
                    r.reference.clone(),
                    r.id.clone(),
                    r.request_type.clone(),
                    r.regime.clone(),
                    r.jurisdiction.clone(),
                    r.subject_name.clone(),
                    r.subject_email.clone().unwrap_or_default(),
                    identifiers,
                    r.channel.clone(),
                    r.received_on.to_string(),
                    r.received_at.clone(),
                    r.time_zone.clone(),
                    r.status.clone(),
                    r.status_reason.clone().unwrap_or_default(),
                    opt_date(r.due),
                    opt_date(r.closed_on),
                    r.days_to_respond.map(|d| d.to_string()).unwrap_or_default(),
                    r.on_time.map(|b| if b { "yes" } else { "no" }.to_string()).unwrap_or_default(),
                    r.notes.clone(),
                    r.created_at.clone(),
                    r.updated_at.clone(),
                ];
                w.write_record(cells.iter().map(|c| neutralise(c).into_owned())).map_err(csv_error)?;
            }
            w.flush()?;
        }
    }
    Ok(rows.len())
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
pub fn export_to_file(db: &Db, clock: &dyn Clock, format: ExportFormat, out: &str) -> Result<ExportResult> {
    let path = if out.trim().is_empty() {
        let dir = db.path().parent().unwrap_or(std::path::Path::new(".")).join("exports");
        std::fs::create_dir_all(&dir).map_err(|e| crate::atomic_file::write_error(&dir, &e))?;
        let ext = match format {
            ExportFormat::Csv => "csv",
            ExportFormat::Json => "json",
        };
        dir.join(format!("register-{}.{ext}", clock.now().date_naive()))
    } else {
        std::path::PathBuf::from(out.trim())
    };
    let mut n = 0;
    crate::atomic_file::write_with(&path, |f| {
        let mut w = std::io::BufWriter::new(f);
        n = export(db, clock, format, &mut w)?;
        w.flush().map_err(|e| crate::atomic_file::write_error(&path, &e))?;
        Ok(())
    })?;
    Ok(ExportResult { path: path.display().to_string(), requests: u32::try_from(n).unwrap_or(u32::MAX) })
}
