//! The values the engine takes and returns. Everything here crosses to the UI
//! and the CLI (JSON), so each type is serialisable and, with the `specta`
//! feature, described to TypeScript.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::RequestType;

/// A place where a regime applies (a Member State, a UK nation, a US state).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Jurisdiction {
    pub code: String,
    pub name: String,
    /// The holiday calendar used there (e.g. `US` for a US state law's business days).
    #[serde(default)]
    pub calendar: String,
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
    /// One line: the periods in words.
    pub summary: String,
    /// The date the law took effect.
    pub in_force: NaiveDate,
    pub extension_allowed: bool,
}

impl RegimeInfo {
    pub fn accepts_jurisdiction(&self, code: &str) -> bool {
        self.jurisdictions.iter().any(|j| j.code == code)
    }

    pub fn jurisdiction_codes(&self) -> Vec<&str> {
        self.jurisdictions.iter().map(|j| j.code.as_str()).collect()
    }

    /// The rule set id and version, e.g. `eu-gdpr@2025.1`.
    pub fn rule_set(&self) -> String {
        format!("{}@{}", self.id, self.rule_version)
    }
}

/// One step of how a date was reached, with the law behind it.
///
/// `code` and `params` are the step itself: the UI and the letters write it in
/// their own language from them. `rule` and `detail` are its English rendering,
/// kept for the CLI, for English text and for schedules stored before steps had
/// codes (those read back as [`StepCode::Legacy`], with only the English).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Step {
    /// What the step did, as a closed code; `legacy` for a step stored before codes.
    #[serde(default)]
    pub code: StepCode,
    /// The dates, periods and counts the code's sentence names.
    #[serde(default)]
    pub params: StepParams,
    /// The rule applied, short: "one calendar month", "roll to a working day".
    pub rule: String,
    /// What it did, in words with the dates: "Fri 31 Jan 2025 + one calendar month = Fri 28 Feb 2025 (no 31 Feb)".
    pub detail: String,
    /// The law or guidance behind it, as cited (never translated).
    pub source: String,
}

/// What a step of an explanation did. Each code has one sentence per language
/// (the UI's `features/deadlines/messages.ts`), filled from [`StepParams`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "kebab-case")]
pub enum StepCode {
    /// Stored before steps had codes: only the English `rule` and `detail` are known.
    #[default]
    Legacy,
    /// `date`: the day the request was received.
    Received,
    /// `date`: the day after receipt, from which the organisation counts (a reading).
    DayAfterReceipt,
    /// `subject` (identity or fee) arrived `on`: the time limit runs from that day.
    ClockRestarted,
    /// A cost contribution announced `on`; `count` days to reflect; the period runs from `date`.
    CostNoticeReflection,
    /// Verifying identity does not stop the clock.
    NoPauseForVerification,
    /// Identity evidence was requested; under the reading in use the clock does not stop.
    IdentityNoPause,
    /// Received before `date`, when the law set no date for this type.
    NoStatutoryDateBefore,
    /// The law sets no date for the answer.
    NoStatutoryDate,
    /// POPIA's "reasonable time" read without PAIA's 30 days.
    ReasonableTime,
    /// Acknowledge within `period` of receipt: by `date`.
    Acknowledge,
    /// The day of receipt is day 1 of `count`: `period` after it.
    ReceiptIsDayOne,
    /// A small processing agent: the period is doubled to `period`.
    SmallAgentDoubled,
    /// `period` from `from` → `date`.
    Period,
    /// `period` from `from` → `date`, the month's last day (the month has no day `from`'s day).
    PeriodClamped,
    /// `subject` requested `from`, received `until`: `count` days do not count → `date`.
    ClockPaused,
    /// `subject` requested `from`, still awaited: `count` days so far do not count → `date`.
    ClockPausedOpen,
    /// The subject was told `on` that the answer will come by `date`.
    ExtensionAnnounced,
    /// Notice sent `on` (on time, by `by`): `period` counted from `base` `from` → `date`.
    Extension,
    /// No roll: the `label` date is `date`.
    NoRoll,
    /// `date` is a working day → the `label` date.
    WorkingDay,
    /// `skipped` are rest days → the next working day, the `label` date `date`.
    Rolled,
    /// `count` working days before `from` → the internal target `date`.
    TargetBeforeDue,
    /// `period` from `from` → the internal target `date`.
    TargetFromStart,
    /// The promise of `count` days counts from identity verification, not yet made: no promised date yet.
    PromiseUnverified,
    /// Notice given `on` (by the promised `by`): the longer promise of `count` days from `base` → `date`.
    PromiseExtended,
    /// The promise of `count` days from `base` would end `by`, after the legal date: promised `date`.
    PromiseCapped,
    /// The promise: `count` calendar days from `base` (`from`) → promised `date`.
    Promise,
}

