//! Registering, finding, listing, searching and moving requests through their
//! statuses (`requests::{register, detail, change_status}`,
//! `requests::search::page`, `requests::rows`) on both stores through the
//! store interface: the same test bodies on an encrypted SQLite file and on a
//! team register on a real PostgreSQL 15 (working as a team admin); and
//! several clients registering at the same moment (issue 18, acceptance).

#[path = "common/stores.rs"]
mod stores;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Barrier;

use rightsdesk_core::audit;
use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::datamap::{self, SystemInput, SystemText};
use rightsdesk_core::deadlines::{self, ClockEvent, EngineOptions};
use rightsdesk_core::domain::{NewRequest, RequestId, RequestType, Status};
use rightsdesk_core::error::Error;
use rightsdesk_core::requests::processor::{self, ProcessorInput};
use rightsdesk_core::requests::rows::{RequestFilter, SortOrder};
use rightsdesk_core::requests::{self, bulk, duplicates, search};
use rightsdesk_core::store::pg::{team, PgUrl, TeamRole};
use rightsdesk_core::store::{Db, PgDb, Store};
use stores::Fresh;

on_both_stores!(
    a_registration_gets_its_dates_a_reference_and_a_sealed_timeline,
    a_repeated_submission_registers_once,
    a_request_is_found_by_id_and_by_reference_in_any_letter_case,
    the_list_filters_by_status_and_type_and_searches_names_and_emails,
    refusing_needs_a_reason_and_an_invalid_move_writes_nothing,
    an_appeal_names_its_decided_request_by_reference_in_any_letter_case,
    clock_events_and_new_options_recompute_the_dates_with_their_history,
    a_bulk_change_moves_all_or_none_and_duplicates_are_flagged_linked_and_marked,
    a_request_handled_as_processor_keeps_the_controller_and_our_dates,
    four_clients_registering_at_once_get_distinct_references_and_one_chain,
);

fn clock() -> FixedClock {
    FixedClock::at("2025-02-10")
}

fn ada() -> NewRequest {
    NewRequest {
        request_type: RequestType::Access,
        regime: "eu-gdpr".into(),
        jurisdiction: "DE".into(),
        subject_name: "Ada Example".into(),
        subject_email: "ada@example.org".into(),
        received: "2025-01-31".into(),
        ..Default::default()
    }
}

fn person(name: &str, email: &str, received: &str) -> NewRequest {
    NewRequest { subject_name: name.into(), subject_email: email.into(), received: received.into(), ..ada() }
}

/// Who the timeline names: on a team register the server records the person
/// logged in, whatever the client sends; on the file, what the client sends.
fn on_record(r: &Fresh, sent: &str) -> String {
    match r {
        Fresh::Sqlite { .. } => sent.to_string(),
        Fresh::Postgres { .. } => stores::PERSON.to_string(),
    }
}

fn how_many(store: Store<'_>, table: &str) -> i64 {
    store.read(|c| c.query_row(&format!("SELECT count(*) FROM {table}"), &[], |r| r.get(0))).unwrap()
}

