//! How dates and periods are written in an explanation: "Fri 31 Jan 2025",
//! "one calendar month", "a Saturday". One place, so every step reads alike.

use chrono::NaiveDate;

use crate::deadlines::calendar::RestDay;
use crate::deadlines::rules::Period;
use crate::domain::deadline::{Schedule, Step, Warning};

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
    pub fn step(&mut self, rule: impl Into<String>, detail: impl Into<String>, source: impl Into<String>) {
        self.steps.push(Step { rule: rule.into(), detail: detail.into(), source: source.into() });
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
