//! The deadline engine: which law applies, and by which date a request must be answered.
//!
//! Rules are data, one file per regime in `assets/regimes/` (periods, extension,
//! clock events, duties, each citing its source; read by `rules.rs`). Mechanisms
//! are code: the month rule, business days and rolling (`calendar.rs`), holiday
//! calendars (`holidays/`), the clock's start and pauses (`clock.rs`), the
//! statutory dates and the extension (`statutory.rs`), the organisation's promise
//! and target (`target.rs`), all driven by [`compute`] (`engine.rs`) and written up
//! step by step (`explain.rs`). `history.rs` describes what a recomputation changed.
//! Nothing here reads the clock or the database: `today` and the events are
//! inputs, so a schedule is a pure function of them.

mod calendar;
mod clock;
mod engine;
mod explain;
mod history;
mod holidays;
mod rules;
mod statutory;
mod target;

mod options;
pub use options::*;

pub use crate::domain::deadline::*;
pub use calendar::add_months_clamped;
pub use engine::{check_extension, compute};
pub use history::{date_changes, DateChange};
pub use holidays::{calendar_codes, has_calendar, holidays, Holiday, FIRST_YEAR, LAST_YEAR};

/// Every regime the engine knows, in a stable order (EU, UK, US, then the rest).
pub fn regimes() -> &'static [RegimeInfo] {
    &rules::loaded().infos
}

pub fn regime(id: &str) -> Option<&'static RegimeInfo> {
    regimes().iter().find(|r| r.id == id)
}

/// Whether a subject may make this type of request under the regime: opting
/// out of sale/sharing and limiting sensitive data exist only where a law
/// grants them (its `[[rights]]`).
pub fn regime_grants(id: &str, t: crate::domain::RequestType) -> bool {
    rules::rules_of(id).is_some_and(|(_, r)| r.grants(t))
}

/// The regimes under which this type of request may be made.
pub fn regimes_granting(t: crate::domain::RequestType) -> Vec<&'static str> {
    let l = rules::loaded();
    l.infos.iter().zip(&l.rules).filter(|(_, r)| r.grants(t)).map(|(i, _)| i.id.as_str()).collect()
}

pub fn regime_ids() -> Vec<&'static str> {
    regimes().iter().map(|r| r.id.as_str()).collect()
}

/// Holidays of a jurisdiction as [`Holiday`] values (for the UI).
pub fn holiday_list(jurisdiction: &str, year: i32) -> crate::Result<Vec<Holiday>> {
    Ok(holidays(jurisdiction, year)?
        .into_iter()
        .map(|(date, name)| Holiday { expected: name.contains(holidays::rule::EXPECTED), date, name })
        .collect())
}

/// `n` working days before `date` under the holiday calendar `calendar` (a
/// schedule's `calendar`), never before `floor`: a task's due date before the
/// internal target (`mailbox::owners`).
pub fn working_days_before(calendar: &str, date: chrono::NaiveDate, n: u32, floor: chrono::NaiveDate) -> crate::Result<chrono::NaiveDate> {
    use chrono::Datelike;
    let cal = calendar::WorkingCalendar { holidays: holidays::HolidaySet::load(calendar, date.year() - 1..=date.year())? };
    Ok(cal.sub_business_days(date, n, floor))
}

/// The `n`-th working day after `date` under the holiday calendar `calendar`.
pub fn working_days_after(calendar: &str, date: chrono::NaiveDate, n: u32) -> crate::Result<chrono::NaiveDate> {
    use chrono::Datelike;
    let cal = calendar::WorkingCalendar { holidays: holidays::HolidaySet::load(calendar, date.year()..=date.year() + 1)? };
    cal.add_business_days(date, n).ok_or_else(|| crate::Error::invalid("date", "is out of range"))
}