fn a_registration_gets_its_dates_a_reference_and_a_sealed_timeline(r: &Fresh) {
    let store = r.store();
    let system = SystemInput {
        name: "CRM".into(),
        vendor: "Example Vendor".into(),
        role: "own".into(),
        text: SystemText { purposes: "Customer support".into(), ..Default::default() },
    };
    datamap::save(store, &clock(), None, &system, "officer").unwrap();
    let first = requests::register(store, &clock(), &ada(), "officer").unwrap();
    assert_eq!(first.reference, "DSR-2025-0001");
    assert_eq!(first.due.unwrap().to_string(), "2025-02-28", "GDPR: one month from receipt");
    assert_eq!(first.days_left, Some(18));
    assert_eq!(first.status, Status::Received);
    assert_eq!(first.subject.email.as_deref(), Some("ada@example.org"));
    let second = requests::register(store, &clock(), &person("Bob Sample", "bob@example.com", "2025-02-03"), "officer").unwrap();
    assert_eq!(second.reference, "DSR-2025-0002");
    let d = requests::detail(store, &clock(), &first.id).unwrap();
    let kinds: Vec<&str> = d.timeline.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["registered", "tasks-created"], "the registration and the data map's task, on the timeline");
    assert!(d.timeline[0].summary.contains("due 2025-02-28"), "{}", d.timeline[0].summary);
    assert!(d.timeline.iter().all(|e| e.actor == on_record(r, "officer")));
    assert_eq!(d.next_statuses, Status::Received.next().to_vec());
    let tasks = store
        .read(|c| c.query_map("SELECT system_name, status FROM tasks WHERE request_id = ?1", &[&first.id], |r| Ok((r.get(0)?, r.get(1)?))))
        .unwrap();
    assert_eq!(tasks, vec![("CRM".to_string(), "open".to_string())]);
    let report = audit::verify(store).unwrap();
    assert!(report.intact, "{:?}", report.problems);
    assert_eq!(report.checked, 5, "the system added, two registrations and two task lists");
}

fn a_repeated_submission_registers_once(r: &Fresh) {
    let store = r.store();
    let keyed = NewRequest { idempotency_key: Some("form-7f3a".into()), ..ada() };
    let once = requests::register(store, &clock(), &keyed, "officer").unwrap();
    let again = requests::register(store, &clock(), &keyed, "officer").unwrap();
    assert_eq!(once.id, again.id, "the same submission sent twice is the same request");
    assert_eq!(requests::count(store).unwrap(), 1);
    assert_eq!(how_many(store, "events"), 1);
    let other = NewRequest { idempotency_key: Some("form-8b21".into()), ..ada() };
    assert_eq!(requests::register(store, &clock(), &other, "officer").unwrap().reference, "DSR-2025-0002");
    let bad = NewRequest { idempotency_key: Some("a\u{7}b".into()), ..ada() };
    let e = requests::register(store, &clock(), &bad, "officer").unwrap_err();
    assert_eq!(e.field(), Some("idempotency_key"));
    assert_eq!(requests::count(store).unwrap(), 2, "a refused key registers nothing");
}

fn a_request_is_found_by_id_and_by_reference_in_any_letter_case(r: &Fresh) {
    let store = r.store();
    let registered = requests::register(store, &clock(), &ada(), "officer").unwrap();
    for key in [registered.id.as_str(), "DSR-2025-0001", "dsr-2025-0001", "Dsr-2025-0001"] {
        let d = requests::detail(store, &clock(), key).unwrap();
        assert_eq!(d.request.id, registered.id, "{key}");
        assert_eq!(d.request, registered, "{key}: read back as registered");
    }
    let e = requests::detail(store, &clock(), "DSR-2025-0002").unwrap_err();
    assert!(matches!(e, Error::NotFound { entity: "request" }), "{e:?}");
}

fn names(store: Store<'_>, filter: RequestFilter) -> (u32, Vec<String>) {
    let page = search::page(store, &clock(), &RequestFilter { sort: SortOrder::ReferenceAsc, ..filter }).unwrap();
    (page.total, page.requests.into_iter().map(|r| r.subject.name).collect())
}

fn searched(store: Store<'_>, q: &str) -> Vec<String> {
    let (total, found) = names(store, RequestFilter { search: Some(q.into()), ..Default::default() });
    assert_eq!(total as usize, found.len(), "{q}: the total counts what the page shows");
    found
}

