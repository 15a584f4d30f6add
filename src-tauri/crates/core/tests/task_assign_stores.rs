//! Tasks assigned to a member of the team, and the list's "assigned to me" (issue 18
//! item 4), on both stores: assigning and unassigning are events on the request's
//! timeline; "assigned to me" lists the requests with an open task assigned to the
//! officer: on a team register the login the server knows (`session_user`), whatever
//! the client says; on the local file the actor the caller names.

#[path = "common/stores.rs"]
mod stores;

use rightsdesk_core::audit;
use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::datamap::{self, SystemInput, SystemText};
use rightsdesk_core::domain::{NewRequest, RequestType};
use rightsdesk_core::error::ErrorCode;
use rightsdesk_core::requests::rows::RequestFilter;
use rightsdesk_core::requests::{self};
use rightsdesk_core::store::Store;
use rightsdesk_core::tasks::{self, TaskStatus, TaskUpdate};
use stores::Fresh;

on_both_stores!(
    a_task_assigned_to_me_puts_its_request_on_my_list_until_it_is_closed_or_unassigned,
    an_assignment_on_a_stale_copy_or_of_a_closed_request_is_refused_and_writes_nothing,
    the_people_offered_are_the_team_members_who_may_change_things,
);

fn clock() -> FixedClock {
    FixedClock::at("2025-02-10")
}

fn erasure(name: &str, email: &str) -> NewRequest {
    NewRequest {
        request_type: RequestType::Erasure,
        regime: "eu-gdpr".into(),
        jurisdiction: "DE".into(),
        subject_name: name.into(),
        subject_email: email.into(),
        received: "2025-01-31".into(),
        ..Default::default()
    }
}

fn two_systems(store: Store<'_>) {
    for name in ["CRM", "Billing"] {
        let system = SystemInput {
            name: name.into(),
            vendor: "Example Vendor".into(),
            role: "own".into(),
            text: SystemText { purposes: "Customer support".into(), ..Default::default() },
        };
        datamap::save(store, &clock(), None, &system, "officer").unwrap();
    }
}

/// Who "me" is: on a team register the login the test works as (the filter's `me` is
/// ignored there: the server knows who is connected); on the file the name the caller gives.
fn me(r: &Fresh) -> &'static str {
    match r {
        Fresh::Sqlite { .. } => "anna",
        Fresh::Postgres { .. } => stores::PERSON,
    }
}

fn mine(r: &Fresh) -> Vec<String> {
    // On PostgreSQL `me` claims someone else: the server's session_user decides.
    let claimed = match r {
        Fresh::Sqlite { .. } => "anna",
        Fresh::Postgres { .. } => "mallory",
    };
    let filter = RequestFilter { assigned_to_me: true, me: Some(claimed.into()), ..Default::default() };
    let listed: Vec<String> = requests::list(r.store(), &clock(), &filter).unwrap().into_iter().map(|q| q.reference).collect();
    let page = requests::search::page(r.store(), &clock(), &filter).unwrap();
    assert_eq!(page.total as usize, listed.len(), "the page's count agrees with the list");
    listed
}

fn a_task_assigned_to_me_puts_its_request_on_my_list_until_it_is_closed_or_unassigned(r: &Fresh) {
    let store = r.store();
    two_systems(store);
    let first = requests::register(store, &clock(), &erasure("Ada Example", "ada@example.org"), "officer").unwrap();
    let second = requests::register(store, &clock(), &erasure("Bob Sample", "bob@example.org"), "officer").unwrap();
    let tasks = tasks::list(store, &first.reference).unwrap();
    assert_eq!(tasks.len(), 2);
    assert!(tasks.iter().all(|t| t.assignee.is_none()), "nobody at first");
    assert!(mine(r).is_empty());

    let assigned =
        tasks::assign(store, &clock(), &format!("{}#1", first.reference), Some(&format!("  {}  ", me(r))), "officer", None).unwrap();
    assert_eq!(assigned.assignee.as_deref(), Some(me(r)), "trimmed");
    assert_eq!(tasks::list(store, &first.id).unwrap()[0].assignee.as_deref(), Some(me(r)));
    // Someone else's task on the second request does not put it on my list.
    tasks::assign(store, &clock(), &format!("{}#2", second.reference), Some("ben"), "officer", None).unwrap();
    assert_eq!(mine(r), vec![first.reference.clone()]);
    let timeline = requests::detail(store, &clock(), &first.id).unwrap().timeline;
    let last = timeline.last().unwrap();
    assert_eq!(last.summary, format!("Task 1 ({}): assigned to {}", tasks[0].system_name, me(r)));
    // Assigning the one already assigned changes nothing and records nothing.
    tasks::assign(store, &clock(), &assigned.id, Some(me(r)), "officer", None).unwrap();
    assert_eq!(requests::detail(store, &clock(), &first.id).unwrap().timeline.len(), timeline.len());

    // Closed, the task no longer makes the request mine; reopened, it does again.
    let done = TaskUpdate { status: TaskStatus::Done, note: String::new(), exemption: None };
    tasks::update(store, &clock(), &assigned.id, &done, "officer").unwrap();
    assert!(mine(r).is_empty(), "only open tasks count");
    let reopen = TaskUpdate { status: TaskStatus::Open, note: String::new(), exemption: None };
    tasks::update(store, &clock(), &assigned.id, &reopen, "officer").unwrap();
    assert_eq!(mine(r), vec![first.reference.clone()]);

    // Unassigned (a blank name is nobody): off my list, and on the timeline.
    let unassigned = tasks::assign(store, &clock(), &assigned.id, Some("  "), "officer", None).unwrap();
    assert_eq!(unassigned.assignee, None);
    assert!(mine(r).is_empty());
    let last = requests::detail(store, &clock(), &first.id).unwrap().timeline.pop().unwrap();
    assert_eq!(last.summary, format!("Task 1 ({}): unassigned", tasks[0].system_name));
    let report = audit::verify(store).unwrap();
    assert!(report.intact, "{:?}", report.problems);
}

