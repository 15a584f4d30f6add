//! Holiday calendars: the cases a privacy officer would look up, and the errors.

use chrono::{Datelike, NaiveDate};
use rightsdesk_core::deadlines::{calendar_codes, holidays, regimes};
use rightsdesk_core::Error;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap_or_else(|_| panic!("bad date in test: {s}"))
}

fn is_holiday(j: &str, date: &str) -> bool {
    let date = d(date);
    holidays(j, date.year()).expect("calendar").iter().any(|(h, _)| *h == date)
}

#[test]
fn substitute_and_regional_holidays() {
    let table = [
        ("GB-ENG", "2026-12-28", true, "Boxing Day 2026 is a Saturday: substitute Monday"),
        ("GB-ENG", "2027-01-04", false, "England has no 2 January"),
        ("GB-SCT", "2027-01-04", true, "Scotland: 2 January 2027 (Saturday) substitute"),
        ("GB-SCT", "2026-04-06", false, "no Easter Monday in Scotland"),
        ("GB-NIR", "2026-07-13", true, "Battle of the Boyne on a Sunday: Monday substitute"),
        ("GB-ENG", "2020-05-08", true, "VE Day 75: Early May bank holiday moved to Friday"),
        ("GB-ENG", "2020-05-04", false, "...and not on the Monday"),
        ("US", "2021-12-31", true, "New Year's Day 2022 (Saturday) observed on Friday 31 Dec 2021"),
        ("US", "2026-07-03", true, "Independence Day 2026 (Saturday) observed on Friday"),
        ("US-CA", "2025-11-28", true, "California: the day after Thanksgiving"),
        ("US", "2025-11-28", false, "not a federal holiday"),
        ("CA", "2018-07-02", true, "Canada Day on a Sunday: Monday too (Interpretation Act s. 35(2))"),
        ("CA-QC", "2025-06-24", true, "Fête nationale"),
        ("DE", "2017-10-31", true, "Reformation Day 500th anniversary, nationwide once"),
        ("DE", "2018-10-31", false, "regional only afterwards"),
        ("IE", "2026-02-02", true, "St Brigid's Day: first Monday of February"),
        ("IE", "2030-02-01", true, "St Brigid's Day: 1 February when it is a Friday"),
        ("NL", "2025-04-26", true, "King's Day on a Sunday moves to the Saturday before"),
        ("GR", "2025-04-18", true, "Orthodox Good Friday (same as Western in 2025)"),
        ("GR", "2026-04-10", true, "Orthodox Good Friday 2026, a week after the Western one"),
        ("JP", "2026-09-22", true, "citizens' holiday between Respect for the Aged Day and the equinox"),
        ("JP", "2025-05-06", true, "Constitution Day on a Saturday, Greenery Day on a Sunday: substitute Tuesday 6 May"),
        ("ZA", "2026-08-10", true, "Women's Day on a Sunday: Monday"),
        ("AU", "2022-09-22", true, "National Day of Mourning"),
        ("SG", "2026-02-17", true, "Chinese New Year (table)"),
        ("BR", "2024-11-20", true, "Black Awareness Day, national since 2024"),
        ("BR", "2023-11-20", false, "not national before 2024"),
    ];
    for (j, date, expected, why) in table {
        assert_eq!(is_holiday(j, date), expected, "{j} {date}: {why}");
    }
}

#[test]
fn every_jurisdiction_of_every_regime_has_a_calendar_for_every_year() {
    let codes: Vec<&str> = calendar_codes().into_iter().map(|(c, _)| c).collect();
    for r in regimes() {
        for j in &r.jurisdictions {
            assert!(codes.contains(&j.calendar.as_str()), "{} {}", r.id, j.code);
        }
    }
    for code in &codes {
        for year in 2015..=2040 {
            let list = holidays(code, year).expect("calendar");
            assert!(list.len() >= 4, "{code} {year}: {} holidays", list.len());
            assert!(list.windows(2).all(|w| w[0].0 < w[1].0), "{code} {year}: sorted and one entry per date");
        }
    }
    for eu in [
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT",
        "RO", "SK", "SI", "ES", "SE",
    ] {
        assert!(codes.contains(&eu), "{eu}");
    }
}

#[test]
fn unknown_jurisdictions_and_unmaintained_years_are_invalid() {
    assert!(matches!(holidays("XX", 2026), Err(Error::Invalid { field: "jurisdiction", .. })));
    assert!(matches!(holidays("DE", 2041), Err(Error::Invalid { field: "year", .. })));
    assert!(matches!(holidays("DE", i32::MIN), Err(Error::Invalid { field: "year", .. })));
}
