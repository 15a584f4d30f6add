//! The .ics export read back by a real iCalendar parser (the `icalendar` crate).

use icalendar::{Calendar, CalendarComponent, Component, DatePerhapsTime};
use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::domain::RequestId;
use rightsdesk_core::domain::{NewRequest, RequestType, Status};
use rightsdesk_core::register::calendar as ics;
use rightsdesk_core::requests;
use rightsdesk_core::store::Db;

fn add(db: &Db, clock: &FixedClock, name: &str, received: &str) -> rightsdesk_core::domain::Request {
    let input = NewRequest {
        request_type: RequestType::Erasure,
        regime: "eu-gdpr".into(),
        jurisdiction: "FR".into(),
        subject_name: name.into(),
        subject_email: "x@example.org".into(),
        received: received.into(),
        ..Default::default()
    };
    requests::register(db, clock, &input, "tester").unwrap()
}

#[test]
fn the_calendar_holds_each_open_due_date_and_no_subject_names() {
    let db = Db::open_in_memory().unwrap();
    let clock = FixedClock::at("2026-11-23");
    let open = add(&db, &clock, "Zoë, the \"Müller\"; Söhne", "2026-11-20");
    let closed = add(&db, &clock, "Closed Carl", "2026-11-02");
    requests::change_status(&db, &clock, &RequestId::from(&closed.id), Status::Withdrawn, None, "tester").unwrap();

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deadlines.ics");
    assert_eq!(ics::write(&db, &clock, &path, rightsdesk_core::files::destination::Overwrite::Refuse).unwrap(), 1);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.lines().all(|l| l.len() <= 76), "lines are folded at 75 octets");
    assert!(!text.contains("Zoë") && !text.contains("Carl"));

    let calendar: Calendar = text.parse().unwrap();
    let events: Vec<_> = calendar
        .components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .collect();
    let due = events.iter().find(|e| e.get_uid() == Some(&format!("{}-due@rightsdesk", open.id))).expect("the due date");
    assert_eq!(due.get_start(), Some(DatePerhapsTime::Date(open.due.unwrap())));
    assert_eq!(due.get_summary(), Some(format!("{} due: Erasure request under eu-gdpr", open.reference).as_str()));
    assert!(events.iter().all(|e| !e.get_uid().unwrap().starts_with(&closed.id)), "closed requests have no deadline");
}
