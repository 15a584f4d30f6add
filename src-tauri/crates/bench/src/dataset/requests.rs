//! One generated request and its timeline, built the way the services would
//! have recorded it: a `registered` event, status changes along the allowed
//! transitions, clock events with the dates recomputed from them by the real
//! deadline engine, and officers' notes.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rusqlite::types::Value;
use serde_json::json;

use rightsdesk_core::deadlines::{self, ClockEvent, EngineOptions, RegimeInfo, Schedule, ScheduleInput};
use rightsdesk_core::domain::{EventKind, RequestChannel, RequestType, Status};
use rightsdesk_core::requests::rows::local_date;
use rightsdesk_core::Result;

use super::batch::{int, opt_text, text};
use super::shape;
use crate::people::{self, OFFICERS};
use crate::rng::Rng;

pub const REQUEST_COLUMNS: &[&str] = &[
    "id",
    "number",
    "reference",
    "request_type",
    "regime",
    "jurisdiction",
    "subject_name",
    "subject_email",
    "identifiers",
    "channel",
    "received_at",
    "received_on",
    "time_zone",
    "status",
    "status_reason",
    "notes",
    "due",
    "target",
    "rule_set",
    "schedule",
    "created_at",
    "updated_at",
    "closed_on",
];

/// The organisation's (and every request's) time zone.
const ZONE: &str = "Europe/Berlin";

pub const EVENT_COLUMNS: &[&str] = &["request_id", "at", "kind", "summary", "data", "actor"];

/// What later parts of the data set (evidence, tasks, letters) need to know of a request.
#[derive(Debug, Clone)]
pub struct Generated {
    pub id: String,
    pub number: i64,
    pub received_on: NaiveDate,
    pub request_type: RequestType,
    pub status: Status,
    /// The day of the last event (the answer, for a completed request).
    pub last_day: NaiveDate,
    /// e.g. `DSR-2025-0042`.
    pub reference: String,
    pub regime: String,
    pub jurisdiction: String,
    pub channel: RequestChannel,
    pub subject_name: String,
    pub subject_email: Option<String>,
    /// When it arrived (also when it was registered, and its tasks generated).
    pub received_at: DateTime<Utc>,
    /// The instant of the closing status change, for a closed request.
    pub closed_at: Option<DateTime<Utc>>,
    /// The day work began (the first move to in progress), if it did.
    pub started_on: Option<NaiveDate>,
    /// The clock events the deadline engine accepted (identity, clarification, extension ...).
    pub clock: Vec<ClockEvent>,
    /// The legal due date in force, and the extended one where the period was extended.
    pub due: Option<NaiveDate>,
    pub extended_due: Option<NaiveDate>,
    /// Why it was refused or marked a duplicate.
    pub status_reason: Option<String>,
}

/// One timeline entry before it is given its instant.
struct Step {
    day: i64,
    kind: EventKind,
    summary: String,
    data: serde_json::Value,
}

/// A request row and its timeline rows, ready for the batches.
pub struct Built {
    pub generated: Generated,
    pub request_row: Vec<Value>,
    pub event_rows: Vec<Vec<Value>>,
    /// The request's schedule as stored, whose explanation is kept once for all requests that share it.
    pub schedule: rightsdesk_core::requests::explanations::StoredSchedule,
}

struct Timeline<'a> {
    rng: &'a mut Rng,
    day: i64,
    max_day: i64,
    received_on: NaiveDate,
    status: Status,
    steps: Vec<Step>,
    clock: Vec<ClockEvent>,
    /// The reason given with the last move that needed one (refusal, duplicate).
    reason: Option<String>,
    /// The day of the first move to in progress.
    started: Option<i64>,
}

impl Timeline<'_> {
    fn wait(&mut self, lo: i64, hi: i64) {
        self.day = (self.day + self.rng.range(lo, hi)).min(self.max_day);
    }

    fn date(&self) -> NaiveDate {
        self.received_on + Duration::days(self.day)
    }

    fn move_to(&mut self, to: Status, reason: Option<&str>) {
        let from = self.status;
        debug_assert!(from.can_move_to(to), "{from} -> {to}");
        let summary = match reason {
            Some(r) => format!("Status: {from} → {to} (reason: {r})"),
            None => format!("Status: {from} → {to}"),
        };
        self.steps.push(Step {
            day: self.day,
            kind: EventKind::StatusChanged,
            summary,
            data: json!({ "from": from, "to": to, "reason": reason }),
        });
        self.status = to;
        self.reason = reason.map(str::to_string);
        if to == Status::InProgress && self.started.is_none() {
            self.started = Some(self.day);
        }
    }

    fn clock_event(&mut self, event: ClockEvent, summary: &str, recomputes: bool) {
        self.steps.push(Step { day: self.day, kind: EventKind::Clock, summary: summary.to_string(), data: json!({ "event": event }) });
        let kind = event.kind().replace('-', " ");
        self.clock.push(event);
        if recomputes {
            self.steps.push(Step {
                day: self.day,
                kind: EventKind::DatesRecomputed,
                summary: format!("Dates recomputed ({kind} recorded)"),
                data: json!({ "why": format!("{kind} recorded") }),
            });
        }
    }

    fn identity_check(&mut self, complete: bool) {
        self.wait(0, 2);
        self.move_to(Status::AwaitingIdentity, None);
        let on = self.date();
        self.clock_event(ClockEvent::IdentityRequested { on }, "Identity evidence requested", false);
        if complete {
            self.wait(2, 10);
            let on = self.date();
            self.clock_event(ClockEvent::IdentityReceived { on }, "Identity evidence received; identity confirmed", true);
            self.move_to(Status::InProgress, None);
        }
    }

    fn start_work(&mut self, identity: bool) {
        if identity {
            self.identity_check(true);
        } else {
            self.wait(0, 3);
            self.move_to(Status::InProgress, None);
        }
    }
}

