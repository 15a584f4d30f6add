//! South Africa, Australia and Japan (Singapore's table is in `sg.rs`).

use crate::deadlines::holidays::rule::*;
use chrono::{Datelike, NaiveDate, Weekday::*};

const ZA_SUB: Shift = Shift::SundayAddsMonday;

/// South Africa: Public Holidays Act 36 of 1994, Schedule 1; a Sunday holiday gives the
/// Monday (s. 2(1)). Election days and the 2023 Rugby World Cup day were proclaimed under s. 2A.
pub(crate) const ZA: &[Rule] = &[
    fixed("New Year's Day", 1, 1).shift(ZA_SUB),
    fixed("Human Rights Day", 3, 21).shift(ZA_SUB),
    easter("Good Friday", -2),
    easter("Family Day", 1),
    fixed("Freedom Day", 4, 27).shift(ZA_SUB),
    fixed("Workers' Day", 5, 1).shift(ZA_SUB),
    fixed("Youth Day", 6, 16).shift(ZA_SUB),
    fixed("National Women's Day", 8, 9).shift(ZA_SUB),
    fixed("Heritage Day", 9, 24).shift(ZA_SUB),
    fixed("Day of Reconciliation", 12, 16).shift(ZA_SUB),
    fixed("Christmas Day", 12, 25).shift(ZA_SUB),
    fixed("Day of Goodwill", 12, 26).shift(ZA_SUB),
    once("Local Government Elections", 2016, 8, 3),
    once("Public Holiday by Presidential Decree", 2016, 12, 27),
    once("Public Holiday by Presidential Decree", 2022, 12, 27),
    once("National and Provincial Elections", 2019, 5, 8),
    once("Local Government Elections", 2021, 11, 1),
    once("Rugby World Cup victory", 2023, 12, 15),
    once("National and Provincial Elections", 2024, 5, 29),
    // The date announced for the 2026 local government elections; not yet proclaimed under s. 2A.
    once("Local Government Elections", 2026, 11, 4).expected(),
];

const AU_SUB: Shift = Shift::WeekendToNextFree;

/// Australia: the days that are public holidays in every state and territory
/// (Fair Work Act 2009 s. 115(1)(a)), with the substitute days they share.
pub(crate) const AU: &[Rule] = &[
    fixed("New Year's Day", 1, 1).shift(AU_SUB),
    fixed("Australia Day", 1, 26).shift(AU_SUB),
    easter("Good Friday", -2),
    easter("Easter Monday", 1),
    fixed("ANZAC Day", 4, 25),
    once("National Day of Mourning for Queen Elizabeth II", 2022, 9, 22),
    fixed("Christmas Day", 12, 25).shift(AU_SUB),
    fixed("Boxing Day", 12, 26).shift(AU_SUB),
];

/// The vernal equinox day: the Cabinet Office announces it a year ahead from the
/// astronomical equinox; this is the standard approximation for 1980–2099.
fn vernal_equinox(year: i32) -> Option<NaiveDate> {
    let n = f64::from(year - 1980);
    let day = (20.8431 + 0.242194 * n).floor() as i32 - (year - 1980).div_euclid(4);
    NaiveDate::from_ymd_opt(year, 3, u32::try_from(day).ok()?)
}

fn autumnal_equinox(year: i32) -> Option<NaiveDate> {
    let n = f64::from(year - 1980);
    let day = (23.2488 + 0.242194 * n).floor() as i32 - (year - 1980).div_euclid(4);
    NaiveDate::from_ymd_opt(year, 9, u32::try_from(day).ok()?)
}

/// Marine Day, Sports Day and Mountain Day were moved for the Tokyo Olympics
/// (Act on Special Measures for the 2020 Games, as amended for 2021).
fn marine_day(year: i32) -> Option<NaiveDate> {
    match year {
        2020 => NaiveDate::from_ymd_opt(2020, 7, 23),
        2021 => NaiveDate::from_ymd_opt(2021, 7, 22),
        _ => NaiveDate::from_weekday_of_month_opt(year, 7, Mon, 3),
    }
}

fn sports_day(year: i32) -> Option<NaiveDate> {
    match year {
        2020 => NaiveDate::from_ymd_opt(2020, 7, 24),
        2021 => NaiveDate::from_ymd_opt(2021, 7, 23),
        _ => NaiveDate::from_weekday_of_month_opt(year, 10, Mon, 2),
    }
}

fn mountain_day(year: i32) -> Option<NaiveDate> {
    match year {
        2020 => NaiveDate::from_ymd_opt(2020, 8, 10),
        2021 => NaiveDate::from_ymd_opt(2021, 8, 8),
        _ => NaiveDate::from_ymd_opt(year, 8, 11),
    }
}

const JP_SUB: Shift = Shift::SundayToNextFree;

/// Japan: Act on National Holidays (Act No. 178 of 1948) as amended. A Sunday holiday
/// gives the next non-holiday (Art. 3(2)); a day between two holidays is a holiday
/// (Art. 3(3), applied in [`jp_citizens_holidays`]).
pub(crate) const JP: &[Rule] = &[
    fixed("New Year's Day", 1, 1).shift(JP_SUB),
    nth("Coming of Age Day", 1, Mon, 2),
    fixed("Foundation Day", 2, 11).shift(JP_SUB),
    fixed("Emperor's Birthday", 2, 23).since(2020).shift(JP_SUB),
    rule("Vernal Equinox Day", When::Computed(vernal_equinox)).shift(JP_SUB),
    fixed("Showa Day", 4, 29).shift(JP_SUB),
    once("National Holiday", 2019, 4, 30),
    once("Enthronement Day", 2019, 5, 1),
    once("National Holiday", 2019, 5, 2),
    fixed("Constitution Day", 5, 3).shift(JP_SUB),
    fixed("Greenery Day", 5, 4).shift(JP_SUB),
    fixed("Children's Day", 5, 5).shift(JP_SUB),
    rule("Marine Day", When::Computed(marine_day)),
    rule("Mountain Day", When::Computed(mountain_day)).since(2016).shift(JP_SUB),
    nth("Respect for the Aged Day", 9, Mon, 3),
    rule("Autumnal Equinox Day", When::Computed(autumnal_equinox)).shift(JP_SUB),
    rule("Sports Day", When::Computed(sports_day)),
    once("Enthronement Ceremony Day", 2019, 10, 22),
    fixed("Culture Day", 11, 3).shift(JP_SUB),
    fixed("Labor Thanksgiving Day", 11, 23).shift(JP_SUB),
    fixed("Emperor's Birthday", 12, 23).until(2018).shift(JP_SUB),
];

/// Art. 3(3): a day (other than a Sunday) whose neighbours are both national holidays.
pub(crate) fn jp_citizens_holidays(list: &mut Vec<(NaiveDate, String)>) {
    let dates: std::collections::BTreeSet<NaiveDate> = list.iter().map(|(d, _)| *d).collect();
    let mut extra = Vec::new();
    for d in &dates {
        let (Some(mid), Some(after)) = (d.succ_opt(), d.succ_opt().and_then(|m| m.succ_opt())) else { continue };
        if !dates.contains(&mid) && dates.contains(&after) && mid.weekday() != Sun {
            extra.push((mid, "National Holiday".to_string()));
        }
    }
    list.extend(extra);
    list.sort_by_key(|(d, _)| *d);
}
