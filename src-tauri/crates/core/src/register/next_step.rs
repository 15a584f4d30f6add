//! A request's next step: the one thing the officer should do about it now,
//! with its date, read from what the register records (the status, the dates
//! in force, the clock events, the acknowledgement, the open tasks).
//!
//! The request page opens with it and the dashboard's "needs you today" shows
//! the same step, so both offer the same button. The order is the order of
//! urgency: a missed legal date first, then what stops the clock (identity,
//! clarification, a pause), the acknowledgement, an extension notice whose
//! last day is near while work is still open, the open tasks, and last the
//! answer itself.
//!
//! It lives in `register/` because it reads tasks, identity and letters, which
//! come after `requests` in the core's order.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::clock::Clock;
use crate::deadlines::ClockEvent;
use crate::domain::{EventKind, Request, RequestType, Status};
use crate::error::Result;
use crate::letters::templates::TemplateName;
use crate::requests::{rows, schedules, today_in};
use crate::store::{Conn, Dialect, Row, Store, ToValue};

/// How many days before its last day an extension notice becomes the next step
/// (while tasks are still open); the dashboard's "needs you" looks as far.
pub const EXTENSION_NOTICE_DAYS: i64 = 3;

/// What the next step is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum NextStepKind {
    /// Acknowledge receipt (by `date` where the law sets one): write the acknowledgement.
    Acknowledge,
    /// Identity evidence was asked for on `date` and has not come: record it once it does.
    IdentityAwaited,
    /// Clarification was asked for on `date`: record it once it comes.
    ClarificationAwaited,
    /// The clock was paused on `date`: resume it when the reason has gone.
    Paused,
    /// `count` tasks are open (the answer is due on `date`): go to the tasks.
    TasksOpen,
    /// Everything is done: send the answer by `date` (`days_left` to go).
    AnswerDue,
    /// Work is still open and the last day to notify an extension (`date`) is near.
    ExtensionPossible,
    /// The legal date (`date`) has passed: answer now.
    Overdue,
    /// The request was received as a processor for a customer (the controller), which answers
    /// it: forward it to the controller by `date` (the controller's date) with the forward letter.
    ForwardToController,
    /// Forwarded to the controller on `date`, with no task of ours open: the controller answers.
    ForwardedToController,
    /// The request is closed: nothing is left to do.
    Closed,
}

/// A request's next step.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NextStep {
    pub kind: NextStepKind,
    /// The date the step is about: by when, or since when (see the kind).
    pub date: Option<NaiveDate>,
    /// Days from the request's today to `date` (negative when passed), for dates ahead.
    pub days_left: Option<i32>,
    /// How many (the open tasks).
    pub count: Option<u32>,
    /// The letter the step writes, when it writes one.
    pub letter: Option<TemplateName>,
}

/// The next step of one request; `id` may be the UUID or the reference.
pub fn next_step<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, id: &str) -> Result<NextStep> {
    store.into().read(|c| next_step_in(c, clock, id))
}

/// [`next_step`] on an open connection (the dashboard asks for each item it lists).
pub fn next_step_in<'a>(c: impl Into<Conn<'a>>, clock: &dyn Clock, id: &str) -> Result<NextStep> {
    let c = c.into();
    let request = rows::get(c, id, today_in(clock))?;
    of_request(c, &request, today_in(clock)(&request.time_zone))
}

/// The next step of a request already read, as of `today`.
pub fn of_request<'a>(c: impl Into<Conn<'a>>, request: &Request, today: NaiveDate) -> Result<NextStep> {
    Ok(decide(&Basis::of(request), &Facts::read(c.into(), &request.id)?, today))
}

/// A value of the request's `schedule` (JSON) by its key, as text (`true`/`false` as 1/0
/// where `flag`), in the store's dialect: SQLite's `json_extract`, PostgreSQL's `->>` (the
/// expression the team register's partial indexes are on).
pub(crate) fn schedule_value(dialect: Dialect, key: &str, flag: bool) -> String {
    match (dialect, flag) {
        (Dialect::Sqlite, _) => format!("json_extract(schedule, '$.{key}')"),
        (Dialect::Postgres, false) => format!("((schedule::jsonb) ->> '{key}')"),
        (Dialect::Postgres, true) => format!(
            "(CASE jsonb_typeof((schedule::jsonb) -> '{key}') WHEN 'boolean' THEN ((schedule::jsonb) -> '{key}')::boolean::int::bigint END)"
        ),
    }
}

