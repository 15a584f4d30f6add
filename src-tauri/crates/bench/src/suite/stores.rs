//! Both stores side by side at 100,000 requests (issue 18, acceptance): the
//! same service calls the app makes (`requests::search::page`,
//! `requests::detail`, `requests::register`) on the local encrypted file and
//! on a team register on PostgreSQL, each figure beside its store's target.
//!
//! Four measures on each store: the list's first page (p50), one request with
//! its timeline (p50), registering 1,000 one after another, and 1,000
//! registrations from four clients at once (250 each). On PostgreSQL each
//! client is a connection of its own, logged in as a different team member;
//! on the file the four share its one writer (one writing process per file,
//! `store::lock`). The four-client run checks what it measured — 1,000 new
//! distinct references numbered without a gap, each client's 250 events
//! under its own name, the audit chain intact — and fails otherwise.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Barrier;
use std::time::Instant;

use rightsdesk_core::audit;
use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::error::Error;
use rightsdesk_core::requests::rows::{RequestFilter, SortOrder};
use rightsdesk_core::requests::{self, search};
use rightsdesk_core::store::Store;
use rightsdesk_core::Result;

use super::{list::PAGE, register, Effort};
use crate::timing::{measure, once};

/// The clients registering at once, and how many requests each registers.
pub const CLIENTS: usize = 4;
pub const EACH: u64 = 250;

/// One line of the table: a store's figure beside its target.
#[derive(Debug, Clone)]
pub struct Line {
    pub store: &'static str,
    pub measure: &'static str,
    pub value: f64,
    /// "ms" (a p50) or "s" (a total).
    pub unit: &'static str,
    pub target: Option<f64>,
    pub note: String,
}

impl Line {
    pub fn met(&self) -> &'static str {
        match self.target {
            Some(t) if self.value < t => "yes",
            Some(_) => "NO",
            None => "-",
        }
    }

    fn shown(&self) -> String {
        match self.unit {
            "ms" => format!("{:.2} ms p50", self.value),
            _ => format!("{:.2} s total", self.value),
        }
    }

    fn target_shown(&self) -> String {
        match self.target {
            Some(t) => format!("< {t} {}", self.unit),
            None => "- (no target)".into(),
        }
    }
}

/// The table: "store | measure | p50/total | target | met?", then each line's note.
pub fn table(lines: &[Line]) -> String {
    let mut out = String::from("| store | measure | p50/total | target | met? | note |\n|---|---|---|---|---|---|\n");
    for l in lines {
        out.push_str(&format!("| {} | {} | {} | {} | {} | {} |\n", l.store, l.measure, l.shown(), l.target_shown(), l.met(), l.note));
    }
    out
}

/// What a store is measured against.
pub struct Targets {
    pub list_ms: f64,
    pub detail_ms: f64,
    pub register_s: Option<f64>,
    pub clients_s: Option<f64>,
}

/// The local file's targets (issue 8): list p50 < 5 ms, a request < 1 ms, 1,000 one by one < 1 s.
pub const FILE: Targets = Targets { list_ms: 5.0, detail_ms: 1.0, register_s: Some(1.0), clients_s: None };
/// The team register's over loopback (issue 18): list p50 < 10 ms, a request < 2 ms, 4 clients < 2 s.
pub const TEAM: Targets = Targets { list_ms: 10.0, detail_ms: 2.0, register_s: None, clients_s: Some(2.0) };

/// The list's first page and one request with its timeline: p50 on `store`.
pub fn reads(name: &'static str, store: Store<'_>, clock: &FixedClock, effort: Effort, targets: &Targets) -> Result<Vec<Line>> {
    let filter = RequestFilter { sort: SortOrder::DueAsc, limit: Some(PAGE), ..Default::default() };
    let first = search::page(store, clock, &filter)?;
    let list = measure(effort.warmup, effort.samples, |_| search::page(store, clock, &filter));
    let size = requests::count(store)?;
    let step = (size / 200).max(1);
    let ids: Vec<String> =
        store.read(|c| c.query_map("SELECT id FROM requests WHERE number % ?1 = 0 ORDER BY number", &[&step], |r| r.get(0)))?;
    if ids.is_empty() {
        return Err(Error::Internal("no request to read".into()));
    }
    let events = requests::detail(store, clock, &ids[0])?.timeline.len();
    let detail = measure(effort.warmup, effort.samples, |i| requests::detail(store, clock, &ids[i % ids.len()]));
    Ok(vec![
        Line {
            store: name,
            measure: "list: first page by due date",
            value: list.p50,
            unit: "ms",
            target: Some(targets.list_ms),
            note: format!("{} rows and the total, {}; p95 {:.2} ms", first.requests.len(), first.total, list.p95),
        },
        Line {
            store: name,
            measure: "one request with its timeline",
            value: detail.p50,
            unit: "ms",
            target: Some(targets.detail_ms),
            note: format!("{} requests spread over the register, e.g. {events} events; p95 {:.2} ms", ids.len(), detail.p95),
        },
    ])
}

