//! United States (federal and California), Canada (federal and Québec) and Brazil.

use crate::deadlines::holidays::rule::*;
use chrono::Weekday::*;

const OBS: Shift = Shift::NearestWeekday;

/// US federal holidays: 5 U.S.C. 6103(a); Saturday → Friday, Sunday → Monday (6103(b)).
pub(crate) const US: &[Rule] = &[
    fixed("New Year's Day", 1, 1).shift(OBS),
    nth("Martin Luther King Jr. Day", 1, Mon, 3),
    nth("Washington's Birthday", 2, Mon, 3),
    last("Memorial Day", 5, Mon),
    fixed("Juneteenth National Independence Day", 6, 19).since(2021).shift(OBS),
    fixed("Independence Day", 7, 4).shift(OBS),
    nth("Labor Day", 9, Mon, 1),
    nth("Columbus Day", 10, Mon, 2),
    fixed("Veterans Day", 11, 11).shift(OBS),
    nth("Thanksgiving Day", 11, Thu, 4),
    fixed("Christmas Day", 12, 25).shift(OBS),
];

/// California state holidays: Gov. Code § 6700 and § 19853 as observed by state offices
/// (Lincoln's Birthday and Columbus Day have not been paid state holidays since 2009;
/// Juneteenth is not a state-office closure but is kept for the federal courts' calendar).
pub(crate) const US_CA: &[Rule] = &[
    fixed("New Year's Day", 1, 1).shift(OBS),
    nth("Martin Luther King Jr. Day", 1, Mon, 3),
    nth("Presidents' Day", 2, Mon, 3),
    fixed("Cesar Chavez Day", 3, 31).shift(Shift::SundayAddsMonday),
    last("Memorial Day", 5, Mon),
    fixed("Juneteenth National Independence Day", 6, 19).since(2021).shift(OBS),
    fixed("Independence Day", 7, 4).shift(OBS),
    nth("Labor Day", 9, Mon, 1),
    fixed("Veterans Day", 11, 11).shift(OBS),
    nth("Thanksgiving Day", 11, Thu, 4),
    rule("Day After Thanksgiving", When::Computed(day_after_thanksgiving)),
    fixed("Christmas Day", 12, 25).shift(OBS),
];

/// Canada, federal: the holidays of the Interpretation Act s. 35(1) (which also counts
/// every Sunday as a holiday) and the Canada Labour Code s. 166 — the days that move a
/// federal statutory deadline such as PIPEDA's 30 days. New Year's Day, Canada Day,
/// Remembrance Day and 30 September on a Sunday also give the Monday (s. 35(2)).
pub(crate) const CA: &[Rule] = &[
    fixed("New Year's Day", 1, 1).shift(Shift::SundayAddsMonday),
    easter("Good Friday", -2),
    easter("Easter Monday", 1),
    rule("Victoria Day", When::OnOrBefore(5, 24, Mon)),
    fixed("Canada Day", 7, 1).shift(Shift::SundayAddsMonday),
    nth("Labour Day", 9, Mon, 1),
    fixed("National Day for Truth and Reconciliation", 9, 30).since(2021).shift(Shift::SundayAddsMonday),
    nth("Thanksgiving Day", 10, Mon, 2),
    fixed("Remembrance Day", 11, 11).shift(Shift::SundayAddsMonday),
    fixed("Christmas Day", 12, 25),
    fixed("Boxing Day", 12, 26),
];

/// Québec: Act respecting labour standards s. 60 and the National Holiday Act (24 June;
/// 25 June too when the 24th is a Sunday).
pub(crate) const CA_QC: &[Rule] = &[
    fixed("New Year's Day", 1, 1),
    easter("Good Friday", -2),
    // Interpretation Act (CQLR c. I-16) s. 61(23): Easter Monday is a holiday for Québec time limits.
    easter("Easter Monday", 1),
    rule("National Patriots' Day", When::OnOrBefore(5, 24, Mon)),
    fixed("Fête nationale du Québec", 6, 24).shift(Shift::SundayAddsMonday),
    fixed("Canada Day", 7, 1).shift(Shift::SundayAddsMonday),
    nth("Labour Day", 9, Mon, 1),
    nth("Thanksgiving Day", 10, Mon, 2),
    fixed("Christmas Day", 12, 25),
];

/// Brazil: national holidays (Law 662/1949, Law 6.802/1980, Law 14.759/2023 for 20 Nov from 2024).
pub(crate) const BR: &[Rule] = &[
    fixed("Universal Fraternization Day", 1, 1),
    easter("Good Friday", -2),
    fixed("Tiradentes' Day", 4, 21),
    fixed("Worker's Day", 5, 1),
    fixed("Independence Day", 9, 7),
    fixed("Our Lady of Aparecida", 10, 12),
    fixed("All Souls' Day", 11, 2),
    fixed("Republic Proclamation Day", 11, 15),
    fixed("National Day of Zumbi and Black Awareness", 11, 20).since(2024),
    fixed("Christmas Day", 12, 25),
];

/// The Friday after the fourth Thursday of November (Gov. Code § 19853).
fn day_after_thanksgiving(year: i32) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::from_weekday_of_month_opt(year, 11, Thu, 4)?.succ_opt()
}
