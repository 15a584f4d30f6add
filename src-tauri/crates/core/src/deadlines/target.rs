//! The organisation's own dates: its promise (which may only shorten the
//! law's period) and the internal target a few working days ahead.
//!
//! The promise has its own rules, separate from the law's: it may be counted
//! from identity verification while the legal date stays counted from receipt,
//! and it may have its own longer period for complex requests, which applies
//! once the subject was told (an extension notice recorded no later than the
//! promised date).

use chrono::NaiveDate;

use crate::deadlines::calendar::WorkingCalendar;
use crate::deadlines::calendar::{out_of_range, plus_days};
use crate::deadlines::explain::warn;
use crate::deadlines::explain::{self, day, Explainer};
use crate::deadlines::rules::RuleSet;
use crate::domain::deadline::*;
use crate::error::Result;

/// The organisation's promise (never later than the law) and the internal target.
pub(super) fn promise_and_target(
    s: &mut Schedule,
    x: &mut Explainer,
    rules: &RuleSet,
    cal: &WorkingCalendar,
    opts: &EngineOptions,
    events: &[&ClockEvent],
    start: NaiveDate,
) -> Result<()> {
    if let Some(n) = opts.promise_days {
        promise(s, x, opts, events, n)?;
    }
    let binding = s.promised_due.or(s.legal_due);
    match (binding, rules.target.as_ref()) {
        (Some(b), _) => {
            let n = opts.target_working_days;
            let t = cal.sub_business_days(b, n, s.received);
            s.target = Some(t);
            x.step(
                StepCode::TargetBeforeDue,
                StepParams { count: Some(n), from: Some(b), date: Some(t), ..Default::default() },
                "internal target",
                format!("{n} working day(s) before {} → target {} (internal, not a legal date)", day(b), day(t)),
                "the organisation's setting",
            );
        }
        (None, Some(target)) => {
            let t = cal.add_period(start, target.period).ok_or_else(|| out_of_range("received"))?;
            let t = plus_days(t, s.paused_days)?;
            s.target = Some(t);
            x.step(
                StepCode::TargetFromStart,
                StepParams { period: Some(explain::step_period(target.period)), from: Some(start), date: Some(t), ..Default::default() },
                "internal target",
                format!("{} from {} → target {} (internal, not a legal date)", explain::period(target.period), day(start), day(t)),
                &target.source,
            );
        }
        (None, None) => {}
    }
    Ok(())
}

/// The promised date: `n` calendar days from receipt or from verification, the extended
/// promise once notice was given in time, never later than the legal date.
fn promise(s: &mut Schedule, x: &mut Explainer, opts: &EngineOptions, events: &[&ClockEvent], n: u32) -> Result<()> {
    let (from, from_words, base) = match opts.promise_from {
        PromiseStart::Receipt => (s.received, "receipt", StepBase::Receipt),
        PromiseStart::Verification => {
            let verified = events.iter().find_map(|e| match e {
                ClockEvent::IdentityReceived { on } => Some(*on),
                _ => None,
            });
            match verified {
                Some(on) => (on, "identity verification", StepBase::Verification),
                None => {
                    x.step(
                        StepCode::PromiseUnverified,
                        StepParams { count: Some(n), ..Default::default() },
                        "organisation's promise",
                        format!("Our promise of {n} days counts from identity verification: not yet verified, no promised date yet"),
                        "the organisation's published promise (counted for verified requests)",
                    );
                    return Ok(());
                }
            }
        }
    };
    let first = plus_days(from, n)?;
    let mut promised = first;
    let mut days = n;
    if let Some(longer) = opts.promise_extended_days.filter(|&m| m > n) {
        let notice = events.iter().find_map(|e| match e {
            ClockEvent::ExtensionNoticeSent { on, .. } => Some(*on),
            _ => None,
        });
        match notice {
            Some(on) if on <= first => {
                promised = plus_days(from, longer)?;
                days = longer;
                x.step(
                    StepCode::PromiseExtended,
                    StepParams {
                        on: Some(on),
                        by: Some(first),
                        count: Some(longer),
                        base: Some(base),
                        from: Some(from),
                        date: Some(promised),
                        ..Default::default()
                    },
                    "organisation's promise",
                    format!(
                        "Notice given {} (by the promised {}): our promise for complex requests, {longer} days from {from_words} → {}",
                        day(on),
                        day(first),
                        day(promised)
                    ),
                    "the organisation's published promise (longer for complex requests, with notice)",
                );
            }
            Some(on) => warn(
                s,
                "promise_extension_late",
                format!("the notice of {} came after the promised {}; the promise of {n} days stands", day(on), day(first)),
            ),
            None => {}
        }
    }
    let (date, code, detail) = match s.legal_due {
        Some(legal) if promised > legal => {
            warn(
                s,
                "promise_later_than_law",
                format!("the promise of {days} days ({}) is later than the legal date; the law's date applies", day(promised)),
            );
            (
                legal,
                StepCode::PromiseCapped,
                format!(
                    "Our promise of {days} days from {from_words} would end {}, after the legal date: promised {}",
                    day(promised),
                    day(legal)
                ),
            )
        }
        _ => (
            promised,
            StepCode::Promise,
            format!("Our promise: {days} calendar days from {from_words} ({}) → promised {}", day(from), day(promised)),
        ),
    };
    s.promised_due = Some(date);
    let params =
        StepParams { count: Some(days), base: Some(base), from: Some(from), by: Some(promised), date: Some(date), ..Default::default() };
    x.step(code, params, "organisation's promise", detail, "the organisation's published promise (may only shorten the legal period)");
    Ok(())
}