fn the_list_filters_by_status_and_type_and_searches_names_and_emails(r: &Fresh) {
    let store = r.store();
    let c = clock();
    let ada = requests::register(store, &c, &ada(), "t").unwrap();
    let bob = NewRequest { request_type: RequestType::Erasure, ..person("Bob Sample", "bob@corp.example", "2025-02-01") };
    let bob = requests::register(store, &c, &bob, "t").unwrap();
    let elodie = NewRequest {
        notes: "Asked about Grace's case too".into(),
        ..person("Élodie Dupré", "elodie.dupre@courrier.example", "2025-02-03")
    };
    requests::register(store, &c, &elodie, "t").unwrap();
    requests::register(store, &c, &person("Grace Hopper", "grace@navy.example", "2025-02-04"), "t").unwrap();
    requests::register(store, &c, &person("Jo Li", "jl@q.example", "2025-02-05"), "t").unwrap();
    requests::change_status(store, &c, &RequestId::from(&bob.id), Status::InProgress, None, "t").unwrap();
    requests::change_status(store, &c, &RequestId::from(&ada.id), Status::Refused, Some("manifestly unfounded"), "t").unwrap();

    let all = names(store, RequestFilter::default());
    assert_eq!(all, (5, ["Ada Example", "Bob Sample", "Élodie Dupré", "Grace Hopper", "Jo Li"].map(String::from).to_vec()));
    let erasure = RequestFilter { request_type: Some(RequestType::Erasure), ..Default::default() };
    assert_eq!(names(store, erasure), (1, vec!["Bob Sample".to_string()]));
    let in_progress = RequestFilter { status: Some(Status::InProgress), ..Default::default() };
    assert_eq!(names(store, in_progress), (1, vec!["Bob Sample".to_string()]));
    let open = names(store, RequestFilter { open_only: true, ..Default::default() });
    assert_eq!(open.0, 4, "the refused request is closed");
    assert!(!open.1.contains(&"Ada Example".to_string()));
    let by_subject = RequestFilter { sort: SortOrder::SubjectDesc, limit: Some(2), offset: Some(1), ..Default::default() };
    let page = search::page(store, &c, &by_subject).unwrap();
    assert_eq!(page.total, 5);
    assert_eq!(page.requests.iter().map(|r| r.subject.name.as_str()).collect::<Vec<_>>(), ["Jo Li", "Grace Hopper"]);
    let due_first = requests::list(store, &c, &RequestFilter::default()).unwrap();
    assert_eq!(due_first.last().unwrap().id, ada.id, "the closed request last in the default order");

    assert_eq!(searched(store, "dupre@courr"), ["Élodie Dupré"], "part of an email");
    assert_eq!(searched(store, "LOVEL"), Vec::<String>::new());
    assert_eq!(searched(store, "SAMPL"), ["Bob Sample"], "part of a name, upper case");
    assert_eq!(searched(store, "@NAVY.Example"), ["Grace Hopper"]);
    assert_eq!(searched(store, "ELODIE DUPRE"), ["Élodie Dupré"], "accents and case ignored");
    assert_eq!(searched(store, "dupré"), ["Élodie Dupré"]);
    assert_eq!(searched(store, "grace"), ["Élodie Dupré", "Grace Hopper"], "name and notes");
    assert_eq!(searched(store, "dsr-2025-0002"), ["Bob Sample"], "a reference");
    assert_eq!(searched(store, &bob.id), ["Bob Sample"], "a whole request id");
    assert_eq!(searched(store, "example").len(), 5, "the total counts every match");
    assert!(searched(store, "sample hopper").is_empty(), "a phrase, not any of its words");
    assert!(searched(store, "\"ada\" OR *").is_empty(), "search syntax in the term is plain text");
    assert!(searched(store, "%").is_empty(), "% is matched literally");
    assert!(searched(store, "a_e").is_empty(), "_ is matched literally");
    assert_eq!(searched(store, "LI"), ["Jo Li"], "a term too short for trigrams, any letter case");
    assert_eq!(searched(store, "q."), ["Jo Li"]);
    let open_search = RequestFilter { search: Some("example".into()), open_only: true, ..Default::default() };
    assert_eq!(names(store, open_search).0, 4);
}

