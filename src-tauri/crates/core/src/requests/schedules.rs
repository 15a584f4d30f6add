//! The deadline engine at work on stored requests: clock events recorded on a
//! request, and recomputation with its history when an event is recorded, the
//! options change or the rules are updated.
//!
//! A closed request's dates are never recomputed: they stay as the rule set of
//! the time produced them. An open request's dates are recomputed when a clock
//! event is recorded, when the options change, or when the rules are updated;
//! each change of a date is a `dates-recomputed` event on its timeline, saying
//! what moved and why.

use chrono::NaiveDate;
use chrono_tz::Tz;
use serde_json::json;

use crate::clock::Clock;
use crate::deadlines::{self, date_changes, load_options, ClockEvent, EngineOptions, Schedule, ScheduleInput};
use crate::domain::{Request, RequestDetail, RequestId, RequestType};
use crate::error::{Error, Result};
use crate::requests::rows;
use crate::settings;
use crate::store::events::{self, EventKind, NewEvent};
use crate::store::{Conn, Store};

/// Changes the options and recomputes every open request, recording what moved.
pub fn set_deadline_options<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, new: &EngineOptions, actor: &str) -> Result<EngineOptions> {
    deadlines::check_options(new)?;
    let text = serde_json::to_string(new).map_err(|e| Error::Internal(e.to_string()))?;
    store.into().write(|tx| {
        settings::set(tx, deadlines::OPTIONS_KEY, &text)?;
        events::append(
            tx,
            None,
            clock.now(),
            actor,
            NewEvent { kind: EventKind::SettingsChanged, summary: "Deadline settings changed".into(), data: json!({ "deadline": new }) },
        )?;
        recompute_open(tx, clock, new, actor, "the deadline settings changed")?;
        Ok(new.clone())
    })
}

/// The clock events recorded on a request, in the order they were recorded.
pub(crate) fn clock_events<'a>(conn: impl Into<Conn<'a>>, request_id: &str) -> Result<Vec<ClockEvent>> {
    let rows: Vec<String> = conn.into().query_map(
        "SELECT data FROM events WHERE request_id = ?1 AND kind = ?2 ORDER BY seq",
        &[&request_id, &EventKind::Clock.as_str()],
        |r| r.get(0),
    )?;
    let mut out = Vec::new();
    for data in rows {
        let value: serde_json::Value = serde_json::from_str(&data).map_err(|e| Error::Internal(e.to_string()))?;
        let event =
            serde_json::from_value(value["event"].clone()).map_err(|_| Error::Internal("a stored clock event is unreadable".into()))?;
        out.push(event);
    }
    Ok(out)
}

/// Computes a request's schedule from its stored facts and events.
pub(crate) fn schedule_of(
    regime: &str,
    jurisdiction: &str,
    request_type: RequestType,
    received_on: NaiveDate,
    events: &[ClockEvent],
    options: &EngineOptions,
) -> Result<Schedule> {
    deadlines::compute(&ScheduleInput { regime, jurisdiction, request_type, received_on, events, options, today: None })
}

fn zone_of(request: &Request) -> Tz {
    request.time_zone.parse().unwrap_or(Tz::UTC)
}

/// Recomputes one request's schedule inside `tx`; if a date moved, stores the new
/// schedule and records a `dates-recomputed` event saying what and why.
fn recompute(tx: Conn<'_>, clock: &dyn Clock, request: &Request, options: &EngineOptions, actor: &str, why: &str) -> Result<bool> {
    let events = clock_events(tx, &request.id)?;
    let new = schedule_of(&request.regime, &request.jurisdiction, request.request_type, request.received_on, &events, options)?;
    let changes = date_changes(&request.schedule, &new);
    if changes.is_empty() && request.schedule.rule_set == new.rule_set {
        return Ok(false);
    }
    rows::set_schedule(tx, &request.id, &new, clock.now())?;
    let summary = if changes.is_empty() {
        format!("Dates recomputed ({why}) under {}; no date changed", new.rule_set)
    } else {
        let list: Vec<String> = changes.iter().map(|c| c.summary.clone()).collect();
        format!("Dates recomputed ({why}): {}", list.join("; "))
    };
    events::append(
        tx,
        Some(&request.id),
        clock.now(),
        actor,
        NewEvent {
            kind: EventKind::DatesRecomputed,
            summary,
            data: json!({ "why": why, "from_rule_set": request.schedule.rule_set, "to_rule_set": new.rule_set, "changes": changes }),
        },
    )?;
    Ok(true)
}

