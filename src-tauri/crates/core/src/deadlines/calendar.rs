//! Date arithmetic the law uses: calendar months with the end-of-month clamp,
//! calendar days with the first day excluded, business days, and rolling a
//! date forward over rest days. Pure functions over a [`WorkingCalendar`].

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

use crate::deadlines::holidays::HolidaySet;
use crate::deadlines::rules::{Period, RollPolicy};
use crate::error::{Error, Result};

/// Why a day is not a working day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RestDay {
    Saturday,
    Sunday,
    Holiday(String),
}

impl RestDay {
    pub fn describe(&self) -> String {
        match self {
            RestDay::Saturday => "a Saturday".into(),
            RestDay::Sunday => "a Sunday".into(),
            RestDay::Holiday(name) => format!("a public holiday ({name})"),
        }
    }
}

/// A jurisdiction's holidays plus the weekend.
#[derive(Debug, Clone)]
pub(crate) struct WorkingCalendar {
    pub holidays: HolidaySet,
}

impl WorkingCalendar {
    /// Why `d` is a rest day under `policy`, or `None` when it is a day the period may end on.
    pub fn rest_day(&self, d: NaiveDate, policy: RollPolicy) -> Option<RestDay> {
        match (policy, d.weekday()) {
            (RollPolicy::None, _) => None,
            (RollPolicy::WeekendAndHolidays, Weekday::Sat) => Some(RestDay::Saturday),
            (_, Weekday::Sun) => Some(RestDay::Sunday),
            _ => self.holidays.name_of(d).map(|n| RestDay::Holiday(n.to_string())),
        }
    }

    /// Whether `d` is a business day: Monday to Friday and not a public holiday.
    pub fn is_business_day(&self, d: NaiveDate) -> bool {
        self.rest_day(d, RollPolicy::WeekendAndHolidays).is_none()
    }

    /// Moves `d` forward to the first day that is not a rest day; returns the days passed over.
    pub fn roll_forward(&self, d: NaiveDate, policy: RollPolicy) -> (NaiveDate, Vec<(NaiveDate, RestDay)>) {
        let mut skipped = Vec::new();
        let mut day = d;
        // A run of rest days is never longer than a few days; the bound only guards the loop.
        for _ in 0..60 {
            match self.rest_day(day, policy) {
                Some(why) => {
                    skipped.push((day, why));
                    match day.succ_opt() {
                        Some(next) => day = next,
                        None => break,
                    }
                }
                None => break,
            }
        }
        (day, skipped)
    }

    /// The n-th business day after `d` (`d` itself not counted).
    pub fn add_business_days(&self, d: NaiveDate, n: u32) -> Option<NaiveDate> {
        let mut day = d;
        let mut left = n;
        while left > 0 {
            day = day.succ_opt()?;
            if self.is_business_day(day) {
                left -= 1;
            }
        }
        Some(day)
    }

    /// The date `n` business days before `d`, never before `floor`.
    pub fn sub_business_days(&self, d: NaiveDate, n: u32, floor: NaiveDate) -> NaiveDate {
        let mut day = d;
        let mut left = n;
        while left > 0 && day > floor {
            match day.pred_opt() {
                Some(p) => day = p,
                None => break,
            }
            if self.is_business_day(day) {
                left -= 1;
            }
        }
        day.max(floor)
    }

    /// Adds a legal period to a start date (no rolling).
    pub fn add_period(&self, start: NaiveDate, period: Period) -> Option<NaiveDate> {
        match period {
            Period::Months(m) => add_months_clamped(start, m),
            Period::Days(n) => start.checked_add_days(Days::new(u64::from(n))),
            Period::BusinessDays(n) => self.add_business_days(start, n),
        }
    }
}

/// Adds calendar months: the same day number, or the month's last day when it has none.
/// Regulation (EEC, Euratom) No 1182/71 Art. 3(2)(c); ICO guidance.
pub fn add_months_clamped(date: NaiveDate, months: u32) -> Option<NaiveDate> {
    date.checked_add_months(Months::new(months))
}

/// Whether adding months to `date` hit a month too short for its day number.
pub(crate) fn was_clamped(from: NaiveDate, to: NaiveDate) -> bool {
    to.day() != from.day()
}

/// The years a date may be in: wide enough for any real request, narrow enough that
/// no arithmetic below can overflow.
pub(super) const YEARS: std::ops::RangeInclusive<i32> = 1970..=2200;

pub(super) fn out_of_range(field: &'static str) -> Error {
    Error::invalid(field, format!("must be a date between {} and {}", YEARS.start(), YEARS.end()))
}

pub(super) fn plus_days(d: NaiveDate, n: u32) -> Result<NaiveDate> {
    d.checked_add_days(Days::new(u64::from(n))).ok_or_else(|| out_of_range("received"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn months_clamp_to_the_last_day_of_a_short_month() {
        assert_eq!(add_months_clamped(d("2025-01-31"), 1), Some(d("2025-02-28")));
        assert_eq!(add_months_clamped(d("2024-01-31"), 1), Some(d("2024-02-29")));
        assert_eq!(add_months_clamped(d("2025-03-31"), 1), Some(d("2025-04-30")));
        assert_eq!(add_months_clamped(d("2025-11-30"), 3), Some(d("2026-02-28")));
        assert_eq!(add_months_clamped(d("2025-02-28"), 1), Some(d("2025-03-28")));
    }

    #[test]
    fn business_days_skip_weekends_and_holidays() {
        let cal = WorkingCalendar { holidays: HolidaySet::load("US", 2025..=2025).unwrap() };
        // Thu 26 Jun 2025 + 10 business days, Independence Day (Fri 4 Jul) skipped.
        assert_eq!(cal.add_business_days(d("2025-06-26"), 10), Some(d("2025-07-11")));
        assert_eq!(cal.sub_business_days(d("2025-07-11"), 10, d("2025-01-01")), d("2025-06-26"));
        assert_eq!(cal.sub_business_days(d("2025-01-03"), 10, d("2025-01-02")), d("2025-01-02"));
    }
}
