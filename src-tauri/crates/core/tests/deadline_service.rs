//! The engine at work on stored requests: clock events, extensions, settings, history.

mod common;

use chrono::NaiveDate;
use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::deadlines;
use rightsdesk_core::deadlines::{ClockEvent, EngineOptions};
use rightsdesk_core::domain::RequestId;
use rightsdesk_core::domain::{NewRequest, RequestType, Status};
use rightsdesk_core::requests;
use rightsdesk_core::store::Db;
use rightsdesk_core::Error;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn open(dir: &tempfile::TempDir) -> Db {
    common::register_in(dir.path())
}

fn uk_access(received: &str) -> NewRequest {
    NewRequest {
        request_type: RequestType::Access,
        regime: "uk-gdpr".into(),
        jurisdiction: "GB-ENG".into(),
        subject_name: "Oliver Example".into(),
        subject_email: "oliver@example.co.uk".into(),
        received: received.into(),
        time_zone: "Europe/London".into(),
        ..Default::default()
    }
}

#[test]
fn a_clarification_pause_moves_the_due_date_and_the_timeline_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let db = open(&dir);
    let clock = FixedClock::at("2025-09-20");
    let r = requests::register(&db, &clock, &uk_access("2025-09-03"), "dpo").unwrap();
    assert_eq!(r.due, Some(d("2025-10-03")));
    rightsdesk_core::requests::schedules::record_clock_event(
        &db,
        &clock,
        &RequestId::from(&r.id),
        ClockEvent::ClarificationRequested { on: d("2025-09-05") },
        "dpo",
    )
    .unwrap();
    let detail = rightsdesk_core::requests::schedules::record_clock_event(
        &db,
        &clock,
        &RequestId::from(&r.id),
        ClockEvent::ClarificationReceived { on: d("2025-09-09") },
        "dpo",
    )
    .unwrap();
    // 5 to 9 September inclusive do not count: five days later.
    assert_eq!(detail.request.due, Some(d("2025-10-08")));
    let kinds: Vec<_> = detail.timeline.iter().map(|e| e.kind.as_str()).collect();
    assert!(kinds.contains(&"clock"));
    let recomputed = detail.timeline.iter().rev().find(|e| e.kind == "dates-recomputed").unwrap();
    assert!(recomputed.summary.contains("Wed 8 Oct 2025"), "{}", recomputed.summary);
}

#[test]
fn a_late_extension_notice_is_refused_naming_the_notice_deadline_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let db = open(&dir);
    let clock = FixedClock::at("2025-03-20");
    let r = requests::register(
        &db,
        &clock,
        &NewRequest { regime: "eu-gdpr".into(), jurisdiction: "DE".into(), time_zone: "Europe/Berlin".into(), ..uk_access("2025-01-31") },
        "dpo",
    )
    .unwrap();
    let before = requests::detail(&db, &clock, &r.id).unwrap();
    let late = ClockEvent::ExtensionNoticeSent { on: d("2025-03-10"), reason: Some("complex".into()), until: None };
    let err = rightsdesk_core::requests::schedules::record_clock_event(&db, &clock, &RequestId::from(&r.id), late, "dpo").unwrap_err();
    assert_eq!(err.field(), Some("extension"));
    assert!(err.to_string().contains("28 Feb 2025"), "{err}");
    assert_eq!(requests::detail(&db, &clock, &r.id).unwrap(), before);
}

#[test]
fn an_extension_on_time_extends_to_two_months_after_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let db = open(&dir);
    let clock = FixedClock::at("2025-02-20");
    let r = requests::register(
        &db,
        &clock,
        &NewRequest { regime: "eu-gdpr".into(), jurisdiction: "DE".into(), time_zone: "Europe/Berlin".into(), ..uk_access("2025-01-31") },
        "dpo",
    )
    .unwrap();
    let on_time = ClockEvent::ExtensionNoticeSent { on: d("2025-02-20"), reason: Some("complex".into()), until: None };
    let detail = rightsdesk_core::requests::schedules::record_clock_event(&db, &clock, &RequestId::from(&r.id), on_time, "dpo").unwrap();
    // 28 Feb + two months (Reg. 1182/71 Art. 3(2)(c)), the default reading; not 30 Apr.
    assert_eq!(detail.request.schedule.extended_due, Some(d("2025-04-28")));
    assert_eq!(detail.request.due, Some(d("2025-04-28")));
}

#[test]
fn changing_the_promise_recomputes_open_requests_but_never_closed_ones() {
    let dir = tempfile::tempdir().unwrap();
    let db = open(&dir);
    let clock = FixedClock::at("2025-02-10");
    let ccpa = NewRequest {
        regime: "ccpa".into(),
        jurisdiction: "US-CA".into(),
        time_zone: "America/Los_Angeles".into(),
        ..uk_access("2025-02-03")
    };
    let open_one = requests::register(&db, &clock, &ccpa, "dpo").unwrap();
    let closed = requests::register(&db, &clock, &ccpa, "dpo").unwrap();
    requests::change_status(&db, &clock, &RequestId::from(&closed.id), Status::Withdrawn, None, "dpo").unwrap();
    let closed_before = requests::detail(&db, &clock, &closed.id).unwrap().request.schedule;
    let options = EngineOptions { promise_days: Some(30), ..Default::default() };
    rightsdesk_core::requests::schedules::set_deadline_options(&db, &clock, &options, "dpo").unwrap();
    let open_after = requests::detail(&db, &clock, &open_one.id).unwrap();
    assert_eq!(open_after.request.schedule.promised_due, Some(d("2025-03-05")));
    assert!(open_after.timeline.iter().any(|e| e.kind == "dates-recomputed"));
    assert_eq!(requests::detail(&db, &clock, &closed.id).unwrap().request.schedule, closed_before);
    assert_eq!(deadlines::options(&db).unwrap(), options);
}

#[test]
fn a_clock_event_in_the_future_or_on_a_closed_request_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = open(&dir);
    let clock = FixedClock::at("2025-09-10");
    let r = requests::register(&db, &clock, &uk_access("2025-09-03"), "dpo").unwrap();
    let err = rightsdesk_core::requests::schedules::record_clock_event(
        &db,
        &clock,
        &RequestId::from(&r.id),
        ClockEvent::IdentityRequested { on: d("2025-09-11") },
        "dpo",
    )
    .unwrap_err();
    assert_eq!(err.field(), Some("on"));
    requests::change_status(&db, &clock, &RequestId::from(&r.id), Status::Withdrawn, None, "dpo").unwrap();
    let err = rightsdesk_core::requests::schedules::record_clock_event(
        &db,
        &clock,
        &RequestId::from(&r.id),
        ClockEvent::IdentityRequested { on: d("2025-09-04") },
        "dpo",
    )
    .unwrap_err();
    assert!(matches!(err, Error::Invalid { field: "event", .. }));
}

#[test]
fn the_what_if_calculator_needs_no_database() {
    let schedule = deadlines::what_if(
        None,
        &deadlines::WhatIf {
            regime: "eu-gdpr".into(),
            jurisdiction: "DE".into(),
            request_type: RequestType::Access,
            received: d("2025-01-31"),
            events: vec![],
            options: None,
            today: Some(d("2025-02-10")),
        },
    )
    .unwrap();
    assert_eq!(schedule.due, Some(d("2025-02-28")));
    assert_eq!(schedule.days_left, Some(18));
    assert!(schedule.steps.iter().all(|s| !s.source.is_empty()));
}
