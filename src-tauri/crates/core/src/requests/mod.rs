//! Registering requests, listing them, and moving them through their statuses.

pub mod bulk;
pub mod duplicates;
pub mod explanations;
pub mod processor;
pub mod rows;
pub mod saved_filter_rows;
pub mod saved_filters;
pub mod schedules;
pub mod search;
mod validate;
pub use validate::{validate_new_request, ValidRequest};

use chrono::NaiveDate;
use chrono_tz::Tz;
use serde_json::json;

use crate::clock::Clock;
use crate::deadlines;
use crate::domain::{NewRequest, Request, RequestDetail, RequestId, RequestLink, Status};
use crate::error::{Error, Result};
use crate::store::events::{self, EventKind, NewEvent};
use crate::store::{Conn, Store};
use rows::RequestFilter;

use crate::deadlines::load_options;
use schedules::schedule_of;

pub(crate) fn today_in(clock: &dyn Clock) -> impl Fn(&str) -> NaiveDate + '_ {
    move |zone: &str| clock.today(zone.parse::<Tz>().unwrap_or(Tz::UTC))
}

fn schedule_for(conn: Conn<'_>, v: &ValidRequest) -> Result<deadlines::Schedule> {
    let options = load_options(conn)?;
    schedule_of(&v.regime, &v.jurisdiction, v.request_type, v.received_on, &[], &options)
}

/// Registers a request: validates it, computes its due date, and records it
/// with its first timeline event in one transaction. On either store: writers
/// are serial (`Store::write`), so concurrent registrations get distinct
/// numbers and one unbroken audit chain.
pub fn register<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, input: &NewRequest, actor: &str) -> Result<Request> {
    // What a registration reads is read first, not inside the write (on a team register, every
    // writer waits while one holds the writer lock): the organisation's time zone (as
    // `settings::org_time_zone` reads it), the deadline options and the data map; then the
    // request is validated and its schedule computed. On a team register this is the same
    // transaction as the write, before it takes the lock (`Store::read_then_write`). A change to
    // them committed in between applies from the next registration, as if this one had come a
    // moment earlier.
    store.into().read_then_write(
        |c| {
            let zone = crate::settings::get(c, crate::settings::ORG_TIME_ZONE)?;
            let (options, systems) = (load_options(c)?, crate::datamap::all(c)?);
            let zone =
                zone.and_then(|z| z.parse().ok()).or_else(|| std::env::var("TZ").ok().and_then(|z| z.parse().ok())).unwrap_or(Tz::UTC);
            let valid = validate_new_request(input, clock, zone)?;
            let schedule = schedule_of(&valid.regime, &valid.jurisdiction, valid.request_type, valid.received_on, &[], &options)?;
            Ok((valid, schedule, systems))
        },
        |tx, (valid, schedule, systems)| {
            if let Some(id) = rows::submitted(tx, input.idempotency_key.as_deref())? {
                return rows::get(tx, &id, today_in(clock));
            }
            let request = register_with(tx, clock, &valid, &schedule, Some(&systems), actor, None)?;
            rows::record_submission(tx, input.idempotency_key.as_deref(), &request.id)?;
            Ok(request)
        },
    )
}

/// Records an already validated request and its `registered` event inside an
/// open transaction; returns its id. The one place a request is inserted, so a
/// bulk import (which commits many in one transaction) registers exactly as the
/// form does. `source` notes where it came from (e.g. an import) in the event.
pub fn register_in<'a>(
    tx: impl Into<Conn<'a>>,
    clock: &dyn Clock,
    valid: &ValidRequest,
    actor: &str,
    source: Option<&serde_json::Value>,
) -> Result<String> {
    let tx = tx.into();
    let schedule = schedule_for(tx, valid)?;
    register_scheduled(tx, clock, valid, &schedule, actor, source)
}

/// The summary of a request's `registered` event; `due` says its legal due date ("due
/// 2026-03-14", or "no statutory date").
pub(crate) fn registered_summary(valid: &ValidRequest, due: &str) -> String {
    format!(
        "Registered: {} request under {} ({}), received {} by {}; {due}",
        valid.request_type.label(),
        valid.regime,
        valid.jurisdiction,
        valid.received_on,
        valid.channel.label().to_lowercase(),
    )
}

/// [`register_in`] with the request's schedule already computed by `schedules::schedule_of`
/// (the import computes one per distinct law, type and day of receipt).
pub(crate) fn register_scheduled<'a>(
    tx: impl Into<Conn<'a>>,
    clock: &dyn Clock,
    valid: &ValidRequest,
    schedule: &deadlines::Schedule,
    actor: &str,
    source: Option<&serde_json::Value>,
) -> Result<String> {
    Ok(register_with(tx.into(), clock, valid, schedule, None, actor, source)?.id)
}

