//! Bulk actions take the same path as a single action: the same guards, the
//! same records, on a real (encrypted) SQLite file.

mod common;

use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::datamap::io::{self as datamap_io, DataFormat};
use rightsdesk_core::domain::RequestId;
use rightsdesk_core::domain::{NewRequest, RequestDetail, RequestType, Status};
use rightsdesk_core::requests;
use rightsdesk_core::requests::bulk;
use rightsdesk_core::requests::duplicates;
use rightsdesk_core::store::Db;

const MAP: &str = "name,role,legal_duty\nCRM,own,\nNewsletter,sub-processor,\n";

fn db(dir: &std::path::Path) -> Db {
    common::register_in(dir)
}

fn clock() -> FixedClock {
    FixedClock::at("2025-02-10")
}

fn register(db: &Db, name: &str) -> String {
    let input = NewRequest {
        request_type: RequestType::Access,
        regime: "eu-gdpr".into(),
        jurisdiction: "DE".into(),
        subject_name: name.into(),
        subject_email: format!("{}@example.org", name.to_lowercase()),
        received: "2025-02-01".into(),
        ..Default::default()
    };
    requests::register(db, &clock(), &input, "officer").unwrap().reference
}

/// Two requests in progress, each with the open tasks the data map gave it.
fn two_with_open_tasks(db: &Db) -> Vec<String> {
    datamap_io::import(db, &clock(), MAP, DataFormat::Csv, "officer").unwrap();
    let refs = vec![register(db, "Ada"), register(db, "Bob")];
    bulk::change_status(db, &clock(), &refs, None, Status::InProgress, None, "officer").unwrap();
    refs
}

fn kinds(d: &RequestDetail) -> Vec<&str> {
    d.timeline.iter().map(|e| e.kind.as_str()).collect()
}

fn event_count(db: &Db) -> i64 {
    db.read(|c| Ok(c.query_row("SELECT count(*) FROM events", [], |r| r.get(0))?)).unwrap()
}

#[test]
fn completing_in_bulk_with_open_tasks_and_no_reason_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(dir.path());
    let refs = two_with_open_tasks(&db);
    let before = event_count(&db);
    let err = bulk::change_status(&db, &clock(), &refs, None, Status::Completed, None, "officer").unwrap_err();
    assert_eq!(err.field(), Some("tasks"), "{err}");
    assert!(err.to_string().contains(&refs[0]), "the error names the request that blocked: {err}");
    for r in &refs {
        let d = requests::detail(&db, &clock(), r).unwrap();
        assert_eq!(d.request.status, Status::InProgress, "all or nothing: {r} stays open");
    }
    assert_eq!(event_count(&db), before, "no event was written");
}

#[test]
fn completing_in_bulk_with_a_reason_records_the_override_on_every_request() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(dir.path());
    let refs = two_with_open_tasks(&db);
    let reason = "systems answered by phone";
    let out = bulk::change_status(&db, &clock(), &refs, None, Status::Completed, Some(reason), "officer").unwrap();
    assert_eq!(out.changed, 2);
    for r in &refs {
        let d = requests::detail(&db, &clock(), r).unwrap();
        assert_eq!(d.request.status, Status::Completed);
        assert_eq!(d.request.status_reason.as_deref(), Some(reason));
        let k = kinds(&d);
        assert_eq!(&k[k.len() - 2..], ["tasks-overridden", "status-changed"], "{r}: {k:?}");
        let overridden = &d.timeline[d.timeline.len() - 2];
        assert!(overridden.summary.contains("2 open tasks") && overridden.summary.contains(reason), "{}", overridden.summary);
        assert!(d.timeline.last().unwrap().data.contains(&out.batch), "the status change names its batch");
    }
}

#[test]
fn a_bulk_duplicate_marking_records_exactly_what_the_single_one_does() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(dir.path());
    let original = register(&db, "Ada");
    let single = register(&db, "Ada");
    let in_bulk = register(&db, "Ada");
    let one = duplicates::mark_duplicate(&db, &clock(), &RequestId::from(&single), &RequestId::from(&original), "officer").unwrap();
    let out = bulk::mark_duplicate(&db, &clock(), std::slice::from_ref(&in_bulk), None, &original, "officer").unwrap();
    let many = requests::detail(&db, &clock(), &in_bulk).unwrap();
    assert_eq!(kinds(&one), kinds(&many));
    assert_eq!(one.request.status, many.request.status);
    assert_eq!(one.request.status_reason, many.request.status_reason);
    let (a, b) = (one.timeline.last().unwrap(), many.timeline.last().unwrap());
    let mut a_data: serde_json::Value = serde_json::from_str(&a.data).unwrap();
    let mut b_data: serde_json::Value = serde_json::from_str(&b.data).unwrap();
    assert_eq!(b_data["batch"], out.batch.as_str());
    b_data.as_object_mut().unwrap().remove("batch");
    a_data.as_object_mut().unwrap().remove("batch");
    assert_eq!(a_data, b_data, "the same facts, the batch aside");
    assert_eq!(a_data["duplicate_of"], original.as_str());
    assert_eq!(b.summary, a.summary.replace(')', "; bulk action on 1 requests)"));
}