impl StepCode {
    /// Every code the engine emits (all but `Legacy`), for tests and coverage.
    pub const EMITTED: [StepCode; 27] = [
        StepCode::Received,
        StepCode::DayAfterReceipt,
        StepCode::ClockRestarted,
        StepCode::CostNoticeReflection,
        StepCode::NoPauseForVerification,
        StepCode::IdentityNoPause,
        StepCode::NoStatutoryDateBefore,
        StepCode::NoStatutoryDate,
        StepCode::ReasonableTime,
        StepCode::Acknowledge,
        StepCode::ReceiptIsDayOne,
        StepCode::SmallAgentDoubled,
        StepCode::Period,
        StepCode::PeriodClamped,
        StepCode::ClockPaused,
        StepCode::ClockPausedOpen,
        StepCode::ExtensionAnnounced,
        StepCode::Extension,
        StepCode::NoRoll,
        StepCode::WorkingDay,
        StepCode::Rolled,
        StepCode::TargetBeforeDue,
        StepCode::TargetFromStart,
        StepCode::PromiseUnverified,
        StepCode::PromiseExtended,
        StepCode::PromiseCapped,
        StepCode::Promise,
    ];
}

/// The values a step's sentence names. Dates are `YYYY-MM-DD`; a field a code
/// does not use is absent (and not stored).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct StepParams {
    /// The date the step reached.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// The date a period was counted from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    /// The day something happened (a notice sent, evidence received).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on: Option<NaiveDate>,
    /// A date the step compares against (the notice deadline met, the date a promise would end).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<NaiveDate>,
    /// The end of a pause.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<StepPeriod>,
    /// A number of days (paused, to reflect, promised, working days before).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// What paused or restarted the clock.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<StepSubject>,
    /// What a period or promise was counted from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base: Option<StepBase>,
    /// Which date a roll settled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<StepLabel>,
    /// The rest days a roll passed over.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<SkippedDay>,
}

/// A period as a count and a unit: {3, months}, {45, days}, {10, business-days}.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct StepPeriod {
    pub count: u32,
    pub unit: PeriodUnit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "kebab-case")]
pub enum PeriodUnit {
    Months,
    Days,
    BusinessDays,
}

/// What paused or restarted the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "kebab-case")]
pub enum StepSubject {
    Identity,
    Fee,
    Clarification,
    /// A pause the officer recorded.
    Officer,
}

/// What a period or promise was counted from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "kebab-case")]
pub enum StepBase {
    Start,
    Receipt,
    EndOfFirstMonth,
    OriginalDeadline,
    Verification,
}

/// Which date a roll settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "kebab-case")]
pub enum StepLabel {
    Due,
    ExtendedDue,
}

/// A rest day a roll passed over; `holiday` names a public holiday (as the calendar data names it).
/// `expected`: the holiday is only announced, not yet proclaimed, so the date rests on an
/// assumption the interface says in its own language (the name carries no English marker).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SkippedDay {
    pub date: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holiday: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub expected: bool,
}

/// Something the officer must know about a schedule (a refused extension, a paused clock).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Warning {
    /// A closed code scripts can branch on: `extension_notice_late`, `extension_repeated`,
    /// `extension_not_allowed`, `extension_date_missing`, `clock_paused`, `identity_awaited`,
    /// `fee_awaited`, `pause_not_recognised`, `event_ignored`, `promise_later_than_law`,
    /// `promise_extension_late`, `not_in_force`, `calendar_not_maintained`, `no_statutory_date`, `overdue`, `expected_holiday`.
    pub code: String,
    pub message: String,
}

/// A duty other than the answer itself, with its own date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Duty {
    pub id: String,
    pub label: String,
    pub due: NaiveDate,
    pub source: String,
}

/// Which reading the engine used where the sources disagree (LAW.md), and what it changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Reading {
    /// e.g. `uk-day-of-receipt`, `eu-identity-pause`, `ccpa-counting`, `ccpa-calendar`, `ccpa-roll`.
    pub id: String,
    pub chosen: String,
    pub consequence: String,
}