/// [`register_scheduled`] with the data map already read (`None`: read here); returns the
/// request as stored (an appeal's link is written with its row).
fn register_with(
    tx: Conn<'_>,
    clock: &dyn Clock,
    valid: &ValidRequest,
    schedule: &deadlines::Schedule,
    systems: Option<&[crate::datamap::System]>,
    actor: &str,
    source: Option<&serde_json::Value>,
) -> Result<Request> {
    let appealed = valid.appeal_of.as_deref().map(|earlier| appealed_request(tx, valid, earlier)).transpose()?;
    let now = clock.now();
    let id = uuid::Uuid::now_v7().to_string();
    let read;
    let systems = match systems {
        Some(systems) => systems,
        None if crate::tasks::TaskAction::for_request(valid.request_type).is_none() => &[],
        None => {
            read = crate::datamap::all(tx)?;
            &read
        }
    };
    let tasks = crate::tasks::plan_for_new(&id, valid.request_type, systems, now);
    let due = schedule.legal_due.map_or_else(|| "no statutory date".to_string(), |d| format!("due {d}"));
    let mut data = json!({ "rule_set": schedule.rule_set, "due": schedule.legal_due });
    if let Some(earlier) = &appealed {
        data["appeal_of"] = json!({ "id": earlier.id, "reference": earlier.reference });
    }
    if let Some(source) = source {
        data["source"] = source.clone();
    }
    let registered = NewEvent { kind: EventKind::Registered, summary: registered_summary(valid, &due), data };
    // The next number and its reference (DSR-<year>-<number, at least 4 digits>) are given by
    // the insert itself; the request, its tasks and both events are written, and the events
    // sealed, by it (on a team register: two statements while the writer lock is held).
    let events = std::iter::once(registered).chain(tasks.as_ref().map(crate::tasks::NewTasks::event)).collect();
    let with = rows::With { appeal_of: appealed.as_ref().map(|a| a.id.as_str()), tasks: tasks.as_ref(), events, actor };
    let request = rows::insert_next(tx, &id, valid, schedule, now, today_in(clock), with)?;
    Ok(request)
}

pub fn list<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, filter: &RequestFilter) -> Result<Vec<Request>> {
    store.into().read(|c| rows::list(c, filter, today_in(clock)))
}

pub fn count<'a>(store: impl Into<Store<'a>>) -> Result<i64> {
    store.into().read(|c| rows::count(c))
}

/// A request with its timeline; `id` may be the UUID or the reference.
pub fn detail<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, id: &str) -> Result<RequestDetail> {
    store.into().read(|c| {
        let request = rows::get(c, id, today_in(clock))?;
        let timeline = events::for_request(c, &request.id)?;
        let next_statuses = request.status.next().to_vec();
        let appeal_of = c.query_opt(
            "SELECT p.id, p.reference FROM requests r JOIN requests p ON p.id = r.appeal_of WHERE r.id = ?1",
            &[&request.id],
            |r| Ok(RequestLink { id: r.get(0)?, reference: r.get(1)? }),
        )?;
        let appeals = c.query_map("SELECT id, reference FROM requests WHERE appeal_of = ?1 ORDER BY number", &[&request.id], |r| {
            Ok(RequestLink { id: r.get(0)?, reference: r.get(1)? })
        })?;
        let version = timeline.iter().map(|e| e.seq).max().unwrap_or(0);
        Ok(RequestDetail { request, timeline, next_statuses, appeal_of, appeals, version })
    })
}

/// The request's version (`store::version`): the sequence number of its last timeline event.
pub fn version_in<'a>(conn: impl Into<Conn<'a>>, request_id: &str) -> Result<i64> {
    crate::store::version::of(conn, request_id)
}

pub use crate::store::version::ensure_unchanged;

/// The earlier request an appeal appeals (`earlier` is its id or reference):
/// it must exist, be under the same regime, not be an appeal itself, and have
/// been decided (refused or completed). Errors name `appeal_of`, never the subject.
pub(crate) fn appealed_request<'a>(tx: impl Into<Conn<'a>>, valid: &ValidRequest, earlier: &str) -> Result<RequestLink> {
    let tx = tx.into();
    let sql = format!(
        "SELECT id, reference, regime, request_type, status FROM requests WHERE id = ?1 OR {}",
        rows::reference_is(tx.dialect(), 1)
    );
    let found = tx.query_opt(&sql, &[&earlier], |r| {
        Ok((RequestLink { id: r.get(0)?, reference: r.get(1)? }, r.get::<String>(2)?, r.get::<String>(3)?, r.get::<String>(4)?))
    })?;
    let Some((link, regime, request_type, status)) = found else {
        return Err(Error::invalid("appeal_of", "names no request in the register (give its reference, e.g. DSR-2026-0007)"));
    };
    if regime != valid.regime {
        return Err(Error::invalid(
            "appeal_of",
            format!("{} is under {regime}, not {}: an appeal is under the law of the decision it appeals", link.reference, valid.regime),
        ));
    }
    if request_type == "appeal" {
        return Err(Error::invalid("appeal_of", format!("{} is itself an appeal; its decision is final", link.reference)));
    }
    if !matches!(status.parse::<Status>(), Ok(Status::Refused | Status::Completed)) {
        return Err(Error::invalid(
            "appeal_of",
            format!("{} has no decision to appeal yet (it is {status}; it must be refused or completed)", link.reference),
        ));
    }
    Ok(link)
}