fn refusing_needs_a_reason_and_an_invalid_move_writes_nothing(r: &Fresh) {
    let store = r.store();
    let c = clock();
    let registered = requests::register(store, &c, &ada(), "officer").unwrap();
    let id = RequestId::from(&registered.id);
    let e = requests::change_status(store, &c, &id, Status::Completed, None, "officer").unwrap_err();
    assert!(matches!(e, Error::InvalidTransition { .. }), "{e:?}");
    assert_eq!(e.to_string(), "a request cannot go from received to completed");
    let e = requests::change_status(store, &c, &id, Status::Refused, Some("  "), "officer").unwrap_err();
    assert_eq!(e.field(), Some("reason"));
    let unchanged = requests::detail(store, &c, &registered.id).unwrap();
    assert_eq!(unchanged.request, registered, "nothing written");
    assert_eq!(unchanged.timeline.len(), 1);

    let d = requests::change_status(store, &c, &id, Status::Refused, Some("manifestly unfounded"), "officer").unwrap();
    assert_eq!(d.request.status, Status::Refused);
    assert_eq!(d.request.status_reason.as_deref(), Some("manifestly unfounded"));
    assert_eq!(d.request.days_left, None, "a closed request has no countdown");
    assert!(d.next_statuses.is_empty());
    let changed = &d.timeline[1];
    assert_eq!(changed.kind, "status-changed");
    assert!(changed.summary.contains("manifestly unfounded"), "{}", changed.summary);
    assert_eq!(changed.actor, on_record(r, "officer"));
    let closed_on: Option<String> =
        store.read(|c| c.query_row("SELECT closed_on FROM requests WHERE id = ?1", &[&registered.id], |r| r.get(0))).unwrap();
    assert_eq!(closed_on.as_deref(), Some("2025-02-10"), "the day it was closed, in the request's time zone");
    let e = requests::change_status(store, &c, &id, Status::InProgress, None, "officer").unwrap_err();
    assert!(matches!(e, Error::InvalidTransition { .. }), "a refused request stays refused");
    assert_eq!(how_many(store, "events"), 2);
    assert!(audit::verify(store).unwrap().intact);
}

fn an_appeal_names_its_decided_request_by_reference_in_any_letter_case(r: &Fresh) {
    let store = r.store();
    let c = FixedClock::at("2026-11-04");
    let us_va = |request_type: RequestType, appeal_of: Option<&str>| NewRequest {
        request_type,
        regime: "us-va".into(),
        jurisdiction: "US-VA".into(),
        received: "2026-11-02".into(),
        appeal_of: appeal_of.map(str::to_string),
        ..ada()
    };
    let decided = requests::register(store, &c, &us_va(RequestType::Access, None), "officer").unwrap();
    let e = requests::register(store, &c, &us_va(RequestType::Appeal, Some("dsr-2026-0001")), "officer").unwrap_err();
    assert_eq!(e.field(), Some("appeal_of"));
    assert!(e.to_string().contains("has no decision to appeal yet"), "{e}");
    requests::change_status(store, &c, &RequestId::from(&decided.id), Status::Refused, Some("not verified"), "officer").unwrap();
    let appeal = requests::register(store, &c, &us_va(RequestType::Appeal, Some("dsr-2026-0001")), "officer").unwrap();
    let d = requests::detail(store, &c, &appeal.reference).unwrap();
    assert_eq!(d.appeal_of.map(|l| l.reference), Some(decided.reference.clone()));
    let earlier = requests::detail(store, &c, &decided.reference).unwrap();
    assert_eq!(earlier.appeals.into_iter().map(|l| l.id).collect::<Vec<_>>(), [appeal.id]);
    let report = audit::verify(store).unwrap();
    assert!(report.intact, "the appeal's link is sealed with its row: {:?}", report.problems);
}

fn day(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}