/// The columns of `requests` the step depends on, after `id` (as [`basis_of`] reads them).
fn basis_columns(d: Dialect) -> String {
    format!(
        "status, request_type, due, target, {}, {}, {}, {}",
        schedule_value(d, "ack_due", false),
        schedule_value(d, "extension_notice_due", false),
        schedule_value(d, "extended_due", false),
        schedule_value(d, "clock_paused", true),
    )
}

/// A [`Basis`] from the row's columns [`basis_columns`], starting at column `at`.
fn basis_of(r: &Row<'_>, at: usize) -> Result<Basis> {
    let date = |i: usize| -> Result<Option<NaiveDate>> { Ok(r.get::<Option<String>>(at + i)?.and_then(|d| d.parse().ok())) };
    Ok(Basis {
        status: r.get::<String>(at)?.parse().unwrap_or(Status::Received),
        request_type: RequestType::parse(&r.get::<String>(at + 1)?).unwrap_or(RequestType::Other),
        due: date(2)?,
        target: date(3)?,
        ack_due: date(4)?,
        extension_notice_due: date(5)?,
        extended_due: date(6)?,
        clock_paused: r.get::<Option<bool>>(at + 7)?.unwrap_or(false),
    })
}

/// The next step of the request `id` as of `today`, read from the few columns it needs (the
/// dashboard asks for each item it lists and must not parse every listed request's whole schedule).
pub fn of_id<'a>(c: impl Into<Conn<'a>>, id: &str, today: NaiveDate) -> Result<NextStep> {
    let c = c.into();
    let sql = format!("SELECT {} FROM requests WHERE id = ?1", basis_columns(c.dialect()));
    let basis = c.query_row(&sql, &[&id], |r| basis_of(r, 0))?;
    Ok(decide(&basis, &Facts::read(c, id)?, today))
}

/// The next steps of the requests `ids` as of `today`, by id, each as [`of_id`] gives it, read
/// in five queries whatever their number: the dashboard lists up to fifty, and on a team
/// register each query is a round trip to the server. An id that is not a request is left out.
pub fn of_ids<'a>(c: impl Into<Conn<'a>>, ids: &[&str], today: NaiveDate) -> Result<HashMap<String, NextStep>> {
    let c = c.into();
    let mut ids: Vec<&str> = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    // `?1` is the event kind where a query needs one; the ids are `?2`, `?3`...
    let list = (2..ids.len() + 2).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
    let only_ids = (1..=ids.len()).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
    let by_ids: Vec<&dyn ToValue> = ids.iter().map(|id| id as &dyn ToValue).collect();
    let acknowledged_kind = EventKind::Acknowledged.as_str();
    let clock_kind = EventKind::Clock.as_str();
    let mut acknowledged_args: Vec<&dyn ToValue> = vec![&acknowledged_kind];
    acknowledged_args.extend(ids.iter().map(|id| id as &dyn ToValue));
    let mut clock_args: Vec<&dyn ToValue> = vec![&clock_kind];
    clock_args.extend(ids.iter().map(|id| id as &dyn ToValue));

    let bases: Vec<(String, Basis)> =
        c.query_map(&format!("SELECT id, {} FROM requests WHERE id IN ({only_ids})", basis_columns(c.dialect())), &by_ids, |r| {
            Ok((r.get::<String>(0)?, basis_of(r, 1)?))
        })?;
    let mut facts: HashMap<String, Facts> = bases.iter().map(|(id, _)| (id.clone(), Facts::default())).collect();
    for id in c.query_map(
        &format!("SELECT DISTINCT request_id FROM events WHERE kind = ?1 AND request_id IN ({list})"),
        &acknowledged_args,
        |r| r.get::<String>(0),
    )? {
        if let Some(f) = facts.get_mut(&id) {
            f.acknowledged = true;
        }
    }
    for (id, open) in c.query_map(
        &format!("SELECT request_id, count(*) FROM tasks WHERE status = 'open' AND request_id IN ({only_ids}) GROUP BY request_id"),
        &by_ids,
        |r| Ok((r.get::<String>(0)?, r.get::<i64>(1)?)),
    )? {
        if let Some(f) = facts.get_mut(&id) {
            f.open_tasks = u32::try_from(open).unwrap_or(u32::MAX);
        }
    }
    for (id, on) in
        c.query_map(&format!("SELECT request_id, forwarded_on FROM processor_roles WHERE request_id IN ({only_ids})"), &by_ids, |r| {
            Ok((r.get::<String>(0)?, r.get::<Option<String>>(1)?))
        })?
    {
        if let Some(f) = facts.get_mut(&id) {
            f.processor = Some(on.and_then(|d| d.parse().ok()));
        }
    }
    for (id, data) in c.query_map(
        &format!("SELECT request_id, data FROM events WHERE kind = ?1 AND request_id IN ({list}) ORDER BY seq"),
        &clock_args,
        |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?)),
    )? {
        if let Some(f) = facts.get_mut(&id) {
            f.follow(&clock_event(&data)?);
        }
    }
    Ok(bases
        .into_iter()
        .map(|(id, basis)| {
            let step = decide(&basis, &facts.remove(&id).unwrap_or_default(), today);
            (id, step)
        })
        .collect())
}

