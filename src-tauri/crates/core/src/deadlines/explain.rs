//! How dates and periods are written in an explanation: "Fri 31 Jan 2025",
//! "one calendar month", "a Saturday". One place, so every step reads alike.

use chrono::NaiveDate;

use crate::deadlines::calendar::RestDay;
use crate::deadlines::holidays::rule::EXPECTED;
use crate::deadlines::rules::Period;
use crate::domain::deadline::{PeriodUnit, Schedule, SkippedDay, Step, StepCode, StepParams, StepPeriod, Warning};

/// "Fri 31 Jan 2025".
pub(crate) fn day(d: NaiveDate) -> String {
    d.format("%a %-d %b %Y").to_string()
}

/// "one calendar month", "45 calendar days", "10 business days".
pub(crate) fn period(p: Period) -> String {
    match p {
        Period::Months(1) => "one calendar month".into(),
        Period::Months(n) => format!("{n} calendar months"),
        Period::Days(1) => "one calendar day".into(),
        Period::Days(n) => format!("{n} calendar days"),
        Period::BusinessDays(1) => "one business day".into(),
        Period::BusinessDays(n) => format!("{n} business days"),
    }
}

/// A period as a step's parameter: {count, unit}.
pub(crate) fn step_period(p: Period) -> StepPeriod {
    match p {
        Period::Months(count) => StepPeriod { count, unit: PeriodUnit::Months },
        Period::Days(count) => StepPeriod { count, unit: PeriodUnit::Days },
        Period::BusinessDays(count) => StepPeriod { count, unit: PeriodUnit::BusinessDays },
    }
}

/// The rest days a roll passed over, as a step's parameter.
pub(crate) fn skipped_days(list: &[(NaiveDate, RestDay)]) -> Vec<SkippedDay> {
    list.iter()
        .map(|(d, why)| match why {
            RestDay::Holiday(name) if name.contains(EXPECTED) => {
                SkippedDay { date: *d, holiday: Some(name.replace(EXPECTED, "").trim().to_string()), expected: true }
            }
            RestDay::Holiday(name) => SkippedDay { date: *d, holiday: Some(name.clone()), expected: false },
            _ => SkippedDay { date: *d, holiday: None, expected: false },
        })
        .collect()
}

/// "Sat 1 Mar 2025 is a Saturday, Sun 2 Mar 2025 a Sunday".
pub(crate) fn skipped(list: &[(NaiveDate, RestDay)]) -> String {
    list.iter()
        .enumerate()
        .map(|(i, (d, why))| {
            let why = why.describe();
            if i == 0 {
                format!("{} is {why}", day(*d))
            } else {
                format!("{} {why}", day(*d))
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Collects the steps of an explanation.
#[derive(Debug, Default)]
pub(crate) struct Explainer {
    pub steps: Vec<Step>,
}

impl Explainer {
    /// A step: its code and parameters (what the UI and letters render), its
    /// English rule and detail (what the CLI prints), and its source as cited.
    pub fn step(
        &mut self,
        code: StepCode,
        params: StepParams,
        rule: impl Into<String>,
        detail: impl Into<String>,
        source: impl Into<String>,
    ) {
        self.steps.push(Step { code, params, rule: rule.into(), detail: detail.into(), source: source.into() });
    }
}

/// Adds a warning to the schedule, with its stable code.
pub(super) fn warn(s: &mut Schedule, code: &str, message: impl Into<String>) {
    s.warnings.push(Warning { code: code.into(), message: message.into() });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_weekday_day_month_year() {
        assert_eq!(day(NaiveDate::from_ymd_opt(2025, 1, 31).unwrap()), "Fri 31 Jan 2025");
        assert_eq!(day(NaiveDate::from_ymd_opt(2026, 12, 28).unwrap()), "Mon 28 Dec 2026");
    }
}
