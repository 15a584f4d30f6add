//! A request's schedule as stored: its dates in the request's row, how they
//! were reached kept once (migration 29, issue 21).
//!
//! The explanation (the engine's steps, duties, warnings and readings) is the
//! same for every request of one law, type and day of receipt, and was about
//! 1.4 of a schedule's 1.8 kB: each request's row took a 4 KiB page of its
//! own. A schedule is now written as its dates with, under `explanation`, the
//! SHA-256 of its explanation's JSON, kept once in `schedule_explanations`.
//! The SQL that reads dates from `requests.schedule` (indexes, tallies, audit
//! states) is unchanged; the audit chain's sealed state of a request covers its
//! explanation through the hash, and `audit::verify` checks every kept text
//! against its hash. A schedule written before stays whole and is read as is.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use serde::{Deserialize, Serialize};

use crate::deadlines::Schedule;
use crate::domain::deadline::{Duty, Reading, Step, Warning};
use crate::domain::Request;
use crate::error::{json_err, Error, Result};
use crate::store::events::sha256_hex;
use crate::store::{Conn, ToValue};

/// The key of `requests.schedule` that names the explanation by its hash.
const KEY: &str = "explanation";

/// What is kept once: a schedule's words, as the engine gave them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Explanation {
    duties: Vec<Duty>,
    readings: Vec<Reading>,
    steps: Vec<Step>,
    warnings: Vec<Warning>,
}

/// A schedule ready to be written: the row's JSON and its explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSchedule {
    /// `requests.schedule`: the dates and the explanation's hash.
    pub json: String,
    /// The explanation's SHA-256 (lower-case hex) and its JSON.
    pub hash: String,
    pub text: String,
}

/// The row's JSON and the explanation of `schedule`: the schedule serialised
/// once, its explanation's keys taken out of it into a JSON of their own.
pub fn stored(schedule: &Schedule) -> Result<StoredSchedule> {
    let mut value = serde_json::to_value(schedule).map_err(json_err)?;
    let serde_json::Value::Object(map) = &mut value else { return Err(Error::Internal("a schedule is not a JSON object".into())) };
    let mut words = serde_json::Map::new();
    for key in PARTS {
        words.insert(key.into(), map.remove(key).unwrap_or_else(|| serde_json::Value::Array(Vec::new())));
    }
    let text = serde_json::to_string(&words).map_err(json_err)?;
    let hash = sha256_hex(text.as_bytes());
    map.insert(KEY.into(), serde_json::Value::String(hash.clone()));
    let json = serde_json::to_string(&value).map_err(json_err)?;
    Ok(StoredSchedule { json, hash, text })
}

/// The keys of a schedule that make its explanation, as [`Explanation`] names them.
const PARTS: [&str; 4] = ["duties", "readings", "steps", "warnings"];

/// Gives a request just written from `schedule` (its row holding the hash
/// [`stored`] made of it) the explanation it was written with, without reading it back.
pub(crate) fn fill_written(mut request: Request, schedule: &Schedule) -> Request {
    give(&mut request.schedule, &schedule.duties, &schedule.readings, &schedule.steps, &schedule.warnings);
    request
}

/// Puts an explanation's four parts into a schedule read without them.
fn give(s: &mut Schedule, duties: &[Duty], readings: &[Reading], steps: &[Step], warnings: &[Warning]) {
    s.duties = duties.to_vec();
    s.readings = readings.to_vec();
    s.steps = steps.to_vec();
    s.warnings = warnings.to_vec();
}

/// Keeps the explanation of a schedule about to be written (nothing if it is kept already).
pub fn keep<'a>(conn: impl Into<Conn<'a>>, stored: &StoredSchedule) -> Result<()> {
    conn.into().execute(
        "INSERT INTO schedule_explanations (hash, text) VALUES (?1, ?2) ON CONFLICT (hash) DO NOTHING",
        &[&stored.hash, &stored.text],
    )?;
    Ok(())
}

/// [`stored`] and [`keep`]: the JSON to write in the request's row.
pub(crate) fn write<'a>(conn: impl Into<Conn<'a>>, schedule: &Schedule) -> Result<String> {
    let stored = stored(schedule)?;
    keep(conn, &stored)?;
    Ok(stored.json)
}

/// The hash a stored schedule names, if it was written without its explanation.
pub(crate) fn named(json: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct Named {
        explanation: Option<String>,
    }
    serde_json::from_str::<Named>(json).ok().and_then(|n| n.explanation)
}

