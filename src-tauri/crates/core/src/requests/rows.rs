//! Rows of the `requests` table. Only the services call these, inside `Db::write`/`Db::read`.

use chrono::{NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::deadlines::Schedule;
use crate::domain::{Identifier, Request, RequestChannel, RequestType, Status, Subject};
use crate::error::{Error, Result};
use crate::requests::ValidRequest;
use crate::store::row;

const COLUMNS: &str = "id, reference, request_type, regime, jurisdiction, subject_name, subject_email, identifiers, \
     channel, received_at, received_on, time_zone, status, status_reason, notes, due, schedule, created_at, updated_at";

/// How the list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "kebab-case")]
pub enum SortOrder {
    #[default]
    DueAsc,
    DueDesc,
    ReceivedDesc,
    ReceivedAsc,
    ReferenceAsc,
    ReferenceDesc,
    SubjectAsc,
    SubjectDesc,
    TypeAsc,
    TypeDesc,
    RegimeAsc,
    RegimeDesc,
    StatusAsc,
    StatusDesc,
    TargetAsc,
    TargetDesc,
}

impl SortOrder {
    /// The ORDER BY clause; every order ends on `number` so pages never overlap.
    fn order_by(self) -> &'static str {
        match self {
            // Open requests first (closed ones no longer run against a date), then
            // requests without a legal date after dated ones.
            SortOrder::DueAsc => concat!(" ORDER BY status IN ", crate::domain::closed_sql!(), ", due IS NULL, due, number"),
            SortOrder::DueDesc => concat!(" ORDER BY status IN ", crate::domain::closed_sql!(), ", due IS NULL, due DESC, number DESC"),
            SortOrder::ReceivedDesc => " ORDER BY received_on DESC, number DESC",
            SortOrder::ReceivedAsc => " ORDER BY received_on, number",
            SortOrder::ReferenceAsc => " ORDER BY number",
            SortOrder::ReferenceDesc => " ORDER BY number DESC",
            SortOrder::SubjectAsc => " ORDER BY subject_name COLLATE NOCASE, number",
            SortOrder::SubjectDesc => " ORDER BY subject_name COLLATE NOCASE DESC, number DESC",
            SortOrder::TypeAsc => " ORDER BY request_type, number",
            SortOrder::TypeDesc => " ORDER BY request_type DESC, number DESC",
            SortOrder::RegimeAsc => " ORDER BY regime, jurisdiction, number",
            SortOrder::RegimeDesc => " ORDER BY regime DESC, jurisdiction DESC, number DESC",
            SortOrder::StatusAsc => " ORDER BY status, number",
            SortOrder::StatusDesc => " ORDER BY status DESC, number DESC",
            SortOrder::TargetAsc => " ORDER BY target IS NULL, target, number",
            SortOrder::TargetDesc => " ORDER BY target IS NULL, target DESC, number DESC",
        }
    }
}

/// What the list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RequestFilter {
    pub status: Option<Status>,
    pub request_type: Option<RequestType>,
    /// Only requests that are still open (not completed, refused, withdrawn, duplicate).
    pub open_only: bool,
    /// Matches the subject's name or email, the reference, the request id or the notes (case-insensitive).
    pub search: Option<String>,
    pub sort: SortOrder,
    pub limit: Option<u32>,
    pub offset: Option<u32>,
}

