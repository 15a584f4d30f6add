//! The dashboard: counts (open requests by status, overdue, due within 7 days)
//! and the due-soon list. Target: < 10 ms for both together.
//!
//! Counting the whole history by status (completed, refused ... since the first
//! request) walks an index entry per request ever received; it is measured
//! separately, for information: a dashboard that refreshes often should count
//! the open work, not the archive.
//!
//! The target is measured on the app's own dashboard service
//! (`register::dashboard::dashboard`: counts, due soon and overdue, what needs
//! the officer, the on-time rate and requests per month over 12 months); the
//! counts' SQL and the due-soon list alone are broken out for information.

use chrono::Duration;

use rightsdesk_core::clock::Clock;
use rightsdesk_core::domain::CLOSED_SQL;
use rightsdesk_core::register::{dashboard, next_step, tally};
use rightsdesk_core::requests;
use rightsdesk_core::requests::rows::{RequestFilter, SortOrder};
use rightsdesk_core::Result;

use super::{percentiles, Target};
use crate::report::Figure;
use crate::timing::{measure, measure_info};

const OPEN_LIST: &str = "'received', 'awaiting-identity', 'in-progress', 'paused', 'awaiting-clarification'";

/// Every request ever received, by status (information only: see the module note).
pub fn history_counts(t: &Target<'_>) -> Result<Vec<(String, i64)>> {
    t.db.read(|c| {
        let mut stmt = c.prepare_cached("SELECT status, count(*) FROM requests GROUP BY status")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    })
}

/// What a dashboard counts.
pub struct Counts {
    pub by_status: Vec<(String, i64)>,
    pub overdue: i64,
    pub due_soon: i64,
}

/// The counts a dashboard shows, in one read transaction.
pub fn counts(t: &Target<'_>) -> Result<Counts> {
    let today = t.clock.today(chrono_tz::Europe::Berlin);
    let soon = today + Duration::days(7);
    t.db.read(|c| {
        let mut stmt = c.prepare_cached(&format!("SELECT status, count(*) FROM requests WHERE status IN ({OPEN_LIST}) GROUP BY status"))?;
        let by_status = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
        let overdue = c
            .prepare_cached(&format!("SELECT count(*) FROM requests WHERE NOT {CLOSED_SQL} AND due < ?1"))?
            .query_row([today.to_string()], |r| r.get(0))?;
        let due_soon = c
            .prepare_cached(&format!("SELECT count(*) FROM requests WHERE NOT {CLOSED_SQL} AND due >= ?1 AND due <= ?2"))?
            .query_row([today.to_string(), soon.to_string()], |r| r.get(0))?;
        Ok(Counts { by_status, overdue, due_soon })
    })
}

pub fn run(t: &Target<'_>) -> Result<Vec<Figure>> {
    let soon = RequestFilter { open_only: true, sort: SortOrder::DueAsc, limit: Some(20), ..Default::default() };
    let Counts { overdue, due_soon, .. } = counts(t)?;
    let counts_only = measure(t.effort.warmup, t.effort.samples, |_| counts(t));
    let list = measure(t.effort.warmup, t.effort.samples, |_| requests::list(t.db, &t.clock, &soon));
    let whole = measure(t.effort.warmup, t.effort.samples, |_| dashboard::dashboard(t.db, &t.clock));
    let mut figures = percentiles("dashboard: the app's dashboard (whole service)", t.size, whole, Some(10.0), None);
    figures[0].note = format!(
        "counts, due soon, overdue, needs-you, on-time rate and 12 months per month; {overdue} overdue, {due_soon} due within 7 days"
    );
    let mut c = percentiles("dashboard: counts only (SQL)", t.size, counts_only, None, None);
    c[0].note = "open by status, overdue, due in 7 days".into();
    figures.extend(c);
    figures.extend(percentiles("dashboard: due-soon list (20 rows)", t.size, list, None, None));
    // Where the whole service's time goes (information): its kept tallies, and
    // the next step of each listed need (one request's row and timeline facts each).
    let tallies = measure(t.effort.warmup, t.effort.samples, |_| {
        t.db.read(|c| Ok((tally::by_status(c)?, tally::open_kinds(c)?, tally::open_dates(c)?.len())))
    });
    let mut k = percentiles("dashboard: its kept tallies (info)", t.size, tallies, None, None);
    let rows = t.db.read(|c| Ok(c.query_row("SELECT count(*) FROM request_open_dates", [], |r| r.get::<_, i64>(0))?))?;
    k[0].note = format!("requests by status, open by type and regime, open by dates ({rows} rows)");
    figures.extend(k);
    let listed: Vec<String> = dashboard::dashboard(t.db, &t.clock)?.needs_you.into_iter().map(|n| n.request_id).collect();
    let today = t.clock.today(chrono_tz::Europe::Berlin);
    let steps = measure(t.effort.warmup, t.effort.samples, |_| {
        t.db.read(|c| listed.iter().map(|id| next_step::of_id(c, id, today)).collect::<Result<Vec<_>>>())
    });
    let mut n = percentiles("dashboard: next step of each listed need (info)", t.size, steps, None, None);
    n[0].note = format!("{} needs listed", listed.len());
    figures.extend(n);
    let history = measure_info(t.effort.samples, |_| history_counts(t));
    let mut h = percentiles("dashboard: all-time counts by status (info)", t.size, history, None, None);
    h[0].note = "walks one index entry per request ever received".into();
    figures.extend(h);
    Ok(figures)
}
