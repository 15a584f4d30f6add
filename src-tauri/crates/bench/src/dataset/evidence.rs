//! Evidence files' metadata (table `evidence`): [`Spec::evidence`] rows,
//! mostly exports collected for access and portability requests that got
//! under way, each on the task of the system it came from; some processors'
//! confirmations of erasure (on their delete task), letters and notes on other
//! requests; and identity documents.
//!
//! Only the rows are written: no file goes into `evidence/` beside the
//! database. Lists, counts and the request views see what they would see on an
//! officer's database; anything that reads a file's bytes (opening it, an
//! answer package with its files) finds it missing. `sha256` and `blob` are
//! random lowercase hex from the seed (one shared document, the privacy
//! notice of the year, has the same content — and so the same blob — wherever
//! it is attached), sizes are realistic for the kind of file, from a few KB to
//! 20 MB, never above [`MAX_BYTES`]. Files are added by officers while their
//! request is open: from the start of the work until just before it closed.
//!
//! Identity documents are kept only briefly (the app deletes them a set
//! number of days after verification, [`DOCUMENT_DAYS`] here, the setting the
//! data set writes), so they are found only on requests still waiting for
//! identity (not verified yet: no deletion date) and on those verified in the
//! last days (deleted on a date after today, and after the request's last day).

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use rusqlite::types::Value;
use rusqlite::Connection;

use rightsdesk_core::deadlines::ClockEvent;
use rightsdesk_core::domain::{RequestType, Status};
use rightsdesk_core::evidence::MAX_BYTES;
use rightsdesk_core::identity::DOCUMENT_DAYS_KEY;
use rightsdesk_core::settings;
use rightsdesk_core::Result;

use super::batch::{opt_text, text, Batch};
use super::datamap::SYSTEMS;
use super::{between, end_of, hex, id_at, Generated, Spec};
use crate::people::OFFICERS;
use crate::rng::Rng;

/// Days identity documents are kept after the identity is verified (the setting the data set writes).
pub const DOCUMENT_DAYS: i64 = 14;

const COLUMNS: &[&str] = &["id", "request_id", "task_id", "kind", "name", "sha256", "blob", "size", "delete_after", "added_by", "added_at"];

/// A file before it gets its id and hashes (rows go in in the order they were added).
struct Planned {
    at: DateTime<Utc>,
    request: usize,
    task: Option<String>,
    kind: &'static str,
    name: String,
    size: u64,
    delete_after: Option<NaiveDate>,
    /// The same content as other rows: its (sha256, blob).
    shared: Option<(String, String)>,
}

/// A size between `lo` and `hi` bytes, spread evenly over the octaves between them
/// (integer arithmetic only, so every platform gives the same sizes).
fn size(rng: &mut Rng, lo: u64, hi: u64) -> u64 {
    let mut octaves = 0;
    while lo << (octaves + 1) <= hi {
        octaves += 1;
    }
    if octaves == 0 {
        return rng.range(lo as i64, hi as i64) as u64;
    }
    let base = lo << rng.below(octaves);
    (base + rng.below(base)).min(MAX_BYTES)
}

fn size_for(rng: &mut Rng, name: &str) -> u64 {
    let (lo, hi) = match name.rsplit_once('.').map_or("", |(_, e)| e) {
        "csv" => (3_000, 600_000),
        "json" => (2_000, 400_000),
        "ogg" => (400_000, 20_000_000),
        "jpg" => (250_000, 4_800_000),
        "eml" => (4_000, 150_000),
        "txt" => (800, 24_000),
        _ => (40_000, 6_000_000),
    };
    size(rng, lo, hi)
}

/// How many files a request gets, relative to others: exports pile up on access
/// and portability requests once work starts.
fn weight(g: &Generated) -> u64 {
    use RequestType::*;
    use Status::*;
    let started = g.started_on.is_some();
    match (g.request_type, g.status) {
        (Access | Portability, Completed) => 20,
        (Access | Portability, InProgress | Paused | AwaitingClarification) if started => 10,
        (Access | Portability, Refused | Withdrawn) if started => 2,
        (Erasure, Completed) => 3,
        (Rectification | Appeal | Other, Completed) => 2,
        (Objection | OptOutSaleSharing | LimitSensitive | Restriction, Completed) => 1,
        _ => 0,
    }
}