fn clock_events_and_new_options_recompute_the_dates_with_their_history(r: &Fresh) {
    let store = r.store();
    let c = FixedClock::at("2025-09-20");
    let uk = NewRequest {
        regime: "uk-gdpr".into(),
        jurisdiction: "GB-ENG".into(),
        time_zone: "Europe/London".into(),
        received: "2025-09-03".into(),
        ..ada()
    };
    let open = requests::register(store, &c, &uk, "dpo").unwrap();
    assert_eq!(open.due, Some(day("2025-10-03")));
    let id = RequestId::from(&open.id);
    requests::schedules::record_clock_event(store, &c, &id, ClockEvent::ClarificationRequested { on: day("2025-09-05") }, "dpo").unwrap();
    let d = requests::schedules::record_clock_event(store, &c, &id, ClockEvent::ClarificationReceived { on: day("2025-09-09") }, "dpo")
        .unwrap();
    assert_eq!(d.request.due, Some(day("2025-10-08")), "5 to 9 September do not count");
    let recomputed = d.timeline.iter().rev().find(|e| e.kind == "dates-recomputed").unwrap();
    assert!(recomputed.summary.contains("Wed 8 Oct 2025"), "{}", recomputed.summary);
    let before = requests::detail(store, &c, &open.id).unwrap();
    let future = ClockEvent::IdentityRequested { on: day("2025-09-21") };
    assert_eq!(requests::schedules::record_clock_event(store, &c, &id, future, "dpo").unwrap_err().field(), Some("on"));
    assert_eq!(requests::detail(store, &c, &open.id).unwrap(), before, "nothing written");

    let closed = requests::register(store, &c, &uk, "dpo").unwrap();
    requests::change_status(store, &c, &RequestId::from(&closed.id), Status::Withdrawn, None, "dpo").unwrap();
    let closed_before = requests::detail(store, &c, &closed.id).unwrap().request.schedule;
    let options = EngineOptions { promise_days: Some(30), ..Default::default() };
    requests::schedules::set_deadline_options(store, &c, &options, "dpo").unwrap();
    assert_eq!(deadlines::options(store).unwrap(), options);
    let after = requests::detail(store, &c, &open.id).unwrap();
    assert!(after.request.schedule.promised_due.is_some(), "the open request gets the promise");
    assert_eq!(after.timeline.iter().filter(|e| e.kind == "dates-recomputed").count(), 3);
    assert_eq!(requests::detail(store, &c, &closed.id).unwrap().request.schedule, closed_before, "a closed request keeps its dates");
    assert_eq!(requests::schedules::refresh_after_rule_update(store, &c, "dpo").unwrap(), 0, "the rules shipped are the rules used");
    let report = audit::verify(store).unwrap();
    assert!(report.intact, "{:?}", report.problems);
}

fn a_bulk_change_moves_all_or_none_and_duplicates_are_flagged_linked_and_marked(r: &Fresh) {
    let store = r.store();
    let c = clock();
    let first = requests::register(store, &c, &ada(), "officer").unwrap();
    let again = requests::register(store, &c, &person("ADA EXAMPLE ", "other@example.net", "2025-02-05"), "officer").unwrap();
    let third = requests::register(store, &c, &person("Bob Sample", "ADA@example.org", "2025-02-06"), "officer").unwrap();
    let other = requests::register(store, &c, &person("Grace Hopper", "grace@navy.example", "2025-02-07"), "officer").unwrap();

    let flagged = duplicates::possible_duplicates(store, &first.reference).unwrap();
    let found: Vec<(&str, &str, bool)> = flagged.iter().map(|d| (d.reference.as_str(), d.matched_on.as_str(), d.linked)).collect();
    assert_eq!(found, [(again.reference.as_str(), "name", false), (third.reference.as_str(), "email", false)]);
    duplicates::link(store, &c, &RequestId::from(&first.id), &RequestId::from(&third.id), "officer").unwrap();
    let flagged = duplicates::possible_duplicates(store, &first.id).unwrap();
    assert_eq!(flagged.iter().map(|d| d.linked).collect::<Vec<_>>(), [false, true], "the link is read from the timeline's JSON");

    // One request in the selection cannot move: nothing moves.
    bulk::change_status(store, &c, std::slice::from_ref(&other.id), None, Status::InProgress, None, "officer").unwrap();
    let events_before = how_many(store, "events");
    let selection = [first.reference.clone(), other.reference.clone()];
    let e = bulk::change_status(store, &c, &selection, None, Status::InProgress, None, "officer").unwrap_err();
    assert_eq!(e.field(), Some("ids"));
    assert!(e.to_string().contains(&other.reference), "{e}");
    assert_eq!(how_many(store, "events"), events_before, "nothing written");
    let moved =
        bulk::change_status(store, &c, &[first.id.clone(), third.reference.clone()], None, Status::InProgress, None, "officer").unwrap();
    assert_eq!(moved.references, [first.reference.clone(), third.reference.clone()]);
    let d = requests::detail(store, &c, &third.id).unwrap();
    assert_eq!(d.request.status, Status::InProgress);
    assert!(d.timeline.last().unwrap().data.contains(&moved.batch), "the batch is traced on the timeline");

    let marked = duplicates::mark_duplicate(store, &c, &RequestId::from(&again.id), &RequestId::from("dsr-2025-0001"), "officer").unwrap();
    assert_eq!(marked.request.status, Status::Duplicate);
    assert_eq!(marked.request.status_reason, Some(format!("duplicate of {}", first.reference)));
    let e = bulk::mark_duplicate(store, &c, std::slice::from_ref(&other.id), None, "DSR-2025-0099", "officer").unwrap_err();
    assert_eq!(e.field(), Some("original"));
    assert!(audit::verify(store).unwrap().intact);
}

