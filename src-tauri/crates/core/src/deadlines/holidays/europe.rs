//! Public holidays of the EU Member States (national days; the German Länder,
//! with days such as Bavaria's Epiphany, are in `regions.rs`) and Switzerland's
//! federally recognised days. Each table cites the national law it follows
//! where it differs from the plain list.

use crate::deadlines::holidays::rule::*;
use chrono::Weekday::*;

pub(super) const NEW_YEAR: Rule = fixed("New Year's Day", 1, 1);
pub(super) const EPIPHANY: Rule = fixed("Epiphany", 1, 6);
pub(super) const GOOD_FRIDAY: Rule = easter("Good Friday", -2);
pub(super) const EASTER: Rule = easter("Easter Sunday", 0);
pub(super) const EASTER_MONDAY: Rule = easter("Easter Monday", 1);
pub(super) const MAY_DAY: Rule = fixed("Labour Day", 5, 1);
pub(super) const ASCENSION: Rule = easter("Ascension Day", 39);
pub(super) const WHIT_SUNDAY: Rule = easter("Whit Sunday", 49);
pub(super) const WHIT_MONDAY: Rule = easter("Whit Monday", 50);
pub(super) const CORPUS_CHRISTI: Rule = easter("Corpus Christi", 60);
pub(super) const ASSUMPTION: Rule = fixed("Assumption Day", 8, 15);
pub(super) const ALL_SAINTS: Rule = fixed("All Saints' Day", 11, 1);
pub(super) const IMMACULATE: Rule = fixed("Immaculate Conception", 12, 8);
const CHRISTMAS_EVE: Rule = fixed("Christmas Eve", 12, 24);
pub(super) const CHRISTMAS: Rule = fixed("Christmas Day", 12, 25);
pub(super) const ST_STEPHEN: Rule = fixed("Second Day of Christmas", 12, 26);

/// Austria: Feiertagsruhegesetz 1957 § 1.
pub(crate) const AT: &[Rule] = &[
    NEW_YEAR,
    EPIPHANY,
    EASTER_MONDAY,
    MAY_DAY,
    ASCENSION,
    WHIT_MONDAY,
    CORPUS_CHRISTI,
    ASSUMPTION,
    fixed("National Day", 10, 26),
    ALL_SAINTS,
    IMMACULATE,
    CHRISTMAS,
    ST_STEPHEN,
];

/// Belgium: Royal Decree of 18 April 1974.
pub(crate) const BE: &[Rule] = &[
    NEW_YEAR,
    EASTER,
    EASTER_MONDAY,
    MAY_DAY,
    ASCENSION,
    WHIT_SUNDAY,
    WHIT_MONDAY,
    fixed("National Day", 7, 21),
    ASSUMPTION,
    ALL_SAINTS,
    fixed("Armistice Day", 11, 11),
    CHRISTMAS,
];

/// Bulgaria: Labour Code Art. 154; a holiday on a weekend gives the next working day off
/// (Art. 154(2)), except the Easter days.
pub(crate) const BG: &[Rule] = &[
    NEW_YEAR.shift(Shift::WeekendToMonday),
    fixed("Liberation Day", 3, 3).shift(Shift::WeekendToMonday),
    orthodox("Good Friday", -2),
    orthodox("Holy Saturday", -1),
    orthodox("Easter", 0),
    orthodox("Easter Monday", 1),
    MAY_DAY.shift(Shift::WeekendToMonday),
    fixed("Saint George's Day", 5, 6).shift(Shift::WeekendToMonday),
    fixed("Day of Slavonic Alphabet", 5, 24).shift(Shift::WeekendToMonday),
    fixed("Unification Day", 9, 6).shift(Shift::WeekendToMonday),
    fixed("Independence Day", 9, 22).shift(Shift::WeekendToMonday),
    CHRISTMAS_EVE.shift(Shift::WeekendToMonday),
    CHRISTMAS.shift(Shift::WeekendToMonday),
    ST_STEPHEN.shift(Shift::WeekendToMonday),
];

