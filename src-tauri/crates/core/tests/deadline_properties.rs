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
