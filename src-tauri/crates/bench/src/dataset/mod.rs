//! The large data set: invented requests with their timelines, then the work
//! and mail around them — the organisation's data map (`systems`), each
//! request's tasks, evidence files' metadata and the letters of the outbox —
//! written straight into a database file with batched INSERTs in one
//! transaction. A pure function of [`Spec`]: the same seed and size give the
//! same rows.
//!
//! Each part of the data set is a [`Part`] with its own random stream, so a
//! part added later (a new table) never changes what the others generate.
//! The requests' timelines are written by the requests alone: the events the
//! app would add as tasks, evidence and letters come and go (`tasks-created`,
//! `evidence-added`, `letter-sent` …) are not generated.

mod batch;
mod datamap;
mod evidence;
mod letters;
mod requests;
pub mod shape;
mod tasks;

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, Transaction};
use serde::Serialize;

use rightsdesk_core::settings;
use rightsdesk_core::store::Db;
use rightsdesk_core::{Error, Result};

pub use requests::Generated;

use crate::rng::Rng;

/// What to generate.
#[derive(Debug, Clone)]
pub struct Spec {
    pub requests: u64,
    pub seed: u64,
    /// The day the data set is "as of": requests arrive over the years before it.
    pub today: NaiveDate,
    /// Evidence files' metadata (20,000 for 100,000 requests).
    pub evidence: u64,
    /// The work and mail around the requests (data map, tasks, evidence, letters);
    /// without it only the requests and their timelines (the 1,000,000 set).
    pub work: bool,
}

impl Spec {
    pub fn new(requests: u64, seed: u64) -> Spec {
        Spec { requests, seed, today: default_today(), evidence: requests / 5, work: true }
    }
}

/// The fixed "today" of generated data sets (not the wall clock: a data set is a function of its seed).
pub fn default_today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).expect("a real date")
}

/// What was written.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub requests: u64,
    pub events: u64,
    pub by_status: BTreeMap<String, u64>,
    pub by_regime: BTreeMap<String, u64>,
    pub by_type: BTreeMap<String, u64>,
    /// Rows per further part (systems, tasks, evidence, letters), or why it was skipped.
    pub parts: BTreeMap<String, String>,
}

/// A further part of the data set, written after the requests.
struct Part {
    /// The table it fills; the part is skipped while the schema has no such table.
    table: &'static str,
    generate: fn(&Connection, &mut Rng, &Spec, &[Generated]) -> Result<u64>,
}

/// In order: tasks come from the data map, and evidence files point at tasks.
const PARTS: &[Part] = &[
    Part { table: "systems", generate: datamap::generate },
    Part { table: "tasks", generate: tasks::generate },
    Part { table: "evidence", generate: evidence::generate },
    Part { table: "letters", generate: letters::generate },
];

/// The organisation the data set belongs to (it signs the letters).
pub(crate) const ORG_NAME: &str = "Generated Benchmark Org";

/// A UUIDv7 for a row created at `at`, its random part from `rng` (as the app's
/// `Uuid::now_v7`, but a function of the seed).
pub(crate) fn id_at(rng: &mut Rng, at: DateTime<Utc>) -> String {
    uuid::Builder::from_unix_timestamp_millis(at.timestamp_millis() as u64, &rng.bytes::<10>()).into_uuid().to_string()
}

/// `N` random bytes as lowercase hex.
pub(crate) fn hex<const N: usize>(rng: &mut Rng) -> String {
    hex::encode(rng.bytes::<N>())
}

/// An instant in `lo..=hi` (whole seconds; `lo` when `hi` is not later): a
/// uniform day, at a time of day squeezed into office hours (07:00–18:00 UTC)
/// where the bounds allow, as officers work by day.
pub(crate) fn between(rng: &mut Rng, lo: DateTime<Utc>, hi: DateTime<Utc>) -> DateTime<Utc> {
    use chrono::Timelike;
    let span = (hi - lo).num_seconds();
    if span <= 0 {
        return lo;
    }
    let at = lo + chrono::Duration::seconds(rng.range(0, span));
    let of_day = i64::from(at.num_seconds_from_midnight());
    (at + chrono::Duration::seconds(7 * 3600 + of_day * 11 / 24 - of_day)).clamp(lo, hi)
}

/// The last instant of `day` (UTC), the latest any generated row is dated.
pub(crate) fn end_of(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(23, 59, 0).expect("a real time").and_utc()
}