/// Croatia: Act on Holidays (NN 110/2019 changed Statehood Day and added Remembrance Day from 2020).
pub(crate) const HR: &[Rule] = &[
    NEW_YEAR,
    EPIPHANY,
    EASTER,
    EASTER_MONDAY,
    MAY_DAY,
    CORPUS_CHRISTI,
    fixed("Statehood Day", 6, 25).until(2019),
    fixed("Statehood Day", 5, 30).since(2020),
    fixed("Anti-Fascist Struggle Day", 6, 22),
    fixed("Victory and Homeland Thanksgiving Day", 8, 5),
    ASSUMPTION,
    fixed("Independence Day", 10, 8).until(2019),
    ALL_SAINTS,
    fixed("Remembrance Day", 11, 18).since(2020),
    CHRISTMAS,
    ST_STEPHEN,
];

/// Cyprus: public holidays per the Public Holidays Law (Orthodox Easter cycle).
pub(crate) const CY: &[Rule] = &[
    NEW_YEAR,
    EPIPHANY,
    orthodox("Green Monday", -48),
    fixed("Greek Independence Day", 3, 25),
    fixed("Cyprus National Day", 4, 1),
    orthodox("Good Friday", -2),
    orthodox("Easter Sunday", 0),
    orthodox("Easter Monday", 1),
    MAY_DAY,
    orthodox("Pentecost Monday", 50),
    ASSUMPTION,
    fixed("Cyprus Independence Day", 10, 1),
    fixed("Ohi Day", 10, 28),
    CHRISTMAS,
    fixed("Day After Christmas", 12, 26),
];

/// Czechia: Act No. 245/2000 Coll. (Good Friday since 2016).
pub(crate) const CZ: &[Rule] = &[
    NEW_YEAR,
    GOOD_FRIDAY.since(2016),
    EASTER_MONDAY,
    MAY_DAY,
    fixed("Victory Day", 5, 8),
    fixed("Saints Cyril and Methodius Day", 7, 5),
    fixed("Jan Hus Day", 7, 6),
    fixed("Statehood Day", 9, 28),
    fixed("Independent Czechoslovak State Day", 10, 28),
    fixed("Struggle for Freedom and Democracy Day", 11, 17),
    CHRISTMAS_EVE,
    CHRISTMAS,
    ST_STEPHEN,
];

/// Denmark: Great Prayer Day abolished from 2024 (Act No. 151 of 2023).
pub(crate) const DK: &[Rule] = &[
    NEW_YEAR,
    easter("Maundy Thursday", -3),
    GOOD_FRIDAY,
    EASTER,
    EASTER_MONDAY,
    easter("Great Prayer Day", 26).until(2023),
    ASCENSION,
    WHIT_SUNDAY,
    WHIT_MONDAY,
    CHRISTMAS,
    ST_STEPHEN,
];

/// Estonia: Public Holidays and Days of National Importance Act § 2.
pub(crate) const EE: &[Rule] = &[
    NEW_YEAR,
    fixed("Independence Day", 2, 24),
    GOOD_FRIDAY,
    EASTER,
    MAY_DAY,
    WHIT_SUNDAY,
    fixed("Victory Day", 6, 23),
    fixed("Midsummer Day", 6, 24),
    fixed("Independence Restoration Day", 8, 20),
    CHRISTMAS_EVE,
    CHRISTMAS,
    ST_STEPHEN,
];

/// Finland: Midsummer and All Saints' fall on Saturdays (Act 1966/582).
pub(crate) const FI: &[Rule] = &[
    NEW_YEAR,
    EPIPHANY,
    GOOD_FRIDAY,
    EASTER,
    EASTER_MONDAY,
    MAY_DAY,
    ASCENSION,
    WHIT_SUNDAY,
    rule("Midsummer Eve", When::OnOrAfter(6, 19, Fri)),
    rule("Midsummer Day", When::OnOrAfter(6, 20, Sat)),
    rule("All Saints' Day", When::OnOrAfter(10, 31, Sat)),
    fixed("Independence Day", 12, 6),
    CHRISTMAS_EVE,
    CHRISTMAS,
    ST_STEPHEN,
];

/// France: Code du travail Art. L3133-1 (metropolitan list).
pub(crate) const FR: &[Rule] = &[
    NEW_YEAR,
    EASTER_MONDAY,
    MAY_DAY,
    fixed("Victory Day", 5, 8),
    ASCENSION,
    WHIT_MONDAY,
    fixed("National Day", 7, 14),
    ASSUMPTION,
    ALL_SAINTS,
    fixed("Armistice Day", 11, 11),
    CHRISTMAS,
];

