//! UK bank holidays by nation (Banking and Financial Dealings Act 1971 Sch. 1,
//! the St Andrew's Day Bank Holiday (Scotland) Act 2007, and royal
//! proclamations). A holiday on a weekend gives a substitute weekday
//! ("28 Dec 2026 in England": Boxing Day falls on a Saturday).

use crate::deadlines::holidays::rule::*;
use chrono::{NaiveDate, Weekday::*};

const SUB: Shift = Shift::WeekendToNextFree;

/// The first Monday of May, except 2020 when it moved to Friday 8 May (VE Day 75).
fn early_may(year: i32) -> Option<NaiveDate> {
    if year == 2020 {
        return NaiveDate::from_ymd_opt(2020, 5, 8);
    }
    NaiveDate::from_weekday_of_month_opt(year, 5, Mon, 1)
}

/// The last Monday of May, except 2022 when it moved to Thursday 2 June (Platinum Jubilee).
fn spring(year: i32) -> Option<NaiveDate> {
    if year == 2022 {
        return NaiveDate::from_ymd_opt(2022, 6, 2);
    }
    When::Last(5, Mon).date_in(year)
}

const ROYAL: [Rule; 3] = [
    once("Platinum Jubilee", 2022, 6, 3),
    once("State Funeral of Queen Elizabeth II", 2022, 9, 19),
    once("Coronation of King Charles III", 2023, 5, 8),
];

/// England and Wales (the same list).
pub(crate) const ENG: &[Rule] = &[
    fixed("New Year's Day", 1, 1).shift(SUB),
    easter("Good Friday", -2),
    easter("Easter Monday", 1),
    rule("Early May Bank Holiday", When::Computed(early_may)),
    rule("Spring Bank Holiday", When::Computed(spring)),
    last("Summer Bank Holiday", 8, Mon),
    fixed("Christmas Day", 12, 25).shift(SUB),
    fixed("Boxing Day", 12, 26).shift(SUB),
    ROYAL[0],
    ROYAL[1],
    ROYAL[2],
];

/// Scotland: 2 January and St Andrew's Day; the summer holiday is the first Monday of August; no Easter Monday.
pub(crate) const SCT: &[Rule] = &[
    fixed("New Year's Day", 1, 1).shift(SUB),
    fixed("2nd January", 1, 2).shift(SUB),
    easter("Good Friday", -2),
    rule("Early May Bank Holiday", When::Computed(early_may)),
    rule("Spring Bank Holiday", When::Computed(spring)),
    once("Scotland's participation in the FIFA World Cup", 2026, 6, 15),
    nth("Summer Bank Holiday", 8, Mon, 1),
    fixed("Saint Andrew's Day", 11, 30).shift(SUB),
    fixed("Christmas Day", 12, 25).shift(SUB),
    fixed("Boxing Day", 12, 26).shift(SUB),
    ROYAL[0],
    ROYAL[1],
    ROYAL[2],
];

/// Northern Ireland: England's list plus St Patrick's Day and the Battle of the Boyne.
pub(crate) const NIR: &[Rule] = &[
    fixed("New Year's Day", 1, 1).shift(SUB),
    fixed("Saint Patrick's Day", 3, 17).shift(SUB),
    easter("Good Friday", -2),
    easter("Easter Monday", 1),
    rule("Early May Bank Holiday", When::Computed(early_may)),
    rule("Spring Bank Holiday", When::Computed(spring)),
    fixed("Battle of the Boyne", 7, 12).shift(SUB),
    last("Summer Bank Holiday", 8, Mon),
    fixed("Christmas Day", 12, 25).shift(SUB),
    fixed("Boxing Day", 12, 26).shift(SUB),
    ROYAL[0],
    ROYAL[1],
    ROYAL[2],
];
