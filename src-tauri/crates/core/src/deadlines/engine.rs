//! Computes a request's schedule from its regime's rules, its jurisdiction's
//! calendar, its clock events and the organisation's options. Every date is
//! reached in explained steps; nothing here panics on any input.

use chrono::{Datelike, NaiveDate};

use crate::deadlines::calendar::{out_of_range, WorkingCalendar, YEARS};
use crate::deadlines::explain::{self, day, warn, Explainer};
use crate::deadlines::holidays::HolidaySet;
use crate::deadlines::rules::{self, At};
use crate::domain::deadline::*;
use crate::error::{Error, Result};

/// Computes the schedule of one request.
///
/// Errors (`Invalid`) for an unknown regime or jurisdiction, a date out of range, or
/// an event dated before receipt. A refused extension is not an error here: the
/// schedule carries a warning (`extension_notice_late`, `extension_repeated`,
/// `extension_not_allowed`) and no `extended_due`; see [`check_extension`] to refuse
/// recording one.
pub fn compute(input: &ScheduleInput) -> Result<Schedule> {
    let (info, rules) = rules::rules_of(input.regime).ok_or_else(|| {
        Error::invalid("regime", format!("is not a known regime (one of: {})", crate::deadlines::regime_ids().join(", ")))
    })?;
    let jur = rules.jurisdictions.iter().find(|j| j.code == input.jurisdiction).ok_or_else(|| {
        Error::invalid("jurisdiction", format!("is not a jurisdiction of {} (one of: {})", info.id, info.jurisdiction_codes().join(", ")))
    })?;
    let received = input.received_on;
    if !YEARS.contains(&received.year()) {
        return Err(out_of_range("received"));
    }
    if let Some(t) = input.today {
        if !YEARS.contains(&t.year()) {
            return Err(out_of_range("today"));
        }
    }
    for ev in input.events {
        if ev.on() < received {
            return Err(Error::invalid(
                "events",
                format!("{} on {} is before the request was received ({})", ev.kind(), day(ev.on()), day(received)),
            ));
        }
        if !YEARS.contains(&ev.on().year()) {
            return Err(out_of_range("events"));
        }
    }
    if input.options.promise_days.is_some_and(|n| n > 3650) {
        return Err(Error::invalid("promise_days", "must be at most 3650 days"));
    }
    if input.options.target_working_days > 365 {
        return Err(Error::invalid("target_working_days", "must be at most 365 working days"));
    }
    let mut events: Vec<&ClockEvent> = input.events.iter().collect();
    events.sort_by_key(|e| e.on());
    let opts = input.options;

    let calendar_code = if rules.calendar_option {
        match opts.ccpa_calendar {
            CcpaCalendar::UsFederal => "US",
            CcpaCalendar::California => "US-CA",
        }
    } else {
        jur.calendar.as_str()
    };
    let first = received.year().saturating_sub(1);
    let cal = WorkingCalendar { holidays: HolidaySet::load(calendar_code, first..=received.year().saturating_add(3))? };

    let mut s = Schedule {
        rule_set: info.rule_set(),
        regime: info.id.clone(),
        jurisdiction: jur.code.clone(),
        calendar: calendar_code.to_string(),
        received,
        clock_start: received,
        statutory: info.statutory,
        today: input.today,
        ..Schedule::default()
    };
    let mut x = Explainer::default();

    if received < rules.in_force {
        warn(&mut s, "not_in_force", format!("{} applies from {}; this request predates it", info.name, day(rules.in_force)));
    }
    if !HolidaySet::covers(received) {
        warn(
            &mut s,
            "calendar_not_maintained",
            format!(
                "holidays are maintained for {}–{}; outside those years only weekends are skipped",
                crate::deadlines::FIRST_YEAR,
                crate::deadlines::LAST_YEAR
            ),
        );
    }
    x.step(
        StepCode::Received,
        StepParams { date: Some(received), ..Default::default() },
        "date of receipt",
        format!("Received {}", day(received)),
        &rules.start_source,
    );

    let start = crate::deadlines::clock::clock_start(&mut s, &mut x, rules, opts, &events, received)?;
    s.clock_start = start;

    // A type whose duty came later than the law (UK complaints, DPA 2018 s. 164A from 19 June 2026).
    let not_yet = rules.by_type(input.request_type).and_then(|b| b.from.map(|f| (f, b.source.as_str()))).filter(|(f, _)| received < *f);
    let response = if not_yet.is_some() { None } else { response_of(&mut s, &mut x, rules, opts, input.request_type) };
    match response {
        Some((period, source, extendable)) => {
            crate::deadlines::statutory::statutory_dates(&mut s, &mut x, rules, &cal, input, &events, start, (period, source, extendable))?;
        }
        None if not_yet.is_some() => {
            let (from, source) = not_yet.unwrap_or((received, ""));
            s.statutory = false;
            warn(
                &mut s,
                "no_statutory_date",
                format!(
                    "{}: the date for a {} request applies from {}; one received before it has no statutory date",
                    info.name,
                    input.request_type,
                    day(from)
                ),
            );
            x.step(
                StepCode::NoStatutoryDateBefore,
                StepParams { date: Some(from), ..Default::default() },
                "no statutory date",
                format!("Received before {}: the law then set no date", day(from)),
                source,
            );
        }
        None => {
            let scoped = rules.response.is_some();
            let (message, source) = match (&rules.target, scoped) {
                (Some(t), true) => (
                    format!("{}: the law sets no date for a {} request; only an internal target is shown", info.name, input.request_type),
                    t.source.as_str(),
                ),
                _ => (format!("{}: the law sets no date; only an internal target is shown", info.name), rules.start_source.as_str()),
            };
            s.statutory = false;
            warn(&mut s, "no_statutory_date", message);
            x.step(StepCode::NoStatutoryDate, StepParams::default(), "no statutory date", "The law sets no date for the answer", source);
            if events.iter().any(|e| matches!(e, ClockEvent::ExtensionNoticeSent { .. })) {
                warn(&mut s, "event_ignored", "an extension notice has no legal effect where the law sets no date");
            }
        }
    }
    s.legal_due = s.extended_due.or(s.due);

    // Acknowledgement and other duties.
    if let Some(ack) = rules.ack.as_ref().filter(|a| a.types.contains(&input.request_type)) {
        if let Some(d) = cal.add_period(received, ack.period) {
            s.ack_due = Some(d);
            x.step(
                StepCode::Acknowledge,
                StepParams { period: Some(explain::step_period(ack.period)), date: Some(d), ..Default::default() },
                "acknowledge receipt",
                format!("Acknowledge within {} of receipt: by {}", explain::period(ack.period), day(d)),
                &ack.source,
            );
        }
    }
    for duty in rules.duties.iter().filter(|d| d.types.is_empty() || d.types.contains(&input.request_type)) {
        let due = match (duty.at, duty.period) {
            (Some(At::Receipt), _) => Some(received),
            (Some(At::Due), _) => s.due,
            (Some(At::LegalDue), _) => s.legal_due,
            (None, Some(p)) => cal.add_period(received, p),
            (None, None) => None,
        };
        if let Some(due) = due {
            s.duties.push(Duty { id: duty.id.clone(), label: duty.label.clone(), due, source: duty.source.clone() });
        }
    }

    crate::deadlines::target::promise_and_target(&mut s, &mut x, rules, &cal, opts, &events, start)?;

    if let Some(today) = input.today {
        if let Some(binding) = s.promised_due.or(s.legal_due).or(s.target) {
            let left = (binding - today).num_days();
            s.days_left = Some(i32::try_from(left).unwrap_or(if left < 0 { i32::MIN } else { i32::MAX }));
            if left < 0 {
                warn(&mut s, "overdue", format!("{} day(s) overdue since {}", -left, day(binding)));
            }
        }
    }
    s.steps = x.steps;
    Ok(s)
}

