//! A request's next step, read from a real register: each kind, and how the
//! step moves on once the officer has done it (issue 21, item 1).

mod common;

use chrono::NaiveDate;
use rightsdesk_core::clock::{Clock, FixedClock};
use rightsdesk_core::datamap;
use rightsdesk_core::deadlines::ClockEvent;
use rightsdesk_core::domain::{NewRequest, Request, RequestId, RequestType, Status};
use rightsdesk_core::identity::{self, IdentityInput, IdentityMethod, IdentityOutcome};
use rightsdesk_core::letters::templates::TemplateName;
use rightsdesk_core::letters::{self as mail, outbox, LetterInput};
use rightsdesk_core::register::dashboard::{self, NeedKind};
use rightsdesk_core::register::next_step::{next_step, NextStep, NextStepKind};
use rightsdesk_core::requests::{self, schedules};
use rightsdesk_core::settings::mail::{self as mail_settings, MailSettings};
use rightsdesk_core::store::Db;
use rightsdesk_core::tasks::{self, TaskStatus, TaskUpdate};

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn add(db: &Db, clock: &FixedClock, input: NewRequest) -> Request {
    requests::register(db, clock, &NewRequest { time_zone: "UTC".into(), ..input }, "officer").unwrap()
}

fn ccpa(received: &str) -> NewRequest {
    NewRequest { regime: "ccpa".into(), jurisdiction: "US-CA".into(), ..common::ada(received) }
}

fn step(db: &Db, clock: &FixedClock, r: &Request) -> NextStep {
    next_step(db, clock, &r.id).unwrap()
}

/// Sends the acknowledgement as the app does up to the server's "250 OK": queued, then recorded as sent.
fn acknowledge(db: &Db, clock: &FixedClock, r: &Request) {
    mail_settings::save(
        db,
        MailSettings {
            host: "localhost".into(),
            port: 2525,
            from_address: "privacy@example.com".into(),
            org_name: "Example Ltd".into(),
            dpo_contact: "dpo@example.com".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let details = "We will compare the details you give with the account data we hold.";
    let input = LetterInput { template: "acknowledgement".into(), details: details.into(), ..Default::default() };
    let letter = mail::draft::queue(db, clock, &RequestId::from(&r.id), &input, &[], "officer").unwrap();
    outbox::record_sent(db, &letter.id, "250 OK", clock.now(), "officer", false).unwrap();
}

#[test]
fn a_fresh_ccpa_request_is_acknowledged_by_the_laws_date_then_its_answer_is_next() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::register_in(dir.path());
    let clock = FixedClock::at("2025-03-05");
    // Received Monday 3 March: acknowledge within 10 business days, by 17 March.
    let r = add(&db, &clock, ccpa("2025-03-03"));
    let s = step(&db, &clock, &r);
    assert_eq!(s.kind, NextStepKind::Acknowledge);
    assert_eq!(s.date, Some(date("2025-03-17")));
    assert_eq!(s.days_left, Some(12));
    assert_eq!(s.letter, Some(TemplateName::Acknowledgement));

    acknowledge(&db, &clock, &r);
    let s = step(&db, &clock, &r);
    assert_eq!(s.kind, NextStepKind::AnswerDue, "no data map, so no tasks: the answer is next");
    assert_eq!(s.date, r.due);
    assert_eq!(s.letter, Some(TemplateName::ResponseAccess));
    assert_eq!(s.days_left, r.due.map(|d| (d - date("2025-03-05")).num_days() as i32));
}

#[test]
fn a_new_gdpr_request_is_acknowledged_first_without_a_date_the_law_does_not_set() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::register_in(dir.path());
    let clock = FixedClock::at("2025-03-05");
    let r = add(&db, &clock, common::ada("2025-03-03"));
    let s = step(&db, &clock, &r);
    assert_eq!((s.kind, s.date), (NextStepKind::Acknowledge, None));
    // Once work has started without a letter, the GDPR sets no acknowledgement to chase.
    requests::change_status(&db, &clock, &RequestId::from(&r.id), Status::InProgress, None, "officer").unwrap();
    assert_eq!(step(&db, &clock, &r).kind, NextStepKind::AnswerDue);
}

#[test]
fn awaited_identity_shows_since_when_and_moves_on_once_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::register_in(dir.path());
    let clock = FixedClock::at("2025-03-10");
    let r = add(&db, &clock, ccpa("2025-03-03"));
    let id = RequestId::from(&r.id);
    identity::request_proof(&db, &clock, &id, "2025-03-04", "officer").unwrap();
    let s = step(&db, &clock, &r);
    assert_eq!((s.kind, s.date, s.letter), (NextStepKind::IdentityAwaited, Some(date("2025-03-04")), None));

    let input = IdentityInput {
        method: IdentityMethod::ReplyFromAddressOnFile,
        outcome: IdentityOutcome::Verified,
        note: String::new(),
        on: "2025-03-10".into(),
    };
    identity::verify(&db, &clock, &id, &input, "officer").unwrap();
    assert_eq!(step(&db, &clock, &r).kind, NextStepKind::Acknowledge, "the CCPA acknowledgement is still owed");
}

