//! The dashboard: what is late, what is due soon, what needs the officer today,
//! and how the register is doing (counts, on-time rate, requests per month).
//!
//! "Today" is the organisation's local date; an answer counts as on time when
//! the request was closed (`closed_on`: the local date in the request's own
//! time zone, the zone its legal clock counts in) on or before the legal due
//! date in force.

use chrono::{Datelike, Months, NaiveDate};

use crate::clock::Clock;
use crate::domain::{RequestType, Status};
use crate::error::Result;
use crate::register::next_step::{self, NextStep};
use crate::register::tally;
use crate::settings::org_time_zone;
use crate::store::{Conn, Dialect, Store, ToValue};

/// How far ahead "due soon" looks, on the legal due date (count and list alike).
pub const SOON_DAYS: i64 = 7;
/// The most items each list of the dashboard carries (the counts are complete).
pub const LIST_LIMIT: u32 = 50;

const OPEN: &str = concat!("NOT ", crate::domain::closed_sql!());

// The dashboard reads open requests only (a few percent of a register that
// keeps its history), through partial indexes (migration 11). Without
// statistics SQLite's planner prefers a full index that also serves the ORDER
// BY, and walks every closed request ever received: seconds at 100,000. The
// indexes are named (`INDEXED BY`, which fails loudly should one ever be
// dropped) so the plan cannot drift; `bench-core` measures the whole service.
/// Open requests, covering due, number, target, type, regime and status.
const OPEN_ROWS: &str = "requests_open_dashboard";
/// Open requests by internal target.
const OPEN_BY_TARGET: &str = "requests_open_by_target";
/// Open, unextended requests by the last day to notify an extension.
const OPEN_BY_EXTENSION_NOTICE: &str = "requests_open_by_extension_notice";
/// Requests not yet triaged, by the acknowledgement's due date.
const RECEIVED_BY_ACK: &str = "requests_received_by_ack_due";

/// `requests` read through `index` on SQLite; on PostgreSQL, whose planner has statistics
/// (and indexes of the same names, migration 1), plain `requests`.
fn requests_by(dialect: Dialect, index: &str) -> String {
    match dialect {
        Dialect::Sqlite => format!("requests INDEXED BY {index}"),
        Dialect::Postgres => "requests".to_string(),
    }
}

/// An open request with its dates, for the overdue and due-soon lists.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DueItem {
    pub id: String,
    pub reference: String,
    pub subject_name: String,
    #[serde(rename = "type")]
    pub request_type: RequestType,
    pub regime: String,
    pub jurisdiction: String,
    pub status: Status,
    /// The legal due date in force.
    pub due: Option<NaiveDate>,
    /// The internal target.
    pub target: Option<NaiveDate>,
    /// Days from today to the legal date (negative when overdue); none without one.
    pub days_left: Option<i32>,
    /// True when the internal target is already behind us.
    pub target_passed: bool,
}

/// One bar of a breakdown: a status, type or regime and how many requests have it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Tally {
    pub key: String,
    pub count: u32,
}

/// Requests received and answered in one calendar month (`YYYY-MM`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MonthTally {
    pub month: String,
    pub received: u32,
    pub answered: u32,
}

/// Answers (completed or refused) over the last 12 months, and how many were on time.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct OnTime {
    pub answered: u32,
    pub on_time: u32,
    /// `on_time / answered` in 0..=1; none before the first answer.
    pub rate: Option<f64>,
}

/// What kind of attention an item of "needs you today" asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "kebab-case")]
pub enum NeedKind {
    /// The legal date has passed.
    Overdue,
    /// The legal date is today.
    DueToday,
    /// The internal target has passed; the legal date has not.
    TargetPassed,
    /// Receipt must be acknowledged soon (e.g. CCPA: 10 business days).
    Acknowledge,
    /// The last day to tell the subject of an extension is near.
    ExtensionNotice,
    /// A new request waits to be triaged.
    Triage,
}