fn recompute_open(tx: Conn<'_>, clock: &dyn Clock, options: &EngineOptions, actor: &str, why: &str) -> Result<usize> {
    let ids: Vec<String> =
        tx.query_map(concat!("SELECT id FROM requests WHERE NOT ", crate::domain::closed_sql!(), " ORDER BY number"), &[], |r| r.get(0))?;
    let mut changed = 0;
    for id in ids {
        let request = rows::get(tx, &id, |_| clock.today(Tz::UTC))?;
        if recompute(tx, clock, &request, options, actor, why)? {
            changed += 1;
        }
    }
    Ok(changed)
}

/// At start: open requests whose rule set is older than the rules now shipped are
/// recomputed, each with a timeline event. Closed requests keep their dates.
pub fn refresh_after_rule_update<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, actor: &str) -> Result<usize> {
    let store = store.into();
    // Every open request's row is read once: through a small cache (`read_passing`).
    let stale: i64 = store.read_passing(|c| {
        let rows: Vec<(String, String)> =
            c.query_map(concat!("SELECT regime, rule_set FROM requests WHERE NOT ", crate::domain::closed_sql!()), &[], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        Ok(rows.iter().filter(|(regime, rule_set)| deadlines::regime(regime).is_some_and(|r| r.rule_set() != *rule_set)).count() as i64)
    })?;
    if stale == 0 {
        tracing::debug!("open requests' dates follow this version's rules");
        return Ok(0);
    }
    let recomputed = store.write(|tx| {
        let options = load_options(tx)?;
        recompute_open(tx, clock, &options, actor, "the rules were updated")
    })?;
    tracing::info!(stale, recomputed, "open requests' dates brought up to this version's rules");
    Ok(recomputed)
}

fn describe(event: &ClockEvent) -> String {
    let on = event.on();
    match event {
        ClockEvent::IdentityRequested { .. } => format!("Identity evidence requested on {on}"),
        ClockEvent::IdentityReceived { .. } => format!("Identity evidence received on {on}"),
        ClockEvent::ClarificationRequested { .. } => format!("Clarification requested on {on}"),
        ClockEvent::ClarificationReceived { .. } => format!("Clarification received on {on}"),
        ClockEvent::FeeRequested { .. } => format!("Fee requested on {on}"),
        ClockEvent::FeePaid { .. } => format!("Fee paid on {on}"),
        ClockEvent::CostNotice { .. } => format!("Cost contribution announced on {on}"),
        ClockEvent::Paused { reason, .. } => format!("Clock paused on {on}: {reason}"),
        ClockEvent::Resumed { .. } => format!("Clock resumed on {on}"),
        ClockEvent::ExtensionNoticeSent { reason, until, .. } => {
            let mut s = format!("Subject told of an extension on {on}");
            if let Some(r) = reason {
                s.push_str(&format!(": {r}"));
            }
            if let Some(u) = until {
                s.push_str(&format!(" (new date {u})"));
            }
            s
        }
    }
}

/// Records a clock event on a request (identity, clarification, fee, pause,
/// extension notice…) and recomputes its dates, in one transaction. An
/// extension whose notice is late, a second one, or one the law does not allow
/// is refused with the notice deadline named.
pub fn record_clock_event<'a>(
    store: impl Into<Store<'a>>,
    clock: &dyn Clock,
    id: &RequestId,
    event: ClockEvent,
    actor: &str,
) -> Result<RequestDetail> {
    record_clock_event_expecting(store, clock, id, event, actor, None)
}