/// The response period for this type under the reading in use (POPIA: PAIA's 30 days, or none).
fn response_of(
    s: &mut Schedule,
    x: &mut Explainer,
    rules: &'static rules::RuleSet,
    opts: &EngineOptions,
    t: crate::domain::RequestType,
) -> Option<(rules::Period, &'static str, bool)> {
    let Some(source) = rules.reasonable_time_source.as_deref() else {
        return rules.response_for(t);
    };
    if opts.popia_reasonable_time {
        s.readings.push(Reading {
            id: "popia-period".into(),
            chosen: "POPIA s. 23's 'reasonable time': no statutory date, an internal target only".into(),
            consequence: "no legal due date or extension is shown; PAIA's 30 days (+30 once) would give one".into(),
        });
        x.step(
            StepCode::ReasonableTime,
            StepParams::default(),
            "reading: a reasonable time",
            "The organisation reads POPIA's 'reasonable time' without PAIA's 30 days",
            source,
        );
        None
    } else {
        s.readings.push(Reading {
            id: "popia-period".into(),
            chosen: "PAIA's 30 days (+30 once, with notice) apply to a POPIA request (s. 25); the safer reading".into(),
            consequence: "a legal due date 30 days after receipt; POPIA s. 23 alone says only 'within a reasonable time'".into(),
        });
        rules.response_for(t)
    }
}

/// Whether an extension notice sent on `notified_on` would be accepted for this
/// request (its other events as recorded). `Err(Invalid { field: "extension" })`
/// names the notice deadline when it would not.
pub fn check_extension(input: &ScheduleInput, notified_on: NaiveDate) -> Result<()> {
    let s = compute(input)?;
    let (info, rules) = rules::rules_of(input.regime).ok_or_else(|| Error::invalid("regime", "is not a known regime"))?;
    let allowed = !(rules.reasonable_time_source.is_some() && input.options.popia_reasonable_time)
        && rules.response_for(input.request_type).is_some_and(|(_, _, ext)| ext);
    if !allowed {
        return Err(Error::invalid("extension", format!("{} allows no extension for a {} request", info.name, input.request_type)));
    }
    if s.extended_due.is_some() {
        return Err(Error::invalid("extension", "the period has already been extended once; a second extension is not allowed"));
    }
    let Some(deadline) = s.extension_notice_due else {
        return Err(Error::invalid("extension", "this request has no period to extend"));
    };
    if notified_on < s.received {
        return Err(Error::invalid("extension", "the notice cannot be dated before the request was received"));
    }
    if notified_on > deadline {
        return Err(Error::invalid(
            "extension",
            format!("the notice deadline was {}; an extension notified on {} is too late", day(deadline), day(notified_on)),
        ));
    }
    Ok(())
}