/// Names of files not exported from a system, by request type.
fn loose_names(t: RequestType) -> &'static [&'static str] {
    use RequestType::*;
    match t {
        Access | Portability => &["request-letter-scan.pdf", "email-from-subject.eml", "answer-cover-letter.pdf", "redaction-log.txt"],
        Erasure => &["email-from-subject.eml", "erasure-confirmation-draft.pdf"],
        Rectification => &["proof-of-address.pdf", "email-from-subject.eml", "corrected-record.pdf"],
        Objection | OptOutSaleSharing | LimitSensitive | Restriction => {
            &["gpc-signal-log.txt", "email-from-subject.eml", "web-form-submission.pdf"]
        }
        Appeal | Other => &["appeal-letter.pdf", "email-from-subject.eml", "earlier-decision.pdf"],
        Complaint => &["complaint-email.eml", "complaint-acknowledgement.pdf"],
    }
}

/// A file exported from a system, named as officers name them.
fn export_name(system: &str, day: NaiveDate) -> String {
    let (stem, ext) = SYSTEMS.iter().find(|s| s.name == system).map_or(("export", "csv"), |s| s.export);
    match ext {
        "ogg" => format!("{stem}-{day}.{ext}"),
        "csv" | "json" => format!("{stem}-{}.{ext}", day.format("%Y-%m")),
        _ if stem == "invoices" => format!("{stem}-{}.{ext}", day.year()),
        _ => format!("{stem}.{ext}"),
    }
}

fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

fn morning(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(6, 0, 0).expect("a real time").and_utc()
}

/// The window a request's files fall in: from the start of work (or arrival) to
/// just before it closed, or to today while open.
fn window(g: &Generated, spec: &Spec) -> (DateTime<Utc>, DateTime<Utc>) {
    let until = g.closed_at.map_or_else(|| end_of(spec.today), |c| c - Duration::seconds(30)).max(g.received_at);
    let from = g.started_on.map_or(g.received_at, |d| (morning(d) + Duration::hours(2)).max(g.received_at));
    (from.min(until), until)
}

fn identity_documents(rng: &mut Rng, spec: &Spec, generated: &[Generated], out: &mut Vec<Planned>) {
    const NAMES: &[&str] = &["passport-scan.jpg", "id-card-front.jpg", "id-card-back.jpg", "driving-licence.pdf", "residence-permit.pdf"];
    for (i, g) in generated.iter().enumerate() {
        let requested = g.clock.iter().find_map(|e| match e {
            ClockEvent::IdentityRequested { on } => Some(*on),
            _ => None,
        });
        let Some(requested) = requested else { continue };
        let received = g.clock.iter().find_map(|e| match e {
            ClockEvent::IdentityReceived { on } => Some(*on),
            _ => None,
        });
        let (hi, delete_after) = match received {
            // Verified lately: still kept, until a date after today.
            Some(on) if on + Duration::days(DOCUMENT_DAYS) > spec.today && rng.chance(0.6) => {
                (morning(on), Some(on + Duration::days(DOCUMENT_DAYS)))
            }
            // Sent in, not checked yet.
            None if g.status == Status::AwaitingIdentity && rng.chance(0.4) => (end_of(spec.today), None),
            _ => continue,
        };
        let lo = morning(requested).max(g.received_at);
        let name = *rng.pick(NAMES);
        out.push(Planned {
            at: between(rng, lo, hi.max(lo)),
            request: i,
            task: None,
            kind: "identity-document",
            name: name.to_string(),
            size: size_for(rng, name),
            delete_after,
            shared: None,
        });
    }
}

/// The privacy notice as of a year: one content (one blob) however often it is attached.
fn privacy_notice(seed: u64, year: i32) -> (String, u64, (String, String)) {
    let mut r = Rng::stream(seed, &format!("privacy-notice-{year}"));
    let size = 150_000 + r.below(250_000);
    (format!("privacy-notice-{year}.pdf"), size, (hex::<32>(&mut r), hex::<32>(&mut r)))
}