#[test]
fn awaited_clarification_and_a_paused_clock_say_since_when() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::register_in(dir.path());
    let clock = FixedClock::at("2025-03-10");
    let r = add(&db, &clock, common::ada("2025-03-03"));
    let id = RequestId::from(&r.id);
    schedules::record_clock_event(&db, &clock, &id, ClockEvent::ClarificationRequested { on: date("2025-03-05") }, "officer").unwrap();
    let s = step(&db, &clock, &r);
    assert_eq!((s.kind, s.date), (NextStepKind::ClarificationAwaited, Some(date("2025-03-05"))));
    schedules::record_clock_event(&db, &clock, &id, ClockEvent::ClarificationReceived { on: date("2025-03-07") }, "officer").unwrap();
    assert_eq!(step(&db, &clock, &r).kind, NextStepKind::Acknowledge);

    requests::change_status(&db, &clock, &id, Status::InProgress, None, "officer").unwrap();
    requests::change_status(&db, &clock, &id, Status::Paused, Some("waiting for the subject"), "officer").unwrap();
    assert_eq!(step(&db, &clock, &r).kind, NextStepKind::Paused);
}

#[test]
fn open_tasks_are_counted_then_an_extension_notice_near_its_last_day_then_the_answer() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::register_in(dir.path());
    let clock = FixedClock::at("2025-03-05");
    datamap::starter::load(&db, &clock, "officer").unwrap();
    let r = add(&db, &clock, ccpa("2025-03-03"));
    acknowledge(&db, &clock, &r);
    let open = tasks::list(&db, &r.id).unwrap();
    assert!(open.len() >= 2, "the starter map gives tasks: {}", open.len());
    let s = step(&db, &clock, &r);
    assert_eq!((s.kind, s.count, s.date), (NextStepKind::TasksOpen, Some(open.len() as u32), r.due));

    // Two days before the last day to notify an extension, with work still open.
    let notice = r.schedule.extension_notice_due.expect("CCPA allows an extension with notice");
    let near = FixedClock::at(&(notice - chrono::Duration::days(2)).to_string());
    let s = step(&db, &near, &r);
    assert_eq!((s.kind, s.date, s.days_left), (NextStepKind::ExtensionPossible, Some(notice), Some(2)));
    assert_eq!(s.letter, Some(TemplateName::ExtensionNotice));

    for t in &open {
        let done = TaskUpdate { status: TaskStatus::Done, note: String::new(), exemption: None };
        tasks::update(&db, &clock, &t.id, &done, "officer").unwrap();
    }
    let s = step(&db, &near, &r);
    assert_eq!(
        (s.kind, s.date, s.days_left),
        (NextStepKind::AnswerDue, r.due, r.due.map(|d| (d - (notice - chrono::Duration::days(2))).num_days() as i32))
    );
}

#[test]
fn a_passed_legal_date_is_overdue_and_a_closed_request_has_nothing_left() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::register_in(dir.path());
    let clock = FixedClock::at("2025-03-05");
    let r = add(&db, &clock, NewRequest { request_type: RequestType::Erasure, ..common::ada("2025-01-06") });
    let due = r.due.unwrap();
    let late = FixedClock::at(&(due + chrono::Duration::days(3)).to_string());
    let s = step(&db, &late, &r);
    assert_eq!((s.kind, s.date, s.days_left), (NextStepKind::Overdue, Some(due), Some(-3)));
    assert_eq!(s.letter, Some(TemplateName::ResponseErasure));

    requests::change_status(&db, &late, &RequestId::from(&r.id), Status::Withdrawn, None, "officer").unwrap();
    let s = step(&db, &late, &r);
    assert_eq!((s.kind, s.date, s.letter), (NextStepKind::Closed, None, None));
}

#[test]
fn the_dashboard_lists_the_subject_type_due_date_and_the_same_next_step() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::register_in(dir.path());
    let clock = FixedClock::at("2025-03-15");
    let r = add(&db, &clock, ccpa("2025-03-03"));
    let d = dashboard::dashboard(&db, &clock).unwrap();
    let need = d.needs_you.iter().find(|n| n.kind == NeedKind::Acknowledge && n.request_id == r.id).expect("listed");
    assert_eq!(need.subject_name, "Ada Example");
    assert_eq!(need.request_type, RequestType::Access);
    assert_eq!(need.due, r.due);
    assert_eq!(need.step, step(&db, &clock, &r));
    assert_eq!(need.step.kind, NextStepKind::Acknowledge);

    // The dashboard reads each listed step from the row's few columns: the same step as the page's.
    let waiting = add(&db, &clock, NewRequest { regime: "uk-gdpr".into(), jurisdiction: "GB-ENG".into(), ..common::ada("2025-03-10") });
    identity::request_proof(&db, &clock, &RequestId::from(&waiting.id), "2025-03-11", "officer").unwrap();
    let late = add(&db, &clock, common::ada("2025-01-06"));
    let paused = add(&db, &clock, common::ada("2025-03-12"));
    requests::change_status(&db, &clock, &RequestId::from(&paused.id), Status::InProgress, None, "officer").unwrap();
    requests::change_status(&db, &clock, &RequestId::from(&paused.id), Status::Paused, Some("on hold"), "officer").unwrap();
    let d = dashboard::dashboard(&db, &clock).unwrap();
    let mut kinds = Vec::new();
    for need in &d.needs_you {
        let r = requests::detail(&db, &clock, &need.request_id).unwrap().request;
        assert_eq!(need.step, step(&db, &clock, &r), "{need:?}");
        assert_eq!((need.due, need.request_type, need.subject_name.as_str()), (r.due, r.request_type, r.subject.name.as_str()));
        kinds.push(need.step.kind);
    }
    for kind in [NextStepKind::Acknowledge, NextStepKind::IdentityAwaited, NextStepKind::Overdue] {
        assert!(kinds.contains(&kind), "{kind:?} among {kinds:?}");
    }
    assert!(d.needs_you.iter().any(|n| n.request_id == late.id && n.kind == NeedKind::Overdue));
}