/// Germany: the nationwide days (Einigungsvertrag Art. 2(2) and the Länder laws they share).
pub(crate) const DE: &[Rule] = &[
    NEW_YEAR,
    GOOD_FRIDAY,
    EASTER_MONDAY,
    MAY_DAY,
    ASCENSION,
    WHIT_MONDAY,
    fixed("German Unity Day", 10, 3),
    once("Reformation Day (500th anniversary)", 2017, 10, 31),
    CHRISTMAS,
    ST_STEPHEN,
];

/// Greece: Orthodox Easter cycle; Labour Day is sometimes moved by ministerial decision.
pub(crate) const GR: &[Rule] = &[
    NEW_YEAR,
    EPIPHANY,
    orthodox("Green Monday", -48),
    fixed("Independence Day", 3, 25),
    orthodox("Good Friday", -2),
    orthodox("Easter Monday", 1),
    MAY_DAY,
    orthodox("Pentecost Monday", 50),
    fixed("Dormition of the Mother of God", 8, 15),
    fixed("Ohi Day", 10, 28),
    CHRISTMAS,
    fixed("Glorifying Mother of God", 12, 26),
];

/// Hungary: Labour Code s. 102(1) (Good Friday since 2017; Christmas Eve since 2026). Government decrees also
/// swap working days each year (bridge days); those are one-offs in the allow-list.
pub(crate) const HU: &[Rule] = &[
    NEW_YEAR,
    fixed("National Day", 3, 15),
    GOOD_FRIDAY.since(2017),
    EASTER,
    EASTER_MONDAY,
    MAY_DAY,
    WHIT_SUNDAY,
    WHIT_MONDAY,
    fixed("State Foundation Day", 8, 20),
    fixed("National Day", 10, 23),
    ALL_SAINTS,
    CHRISTMAS_EVE.since(2026),
    CHRISTMAS,
    ST_STEPHEN,
];

/// Ireland: Organisation of Working Time Act 1997 Sch. 2; St Brigid's Day since 2023.
pub(crate) const IE: &[Rule] = &[
    NEW_YEAR,
    rule("Saint Brigid's Day", When::Computed(st_brigid)).since(2023),
    once("Day of Remembrance and Recognition", 2022, 3, 18),
    fixed("Saint Patrick's Day", 3, 17),
    EASTER_MONDAY,
    nth("May Bank Holiday", 5, Mon, 1),
    nth("June Bank Holiday", 6, Mon, 1),
    nth("August Bank Holiday", 8, Mon, 1),
    last("October Bank Holiday", 10, Mon),
    CHRISTMAS,
    fixed("Saint Stephen's Day", 12, 26),
];

/// The first Monday in February, or 1 February when that is a Friday (S.I. 2022 amendment).
fn st_brigid(year: i32) -> Option<chrono::NaiveDate> {
    use chrono::Datelike;
    let first = chrono::NaiveDate::from_ymd_opt(year, 2, 1)?;
    if first.weekday() == Fri {
        Some(first)
    } else {
        chrono::NaiveDate::from_weekday_of_month_opt(year, 2, Mon, 1)
    }
}

/// Italy: Law 260/1949 as amended; St Francis (4 Oct) restored from 2026 (Law 151/2025).
pub(crate) const IT: &[Rule] = &[
    NEW_YEAR,
    EPIPHANY,
    EASTER,
    EASTER_MONDAY,
    fixed("Liberation Day", 4, 25),
    MAY_DAY,
    fixed("Republic Day", 6, 2),
    ASSUMPTION,
    fixed("Saint Francis of Assisi", 10, 4).since(2026),
    ALL_SAINTS,
    IMMACULATE,
    CHRISTMAS,
    ST_STEPHEN,
];

/// Latvia: Law on Public Holidays; 4 May and 18 Nov on a weekend give the next Monday.
pub(crate) const LV: &[Rule] = &[
    NEW_YEAR,
    GOOD_FRIDAY,
    EASTER,
    EASTER_MONDAY,
    MAY_DAY,
    fixed("Restoration of Independence Day", 5, 4).shift(Shift::WeekendToMonday),
    nth("Mother's Day", 5, Sun, 2),
    WHIT_SUNDAY,
    fixed("Midsummer Eve", 6, 23),
    fixed("Midsummer Day", 6, 24),
    fixed("Republic of Latvia Proclamation Day", 11, 18).shift(Shift::WeekendToMonday),
    CHRISTMAS_EVE,
    CHRISTMAS,
    ST_STEPHEN,
    fixed("New Year's Eve", 12, 31),
];

