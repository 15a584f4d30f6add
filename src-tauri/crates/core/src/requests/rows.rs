//! Rows of the `requests` table. Only the services call these, inside `Db::write`/`Db::read`.

use chrono::{NaiveDate, Utc};
use rusqlite::Connection;

use crate::deadlines::Schedule;
use crate::domain::{Identifier, Request, RequestChannel, RequestType, Status, Subject};
use crate::error::{Error, Result};
use crate::requests::ValidRequest;
use crate::store::{row, Conn, Dialect, Row, ToValue};

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
    fn order_by(self, dialect: Dialect) -> &'static str {
        match (self, dialect) {
            // SQLite's NOCASE folds ASCII letters only, as `lower()` does on
            // PostgreSQL's `COLLATE "C"` columns.
            (SortOrder::SubjectAsc, Dialect::Postgres) => return " ORDER BY lower(subject_name), number",
            (SortOrder::SubjectDesc, Dialect::Postgres) => return " ORDER BY lower(subject_name) DESC, number DESC",
            _ => {}
        }
        match self {
            // Open requests first (closed ones no longer run against a date), then
            // requests without a legal date after dated ones.
            SortOrder::DueAsc => concat!(" ORDER BY ", crate::domain::closed_sql!(), ", due IS NULL, due, number"),
            SortOrder::DueDesc => concat!(" ORDER BY ", crate::domain::closed_sql!(), ", due IS NULL, due DESC, number DESC"),
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
    /// Only requests with an open task assigned to the officer ("assigned to me"): on a team
    /// register the login (`session_user`, set by the server); on the local file [`Self::me`].
    #[serde(default)]
    pub assigned_to_me: bool,
    /// Who "me" is on the local file: the actor the caller records changes under
    /// (`workspace::current_actor`), filled in by the app and the CLI, never sent by the window.
    #[serde(skip)]
    #[cfg_attr(feature = "specta", specta(skip))]
    pub me: Option<String>,
}

/// The request registered by the submission named `key` (migration 14), if any.
pub fn submitted<'a>(conn: impl Into<Conn<'a>>, key: Option<&str>) -> Result<Option<String>> {
    let Some(key) = key else { return Ok(None) };
    if key.is_empty() || key.chars().count() > 200 || key.chars().any(char::is_control) {
        return Err(Error::invalid("idempotency_key", "must be 1 to 200 characters without control characters"));
    }
    conn.into().query_opt("SELECT request_id FROM request_submissions WHERE idempotency_key = ?1", &[&key], |r| r.get(0))
}

/// Records that the submission named `key` registered request `id` (same transaction).
pub fn record_submission<'a>(conn: impl Into<Conn<'a>>, key: Option<&str>, id: &str) -> Result<()> {
    if let Some(key) = key {
        conn.into().execute("INSERT INTO request_submissions (idempotency_key, request_id) VALUES (?1, ?2)", &[&key, &id])?;
    }
    Ok(())
}

/// The number the next request gets. Writers are serial on either store
/// (`Store::write`), so two registrations never read the same one.
pub fn next_number<'a>(conn: impl Into<Conn<'a>>) -> Result<i64> {
    conn.into().query_row("SELECT COALESCE(MAX(number), 0) + 1 FROM requests", &[], |r| r.get(0))
}

/// Runs `register` (which inserts new requests and neither changes nor removes
/// any) with the search index's insert trigger held back, then indexes every
/// request it inserted with one statement: FTS5 writes a segment at every
/// statement it takes part in, so a 100,000-row import otherwise wrote (and
/// merged) 100,000 of them. `conn` must be inside a transaction (migration 12).
/// SQLite only: PostgreSQL's trigram index needs no deferring.
///
/// A batch of at least four times the register it goes into (and of [`MERGE_AFTER_BATCH`]
/// requests or more: a first import, the data sets' generation) leaves the index merged into
/// one segment (FTS5 `optimize`): FTS5 writes such a batch as segments of about 1 MB and starts
/// merging them, and left so, the next few thousand requests registered one by one carried that
/// merge on, rewriting the whole index about twice (1,000 registrations after the 100,000 set's
/// generation wrote 70 WAL pages each instead of 48, issue 21). The bench's CSV import (two
/// files of 50,000 into an empty register: the first is merged) took no longer for it. A smaller
/// batch is left to FTS5's merges: merging the whole index after it would cost more than the
/// batch's own segments.
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
    // Numbers count on from the highest, so the batch is the numbers after `first`, and the
    // register before it at most `first - 1` requests (fewer if some were deleted).
    let batch = next_number(conn)? - first;
    if batch >= MERGE_AFTER_BATCH && batch >= 4 * (first - 1) {
        conn.execute("INSERT INTO requests_search (requests_search) VALUES ('optimize')", [])?;
    }
    Ok(value)
}

