//! The rule sets, one TOML file per regime in `assets/regimes/`, compiled into
//! the binary and parsed once. This file knows their shape; the meaning of each
//! field is implemented in `engine.rs`.
//!
//! A rule file has: `id`, `name`, `version` (bump it on any change: stored
//! schedules keep the `id@version` that produced them), `statutory`,
//! `in_force`, `default_jurisdiction`, `jurisdictions` (each with the holiday
//! `calendar` it uses), `start_source`, `summary`; then `[roll]` (`policy` =
//! `weekend-and-holidays` | `sunday-and-holidays` | `none`), `[response]`
//! (`period` = "1 month" | "45 days" | "10 business-days", optional
//! `[[response.by_type]]` overrides), `[extension]` (`base` = `start` |
//! `receipt` | `due` | `announced`, `period`; a by-type rule may have `from`, the
//! first day of receipt it applies to, and `no_roll`), `[ack]`, `[clock]` (restarts,
//! pauses, cost notice), `[[duties]]`, `[[rights]]` (the law-specific request
//! types it allows) and, where the law sets no date, `[target]`. Every rule carries a `source`. Unknown keys are rejected.

use std::sync::OnceLock;

use chrono::NaiveDate;
use serde::Deserialize;

use crate::deadlines::{Jurisdiction, RegimeInfo};
use crate::domain::RequestType;

/// The rule files, embedded at build time. A new regime is a new file and a line here.
const FILES: &[(&str, &str)] = &[
    ("eu-gdpr", include_str!("../../../../../assets/regimes/eu-gdpr.toml")),
    ("uk-gdpr", include_str!("../../../../../assets/regimes/uk-gdpr.toml")),
    ("ccpa", include_str!("../../../../../assets/regimes/ccpa.toml")),
    ("us-va", include_str!("../../../../../assets/regimes/us-va.toml")),
    ("us-co", include_str!("../../../../../assets/regimes/us-co.toml")),
    ("us-ct", include_str!("../../../../../assets/regimes/us-ct.toml")),
    ("us-ut", include_str!("../../../../../assets/regimes/us-ut.toml")),
    ("us-tx", include_str!("../../../../../assets/regimes/us-tx.toml")),
    ("us-or", include_str!("../../../../../assets/regimes/us-or.toml")),
    ("us-mt", include_str!("../../../../../assets/regimes/us-mt.toml")),
    ("us-de", include_str!("../../../../../assets/regimes/us-de.toml")),
    ("us-nh", include_str!("../../../../../assets/regimes/us-nh.toml")),
    ("us-nj", include_str!("../../../../../assets/regimes/us-nj.toml")),
    ("us-tn", include_str!("../../../../../assets/regimes/us-tn.toml")),
    ("us-mn", include_str!("../../../../../assets/regimes/us-mn.toml")),
    ("us-md", include_str!("../../../../../assets/regimes/us-md.toml")),
    ("us-in", include_str!("../../../../../assets/regimes/us-in.toml")),
    ("us-ky", include_str!("../../../../../assets/regimes/us-ky.toml")),
    ("us-ri", include_str!("../../../../../assets/regimes/us-ri.toml")),
    ("us-ne", include_str!("../../../../../assets/regimes/us-ne.toml")),
    ("us-ia", include_str!("../../../../../assets/regimes/us-ia.toml")),
    ("lgpd", include_str!("../../../../../assets/regimes/lgpd.toml")),
    ("pipeda", include_str!("../../../../../assets/regimes/pipeda.toml")),
    ("quebec", include_str!("../../../../../assets/regimes/quebec.toml")),
    ("ch-fadp", include_str!("../../../../../assets/regimes/ch-fadp.toml")),
    ("popia", include_str!("../../../../../assets/regimes/popia.toml")),
    ("au-agency", include_str!("../../../../../assets/regimes/au-agency.toml")),
    ("au-organisation", include_str!("../../../../../assets/regimes/au-organisation.toml")),
    ("sg-pdpa", include_str!("../../../../../assets/regimes/sg-pdpa.toml")),
    ("jp-appi", include_str!("../../../../../assets/regimes/jp-appi.toml")),
];

