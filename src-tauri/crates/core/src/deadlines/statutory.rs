//! The statutory dates: the period from the clock's start, the pauses, the
//! roll over rest days, and the one extension with its notice deadline.

use chrono::{Datelike, NaiveDate};

use crate::deadlines::calendar::{out_of_range, plus_days};
use crate::deadlines::calendar::{was_clamped, WorkingCalendar};
use crate::deadlines::explain::warn;
use crate::deadlines::explain::{self, day, Explainer};
use crate::deadlines::rules::{ExtensionBase, Period, RollPolicy, RuleSet};
use crate::domain::deadline::*;
use crate::error::Result;

/// The original due date, pauses, roll, and the extension.
#[allow(clippy::too_many_arguments)]
pub(super) fn statutory_dates(
    s: &mut Schedule,
    x: &mut Explainer,
    rules: &RuleSet,
    cal: &WorkingCalendar,
    input: &ScheduleInput,
    events: &[&ClockEvent],
    start: NaiveDate,
    (period, source, extendable): (Period, &str, bool),
) -> Result<()> {
    let opts = input.options;
    let mut period = period;
    if rules.calendar_option {
        if let Period::Days(n) = period {
            if opts.ccpa_receipt_is_day_one {
                period = Period::Days(n.saturating_sub(1));
                x.step(
                    StepCode::ReceiptIsDayOne,
                    StepParams { count: Some(n), period: Some(explain::step_period(period)), ..Default::default() },
                    "reading: the period begins on the day of receipt",
                    format!("The day of receipt is day 1 of {n}: {} after it", explain::period(period)),
                    "11 CCR § 7021(b): the 45-day period begins on the day the business receives the request",
                );
                s.readings.push(Reading {
                    id: "ccpa-counting".into(),
                    chosen: "the 45 days begin on the day of receipt, which is day 1 (11 CCR § 7021(b)); the earlier date".into(),
                    consequence: "received 1 Mar, due 14 Apr; one day earlier than the CCP § 12 count (first day excluded)".into(),
                });
            } else {
                s.readings.push(Reading {
                    id: "ccpa-counting".into(),
                    chosen: "the day of receipt is not counted (Cal. Code Civ. Proc. § 12)".into(),
                    consequence: "received 1 Mar, due 15 Apr; one day later than 'the period begins on the day of receipt' (11 CCR § 7021(b))".into(),
                });
            }
        }
        s.readings.push(Reading {
            id: "ccpa-calendar".into(),
            chosen: match opts.ccpa_calendar {
                CcpaCalendar::UsFederal => "business days follow US federal holidays".into(),
                CcpaCalendar::California => "business days follow California state holidays".into(),
            },
            consequence: "changes the acknowledgement and 15-business-day dates around holidays the two calendars do not share".into(),
        });
    }
    if let Some(small) = rules.small_agent_source.as_deref().filter(|_| opts.lgpd_small_agent) {
        period = match period {
            Period::Days(n) => Period::Days(n.saturating_mul(2)),
            Period::BusinessDays(n) => Period::BusinessDays(n.saturating_mul(2)),
            Period::Months(n) => Period::Months(n.saturating_mul(2)),
        };
        x.step(
            StepCode::SmallAgentDoubled,
            StepParams { period: Some(explain::step_period(period)), ..Default::default() },
            "small processing agent: period doubled",
            format!("The organisation is a small processing agent: the period is doubled to {}", explain::period(period)),
            small,
        );
    }
    let raw = cal.add_period(start, period).ok_or_else(|| out_of_range("received"))?;
    let (code, clamp) = match period {
        Period::Months(_) if was_clamped(start, raw) => {
            (StepCode::PeriodClamped, format!(" (no {} {}: the month's last day)", start.day(), raw.format("%b")))
        }
        _ => (StepCode::Period, String::new()),
    };
    x.step(
        code,
        StepParams { period: Some(explain::step_period(period)), from: Some(start), date: Some(raw), ..Default::default() },
        explain::period(period),
        format!("{} → {}{clamp}", explain::period(period), day(raw)),
        source,
    );

    // Pauses push the unrolled date later, day for day.
    let mut unrolled = raw;
    for p in crate::deadlines::clock::pauses(s, rules, opts, events, start, input.today) {
        if p.from > unrolled {
            warn(s, "event_ignored", format!("{} requested {}, after the period had ended: no pause", p.what, day(p.from)));
            continue;
        }
        let days = u32::try_from((p.to - p.from).num_days() + 1).unwrap_or(0);
        s.paused_days = s.paused_days.saturating_add(days);
        unrolled = plus_days(unrolled, days)?;
        let (code, detail) = if p.open {
            s.clock_paused = true;
            warn(
                s,
                "clock_paused",
                format!("{} requested {} and not yet received: the date moves one day for each day of waiting", p.what, day(p.from)),
            );
            (
                StepCode::ClockPausedOpen,
                format!("{} requested {}, still awaited: {days} day(s) so far do not count → {}", p.what, day(p.from), day(unrolled)),
            )
        } else {
            (
                StepCode::ClockPaused,
                format!(
                    "{} requested {}, received {}: {days} day(s) do not count (both inclusive) → {}",
                    p.what,
                    day(p.from),
                    day(p.to),
                    day(unrolled)
                ),
            )
        };
        let params = StepParams {
            subject: Some(p.subject),
            from: Some(p.from),
            until: (!p.open).then_some(p.to),
            count: Some(days),
            date: Some(unrolled),
            ..Default::default()
        };
        x.step(code, params, "clock paused", detail, &p.source);
    }

    let (policy, roll_source) = if rules.calendar_option && opts.ccpa_roll_holidays {
        (
            RollPolicy::WeekendAndHolidays,
            "Cal. Code Civ. Proc. §§ 12a, 12b: a period ending on a holiday (including a weekend) extends to the next day that is not",
        )
    } else {
        (rules.roll.policy, rules.roll.source.as_str())
    };
    if rules.calendar_option {
        s.readings.push(Reading {
            id: "ccpa-roll".into(),
            chosen: if opts.ccpa_roll_holidays {
                "a deadline on a weekend or holiday moves to the next business day (CCP § 12a)".into()
            } else {
                "no roll: the 45th day is the deadline even on a weekend (the regulation's text)".into()
            },
            consequence: "up to three days' difference when the 45th day is a weekend or holiday".into(),
        });
    }
    // A type whose provision counts plain days keeps its date on a weekend or holiday.
    let own = rules.by_type(input.request_type).filter(|b| b.no_roll).map(|b| b.source.as_str());
    let due = roll(
        s,
        x,
        cal,
        unrolled,
        if matches!(period, Period::BusinessDays(_)) || own.is_some() { RollPolicy::None } else { policy },
        own.unwrap_or(roll_source),
        StepLabel::Due,
    );
    s.due = Some(due);

    // The extension: one, on time, where allowed.
    let notices: Vec<(NaiveDate, Option<NaiveDate>)> = events
        .iter()
        .filter_map(|e| match e {
            ClockEvent::ExtensionNoticeSent { on, until, .. } => Some((*on, *until)),
            _ => None,
        })
        .collect();
    let extension = rules.extension_for(input.request_type).filter(|_| extendable);
    if extension.is_some() {
        s.extension_notice_due = Some(due);
    }
    for (i, (on, until)) in notices.into_iter().enumerate() {
        let Some(ext) = extension else {
            warn(
                s,
                "extension_not_allowed",
                format!("{} allows no extension for this request; the due date stays {}", rules.name, day(due)),
            );
            continue;
        };
        if i > 0 || s.extended_due.is_some() {
            warn(s, "extension_repeated", format!("a period may be extended once; the notice of {} has no effect", day(on)));
            continue;
        }
        if on > due {
            warn(
                s,
                "extension_notice_late",
                format!(
                    "the extension notice of {} came after the notice deadline of {}; the due date stays {}",
                    day(on),
                    day(due),
                    day(due)
                ),
            );
            continue;
        }
        let extended = match (ext.base, ext.period) {
            (ExtensionBase::Announced, _) => match until {
                Some(u) if u > due => {
                    x.step(
                        StepCode::ExtensionAnnounced,
                        StepParams { on: Some(on), date: Some(u), ..Default::default() },
                        "extension announced",
                        format!("Subject told on {} that the answer will come by {}", day(on), day(u)),
                        &ext.source,
                    );
                    Some(u)
                }
                _ => {
                    warn(s, "extension_date_missing", "an extension must tell the subject the new date, after the original one");
                    None
                }
            },
            (base, Some(p)) => {
                let after_first = ext.after_first_period.as_ref();
                if after_first.is_some() {
                    s.readings.push(if opts.eu_extension_from_start {
                        Reading {
                            id: "eu-extension-end".into(),
                            chosen: "the extended date is three months from the start".into(),
                            consequence: "up to 3 days later than two months after the end of the first month (received 31 Jan: 30 Apr instead of 28 Apr)".into(),
                        }
                    } else {
                        Reading {
                            id: "eu-extension-end".into(),
                            chosen: "the two further months run from the end of the first month (Reg. 1182/71 Art. 3(2)(c)); the earlier date".into(),
                            consequence: "never later than three months from the start; up to 3 days earlier (received 31 Jan: 28 Apr instead of 30 Apr)".into(),
                        }
                    });
                }
                let (base, p, ext_source) = match after_first {
                    Some(a) if !opts.eu_extension_from_start => (ExtensionBase::Due, a.period, a.source.as_str()),
                    _ => (base, p, ext.source.as_str()),
                };
                let (from, what, step_base) = match base {
                    ExtensionBase::Start => (start, "from the start date", StepBase::Start),
                    ExtensionBase::Receipt => (s.received, "from receipt", StepBase::Receipt),
                    _ if after_first.is_some() => (raw, "from the end of the first month", StepBase::EndOfFirstMonth),
                    _ => (raw, "from the original deadline", StepBase::OriginalDeadline),
                };
                let mut p = p;
                if rules.calendar_option && opts.ccpa_receipt_is_day_one {
                    if let Period::Days(n) = p {
                        p = Period::Days(n.saturating_sub(1));
                    }
                }
                let mut d = cal.add_period(from, p).ok_or_else(|| out_of_range("received"))?;
                if base != ExtensionBase::Due || after_first.is_some() {
                    d = plus_days(d, s.paused_days)?;
                }
                let params = StepParams {
                    on: Some(on),
                    by: Some(due),
                    period: Some(explain::step_period(p)),
                    base: Some(step_base),
                    from: Some(from),
                    date: Some(d),
                    ..Default::default()
                };
                x.step(
                    StepCode::Extension,
                    params,
                    "extension",
                    format!("Notice sent {} (on time, by {}): {} {what} {} → {}", day(on), day(due), explain::period(p), day(from), day(d)),
                    ext_source,
                );
                Some(roll(s, x, cal, d, policy, roll_source, StepLabel::ExtendedDue))
            }
            (_, None) => None,
        };
        // An extension never brings a date forward.
        s.extended_due = extended.map(|d| d.max(due));
    }
    Ok(())
}