fn an_assignment_on_a_stale_copy_or_of_a_closed_request_is_refused_and_writes_nothing(r: &Fresh) {
    let store = r.store();
    two_systems(store);
    let request = requests::register(store, &clock(), &erasure("Ada Example", "ada@example.org"), "officer").unwrap();
    let loaded = requests::detail(store, &clock(), &request.id).unwrap();
    let task = format!("{}#1", request.reference);
    // Someone assigns task 2 after the copy was loaded: assigning task 1 on that copy is refused.
    tasks::assign(store, &clock(), &format!("{}#2", request.reference), Some("ben"), "ben", None).unwrap();
    let err = tasks::assign(store, &clock(), &task, Some("anna"), "anna", Some(loaded.version)).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Conflict, "{err}");
    assert!(err.to_string().ends_with(" — reload"), "{err}");
    assert_eq!(tasks::list(store, &request.id).unwrap()[0].assignee, None, "nothing written");
    let reloaded = requests::detail(store, &clock(), &request.id).unwrap();
    let t = tasks::assign(store, &clock(), &task, Some("anna"), "anna", Some(reloaded.version)).unwrap();
    assert_eq!(t.assignee.as_deref(), Some("anna"));
    // A name on two lines, or too long, is refused naming the field.
    let err = tasks::assign(store, &clock(), &task, Some("anna\nben"), "anna", None).unwrap_err();
    assert_eq!(err.field(), Some("assignee"));
    let err = tasks::assign(store, &clock(), &task, Some(&"x".repeat(101)), "anna", None).unwrap_err();
    assert_eq!(err.field(), Some("assignee"));
    // A withdrawn request's tasks can no longer change.
    let id = rightsdesk_core::domain::RequestId::from(&request.id);
    requests::change_status(store, &clock(), &id, rightsdesk_core::domain::Status::Withdrawn, None, "officer").unwrap();
    let err = tasks::assign(store, &clock(), &task, Some("ben"), "officer", None).unwrap_err();
    assert_eq!(err.field(), Some("task"), "{err}");
    assert_eq!(tasks::list(store, &request.id).unwrap()[0].assignee.as_deref(), Some("anna"));
}

/// On a team register the window offers the logins of the officers and admins (not the
/// auditors, who change nothing); on a register file nobody is listed (a name is typed).
fn the_people_offered_are_the_team_members_who_may_change_things(r: &Fresh) {
    match r {
        Fresh::Sqlite { .. } => assert!(tasks::assignable(r.store()).unwrap().is_empty()),
        Fresh::Postgres { pg, .. } => {
            use rightsdesk_core::store::pg::{team, PgUrl, TeamRole};
            let mut admin =
                rightsdesk_core::store::pg::connect(&PgUrl::parse(&pg.admin_url()).unwrap(), Some(pg.admin_password())).unwrap();
            for (name, role) in [("olga", TeamRole::Officer), ("carl", TeamRole::Auditor), ("anna", TeamRole::Officer)] {
                team::add(&mut admin, name, role, chrono::Utc::now()).unwrap();
            }
            assert_eq!(tasks::assignable(r.store()).unwrap(), vec!["ada_admin", "anna", "olga"]);
        }
    }
}