fn a_request_handled_as_processor_keeps_the_controller_and_our_dates(r: &Fresh) {
    let store = r.store();
    let c = FixedClock::at("2026-11-04");
    let input = NewRequest { regime: "ccpa".into(), jurisdiction: "US-CA".into(), received: "2026-11-02".into(), ..ada() };
    let acme = ProcessorInput {
        controller: "Acme Shop GmbH".into(),
        controller_email: "privacy@acme.example".into(),
        received_by_us: Some("2026-11-03".into()),
    };
    let (request, role) = processor::register(store, &c, &input, &acme, "officer").unwrap();
    assert_eq!(request.due, Some(day("2026-12-16")), "the controller's CCPA date");
    assert_eq!((role.controller.as_str(), role.received_by_us, role.assistance_due), ("Acme Shop GmbH", day("2026-11-03"), None));
    processor::set_assistance_days(store, &c, Some(10), "officer").unwrap();
    let role = processor::of_request(store, &c, &request.id).unwrap().unwrap();
    assert_eq!(role.assistance_due, Some(day("2026-11-13")), "ten days from our receipt");
    assert_eq!(role.deadline, Some(day("2026-11-13")));
    processor::set_assistance_days(store, &c, None, "officer").unwrap();
    assert_eq!(processor::of_request(store, &c, &request.id).unwrap().unwrap().assistance_due, None);
    let late = ProcessorInput { received_by_us: Some("2026-11-05".into()), ..acme };
    assert_eq!(processor::register(store, &c, &input, &late, "officer").unwrap_err().field(), Some("received_by_us"));
    assert_eq!(requests::count(store).unwrap(), 1, "nothing registered");
}

const CLIENTS: usize = 4;
const EACH: usize = 250;

/// Four clients of one register, each working as its own person: on
/// PostgreSQL four team members (officers) on connections of their own; on
/// SQLite four threads sharing the one writer (one writing process per file,
/// `store::lock`), each sending its own actor.
enum Clients {
    Sqlite(Vec<String>),
    Postgres(Vec<(String, PgDb)>),
}

fn four_clients(r: &Fresh) -> Clients {
    let people: Vec<String> = (1..=CLIENTS).map(|i| format!("officer_{i}")).collect();
    match r {
        Fresh::Sqlite { .. } => Clients::Sqlite(people),
        Fresh::Postgres { pg, .. } => {
            let mut admin =
                rightsdesk_core::store::pg::connect(&PgUrl::parse(&pg.admin_url()).unwrap(), Some(pg.admin_password())).unwrap();
            Clients::Postgres(
                people
                    .into_iter()
                    .map(|name| {
                        let added = team::add(&mut admin, &name, TeamRole::Officer, chrono::Utc::now()).unwrap();
                        let url = PgUrl::parse(&pg.url(&name)).unwrap();
                        let db = PgDb::connect(&url, Some(&added.password)).unwrap();
                        (name, db)
                    })
                    .collect(),
            )
        }
    }
}

