//! Properties of the date arithmetic that hold for every regime, jurisdiction and date.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use proptest::prelude::*;
use rightsdesk_core::deadlines::{compute, holidays, regimes, ClockEvent, EngineOptions, Schedule, ScheduleInput};
use rightsdesk_core::domain::RequestType;

fn date_in_range() -> impl Strategy<Value = NaiveDate> {
    // 2015-01-01 .. 2040-06-30: the years the holiday calendars are maintained for.
    (0u64..9_300).prop_map(|n| NaiveDate::from_ymd_opt(2015, 1, 1).and_then(|d| d.checked_add_days(Days::new(n))).unwrap_or_default())
}

fn regime_and_jurisdiction() -> impl Strategy<Value = (String, String)> {
    let pairs: Vec<(String, String)> =
        regimes().iter().flat_map(|r| r.jurisdictions.iter().map(move |j| (r.id.clone(), j.code.clone()))).collect();
    proptest::sample::select(pairs)
}

fn request_type() -> impl Strategy<Value = RequestType> {
    proptest::sample::select(RequestType::ALL.to_vec())
}

fn run(regime: &str, j: &str, t: RequestType, received: NaiveDate, events: &[ClockEvent], options: &EngineOptions) -> Schedule {
    compute(&ScheduleInput { regime, jurisdiction: j, request_type: t, received_on: received, events, options, today: None })
        .expect("valid input computes")
}

fn is_rest_day(calendar: &str, d: NaiveDate, saturday_rests: bool) -> bool {
    let holiday = holidays(calendar, d.year()).map(|l| l.iter().any(|(h, _)| *h == d)).unwrap_or(false);
    d.weekday() == Weekday::Sun || (saturday_rests && d.weekday() == Weekday::Sat) || holiday
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn no_date_is_ever_before_receipt((regime, j) in regime_and_jurisdiction(), t in request_type(), received in date_in_range()) {
        let s = run(&regime, &j, t, received, &[], &EngineOptions::default());
        for date in [s.legal_due, s.due, s.target, s.ack_due, s.promised_due, s.extension_notice_due].into_iter().flatten() {
            prop_assert!(date >= received, "{regime} {j} {received}: {date}");
        }
        prop_assert!(s.legal_due.is_some() == s.statutory);
        prop_assert!(s.steps.iter().all(|st| !st.source.is_empty()));
    }

    #[test]
    fn a_rolling_regime_never_ends_on_a_rest_day((regime, j) in regime_and_jurisdiction(), received in date_in_range()) {
        let saturday_rests = match regime.as_str() {
            "eu-gdpr" | "uk-gdpr" | "ch-fadp" | "au-agency" => true,
            "pipeda" | "quebec" | "popia" => false,
            _ => return Ok(()),
        };
        // (Switzerland's extended date is the one announced to the subject, so it is not rolled: no `until` here.)
        let notice = ClockEvent::ExtensionNoticeSent { on: received, reason: None, until: None };
        let s = run(&regime, &j, RequestType::Access, received, &[notice], &EngineOptions::default());
        for date in [s.due, s.extended_due].into_iter().flatten() {
            prop_assert!(!is_rest_day(&s.calendar, date, saturday_rests), "{regime} {j} received {received}: {date} is a rest day");
        }
    }

    #[test]
    fn a_pause_never_brings_a_date_forward(received in date_in_range(), start in 0u64..40, len in 0u64..20, j in proptest::sample::select(vec!["GB-ENG", "GB-SCT", "GB-NIR"])) {
        let from = received.checked_add_days(Days::new(start)).expect("in range");
        let to = from.checked_add_days(Days::new(len)).expect("in range");
        let o = EngineOptions::default();
        let plain = run("uk-gdpr", j, RequestType::Access, received, &[], &o);
        let paused = run("uk-gdpr", j, RequestType::Access, received, &[
            ClockEvent::ClarificationRequested { on: from },
            ClockEvent::ClarificationReceived { on: to },
        ], &o);
        prop_assert!(paused.legal_due >= plain.legal_due);
        prop_assert!(paused.target >= plain.target);
        let restarted = run("uk-gdpr", j, RequestType::Access, received, &[ClockEvent::IdentityReceived { on: from }], &o);
        prop_assert!(restarted.legal_due >= plain.legal_due);
    }

    #[test]
    fn an_extension_never_brings_a_date_forward((regime, j) in regime_and_jurisdiction(), t in request_type(), received in date_in_range(), after in 0u64..120) {
        let o = EngineOptions::default();
        let plain = run(&regime, &j, t, received, &[], &o);
        let on = received.checked_add_days(Days::new(after)).expect("in range");
        let extended = run(&regime, &j, t, received, &[ClockEvent::ExtensionNoticeSent { on, reason: None, until: None }], &o);
        prop_assert!(extended.legal_due >= plain.legal_due);
        prop_assert_eq!(extended.due, plain.due);
        if let (Some(e), Some(d)) = (extended.extended_due, plain.due) {
            prop_assert!(e >= d);
        }
        if extended.extended_due.is_none() && plain.statutory {
            prop_assert!(!extended.warnings.is_empty(), "a refused extension is always explained");
        }
    }

    #[test]
    fn the_promise_never_makes_a_date_later((regime, j) in regime_and_jurisdiction(), received in date_in_range(), days in 0u32..120) {
        let plain = run(&regime, &j, RequestType::Access, received, &[], &EngineOptions::default());
        let promised = run(&regime, &j, RequestType::Access, received, &[], &EngineOptions { promise_days: Some(days), ..EngineOptions::default() });
        prop_assert_eq!(promised.legal_due, plain.legal_due);
        if let (Some(p), Some(l)) = (promised.promised_due, plain.legal_due) {
            prop_assert!(p <= l);
        }
        if plain.statutory {
            prop_assert!(promised.target <= plain.target);
        }
    }

    #[test]
    fn any_input_gives_a_schedule_or_an_error_never_a_panic(
        regime in "[a-z-]{0,12}|eu-gdpr|uk-gdpr|ccpa",
        j in "[A-Z-]{0,6}|DE|GB-ENG|US-CA",
        days in any::<i32>(),
        offsets in proptest::collection::vec((0u8..10, any::<i16>()), 0..6),
        promise in proptest::option::of(any::<u32>()),
        target in any::<u32>(),
    ) {
        let received = NaiveDate::from_num_days_from_ce_opt(days.rem_euclid(3_000_000)).unwrap_or_default();
        let events: Vec<ClockEvent> = offsets.iter().filter_map(|(k, off)| {
            let on = received.checked_add_signed(chrono::Duration::days(i64::from(*off)))?;
            Some(match k {
                0 => ClockEvent::IdentityRequested { on },
                1 => ClockEvent::IdentityReceived { on },
                2 => ClockEvent::ClarificationRequested { on },
                3 => ClockEvent::ClarificationReceived { on },
                4 => ClockEvent::FeeRequested { on },
                5 => ClockEvent::FeePaid { on },
                6 => ClockEvent::CostNotice { on },
                7 => ClockEvent::Paused { on, reason: "x".into() },
                8 => ClockEvent::Resumed { on },
                _ => ClockEvent::ExtensionNoticeSent { on, reason: None, until: Some(on) },
            })
        }).collect();
        let options = EngineOptions { promise_days: promise, target_working_days: target % 10_000, ..EngineOptions::default() };
        let _ = compute(&ScheduleInput { regime: &regime, jurisdiction: &j, request_type: RequestType::Access, received_on: received, events: &events, options: &options, today: Some(received) });
    }
}