/// The smallest batch after which [`with_search_deferred`] merges the search index.
pub const MERGE_AFTER_BATCH: i64 = 1_000;

/// How many segments the search index holds, read from FTS5's structure record (the row with
/// id 10 of `requests_search_data`: a 4-byte cookie, an optional 4-byte version marker, then
/// the number of levels and of segments as SQLite varints). For tests.
#[cfg(test)]
pub(crate) fn search_segments(conn: &Connection) -> Result<i64> {
    let block: Vec<u8> = conn.query_row("SELECT block FROM requests_search_data WHERE id = 10", [], |r| r.get(0))?;
    let mut at = if block.get(4..8) == Some(&[0xff, 0, 0, 1][..]) { 8 } else { 4 };
    let mut varint = || {
        let mut v: i64 = 0;
        for _ in 0..8 {
            let byte = block[at];
            at += 1;
            v = (v << 7) | i64::from(byte & 0x7f);
            if byte < 0x80 {
                return v;
            }
        }
        let byte = block[at];
        at += 1;
        (v << 8) | i64::from(byte)
    };
    let _levels = varint();
    Ok(varint())
}

/// Inserts a new request (status received), numbered by the statement itself, and returns it
/// as stored: the number after the highest (as [`next_number`] counts it) and the reference
/// `DSR-<year of receipt>-` followed by that number with at least four digits (`DSR-2026-0007`,
/// `DSR-2026-12345`), in one statement. Writers are serial on either store, so two registrations
/// never get the same number. What `with` holds (its tasks and events) is written with it, and
/// the events sealed.
pub(crate) fn insert_next<'a>(
    conn: impl Into<Conn<'a>>,
    id: &str,
    v: &ValidRequest,
    schedule: &Schedule,
    now: chrono::DateTime<Utc>,
    today: impl Fn(&str) -> NaiveDate,
    with: With<'_, '_>,
) -> Result<Request> {
    let conn = conn.into();
    let prefix = format!("DSR-{}-", v.received_on.format("%Y"));
    let identifiers = serde_json::to_string(&v.identifiers).map_err(|e| Error::Internal(e.to_string()))?;
    let stored = super::explanations::stored(schedule)?;
    let schedule_json = &stored.json;
    let (received_at, received_on, created_at) = (v.received_at.to_rfc3339(), v.received_on.to_string(), now.to_rfc3339());
    let (due, target) = (schedule.legal_due.map(|d| d.to_string()), schedule.target.map(|d| d.to_string()));
    static SQL: [std::sync::OnceLock<String>; 2] = [std::sync::OnceLock::new(), std::sync::OnceLock::new()];
    let (slot, reference) = match conn.dialect() {
        Dialect::Sqlite => (&SQL[0], "?2 || printf('%04d', (SELECT n FROM next))"),
        Dialect::Postgres => (
            &SQL[1],
            "CAST(?2 AS TEXT) || lpad(CAST((SELECT n FROM next) AS TEXT), greatest(4, length(CAST((SELECT n FROM next) AS TEXT))), '0')",
        ),
    };
    let insert = |returning: &str| {
        format!(
            "INSERT INTO requests (id, number, reference, request_type, regime, jurisdiction, subject_name, subject_email, \
             identifiers, channel, received_at, received_on, time_zone, status, notes, due, target, rule_set, schedule, created_at, updated_at, \
             appeal_of) \
             VALUES (?1, (SELECT n FROM next), {reference}, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'received', ?13, ?14, ?15, ?16, ?17, ?18, ?18, \
             ?19) RETURNING {returning}"
        )
    };
    const NEXT: &str = "next AS (SELECT COALESCE(MAX(number), 0) + 1 AS n FROM requests)";
    let (request_type, channel, zone) = (v.request_type.as_str(), v.channel.as_str(), v.zone.name());
    let mut params: Vec<&dyn ToValue> = vec![
        &id,
        &prefix,
        &request_type,
        &v.regime,
        &v.jurisdiction,
        &v.subject_name,
        &v.subject_email,
        &identifiers,
        &channel,
        &received_at,
        &received_on,
        &zone,
        &v.notes,
        &due,
        &target,
        &schedule.rule_set,
        &schedule_json,
        &created_at,
        &with.appeal_of,
    ];
    let events = crate::store::events::EventRows::new(now, with.actor, &with.events);
    let one_statement = conn.dialect() == Dialect::Postgres
        && !crate::store::events::seals_deferred()
        && with.tasks.is_none_or(crate::tasks::NewTasks::fit_one_statement);
    if one_statement {
        // A team register: the request, its tasks and its events are written by one statement,
        // which returns what the events' seals read, and the seals by a second (two round trips
        // inside the writer lock). The tasks' and events' foreign keys to the request are checked
        // at the statement's end, when the request's row is there.
        let mut ctes = format!("{NEXT}, {} AS ({}), ", crate::store::events::REGISTERED, insert("*"));
        // The schedule's explanation kept in the same statement: no round trip of its own inside the writer lock.
        ctes.push_str(&format!(
            "kept_explanation AS (INSERT INTO schedule_explanations (hash, text) VALUES (?{}, ?{}) ON CONFLICT (hash) DO NOTHING), ",
            params.len() + 1,
            params.len() + 2
        ));
        params.push(&stored.hash);
        params.push(&stored.text);
        if let Some(tasks) = with.tasks {
            let (tasks_sql, tasks_params) = tasks.insert_sql(params.len() + 1);
            params.extend(tasks_params);
            ctes.push_str(&format!("its_tasks AS ({tasks_sql}), "));
        }
        let lead: Vec<String> = COLUMNS.split(", ").map(|c| format!("r.{c}")).collect();
        let lead = lead.join(", ");
        let columns = COLUMNS.split(", ").count();
        let (request, _) = crate::store::events::pg_append_sealed(
            conn,
            &ctes,
            Some((&lead, &format!("{} r", crate::store::events::REGISTERED), columns)),
            true,
            params,
            &events,
            |r| from_row(r, &today),
        )?;
        return Ok(super::explanations::fill_written(request.0, schedule));
    }
    super::explanations::keep(conn, &stored)?;
    let sql = slot.get_or_init(|| format!("WITH {NEXT} {}", insert(COLUMNS)));
    let request = super::explanations::fill_written(conn.query_row(sql, &params, |r| from_row(r, &today))?.0, schedule);
    if let Some(tasks) = with.tasks {
        tasks.write(conn)?;
    }
    crate::store::events::append_rows(conn, Some(id), &events)?;
    Ok(request)
}