/// A clock event as the timeline stores it (the event's `data`, as `schedules::clock_events` reads it).
fn clock_event(data: &str) -> Result<ClockEvent> {
    let value: serde_json::Value = serde_json::from_str(data).map_err(|e| crate::error::Error::Internal(e.to_string()))?;
    serde_json::from_value(value["event"].clone()).map_err(|_| crate::error::Error::Internal("a stored clock event is unreadable".into()))
}

/// What of the request's row the step depends on.
struct Basis {
    status: Status,
    request_type: RequestType,
    due: Option<NaiveDate>,
    target: Option<NaiveDate>,
    ack_due: Option<NaiveDate>,
    extension_notice_due: Option<NaiveDate>,
    extended_due: Option<NaiveDate>,
    clock_paused: bool,
}

impl Basis {
    fn of(r: &Request) -> Basis {
        let s = &r.schedule;
        Basis {
            status: r.status,
            request_type: r.request_type,
            due: r.due,
            target: s.target,
            ack_due: s.ack_due,
            extension_notice_due: s.extension_notice_due,
            extended_due: s.extended_due,
            clock_paused: s.clock_paused,
        }
    }
}

/// What besides the request's row the step depends on.
#[derive(Debug, Default)]
struct Facts {
    acknowledged: bool,
    open_tasks: u32,
    /// The last identity request not followed by identity received.
    identity_since: Option<NaiveDate>,
    clarification_since: Option<NaiveDate>,
    paused_since: Option<NaiveDate>,
    /// Received as a processor (issue 19): `Some(forwarded_on)`, where `None` inside is not yet forwarded.
    processor: Option<Option<NaiveDate>>,
}

impl Facts {
    fn read(c: Conn<'_>, request_id: &str) -> Result<Facts> {
        let acknowledged = c.query_row(
            "SELECT EXISTS (SELECT 1 FROM events WHERE request_id = ?1 AND kind = ?2)",
            &[&request_id, &EventKind::Acknowledged.as_str()],
            |r| r.get::<bool>(0),
        )?;
        let open: i64 =
            c.query_row("SELECT count(*) FROM tasks WHERE request_id = ?1 AND status = 'open'", &[&request_id], |r| r.get(0))?;
        let processor = c
            .query_opt("SELECT forwarded_on FROM processor_roles WHERE request_id = ?1", &[&request_id], |r| r.get::<Option<String>>(0))?
            .map(|on| on.and_then(|d| d.parse().ok()));
        let mut facts = Facts { acknowledged, open_tasks: u32::try_from(open).unwrap_or(u32::MAX), processor, ..Facts::default() };
        for event in schedules::clock_events(c, request_id)? {
            facts.follow(&event);
        }
        Ok(facts)
    }

    /// What a clock event recorded (in order) says about what the step waits for.
    fn follow(&mut self, event: &ClockEvent) {
        match *event {
            ClockEvent::IdentityRequested { on } => self.identity_since = Some(on),
            ClockEvent::IdentityReceived { .. } => self.identity_since = None,
            ClockEvent::ClarificationRequested { on } => self.clarification_since = Some(on),
            ClockEvent::ClarificationReceived { .. } => self.clarification_since = None,
            ClockEvent::Paused { on, .. } => self.paused_since = Some(on),
            ClockEvent::Resumed { .. } => self.paused_since = None,
            _ => {}
        }
    }
}

fn days(from: NaiveDate, to: NaiveDate) -> i32 {
    i32::try_from((to - from).num_days()).unwrap_or(if to > from { i32::MAX } else { i32::MIN })
}