// ---- Every step carries a code the interface can write in its own language (issue 21, item 3) ----

use rightsdesk_core::deadlines::{PromiseStart, StepCode};
use std::collections::BTreeSet;

/// The events that move a clock: pauses open and closed, restarts, a cost notice,
/// an extension (with and without the announced date), each relative to receipt.
fn event_scenarios(received: NaiveDate) -> Vec<Vec<ClockEvent>> {
    let d = |n: u64| received.checked_add_days(Days::new(n)).expect("in range");
    vec![
        vec![],
        vec![ClockEvent::IdentityRequested { on: d(2) }, ClockEvent::IdentityReceived { on: d(6) }],
        vec![ClockEvent::IdentityRequested { on: d(2) }],
        vec![ClockEvent::ClarificationRequested { on: d(3) }, ClockEvent::ClarificationReceived { on: d(9) }],
        vec![ClockEvent::ClarificationRequested { on: d(3) }],
        vec![ClockEvent::FeeRequested { on: d(1) }, ClockEvent::FeePaid { on: d(5) }],
        vec![ClockEvent::CostNotice { on: d(4) }],
        vec![ClockEvent::Paused { on: d(2), reason: "x".into() }, ClockEvent::Resumed { on: d(8) }],
        vec![ClockEvent::ExtensionNoticeSent { on: d(5), reason: None, until: None }],
        vec![ClockEvent::ExtensionNoticeSent { on: d(5), reason: None, until: Some(d(80)) }],
        vec![
            ClockEvent::IdentityRequested { on: d(1) },
            ClockEvent::IdentityReceived { on: d(3) },
            ClockEvent::ExtensionNoticeSent { on: d(4), reason: None, until: Some(d(90)) },
        ],
    ]
}

/// Every reading and promise the options offer, one at a time and together.
fn option_sets() -> Vec<EngineOptions> {
    let promise = EngineOptions { promise_days: Some(20), promise_extended_days: Some(40), ..EngineOptions::default() };
    vec![
        EngineOptions::default(),
        EngineOptions { eu_identity_pause: true, eu_extension_from_start: true, ..EngineOptions::default() },
        EngineOptions { ccpa_receipt_is_day_one: true, ccpa_roll_holidays: true, ..EngineOptions::default() },
        EngineOptions { uk_day_after_receipt: true, lgpd_small_agent: true, popia_reasonable_time: true, ..EngineOptions::default() },
        promise.clone(),
        EngineOptions { promise_from: PromiseStart::Verification, ..promise.clone() },
        EngineOptions { promise_days: Some(400), ..EngineOptions::default() },
    ]
}

