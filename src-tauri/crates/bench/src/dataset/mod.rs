//! The large data set: invented requests with their timelines (and, once their
//! tables exist, evidence, tasks and letters), written straight into a
//! database file with batched INSERTs in one transaction. A pure function of
//! [`Spec`]: the same seed and size give the same rows.
//!
//! Each part of the data set is a [`Part`] with its own random stream, so a
//! part added later (a new table) never changes what the others generate.

mod batch;
mod requests;
pub mod shape;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rusqlite::{Connection, Transaction};
use serde::Serialize;

use rightsdesk_core::store::{settings, Db};
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
}

impl Spec {
    pub fn new(requests: u64, seed: u64) -> Spec {
        Spec { requests, seed, today: default_today(), evidence: requests / 5 }
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
    /// Rows per further part (evidence, tasks, letters), or why it was skipped.
    pub parts: BTreeMap<String, String>,
}

/// A further part of the data set, written after the requests.
struct Part {
    /// The table it fills; the part is skipped while the schema has no such table.
    table: &'static str,
    generate: fn(&Connection, &mut Rng, &Spec, &[Generated]) -> Result<u64>,
}

/// Evidence, tasks and letters are generated here once their tables are on main
/// (their features are being built): add a `Part` with its generator.
const PARTS: &[Part] = &[];
/// Tables the data set will fill once they exist.
const PENDING_TABLES: &[&str] = &["evidence", "tasks", "letters"];

fn has_table(conn: &Connection, table: &str) -> Result<bool> {
    Ok(conn.query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1", [table], |r| r.get::<_, i64>(0))? > 0)
}

/// Fills an empty database with the data set; refuses one that holds requests.
pub fn generate(db: &Db, spec: &Spec) -> Result<Summary> {
    if rightsdesk_core::services::requests::count(db)? > 0 {
        return Err(Error::invalid("db", "already holds requests; the data set is only written into an empty database"));
    }
    db.write(|tx| write_all(tx, spec))
}

fn write_all(tx: &Transaction<'_>, spec: &Spec) -> Result<Summary> {
    // A bigger page cache for the bulk load: the indexes stay in memory while they grow.
    tx.execute_batch("PRAGMA cache_size = -262144;")?;
    // Timeline rows may reach the database before their request's batch: check the keys at commit.
    tx.execute_batch("PRAGMA defer_foreign_keys = ON;")?;
    settings::set(tx, settings::ORG_NAME, "Generated Benchmark Org")?;
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
    for (i, age) in ages.into_iter().enumerate() {
        let built = requests::build(&mut rng, &regimes, i as i64 + 1, age, spec.today)?;
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
    summary.requests = request_batch.inserted;
    summary.events = event_batch.inserted;
    let mut stmt = tx.prepare("SELECT regime, count(*) FROM requests GROUP BY regime")?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
        let (regime, n) = row?;
        summary.by_regime.insert(regime, n as u64);
    }

    for part in PARTS {
        let outcome = if has_table(tx, part.table)? {
            let mut rng = Rng::stream(spec.seed, part.table);
            format!("{} rows", (part.generate)(tx, &mut rng, spec, &generated)?)
        } else {
            "skipped: no such table in this schema".to_string()
        };
        summary.parts.insert(part.table.to_string(), outcome);
    }
    for table in PENDING_TABLES {
        if !PARTS.iter().any(|p| p.table == *table) {
            let why = if has_table(tx, table)? { "not generated yet: add its Part" } else { "not in the schema yet" };
            summary.parts.insert((*table).to_string(), why.to_string());
        }
    }
    // No ANALYZE: the app never runs it, so the planner sees what it sees on an officer's database.
    Ok(summary)
}
