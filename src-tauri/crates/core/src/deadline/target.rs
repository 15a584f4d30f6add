//! The organisation's own dates: its promise (which may only shorten the
//! law's period) and the internal target a few working days ahead.

use chrono::NaiveDate;

use super::calendar::WorkingCalendar;
use super::engine::{out_of_range, plus_days, warn};
use super::explain::{self, day, Explainer};
use super::rules::RuleSet;
use super::types::*;
use crate::error::Result;

/// The organisation's promise (never later than the law) and the internal target.
pub(super) fn promise_and_target(
    s: &mut Schedule,
    x: &mut Explainer,
    rules: &RuleSet,
    cal: &WorkingCalendar,
    opts: &EngineOptions,
    start: NaiveDate,
) -> Result<()> {
    if let Some(n) = opts.promise_days {
        let promised = plus_days(s.received, n)?;
        let (date, detail) = match s.legal_due {
            Some(legal) if promised > legal => {
                warn(
                    s,
                    "promise_later_than_law",
                    format!(
                        "the promise of {n} days ({}) is later than the legal date; the law's date applies",
                        day(promised)
                    ),
                );
                (
                    legal,
                    format!(
                        "Our promise of {n} days would end {}, after the legal date: promised {}",
                        day(promised),
                        day(legal)
                    ),
                )
            }
            _ => (promised, format!("Our promise: {n} calendar days from receipt → promised {}", day(promised))),
        };
        s.promised_due = Some(date);
        x.step(
            "organisation's promise",
            detail,
            "the organisation's published promise (may only shorten the legal period)",
        );
    }
    let binding = s.promised_due.or(s.legal_due);
    match (binding, rules.target.as_ref()) {
        (Some(b), _) => {
            let n = opts.target_working_days;
            let t = cal.sub_business_days(b, n, s.received);
            s.target = Some(t);
            x.step(
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
                "internal target",
                format!(
                    "{} from {} → target {} (internal, not a legal date)",
                    explain::period(target.period),
                    day(start),
                    day(t)
                ),
                &target.source,
            );
        }
        (None, None) => {}
    }
    Ok(())
}