/// The dates of a request and their explanation.
///
/// `legal_due` is the legal due date in force: the extended date if validly
/// extended, else the original `due`; none where the law sets no date.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct Schedule {
    /// The rule set and version that produced these dates, e.g. `eu-gdpr@2025.1`.
    pub rule_set: String,
    /// The legal due date in force; none where the law sets no date.
    pub legal_due: Option<NaiveDate>,
    /// The explanation, step by step.
    pub steps: Vec<Step>,
    pub regime: String,
    pub jurisdiction: String,
    /// The holiday calendar used.
    pub calendar: String,
    pub received: NaiveDate,
    /// The day the clock (re)started: receipt, or a restart such as identity evidence received.
    pub clock_start: NaiveDate,
    /// False where the law sets no date: only `target` is meaningful.
    pub statutory: bool,
    /// Acknowledge receipt by (CCPA: 10 business days).
    pub ack_due: Option<NaiveDate>,
    /// The original legal due date (before any extension).
    pub due: Option<NaiveDate>,
    /// The last day to tell the subject of an extension; none where the regime allows none.
    pub extension_notice_due: Option<NaiveDate>,
    /// The extended due date, once validly extended.
    pub extended_due: Option<NaiveDate>,
    /// The organisation's own promise, never later than the law's date.
    pub promised_due: Option<NaiveDate>,
    /// The internal target: a few working days before the earliest binding date.
    pub target: Option<NaiveDate>,
    /// Calendar days the clock stood still (clarification, identity, manual pauses).
    pub paused_days: u32,
    /// True while a pause has started and not ended (the dates move each day).
    pub clock_paused: bool,
    /// The day `days_left` counts from, when given.
    pub today: Option<NaiveDate>,
    /// Days from `today` to the binding date (promise, else legal due, else target); negative when overdue.
    pub days_left: Option<i32>,
    pub duties: Vec<Duty>,
    pub warnings: Vec<Warning>,
    pub readings: Vec<Reading>,
}

impl Schedule {
    /// The explanation in one line, steps joined with arrows (for the CLI and letters).
    pub fn explanation_line(&self) -> String {
        self.steps.iter().map(|s| s.detail.as_str()).collect::<Vec<_>>().join(" → ")
    }

    pub fn has_warning(&self, code: &str) -> bool {
        self.warnings.iter().any(|w| w.code == code)
    }
}

/// Events that move a legal clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ClockEvent {
    IdentityRequested {
        on: NaiveDate,
    },
    IdentityReceived {
        on: NaiveDate,
    },
    ClarificationRequested {
        on: NaiveDate,
    },
    ClarificationReceived {
        on: NaiveDate,
    },
    FeeRequested {
        on: NaiveDate,
    },
    FeePaid {
        on: NaiveDate,
    },
    /// Switzerland: a cost contribution was announced (DPO Art. 19(2)).
    CostNotice {
        on: NaiveDate,
    },
    Paused {
        on: NaiveDate,
        reason: String,
    },
    Resumed {
        on: NaiveDate,
    },
    /// The subject was told of an extension (and, in Switzerland, of the new date).
    ExtensionNoticeSent {
        on: NaiveDate,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        until: Option<NaiveDate>,
    },
}

impl ClockEvent {
    pub fn on(&self) -> NaiveDate {
        match self {
            ClockEvent::IdentityRequested { on }
            | ClockEvent::IdentityReceived { on }
            | ClockEvent::ClarificationRequested { on }
            | ClockEvent::ClarificationReceived { on }
            | ClockEvent::FeeRequested { on }
            | ClockEvent::FeePaid { on }
            | ClockEvent::CostNotice { on }
            | ClockEvent::Paused { on, .. }
            | ClockEvent::Resumed { on }
            | ClockEvent::ExtensionNoticeSent { on, .. } => *on,
        }
    }

    /// The kebab-case name, as in JSON.
    pub fn kind(&self) -> &'static str {
        match self {
            ClockEvent::IdentityRequested { .. } => "identity-requested",
            ClockEvent::IdentityReceived { .. } => "identity-received",
            ClockEvent::ClarificationRequested { .. } => "clarification-requested",
            ClockEvent::ClarificationReceived { .. } => "clarification-received",
            ClockEvent::FeeRequested { .. } => "fee-requested",
            ClockEvent::FeePaid { .. } => "fee-paid",
            ClockEvent::CostNotice { .. } => "cost-notice",
            ClockEvent::Paused { .. } => "paused",
            ClockEvent::Resumed { .. } => "resumed",
            ClockEvent::ExtensionNoticeSent { .. } => "extension-notice-sent",
        }
    }
}

/// Which holidays define a CCPA "business day".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "kebab-case")]
pub enum CcpaCalendar {
    /// US federal holidays (5 U.S.C. 6103): the default.
    #[default]
    UsFederal,
    /// California state holidays (Gov. Code § 6700).
    California,
}

/// What the organisation's promise counts from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "kebab-case")]
pub enum PromiseStart {
    /// The day the request was received: the default.
    #[default]
    Receipt,
    /// The day the subject's identity was verified (the first verified identity check):
    /// no promised date until then.
    Verification,
}