/// One status change, as the officer asked for it. The same value describes a
/// change made on its own or as part of a bulk action, so both record the same.
#[derive(Debug, Clone, Copy)]
pub struct StatusChange<'a> {
    pub to: Status,
    pub reason: Option<&'a str>,
    /// The reference of the request this one duplicates (marking a duplicate).
    pub duplicate_of: Option<&'a str>,
    /// The bulk action this change belongs to: its id and how many requests it moves.
    pub batch: Option<(&'a str, usize)>,
}

impl<'a> StatusChange<'a> {
    pub fn to(to: Status, reason: Option<&'a str>) -> Self {
        StatusChange { to, reason, duplicate_of: None, batch: None }
    }
}

/// The reason as it will be kept: trimmed, present where the status needs one, not too long.
pub(crate) fn checked_reason(to: Status, reason: Option<&str>) -> Result<Option<&str>> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if Status::needs_reason(to) && reason.is_none() {
        return Err(Error::invalid("reason", format!("a reason is required to mark a request {to}")));
    }
    if reason.is_some_and(|r| r.chars().count() > 2000) {
        return Err(Error::invalid("reason", "is longer than 2,000 characters"));
    }
    if let Some(r) = reason {
        crate::domain::multi_line("reason", r)?;
    }
    Ok(reason)
}

/// Moves a request to another status; refused with a clear error when the
/// transition is not allowed or a needed reason is missing.
pub fn change_status<'a>(
    store: impl Into<Store<'a>>,
    clock: &dyn Clock,
    id: &RequestId,
    to: Status,
    reason: Option<&str>,
    actor: &str,
) -> Result<RequestDetail> {
    change_status_expecting(store, clock, id, to, reason, actor, None)
}

/// [`change_status`] made on a loaded copy of the request: refused with [`Error::Conflict`],
/// writing nothing, if the request's version is no longer `expected` ([`ensure_unchanged`]).
pub fn change_status_expecting<'a>(
    store: impl Into<Store<'a>>,
    clock: &dyn Clock,
    id: &RequestId,
    to: Status,
    reason: Option<&str>,
    actor: &str,
    expected: Option<i64>,
) -> Result<RequestDetail> {
    let store = store.into();
    let reason = checked_reason(to, reason)?;
    let request_id = store.write(|tx| {
        if expected.is_some() {
            let id = rows::get(tx, id.as_str(), today_in(clock))?.id;
            ensure_unchanged(tx, &id, expected)?;
        }
        change_status_in(tx, clock, id, &StatusChange::to(to, reason), actor).map(|r| r.id)
    })?;
    detail(store, clock, &request_id)
}