/// Explanations parsed lately, by hash, with the text they were parsed from:
/// a list's pages read the same ones again and again, and parsing a hundred
/// of them was a third of a millisecond of each page of 100. The text is still
/// read from the register each time and compared, so a text changed since is
/// checked against its hash again, never answered from here.
fn parsed() -> &'static Mutex<Parsed> {
    static PARSED: OnceLock<Mutex<Parsed>> = OnceLock::new();
    PARSED.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Parsed explanations by hash, each with the text it was parsed from.
type Parsed = HashMap<String, (String, Arc<Explanation>)>;

/// At most this many parsed explanations are kept (about 1 MB).
const PARSED_ENTRIES: usize = 512;

/// Gives each request read without its explanation (`named` gave its hash)
/// the explanation kept for it: one query for all of them, each distinct text
/// checked against its hash and parsed once. A hash with no text kept, or a text that is
/// not what its hash says, is a corrupt register, never an empty explanation.
pub(crate) fn fill<'a>(conn: impl Into<Conn<'a>>, requests: Vec<(Request, Option<String>)>) -> Result<Vec<Request>> {
    let conn = conn.into();
    let mut wanted: Vec<&String> = requests.iter().filter_map(|(_, h)| h.as_ref()).collect();
    wanted.sort_unstable();
    wanted.dedup();
    let mut found: HashMap<String, Arc<Explanation>> = HashMap::with_capacity(wanted.len());
    for chunk in wanted.chunks(100) {
        let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("?{i}")).collect();
        let params: Vec<&dyn ToValue> = chunk.iter().map(|h| *h as &dyn ToValue).collect();
        let rows: Vec<(String, String)> =
            conn.query_map(&format!("SELECT hash, text FROM schedule_explanations WHERE hash IN ({})", marks.join(", ")), &params, |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        let mut parsed = parsed().lock().unwrap_or_else(|p| p.into_inner());
        for (hash, text) in rows {
            if let Some((known, explanation)) = parsed.get(&hash) {
                if *known == text {
                    found.insert(hash, explanation.clone());
                    continue;
                }
            }
            let corrupt = || Error::Corrupt { table: "schedule_explanations", column: "text", row: hash.clone() };
            if sha256_hex(text.as_bytes()) != hash {
                return Err(corrupt());
            }
            let explanation: Arc<Explanation> = Arc::new(serde_json::from_str(&text).map_err(|_| corrupt())?);
            if parsed.len() >= PARSED_ENTRIES {
                parsed.clear();
            }
            parsed.insert(hash.clone(), (text, explanation.clone()));
            found.insert(hash, explanation);
        }
    }
    requests
        .into_iter()
        .map(|(mut request, hash)| {
            if let Some(hash) = hash {
                let Some(e) = found.get(&hash) else {
                    return Err(Error::Corrupt { table: "requests", column: "schedule", row: request.id.clone() });
                };
                give(&mut request.schedule, &e.duties, &e.readings, &e.steps, &e.warnings);
            }
            Ok(request)
        })
        .collect()
}

/// Each hash a request's schedule names with no explanation kept for it
/// (deleted behind the app's back), with one request that names it (`audit::verify`).
pub fn missing<'a>(conn: impl Into<Conn<'a>>) -> Result<Vec<(String, String)>> {
    let conn = conn.into();
    let named = match conn.dialect() {
        crate::store::Dialect::Sqlite => "json_extract(schedule, '$.explanation')",
        crate::store::Dialect::Postgres => "(schedule::jsonb ->> 'explanation')",
    };
    conn.query_map(
        &format!(
            "SELECT h, min(reference) FROM (SELECT {named} AS h, reference FROM requests) n \
             WHERE h IS NOT NULL AND NOT EXISTS (SELECT 1 FROM schedule_explanations e WHERE e.hash = n.h) GROUP BY h ORDER BY h"
        ),
        &[],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// Each kept explanation whose text is not what its hash says (`audit::verify`).
pub fn altered<'a>(conn: impl Into<Conn<'a>>) -> Result<Vec<String>> {
    let rows: Vec<(String, String)> =
        conn.into().query_map("SELECT hash, text FROM schedule_explanations ORDER BY hash", &[], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.into_iter().filter(|(hash, text)| sha256_hex(text.as_bytes()) != *hash).map(|(hash, _)| hash).collect())
}
