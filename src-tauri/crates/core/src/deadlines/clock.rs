//! When the clock starts (receipt, a reading of it, a restart when identity
//! evidence or a fee arrives, a Swiss cost notice) and when it stands still
//! (clarification, an optional identity pause, a recorded pause where the
//! regime allows one).

use chrono::NaiveDate;

use crate::deadlines::calendar::plus_days;
use crate::deadlines::explain::warn;
use crate::deadlines::explain::{day, Explainer};
use crate::deadlines::rules::{PauseKind, Restart, RuleSet};
use crate::domain::deadline::*;
use crate::error::Result;

/// A stretch of days the clock stands still, inclusive at both ends.
pub(super) struct Pause {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub what: String,
    pub subject: StepSubject,
    pub source: String,
    pub open: bool,
}

/// The day the clock starts: receipt, the day after (a reading), or a restart.
pub(super) fn clock_start(
    s: &mut Schedule,
    x: &mut Explainer,
    rules: &RuleSet,
    opts: &EngineOptions,
    events: &[&ClockEvent],
    received: NaiveDate,
) -> Result<NaiveDate> {
    let mut start = received;
    if rules.day_after_receipt_option {
        if opts.uk_day_after_receipt {
            start = plus_days(received, 1)?;
            x.step(
                StepCode::DayAfterReceipt,
                StepParams { date: Some(start), ..Default::default() },
                "reading: from the day after receipt",
                format!("The organisation counts from the day after receipt: {}", day(start)),
                "ICO guidance before 2019 (superseded)",
            );
            s.readings.push(Reading {
                id: "uk-day-of-receipt".into(),
                chosen: "the day after receipt starts the month (pre-2019 ICO reading)".into(),
                consequence: "dates are one day later than under the current ICO guidance".into(),
            });
        } else {
            s.readings.push(Reading {
                id: "uk-day-of-receipt".into(),
                chosen: "the day of receipt is day one (current ICO guidance)".into(),
                consequence: "dates are one day earlier than under the pre-2019 reading still often copied".into(),
            });
        }
    }
    let restarts = &rules.clock.restart_on;
    for ev in events {
        let (what, subject, on) = match ev {
            ClockEvent::IdentityReceived { on } if restarts.contains(&Restart::IdentityReceived) => {
                ("Identity evidence received", StepSubject::Identity, *on)
            }
            ClockEvent::FeePaid { on } if restarts.contains(&Restart::FeePaid) => ("Fee received", StepSubject::Fee, *on),
            _ => continue,
        };
        if on > start {
            start = on;
            x.step(
                StepCode::ClockRestarted,
                StepParams { on: Some(on), subject: Some(subject), ..Default::default() },
                "clock restarts",
                format!("{what} {}: the time limit runs from that day", day(on)),
                &rules.clock.restart_source,
            );
        }
    }
    let awaited = |requested: fn(&ClockEvent) -> bool, arrived: fn(&ClockEvent) -> bool| {
        let last_request = events.iter().filter(|e| requested(e)).map(|e| e.on()).max()?;
        (!events.iter().any(|e| arrived(e) && e.on() >= last_request)).then_some(last_request)
    };
    if restarts.contains(&Restart::IdentityReceived) {
        if let Some(on) =
            awaited(|e| matches!(e, ClockEvent::IdentityRequested { .. }), |e| matches!(e, ClockEvent::IdentityReceived { .. }))
        {
            warn(
                s,
                "identity_awaited",
                format!(
                    "identity evidence requested {} has not arrived: the clock restarts when it does; dates shown count from {}",
                    day(on),
                    day(start)
                ),
            );
        }
    }
    if restarts.contains(&Restart::FeePaid) {
        if let Some(on) = awaited(|e| matches!(e, ClockEvent::FeeRequested { .. }), |e| matches!(e, ClockEvent::FeePaid { .. })) {
            warn(
                s,
                "fee_awaited",
                format!(
                    "a fee requested {} has not been paid: the clock restarts when it is; dates shown count from {}",
                    day(on),
                    day(start)
                ),
            );
        }
    }
    let cost_notice = events.iter().filter(|e| matches!(e, ClockEvent::CostNotice { .. })).map(|e| e.on()).max();
    match (rules.clock.cost_notice_reflection_days, cost_notice) {
        (Some(days), Some(on)) => {
            let after = plus_days(on, days)?;
            if after > start {
                start = after;
                x.step(
                    StepCode::CostNoticeReflection,
                    StepParams { on: Some(on), count: Some(days), date: Some(after), ..Default::default() },
                    "cost notice: reflection period",
                    format!("Cost contribution announced {}: {days} days to reflect, the period runs from {}", day(on), day(after)),
                    &rules.clock.cost_notice_source,
                );
            }
        }
        (None, Some(_)) => warn(s, "event_ignored", "a cost notice does not move the date under this regime"),
        _ => {}
    }
    let identity_events = events.iter().any(|e| matches!(e, ClockEvent::IdentityRequested { .. } | ClockEvent::IdentityReceived { .. }));
    if identity_events && !rules.clock.verification_note.is_empty() {
        x.step(
            StepCode::NoPauseForVerification,
            StepParams::default(),
            "no pause for verification",
            "Verifying identity does not stop the clock",
            &rules.clock.verification_note,
        );
    }
    if rules.clock.identity_pause_option {
        s.readings.push(if opts.eu_identity_pause {
            Reading {
                id: "eu-identity-pause".into(),
                chosen: "the month pauses while identity evidence is awaited".into(),
                consequence: "dates move later by the days spent waiting for identity evidence".into(),
            }
        } else {
            Reading {
                id: "eu-identity-pause".into(),
                chosen: "identity checks do not pause the month (the safe, earlier date)".into(),
                consequence: "the date does not move while identity evidence is awaited".into(),
            }
        });
        if identity_events && !opts.eu_identity_pause {
            x.step(
                StepCode::IdentityNoPause,
                StepParams::default(),
                "identity check: no pause",
                "Identity evidence was requested; under the reading in use this does not stop the clock",
                &rules.clock.identity_source,
            );
        }
    }
    Ok(start)
}

