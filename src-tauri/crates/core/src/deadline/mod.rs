//! The deadline engine: which law applies, and by which date it must be answered.
//!
//! Walking-skeleton version: GDPR's calendar month (clamped to the month's end)
//! and CCPA's 45 calendar days. The full engine (rules as data in `assets/`,
//! holidays, pauses, extensions, duties) grows here behind the same functions.

mod holidays;
pub use holidays::{calendar_codes, has_calendar, holidays, Holiday, HolidaySet, FIRST_YEAR, LAST_YEAR};

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

use crate::domain::RequestType;
use crate::error::{Error, Result};

/// A place where a regime applies (a Member State, a UK nation, a US state).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Jurisdiction {
    pub code: String,
    pub name: String,
}

/// A law under which requests are answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RegimeInfo {
    pub id: String,
    pub name: String,
    pub default_jurisdiction: String,
    pub jurisdictions: Vec<Jurisdiction>,
    /// False where the law sets no date ("without delay"): only an internal target is shown.
    pub statutory: bool,
    pub rule_version: String,
}

impl RegimeInfo {
    pub fn accepts_jurisdiction(&self, code: &str) -> bool {
        self.jurisdictions.iter().any(|j| j.code == code)
    }

    pub fn jurisdiction_codes(&self) -> Vec<&str> {
        self.jurisdictions.iter().map(|j| j.code.as_str()).collect()
    }
}

/// One step of how a date was reached, with the law behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Step {
    pub rule: String,
    pub detail: String,
    pub source: String,
}

/// The dates of a request and their explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Schedule {
    /// The rule set and version that produced these dates, e.g. `eu-gdpr@2025.1`.
    pub rule_set: String,
    /// The legal due date in force; none where the law sets no date.
    pub legal_due: Option<NaiveDate>,
    pub steps: Vec<Step>,
}

/// Events that move a legal clock (identity, clarification, extension notices).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ClockEvent {
    ExtensionNoticeSent { on: NaiveDate },
}

/// Organisation-wide choices that shape the dates.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct EngineOptions {}

/// Everything the engine needs to compute a request's schedule.
#[derive(Debug, Clone)]
pub struct ScheduleInput<'a> {
    pub regime: &'a str,
    pub jurisdiction: &'a str,
    pub request_type: RequestType,
    pub received_on: NaiveDate,
    pub events: &'a [ClockEvent],
    pub options: &'a EngineOptions,
}

const EU_STATES: &[(&str, &str)] = &[
    ("AT", "Austria"), ("BE", "Belgium"), ("BG", "Bulgaria"), ("HR", "Croatia"), ("CY", "Cyprus"),
    ("CZ", "Czechia"), ("DK", "Denmark"), ("EE", "Estonia"), ("FI", "Finland"), ("FR", "France"),
    ("DE", "Germany"), ("GR", "Greece"), ("HU", "Hungary"), ("IE", "Ireland"), ("IT", "Italy"),
    ("LV", "Latvia"), ("LT", "Lithuania"), ("LU", "Luxembourg"), ("MT", "Malta"), ("NL", "Netherlands"),
    ("PL", "Poland"), ("PT", "Portugal"), ("RO", "Romania"), ("SK", "Slovakia"), ("SI", "Slovenia"),
    ("ES", "Spain"), ("SE", "Sweden"),
];

fn build_regimes() -> Vec<RegimeInfo> {
    let j = |list: &[(&str, &str)]| {
        list.iter().map(|(c, n)| Jurisdiction { code: c.to_string(), name: n.to_string() }).collect()
    };
    vec![
        RegimeInfo {
            id: "eu-gdpr".into(),
            name: "EU GDPR".into(),
            default_jurisdiction: "DE".into(),
            jurisdictions: j(EU_STATES),
            statutory: true,
            rule_version: "2025.1".into(),
        },
        RegimeInfo {
            id: "uk-gdpr".into(),
            name: "UK GDPR / DPA 2018".into(),
            default_jurisdiction: "GB-ENG".into(),
            jurisdictions: j(&[
                ("GB-ENG", "England and Wales"),
                ("GB-SCT", "Scotland"),
                ("GB-NIR", "Northern Ireland"),
            ]),
            statutory: true,
            rule_version: "2025.1".into(),
        },
        RegimeInfo {
            id: "ccpa".into(),
            name: "California CCPA/CPRA".into(),
            default_jurisdiction: "US-CA".into(),
            jurisdictions: j(&[("US-CA", "California")]),
            statutory: true,
            rule_version: "2025.1".into(),
        },
    ]
}

pub fn regimes() -> &'static [RegimeInfo] {
    static REGIMES: OnceLock<Vec<RegimeInfo>> = OnceLock::new();
    REGIMES.get_or_init(build_regimes)
}

pub fn regime(id: &str) -> Option<&'static RegimeInfo> {
    regimes().iter().find(|r| r.id == id)
}

pub fn regime_ids() -> Vec<&'static str> {
    regimes().iter().map(|r| r.id.as_str()).collect()
}

/// Adds calendar months: the same day number, or the month's last day when it has none.
/// Regulation (EEC, Euratom) No 1182/71 Art. 3(2)(c); ICO guidance.
pub fn add_months_clamped(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(chrono::Months::new(months)).unwrap_or(date)
}

pub fn compute(input: &ScheduleInput) -> Result<Schedule> {
    let regime = regime(input.regime).ok_or_else(|| Error::invalid("regime", "is not a known regime"))?;
    let r = input.received_on;
    let (due, steps) = match regime.id.as_str() {
        "eu-gdpr" | "uk-gdpr" => {
            let due = add_months_clamped(r, 1);
            let clamped = due.day() != r.day();
            let detail = if clamped {
                format!("received {r}; one calendar month later has no day {}, so the month's last day: {due}", r.day())
            } else {
                format!("received {r}; one calendar month later: {due}")
            };
            let source = if regime.id == "eu-gdpr" { "GDPR Art. 12(3); Reg. 1182/71 Art. 3(2)(c)" } else { "UK GDPR Art. 12(3); ICO guidance" };
            (due, vec![Step { rule: "one calendar month".into(), detail, source: source.into() }])
        }
        _ => {
            let due = r + Duration::days(45);
            let detail = format!("received {r}; the day of receipt is not counted; 45 calendar days later: {due}");
            (due, vec![Step { rule: "45 calendar days".into(), detail, source: "11 CCR §7021(b); Cal. Code Civ. Proc. §12".into() }])
        }
    };
    Ok(Schedule { rule_set: format!("{}@{}", regime.id, regime.rule_version), legal_due: Some(due), steps })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn due(regime: &str, jurisdiction: &str, received: &str) -> NaiveDate {
        let input = ScheduleInput {
            regime,
            jurisdiction,
            request_type: RequestType::Access,
            received_on: received.parse().unwrap(),
            events: &[],
            options: &EngineOptions::default(),
        };
        compute(&input).unwrap().legal_due.unwrap()
    }

    #[test]
    fn gdpr_month_ends_clamp_to_the_last_day_of_february() {
        assert_eq!(due("eu-gdpr", "DE", "2025-01-31").to_string(), "2025-02-28");
        assert_eq!(due("eu-gdpr", "DE", "2024-01-31").to_string(), "2024-02-29");
    }

    #[test]
    fn ccpa_counts_45_days_excluding_the_day_of_receipt() {
        assert_eq!(due("ccpa", "US-CA", "2025-03-01").to_string(), "2025-04-15");
    }
}