/// What a registration writes with its request's row ([`insert_next`]).
pub(crate) struct With<'a, 's> {
    /// The request this one appeals, if it is an appeal.
    pub appeal_of: Option<&'a str>,
    /// Its tasks (one per system of the data map), if it has any.
    pub tasks: Option<&'a crate::tasks::NewTasks<'s>>,
    /// Its events (registered, and the tasks created) and who records them.
    pub events: Vec<crate::store::events::NewEvent>,
    pub actor: &'a str,
}

/// Finds a request by id or by its human reference (DSR-2025-0001, any letter case).
pub fn get<'a>(conn: impl Into<Conn<'a>>, id_or_reference: &str, today: impl Fn(&str) -> NaiveDate) -> Result<Request> {
    let conn = conn.into();
    let sql = format!("SELECT {COLUMNS} FROM requests WHERE id = ?1 OR {}", reference_is(conn.dialect(), 1));
    let found = conn.query_opt(&sql, &[&id_or_reference], |r| from_row(r, &today))?.ok_or(Error::NotFound { entity: "request" })?;
    one(conn, found)
}

/// The condition "`reference` is `?N` in any letter case". References are
/// written in upper case (`DSR-2026-0042`, [`insert_next`]), so `?N` is
/// upper-cased (ASCII letters only, as SQLite's NOCASE folds them) and the
/// unique index on `reference` serves it on both stores: no second index on
/// the folded reference for every registration to write (migration 26).
pub(crate) fn reference_is(dialect: Dialect, n: usize) -> String {
    match dialect {
        Dialect::Sqlite => format!("reference = upper(?{n})"),
        // Under "C", upper() folds ASCII letters only, whatever the database's locale.
        Dialect::Postgres => format!("reference = upper(CAST(?{n} AS TEXT) COLLATE \"C\")"),
    }
}

