//! Subdivision calendars (ISO 3166-2): the German Länder, each the national
//! days of `europe::DE` plus the Land's own, and the EEA states outside the EU
//! that apply the GDPR (Norway, Iceland, Liechtenstein), the Austrian Länder (whose
//! statutory rest days are the federal ones) and the Swiss cantons.

use crate::deadlines::holidays::europe::{
    ALL_SAINTS, ASCENSION, ASSUMPTION, CHRISTMAS, CORPUS_CHRISTI, EASTER, EASTER_MONDAY, EPIPHANY, GOOD_FRIDAY, IMMACULATE, MAY_DAY,
    NEW_YEAR, ST_STEPHEN, WHIT_MONDAY, WHIT_SUNDAY,
};
use crate::deadlines::holidays::rule::*;
use chrono::Weekday::*;
use chrono::{Datelike, Duration, NaiveDate};

const MAUNDY_THURSDAY: Rule = easter("Maundy Thursday", -3);

const UNITY: Rule = fixed("German Unity Day", 10, 3);
/// Reformation Day: a holiday in the eastern Länder; in all of Germany in 2017 only.
const REFORMATION: Rule = fixed("Reformation Day", 10, 31);
const REFORMATION_2017: Rule = once("Reformation Day (500th anniversary)", 2017, 10, 31);
/// Repentance and Prayer Day: the Wednesday before 23 November (Saxony, SächsSFG § 1).
const REPENTANCE: Rule = rule("Repentance and Prayer Day", When::OnOrBefore(11, 22, Wed));