/// Pauses recognised by the regime, merged and clipped to the clock.
pub(super) fn pauses(
    s: &mut Schedule,
    rules: &RuleSet,
    opts: &EngineOptions,
    events: &[&ClockEvent],
    start: NaiveDate,
    today: Option<NaiveDate>,
) -> Vec<Pause> {
    let mut out = Vec::new();
    let last_event = events.iter().map(|e| e.on()).max().unwrap_or(start);
    let pair = |opens: fn(&ClockEvent) -> bool,
                closes: fn(&ClockEvent) -> bool,
                (what, subject): (&str, StepSubject),
                source: &str,
                out: &mut Vec<Pause>| {
        for (i, e) in events.iter().enumerate() {
            if !opens(e) {
                continue;
            }
            let from = e.on();
            let close = events.iter().skip(i + 1).find(|c| closes(c)).map(|c| c.on());
            let (to, open) = match close {
                Some(to) => (to, false),
                None => (today.unwrap_or(last_event).max(from), true),
            };
            out.push(Pause { from, to, what: what.to_string(), subject, source: source.to_string(), open });
        }
    };
    if rules.clock.pause_on.contains(&PauseKind::Clarification) {
        pair(
            |e| matches!(e, ClockEvent::ClarificationRequested { .. }),
            |e| matches!(e, ClockEvent::ClarificationReceived { .. }),
            ("Clarification", StepSubject::Clarification),
            &rules.clock.pause_source,
            &mut out,
        );
    } else if events.iter().any(|e| matches!(e, ClockEvent::ClarificationRequested { .. })) {
        warn(s, "event_ignored", "asking for clarification does not stop the clock under this regime");
    }
    if rules.clock.pause_on.contains(&PauseKind::Fee) {
        pair(
            |e| matches!(e, ClockEvent::FeeRequested { .. }),
            |e| matches!(e, ClockEvent::FeePaid { .. }),
            ("Fee", StepSubject::Fee),
            &rules.clock.fee_pause_source,
            &mut out,
        );
    }
    if rules.clock.identity_pause_option && opts.eu_identity_pause {
        pair(
            |e| matches!(e, ClockEvent::IdentityRequested { .. }),
            |e| matches!(e, ClockEvent::IdentityReceived { .. }),
            ("Identity evidence", StepSubject::Identity),
            &rules.clock.identity_source,
            &mut out,
        );
    }
    if events.iter().any(|e| matches!(e, ClockEvent::Paused { .. })) {
        if rules.clock.manual_pause {
            pair(
                |e| matches!(e, ClockEvent::Paused { .. }),
                |e| matches!(e, ClockEvent::Resumed { .. }),
                ("Paused by the officer", StepSubject::Officer),
                &rules.clock.manual_pause_source,
                &mut out,
            );
        } else {
            warn(
                s,
                "pause_not_recognised",
                "the law of this regime provides no such pause: the recorded pause does not move the legal date",
            );
        }
    }
    // Only days from the clock's start count; overlapping pauses count once.
    let mut clipped: Vec<Pause> = out.into_iter().filter(|p| p.to >= start).map(|p| Pause { from: p.from.max(start), ..p }).collect();
    clipped.sort_by_key(|p| p.from);
    let mut merged: Vec<Pause> = Vec::new();
    for p in clipped {
        match merged.last_mut() {
            Some(last) if p.from <= last.to => {
                last.to = last.to.max(p.to);
                last.open |= p.open;
            }
            _ => merged.push(p),
        }
    }
    merged
}
