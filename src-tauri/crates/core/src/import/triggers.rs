//! The import's tallies, counted once instead of row by row.
//!
//! Every insert into `requests` fires triggers that keep the dashboard's
//! figures (`register::tally`: requests per day and per status, migration 11;
//! open requests by kind and by dates, migration 20; open unextended requests
//! by the last day to notify an extension, migration 21) and the search index.
//! For a bulk import that is a few statements (each with SQLite's statement
//! journal, and three parses of the schedule's JSON) per row. So the import
//! drops those insert triggers for its transaction, counts its rows into each
//! tally in Rust as it registers them and adds the counts with one upsert per
//! distinct key at the end (the search index is filled by one statement, as
//! before), and creates each trigger again from the definition stored in
//! `sqlite_master`, all inside the same transaction: an import that fails or
//! is killed rolls the drop back with everything else, and no committed state
//! ever lacks a trigger.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};

use crate::deadlines::Schedule;
use crate::error::Result;
use crate::requests::ValidRequest;

/// The insert triggers the import holds back: requests per day and per
/// status (migration 11), open requests by kind and by dates (migration 20),
/// open unextended requests by the last day to notify an extension (migration
/// 21), and the search index's (which `requests::rows::with_search_deferred`
/// fills for the import with one statement anyway).
const TALLY_INSERT: &str = "requests_tally_insert";
const OPEN_TALLY_INSERT: &str = "requests_open_tally_insert";
const OPEN_NOTICE_INSERT: &str = "requests_open_notice_insert";
const SEARCH_INSERT: &str = "requests_search_insert";

/// The import's requests, counted as the held-back triggers count them. An
/// imported request is only ever inserted, with status `received` and no
/// `closed_on` (nor does any tally count an appeal's `appeal_of`):
/// it counts once on its day of receipt, once under `received`, as open by
/// its kind and by its dates, and, not being extended, by the last day to
/// notify an extension where its law allows one.
///
/// Kept as dates and borrowed words while counting (nothing made per row), written as the
/// triggers write them (a date as `YYYY-MM-DD`, none as '') once at the end.
#[derive(Default)]
pub(super) struct Counts<'v> {
    days: HashMap<NaiveDate, i64>,
    received: i64,
    kinds: HashMap<(&'static str, &'v str), i64>,
    dates: HashMap<OpenDates, i64>,
    notices: HashMap<(NaiveDate, Option<NaiveDate>), i64>,
}

/// An open request's legal due date, internal target and acknowledgement date.
type OpenDates = (Option<NaiveDate>, Option<NaiveDate>, Option<NaiveDate>);

/// A tally's date as the triggers write it: `YYYY-MM-DD`, or '' for none.
fn date(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

impl<'v> Counts<'v> {
    /// Counts a request registered from `valid` under `schedule`.
    pub(super) fn add(&mut self, valid: &'v ValidRequest, schedule: &Schedule) {
        *self.days.entry(valid.received_on).or_default() += 1;
        self.received += 1;
        *self.kinds.entry((valid.request_type.as_str(), valid.regime.as_str())).or_default() += 1;
        *self.dates.entry((schedule.legal_due, schedule.target, schedule.ack_due)).or_default() += 1;
        if let (Some(notice), None) = (schedule.extension_notice_due, schedule.extended_due) {
            *self.notices.entry((notice, schedule.legal_due)).or_default() += 1;
        }
    }

    /// What `requests_tally_insert` would have added.
    fn add_to_days_and_statuses(&self, conn: &Connection) -> Result<()> {
        let mut days = conn.prepare(
            "INSERT INTO request_days (day, received) VALUES (?1, ?2) \
             ON CONFLICT (day) DO UPDATE SET received = received + excluded.received",
        )?;
        for (day, n) in &self.days {
            days.execute(params![day.to_string(), n])?;
        }
        if self.received > 0 {
            conn.execute(
                "INSERT INTO request_statuses (status, n) VALUES ('received', ?1) \
                 ON CONFLICT (status) DO UPDATE SET n = n + excluded.n",
                [self.received],
            )?;
        }
        Ok(())
    }

    /// What `requests_open_tally_insert` would have added.
    fn add_to_open(&self, conn: &Connection) -> Result<()> {
        let mut kinds = conn.prepare(
            "INSERT INTO request_open_kinds (request_type, regime, n) VALUES (?1, ?2, ?3) \
             ON CONFLICT (request_type, regime) DO UPDATE SET n = n + excluded.n",
        )?;
        for ((kind, regime), n) in &self.kinds {
            kinds.execute(params![kind, regime, n])?;
        }
        let mut dates = conn.prepare(
            "INSERT INTO request_open_dates (due, target, ack, n) VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT (due, target, ack) DO UPDATE SET n = n + excluded.n",
        )?;
        for ((due, target, ack), n) in &self.dates {
            dates.execute(params![date(*due), date(*target), date(*ack), n])?;
        }
        Ok(())
    }

    /// What `requests_open_notice_insert` would have added.
    fn add_to_notices(&self, conn: &Connection) -> Result<()> {
        let mut notices = conn.prepare(
            "INSERT INTO request_open_notices (notice, due, n) VALUES (?1, ?2, ?3) \
             ON CONFLICT (notice, due) DO UPDATE SET n = n + excluded.n",
        )?;
        for ((notice, due), n) in &self.notices {
            notices.execute(params![notice.to_string(), date(*due), n])?;
        }
        Ok(())
    }
}

/// The triggers [`hold_back`] dropped, each with its stored definition.
pub(super) struct HeldBack {
    dropped: Vec<(&'static str, String)>,
}

/// Drops the tally insert triggers on `requests` that this register has
/// (inside the import's transaction).
pub(super) fn hold_back(conn: &Connection) -> Result<HeldBack> {
    let mut dropped = Vec::new();
    for name in [TALLY_INSERT, OPEN_TALLY_INSERT, OPEN_NOTICE_INSERT, SEARCH_INSERT] {
        let sql: Option<String> = conn
            .prepare_cached("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'requests' AND name = ?1")?
            .query_row([name], |r| r.get(0))
            .optional()?;
        if let Some(sql) = sql {
            conn.execute_batch(&format!("DROP TRIGGER {name}"))?;
            dropped.push((name, sql));
        }
    }
    Ok(HeldBack { dropped })
}

/// Adds the import's `counts` to the tallies whose triggers were held back,
/// and creates those triggers again, as they were.
pub(super) fn restore(conn: &Connection, held: HeldBack, counts: &Counts<'_>) -> Result<()> {
    for (name, sql) in held.dropped {
        match name {
            TALLY_INSERT => counts.add_to_days_and_statuses(conn)?,
            OPEN_TALLY_INSERT => counts.add_to_open(conn)?,
            OPEN_NOTICE_INSERT => counts.add_to_notices(conn)?,
            // SEARCH_INSERT: the import's requests are indexed by `with_search_deferred`.
            _ => {}
        }
        conn.execute_batch(&sql)?;
    }
    Ok(())
}