/// One thing the officer should do today, about one request.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Need {
    pub kind: NeedKind,
    pub request_id: String,
    pub reference: String,
    /// The date the need is about (the due date, the notice deadline ...).
    pub date: Option<NaiveDate>,
    pub subject_name: String,
    #[serde(rename = "type")]
    pub request_type: RequestType,
    /// The legal due date in force; none where the law sets no date.
    pub due: Option<NaiveDate>,
    /// The request's next step, as its page opens with it (the same button).
    pub step: NextStep,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Dashboard {
    /// The organisation's local date the dashboard was computed for.
    pub today: NaiveDate,
    pub total: u32,
    pub open: u32,
    pub overdue_count: u32,
    pub due_soon_count: u32,
    /// Open requests past their legal date, most overdue first.
    pub overdue: Vec<DueItem>,
    /// Open requests whose legal date falls within [`SOON_DAYS`], soonest first.
    pub due_soon: Vec<DueItem>,
    /// Every request by status.
    pub by_status: Vec<Tally>,
    /// Open requests by type.
    pub by_type: Vec<Tally>,
    /// Open requests by regime.
    pub by_regime: Vec<Tally>,
    pub on_time: OnTime,
    /// The last 12 calendar months, oldest first, including the current one.
    pub per_month: Vec<MonthTally>,
    pub needs_count: u32,
    pub needs_you: Vec<Need>,
}

/// The dashboard as of the organisation's today, on either store (a team register's
/// auditor reads it too: it writes nothing).
pub fn dashboard<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock) -> Result<Dashboard> {
    let store = store.into();
    let zone = org_time_zone(store)?;
    let today = clock.today(zone);
    store.read(|c| build(c, today))
}

fn build(c: Conn<'_>, today: NaiveDate) -> Result<Dashboard> {
    let t = today.to_string();
    let soon = (today + chrono::Duration::days(SOON_DAYS)).to_string();
    // Every request by status, from the kept tally (nine rows, not a walk of the archive).
    let by_status: Vec<Tally> =
        tally::by_status(c)?.into_iter().map(|(key, n)| Tally { key, count: u32::try_from(n).unwrap_or(u32::MAX) }).collect();
    let total = by_status.iter().fold(0u32, |n, t| n.saturating_add(t.count));
    let open =
        by_status.iter().filter(|t| t.key.parse::<Status>().is_ok_and(|s| !s.is_closed())).fold(0u32, |n, t| n.saturating_add(t.count));
    let overdue_where = format!("{OPEN} AND due < ?1");
    // "Due within 7 days" is about the legal date, in the count and in the list
    // alike (a request whose internal target is near but whose legal date is
    // weeks away is not "due"; a missed target is its own need).
    let soon_where = format!("{OPEN} AND due >= ?1 AND due <= ?2");
    // The counts that move with today: sums over the open requests' kept dates
    // (a few hundred rows), not a walk of every late or open request.
    let dates = OpenCounts::of(&tally::open_dates(c)?, &tally::open_notices(c)?, today);
    let overdue_count = dates.overdue;
    let due_soon_count = dates.due_soon;
    let overdue = due_items(c, &format!("{overdue_where} ORDER BY due, number LIMIT {LIST_LIMIT}"), &[&t], today)?;
    let due_soon = due_items(c, &format!("{} ORDER BY due, number LIMIT {LIST_LIMIT}", soon_where), &[&t, &soon], today)?;
    let (by_type, by_regime) = open_by_type_and_regime(c)?;
    let (on_time, per_month) = history(c, today)?;
    let received = by_status.iter().find(|t| t.key == Status::Received.as_str()).map_or(0, |t| t.count);
    let (needs_count, needs_you) = needs(c, today, &dates, received)?;
    Ok(Dashboard {
        today,
        total,
        open,
        overdue_count,
        due_soon_count,
        overdue,
        due_soon,
        by_status,
        by_type,
        by_regime,
        on_time,
        per_month,
        needs_count,
        needs_you,
    })
}

fn parse_date(s: Option<String>) -> Option<NaiveDate> {
    s.and_then(|s| s.parse().ok())
}