/// Rolls a date forward over rest days and explains it.
pub(super) fn roll(
    s: &mut Schedule,
    x: &mut Explainer,
    cal: &WorkingCalendar,
    d: NaiveDate,
    policy: RollPolicy,
    source: &str,
    step_label: StepLabel,
) -> NaiveDate {
    let label = match step_label {
        StepLabel::Due => "due",
        StepLabel::ExtendedDue => "extended due",
    };
    let (rolled, skipped) = cal.roll_forward(d, policy);
    for (on, why) in &skipped {
        if let crate::deadlines::calendar::RestDay::Holiday(name) = why {
            if name.contains(crate::deadlines::holidays::rule::EXPECTED) {
                warn(
                    s,
                    "expected_holiday",
                    format!("the {label} date passes over {} ({name}); check the proclamation before relying on the later date", day(*on)),
                );
            }
        }
    }
    let params = StepParams { label: Some(step_label), date: Some(rolled), ..Default::default() };
    if policy == RollPolicy::None {
        x.step(StepCode::NoRoll, params, "no roll", format!("{label} {}", day(d)), source);
    } else if skipped.is_empty() {
        x.step(StepCode::WorkingDay, params, "a working day", format!("{} is a working day → {label} {}", day(d), day(d)), source);
    } else {
        // A holiday only announced moves the date on an assumption, and the explanation says so.
        let assuming: String = skipped
            .iter()
            .filter_map(|(_, why)| match why {
                crate::deadlines::calendar::RestDay::Holiday(name) if name.contains(crate::deadlines::holidays::rule::EXPECTED) => {
                    Some(format!(", assuming the expected holiday {}", name.replace(crate::deadlines::holidays::rule::EXPECTED, "").trim()))
                }
                _ => None,
            })
            .collect();
        x.step(
            StepCode::Rolled,
            StepParams { skipped: explain::skipped_days(&skipped), ..params },
            "roll to the next working day",
            format!("{} → next working day → {label} {}{assuming}", explain::skipped(&skipped), day(rolled)),
            source,
        );
    }
    rolled
}