/// [`record_clock_event`] made on a loaded copy of the request: refused with
/// [`crate::Error::Conflict`], writing nothing, if its version is no longer `expected`.
pub fn record_clock_event_expecting<'a>(
    store: impl Into<Store<'a>>,
    clock: &dyn Clock,
    id: &RequestId,
    event: ClockEvent,
    actor: &str,
    expected: Option<i64>,
) -> Result<RequestDetail> {
    let store = store.into();
    let request_id = store.write(|tx| {
        if expected.is_some() {
            let (request_id, _, _) = crate::tasks::request_head(tx, id.as_str())?;
            crate::store::version::ensure_unchanged(tx, &request_id, expected)?;
        }
        record_clock_event_in(tx, clock, id.as_str(), event, actor)
    })?;
    crate::requests::detail(store, clock, &request_id)
}

/// [`record_clock_event`] inside the caller's transaction (e.g. an identity
/// check records its clock event with the check); returns the request's id.
pub(crate) fn record_clock_event_in<'a>(
    tx: impl Into<Conn<'a>>,
    clock: &dyn Clock,
    id: &str,
    event: ClockEvent,
    actor: &str,
) -> Result<String> {
    record_clock_event_because_in(tx, clock, id, event, actor, None)
}

/// [`record_clock_event_in`] with what the event stands on: words added to the
/// timeline's summary and to the recomputation's reason ("by mail of 3 Feb
/// 2026"), and the link (e.g. the mail and its evidence) kept in the event's data.
pub(crate) fn record_clock_event_because_in<'a>(
    tx: impl Into<Conn<'a>>,
    clock: &dyn Clock,
    id: &str,
    event: ClockEvent,
    actor: &str,
    because: Option<(&str, serde_json::Value)>,
) -> Result<String> {
    let tx = tx.into();
    {
        let request = rows::get(tx, id, |_| clock.today(Tz::UTC))?;
        if request.status.is_closed() {
            return Err(Error::invalid("event", format!("the request is {} and its dates are final", request.status)));
        }
        let today = clock.today(zone_of(&request));
        if event.on() > today {
            return Err(Error::invalid("on", "is in the future"));
        }
        if event.on() < request.received_on {
            return Err(Error::invalid("on", "is before the request was received"));
        }
        if let ClockEvent::Paused { reason, .. } = &event {
            if reason.trim().is_empty() {
                return Err(Error::invalid("reason", "a pause needs a reason"));
            }
        }
        let options = load_options(tx)?;
        let mut events_so_far = clock_events(tx, &request.id)?;
        if let ClockEvent::ExtensionNoticeSent { on, .. } = &event {
            let input = ScheduleInput {
                regime: &request.regime,
                jurisdiction: &request.jurisdiction,
                request_type: request.request_type,
                received_on: request.received_on,
                events: &events_so_far,
                options: &options,
                today: None,
            };
            deadlines::check_extension(&input, *on)?;
        }
        events_so_far.push(event.clone());
        let (summary, data, why) = match &because {
            Some((words, link)) => (
                format!("{} {words}", describe(&event)),
                json!({ "event": event, "because": link }),
                format!("{} {words}", event.kind().replace('-', " ")),
            ),
            None => (describe(&event), json!({ "event": event }), format!("{} recorded", event.kind().replace('-', " "))),
        };
        events::append(tx, Some(&request.id), clock.now(), actor, NewEvent { kind: EventKind::Clock, summary, data })?;
        recompute(tx, clock, &request, &options, actor, &why)?;
        Ok(request.id)
    }
}

/// Records a clock event inside an open transaction — e.g. when the letter that
/// stands for it (an extension notice, an identity request) has been sent — and
/// recomputes the request's dates if it is still open.
pub(crate) fn record_in<'a>(tx: impl Into<Conn<'a>>, clock: &dyn Clock, request_id: &str, event: &ClockEvent, actor: &str) -> Result<()> {
    let tx = tx.into();
    let request = rows::get(tx, request_id, |_| clock.today(Tz::UTC))?;
    events::append(
        tx,
        Some(&request.id),
        clock.now(),
        actor,
        NewEvent { kind: EventKind::Clock, summary: describe(event), data: json!({ "event": event }) },
    )?;
    if !request.status.is_closed() {
        let options = load_options(tx)?;
        recompute(tx, clock, &request, &options, actor, &format!("{} recorded", event.kind().replace('-', " ")))?;
    }
    Ok(())
}