/// A length of time as the law states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Period {
    /// Calendar months, clamped to the month's last day.
    Months(u32),
    /// Calendar days, the first day not counted.
    Days(u32),
    /// Business days: Monday to Friday without public holidays, the first day not counted.
    BusinessDays(u32),
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        parse_period(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("`{text}` is not a period (write e.g. \"1 month\", \"45 days\", \"10 business-days\")"))
        })
    }
}

fn parse_period(text: &str) -> Option<Period> {
    let (n, unit) = text.trim().split_once(' ')?;
    let n: u32 = n.parse().ok().filter(|n| *n <= 400)?;
    match unit.trim() {
        "month" | "months" => Some(Period::Months(n)),
        "day" | "days" => Some(Period::Days(n)),
        "business-day" | "business-days" => Some(Period::BusinessDays(n)),
        _ => None,
    }
}

/// Which days a deadline moves over when it falls on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum RollPolicy {
    WeekendAndHolidays,
    SundayAndHolidays,
    None,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Roll {
    pub policy: RollPolicy,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ByType {
    pub types: Vec<RequestType>,
    pub period: Period,
    #[serde(default)]
    pub no_extension: bool,
    /// This type's own extension where the law gives it one (Colorado, Minnesota appeals: +60 days).
    #[serde(default)]
    pub extension: Option<Extension>,
    /// The first day of receipt this date applies to, where the duty came later than the
    /// law (UK complaints: DPA 2018 s. 164A from 19 June 2026); before it, no statutory date.
    #[serde(default)]
    pub from: Option<NaiveDate>,
    /// The date is not moved off a weekend or holiday (the provision counts plain days).
    #[serde(default)]
    pub no_roll: bool,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Response {
    pub period: Period,
    pub source: String,
    /// The request types the law gives this date (LGPD Art. 19: access; APP 12/13: access and
    /// correction); others get the `[target]` only. Empty: every type.
    #[serde(default)]
    pub types: Vec<RequestType>,
    #[serde(default)]
    pub by_type: Vec<ByType>,
}

/// From what an extended date is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum ExtensionBase {
    /// The clock's start date (UK/EU: three months from the start).
    Start,
    /// The date of receipt (CCPA: 90 days from receipt).
    Receipt,
    /// The original deadline before rolling (PIPEDA, PAIA: +30 days).
    Due,
    /// The date the organisation announced to the subject (Switzerland).
    Announced,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Extension {
    pub base: ExtensionBase,
    #[serde(default)]
    pub period: Option<Period>,
    pub source: String,
    /// EU GDPR: the further period counted from the end of the first (Reg. 1182/71
    /// Art. 3(2)(c)), the default reading; `EngineOptions::eu_extension_from_start` chooses `base`/`period`.
    #[serde(default)]
    pub after_first_period: Option<AfterFirstPeriod>,
}

/// An extension counted from the (unrolled) end of the first period.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AfterFirstPeriod {
    pub period: Period,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Ack {
    pub period: Period,
    pub types: Vec<RequestType>,
    pub source: String,
}

/// Clock events a regime recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Restart {
    IdentityReceived,
    FeePaid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum PauseKind {
    Clarification,
    /// A request fee or deposit asked for and not yet paid (PAIA s. 54).
    Fee,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Clock {
    #[serde(default)]
    pub restart_on: Vec<Restart>,
    #[serde(default)]
    pub restart_source: String,
    #[serde(default)]
    pub pause_on: Vec<PauseKind>,
    #[serde(default)]
    pub pause_source: String,
    #[serde(default)]
    pub fee_pause_source: String,
    #[serde(default)]
    pub identity_pause_option: bool,
    #[serde(default)]
    pub identity_source: String,
    #[serde(default)]
    pub verification_note: String,
    /// Whether a pause the officer records (with a reason) moves the legal date.
    #[serde(default)]
    pub manual_pause: bool,
    #[serde(default)]
    pub manual_pause_source: String,
    #[serde(default)]
    pub cost_notice_reflection_days: Option<u32>,
    #[serde(default)]
    pub cost_notice_source: String,
}

/// A date a duty falls on: a fixed point of the schedule or a period from receipt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum At {
    Receipt,
    /// The original due date.
    Due,
    /// The due date in force: the extended date once validly extended (PIPEDA s. 8(5)).
    LegalDue,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DutyRule {
    pub id: String,
    pub label: String,
    #[serde(default)]
    pub at: Option<At>,
    #[serde(default)]
    pub period: Option<Period>,
    /// The request types the duty applies to; empty: every type.
    #[serde(default)]
    pub types: Vec<RequestType>,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Target {
    pub period: Period,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct JurisdictionRule {
    pub code: String,
    pub name: String,
    /// The holiday calendar the regime uses there.
    pub calendar: String,
}

/// One regime's rule file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RuleSet {
    pub id: String,
    pub name: String,
    pub version: String,
    pub statutory: bool,
    pub in_force: NaiveDate,
    pub default_jurisdiction: String,
    pub jurisdictions: Vec<JurisdictionRule>,
    pub start_source: String,
    pub summary: String,
    #[serde(default)]
    pub day_after_receipt_option: bool,
    #[serde(default)]
    pub calendar_option: bool,
    /// Brazil: the source that doubles the periods for small processing agents
    /// (`EngineOptions::lgpd_small_agent`).
    #[serde(default)]
    pub small_agent_source: Option<String>,
    /// South Africa: where POPIA's own "reasonable time" (s. 23) may be read instead of
    /// PAIA's 30 + 30 days (`EngineOptions::popia_reasonable_time`; needs a `[target]`).
    #[serde(default)]
    pub reasonable_time_source: Option<String>,
    pub roll: Roll,
    #[serde(default)]
    pub response: Option<Response>,
    #[serde(default)]
    pub extension: Option<Extension>,
    #[serde(default)]
    pub ack: Option<Ack>,
    #[serde(default)]
    pub clock: Clock,
    #[serde(default)]
    pub duties: Vec<DutyRule>,
    #[serde(default)]
    pub target: Option<Target>,
    /// Rights only some laws give ([`LAW_SPECIFIC_TYPES`]); they do not move a date, so listing one needs no new version.
    #[serde(default)]
    pub rights: Vec<RightRule>,
}

/// A right this law gives that others do not: the request types it makes possible.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RightRule {
    pub types: Vec<RequestType>,
    pub source: String,
}

/// Request types that exist only where a law grants them (`[[rights]]`); every
/// other type is a right of every regime.
pub(crate) const LAW_SPECIFIC_TYPES: [RequestType; 3] =
    [RequestType::OptOutSaleSharing, RequestType::LimitSensitive, RequestType::Complaint];

impl RuleSet {
    /// Whether a subject may make this type of request under this law.
    pub fn grants(&self, t: RequestType) -> bool {
        !LAW_SPECIFIC_TYPES.contains(&t) || self.rights.iter().any(|r| r.types.contains(&t))
    }

    /// The response period and its source for a type of request, and whether it may be extended.
    pub fn response_for(&self, t: RequestType) -> Option<(Period, &str, bool)> {
        let r = self.response.as_ref()?;
        match r.by_type.iter().find(|b| b.types.contains(&t)) {
            Some(b) => Some((b.period, b.source.as_str(), self.extension_for(t).is_some())),
            None if !r.types.is_empty() && !r.types.contains(&t) => None,
            None => Some((r.period, r.source.as_str(), self.extension.is_some())),
        }
    }

    /// This type's own `[[response.by_type]]` rule, if it has one.
    pub(crate) fn by_type(&self, t: RequestType) -> Option<&ByType> {
        self.response.as_ref()?.by_type.iter().find(|b| b.types.contains(&t))
    }

    /// The extension a type of request may have: its own (`[[response.by_type]]`), else the regime's
    /// unless the type is marked `no_extension`.
    pub fn extension_for(&self, t: RequestType) -> Option<&Extension> {
        match self.response.as_ref()?.by_type.iter().find(|b| b.types.contains(&t)) {
            Some(b) if b.no_extension => None,
            Some(b) => b.extension.as_ref().or(self.extension.as_ref()),
            None => self.extension.as_ref(),
        }
    }

    fn check(&self, file: &str) -> Result<(), String> {
        if self.id != file {
            return Err(format!("{file}.toml declares id {}", self.id));
        }
        if self.statutory != self.response.is_some() {
            return Err(format!("{file}.toml: a statutory regime needs [response], a non-statutory one none"));
        }
        if self.response.as_ref().is_some_and(|r| !r.types.is_empty()) && self.target.is_none() {
            return Err(format!("{file}.toml: a [response] limited to some types needs a [target] for the others"));
        }
        if self.reasonable_time_source.is_some() && self.target.is_none() {
            return Err(format!("{file}.toml: the reasonable-time reading needs a [target]"));
        }
        if !self.statutory && self.target.is_none() {
            return Err(format!("{file}.toml: a regime without a statutory date needs a [target]"));
        }
        if !self.jurisdictions.iter().any(|j| j.code == self.default_jurisdiction) {
            return Err(format!("{file}.toml: default_jurisdiction is not among its jurisdictions"));
        }
        for j in &self.jurisdictions {
            if !crate::deadlines::holidays::has_calendar(&j.calendar) {
                return Err(format!("{file}.toml: {} uses calendar {}, which does not exist", j.code, j.calendar));
            }
        }
        let by_type = self.response.iter().flat_map(|r| r.by_type.iter());
        for b in by_type.clone() {
            if b.no_extension && b.extension.is_some() {
                return Err(format!("{file}.toml: a [[response.by_type]] has no_extension and an extension"));
            }
        }
        for e in self.extension.iter().chain(by_type.filter_map(|b| b.extension.as_ref())) {
            if (e.base == ExtensionBase::Announced) != e.period.is_none() {
                return Err(format!("{file}.toml: an extension needs a period unless its date is announced"));
            }
        }
        for r in &self.rights {
            if r.source.trim().is_empty() || r.types.iter().any(|t| !LAW_SPECIFIC_TYPES.contains(t)) {
                return Err(format!("{file}.toml: a [[rights]] entry lists law-specific types only, with its source"));
            }
        }
        for d in &self.duties {
            if d.at.is_some() == d.period.is_some() {
                return Err(format!("{file}.toml: duty {} needs exactly one of `at` and `period`", d.id));
            }
        }
        Ok(())
    }

    fn info(&self) -> RegimeInfo {
        RegimeInfo {
            id: self.id.clone(),
            name: self.name.clone(),
            default_jurisdiction: self.default_jurisdiction.clone(),
            jurisdictions: self
                .jurisdictions
                .iter()
                .map(|j| Jurisdiction { code: j.code.clone(), name: j.name.clone(), calendar: j.calendar.clone() })
                .collect(),
            statutory: self.statutory,
            rule_version: self.version.clone(),
            summary: self.summary.clone(),
            in_force: self.in_force,
            extension_allowed: self.extension.is_some(),
        }
    }
}

pub(crate) struct Loaded {
    pub infos: Vec<RegimeInfo>,
    pub rules: Vec<RuleSet>,
    pub errors: Vec<String>,
}

/// Parses every rule file once. A file that does not parse is left out and its
/// error kept (a unit test asserts there are none), so a bad file never panics the app.
pub(crate) fn loaded() -> &'static Loaded {
    static LOADED: OnceLock<Loaded> = OnceLock::new();
    LOADED.get_or_init(|| {
        let mut out = Loaded { infos: Vec::new(), rules: Vec::new(), errors: Vec::new() };
        for (file, text) in FILES {
            match toml::from_str::<RuleSet>(text).map_err(|e| format!("{file}.toml: {e}")).and_then(|r| {
                r.check(file)?;
                Ok(r)
            }) {
                Ok(r) => {
                    out.infos.push(r.info());
                    out.rules.push(r);
                }
                Err(e) => out.errors.push(e),
            }
        }
        out
    })
}

pub(crate) fn rules_of(id: &str) -> Option<(&'static RegimeInfo, &'static RuleSet)> {
    let l = loaded();
    let i = l.infos.iter().position(|r| r.id == id)?;
    Some((l.infos.get(i)?, l.rules.get(i)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_file_parses_and_is_consistent() {
        assert!(loaded().errors.is_empty(), "{:#?}", loaded().errors);
        assert_eq!(loaded().rules.len(), FILES.len());
    }

    #[test]
    fn periods_read_as_the_law_writes_them() {
        assert_eq!(parse_period("1 month"), Some(Period::Months(1)));
        assert_eq!(parse_period("45 days"), Some(Period::Days(45)));
        assert_eq!(parse_period("10 business-days"), Some(Period::BusinessDays(10)));
        assert_eq!(parse_period("ten days"), None);
        assert_eq!(parse_period("5 weeks"), None);
    }
}