/// Declares a Land's calendar: the national days (Feiertagsgesetze of the Länder all
/// include them; German Unity Day by the Unification Treaty Art. 2(2)) plus its own.
macro_rules! land {
    ($(#[$m:meta])* $name:ident: $($extra:expr),* $(,)?) => {
        $(#[$m])*
        pub(crate) const $name: &[Rule] = &[
            NEW_YEAR, GOOD_FRIDAY, EASTER_MONDAY, MAY_DAY, ASCENSION, WHIT_MONDAY, UNITY, CHRISTMAS, ST_STEPHEN,
            $($extra,)*
        ];
    };
}

land!(/// Baden-Württemberg: FTG BW § 1.
    DE_BW: EPIPHANY, CORPUS_CHRISTI, ALL_SAINTS, REFORMATION_2017);
land!(/// Bavaria: FTG Bayern Art. 1 (Assumption only in Catholic-majority municipalities: not counted state-wide).
    DE_BY: EPIPHANY, CORPUS_CHRISTI, ALL_SAINTS, REFORMATION_2017);
land!(/// Berlin: FTG Berlin § 1 (International Women's Day since 2019; one-off anniversaries).
    DE_BE: fixed("International Women's Day", 3, 8).since(2019), REFORMATION_2017,
    once("75th anniversary of the liberation from National Socialism", 2020, 5, 8),
    once("80th anniversary of the liberation from National Socialism", 2025, 5, 8),
    once("75th anniversary of the uprising of 17 June 1953", 2028, 6, 17));
land!(/// Brandenburg: FTG Brandenburg § 2 (Easter and Whit Sunday are named holidays).
    DE_BB: EASTER, WHIT_SUNDAY, REFORMATION);
land!(/// Bremen: FTG Bremen § 1 (Reformation Day since 2018).
    DE_HB: REFORMATION.since(2018), REFORMATION_2017);
land!(/// Hamburg: FTG Hamburg § 1 (Reformation Day since 2018).
    DE_HH: REFORMATION.since(2018), REFORMATION_2017);
land!(/// Hesse: HFeiertagsG § 1.
    DE_HE: CORPUS_CHRISTI, REFORMATION_2017);
land!(/// Mecklenburg-Western Pomerania: FTG M-V § 2 (International Women's Day since 2023).
    DE_MV: REFORMATION, fixed("International Women's Day", 3, 8).since(2023));
land!(/// Lower Saxony: NFeiertagsG § 2 (Reformation Day since 2018).
    DE_NI: REFORMATION.since(2018), REFORMATION_2017);
land!(/// North Rhine-Westphalia: FTG NW § 2.
    DE_NW: CORPUS_CHRISTI, ALL_SAINTS, REFORMATION_2017);
land!(/// Rhineland-Palatinate: LFtG RP § 2.
    DE_RP: CORPUS_CHRISTI, ALL_SAINTS, REFORMATION_2017);
land!(/// Saarland: SFG § 2 (Assumption state-wide).
    DE_SL: CORPUS_CHRISTI, ASSUMPTION, ALL_SAINTS, REFORMATION_2017);
land!(/// Saxony: SächsSFG § 1.
    DE_SN: REFORMATION, REPENTANCE);
land!(/// Saxony-Anhalt: FeiertG LSA § 2.
    DE_ST: EPIPHANY, REFORMATION);
land!(/// Schleswig-Holstein: SFTG § 2 (Reformation Day since 2018).
    DE_SH: REFORMATION.since(2018), REFORMATION_2017);
land!(/// Thuringia: ThürFtG § 2 (World Children's Day since 2019).
    DE_TH: REFORMATION, fixed("World Children's Day", 9, 20).since(2019));

/// Norway: Lov om helligdager og helligdagsfred § 2 and Lov om 1. og 17. mai som høgtidsdager.
pub(crate) const NO: &[Rule] = &[
    NEW_YEAR,
    MAUNDY_THURSDAY,
    GOOD_FRIDAY,
    EASTER,
    EASTER_MONDAY,
    MAY_DAY,
    fixed("Constitution Day", 5, 17),
    ASCENSION,
    WHIT_SUNDAY,
    WHIT_MONDAY,
    CHRISTMAS,
    ST_STEPHEN,
];

/// Iceland: Act No. 88/1971 on working hours, Art. 6 (Christmas Eve and New Year's Eve
/// are holidays from 13:00 only and are not counted).
pub(crate) const IS: &[Rule] = &[
    NEW_YEAR,
    MAUNDY_THURSDAY,
    GOOD_FRIDAY,
    EASTER,
    EASTER_MONDAY,
    rule("First Day of Summer", When::OnOrAfter(4, 19, Thu)),
    MAY_DAY,
    ASCENSION,
    WHIT_SUNDAY,
    WHIT_MONDAY,
    fixed("National Day", 6, 17),
    nth("Commerce Day", 8, Mon, 1),
    CHRISTMAS,
    ST_STEPHEN,
];

/// Liechtenstein: Arbeitsgesetz and its Verordnung I Art. 22 (the public holidays equal to Sundays).
pub(crate) const LI: &[Rule] = &[
    NEW_YEAR,
    EPIPHANY,
    fixed("Candlemas", 2, 2),
    fixed("Saint Joseph's Day", 3, 19),
    EASTER,
    EASTER_MONDAY,
    MAY_DAY,
    ASCENSION,
    WHIT_SUNDAY,
    WHIT_MONDAY,
    CORPUS_CHRISTI,
    fixed("National Day", 8, 15),
    fixed("Nativity of Mary", 9, 8),
    ALL_SAINTS,
    IMMACULATE,
    CHRISTMAS,
    fixed("Saint Stephen's Day", 12, 26),
];

/// Switzerland, by canton: the federal days of `europe::CH` (New Year's Day, Ascension,
/// National Day, Christmas) plus the days each canton's law treats as Sundays (Federal Labour
/// Act Art. 20a(1); cantonal laws on public holidays). Cross-checked against the `holidays` package.
macro_rules! canton {
    ($name:ident: $($extra:expr),* $(,)?) => {
        pub(crate) const $name: &[Rule] = &[NEW_YEAR, ASCENSION, fixed("National Day", 8, 1), CHRISTMAS, $($extra,)*];
    };
}

canton!(CH_AG: fixed("Saint Berchtold's Day", 1, 2), GOOD_FRIDAY, EASTER_MONDAY, MAY_DAY, WHIT_MONDAY, CORPUS_CHRISTI, ASSUMPTION, ALL_SAINTS, IMMACULATE, fixed("Saint Stephen's Day", 12, 26)); // Aargau
canton!(CH_AI: GOOD_FRIDAY, EASTER_MONDAY, WHIT_MONDAY, CORPUS_CHRISTI, ASSUMPTION, ALL_SAINTS, IMMACULATE, rule("Saint Stephen's Day", When::Computed(stephen_unless_bridge))); // Appenzell Innerrhoden
canton!(CH_AR: GOOD_FRIDAY, EASTER_MONDAY, WHIT_MONDAY, rule("Saint Stephen's Day", When::Computed(stephen_unless_bridge))); // Appenzell Ausserrhoden
canton!(CH_BE: fixed("Saint Berchtold's Day", 1, 2), GOOD_FRIDAY, EASTER_MONDAY, WHIT_MONDAY, fixed("Saint Stephen's Day", 12, 26)); // Bern
canton!(CH_BL: GOOD_FRIDAY, EASTER_MONDAY, MAY_DAY, WHIT_MONDAY, fixed("Saint Stephen's Day", 12, 26)); // Basel-Landschaft
canton!(CH_BS: GOOD_FRIDAY, EASTER_MONDAY, MAY_DAY, WHIT_MONDAY, fixed("Saint Stephen's Day", 12, 26)); // Basel-Stadt
canton!(CH_FR: GOOD_FRIDAY); // Fribourg
canton!(CH_GE: GOOD_FRIDAY, EASTER_MONDAY, WHIT_MONDAY, rule("Genevan Fast", When::OnOrAfter(9, 5, Thu)), fixed("Restoration Day", 12, 31)); // Geneva
canton!(CH_GL: rule("Battle of Näfels Victory Day", When::Computed(naefels)), GOOD_FRIDAY, EASTER_MONDAY, WHIT_MONDAY, ALL_SAINTS, fixed("Saint Stephen's Day", 12, 26)); // Glarus
canton!(CH_GR: EASTER_MONDAY, WHIT_MONDAY, fixed("Saint Stephen's Day", 12, 26)); // Graubünden
canton!(CH_JU: fixed("Saint Berchtold's Day", 1, 2), GOOD_FRIDAY, EASTER_MONDAY, MAY_DAY, WHIT_MONDAY, CORPUS_CHRISTI, fixed("Independence Day", 6, 23), ASSUMPTION, ALL_SAINTS); // Jura
canton!(CH_LU: fixed("Saint Berchtold's Day", 1, 2), GOOD_FRIDAY, EASTER_MONDAY, WHIT_MONDAY, CORPUS_CHRISTI, ASSUMPTION, ALL_SAINTS, IMMACULATE, fixed("Saint Stephen's Day", 12, 26)); // Lucerne
canton!(CH_NE: fixed("Republic Day", 3, 1), GOOD_FRIDAY, MAY_DAY, CORPUS_CHRISTI, rule("Saint Stephen's Day", When::Computed(ne_stephen)), rule("Saint Berchtold's Day", When::Computed(ne_berchtold))); // Neuchâtel
canton!(CH_NW: fixed("Saint Joseph's Day", 3, 19), GOOD_FRIDAY, CORPUS_CHRISTI, ASSUMPTION, ALL_SAINTS, IMMACULATE); // Nidwalden
canton!(CH_OW: GOOD_FRIDAY, CORPUS_CHRISTI, ASSUMPTION, fixed("Saint Nicholas of Flüe", 9, 25), ALL_SAINTS, IMMACULATE); // Obwalden
canton!(CH_SG: GOOD_FRIDAY, EASTER_MONDAY, WHIT_MONDAY, ALL_SAINTS, fixed("Saint Stephen's Day", 12, 26)); // St. Gallen
canton!(CH_SH: GOOD_FRIDAY, EASTER_MONDAY, MAY_DAY, WHIT_MONDAY, fixed("Saint Stephen's Day", 12, 26)); // Schaffhausen
canton!(CH_SO: GOOD_FRIDAY); // Solothurn
canton!(CH_SZ: EPIPHANY, fixed("Saint Joseph's Day", 3, 19), GOOD_FRIDAY, EASTER_MONDAY, WHIT_MONDAY, CORPUS_CHRISTI, ASSUMPTION, ALL_SAINTS, IMMACULATE, fixed("Saint Stephen's Day", 12, 26)); // Schwyz
canton!(CH_TG: fixed("Saint Berchtold's Day", 1, 2), MAY_DAY, GOOD_FRIDAY, EASTER_MONDAY, WHIT_MONDAY, fixed("Saint Stephen's Day", 12, 26)); // Thurgau
canton!(CH_TI: EPIPHANY, fixed("Saint Joseph's Day", 3, 19), EASTER_MONDAY, MAY_DAY, WHIT_MONDAY, CORPUS_CHRISTI, fixed("Saints Peter and Paul", 6, 29), ASSUMPTION, ALL_SAINTS, IMMACULATE, fixed("Saint Stephen's Day", 12, 26)); // Ticino
canton!(CH_UR: EPIPHANY, fixed("Saint Joseph's Day", 3, 19), GOOD_FRIDAY, EASTER_MONDAY, WHIT_MONDAY, CORPUS_CHRISTI, ASSUMPTION, ALL_SAINTS, IMMACULATE, rule("Saint Stephen's Day", When::Computed(stephen_unless_bridge))); // Uri
canton!(CH_VD: fixed("Saint Berchtold's Day", 1, 2), GOOD_FRIDAY, EASTER_MONDAY, WHIT_MONDAY, rule("Prayer Monday", When::OnOrAfter(9, 16, Mon))); // Vaud
canton!(CH_VS: fixed("Saint Joseph's Day", 3, 19), CORPUS_CHRISTI, ASSUMPTION, ALL_SAINTS, IMMACULATE); // Valais
canton!(CH_ZG: GOOD_FRIDAY, CORPUS_CHRISTI, ASSUMPTION, ALL_SAINTS, IMMACULATE); // Zug
canton!(CH_ZH: GOOD_FRIDAY, EASTER_MONDAY, MAY_DAY, WHIT_MONDAY, fixed("Saint Stephen's Day", 12, 26)); // Zurich

/// Glarus, Näfelser Fahrt: the first Thursday of April, a week later when that is Maundy Thursday.
fn naefels(year: i32) -> Option<NaiveDate> {
    let d = When::OnOrAfter(4, 1, Thu).date_in(year)?;
    let maundy = western_easter(year)? - Duration::days(3);
    Some(if d == maundy { d + Duration::days(7) } else { d })
}

/// Appenzell and Uri: St Stephen's Day, except when Christmas falls on a Monday or a Friday.
fn stephen_unless_bridge(year: i32) -> Option<NaiveDate> {
    let d = NaiveDate::from_ymd_opt(year, 12, 26)?;
    (!matches!(d.weekday(), Tue | Sat)).then_some(d)
}

/// Neuchâtel: 26 December when Christmas falls on a Sunday.
fn ne_stephen(year: i32) -> Option<NaiveDate> {
    let d = NaiveDate::from_ymd_opt(year, 12, 26)?;
    (d.weekday() == Mon).then_some(d)
}

/// Neuchâtel: 2 January when New Year's Day falls on a Sunday.
fn ne_berchtold(year: i32) -> Option<NaiveDate> {
    let d = NaiveDate::from_ymd_opt(year, 1, 2)?;
    (d.weekday() == Mon).then_some(d)
}

/// Canada, by province and territory, for federal time limits (PIPEDA): the federal holidays
/// of `americas::CA` (Interpretation Act s. 35(1)) plus the days the province's own law makes
/// holidays, which s. 35(1) also counts where the act is done.
macro_rules! province {
    ($name:ident: $($extra:expr),* $(,)?) => {
        pub(crate) const $name: &[Rule] = &[
            fixed("New Year's Day", 1, 1).shift(Shift::SundayAddsMonday),
            GOOD_FRIDAY,
            EASTER_MONDAY,
            rule("Victoria Day", When::OnOrBefore(5, 24, Mon)),
            fixed("Canada Day", 7, 1).shift(Shift::SundayAddsMonday),
            nth("Labour Day", 9, Mon, 1),
            fixed("National Day for Truth and Reconciliation", 9, 30).since(2021).shift(Shift::SundayAddsMonday),
            nth("Thanksgiving Day", 10, Mon, 2),
            fixed("Remembrance Day", 11, 11).shift(Shift::SundayAddsMonday),
            CHRISTMAS,
            fixed("Boxing Day", 12, 26),
            $($extra,)*
        ];
    };
}

const FUNERAL_2022: Rule = once("Funeral of Queen Elizabeth II", 2022, 9, 19);

province!(CA_AB: nth("Family Day", 2, Mon, 3)); // Alberta
province!(CA_BC: nth("Family Day", 2, Mon, 2).until(2018), nth("Family Day", 2, Mon, 3).since(2019), nth("British Columbia Day", 8, Mon, 1), FUNERAL_2022); // British Columbia
province!(CA_MB: nth("Louis Riel Day", 2, Mon, 3)); // Manitoba
province!(CA_NB: nth("Family Day", 2, Mon, 3).since(2018), nth("New Brunswick Day", 8, Mon, 1), FUNERAL_2022); // New Brunswick
province!(CA_NL: FUNERAL_2022); // Newfoundland and Labrador
province!(CA_NS: nth("Heritage Day", 2, Mon, 3), FUNERAL_2022); // Nova Scotia
province!(CA_NT: fixed("National Indigenous Peoples Day", 6, 21), nth("Civic Holiday", 8, Mon, 1)); // Northwest Territories
province!(CA_NU: fixed("Nunavut Day", 7, 9).since(2020), nth("Civic Holiday", 8, Mon, 1)); // Nunavut
province!(CA_ON: nth("Family Day", 2, Mon, 3)); // Ontario
province!(CA_PE: nth("Islander Day", 2, Mon, 3), FUNERAL_2022); // Prince Edward Island
province!(CA_SK: nth("Family Day", 2, Mon, 3), nth("Saskatchewan Day", 8, Mon, 1)); // Saskatchewan
province!(CA_YT: fixed("National Indigenous Peoples Day", 6, 21).since(2017), nth("Discovery Day", 8, Mon, 3), FUNERAL_2022); // Yukon