/// Lithuania: Labour Code Art. 123 (All Souls' Day since 2020).
pub(crate) const LT: &[Rule] = &[
    NEW_YEAR,
    fixed("Day of Restoration of the State", 2, 16),
    fixed("Day of Restoration of Independence", 3, 11),
    EASTER,
    EASTER_MONDAY,
    MAY_DAY,
    nth("Mother's Day", 5, Sun, 1),
    nth("Father's Day", 6, Sun, 1),
    fixed("Saint John's Day", 6, 24),
    fixed("Statehood Day", 7, 6),
    ASSUMPTION,
    ALL_SAINTS,
    fixed("All Souls' Day", 11, 2).since(2020),
    CHRISTMAS_EVE,
    CHRISTMAS,
    ST_STEPHEN,
];

/// Luxembourg: Labour Code Art. L.232-2 (Europe Day since 2019).
pub(crate) const LU: &[Rule] = &[
    NEW_YEAR,
    EASTER_MONDAY,
    MAY_DAY,
    fixed("Europe Day", 5, 9).since(2019),
    ASCENSION,
    WHIT_MONDAY,
    fixed("National Day", 6, 23),
    ASSUMPTION,
    ALL_SAINTS,
    CHRISTMAS,
    ST_STEPHEN,
];

/// Malta: National Holidays and Other Public Holidays Act (Cap. 252).
pub(crate) const MT: &[Rule] = &[
    NEW_YEAR,
    fixed("Feast of Saint Paul's Shipwreck", 2, 10),
    fixed("Feast of Saint Joseph", 3, 19),
    fixed("Freedom Day", 3, 31),
    GOOD_FRIDAY,
    MAY_DAY,
    fixed("Sette Giugno", 6, 7),
    fixed("Feast of Saint Peter and Saint Paul", 6, 29),
    ASSUMPTION,
    fixed("Feast of Our Lady of Victories", 9, 8),
    fixed("Independence Day", 9, 21),
    IMMACULATE,
    fixed("Republic Day", 12, 13),
    CHRISTMAS,
];

/// Netherlands: Algemene termijnenwet Art. 3 (the days that extend statutory periods).
/// King's Day on a Sunday moves to the Saturday before.
pub(crate) const NL: &[Rule] = &[
    NEW_YEAR,
    GOOD_FRIDAY,
    EASTER,
    EASTER_MONDAY,
    fixed("King's Day", 4, 27).shift(Shift::MoveSundayToSaturday),
    fixed("Liberation Day", 5, 5),
    ASCENSION,
    WHIT_SUNDAY,
    WHIT_MONDAY,
    CHRISTMAS,
    ST_STEPHEN,
];

/// Poland: Act of 18 January 1951 on non-working days (Christmas Eve since 2025).
pub(crate) const PL: &[Rule] = &[
    NEW_YEAR,
    EPIPHANY,
    EASTER,
    EASTER_MONDAY,
    MAY_DAY,
    fixed("Constitution Day", 5, 3),
    WHIT_SUNDAY,
    CORPUS_CHRISTI,
    ASSUMPTION,
    ALL_SAINTS,
    fixed("National Independence Day", 11, 11),
    once("National Independence Day (100th anniversary)", 2018, 11, 12),
    CHRISTMAS_EVE.since(2025),
    CHRISTMAS,
    ST_STEPHEN,
];

/// Portugal: Labour Code Art. 234 (four days restored from 2016 by Law 8/2016).
pub(crate) const PT: &[Rule] = &[
    NEW_YEAR,
    GOOD_FRIDAY,
    EASTER,
    fixed("Freedom Day", 4, 25),
    MAY_DAY,
    CORPUS_CHRISTI.since(2016),
    fixed("Portugal Day", 6, 10),
    ASSUMPTION,
    fixed("Republic Day", 10, 5).since(2016),
    ALL_SAINTS.since(2016),
    fixed("Restoration of Independence Day", 12, 1).since(2016),
    IMMACULATE,
    CHRISTMAS,
];