/// Registering 1,000 one after another on `store`, as `actor`.
pub fn register_one_by_one(name: &'static str, store: Store<'_>, clock: &FixedClock, actor: &str, targets: &Targets) -> Result<Line> {
    let inputs = register::inputs(7, register::COUNT);
    let (ms, result) = once(|| -> Result<()> {
        for input in &inputs {
            requests::register(store, clock, input, actor)?;
        }
        Ok(())
    });
    result?;
    Ok(Line {
        store: name,
        measure: "register 1,000 one after another",
        value: ms / 1e3,
        unit: "s",
        target: targets.register_s,
        note: format!("{:.2} ms per request", ms / register::COUNT as f64),
    })
}

/// A client registering at once with the others: its store and the name it sends.
pub struct Client<'a> {
    pub store: Store<'a>,
    pub sent: String,
}

/// 1,000 registrations from [`CLIENTS`] clients at once ([`EACH`] each), timed from the
/// moment all start until the last finishes; then checked on `check` (a client of the same
/// register): 1,000 new requests numbered on without a gap, 1,000 distinct references,
/// [`EACH`] `registered` events under each name in `recorded` (what the register puts on
/// record for each client, in the clients' order), the audit chain intact.
pub fn four_clients(
    name: &'static str,
    clients: &[Client<'_>],
    recorded: &[String],
    check: Store<'_>,
    clock: &FixedClock,
    targets: &Targets,
    note: &str,
) -> Result<Line> {
    assert_eq!(clients.len(), CLIENTS);
    let before: i64 = check.read(|c| c.query_row("SELECT COALESCE(max(number), 0) FROM requests", &[], |r| r.get(0)))?;
    let start = Barrier::new(CLIENTS + 1);
    let mut results = Vec::new();
    let ms = std::thread::scope(|s| {
        let handles: Vec<_> = clients
            .iter()
            .enumerate()
            .map(|(k, client)| {
                let start = &start;
                s.spawn(move || -> Result<()> {
                    let inputs = register::inputs(100 + k as u64, EACH);
                    start.wait();
                    for input in &inputs {
                        requests::register(client.store, clock, input, &client.sent)?;
                    }
                    Ok(())
                })
            })
            .collect();
        start.wait();
        let t = Instant::now();
        for h in handles {
            results.push(h.join().unwrap_or_else(|_| Err(Error::Internal("a client panicked".into()))));
        }
        t.elapsed().as_secs_f64() * 1e3
    });
    for r in results {
        r?;
    }
    // What was measured must be what was asked for.
    let total = CLIENTS as i64 * EACH as i64;
    let rows: Vec<(i64, String)> = check.read(|c| {
        c.query_map("SELECT number, reference FROM requests WHERE number > ?1 ORDER BY number", &[&before], |r| Ok((r.get(0)?, r.get(1)?)))
    })?;
    let failed = |what: String| Error::Internal(format!("{name}, four clients: {what}"));
    if rows.len() as i64 != total {
        return Err(failed(format!("{} new requests, expected {total}", rows.len())));
    }
    let numbers: Vec<i64> = rows.iter().map(|(n, _)| *n).collect();
    if numbers != ((before + 1)..=(before + total)).collect::<Vec<_>>() {
        return Err(failed("the new requests are not numbered on without a gap".into()));
    }
    let references: BTreeSet<&str> = rows.iter().map(|(_, r)| r.as_str()).collect();
    if references.len() as i64 != total {
        return Err(failed(format!("{} distinct references for {total} requests", references.len())));
    }
    let actors: Vec<String> = check.read(|c| {
        c.query_map(
            "SELECT e.actor FROM events e JOIN requests r ON r.id = e.request_id WHERE r.number > ?1 AND e.kind = 'registered'",
            &[&before],
            |r| r.get(0),
        )
    })?;
    let mut per_actor: BTreeMap<&str, u64> = BTreeMap::new();
    for a in &actors {
        *per_actor.entry(a.as_str()).or_default() += 1;
    }
    let expected: BTreeMap<&str, u64> = recorded.iter().map(|r| (r.as_str(), EACH)).collect();
    if per_actor != expected {
        return Err(failed(format!("registrations on record by actor {per_actor:?}, expected {expected:?}")));
    }
    let audit = audit::verify(check)?;
    if !audit.intact {
        return Err(failed(format!("the audit chain is broken: {:?}", audit.problems.iter().take(3).collect::<Vec<_>>())));
    }
    Ok(Line {
        store: name,
        measure: "1,000 registrations from 4 clients",
        value: ms / 1e3,
        unit: "s",
        target: targets.clients_s,
        note: format!(
            "{note}; checked: {total} distinct references numbered on, {EACH} events under each client's name, audit chain of {} seals intact",
            audit.checked
        ),
    })
}
