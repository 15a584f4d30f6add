//! Each seed company's own process (issue 19 item 12). First, CRM Factory's
//! promise: "We will respond to verified requests within 30 days (or 45 days
//! for complex requests with prior notice)" — the promise counts from identity
//! verification and has its own extension with notice, while the legal date
//! stays counted as the law says.
//!
//! The options are read from JSON as the settings store keeps them, so the
//! table runs (and fails) on an engine that does not know the new fields.

use chrono::NaiveDate;
use rightsdesk_core::deadline::{compute, ClockEvent, EngineOptions, Schedule, ScheduleInput};
use rightsdesk_core::domain::RequestType;
use serde_json::json;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap_or_else(|_| panic!("bad date in test: {s}"))
}

fn verified(on: &str) -> ClockEvent {
    ClockEvent::IdentityReceived { on: d(on) }
}

fn notice(on: &str) -> ClockEvent {
    ClockEvent::ExtensionNoticeSent { on: d(on), reason: Some("complex request".into()), until: None }
}

/// CRM Factory's published promise, as stored settings.
fn crm_factory() -> EngineOptions {
    serde_json::from_value(json!({
        "promise_days": 30,
        "promise_extended_days": 45,
        "promise_from": "verification",
    }))
    .expect("CRM Factory's options")
}

fn run(regime: &str, jurisdiction: &str, received: &str, events: &[ClockEvent], options: &EngineOptions) -> Schedule {
    compute(&ScheduleInput {
        regime,
        jurisdiction,
        request_type: RequestType::Access,
        received_on: d(received),
        events,
        options,
        today: None,
    })
    .unwrap_or_else(|e| panic!("{regime}/{jurisdiction} {received}: {e}"))
}

struct Row {
    why: &'static str,
    regime: &'static str,
    jurisdiction: &'static str,
    received: &'static str,
    events: Vec<ClockEvent>,
    promised: Option<&'static str>,
    legal: &'static str,
    warning: Option<&'static str>,
}

#[test]
fn crm_factory_promises_30_days_from_verification_or_45_with_notice_and_the_law_counts_from_receipt() {
    let rows = vec![
        Row {
            why: "30 days from verification (10 Mar), not from receipt (3 Mar); the CCPA's 45 days still count from receipt",
            regime: "ccpa",
            jurisdiction: "US-CA",
            received: "2025-03-03",
            events: vec![verified("2025-03-10")],
            promised: Some("2025-04-09"),
            legal: "2025-04-16",
            warning: None,
        },
        Row {
            why: "not yet verified: no promised date, the legal date stands",
            regime: "ccpa",
            jurisdiction: "US-CA",
            received: "2025-03-03",
            events: vec![],
            promised: None,
            legal: "2025-04-16",
            warning: None,
        },
        Row {
            why: "notice given before the promised 9 Apr: 45 days from verification",
            regime: "ccpa",
            jurisdiction: "US-CA",
            received: "2025-03-03",
            events: vec![verified("2025-03-10"), notice("2025-04-01")],
            promised: Some("2025-04-24"),
            legal: "2025-05-31",
            warning: None,
        },
        Row {
            why: "notice after the promised 9 Apr: the 30-day promise stands",
            regime: "ccpa",
            jurisdiction: "US-CA",
            received: "2025-03-03",
            events: vec![verified("2025-03-10"), notice("2025-04-12")],
            promised: Some("2025-04-09"),
            legal: "2025-05-31",
            warning: Some("promise_extension_late"),
        },
        Row {
            why: "verified late (10 Apr): the promise would end 10 May, after the law's 16 Apr, which applies",
            regime: "ccpa",
            jurisdiction: "US-CA",
            received: "2025-03-03",
            events: vec![verified("2025-04-10")],
            promised: Some("2025-04-16"),
            legal: "2025-04-16",
            warning: Some("promise_later_than_law"),
        },
        Row {
            why: "GDPR: verified 5 Feb, promise to 7 Mar would pass the month (28 Feb): the law's date",
            regime: "eu-gdpr",
            jurisdiction: "IE",
            received: "2025-01-31",
            events: vec![verified("2025-02-05")],
            promised: Some("2025-02-28"),
            legal: "2025-02-28",
            warning: Some("promise_later_than_law"),
        },
        Row {
            why: "GDPR: notice within the promise extends both; the promise is 45 days from verification",
            regime: "eu-gdpr",
            jurisdiction: "IE",
            received: "2025-01-31",
            events: vec![verified("2025-02-05"), notice("2025-02-20")],
            promised: Some("2025-03-22"),
            legal: "2025-04-28",
            warning: None,
        },
    ];
    let options = crm_factory();
    for r in rows {
        let s = run(r.regime, r.jurisdiction, r.received, &r.events, &options);
        let what = format!("{} {} ({})\n{}", r.regime, r.received, r.why, s.explanation_line());
        assert_eq!(s.promised_due, r.promised.map(d), "promised: {what}");
        assert_eq!(s.legal_due, Some(d(r.legal)), "legal: {what}");
        if let Some(code) = r.warning {
            assert!(s.has_warning(code), "warning {code}: {what}");
        } else {
            assert!(
                !s.has_warning("promise_later_than_law") && !s.has_warning("promise_extension_late"),
                "no promise warning: {what}"
            );
        }
        if r.promised.is_some() {
            let binding = s.promised_due.expect("promised");
            assert!(s.target.is_some_and(|t| t < binding), "the target precedes the promise: {what}");
        }
    }
}

#[test]
fn the_promise_still_counts_from_receipt_by_default_and_extends_only_with_notice() {
    let options: EngineOptions =
        serde_json::from_value(json!({ "promise_days": 30, "promise_extended_days": 45 })).expect("options");
    let plain = run("ccpa", "US-CA", "2025-03-03", &[verified("2025-03-10")], &options);
    assert_eq!(plain.promised_due, Some(d("2025-04-02")), "30 days from receipt");
    let noticed = run("ccpa", "US-CA", "2025-03-03", &[notice("2025-03-20")], &options);
    assert_eq!(noticed.promised_due, Some(d("2025-04-17")), "45 days from receipt");
    let old: EngineOptions = serde_json::from_value(json!({ "promise_days": 30 })).expect("options saved before");
    assert_eq!(
        run("ccpa", "US-CA", "2025-03-03", &[notice("2025-03-20")], &old).promised_due,
        Some(d("2025-04-02")),
        "without an extended promise, a notice does not move the promise"
    );
}