/// Romania: Labour Code Art. 139 as amended (Good Friday 2018, Children's Day 2017, Epiphany and St John 2024).
pub(crate) const RO: &[Rule] = &[
    NEW_YEAR,
    fixed("New Year's Day", 1, 2),
    fixed("Epiphany", 1, 6).since(2024),
    fixed("Saint John the Baptist", 1, 7).since(2024),
    fixed("Unification Day", 1, 24).since(2017),
    orthodox("Good Friday", -2).since(2018),
    orthodox("Easter", 0),
    orthodox("Easter Monday", 1),
    MAY_DAY,
    fixed("Children's Day", 6, 1).since(2017),
    orthodox("Pentecost", 49),
    orthodox("Pentecost Monday", 50),
    ASSUMPTION,
    fixed("Saint Andrew's Day", 11, 30),
    fixed("National Day", 12, 1),
    CHRISTMAS,
    fixed("Christmas Day", 12, 26),
];

/// Slovakia: Act No. 241/1993 Coll. as amended by the 2024 consolidation package
/// (Constitution Day no longer a day off from 2024, 17 Nov from 2025; 8 May and 15 Sept
/// suspended for 2026 only).
pub(crate) const SK: &[Rule] = &[
    NEW_YEAR,
    EPIPHANY,
    GOOD_FRIDAY,
    EASTER_MONDAY,
    MAY_DAY,
    fixed("Victory Day", 5, 8).until(2025),
    fixed("Victory Day", 5, 8).since(2027),
    fixed("Saints Cyril and Methodius Day", 7, 5),
    fixed("Slovak National Uprising Anniversary", 8, 29),
    fixed("Constitution Day", 9, 1).until(2023),
    fixed("Our Lady of Seven Sorrows", 9, 15).until(2025),
    fixed("Our Lady of Seven Sorrows", 9, 15).since(2027),
    once("Declaration of the Slovak Nation (100th anniversary)", 2018, 10, 30),
    ALL_SAINTS,
    fixed("Struggle for Freedom and Democracy Day", 11, 17).until(2024),
    CHRISTMAS_EVE,
    CHRISTMAS,
    ST_STEPHEN,
];

/// Slovenia: Public Holidays and Days Off Act (2 January a day off again since 2017).
pub(crate) const SI: &[Rule] = &[
    NEW_YEAR,
    fixed("New Year's Day", 1, 2).since(2017),
    fixed("Prešeren Day", 2, 8),
    EASTER,
    EASTER_MONDAY,
    fixed("Day of Uprising Against Occupation", 4, 27),
    MAY_DAY,
    fixed("Labour Day", 5, 2),
    WHIT_SUNDAY,
    fixed("Statehood Day", 6, 25),
    once("Solidarity Day", 2023, 8, 14),
    ASSUMPTION,
    fixed("Reformation Day", 10, 31),
    fixed("Day of Remembrance for the Dead", 11, 1),
    CHRISTMAS,
    fixed("Independence and Unity Day", 12, 26),
];

/// Spain: the national days common to all regions (Real Decreto 2001/1983 Art. 45);
/// the yearly resolution adds regional and moved days, not included here.
pub(crate) const ES: &[Rule] = &[
    NEW_YEAR,
    EPIPHANY,
    GOOD_FRIDAY,
    MAY_DAY,
    ASSUMPTION,
    fixed("National Day", 10, 12),
    ALL_SAINTS,
    fixed("Constitution Day", 12, 6),
    IMMACULATE,
    CHRISTMAS,
];

/// Sweden: Act 1989:253 on public holidays (Midsummer Day and All Saints' on Saturdays).
pub(crate) const SE: &[Rule] = &[
    NEW_YEAR,
    EPIPHANY,
    GOOD_FRIDAY,
    EASTER,
    EASTER_MONDAY,
    MAY_DAY,
    ASCENSION,
    WHIT_SUNDAY,
    fixed("National Day", 6, 6),
    rule("Midsummer Day", When::OnOrAfter(6, 20, Sat)),
    rule("All Saints' Day", When::OnOrAfter(10, 31, Sat)),
    CHRISTMAS,
    ST_STEPHEN,
];

/// Switzerland: only 1 August is a federal holiday (Federal Constitution Art. 110(3));
/// the other days are cantonal. The national list here is the days common to all cantons.
pub(crate) const CH: &[Rule] = &[NEW_YEAR, ASCENSION, fixed("National Day", 8, 1), CHRISTMAS];