fn plan_timeline(t: &mut Timeline<'_>, target: Status, regime: &RegimeInfo) {
    use Status::*;
    let identity = t.rng.chance(0.3);
    match target {
        Received => {}
        AwaitingIdentity => t.identity_check(false),
        InProgress => t.start_work(identity),
        Paused => {
            t.start_work(identity);
            t.wait(2, 8);
            t.move_to(Paused, None);
            let on = t.date();
            t.clock_event(ClockEvent::Paused { on, reason: "Waiting for the processor's export".into() }, "Clock paused", true);
        }
        AwaitingClarification => {
            t.start_work(identity);
            t.wait(1, 6);
            t.move_to(AwaitingClarification, None);
            let on = t.date();
            t.clock_event(ClockEvent::ClarificationRequested { on }, "Clarification of the request asked for", false);
        }
        Completed => {
            t.start_work(identity);
            if t.rng.chance(0.08) {
                t.wait(1, 5);
                t.move_to(AwaitingClarification, None);
                let on = t.date();
                t.clock_event(ClockEvent::ClarificationRequested { on }, "Clarification of the request asked for", false);
                t.wait(2, 9);
                let on = t.date();
                t.clock_event(ClockEvent::ClarificationReceived { on }, "Clarification received", true);
                t.move_to(InProgress, None);
            }
            if regime.extension_allowed && t.rng.chance(0.04) {
                t.wait(3, 12);
                let on = t.date();
                let reason = Some("Complexity: data held in many systems".to_string());
                t.clock_event(ClockEvent::ExtensionNoticeSent { on, reason, until: None }, "Extension notice sent to the subject", true);
            }
            t.wait(3, 25);
            t.move_to(Completed, None);
        }
        Refused => {
            if t.rng.chance(0.5) {
                t.start_work(identity);
            }
            t.wait(1, 8);
            let reason = *t.rng.pick(&[
                "Manifestly unfounded",
                "Identity could not be verified",
                "Not a customer: no personal data held under the given identifiers",
                "Exemption: legal privilege",
            ]);
            t.move_to(Refused, Some(reason));
        }
        Withdrawn => {
            if t.rng.chance(0.6) {
                t.start_work(identity);
            }
            t.wait(1, 10);
            t.move_to(Withdrawn, None);
        }
        Duplicate => {
            t.wait(0, 2);
            t.move_to(Duplicate, Some("Same request as an earlier one from the same subject"));
        }
    }
}

fn instant(date: NaiveDate, minute_of_day: i64) -> DateTime<Utc> {
    date.and_hms_opt(0, 0, 0).expect("midnight").and_utc() + Duration::minutes(minute_of_day)
}

/// The deadline engine's schedule; events the rules refuse (an extension where
/// none is allowed, say) are dropped, as the service would have refused them.
fn schedule(regime: &str, jurisdiction: &str, t: RequestType, received_on: NaiveDate, clock: &mut Vec<ClockEvent>) -> Result<Schedule> {
    let options = EngineOptions::default();
    let input = |events: &[ClockEvent]| -> Result<Schedule> {
        deadlines::compute(&ScheduleInput { regime, jurisdiction, request_type: t, received_on, events, options: &options, today: None })
    };
    if let Ok(s) = input(clock) {
        return Ok(s);
    }
    clock.retain(|e| !matches!(e, ClockEvent::ExtensionNoticeSent { .. }));
    if let Ok(s) = input(clock) {
        return Ok(s);
    }
    clock.clear();
    input(clock)
}