/// The request registered by the submission named `key` (migration 14), if any.
pub fn submitted(conn: &Connection, key: Option<&str>) -> Result<Option<String>> {
    let Some(key) = key else { return Ok(None) };
    if key.is_empty() || key.chars().count() > 200 || key.chars().any(char::is_control) {
        return Err(Error::invalid("idempotency_key", "must be 1 to 200 characters without control characters"));
    }
    Ok(conn
        .prepare_cached("SELECT request_id FROM request_submissions WHERE idempotency_key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?)
}

/// Records that the submission named `key` registered request `id` (same transaction).
pub fn record_submission(conn: &Connection, key: Option<&str>, id: &str) -> Result<()> {
    if let Some(key) = key {
        conn.prepare_cached("INSERT INTO request_submissions (idempotency_key, request_id) VALUES (?1, ?2)")?.execute(params![key, id])?;
    }
    Ok(())
}

pub fn next_number(conn: &Connection) -> Result<i64> {
    Ok(conn.prepare_cached("SELECT COALESCE(MAX(number), 0) + 1 FROM requests")?.query_row([], |r| r.get(0))?)
}

/// Runs `register` (which inserts new requests and neither changes nor removes
/// any) with the search index's insert trigger held back, then indexes every
/// request it inserted with one statement: FTS5 writes a segment at every
/// statement it takes part in, so a 100,000-row import otherwise wrote (and
/// merged) 100,000 of them. `conn` must be inside a transaction (migration 12).
pub fn with_search_deferred<T>(conn: &Connection, register: impl FnOnce() -> Result<T>) -> Result<T> {
    let first = next_number(conn)?;
    conn.execute("INSERT INTO search_deferred (one) VALUES (1)", [])?;
    let value = register()?;
    conn.execute("DELETE FROM search_deferred", [])?;
    conn.execute(
        "INSERT INTO requests_search (rowid, subject_name, subject_email, reference, notes) \
         SELECT number, subject_name, subject_email, reference, notes FROM requests WHERE number >= ?1 ORDER BY number",
        [first],
    )?;
    Ok(value)
}

pub fn insert(
    conn: &Connection,
    id: &str,
    number: i64,
    reference: &str,
    v: &ValidRequest,
    schedule: &Schedule,
    now: chrono::DateTime<Utc>,
) -> Result<()> {
    let identifiers = serde_json::to_string(&v.identifiers).map_err(|e| Error::Internal(e.to_string()))?;
    let schedule_json = serde_json::to_string(schedule).map_err(|e| Error::Internal(e.to_string()))?;
    conn.prepare_cached(
        "INSERT INTO requests (id, number, reference, request_type, regime, jurisdiction, subject_name, subject_email, \
         identifiers, channel, received_at, received_on, time_zone, status, notes, due, target, rule_set, schedule, created_at, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 'received', ?14, ?15, ?16, ?17, ?18, ?19, ?19)",
    )?
    .execute(params![
            id,
            number,
            reference,
            v.request_type.as_str(),
            v.regime,
            v.jurisdiction,
            v.subject_name,
            v.subject_email,
            identifiers,
            v.channel.as_str(),
            v.received_at.to_rfc3339(),
            v.received_on.to_string(),
            v.zone.name(),
            v.notes,
            schedule.legal_due.map(|d| d.to_string()),
            schedule.target.map(|d| d.to_string()),
            schedule.rule_set,
            schedule_json,
            now.to_rfc3339(),
        ],
    )?;
    Ok(())
}

/// Finds a request by id or by its human reference (DSR-2025-0001).
pub fn get(conn: &Connection, id_or_reference: &str, today: impl Fn(&str) -> NaiveDate) -> Result<Request> {
    let sql = format!("SELECT {COLUMNS} FROM requests WHERE id = ?1 OR reference = ?1 COLLATE NOCASE");
    conn.prepare_cached(&sql)?
        .query_row([id_or_reference], |r| from_row(r, &today))
        .optional()?
        .ok_or(Error::NotFound { entity: "request" })?
}

/// Replaces a request's schedule (its dates, their explanation and rule set).
pub fn set_schedule(conn: &Connection, id: &str, schedule: &Schedule, now: chrono::DateTime<Utc>) -> Result<()> {
    crate::store::events::check_before_change(conn, id, now)?;
    let json = serde_json::to_string(schedule).map_err(|e| Error::Internal(e.to_string()))?;
    conn.execute(
        "UPDATE requests SET due = ?2, target = ?3, rule_set = ?4, schedule = ?5, updated_at = ?6 WHERE id = ?1",
        params![
            id,
            schedule.legal_due.map(|d| d.to_string()),
            schedule.target.map(|d| d.to_string()),
            schedule.rule_set,
            json,
            now.to_rfc3339()
        ],
    )?;
    Ok(())
}

/// Moves a request to `to`; a move to a closed status records the day it was
/// closed (`closed_on`, the local date in the request's own time zone).
pub fn set_status(conn: &Connection, id: &str, to: Status, reason: Option<&str>, now: chrono::DateTime<Utc>) -> Result<()> {
    crate::store::events::check_before_change(conn, id, now)?;
    let closed_on = if to.is_closed() {
        let zone: Option<String> =
            conn.prepare_cached("SELECT time_zone FROM requests WHERE id = ?1")?.query_row([id], |r| r.get(0)).optional()?;
        zone.map(|z| local_date(now, &z).to_string())
    } else {
        None
    };
    conn.prepare_cached("UPDATE requests SET status = ?2, status_reason = ?3, updated_at = ?4, closed_on = ?5 WHERE id = ?1")?
        .execute(params![id, to.as_str(), reason, now.to_rfc3339(), closed_on])?;
    Ok(())
}

pub use crate::clock::local_date;

pub fn count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM requests", [], |r| r.get(0))?)
}

type Args = Vec<Box<dyn rusqlite::ToSql>>;

/// The search term as one FTS5 phrase for the trigram index, or `None` when it
/// is too short for trigrams (fewer than three characters): those terms are
/// matched with LIKE over the name, email and reference instead (ASCII letter case only).
fn search_phrase(term: &str) -> Option<String> {
    (term.chars().count() >= 3).then(|| format!("\"{}\"", term.replace('"', "\"\"")))
}

/// Above this many trigram matches, a page of the list is found by walking the
/// list's order and keeping the matching requests (it stops once the page is
/// full), rather than reading and sorting every match: a term like "example"
/// matches most requests, and reading them all took seconds at 100,000.
const MANY_MATCHES: i64 = 2_000;

/// How a search term narrows the list.
#[derive(Clone, PartialEq, Eq)]
enum SearchPlan {
    /// No trigram search: no term, or one too short for trigrams (LIKE).
    NoPhrase,
    /// The request numbers the phrase matches (at most [`MANY_MATCHES`]), as a
    /// JSON array read once from the index: the list reads them by number and
    /// sorts them, the count counts them, and neither searches the index again.
    Matches(String),
    /// More matches than that: the list walks its sort order, checking each
    /// request against the index, and stops once the page is full.
    Walk,
    /// More matches than that, counted: every match, looked up by number.
    CountAll,
}

/// The WHERE clause (and its arguments) shared by [`list`] and [`count_matching`].
fn where_clause(filter: &RequestFilter, plan: &SearchPlan) -> (String, Args) {
    let mut sql = String::from(" WHERE 1 = 1");
    let mut args: Args = Vec::new();
    if let Some(status) = filter.status {
        args.push(Box::new(status.as_str()));
        sql.push_str(&format!(" AND status = ?{}", args.len()));
    }
    if let Some(t) = filter.request_type {
        args.push(Box::new(t.as_str()));
        sql.push_str(&format!(" AND request_type = ?{}", args.len()));
    }
    if filter.open_only {
        sql.push_str(concat!(" AND status NOT IN ", crate::domain::closed_sql!()));
    }
    if let Some(q) = search_term(filter) {
        if let Some(phrase) = search_phrase(q) {
            // The trigram index (migration 0009): case- and accent-insensitive substrings,
            // or a whole request id.
            let matches = match plan {
                SearchPlan::Matches(numbers) => {
                    args.push(Box::new(numbers.clone()));
                    format!("SELECT value FROM json_each(?{})", args.len())
                }
                _ => {
                    args.push(Box::new(phrase));
                    format!("SELECT rowid FROM requests_search WHERE requests_search MATCH ?{}", args.len())
                }
            };
            args.push(Box::new(q.to_lowercase()));
            let n = args.len();
            // `+number` keeps SQLite from looking the matches up by number, so it walks the sort order.
            let column = if *plan == SearchPlan::Walk { "+number" } else { "number" };
            sql.push_str(&format!(" AND {column} IN ({matches} UNION ALL SELECT number FROM requests WHERE id = ?{n})"));
        } else {
            let escaped = q.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
            args.push(Box::new(format!("%{escaped}%")));
            let n = args.len();
            // Only the columns the list's order index carries: no table row is read to
            // reject a request (with the id and notes, two letters took seconds at 100,000).
            sql.push_str(&format!(
                " AND (subject_name LIKE ?{n} ESCAPE '\\' OR subject_email LIKE ?{n} ESCAPE '\\' \
                 OR reference LIKE ?{n} ESCAPE '\\')"
            ));
        }
    }
    (sql, args)
}

fn search_term(filter: &RequestFilter) -> Option<&str> {
    filter.search.as_deref().map(str::trim).filter(|q| !q.is_empty())
}

/// The plan for `filter`'s search: how many requests its term matches decides.
/// Reads the index once (at most [`MANY_MATCHES`] + 1 numbers).
fn search_plan(conn: &Connection, filter: &RequestFilter) -> Result<SearchPlan> {
    let Some(phrase) = search_term(filter).and_then(search_phrase) else {
        return Ok(SearchPlan::NoPhrase);
    };
    let numbers = conn
        .prepare_cached("SELECT rowid FROM requests_search WHERE requests_search MATCH ?1 LIMIT ?2 + 1")?
        .query_map(rusqlite::params![phrase, MANY_MATCHES], |r| r.get::<_, i64>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(if numbers.len() as i64 > MANY_MATCHES {
        SearchPlan::Walk
    } else {
        SearchPlan::Matches(serde_json::to_string(&numbers).map_err(|e| Error::Internal(e.to_string()))?)
    })
}

pub fn list(conn: &Connection, filter: &RequestFilter, today: impl Fn(&str) -> NaiveDate) -> Result<Vec<Request>> {
    list_planned(conn, filter, &search_plan(conn, filter)?, today)
}

fn list_planned(conn: &Connection, filter: &RequestFilter, plan: &SearchPlan, today: impl Fn(&str) -> NaiveDate) -> Result<Vec<Request>> {
    let (clause, mut args) = where_clause(filter, plan);
    let mut sql = format!("SELECT {COLUMNS} FROM requests{clause}");
    sql.push_str(filter.sort.order_by());
    args.push(Box::new(i64::from(filter.limit.unwrap_or(500).min(10_000))));
    sql.push_str(&format!(" LIMIT ?{}", args.len()));
    args.push(Box::new(i64::from(filter.offset.unwrap_or(0))));
    sql.push_str(&format!(" OFFSET ?{}", args.len()));
    let mut stmt = conn.prepare_cached(&sql)?;
    let params = rusqlite::params_from_iter(args.iter().map(|a| a.as_ref()));
    let rows = stmt.query_map(params, |r| from_row(r, &today))?;
    let mut out = Vec::new();
    for row in rows {
        out.push(row??);
    }
    Ok(out)
}

/// One page of the list and how many match in all, the index searched once for both.
pub fn page(conn: &Connection, filter: &RequestFilter, today: impl Fn(&str) -> NaiveDate) -> Result<(i64, Vec<Request>)> {
    let plan = search_plan(conn, filter)?;
    Ok((count_planned(conn, filter, &plan)?, list_planned(conn, filter, &plan, today)?))
}

/// How many requests match the filter (ignoring its sort, limit and offset).
pub fn count_matching(conn: &Connection, filter: &RequestFilter) -> Result<i64> {
    count_planned(conn, filter, &search_plan(conn, filter)?)
}

fn count_planned(conn: &Connection, filter: &RequestFilter, plan: &SearchPlan) -> Result<i64> {
    if search_term(filter).is_none() && filter.request_type.is_none() {
        // By status alone (or no filter at all): the kept count per status
        // (`register::tally`), not a walk of every matching request (80,000
        // completed ones took milliseconds on each page of the list).
        return Ok(conn
            .prepare_cached(concat!(
                "SELECT coalesce(sum(n), 0) FROM request_statuses WHERE (?1 IS NULL OR status = ?1) \
                 AND (?2 = 0 OR status NOT IN ",
                crate::domain::closed_sql!(),
                ")"
            ))?
            .query_row(rusqlite::params![filter.status.map(Status::as_str), filter.open_only], |r| r.get(0))?);
    }
    let plan = if *plan == SearchPlan::Walk { &SearchPlan::CountAll } else { plan };
    let (clause, args) = where_clause(filter, plan);
    let sql = format!("SELECT count(*) FROM requests{clause}");
    let mut stmt = conn.prepare_cached(&sql)?;
    let params = rusqlite::params_from_iter(args.iter().map(|a| a.as_ref()));
    Ok(stmt.query_row(params, |r| r.get(0))?)
}

fn from_row(r: &Row<'_>, today: &impl Fn(&str) -> NaiveDate) -> rusqlite::Result<Result<Request>> {
    let id: String = r.get(0)?;
    let request_type: String = r.get(2)?;
    let identifiers: String = r.get(7)?;
    let channel: String = r.get(8)?;
    let received_at: String = r.get(9)?;
    let received_on: String = r.get(10)?;
    let time_zone: String = r.get(11)?;
    let status: String = r.get(12)?;
    let due: Option<String> = r.get(15)?;
    let schedule: String = r.get(16)?;
    let created_at: String = r.get(17)?;
    let updated_at: String = r.get(18)?;
    let build = || -> Result<Request> {
        let status: Status = row::parse("requests", "status", &id, &status)?;
        row::parse::<chrono_tz::Tz>("requests", "time_zone", &id, &time_zone)?;
        let due: Option<NaiveDate> = due.as_deref().map(|d| row::parse("requests", "due", &id, d)).transpose()?;
        let days_left = match (due, status.is_closed()) {
            (Some(d), false) => Some((d - today(&time_zone)).num_days()),
            _ => None,
        };
        Ok(Request {
            id: id.clone(),
            reference: r.get(1)?,
            request_type: row::known("requests", "request_type", &id, &request_type, RequestType::parse)?,
            regime: r.get(3)?,
            jurisdiction: r.get(4)?,
            subject: Subject {
                name: r.get(5)?,
                email: r.get(6)?,
                identifiers: row::json::<Vec<Identifier>>("requests", "identifiers", &id, &identifiers)?,
            },
            channel: row::known("requests", "channel", &id, &channel, RequestChannel::parse)?,
            received_at: row::instant("requests", "received_at", &id, &received_at)?,
            received_on: row::parse("requests", "received_on", &id, &received_on)?,
            time_zone,
            status,
            status_reason: r.get(13)?,
            notes: r.get(14)?,
            due,
            days_left,
            schedule: row::json("requests", "schedule", &id, &schedule)?,
            created_at: row::instant("requests", "created_at", &id, &created_at)?,
            updated_at: row::instant("requests", "updated_at", &id, &updated_at)?,
        })
    };
    Ok(build())
}