/// Replaces a request's schedule (its dates, their explanation and rule set).
pub fn set_schedule<'a>(conn: impl Into<Conn<'a>>, id: &str, schedule: &Schedule, now: chrono::DateTime<Utc>) -> Result<()> {
    let conn = conn.into();
    crate::store::events::check_before_change(conn, id, now)?;
    let json = super::explanations::write(conn, schedule)?;
    let (due, target, now) = (schedule.legal_due.map(|d| d.to_string()), schedule.target.map(|d| d.to_string()), now.to_rfc3339());
    conn.execute(
        "UPDATE requests SET due = ?2, target = ?3, rule_set = ?4, schedule = ?5, updated_at = ?6 WHERE id = ?1",
        &[&id, &due, &target, &schedule.rule_set, &json, &now],
    )?;
    Ok(())
}

/// Moves a request to `to`; a move to a closed status records the day it was
/// closed (`closed_on`, the local date in the request's own time zone).
pub fn set_status<'a>(conn: impl Into<Conn<'a>>, id: &str, to: Status, reason: Option<&str>, now: chrono::DateTime<Utc>) -> Result<()> {
    let conn = conn.into();
    crate::store::events::check_before_change(conn, id, now)?;
    let closed_on = if to.is_closed() {
        let zone: Option<String> = conn.query_opt("SELECT time_zone FROM requests WHERE id = ?1", &[&id], |r| r.get(0))?;
        zone.map(|z| local_date(now, &z).to_string())
    } else {
        None
    };
    let now = now.to_rfc3339();
    conn.execute(
        "UPDATE requests SET status = ?2, status_reason = ?3, updated_at = ?4, closed_on = ?5 WHERE id = ?1",
        &[&id, &to.as_str(), &reason, &now, &closed_on],
    )?;
    Ok(())
}

pub use crate::clock::local_date;

pub fn count<'a>(conn: impl Into<Conn<'a>>) -> Result<i64> {
    conn.into().query_row("SELECT count(*) FROM requests", &[], |r| r.get(0))
}

type Args = Vec<Box<dyn ToValue>>;

fn params(args: &Args) -> Vec<&dyn ToValue> {
    args.iter().map(|a| a.as_ref()).collect()
}

/// The search term as one FTS5 phrase for the trigram index, or `None` when it
/// is too short for trigrams (fewer than three characters): those terms are
/// matched with LIKE over the name, email and reference instead (ASCII letter case only).
fn search_phrase(term: &str) -> Option<String> {
    (term.chars().count() >= 3).then(|| format!("\"{}\"", term.replace('"', "\"\"")))
}