/// Builds request number `number`, received `age` days before `today`.
pub fn build(rng: &mut Rng, regimes: &[(&'static RegimeInfo, u32)], number: i64, age: i64, today: NaiveDate) -> Result<Built> {
    let regime = *rng.weighted(regimes);
    let jurisdiction = shape::jurisdiction(rng, regime);
    let mut request_type = shape::request_type(rng, regime);
    let channel = shape::channel(rng);
    let person = people::person(rng, number as u64);
    let received_on = today - Duration::days(age);
    let start_minute = rng.range(6 * 60, 17 * 60);
    let received_at = instant(received_on, start_minute);
    let status = shape::status(rng, age);
    let identifiers =
        if rng.chance(0.6) { json!([{ "kind": "customer id", "value": format!("C-{:06}", rng.below(1_000_000)) }]) } else { json!([]) };
    let notes = *rng.pick(shape::REQUEST_NOTES);
    let actor = *rng.pick(OFFICERS);

    let mut t = Timeline {
        rng,
        day: 0,
        max_day: age,
        received_on,
        status: Status::Received,
        steps: Vec::new(),
        clock: Vec::new(),
        reason: None,
        started: None,
    };
    plan_timeline(&mut t, status, regime);
    let last_day = t.day;
    // Notes fall while the request is worked on: up to its close, or up to today while open.
    let note_span = if status.is_closed() { last_day } else { age.min(last_day + 30) };
    for _ in 0..t.rng.below(12) {
        let day = t.rng.range(0, note_span);
        let summary = (*t.rng.pick(shape::TIMELINE_NOTES)).to_string();
        // A note on the work is what the app records as a task update (there is no "note" kind).
        t.steps.push(Step { day, kind: EventKind::TaskUpdated, summary, data: json!({}) });
    }
    let Timeline { mut steps, mut clock, reason, started, .. } = t;
    steps.sort_by_key(|s| s.day);

    let sched = match schedule(&regime.id, &jurisdiction, request_type, received_on, &mut clock) {
        Ok(s) => s,
        Err(_) => {
            request_type = RequestType::Access;
            schedule(&regime.id, &jurisdiction, request_type, received_on, &mut clock)?
        }
    };
    let due = sched.legal_due.map_or_else(|| "no statutory date".to_string(), |d| format!("due {d}"));
    let registered = Step {
        day: 0,
        kind: EventKind::Registered,
        summary: format!(
            "Registered: {} request under {} ({}), received {} by {}; {due}",
            request_type.label(),
            regime.id,
            jurisdiction,
            received_on,
            channel.label().to_lowercase()
        ),
        data: json!({ "rule_set": sched.rule_set, "due": sched.legal_due }),
    };
    steps.insert(0, registered);

    let id = uuid::Builder::from_unix_timestamp_millis(received_at.timestamp_millis() as u64, &rng.bytes::<10>()).into_uuid().to_string();
    let mut last_at = received_at;
    let mut closed_at = None;
    let mut event_rows = Vec::with_capacity(steps.len());
    for (i, step) in steps.into_iter().enumerate() {
        let at = instant(received_on + Duration::days(step.day), start_minute + 7 * i as i64).max(last_at);
        last_at = at;
        if step.kind == EventKind::StatusChanged {
            closed_at = Some(at);
        }
        event_rows.push(vec![
            text(id.as_str()),
            text(at.to_rfc3339()),
            text(step.kind.as_str()),
            text(step.summary),
            text(step.data.to_string()),
            text(if i == 0 { "import" } else { actor }),
        ]);
    }
    let status_reason = if matches!(status, Status::Refused | Status::Duplicate) { reason } else { None };
    let reference = format!("DSR-{}-{number:04}", received_on.format("%Y"));
    // Stored as the app stores it: the dates in the row, the explanation kept once (migration 29).
    let stored = rightsdesk_core::requests::explanations::stored(&sched)?;
    let closed_at = closed_at.filter(|_| status.is_closed());
    let request_row = vec![
        text(id.as_str()),
        int(number),
        text(reference.as_str()),
        text(request_type.as_str()),
        text(regime.id.as_str()),
        text(jurisdiction.as_str()),
        text(person.name.as_str()),
        opt_text(person.email.clone()),
        text(identifiers.to_string()),
        text(channel.as_str()),
        text(received_at.to_rfc3339()),
        text(received_on.to_string()),
        text(ZONE),
        text(status.as_str()),
        opt_text(status_reason.clone()),
        text(notes),
        opt_text(sched.legal_due.map(|d| d.to_string())),
        opt_text(sched.target.map(|d| d.to_string())),
        text(sched.rule_set.as_str()),
        text(stored.json.as_str()),
        text(received_at.to_rfc3339()),
        text(last_at.to_rfc3339()),
        // As `requests::rows::set_status` records it: the local day of the closing status change.
        opt_text(closed_at.map(|at| local_date(at, ZONE).to_string())),
    ];
    Ok(Built {
        generated: Generated {
            id,
            number,
            received_on,
            request_type,
            status,
            last_day: received_on + Duration::days(last_day),
            reference,
            regime: regime.id.clone(),
            jurisdiction,
            channel,
            subject_name: person.name,
            subject_email: person.email,
            received_at,
            closed_at,
            started_on: started.map(|d| received_on + Duration::days(d)),
            due: sched.legal_due,
            extended_due: sched.extended_due,
            clock,
            status_reason,
        },
        request_row,
        schedule: stored,
        event_rows,
    })
}