struct TaskRef {
    id: String,
    system: String,
    action: String,
    status: String,
    closed_at: Option<DateTime<Utc>>,
}

pub fn generate(conn: &Connection, rng: &mut Rng, spec: &Spec, generated: &[Generated]) -> Result<u64> {
    settings::set(conn, DOCUMENT_DAYS_KEY, &DOCUMENT_DAYS.to_string())?;
    let mut planned = Vec::new();
    identity_documents(rng, spec, generated, &mut planned);
    planned.truncate(spec.evidence as usize);

    // The other files go to requests drawn by weight.
    let mut cumulative = Vec::with_capacity(generated.len());
    let mut total = 0u64;
    for g in generated {
        total += weight(g);
        cumulative.push(total);
    }
    let mut counts = vec![0u32; generated.len()];
    if total > 0 {
        for _ in planned.len() as u64..spec.evidence {
            let x = rng.below(total);
            counts[cumulative.partition_point(|c| *c <= x)] += 1;
        }
    }

    let mut tasks_of =
        conn.prepare("SELECT id, system_name, action, status, closed_at FROM tasks WHERE request_id = ?1 ORDER BY position")?;
    for (i, g) in generated.iter().enumerate() {
        if counts[i] == 0 {
            continue;
        }
        let tasks = tasks_of
            .query_map([&g.id], |r| {
                Ok(TaskRef {
                    id: r.get(0)?,
                    system: r.get(1)?,
                    action: r.get(2)?,
                    status: r.get(3)?,
                    closed_at: r.get::<_, Option<String>>(4)?.and_then(|s| s.parse().ok()),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        // Exports come from systems that hold something: collect tasks done or still open;
        // confirmations of erasure from the processors' delete tasks.
        let sources: Vec<&TaskRef> = tasks
            .iter()
            .filter(|t| t.status == "done" || t.status == "open")
            .filter(|t| t.action == "collect" || t.action == "delete" && SYSTEMS.iter().any(|s| s.name == t.system && s.is_processor()))
            .collect();
        let (from, until) = window(g, spec);
        for _ in 0..counts[i] {
            let source = (!sources.is_empty() && rng.chance(0.85)).then(|| *rng.pick(&sources));
            // An export is attached before its task is marked done.
            let hi = source.and_then(|t| t.closed_at).map_or(until, |c| c.min(until));
            let at = between(rng, from, hi.max(from));
            let (task, name, size, shared) = match source {
                Some(t) if t.action == "delete" => {
                    (Some(t.id.clone()), format!("deletion-confirmation-{}.pdf", slug(&t.system)), None, None)
                }
                Some(t) => (Some(t.id.clone()), export_name(&t.system, at.date_naive()), None, None),
                None if rng.chance(0.1) => {
                    let (name, size, hashes) = privacy_notice(spec.seed, at.year());
                    (None, name, Some(size), Some(hashes))
                }
                None => (None, (*rng.pick(loose_names(g.request_type))).to_string(), None, None),
            };
            let size = size.unwrap_or_else(|| size_for(rng, &name));
            planned.push(Planned { at, request: i, task, kind: "evidence", name, size, delete_after: None, shared });
        }
    }

    // In the order they were added, as the rows of a database in use.
    planned.sort_by_key(|p| p.at);
    let mut batch = Batch::new("evidence", COLUMNS);
    for p in planned {
        let g = &generated[p.request];
        let (sha256, blob) = p.shared.unwrap_or_else(|| (hex::<32>(rng), hex::<32>(rng)));
        debug_assert!(p.size <= MAX_BYTES);
        let row = [
            text(id_at(rng, p.at)),
            text(g.id.as_str()),
            opt_text(p.task),
            text(p.kind),
            text(p.name),
            text(sha256),
            text(blob),
            Value::Integer(p.size as i64),
            opt_text(p.delete_after.map(|d| d.to_string())),
            text(*rng.pick(OFFICERS)),
            text(p.at.to_rfc3339()),
        ];
        batch.push(conn, row)?;
    }
    batch.flush(conn)?;
    Ok(batch.inserted)
}