/// `term` with LIKE's `%`, `_` and `\` escaped (for `ESCAPE '\'`).
fn like_escaped(term: &str) -> String {
    term.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// Above this many trigram matches, a page of the list is found by walking the
/// list's order and keeping the matching requests (it stops once the page is
/// full), rather than reading and sorting every match: a term like "example"
/// matches most requests, and reading them all took seconds at 100,000.
const MANY_MATCHES: i64 = 2_000;

/// How a search term narrows the list on SQLite. On PostgreSQL the plan is
/// always `NoPhrase`: the pg_trgm index serves the condition itself, and the
/// server's planner chooses between it and the list's order.
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
fn where_clause(filter: &RequestFilter, plan: &SearchPlan, dialect: Dialect) -> (String, Args) {
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
        sql.push_str(concat!(" AND NOT ", crate::domain::closed_sql!()));
    }
    if filter.assigned_to_me {
        // The index `tasks_open_by_assignee` (migration 23) serves it.
        let me = match dialect {
            Dialect::Postgres => "CAST(session_user AS TEXT)".to_string(),
            Dialect::Sqlite => {
                args.push(Box::new(filter.me.clone().unwrap_or_default()));
                format!("?{}", args.len())
            }
        };
        sql.push_str(&format!(
            " AND id IN (SELECT request_id FROM tasks WHERE status = 'open' AND assignee IS NOT NULL AND assignee = {me})"
        ));
    }
    if let Some(q) = search_term(filter) {
        if dialect == Dialect::Postgres && search_phrase(q).is_some() {
            // The PostgreSQL counterpart of the trigram index (team-register.md, "Search"):
            // case- and accent-insensitive substrings, or a whole request id.
            args.push(Box::new(like_escaped(q)));
            let n = args.len();
            args.push(Box::new(q.to_lowercase()));
            let m = args.len();
            sql.push_str(&format!(
                " AND (rightsdesk_search_text(subject_name, subject_email, reference, notes) \
                 LIKE '%' || rightsdesk_fold(?{n}) || '%' ESCAPE '\\' OR id = ?{m})"
            ));
        } else if let Some(phrase) = search_phrase(q) {
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
            args.push(Box::new(format!("%{}%", like_escaped(q))));
            let n = args.len();
            // Only the columns the list's order index carries: no table row is read to
            // reject a request (with the id and notes, two letters took seconds at 100,000).
            // LIKE ignores ASCII letter case on SQLite; ILIKE does on PostgreSQL's "C" columns.
            let like = if dialect == Dialect::Postgres { "ILIKE" } else { "LIKE" };
            sql.push_str(&format!(
                " AND (subject_name {like} ?{n} ESCAPE '\\' OR subject_email {like} ?{n} ESCAPE '\\' \
                 OR reference {like} ?{n} ESCAPE '\\')"
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
fn search_plan(conn: Conn<'_>, filter: &RequestFilter) -> Result<SearchPlan> {
    let Some(phrase) = search_term(filter).and_then(search_phrase) else {
        return Ok(SearchPlan::NoPhrase);
    };
    if conn.dialect() == Dialect::Postgres {
        return Ok(SearchPlan::NoPhrase);
    }
    let numbers: Vec<i64> =
        conn.query_map("SELECT rowid FROM requests_search WHERE requests_search MATCH ?1 LIMIT ?2 + 1", &[&phrase, &MANY_MATCHES], |r| {
            r.get(0)
        })?;
    Ok(if numbers.len() as i64 > MANY_MATCHES {
        SearchPlan::Walk
    } else {
        SearchPlan::Matches(serde_json::to_string(&numbers).map_err(|e| Error::Internal(e.to_string()))?)
    })
}

pub fn list<'a>(conn: impl Into<Conn<'a>>, filter: &RequestFilter, today: impl Fn(&str) -> NaiveDate) -> Result<Vec<Request>> {
    let conn = conn.into();
    list_planned(conn, filter, &search_plan(conn, filter)?, today)
}

/// How many requests a list or page of `filter` holds at most: its limit, 500 when it sets none, never over 10,000.
fn limit_of(filter: &RequestFilter) -> u32 {
    filter.limit.unwrap_or(500).min(10_000)
}

fn list_planned(conn: Conn<'_>, filter: &RequestFilter, plan: &SearchPlan, today: impl Fn(&str) -> NaiveDate) -> Result<Vec<Request>> {
    let (clause, mut args) = where_clause(filter, plan, conn.dialect());
    let mut sql = format!("SELECT {COLUMNS} FROM requests{clause}");
    sql.push_str(filter.sort.order_by(conn.dialect()));
    args.push(Box::new(i64::from(limit_of(filter))));
    sql.push_str(&format!(" LIMIT ?{}", args.len()));
    args.push(Box::new(i64::from(filter.offset.unwrap_or(0))));
    sql.push_str(&format!(" OFFSET ?{}", args.len()));
    let requests = conn.query_map(&sql, &params(&args), |r| from_row(r, &today))?;
    super::explanations::fill(conn, requests)
}

/// One page of the list and how many match in all, the index searched once for both.
pub fn page<'a>(conn: impl Into<Conn<'a>>, filter: &RequestFilter, today: impl Fn(&str) -> NaiveDate) -> Result<(i64, Vec<Request>)> {
    let conn = conn.into();
    let plan = search_plan(conn, filter)?;
    if let SearchPlan::Matches(_) = plan {
        return page_of_matches(conn, filter, &plan, today);
    }
    Ok((count_planned(conn, filter, &plan)?, list_planned(conn, filter, &plan, today)?))
}

/// A page of a search's few matches (at most [`MANY_MATCHES`]) and their total,
/// in one pass: every match's number in the list's order (read from only the
/// columns the filter and the order need), counted, then the page's requests
/// read by number. Sorting the whole rows (a page of 100 of 1,007 matches kept
/// 2 kB rows in a temporary B-tree) and counting the matches apart took half of
/// the search at 100,000 requests (issue 21).
fn page_of_matches(
    conn: Conn<'_>,
    filter: &RequestFilter,
    plan: &SearchPlan,
    today: impl Fn(&str) -> NaiveDate,
) -> Result<(i64, Vec<Request>)> {
    let (clause, args) = where_clause(filter, plan, conn.dialect());
    let order = filter.sort.order_by(conn.dialect());
    let numbers: Vec<i64> = conn.query_map(&format!("SELECT number FROM requests{clause}{order}"), &params(&args), |r| r.get(0))?;
    let (limit, offset) = (limit_of(filter) as usize, filter.offset.unwrap_or(0) as usize);
    let total = numbers.len() as i64;
    let on_page = &numbers[offset.min(numbers.len())..offset.saturating_add(limit).min(numbers.len())];
    if on_page.is_empty() {
        return Ok((total, Vec::new()));
    }
    let json = serde_json::to_string(on_page).map_err(|e| Error::Internal(e.to_string()))?;
    // Put in the page's order here: an ORDER BY would sort the whole rows again.
    let mut requests = conn.query_map(
        &format!("SELECT {COLUMNS}, number FROM requests WHERE number IN (SELECT value FROM json_each(?1))"),
        &[&json],
        |r| {
            let number: i64 = r.get("number")?;
            Ok((on_page.iter().position(|n| *n == number), from_row(r, &today)?))
        },
    )?;
    requests.sort_unstable_by_key(|(at, _)| *at);
    Ok((total, super::explanations::fill(conn, requests.into_iter().map(|(_, r)| r).collect())?))
}

/// How many requests match the filter (ignoring its sort, limit and offset).
pub fn count_matching<'a>(conn: impl Into<Conn<'a>>, filter: &RequestFilter) -> Result<i64> {
    let conn = conn.into();
    count_planned(conn, filter, &search_plan(conn, filter)?)
}

fn count_planned(conn: Conn<'_>, filter: &RequestFilter, plan: &SearchPlan) -> Result<i64> {
    if search_term(filter).is_none() && filter.request_type.is_none() && !filter.assigned_to_me {
        // By status alone (or no filter at all): the kept count per status
        // (`register::tally`), not a walk of every matching request (80,000
        // completed ones took milliseconds on each page of the list).
        // The CAST gives PostgreSQL the parameter's type where `?1 IS NULL` alone does not.
        let status = filter.status.map(Status::as_str);
        return conn.query_row(
            concat!(
                "SELECT coalesce(sum(n), 0) FROM request_statuses WHERE (CAST(?1 AS TEXT) IS NULL OR status = ?1) \
                 AND (?2 = 0 OR NOT ",
                crate::domain::closed_sql!(),
                ")"
            ),
            &[&status, &filter.open_only],
            |r| r.get(0),
        );
    }
    let plan = if *plan == SearchPlan::Walk { &SearchPlan::CountAll } else { plan };
    let (clause, args) = where_clause(filter, plan, conn.dialect());
    conn.query_row(&format!("SELECT count(*) FROM requests{clause}"), &params(&args), |r| r.get(0))
}

/// One request read by [`from_row`], its explanation filled in.
fn one(conn: Conn<'_>, read: (Request, Option<String>)) -> Result<Request> {
    let mut filled = super::explanations::fill(conn, vec![read])?;
    Ok(filled.remove(0))
}

/// A request as its row holds it, and the hash of its schedule's explanation
/// when that is kept apart (`explanations::fill` gives it the explanation).
fn from_row(r: &Row<'_>, today: &impl Fn(&str) -> NaiveDate) -> Result<(Request, Option<String>)> {
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
    let status: Status = row::parse("requests", "status", &id, &status)?;
    row::parse::<chrono_tz::Tz>("requests", "time_zone", &id, &time_zone)?;
    let due: Option<NaiveDate> = due.as_deref().map(|d| row::parse("requests", "due", &id, d)).transpose()?;
    let days_left = match (due, status.is_closed()) {
        (Some(d), false) => Some((d - today(&time_zone)).num_days()),
        _ => None,
    };
    let explanation = super::explanations::named(&schedule);
    let request = Request {
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
        id,
    };
    Ok((request, explanation))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn insert(conn: &Connection, numbers: std::ops::RangeInclusive<i64>) -> Result<()> {
        for n in numbers {
            conn.execute(
                "INSERT INTO requests (id, number, reference, request_type, regime, jurisdiction, subject_name, subject_email, \
                 channel, received_at, received_on, time_zone, status, rule_set, schedule, created_at, updated_at) \
                 VALUES ('r' || ?1, ?1, printf('DSR-2024-%04d', ?1), 'access', 'eu-gdpr', 'DE', 'Subject Qx' || ?1 || 'zq', \
                 'qx' || ?1 || 'zq@example.org', 'email', '2024-01-01T00:00:00Z', '2024-01-01', 'UTC', 'received', 'x', '{}', \
                 '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')",
                [n],
            )?;
        }
        Ok(())
    }

    fn found(conn: &Connection, n: i64) -> Vec<i64> {
        let mut stmt = conn.prepare("SELECT rowid FROM requests_search WHERE requests_search MATCH ?1").unwrap();
        stmt.query_map([format!("\"qx{n}zq\"")], |r| r.get(0)).unwrap().collect::<rusqlite::Result<_>>().unwrap()
    }

    #[test]
    fn a_batch_as_large_as_the_register_leaves_the_search_index_in_one_segment_a_smaller_one_does_not_merge_it() {
        let db = crate::store::Db::open_in_memory().unwrap();
        // FTS5 writes a batch as segments of `hashsize` bytes (1 MB by default): small here, so
        // that 1,500 requests make many segments, as 100,000 do by default.
        db.write(|tx| Ok(tx.execute_batch("INSERT INTO requests_search (requests_search, rank) VALUES ('hashsize', 8192);")?)).unwrap();
        db.write(|tx| with_search_deferred(tx, || insert(tx, 1..=1_500))).unwrap();
        assert_eq!(db.read(search_segments).unwrap(), 1, "a first bulk write leaves the index merged");
        // A batch smaller than the register (1,000 into 1,500) leaves the segments it made.
        db.write(|tx| with_search_deferred(tx, || insert(tx, 1_501..=2_500))).unwrap();
        assert!(db.read(search_segments).unwrap() > 1);
        db.read(|c| {
            c.execute_batch("INSERT INTO requests_search (requests_search) VALUES ('integrity-check');")?;
            for n in [1, 2, 750, 1_499, 1_500, 1_501, 2_000, 2_500] {
                assert_eq!(found(c, n), vec![n], "request {n}");
            }
            assert_eq!(c.query_row("SELECT count(*) FROM search_deferred", [], |r| r.get::<_, i64>(0))?, 0);
            Ok(())
        })
        .unwrap();
    }
}