/// Moves one request inside an open transaction: the transition check, the
/// completion guard (open tasks need a reason and leave a `tasks-overridden`
/// event), the new status and its `status-changed` event. The one place a
/// status changes: a single change, a bulk action and marking a duplicate all
/// call it, so none can skip a guard the others keep. Returns the request as
/// it was before the change.
pub fn change_status_in<'a>(
    tx: impl Into<Conn<'a>>,
    clock: &dyn Clock,
    id: &RequestId,
    change: &StatusChange<'_>,
    actor: &str,
) -> Result<Request> {
    let tx = tx.into();
    let to = change.to;
    let reason = checked_reason(to, change.reason)?;
    let now = clock.now();
    let request = rows::get(tx, id.as_str(), today_in(clock))?;
    let from = request.status;
    if !from.can_move_to(to) {
        return Err(Error::InvalidTransition { from: from.as_str(), to: to.as_str() });
    }
    if to == Status::Completed {
        crate::tasks::guard_completion(tx, &RequestId::from(&request.id), reason, now, actor)?;
    }
    rows::set_status(tx, &request.id, to, reason, now)?;
    let bulk = change.batch.map(|(_, size)| format!("bulk action on {size} requests"));
    let note = match (reason, bulk) {
        (Some(r), Some(b)) => format!(" (reason: {r}; {b})"),
        (Some(r), None) => format!(" (reason: {r})"),
        (None, Some(b)) => format!(" ({b})"),
        (None, None) => String::new(),
    };
    let mut data = json!({ "from": from, "to": to, "reason": reason });
    if let Some(original) = change.duplicate_of {
        data["duplicate_of"] = json!(original);
    }
    if let Some((batch, _)) = change.batch {
        data["batch"] = json!(batch);
    }
    events::append(
        tx,
        Some(&request.id),
        now,
        actor,
        NewEvent { kind: EventKind::StatusChanged, summary: format!("Status: {from} → {to}{note}"), data },
    )?;
    Ok(request)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use crate::domain::RequestType;
    use crate::store::Db;

    fn ada() -> NewRequest {
        NewRequest {
            request_type: RequestType::Access,
            regime: "eu-gdpr".into(),
            jurisdiction: "DE".into(),
            subject_name: "Ada Example".into(),
            subject_email: "ada@example.org".into(),
            received: "2025-01-31".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_registered_request_is_listed_with_its_due_date_and_timeline() {
        let db = Db::open_in_memory().unwrap();
        let clock = FixedClock::at("2025-02-10");
        let r = register(&db, &clock, &ada(), "tester").unwrap();
        assert_eq!(r.due.unwrap().to_string(), "2025-02-28");
        assert_eq!(r.days_left, Some(18));
        assert_eq!(r.reference, "DSR-2025-0001");
        let listed = list(&db, &clock, &RequestFilter::default()).unwrap();
        assert_eq!(listed.len(), 1);
        let d = detail(&db, &clock, "DSR-2025-0001").unwrap();
        assert_eq!(d.timeline.len(), 1);
        assert_eq!(d.timeline[0].kind, "registered");
    }

    #[test]
    fn an_invalid_transition_is_refused_and_nothing_is_written() {
        let db = Db::open_in_memory().unwrap();
        let clock = FixedClock::at("2025-02-10");
        let r = register(&db, &clock, &ada(), "tester").unwrap();
        let err = change_status(&db, &clock, &RequestId::from(&r.id), Status::Completed, None, "tester").unwrap_err();
        assert!(matches!(err, Error::InvalidTransition { .. }));
        assert_eq!(err.to_string(), "a request cannot go from received to completed");
        let d = detail(&db, &clock, &r.id).unwrap();
        assert_eq!(d.request.status, Status::Received);
        assert_eq!(d.timeline.len(), 1);
    }

    #[test]
    fn refusing_needs_a_reason_which_the_timeline_keeps() {
        let db = Db::open_in_memory().unwrap();
        let clock = FixedClock::at("2025-02-10");
        let r = register(&db, &clock, &ada(), "tester").unwrap();
        let err = change_status(&db, &clock, &RequestId::from(&r.id), Status::Refused, Some("  "), "tester").unwrap_err();
        assert_eq!(err.field(), Some("reason"));
        let d = change_status(&db, &clock, &RequestId::from(&r.id), Status::Refused, Some("manifestly unfounded"), "tester").unwrap();
        assert_eq!(d.request.status, Status::Refused);
        assert_eq!(d.request.status_reason.as_deref(), Some("manifestly unfounded"));
        assert_eq!(d.request.days_left, None, "a closed request has no countdown");
        assert!(d.timeline[1].summary.contains("manifestly unfounded"));
        assert!(d.next_statuses.is_empty());
    }

    #[test]
    fn the_list_filters_by_status_and_type_and_searches_names() {
        let db = Db::open_in_memory().unwrap();
        let clock = FixedClock::at("2025-03-20");
        register(&db, &clock, &ada(), "t").unwrap();
        let bob = NewRequest {
            request_type: RequestType::Erasure,
            subject_name: "Bob Sample".into(),
            subject_email: "bob@example.com".into(),
            received: "2025-03-01".into(),
            ..ada()
        };
        let b = register(&db, &clock, &bob, "t").unwrap();
        change_status(&db, &clock, &RequestId::from(&b.id), Status::InProgress, None, "t").unwrap();
        let by_type = RequestFilter { request_type: Some(RequestType::Erasure), ..Default::default() };
        assert_eq!(list(&db, &clock, &by_type).unwrap().len(), 1);
        let by_status = RequestFilter { status: Some(Status::InProgress), ..Default::default() };
        assert_eq!(list(&db, &clock, &by_status).unwrap()[0].subject.name, "Bob Sample");
        let search = RequestFilter { search: Some("ADA".into()), ..Default::default() };
        assert_eq!(list(&db, &clock, &search).unwrap()[0].subject.name, "Ada Example");
        let pct = RequestFilter { search: Some("%".into()), ..Default::default() };
        assert!(list(&db, &clock, &pct).unwrap().is_empty(), "% is matched literally");
    }
}
