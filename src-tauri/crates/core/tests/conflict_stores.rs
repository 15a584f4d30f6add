//! Two officers working on the same request at once (issue 18 item 4): a change
//! made on a stale copy (someone changed the request since it was loaded) is
//! refused with "changed by NAME at TIME — reload" and writes nothing, on both
//! stores. On PostgreSQL the two officers are two team members, each on a
//! connection of their own in a thread of its own; on SQLite two threads share
//! the one writer (one writing process per file), each sending its own actor.

#[path = "common/stores.rs"]
mod stores;

use std::sync::Barrier;

use rightsdesk_core::audit;
use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::datamap::{self, SystemInput, SystemText};
use rightsdesk_core::deadlines::ClockEvent;
use rightsdesk_core::domain::{NewRequest, RequestId, RequestType, Status};
use rightsdesk_core::error::{Error, ErrorCode};
use rightsdesk_core::requests;
use rightsdesk_core::requests::bulk;
use rightsdesk_core::requests::rows::RequestFilter;
use rightsdesk_core::store::pg::{team, PgUrl, TeamRole};
use rightsdesk_core::store::{PgDb, Store};
use rightsdesk_core::tasks::{self, TaskStatus, TaskUpdate};
use stores::Fresh;

on_both_stores!(
    two_officers_changing_one_request_at_once_one_succeeds_the_other_is_told_who_and_when,
    a_change_on_a_stale_copy_writes_nothing_and_a_reloaded_copy_goes_through,
    a_clock_event_or_a_task_closed_on_a_stale_copy_is_refused_and_writes_nothing,
    a_file_attached_or_removed_on_a_stale_copy_is_refused_and_writes_nothing,
    a_bulk_action_on_a_stale_list_is_refused_naming_who_changed_a_selected_request_and_writes_nothing,
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

/// Two officers, each with a store of their own: on PostgreSQL two team members
/// (`anna_officer`, `ben_officer`) connected as themselves; on SQLite the one
/// writer, each sending their name as the actor.
enum Officers {
    Sqlite,
    Postgres([PgDb; 2]),
}

const NAMES: [&str; 2] = ["anna_officer", "ben_officer"];

fn two_officers(r: &Fresh) -> Officers {
    match r {
        Fresh::Sqlite { .. } => Officers::Sqlite,
        Fresh::Postgres { pg, .. } => {
            let mut admin =
                rightsdesk_core::store::pg::connect(&PgUrl::parse(&pg.admin_url()).unwrap(), Some(pg.admin_password())).unwrap();
            Officers::Postgres(NAMES.map(|name| {
                let added = team::add(&mut admin, name, TeamRole::Officer, chrono::Utc::now()).unwrap();
                PgDb::connect(&PgUrl::parse(&pg.url(name)).unwrap(), Some(&added.password)).unwrap()
            }))
        }
    }
}

impl Officers {
    fn store<'a>(&'a self, r: &'a Fresh, i: usize) -> Store<'a> {
        match self {
            Officers::Sqlite => r.store(),
            Officers::Postgres(dbs) => Store::from(&dbs[i]),
        }
    }
}

fn events_of(store: Store<'_>, id: &str) -> Vec<(i64, String, String)> {
    store
        .read(|c| {
            c.query_map("SELECT seq, kind, actor FROM events WHERE request_id = ?1 ORDER BY seq", &[&id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
        })
        .unwrap()
}

fn two_officers_changing_one_request_at_once_one_succeeds_the_other_is_told_who_and_when(r: &Fresh) {
    let officers = two_officers(r);
    let registered = requests::register(r.store(), &clock(), &ada(), "registrar").unwrap();
    let id = RequestId::from(&registered.id);
    // Both load the request: the same copy, the same version.
    let loaded = [0, 1].map(|i| requests::detail(officers.store(r, i), &clock(), &registered.reference).unwrap());
    assert_eq!(loaded[0].version, loaded[1].version);
    assert!(loaded[0].version > 0);
    let version = loaded[0].version;
    // Both change it at the same moment: Anna starts the work, Ben refuses it.
    let start = Barrier::new(2);
    let changes: [(Status, Option<&str>); 2] = [(Status::InProgress, None), (Status::Refused, Some("manifestly unfounded"))];
    let results: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..2)
            .map(|i| {
                let (officers, start, id) = (&officers, &start, &id);
                s.spawn(move || {
                    let store = officers.store(r, i);
                    start.wait();
                    let (to, reason) = changes[i];
                    requests::change_status_expecting(store, &clock(), id, to, reason, NAMES[i], Some(version))
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let winners: Vec<usize> = (0..2).filter(|&i| results[i].is_ok()).collect();
    assert_eq!(winners.len(), 1, "exactly one change goes through: {results:?}");
    let (won, lost) = (winners[0], 1 - winners[0]);
    let err = results[lost].as_ref().unwrap_err();
    assert_eq!(err.code(), ErrorCode::Conflict);
    let Error::Conflict { by, at } = err else { panic!("{err:?}") };
    assert_eq!(by, NAMES[won], "the refusal names the officer who changed it (on PostgreSQL the login)");
    let after = requests::detail(r.store(), &clock(), &registered.id).unwrap();
    let change = after.timeline.last().unwrap();
    assert_eq!(*at, change.at, "and when");
    assert_eq!(err.to_string(), format!("changed by {} at {} — reload", NAMES[won], change.at.format("%Y-%m-%d %H:%M:%S UTC")));
    // The winner's change is intact; nothing of the refused one was written.
    assert_eq!(after.request.status, changes[won].0);
    assert_eq!(after.request.status_reason.as_deref(), changes[won].1);
    let events = events_of(r.store(), &registered.id);
    assert_eq!(events.len(), 2, "registered, then the one change: {events:?}");
    assert_eq!((events[1].1.as_str(), events[1].2.as_str()), ("status-changed", NAMES[won]));
    assert_eq!(after.version, events[1].0, "the new copy carries the new version");
    let report = audit::verify(r.store()).unwrap();
    assert!(report.intact, "{:?}", report.problems);
    assert_eq!(report.checked, 2);
}

fn a_change_on_a_stale_copy_writes_nothing_and_a_reloaded_copy_goes_through(r: &Fresh) {
    let officers = two_officers(r);
    let (anna, ben) = (officers.store(r, 0), officers.store(r, 1));
    let registered = requests::register(r.store(), &clock(), &ada(), "registrar").unwrap();
    let id = RequestId::from(&registered.id);
    let bens_copy = requests::detail(ben, &clock(), &registered.id).unwrap();
    // Anna changes it after Ben loaded it, sending her copy's version (the same).
    let annas_copy = requests::detail(anna, &clock(), &registered.id).unwrap();
    requests::change_status_expecting(anna, &clock(), &id, Status::AwaitingIdentity, None, NAMES[0], Some(annas_copy.version)).unwrap();
    let before = events_of(r.store(), &registered.id);
    // Ben's change on his stale copy is refused and writes nothing.
    let err =
        requests::change_status_expecting(ben, &clock(), &id, Status::InProgress, None, NAMES[1], Some(bens_copy.version)).unwrap_err();
    assert!(err.to_string().starts_with(&format!("changed by {} at ", NAMES[0])), "{err}");
    assert!(err.to_string().ends_with(" — reload"), "{err}");
    assert_eq!(events_of(r.store(), &registered.id), before);
    assert_eq!(requests::detail(r.store(), &clock(), &registered.id).unwrap().request.status, Status::AwaitingIdentity);
    // Ben reloads and changes it: it goes through.
    let reloaded = requests::detail(ben, &clock(), &registered.reference).unwrap();
    assert_eq!(reloaded.request.status, Status::AwaitingIdentity);
    let changed =
        requests::change_status_expecting(ben, &clock(), &id, Status::InProgress, None, NAMES[1], Some(reloaded.version)).unwrap();
    assert_eq!(changed.request.status, Status::InProgress);
    // Without a version (an older client, a script) nothing is checked, as before.
    requests::change_status_expecting(anna, &clock(), &id, Status::Paused, None, NAMES[0], None).unwrap();
    // A version that is not the request's (a mistyped --expect-version) is refused too.
    let err = requests::change_status_expecting(anna, &clock(), &id, Status::InProgress, None, NAMES[0], Some(1)).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Conflict);
    let report = audit::verify(r.store()).unwrap();
    assert!(report.intact, "{:?}", report.problems);
}

/// The other changes the request page makes from its loaded copy: a clock event (the dates
/// section) and closing a task (the tasks panel) carry the version too.
fn a_clock_event_or_a_task_closed_on_a_stale_copy_is_refused_and_writes_nothing(r: &Fresh) {
    let store = r.store();
    let system = SystemInput {
        name: "CRM".into(),
        vendor: "Example Vendor".into(),
        role: "own".into(),
        text: SystemText { purposes: "Customer support".into(), ..Default::default() },
    };
    datamap::save(store, &clock(), None, &system, "officer").unwrap();
    let registered = requests::register(store, &clock(), &ada(), "registrar").unwrap();
    let id = RequestId::from(&registered.id);
    let stale = requests::detail(store, &clock(), &registered.id).unwrap();
    // Someone else records that identity evidence was asked for.
    let on = chrono::NaiveDate::from_ymd_opt(2025, 2, 3).unwrap();
    requests::schedules::record_clock_event_expecting(
        store,
        &clock(),
        &id,
        ClockEvent::IdentityRequested { on },
        NAMES[0],
        Some(stale.version),
    )
    .unwrap();
    let before = events_of(store, &registered.id);
    let received = ClockEvent::IdentityReceived { on: chrono::NaiveDate::from_ymd_opt(2025, 2, 5).unwrap() };
    let err = requests::schedules::record_clock_event_expecting(store, &clock(), &id, received.clone(), NAMES[1], Some(stale.version))
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Conflict, "{err}");
    let done = TaskUpdate { status: TaskStatus::Done, note: "deleted".into(), exemption: None };
    let task = format!("{}#1", registered.reference);
    let err = tasks::update_expecting(store, &clock(), &task, &done, NAMES[1], Some(stale.version)).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Conflict, "{err}");
    assert_eq!(events_of(store, &registered.id), before, "nothing written");
    assert_eq!(tasks::list(store, &registered.id).unwrap()[0].status, TaskStatus::Open);
    // On the reloaded copy both go through.
    let v = requests::detail(store, &clock(), &registered.id).unwrap().version;
    let t = tasks::update_expecting(store, &clock(), &task, &done, NAMES[1], Some(v)).unwrap();
    assert_eq!(t.status, TaskStatus::Done);
    let v = requests::detail(store, &clock(), &registered.id).unwrap().version;
    requests::schedules::record_clock_event_expecting(store, &clock(), &id, received, NAMES[1], Some(v)).unwrap();
    let report = audit::verify(store).unwrap();
    assert!(report.intact, "{:?}", report.problems);
}

/// The request page's evidence panel: attaching a file and removing one carry the page's
/// version too; on a stale copy neither stores, removes nor records anything.
fn a_file_attached_or_removed_on_a_stale_copy_is_refused_and_writes_nothing(r: &Fresh) {
    use rightsdesk_core::evidence::{self, Attach, EvidenceKind};
    let officers = two_officers(r);
    let (anna, ben) = (officers.store(r, 0), officers.store(r, 1));
    let registered = requests::register(r.store(), &clock(), &ada(), "registrar").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (export, card) = (dir.path().join("crm export.json"), dir.path().join("card.pdf"));
    std::fs::write(&export, b"{\"name\": \"Ada Example\"}").unwrap();
    std::fs::write(&card, b"%PDF-1.7 a scanned card").unwrap();
    let about = |name| Attach { request: &registered.id, file_name: name, task: None, system: None, kind: EvidenceKind::Evidence };
    // Ben loads the page; Anna attaches a file from hers (the same version): it goes through.
    let bens_copy = requests::detail(ben, &clock(), &registered.id).unwrap();
    let annas_copy = requests::detail(anna, &clock(), &registered.id).unwrap();
    let kept =
        evidence::add_file_expecting(anna, &clock(), &about("crm export.json"), &export, NAMES[0], Some(annas_copy.version)).unwrap();
    let before = events_of(r.store(), &registered.id);
    // Ben's attach and removal from his stale page are refused, naming Anna, and write nothing.
    let err = evidence::add_file_expecting(ben, &clock(), &about("card.pdf"), &card, NAMES[1], Some(bens_copy.version)).unwrap_err();
    assert!(err.to_string().starts_with(&format!("changed by {} at ", NAMES[0])) && err.to_string().ends_with(" — reload"), "{err}");
    let err = evidence::remove_expecting(ben, &clock(), &kept.id, "attached twice", NAMES[1], Some(bens_copy.version)).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Conflict, "{err}");
    assert_eq!(events_of(r.store(), &registered.id), before, "nothing recorded");
    let files: Vec<String> = evidence::list(r.store(), &registered.id).unwrap().into_iter().map(|e| e.name).collect();
    assert_eq!(files, ["crm export.json"], "nothing stored, nothing removed");
    // On the reloaded page both go through; without a version (the CLI) nothing is checked.
    let v = requests::detail(ben, &clock(), &registered.id).unwrap().version;
    evidence::add_file_expecting(ben, &clock(), &about("card.pdf"), &card, NAMES[1], Some(v)).unwrap();
    let v = requests::detail(ben, &clock(), &registered.id).unwrap().version;
    evidence::remove_expecting(ben, &clock(), &kept.id, "attached twice", NAMES[1], Some(v)).unwrap();
    evidence::add_file_expecting(anna, &clock(), &about("crm export.json"), &export, NAMES[0], None).unwrap();
    assert_eq!(evidence::list(r.store(), &registered.id).unwrap().len(), 2);
    let report = audit::verify(r.store()).unwrap();
    assert!(report.intact, "{:?}", report.problems);
}

/// SQLite only, because identity checks are not on the store interface yet (they run on the
/// register file only): asking for proof and recording a check on a stale copy are refused.
#[test]
fn sqlite_only_identity_steps_on_a_stale_copy_are_refused_and_write_nothing() {
    use rightsdesk_core::identity::{self, IdentityInput, IdentityMethod, IdentityOutcome};
    let r = Fresh::sqlite();
    let Fresh::Sqlite { db, .. } = &r else { unreachable!() };
    let registered = requests::register(db, &clock(), &ada(), "registrar").unwrap();
    let id = RequestId::from(&registered.id);
    let stale = requests::detail(db, &clock(), &registered.id).unwrap();
    requests::change_status_expecting(db, &clock(), &id, Status::InProgress, None, NAMES[0], Some(stale.version)).unwrap();
    let before = events_of(r.store(), &registered.id);
    let err = identity::request_proof_expecting(db, &clock(), &id, "2025-02-05", NAMES[1], Some(stale.version)).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Conflict, "{err}");
    let input = IdentityInput {
        method: IdentityMethod::ReplyFromAddressOnFile,
        outcome: IdentityOutcome::Verified,
        note: String::new(),
        on: "2025-02-05".into(),
    };
    let err = identity::verify_expecting(db, &clock(), &id, &input, NAMES[1], Some(stale.version)).unwrap_err();
    assert!(err.to_string().starts_with(&format!("changed by {} at ", NAMES[0])), "{err}");
    assert_eq!(events_of(r.store(), &registered.id), before, "nothing written");
    assert!(identity::list(db, &registered.id).unwrap().is_empty());
    let v = requests::detail(db, &clock(), &registered.id).unwrap().version;
    identity::verify_expecting(db, &clock(), &id, &input, NAMES[1], Some(v)).unwrap();
    assert_eq!(identity::list(db, &registered.id).unwrap().len(), 1);
}

/// The list's bulk actions (issue 18 item 4): the list page says as of which event it was read;
/// a bulk action sent with it is refused, whole, when a selected request changed after it.
fn a_bulk_action_on_a_stale_list_is_refused_naming_who_changed_a_selected_request_and_writes_nothing(r: &Fresh) {
    let officers = two_officers(r);
    let (anna, ben) = (officers.store(r, 0), officers.store(r, 1));
    let ids: Vec<String> = (0..3).map(|_| requests::register(r.store(), &clock(), &ada(), "registrar").unwrap().id).collect();
    // Ben's list shows the three; then Anna changes the second one.
    let bens_list = requests::search::page(ben, &clock(), &RequestFilter::default()).unwrap();
    assert_eq!(bens_list.requests.len(), 3);
    assert!(bens_list.as_of >= events_of(r.store(), &ids[2])[0].0, "the page is as of its rows' events");
    requests::change_status(anna, &clock(), &RequestId::from(&ids[1]), Status::AwaitingIdentity, None, NAMES[0]).unwrap();
    let before: Vec<_> = ids.iter().map(|id| events_of(r.store(), id)).collect();
    // Ben's bulk actions on his stale list are refused, naming Anna and when, and write nothing.
    let err = bulk::change_status(ben, &clock(), &ids, Some(bens_list.as_of), Status::InProgress, None, NAMES[1]).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Conflict, "{err}");
    let annas = events_of(r.store(), &ids[1]).last().unwrap().clone();
    assert_eq!(annas.2, NAMES[0]);
    let Error::Conflict { by, at } = &err else { panic!("{err:?}") };
    assert_eq!(by, NAMES[0], "the refusal names the officer who changed it");
    let changed = requests::detail(r.store(), &clock(), &ids[1]).unwrap();
    assert_eq!(*at, changed.timeline.last().unwrap().at, "and when");
    assert!(err.to_string().ends_with(" — reload"), "{err}");
    let err = bulk::mark_duplicate(ben, &clock(), &ids[1..], Some(bens_list.as_of), &ids[0], NAMES[1]).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Conflict, "{err}");
    assert_eq!(ids.iter().map(|id| events_of(r.store(), id)).collect::<Vec<_>>(), before, "nothing written");
    for (id, status) in ids.iter().zip([Status::Received, Status::AwaitingIdentity, Status::Received]) {
        assert_eq!(requests::detail(r.store(), &clock(), id).unwrap().request.status, status);
    }
    // A selection without the changed request is not stale.
    let other_two = [ids[0].clone(), ids[2].clone()];
    let none = bulk::change_status(ben, &clock(), &other_two, Some(bens_list.as_of), Status::AwaitingIdentity, None, NAMES[1]).unwrap();
    assert_eq!(none.changed, 2);
    // Ben reloads his list: the same bulk action on all three goes through.
    let reloaded = requests::search::page(ben, &clock(), &RequestFilter::default()).unwrap();
    assert!(reloaded.as_of > bens_list.as_of);
    let out = bulk::change_status(ben, &clock(), &ids, Some(reloaded.as_of), Status::InProgress, None, NAMES[1]).unwrap();
    assert_eq!(out.changed, 3);
    for id in &ids {
        let d = requests::detail(r.store(), &clock(), id).unwrap();
        assert_eq!(d.request.status, Status::InProgress);
        assert_eq!(d.timeline.last().unwrap().actor, NAMES[1]);
    }
    let report = audit::verify(r.store()).unwrap();
    assert!(report.intact, "{:?}", report.problems);
}
