//! The little language public holidays are written in: a fixed date, a day
//! counted from Easter, the n-th weekday of a month, a one-off date, and what
//! happens when the day falls on a rest day (a substitute day, or the holiday
//! moves). The calendars in the sibling files are tables of these rules; the
//! mechanism that turns them into dates lives here.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// When a holiday falls in a given year.
#[derive(Debug, Clone, Copy)]
pub(crate) enum When {
    /// The same month and day every year.
    Fixed(u32, u32),
    /// Days after (or before, when negative) Western Easter Sunday.
    Easter(i64),
    /// Days after (or before) Orthodox Easter Sunday.
    Orthodox(i64),
    /// The n-th (1-based) given weekday of a month.
    Nth(u32, Weekday, u8),
    /// The last given weekday of a month.
    Last(u32, Weekday),
    /// The first given weekday on or after a month and day.
    OnOrAfter(u32, u32, Weekday),
    /// The last given weekday on or before a month and day.
    OnOrBefore(u32, u32, Weekday),
    /// A single date (a funeral, a coronation, an election).
    Once(i32, u32, u32),
    /// Anything else (an equinox), computed by a function.
    Computed(fn(i32) -> Option<NaiveDate>),
}

/// What happens when a holiday falls on a rest day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shift {
    /// Nothing: the holiday is lost to the weekend.
    None,
    /// Saturday or Sunday: a substitute day on the next weekday that is not already
    /// a holiday (UK Banking and Financial Dealings Act 1971 practice; Australia).
    WeekendToNextFree,
    /// Sunday: a substitute on the next day that is not already a holiday
    /// (South Africa Public Holidays Act s. 2(1); Japan's furikae kyūjitsu).
    SundayToNextFree,
    /// Saturday: the Friday before; Sunday: the Monday after (US 5 U.S.C. 6103(b)).
    NearestWeekday,
    /// Saturday or Sunday: a substitute on the Monday after (Latvia, Bulgaria).
    WeekendToMonday,
    /// Sunday: the Monday after is a holiday too, unless it already is one
    /// (Canada Interpretation Act s. 35(2); South Africa Public Holidays Act s. 2(1)).
    SundayAddsMonday,
    /// Sunday: the holiday itself moves to the Saturday before (King's Day, NL).
    MoveSundayToSaturday,
}

/// One holiday rule: its name, when it falls, the years it applies, and its shift.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rule {
    pub name: &'static str,
    pub when: When,
    pub from: i32,
    pub to: i32,
    pub shift: Shift,
    /// Announced but not yet proclaimed (an election day): listed and counted, its name
    /// marked [`EXPECTED`] so calendars and explanations say so.
    pub expected: bool,
}

/// The mark on the name of a holiday that is announced but not yet proclaimed.
pub const EXPECTED: &str = "(expected: announced, not yet proclaimed)";

impl Rule {
    pub const fn since(mut self, year: i32) -> Self {
        self.from = year;
        self
    }
    pub const fn until(mut self, year: i32) -> Self {
        self.to = year;
        self
    }
    pub const fn shift(mut self, shift: Shift) -> Self {
        self.shift = shift;
        self
    }
    pub const fn expected(mut self) -> Self {
        self.expected = true;
        self
    }
}

pub(crate) const fn rule(name: &'static str, when: When) -> Rule {
    Rule { name, when, from: i32::MIN, to: i32::MAX, shift: Shift::None, expected: false }
}
pub(crate) const fn fixed(name: &'static str, month: u32, day: u32) -> Rule {
    rule(name, When::Fixed(month, day))
}
pub(crate) const fn easter(name: &'static str, offset: i64) -> Rule {
    rule(name, When::Easter(offset))
}
pub(crate) const fn orthodox(name: &'static str, offset: i64) -> Rule {
    rule(name, When::Orthodox(offset))
}
pub(crate) const fn nth(name: &'static str, month: u32, weekday: Weekday, n: u8) -> Rule {
    rule(name, When::Nth(month, weekday, n))
}
pub(crate) const fn last(name: &'static str, month: u32, weekday: Weekday) -> Rule {
    rule(name, When::Last(month, weekday))
}
pub(crate) const fn once(name: &'static str, year: i32, month: u32, day: u32) -> Rule {
    Rule { name, when: When::Once(year, month, day), from: year, to: year, shift: Shift::None, expected: false }
}

/// Western (Gregorian) Easter Sunday: the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
pub fn western_easter(year: i32) -> Option<NaiveDate> {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

/// Orthodox Easter Sunday: Meeus's Julian algorithm, converted to the Gregorian
/// calendar (+13 days, valid 1900–2099).
pub fn orthodox_easter(year: i32) -> Option<NaiveDate> {
    let a = year.rem_euclid(4);
    let b = year.rem_euclid(7);
    let c = year.rem_euclid(19);
    let d = (19 * c + 15) % 30;
    let e = (2 * a + 4 * b - d + 34) % 7;
    let month = (d + e + 114) / 31;
    let day = (d + e + 114) % 31 + 1;
    let julian = NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)?;
    julian.checked_add_signed(Duration::days(13))
}