/// Issue 18's acceptance: four clients register 250 requests each at the same
/// moment: 1,000 requests with 1,000 distinct references, numbered without a
/// gap, one intact audit chain, each event on record under the person whose
/// client made it.
fn four_clients_registering_at_once_get_distinct_references_and_one_chain(r: &Fresh) {
    let clients = four_clients(r);
    let start = Barrier::new(CLIENTS);
    let work = |store: Store<'_>, who: &str, sent: &str| {
        start.wait();
        for i in 0..EACH {
            let input = person(&format!("{who} subject {i:03}"), &format!("s{i}@{who}.example"), "2025-02-03");
            requests::register(store, &clock(), &input, sent).unwrap();
        }
    };
    let db = match r {
        Fresh::Sqlite { db, .. } => Some(db),
        Fresh::Postgres { .. } => None,
    };
    std::thread::scope(|s| match &clients {
        Clients::Sqlite(people) => {
            let db: &Db = db.unwrap();
            for who in people {
                let work = &work;
                s.spawn(move || work(Store::from(db), who, who));
            }
        }
        Clients::Postgres(people) => {
            for (who, db) in people {
                let work = &work;
                s.spawn(move || work(Store::from(db), who, "mallory"));
            }
        }
    });
    let store = r.store();
    let rows: Vec<(i64, String, String)> = store
        .read(|c| {
            c.query_map("SELECT number, reference, subject_name FROM requests ORDER BY number", &[], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
        })
        .unwrap();
    assert_eq!(rows.len(), CLIENTS * EACH);
    let numbers: Vec<i64> = rows.iter().map(|(n, _, _)| *n).collect();
    assert_eq!(numbers, (1..=(CLIENTS * EACH) as i64).collect::<Vec<_>>(), "numbered 1 to 1,000 without a gap");
    let references: BTreeSet<&str> = rows.iter().map(|(_, reference, _)| reference.as_str()).collect();
    assert_eq!(references.len(), CLIENTS * EACH, "1,000 distinct references");
    assert!(rows.iter().all(|(n, reference, _)| *reference == format!("DSR-2025-{n:04}")));
    // Each registration's event names the person whose client made it.
    let actors: Vec<(String, String)> = store
        .read(|c| {
            c.query_map(
                "SELECT r.subject_name, e.actor FROM events e JOIN requests r ON r.id = e.request_id WHERE e.kind = 'registered'",
                &[],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
        })
        .unwrap();
    assert_eq!(actors.len(), CLIENTS * EACH);
    let mut per_person: BTreeMap<&str, usize> = BTreeMap::new();
    for (subject, actor) in &actors {
        let who = subject.split(' ').next().unwrap();
        assert_eq!(actor, who, "the event of {subject}");
        *per_person.entry(who).or_default() += 1;
    }
    assert_eq!(per_person.len(), CLIENTS);
    assert!(per_person.values().all(|n| *n == EACH), "{per_person:?}");
    let report = audit::verify(store).unwrap();
    assert!(report.intact, "{:?}", report.problems);
    assert_eq!(report.checked as usize, CLIENTS * EACH, "one seal per registration, one chain");
}

/// PostgreSQL only, because only there does a client have a connection of its
/// own that can drop in the middle of a transaction (SQLite's kill safety is
/// the journal's: `cli/tests/crash.rs`). What the server sees of a client
/// killed inside a registration: its session ends before COMMIT
/// (`pg_terminate_backend`, as when the process dies and its socket closes).
/// Nothing of it is left, and the next registration takes the number it held.
#[test]
fn postgres_a_client_dropped_inside_a_registration_leaves_nothing() {
    let r = Fresh::postgres();
    let Fresh::Postgres { pg, .. } = &r else { unreachable!() };
    let datamap_system = SystemInput { name: "CRM".into(), vendor: "V".into(), role: "own".into(), text: SystemText::default() };
    datamap::save(r.store(), &clock(), None, &datamap_system, "officer").unwrap();
    let victim = r.client();
    let valid = requests::validate_new_request(&ada(), &clock(), chrono_tz::Tz::UTC).unwrap();
    let result = victim.store().write(|tx| {
        let id = requests::register_in(tx, &clock(), &valid, "officer", None)?;
        let written: i64 = tx.query_row("SELECT count(*) FROM requests WHERE id = ?1", &[&id], |r| r.get(0))?;
        assert_eq!(written, 1, "the request is written inside the transaction");
        let pid: i32 = tx.query_row("SELECT pg_backend_pid()", &[], |r| r.get(0))?;
        pg.admin_sql(stores::pg::DBNAME, &format!("SELECT pg_terminate_backend({pid})"));
        Ok(id)
    });
    assert!(result.is_err(), "the dropped client's registration did not commit");
    let store = r.store();
    assert_eq!(requests::count(store).unwrap(), 0);
    for table in ["requests", "tasks", "request_submissions"] {
        assert_eq!(how_many(store, table), 0, "{table}");
    }
    assert_eq!(how_many(store, "events"), 1, "only the data map's event");
    // Intact at once: the highest event number issued (`events_issued`, PostgreSQL
    // migration 5) rolled back with the dropped transaction (`pg_events.rs`).
    let report = audit::verify(store).unwrap();
    assert!(report.intact, "{:?}", report.problems);
    let next = requests::register(store, &clock(), &ada(), "officer").unwrap();
    assert_eq!(next.reference, "DSR-2025-0001");
    let report = audit::verify(store).unwrap();
    assert!(report.intact, "{:?}", report.problems);
}

/// PostgreSQL only, because only a team register has roles the server
/// enforces: an auditor reads the register (a request, the list, a search) but
/// the server refuses its registration and its status change, and nothing is
/// written; an officer's work is on record under the officer's name.
#[test]
fn postgres_an_auditor_reads_requests_but_the_server_refuses_its_changes() {
    let r = Fresh::postgres();
    let Fresh::Postgres { pg, .. } = &r else { unreachable!() };
    let mut admin = rightsdesk_core::store::pg::connect(&PgUrl::parse(&pg.admin_url()).unwrap(), Some(pg.admin_password())).unwrap();
    let connect = |admin: &mut _, name: &str, role| {
        let added = team::add(admin, name, role, chrono::Utc::now()).unwrap();
        PgDb::connect(&PgUrl::parse(&pg.url(name)).unwrap(), Some(&added.password)).unwrap()
    };
    let officer = connect(&mut admin, "olga_officer", TeamRole::Officer);
    let auditor = connect(&mut admin, "carl_auditor", TeamRole::Auditor);
    let registered = requests::register(&officer, &clock(), &ada(), "someone else").unwrap();
    let d = requests::detail(&auditor, &clock(), "dsr-2025-0001").unwrap();
    assert_eq!(d.request.id, registered.id);
    assert_eq!(d.timeline[0].actor, "olga_officer", "on record under the officer's login");
    assert_eq!(searched(Store::from(&auditor), "ada@exa"), ["Ada Example"]);

    let e = requests::register(&auditor, &clock(), &person("Bob Sample", "bob@corp.example", "2025-02-03"), "auditor").unwrap_err();
    assert!(matches!(&e, Error::Postgres { sqlstate, .. } if sqlstate == "42501"), "refused by the server: {e:?}");
    let e = requests::change_status(&auditor, &clock(), &RequestId::from(&registered.id), Status::InProgress, None, "auditor").unwrap_err();
    assert!(matches!(&e, Error::Postgres { sqlstate, .. } if sqlstate == "42501"), "refused by the server: {e:?}");
    let store = Store::from(&officer);
    assert_eq!(requests::count(store).unwrap(), 1);
    assert_eq!(requests::detail(store, &clock(), &registered.id).unwrap(), d, "nothing written");
    assert!(audit::verify(Store::from(&auditor)).unwrap().intact);
}