fn has_table(conn: &Connection, table: &str) -> Result<bool> {
    Ok(conn.query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1", [table], |r| r.get::<_, i64>(0))? > 0)
}

/// Fills an empty database with the data set; refuses one that holds requests.
pub fn generate(db: &Db, spec: &Spec) -> Result<Summary> {
    if rightsdesk_core::requests::count(db)? > 0 {
        return Err(Error::invalid("db", "already holds requests; the data set is only written into an empty database"));
    }
    db.write(|tx| write_all(tx, spec))
}

/// [`generate`] on a connection of its own to a new database whose schema
/// [`Db::open`] wrote (and that nothing else has open), without a journal: a
/// data set is written once, in one transaction, and a failed run is thrown
/// away, so nothing needs rolling back. Through the WAL every page was written
/// twice, once into the WAL and once by the checkpoint (7.6 GB each at
/// 1,000,000 requests). The file is left in WAL mode, as the app expects it.
pub fn generate_unjournaled(conn: &mut Connection, spec: &Spec) -> Result<Summary> {
    let held: i64 = conn.query_row("SELECT count(*) FROM requests", [], |r| r.get(0))?;
    if held > 0 {
        return Err(Error::invalid("db", "already holds requests; the data set is only written into an empty database"));
    }
    let mode: String = conn.query_row("PRAGMA journal_mode = OFF", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("off") {
        return Err(Error::Internal(format!("the journal could not be turned off for the bulk load (still {mode})")));
    }
    conn.execute_batch("PRAGMA synchronous = OFF; PRAGMA foreign_keys = ON;")?;
    let tx = conn.transaction()?;
    let summary = write_all(&tx, spec)?;
    tx.commit()?;
    conn.execute_batch("PRAGMA synchronous = FULL;")?;
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(Error::Internal(format!("the data set could not be put back in WAL mode (it is in {mode})")));
    }
    Ok(summary)
}

fn write_all(tx: &Transaction<'_>, spec: &Spec) -> Result<Summary> {
    // A big page cache for the bulk load (2 GB, used only as needed): the
    // requests' indexes (about 1 GB at 1,000,000) stay in memory while they grow.
    tx.execute_batch("PRAGMA cache_size = -2097152;")?;
    // Timeline rows may reach the database before their request's batch: check the keys at commit.
    tx.execute_batch("PRAGMA defer_foreign_keys = ON;")?;
    settings::set(tx, settings::ORG_NAME, ORG_NAME)?;
    settings::set(tx, settings::ORG_TIME_ZONE, "Europe/Berlin")?;

    // Arrival days first, oldest first, so numbers and UUIDv7 ids grow with time as in real use.
    let mut ages_rng = Rng::stream(spec.seed, "ages");
    let mut ages: Vec<i64> = (0..spec.requests).map(|_| shape::age_days(&mut ages_rng)).collect();
    ages.sort_unstable_by(|a, b| b.cmp(a));

    let regimes = shape::regime_weights();
    let mut rng = Rng::stream(spec.seed, "requests");
    let mut request_batch = batch::Batch::new("requests", requests::REQUEST_COLUMNS);
    let mut event_batch = batch::Batch::new("events", requests::EVENT_COLUMNS);
    let mut summary = Summary::default();
    let mut generated = Vec::with_capacity(ages.len());
    let mut explained = std::collections::HashSet::new();
    // A bulk load (issue 21): the search index is written with one statement
    // at the end, as the CSV import does. (Dropping the requests' indexes and
    // building them again after was tried: each build scans the whole table,
    // which at 1,000,000 outgrows any page cache and is read back from the WAL
    // and decrypted 17 times; slower than inserting into them.)
    rightsdesk_core::requests::rows::with_search_deferred(tx, || {
        for (i, age) in ages.into_iter().enumerate() {
            let built = requests::build(&mut rng, &regimes, i as i64 + 1, age, spec.today)?;
            if explained.insert(built.schedule.hash.clone()) {
                rightsdesk_core::requests::explanations::keep(tx, &built.schedule)?;
            }
            request_batch.push(tx, built.request_row)?;
            for row in built.event_rows {
                event_batch.push(tx, row)?;
            }
            let g = built.generated;
            *summary.by_status.entry(g.status.as_str().to_string()).or_default() += 1;
            *summary.by_type.entry(g.request_type.as_str().to_string()).or_default() += 1;
            generated.push(g);
        }
        request_batch.flush(tx)?;
        event_batch.flush(tx)?;
        Ok(())
    })?;
    summary.requests = request_batch.inserted;
    summary.events = event_batch.inserted;
    let mut stmt = tx.prepare("SELECT regime, count(*) FROM requests GROUP BY regime")?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
        let (regime, n) = row?;
        summary.by_regime.insert(regime, n as u64);
    }

    for part in PARTS {
        let outcome = if !spec.work {
            "skipped: requests and their timelines only".to_string()
        } else if has_table(tx, part.table)? {
            let mut rng = Rng::stream(spec.seed, part.table);
            format!("{} rows", (part.generate)(tx, &mut rng, spec, &generated)?)
        } else {
            "skipped: no such table in this schema".to_string()
        };
        summary.parts.insert(part.table.to_string(), outcome);
    }
    // No ANALYZE: the app never runs it, so the planner sees what it sees on an officer's database.
    Ok(summary)
}