fn decide(r: &Basis, f: &Facts, today: NaiveDate) -> NextStep {
    let s = r;
    let step = |kind, date: Option<NaiveDate>| NextStep { kind, date, days_left: date.map(|d| days(today, d)), count: None, letter: None };
    let answer = TemplateName::response_for(r.request_type);
    if r.status.is_closed() {
        return NextStep { days_left: None, ..step(NextStepKind::Closed, None) };
    }
    if let Some(due) = r.due.filter(|d| *d < today) {
        return NextStep { letter: Some(answer), ..step(NextStepKind::Overdue, Some(due)) };
    }
    let since = |kind, on: Option<NaiveDate>| NextStep { days_left: None, ..step(kind, on) };
    // A processor forwards the request to its controller, which answers it: no acknowledgement
    // or answer of ours goes to the subject (those letters are refused for such a request).
    match f.processor {
        Some(None) => {
            return NextStep { letter: Some(TemplateName::ProcessorForward), ..step(NextStepKind::ForwardToController, r.due) };
        }
        Some(Some(on)) if f.open_tasks == 0 => return since(NextStepKind::ForwardedToController, Some(on)),
        Some(Some(_)) => return NextStep { count: Some(f.open_tasks), ..step(NextStepKind::TasksOpen, r.due) },
        None => {}
    }
    if r.status == Status::AwaitingIdentity || f.identity_since.is_some() {
        return since(NextStepKind::IdentityAwaited, f.identity_since);
    }
    if r.status == Status::AwaitingClarification || f.clarification_since.is_some() {
        return since(NextStepKind::ClarificationAwaited, f.clarification_since);
    }
    if r.status == Status::Paused || (s.clock_paused && f.paused_since.is_some()) {
        return since(NextStepKind::Paused, f.paused_since);
    }
    // An acknowledgement is due where the law sets a date for it; a request not
    // yet triaged is acknowledged first everywhere (good practice, no date).
    if !f.acknowledged && (s.ack_due.is_some() || r.status == Status::Received) {
        let letter =
            if r.request_type == RequestType::Complaint { TemplateName::AcknowledgementComplaint } else { TemplateName::Acknowledgement };
        return NextStep { letter: Some(letter), ..step(NextStepKind::Acknowledge, s.ack_due) };
    }
    let notice =
        s.extension_notice_due.filter(|d| s.extended_due.is_none() && *d >= today && days(today, *d) <= EXTENSION_NOTICE_DAYS as i32);
    if let (Some(d), true) = (notice, f.open_tasks > 0) {
        return NextStep { letter: Some(TemplateName::ExtensionNotice), ..step(NextStepKind::ExtensionPossible, Some(d)) };
    }
    // The date the answer is owed by: the legal date, else the internal target.
    let owed = r.due.or(s.target);
    if f.open_tasks > 0 {
        return NextStep { count: Some(f.open_tasks), ..step(NextStepKind::TasksOpen, owed) };
    }
    NextStep { letter: Some(answer), ..step(NextStepKind::AnswerDue, owed) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Db;

    fn request(status: Status) -> Request {
        let db = Db::open_in_memory().unwrap();
        let clock = crate::clock::FixedClock::at("2025-03-10");
        let input = crate::domain::NewRequest {
            regime: "eu-gdpr".into(),
            jurisdiction: "DE".into(),
            subject_name: "Ada Example".into(),
            subject_email: "ada@example.org".into(),
            received: "2025-03-03".into(),
            time_zone: "UTC".into(),
            ..Default::default()
        };
        let mut r = crate::requests::register(&db, &clock, &input, "t").unwrap();
        r.status = status;
        r
    }

    #[test]
    fn overdue_comes_before_a_missing_identity() {
        let mut r = request(Status::AwaitingIdentity);
        r.due = "2025-03-01".parse().ok();
        let step = decide(&Basis::of(&r), &Facts::default(), "2025-03-10".parse().unwrap());
        assert_eq!(step.kind, NextStepKind::Overdue);
        assert_eq!(step.days_left, Some(-9));
        assert_eq!(step.letter, Some(TemplateName::ResponseAccess));
    }

    #[test]
    fn a_closed_request_has_nothing_left_even_when_its_date_passed() {
        let mut r = request(Status::Completed);
        r.due = "2025-03-01".parse().ok();
        assert_eq!(decide(&Basis::of(&r), &Facts::default(), "2025-03-10".parse().unwrap()).kind, NextStepKind::Closed);
    }
}