/// Organisation-wide choices that shape the dates. Each reading where the sources
/// disagree defaults to the one LAW.md recommends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct EngineOptions {
    /// "We answer within N days" (calendar days from `promise_from`); may only make a date earlier.
    pub promise_days: Option<u32>,
    /// The promise for complex requests ("or 45 days with notice"): applies once an extension
    /// notice is recorded no later than the promised date; longer than `promise_days`, and still
    /// never later than the law's date.
    pub promise_extended_days: Option<u32>,
    /// What the promise counts from: receipt (the default) or identity verification ("verified
    /// requests"). The legal date is counted as the law says, whatever this is.
    pub promise_from: PromiseStart,
    /// The internal target: this many working days before the binding date.
    pub target_working_days: u32,
    /// EU GDPR: pause the month while identity evidence is awaited (Art. 12(6) reading); off by default.
    pub eu_identity_pause: bool,
    /// CCPA business days: federal (default) or California holidays.
    pub ccpa_calendar: CcpaCalendar,
    /// CCPA: the 45 days begin on the day of receipt (11 CCR § 7021(b): day 1, +44), the default
    /// and earlier date; off counts them excluding the first day (+45, CCP § 12).
    pub ccpa_receipt_is_day_one: bool,
    /// CCPA: move a 45-day deadline that ends on a weekend or holiday (CCP § 12a); off by default.
    pub ccpa_roll_holidays: bool,
    /// UK: count from the day after receipt (ICO before 2019) instead of the day of receipt.
    pub uk_day_after_receipt: bool,
    /// Brazil: the organisation is a small processing agent, whose periods are doubled
    /// (ANPD Resolution CD/ANPD 2/2022 art. 14); off by default.
    pub lgpd_small_agent: bool,
    /// EU GDPR: count the extended date three months from the start instead of two months after
    /// the end of the first month (Reg. 1182/71 Art. 3(2)(c), the default and never later).
    pub eu_extension_from_start: bool,
    /// South Africa: read POPIA s. 23's "reasonable time" (no statutory date, an internal target)
    /// instead of PAIA's 30 + 30 days (the default, a date).
    pub popia_reasonable_time: bool,
}

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions {
            promise_days: None,
            promise_extended_days: None,
            promise_from: PromiseStart::Receipt,
            target_working_days: 5,
            eu_identity_pause: false,
            ccpa_calendar: CcpaCalendar::UsFederal,
            ccpa_receipt_is_day_one: true,
            ccpa_roll_holidays: false,
            uk_day_after_receipt: false,
            lgpd_small_agent: false,
            eu_extension_from_start: false,
            popia_reasonable_time: false,
        }
    }
}

impl EngineOptions {
    /// Reads options as stored by `deadlines`. Options saved before the readings of
    /// issue 19 existed (no `eu_extension_from_start` key) stored `ccpa_receipt_is_day_one: false`
    /// as the old default, not as a choice: they take today's default, the earlier date.
    pub fn from_stored_json(json: &str) -> Option<EngineOptions> {
        let value: serde_json::Value = serde_json::from_str(json).ok()?;
        let before_readings = value.get("eu_extension_from_start").is_none();
        let mut options: EngineOptions = serde_json::from_value(value).ok()?;
        if before_readings {
            options.ccpa_receipt_is_day_one = EngineOptions::default().ccpa_receipt_is_day_one;
        }
        Some(options)
    }
}

#[cfg(test)]
mod tests {
    use super::EngineOptions;

    #[test]
    fn options_saved_before_the_readings_take_the_earlier_ccpa_date() {
        let old = r#"{"promise_days":30,"target_working_days":5,"eu_identity_pause":false,"ccpa_calendar":"us-federal","ccpa_receipt_is_day_one":false,"ccpa_roll_holidays":false,"uk_day_after_receipt":false}"#;
        let o = EngineOptions::from_stored_json(old).unwrap();
        assert!(o.ccpa_receipt_is_day_one);
        assert_eq!(o.promise_days, Some(30));
        let chosen = EngineOptions { ccpa_receipt_is_day_one: false, ..EngineOptions::default() };
        let new = serde_json::to_string(&chosen).unwrap();
        assert_eq!(EngineOptions::from_stored_json(&new), Some(chosen), "a choice saved now is kept");
        assert_eq!(EngineOptions::from_stored_json("not json"), None);
    }
}

/// Everything the engine needs to compute a request's schedule.
#[derive(Debug, Clone)]
pub struct ScheduleInput<'a> {
    pub regime: &'a str,
    pub jurisdiction: &'a str,
    pub request_type: RequestType,
    pub received_on: NaiveDate,
    pub events: &'a [ClockEvent],
    pub options: &'a EngineOptions,
    /// The organisation's local date today, for `days_left`; none leaves it out.
    pub today: Option<NaiveDate>,
}