fn nth_weekday(year: i32, month: u32, weekday: Weekday, n: u8) -> Option<NaiveDate> {
    NaiveDate::from_weekday_of_month_opt(year, month, weekday, n)
}

fn last_weekday(year: i32, month: u32, weekday: Weekday) -> Option<NaiveDate> {
    let first_next =
        if month == 12 { NaiveDate::from_ymd_opt(year.checked_add(1)?, 1, 1)? } else { NaiveDate::from_ymd_opt(year, month + 1, 1)? };
    let mut d = first_next.pred_opt()?;
    while d.weekday() != weekday {
        d = d.pred_opt()?;
    }
    Some(d)
}

impl When {
    pub(crate) fn date_in(self, year: i32) -> Option<NaiveDate> {
        match self {
            When::Fixed(m, d) => NaiveDate::from_ymd_opt(year, m, d),
            When::Easter(off) => western_easter(year)?.checked_add_signed(Duration::days(off)),
            When::Orthodox(off) => orthodox_easter(year)?.checked_add_signed(Duration::days(off)),
            When::Nth(m, wd, n) => nth_weekday(year, m, wd, n),
            When::Last(m, wd) => last_weekday(year, m, wd),
            When::OnOrAfter(m, d, wd) => {
                let mut date = NaiveDate::from_ymd_opt(year, m, d)?;
                while date.weekday() != wd {
                    date = date.succ_opt()?;
                }
                Some(date)
            }
            When::OnOrBefore(m, d, wd) => {
                let mut date = NaiveDate::from_ymd_opt(year, m, d)?;
                while date.weekday() != wd {
                    date = date.pred_opt()?;
                }
                Some(date)
            }
            When::Once(y, m, d) => (y == year).then(|| NaiveDate::from_ymd_opt(y, m, d)).flatten(),
            When::Computed(f) => f(year),
        }
    }
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// A holiday in one year, before and after shifting.
#[derive(Debug, Clone)]
struct Occurrence {
    date: NaiveDate,
    name: String,
    shift: Shift,
}

/// Turns a table of rules into the holidays of one year, with substitute days.
///
/// Rules are evaluated for the year before and after too, so that a substitute
/// crossing New Year (US: 1 Jan on a Saturday is observed on 31 Dec) is found.
pub(crate) fn expand(rules: &[Rule], year: i32) -> Vec<(NaiveDate, String)> {
    let mut base: Vec<Occurrence> = Vec::new();
    for y in [year.saturating_sub(1), year, year.saturating_add(1)] {
        for r in rules.iter().filter(|r| r.from <= y && y <= r.to) {
            if let Some(date) = r.when.date_in(y) {
                let name = if r.expected { format!("{} {EXPECTED}", r.name) } else { r.name.to_string() };
                base.push(Occurrence { date, name, shift: r.shift });
            }
        }
    }
    base.sort_by_key(|o| o.date);
    let mut out: Vec<(NaiveDate, String)> = Vec::new();
    let mut taken: std::collections::BTreeSet<NaiveDate> = base.iter().map(|o| o.date).collect();
    for o in &base {
        match o.shift {
            Shift::MoveSundayToSaturday if o.date.weekday() == Weekday::Sun => {
                if let Some(d) = o.date.pred_opt() {
                    out.push((d, o.name.clone()));
                }
                continue;
            }
            _ => {}
        }
        out.push((o.date, o.name.clone()));
        let substitute = match o.shift {
            Shift::WeekendToNextFree if is_weekend(o.date) => next_free(o.date, &taken, true),
            Shift::SundayToNextFree if o.date.weekday() == Weekday::Sun => next_free(o.date, &taken, false),
            Shift::WeekendToMonday if is_weekend(o.date) => next_free(o.date, &taken, true),
            Shift::SundayAddsMonday if o.date.weekday() == Weekday::Sun => o.date.succ_opt().filter(|d| !taken.contains(d)),
            Shift::NearestWeekday => match o.date.weekday() {
                Weekday::Sat => o.date.pred_opt(),
                Weekday::Sun => o.date.succ_opt(),
                _ => None,
            },
            _ => None,
        };
        if let Some(d) = substitute {
            taken.insert(d);
            out.push((d, format!("{} (substitute day)", o.name)));
        }
    }
    let mut merged: Vec<(NaiveDate, String)> = Vec::new();
    out.sort_by_key(|(d, _)| *d);
    for (d, name) in out.into_iter().filter(|(d, _)| d.year() == year) {
        match merged.last_mut() {
            Some((last, names)) if *last == d => {
                if !names.split("; ").any(|n| n == name) {
                    names.push_str("; ");
                    names.push_str(&name);
                }
            }
            _ => merged.push((d, name)),
        }
    }
    merged
}

fn next_free(from: NaiveDate, taken: &std::collections::BTreeSet<NaiveDate>, skip_weekends: bool) -> Option<NaiveDate> {
    let mut d = from.succ_opt()?;
    while taken.contains(&d) || (skip_weekends && is_weekend(d)) || (!skip_weekends && d.weekday() == Weekday::Sun) {
        d = d.succ_opt()?;
    }
    Some(d)
}