#[test]
fn every_step_the_engine_explains_has_a_code_the_interface_can_translate() {
    let mut seen = BTreeSet::new();
    let mut computed = 0;
    // A month end (31 Jan: the month has no 31 Feb), a Friday before a holiday weekend, a plain day.
    let days = ["2025-01-31", "2025-12-19", "2026-06-10", "2024-03-01"].map(|d| d.parse::<NaiveDate>().expect("date"));
    for info in regimes() {
        // The default place and one other (a second calendar), every type.
        for j in info.jurisdictions.iter().filter(|j| j.code == info.default_jurisdiction).chain(info.jurisdictions.iter().last()) {
            for t in RequestType::ALL.iter().copied() {
                for received in days {
                    for events in event_scenarios(received) {
                        for o in option_sets() {
                            let s = run(&info.id, &j.code, t, received, &events, &o);
                            computed += 1;
                            for st in &s.steps {
                                assert_ne!(st.code, StepCode::Legacy, "{} {} {t}: step {:?} has no code", info.id, j.code, st.rule);
                                assert!(!st.source.is_empty());
                                seen.insert(format!("{:?}", st.code));
                            }
                        }
                    }
                }
            }
        }
    }
    assert!(computed > 1000, "the sweep ran ({computed} schedules)");
    let missing: Vec<String> = StepCode::EMITTED.iter().map(|c| format!("{c:?}")).filter(|c| !seen.contains(c)).collect();
    assert!(missing.is_empty(), "codes the engine never emitted in the sweep (unreachable, or the sweep misses a case): {missing:?}");
}

#[test]
fn a_schedule_stored_before_steps_had_codes_still_reads_with_its_english_words() {
    // The JSON of a `requests.schedule` row written by an earlier version.
    let old = r#"{"rule_set":"eu-gdpr@2025.1","legal_due":"2025-02-28","regime":"eu-gdpr","jurisdiction":"DE",
        "calendar":"DE","received":"2025-01-31","clock_start":"2025-01-31","statutory":true,"due":"2025-02-28",
        "steps":[{"rule":"date of receipt","detail":"Received Fri 31 Jan 2025","source":"GDPR Art. 12(3)"},
                 {"rule":"one calendar month","detail":"one calendar month → Fri 28 Feb 2025","source":"GDPR Art. 12(3)"}]}"#;
    let s: Schedule = serde_json::from_str(old).expect("an old stored schedule still reads");
    assert_eq!(s.steps.len(), 2);
    assert!(s.steps.iter().all(|st| st.code == StepCode::Legacy && st.params == Default::default()));
    assert_eq!(s.steps[1].detail, "one calendar month → Fri 28 Feb 2025");
    // And a new one round-trips with its codes, storing no empty parameter.
    let new = run("eu-gdpr", "DE", RequestType::Access, "2025-01-31".parse().expect("date"), &[], &EngineOptions::default());
    let json = serde_json::to_string(&new).expect("json");
    assert!(json.contains(r#""code":"period-clamped""#), "{json}");
    assert!(!json.contains("null,\"count\"") && !json.contains("\"skipped\":[]"), "{json}");
    assert_eq!(serde_json::from_str::<Schedule>(&json).expect("reads back"), new);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn no_generated_request_gets_an_uncoded_step(
        (regime, j) in regime_and_jurisdiction(),
        t in request_type(),
        received in date_in_range(),
        offsets in proptest::collection::vec((0u8..10, 0u64..90), 0..6),
        promise in proptest::option::of(0u32..90),
    ) {
        let events: Vec<ClockEvent> = offsets.iter().map(|(k, off)| {
            let on = received.checked_add_days(Days::new(*off)).expect("in range");
            match k {
                0 => ClockEvent::IdentityRequested { on },
                1 => ClockEvent::IdentityReceived { on },
                2 => ClockEvent::ClarificationRequested { on },
                3 => ClockEvent::ClarificationReceived { on },
                4 => ClockEvent::FeeRequested { on },
                5 => ClockEvent::FeePaid { on },
                6 => ClockEvent::CostNotice { on },
                7 => ClockEvent::Paused { on, reason: "x".into() },
                8 => ClockEvent::Resumed { on },
                _ => ClockEvent::ExtensionNoticeSent { on, reason: None, until: Some(on + Days::new(60)) },
            }
        }).collect();
        let o = EngineOptions { promise_days: promise, eu_identity_pause: offsets.len() % 2 == 0, ..EngineOptions::default() };
        let s = run(&regime, &j, t, received, &events, &o);
        prop_assert!(s.steps.iter().all(|st| st.code != StepCode::Legacy), "{regime} {j}: {:?}", s.steps);
        prop_assert!(s.steps.iter().all(|st| st.params.date.is_some() || !matches!(st.code,
            StepCode::Received | StepCode::Period | StepCode::PeriodClamped | StepCode::NoRoll | StepCode::WorkingDay | StepCode::Rolled)));
    }
}