fn due_items(c: Conn<'_>, where_order: &str, p: &[&dyn ToValue], today: NaiveDate) -> Result<Vec<DueItem>> {
    let sql = format!(
        "SELECT id, reference, subject_name, request_type, regime, jurisdiction, status, due, target FROM {} WHERE {where_order}",
        requests_by(c.dialect(), OPEN_ROWS)
    );
    let rows = c.query_map(&sql, p, |r| {
        Ok((
            r.get::<String>(0)?,
            r.get::<String>(1)?,
            r.get::<String>(2)?,
            r.get::<String>(3)?,
            r.get::<String>(4)?,
            r.get::<String>(5)?,
            r.get::<String>(6)?,
            r.get::<Option<String>>(7)?,
            r.get::<Option<String>>(8)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, reference, subject_name, kind, regime, jurisdiction, status, due, target) = row;
        let (due, target) = (parse_date(due), parse_date(target));
        out.push(DueItem {
            id,
            reference,
            subject_name,
            request_type: RequestType::parse(&kind).unwrap_or(RequestType::Other),
            regime,
            jurisdiction,
            status: status.parse().unwrap_or(Status::Received),
            days_left: due.map(|d| i32::try_from((d - today).num_days()).unwrap_or(i32::MIN)),
            target_passed: target.is_some_and(|d| d < today),
            due,
            target,
        });
    }
    Ok(out)
}

/// The counts about open requests that depend on today, summed over their kept dates.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct OpenCounts {
    /// The legal date has passed.
    overdue: u32,
    /// The legal date is today.
    due_today: u32,
    /// The legal date falls within [`SOON_DAYS`] from today (today included).
    due_soon: u32,
    /// The internal target has passed, the legal date has not (or there is none).
    target_passed: u32,
    /// Not yet triaged, the acknowledgement due within two days or already late.
    acknowledge: u32,
    /// Not extended, the last day to notify an extension within three days, the legal date not passed.
    extension_notice: u32,
}

impl OpenCounts {
    fn of(rows: &[tally::OpenDates], notices: &[(String, String, i64)], today: NaiveDate) -> OpenCounts {
        // ISO dates compare as strings; "" is no date.
        let (t, soon, ack_by) =
            (today.to_string(), (today + chrono::Duration::days(SOON_DAYS)).to_string(), (today + chrono::Duration::days(2)).to_string());
        let notice_by = (today + chrono::Duration::days(3)).to_string();
        let mut c = OpenCounts::default();
        let add = |n: &mut u32, by: i64| *n = n.saturating_add(u32::try_from(by).unwrap_or(u32::MAX));
        for r in rows {
            let has_due = !r.due.is_empty();
            if has_due && r.due < t {
                add(&mut c.overdue, r.n);
            }
            if r.due == t {
                add(&mut c.due_today, r.n);
            }
            if has_due && r.due >= t && r.due <= soon {
                add(&mut c.due_soon, r.n);
            }
            if !r.target.is_empty() && r.target < t && (!has_due || r.due > t) {
                add(&mut c.target_passed, r.n);
            }
            if !r.ack.is_empty() && r.ack <= ack_by {
                add(&mut c.acknowledge, r.n);
            }
        }
        for (notice, due, n) in notices {
            if *notice >= t && *notice <= notice_by && (due.is_empty() || *due > t) {
                add(&mut c.extension_notice, *n);
            }
        }
        c
    }
}

/// Open requests by type and by regime, from the kept tally (migration 20);
/// each most frequent first, then by key.
fn open_by_type_and_regime(c: Conn<'_>) -> Result<(Vec<Tally>, Vec<Tally>)> {
    let mut by_type = std::collections::HashMap::<String, u32>::new();
    let mut by_regime = std::collections::HashMap::<String, u32>::new();
    for (kind, regime, n) in tally::open_kinds(c)? {
        let n = u32::try_from(n).unwrap_or(u32::MAX);
        let t = by_type.entry(kind).or_default();
        *t = t.saturating_add(n);
        let r = by_regime.entry(regime).or_default();
        *r = r.saturating_add(n);
    }
    let sorted = |m: std::collections::HashMap<String, u32>| {
        let mut v: Vec<Tally> = m.into_iter().map(|(key, count)| Tally { key, count }).collect();
        v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
        v
    };
    Ok((sorted(by_type), sorted(by_regime)))
}

fn month_key(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

/// The on-time rate and the per-month chart over the last 12 calendar months.
///
/// Both are sums over the kept figures per day ([`tally`]): at most 366 rows
/// whatever the size of the register. An answer is dated by `closed_on` (the
/// day the request was completed or refused, in its own time zone).
fn history(c: Conn<'_>, today: NaiveDate) -> Result<(OnTime, Vec<MonthTally>)> {
    let first_of_month = today.with_day(1).unwrap_or(today);
    let start = first_of_month.checked_sub_months(Months::new(11)).unwrap_or(first_of_month);
    let year_ago = today.checked_sub_months(Months::new(12)).unwrap_or(today);
    let mut months: Vec<MonthTally> = (0..12)
        .filter_map(|i| start.checked_add_months(Months::new(i)))
        .map(|d| MonthTally { month: month_key(d), received: 0, answered: 0 })
        .collect();
    let to_u32 = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
    let mut on_time = OnTime { answered: 0, on_time: 0, rate: None };
    for (month, t) in tally::by_month(c, start - chrono::Duration::days(1), today)? {
        if let Some(m) = months.iter_mut().find(|m| m.month == month) {
            m.received = to_u32(t.received);
            m.answered = to_u32(t.answered);
        }
    }
    // The rate covers the last 12 months to the day, and only answers the law dated.
    let (dated, in_time): (i64, i64) = c.query_row(
        "SELECT coalesce(sum(answered_dated), 0), coalesce(sum(answered_on_time), 0) FROM request_days WHERE day > ?1 AND day <= ?2",
        &[&year_ago.to_string(), &today.to_string()],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    on_time.answered = to_u32(dated);
    on_time.on_time = to_u32(in_time);
    if on_time.answered > 0 {
        on_time.rate = Some(f64::from(on_time.on_time) / f64::from(on_time.answered));
    }
    Ok((on_time, months))
}

/// What needs the officer today, most urgent first.
fn needs(c: Conn<'_>, today: NaiveDate, dates: &OpenCounts, received: u32) -> Result<(u32, Vec<Need>)> {
    let t = today.to_string();
    let in_days = |n: i64| (today + chrono::Duration::days(n)).to_string();
    let d = c.dialect();
    let (open_rows, by_target, by_notice, by_ack) = (
        requests_by(d, OPEN_ROWS),
        requests_by(d, OPEN_BY_TARGET),
        requests_by(d, OPEN_BY_EXTENSION_NOTICE),
        requests_by(d, RECEIVED_BY_ACK),
    );
    let (ack_due, notice_due, extended_due) = (
        next_step::schedule_value(d, "ack_due", false),
        next_step::schedule_value(d, "extension_notice_due", false),
        next_step::schedule_value(d, "extended_due", false),
    );
    // Each source: the kind, a query giving (id, reference, date) for open
    // requests, and its count from the kept tallies (the query only lists the first few).
    let sources: [(NeedKind, String, Vec<String>, u32); 6] = [
        (
            NeedKind::Overdue,
            format!("SELECT id, reference, due FROM {open_rows} WHERE {OPEN} AND due < ?1 ORDER BY due, number"),
            vec![t.clone()],
            dates.overdue,
        ),
        (
            NeedKind::DueToday,
            format!("SELECT id, reference, due FROM requests WHERE {OPEN} AND due = ?1 ORDER BY number"),
            vec![t.clone()],
            dates.due_today,
        ),
        (
            NeedKind::TargetPassed,
            format!("SELECT id, reference, target FROM {by_target} WHERE {OPEN} AND target < ?1 AND (due IS NULL OR due > ?1) ORDER BY target, number"),
            vec![t.clone()],
            dates.target_passed,
        ),
        (
            NeedKind::Acknowledge,
            // The date is named in full in WHERE and ORDER BY: PostgreSQL knows no output alias there.
            format!(
                "SELECT id, reference, {ack_due} FROM {by_ack} \
                 WHERE status = 'received' AND {ack_due} IS NOT NULL AND {ack_due} <= ?1 ORDER BY {ack_due}, number"
            ),
            vec![in_days(2)],
            dates.acknowledge,
        ),
        (
            NeedKind::ExtensionNotice,
            format!(
                "SELECT id, reference, {notice_due} FROM {by_notice} \
                 WHERE {OPEN} AND {extended_due} IS NULL AND {notice_due} IS NOT NULL \
                 AND {notice_due} >= ?1 AND {notice_due} <= ?2 AND (due IS NULL OR due > ?1) ORDER BY {notice_due}, number"
            ),
            vec![t.clone(), in_days(3)],
            dates.extension_notice,
        ),
        (
            NeedKind::Triage,
            "SELECT id, reference, received_on FROM requests WHERE status = 'received' ORDER BY received_on, number".to_string(),
            vec![],
            received,
        ),
    ];
    // Count every need, but load only the first LIST_LIMIT (a register of 100,000
    // received requests must not load them all to show fifty).
    let mut listed = Vec::new();
    let mut count: u32 = 0;
    for (kind, sql, args, kept) in sources {
        count = count.saturating_add(kept);
        let room = (LIST_LIMIT as usize).saturating_sub(listed.len());
        if room == 0 {
            continue;
        }
        // The listed few also carry their subject, type and due date (the count reads none of them).
        let sql = sql.replacen(" FROM ", ", subject_name, request_type, due FROM ", 1);
        let args: Vec<&dyn ToValue> = args.iter().map(|a| a as &dyn ToValue).collect();
        let rows = c.query_map(&format!("{sql} LIMIT {room}"), &args, |r| {
            Ok((
                kind,
                r.get::<String>(0)?,
                r.get::<String>(1)?,
                parse_date(r.get(2)?),
                r.get::<String>(3)?,
                r.get::<String>(4)?,
                parse_date(r.get(5)?),
            ))
        })?;
        listed.extend(rows);
    }
    // The next steps of the few listed, from the columns they need (not the whole requests), in
    // a few queries for all of them (on a team register each query is a round trip).
    let ids: Vec<&str> = listed.iter().map(|l| l.1.as_str()).collect();
    let steps = next_step::of_ids(c, &ids, today)?;
    let mut all = Vec::with_capacity(listed.len());
    for (kind, request_id, reference, date, subject_name, kind_of, due) in listed {
        let step = match steps.get(&request_id) {
            Some(step) => step.clone(),
            None => next_step::of_id(c, &request_id, today)?,
        };
        all.push(Need {
            kind,
            request_id,
            reference,
            date,
            subject_name,
            request_type: RequestType::parse(&kind_of).unwrap_or(RequestType::Other),
            due,
            step,
        });
    }
    Ok((count, all))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use crate::domain::NewRequest;
    use crate::domain::RequestId;
    use crate::requests;
    use crate::store::Db;

    fn add(db: &Db, clock: &FixedClock, kind: &str, regime: &str, jurisdiction: &str, received: &str) -> String {
        let input = NewRequest {
            request_type: kind.parse().unwrap(),
            regime: regime.into(),
            jurisdiction: jurisdiction.into(),
            subject_name: "Ada Example".into(),
            subject_email: "ada@example.org".into(),
            received: received.into(),
            time_zone: "UTC".into(),
            ..Default::default()
        };
        requests::register(db, clock, &input, "t").unwrap().reference
    }

    #[test]
    fn the_overdue_request_comes_first_with_its_legal_date_and_internal_target() {
        let db = Db::open_in_memory().unwrap();
        let clock = FixedClock::at("2025-03-10");
        let late = add(&db, &clock, "access", "eu-gdpr", "DE", "2025-01-31"); // due 2025-02-28
        let soon = add(&db, &clock, "erasure", "eu-gdpr", "DE", "2025-02-12"); // due 2025-03-12
        let fresh = add(&db, &clock, "access", "eu-gdpr", "DE", "2025-03-09");
        requests::change_status(&db, &clock, &RequestId::from(&fresh), Status::InProgress, None, "t").unwrap();
        let d = dashboard(&db, &clock).unwrap();
        assert_eq!(d.today.to_string(), "2025-03-10");
        assert_eq!((d.total, d.open, d.overdue_count), (3, 3, 1));
        assert_eq!(d.overdue[0].reference, late);
        assert_eq!(d.overdue[0].due.unwrap().to_string(), "2025-02-28");
        assert_eq!(d.overdue[0].days_left, Some(-10));
        assert_eq!(d.due_soon.len(), 1);
        assert_eq!(d.due_soon[0].reference, soon);
        assert!(d.due_soon[0].target.is_some_and(|t| t <= d.due_soon[0].due.unwrap()), "target never after the law's date");
        assert_eq!(d.needs_you[0].kind, NeedKind::Overdue);
        assert!(d.needs_you.iter().any(|n| n.kind == NeedKind::Triage && n.reference == soon));
        assert!(!d.needs_you.iter().any(|n| n.kind == NeedKind::Triage && n.reference == fresh), "work has started on it");
    }

    #[test]
    fn due_soon_counts_and_lists_the_same_requests_by_their_legal_date() {
        let db = Db::open_in_memory().unwrap();
        let clock = FixedClock::at("2025-03-10");
        let soon = add(&db, &clock, "access", "eu-gdpr", "DE", "2025-02-12"); // due 2025-03-12
        let later = add(&db, &clock, "access", "eu-gdpr", "DE", "2025-02-22"); // due 2025-03-22, target earlier
        let target: String =
            db.read(|c| Ok(c.query_row("SELECT target FROM requests WHERE reference = ?1", [&later], |r| r.get(0))?)).unwrap();
        assert!(target.as_str() <= "2025-03-17", "the set-up needs a target within the 7 days: {target}");
        let d = dashboard(&db, &clock).unwrap();
        let listed: Vec<&str> = d.due_soon.iter().map(|x| x.reference.as_str()).collect();
        assert_eq!(listed, vec![soon.as_str()], "only the legal date within 7 days counts as due soon");
        assert_eq!(d.due_soon_count as usize, d.due_soon.len(), "the card's count is the list's length");
        assert!(d.due_soon.iter().all(|x| x.days_left.is_some_and(|n| (0..=SOON_DAYS as i32).contains(&n))));
    }

    #[test]
    fn counts_break_the_open_work_down_by_status_type_and_regime() {
        let db = Db::open_in_memory().unwrap();
        let clock = FixedClock::at("2025-03-10");
        add(&db, &clock, "access", "eu-gdpr", "DE", "2025-03-01");
        add(&db, &clock, "access", "uk-gdpr", "GB-ENG", "2025-03-02");
        let c = add(&db, &clock, "erasure", "eu-gdpr", "DE", "2025-03-03");
        requests::change_status(&db, &clock, &RequestId::from(&c), Status::Withdrawn, None, "t").unwrap();
        let d = dashboard(&db, &clock).unwrap();
        let get = |v: &[Tally], k: &str| v.iter().find(|t| t.key == k).map(|t| t.count);
        assert_eq!(get(&d.by_status, "received"), Some(2));
        assert_eq!(get(&d.by_status, "withdrawn"), Some(1));
        assert_eq!(get(&d.by_type, "access"), Some(2));
        assert_eq!(get(&d.by_type, "erasure"), None, "withdrawn work is not open work");
        assert_eq!(get(&d.by_regime, "eu-gdpr"), Some(1));
        assert_eq!(get(&d.by_regime, "uk-gdpr"), Some(1));
    }

    #[test]
    fn the_on_time_rate_counts_answers_of_the_last_twelve_months_against_their_legal_date() {
        let db = Db::open_in_memory().unwrap();
        // Answered on time: received 2025-01-02 (due 2025-02-03 at the latest), completed on 2025-01-20.
        let on_time = add(&db, &FixedClock::at("2025-01-05"), "access", "eu-gdpr", "DE", "2025-01-02");
        requests::change_status(&db, &FixedClock::at("2025-01-10"), &RequestId::from(&on_time), Status::InProgress, None, "t").unwrap();
        requests::change_status(&db, &FixedClock::at("2025-01-20"), &RequestId::from(&on_time), Status::Completed, None, "t").unwrap();
        // Answered late: received 2025-01-02, refused on 2025-03-01.
        let late = add(&db, &FixedClock::at("2025-01-05"), "access", "eu-gdpr", "DE", "2025-01-02");
        requests::change_status(&db, &FixedClock::at("2025-03-01"), &RequestId::from(&late), Status::Refused, Some("unfounded"), "t")
            .unwrap();
        // Answered more than a year before "today": outside the rate.
        let old = add(&db, &FixedClock::at("2023-06-05"), "access", "eu-gdpr", "DE", "2023-06-01");
        requests::change_status(&db, &FixedClock::at("2023-06-10"), &RequestId::from(&old), Status::InProgress, None, "t").unwrap();
        requests::change_status(&db, &FixedClock::at("2023-06-11"), &RequestId::from(&old), Status::Completed, None, "t").unwrap();
        // Withdrawn: no answer was owed, so it counts neither way.
        let w = add(&db, &FixedClock::at("2025-02-05"), "access", "eu-gdpr", "DE", "2025-02-01");
        requests::change_status(&db, &FixedClock::at("2025-04-05"), &RequestId::from(&w), Status::Withdrawn, None, "t").unwrap();

        let d = dashboard(&db, &FixedClock::at("2025-06-15")).unwrap();
        assert_eq!((d.on_time.answered, d.on_time.on_time), (2, 1));
        assert_eq!(d.on_time.rate, Some(0.5));
        assert_eq!(d.per_month.len(), 12);
        assert_eq!(d.per_month.first().unwrap().month, "2024-07");
        assert_eq!(d.per_month.last().unwrap().month, "2025-06");
        let jan = d.per_month.iter().find(|m| m.month == "2025-01").unwrap();
        assert_eq!((jan.received, jan.answered), (2, 1));
        let mar = d.per_month.iter().find(|m| m.month == "2025-03").unwrap();
        assert_eq!(mar.answered, 1);
    }

    #[test]
    fn an_answer_given_late_on_the_due_date_in_the_requests_zone_is_on_time() {
        let db = Db::open_in_memory().unwrap();
        let berlin = |received: &str| NewRequest {
            request_type: RequestType::Access,
            regime: "eu-gdpr".into(),
            jurisdiction: "DE".into(),
            subject_name: "Ada Example".into(),
            subject_email: "ada@example.org".into(),
            received: received.into(),
            time_zone: "Europe/Berlin".into(),
            ..Default::default()
        };
        // Received 2025-01-31: due 2025-02-28. Completed at 23:30 in Berlin on
        // the 28th, which is already 1 March in UTC — still on time.
        let r = requests::register(&db, &FixedClock::at("2025-01-31"), &berlin("2025-01-31"), "t").unwrap();
        let evening = FixedClock("2025-02-28T22:30:00Z".parse().unwrap());
        requests::change_status(&db, &evening, &RequestId::from(&r.reference), Status::InProgress, None, "t").unwrap();
        requests::change_status(&db, &evening, &RequestId::from(&r.reference), Status::Completed, None, "t").unwrap();
        // Received 2025-01-10 (due 2025-02-10), completed a day late.
        let late = requests::register(&db, &FixedClock::at("2025-01-10"), &berlin("2025-01-10"), "t").unwrap();
        requests::change_status(&db, &FixedClock::at("2025-01-12"), &RequestId::from(&late.reference), Status::InProgress, None, "t")
            .unwrap();
        requests::change_status(&db, &FixedClock::at("2025-02-11"), &RequestId::from(&late.reference), Status::Completed, None, "t")
            .unwrap();

        let d = dashboard(&db, &FixedClock::at("2025-03-10")).unwrap();
        assert_eq!((d.on_time.answered, d.on_time.on_time), (2, 1));
        let feb = d.per_month.iter().find(|m| m.month == "2025-02").unwrap();
        assert_eq!(feb.answered, 2, "both answered in February, local time");
        assert!(d.per_month.iter().find(|m| m.month == "2025-03").is_some_and(|m| m.answered == 0));
    }

    #[test]
    fn needs_you_today_counts_everything_but_lists_the_first_fifty() {
        let db = Db::open_in_memory().unwrap();
        let clock = FixedClock::at("2025-03-10");
        for _ in 0..55 {
            add(&db, &clock, "access", "eu-gdpr", "DE", "2025-03-05");
        }
        let d = dashboard(&db, &clock).unwrap();
        assert_eq!(d.needs_count, 55, "each new request waits to be triaged");
        assert_eq!(d.needs_you.len(), LIST_LIMIT as usize);
    }

    #[test]
    fn an_empty_register_has_an_empty_dashboard_and_no_rate() {
        let db = Db::open_in_memory().unwrap();
        let d = dashboard(&db, &FixedClock::at("2025-03-10")).unwrap();
        assert_eq!((d.total, d.open, d.needs_count), (0, 0, 0));
        assert_eq!(d.on_time.rate, None);
        assert!(d.per_month.iter().all(|m| m.received == 0));
    }

    #[test]
    fn a_ccpa_request_left_unacknowledged_asks_to_be_acknowledged() {
        let db = Db::open_in_memory().unwrap();
        // Received Monday 3 March: acknowledge within 10 business days, by 17 March.
        let clock = FixedClock::at("2025-03-15");
        let r = add(&db, &clock, "access", "ccpa", "US-CA", "2025-03-03");
        let d = dashboard(&db, &clock).unwrap();
        let ack = d.needs_you.iter().find(|n| n.kind == NeedKind::Acknowledge);
        assert!(ack.is_some_and(|n| n.reference == r), "{:?}", d.needs_you);
    }
}
