//! The retention purge on both stores (issue 18 items 1 and 3): the same register
//! (a closed request with a task note, a reason on its timeline, a stored file and a
//! built answer package; an open request beside it) at a fixed clock gives the same
//! policies, the same preview and the same purge result on the local file and on a
//! team register: the closed request's personal data goes, the open one's stays, the
//! audit trail verifies after. The stored bytes of the purged evidence and package go
//! too: files beside the register on SQLite, `stored_chunks` rows on PostgreSQL.
//!
//! PostgreSQL only (the server enforces what the file cannot): the purge is the
//! admin's; an officer's and an auditor's are refused by the server, naming the role,
//! and remove nothing.

#[path = "common/stores.rs"]
mod stores;

use std::path::{Path, PathBuf};

use rightsdesk_core::audit;
use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::datamap::{self, SystemInput, SystemText};
use rightsdesk_core::domain::{Lang, NewRequest, RequestId, RequestType, Status};
use rightsdesk_core::error::Error;
use rightsdesk_core::evidence::{self, EvidenceKind, NewEvidence};
use rightsdesk_core::files::destination::Overwrite;
use rightsdesk_core::packages::{self, PackageOptions};
use rightsdesk_core::requests;
use rightsdesk_core::retention::{self, PurgePlan, PurgeReport};
use rightsdesk_core::store::pg::{team, PgUrl, TeamRole};
use rightsdesk_core::store::{PgDb, Store};
use rightsdesk_core::tasks::{self, TaskStatus, TaskUpdate};
use stores::Fresh;

on_both_stores!(the_same_register_gives_the_same_preview_and_the_same_purge);

const REMOVED: &str = "(removed under the retention policy)";

fn clock() -> FixedClock {
    FixedClock::at("2026-11-23")
}

/// A day after the closed request's 12 months have run out.
fn later() -> FixedClock {
    FixedClock::at("2028-01-02")
}

struct Register {
    closed: String,
    open: String,
    manifest: String,
    package: PathBuf,
}

/// Where the package is written: on the file, its `packages/` folder (what the purge
/// deletes there); on a team register, anywhere (the purge takes the copy kept in the database).
fn package_dir(r: &Fresh, tmp: &Path) -> PathBuf {
    match r {
        Fresh::Sqlite { db, .. } => db.path().parent().unwrap().join("packages"),
        Fresh::Postgres { .. } => tmp.to_path_buf(),
    }
}

fn register(store: Store<'_>, packages_in: &Path) -> Register {
    let input = SystemInput {
        name: "CRM".into(),
        vendor: "Acme CRM GmbH".into(),
        role: "processor".into(),
        text: SystemText {
            purposes: "Customer support".into(),
            data_categories: "Contact data".into(),
            location: "Frankfurt, Germany".into(),
            retention: "3 years after the last contact".into(),
            legal_basis: "Contract (Art. 6(1)(b))".into(),
            source: "You".into(),
            automated_decisions: "No automated decisions are made".into(),
            ..Default::default()
        },
    };
    datamap::save(store, &clock(), None, &input, "admin").unwrap();
    let new = |name: &str, email: &str| NewRequest {
        request_type: RequestType::Access,
        regime: "eu-gdpr".into(),
        jurisdiction: "DE".into(),
        subject_name: name.into(),
        subject_email: email.into(),
        received: "2026-11-20".into(),
        ..Default::default()
    };
    let closed = requests::register(store, &clock(), &new("Ada Example", "ada@example.org"), "admin").unwrap().id;
    let open = requests::register(store, &clock(), &new("Bob Example", "bob@example.org"), "admin").unwrap().id;
    for (id, name) in [(&closed, "ada-export.json"), (&open, "bob-export.json")] {
        let file = NewEvidence {
            request: id,
            file_name: name,
            bytes: name.as_bytes(),
            task: None,
            system: Some("CRM"),
            kind: EvidenceKind::Evidence,
        };
        evidence::add(store, &clock(), &file, "admin").unwrap();
    }
    let task = &tasks::list(store, &closed).unwrap()[0];
    let done = TaskUpdate { status: TaskStatus::Done, note: "exported Ada's CRM record".into(), exemption: None };
    tasks::update(store, &clock(), &task.id, &done, "admin").unwrap();
    std::fs::create_dir_all(packages_in).unwrap();
    let package = packages_in.join("DSR-ada.zip");
    let sources = packages::sources_from_workspace(store, &closed).unwrap();
    let options = PackageOptions { out: &package, passphrase: None, overwrite: Overwrite::Allowed };
    let built =
        packages::build_in(store, &clock(), &RequestId::from(&closed), sources, &options, Some(Lang::En), "admin", &mut |_| {}).unwrap();
    for to in [Status::InProgress, Status::Completed] {
        requests::change_status(store, &clock(), &RequestId::from(&closed), to, Some("Ada asked by phone"), "admin").unwrap();
    }
    requests::change_status(store, &clock(), &RequestId::from(&open), Status::InProgress, None, "admin").unwrap();
    retention::set_months(store, &clock(), "admin", "eu-gdpr", 12).unwrap();
    Register { closed, open, manifest: built.manifest_sha256, package }
}

/// The preview without the ids (which differ between two registers).
fn plan_summary(p: &PurgePlan) -> String {
    let requests: Vec<String> = p
        .requests
        .iter()
        .map(|c| format!("{} {} {} {} closed {} purge from {}", c.reference, c.request_type, c.regime, c.status, c.closed_on, c.purge_from))
        .collect();
    let removes: Vec<String> = p.removes.iter().map(|c| format!("{}={}", c.purger, c.items)).collect();
    format!("as of {}: {:?} removes {:?}, dismissed {}", p.as_of, requests, removes, p.dismissed_mails)
}

fn report_summary(p: &PurgeReport) -> String {
    let removed: Vec<String> = p.removed.iter().map(|c| format!("{}={}", c.purger, c.items)).collect();
    format!("{} requests: {:?}, dismissed {}", p.requests, removed, p.dismissed_mails)
}

/// What a run on one store shows: the policy, the preview, the purge's report, and the two requests after it.
fn run(r: &Fresh) -> (String, String, String, Vec<String>) {
    let store = r.store();
    let tmp = tempfile::tempdir().unwrap();
    let reg = register(store, &package_dir(r, tmp.path()));
    let policy = retention::policies(store).unwrap().into_iter().find(|p| p.regime == "eu-gdpr").unwrap();
    assert_eq!((policy.months, policy.default_months), (12, 36));

    // Before the period runs out, nothing is due.
    let early = retention::preview(store, &FixedClock::at("2027-11-22")).unwrap();
    assert!(early.requests.is_empty(), "{}", plan_summary(&early));

    let plan = retention::preview(store, &later()).unwrap();
    assert_eq!(plan.requests.len(), 1);
    assert_eq!(plan.requests[0].id, reg.closed);
    let report = retention::purge(store, &later(), "admin", Some(1)).unwrap();

    let closed = requests::detail(store, &later(), &reg.closed).unwrap();
    assert_eq!(closed.request.subject.name, REMOVED);
    assert!(closed.request.subject.email.is_none(), "the email is gone");
    assert!(closed.timeline.iter().all(|e| !e.summary.contains("phone")), "the reason is redacted");
    assert!(closed.timeline.iter().any(|e| e.kind.as_str() == "personal-data-purged"));
    assert!(evidence::list(store, &reg.closed).unwrap().is_empty());
    assert_eq!(tasks::list(store, &reg.closed).unwrap()[0].note, "");
    let open = requests::detail(store, &later(), &reg.open).unwrap();
    assert_eq!(open.request.subject.name, "Bob Example", "the open request keeps its data");
    assert_eq!(evidence::read(store, &evidence::list(store, &reg.open).unwrap()[0].id).unwrap().1, b"bob-export.json");
    let check = audit::verify(store).unwrap();
    assert!(check.intact, "{:?}", check.problems);

    // The stored bytes of the purged evidence and package are gone; the open request's stay.
    match r {
        Fresh::Sqlite { db, .. } => {
            assert!(!reg.package.exists(), "the package in the packages folder is deleted");
            assert_eq!(report.files_deleted, 2, "the evidence file and the package");
            let left = walk(&db.path().parent().unwrap().join("evidence"));
            assert_eq!(left, 1, "only the open request's evidence file is left");
        }
        Fresh::Postgres { pg, .. } => {
            let kept = pg.admin_sql(stores::pg::DBNAME, &format!("SELECT count(*) FROM stored_chunks WHERE blob = '{}'", reg.manifest));
            assert_eq!(kept, "0", "the kept package's rows are gone");
            let left = pg.admin_sql(stores::pg::DBNAME, "SELECT count(DISTINCT blob) FROM stored_chunks");
            assert_eq!(left, "1", "only the open request's evidence is left");
        }
    }
    // A second purge finds nothing more.
    let again = retention::preview(store, &later()).unwrap();
    assert!(again.requests.is_empty());
    (format!("{policy:?}"), plan_summary(&plan), report_summary(&report), vec![closed.request.reference, open.request.reference])
}

fn walk(dir: &Path) -> usize {
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        if e.path().is_dir() {
            n += walk(&e.path());
        } else {
            n += 1;
        }
    }
    n
}

fn the_same_register_gives_the_same_preview_and_the_same_purge(r: &Fresh) {
    let mine = run(r);
    let other = match r {
        Fresh::Sqlite { .. } => Fresh::postgres(),
        Fresh::Postgres { .. } => Fresh::sqlite(),
    };
    let theirs = run(&other);
    assert_eq!(mine, theirs, "the same policy, preview, purge and references on both stores");
    assert!(mine.1.contains("package-files=1") && mine.1.contains("timeline-details="), "{}", mine.1);
}

/// PostgreSQL only: roles are the server's. The admin's register, then an officer and an
/// auditor each try the purge on a connection of their own.
#[test]
fn postgres_only_an_officers_and_an_auditors_purge_are_refused_by_the_server() {
    let r = Fresh::postgres();
    let Fresh::Postgres { pg, .. } = &r else { unreachable!() };
    let tmp = tempfile::tempdir().unwrap();
    let reg = register(r.store(), tmp.path());
    let admin_url = PgUrl::parse(&pg.admin_url()).unwrap();
    let mut dba = rightsdesk_core::store::pg::connect(&admin_url, Some(pg.admin_password())).unwrap();
    for (name, role, said) in [("olga", TeamRole::Officer, "officer"), ("axel", TeamRole::Auditor, "auditor")] {
        let added = team::add(&mut dba, name, role, chrono::Utc::now()).unwrap();
        let db = PgDb::connect(&PgUrl::parse(&pg.url(name)).unwrap(), Some(&added.password)).unwrap();
        // The preview is a read: everyone may see what the purge would remove.
        assert_eq!(retention::preview(&db, &later()).unwrap().requests.len(), 1);
        let e = retention::purge(&db, &later(), name, None).unwrap_err().to_string();
        assert!(e.contains("admin") && e.contains(said) && e.contains("nothing was removed"), "{e}");
        let e = retention::set_months(&db, &clock(), name, "eu-gdpr", 24).unwrap_err();
        assert!(matches!(&e, Error::Postgres { sqlstate, .. } if sqlstate == "42501"), "settings are the admin's: {e}");
    }
    // Nothing was removed: the request, its evidence and the kept package are as they were.
    let store = r.store();
    assert_eq!(requests::detail(store, &later(), &reg.closed).unwrap().request.subject.name, "Ada Example");
    assert_eq!(evidence::list(store, &reg.closed).unwrap().len(), 1);
    let kept = pg.admin_sql(stores::pg::DBNAME, &format!("SELECT count(*) > 0 FROM stored_chunks WHERE blob = '{}'", reg.manifest));
    assert_eq!(kept, "t");
    assert_eq!(retention::policies(store).unwrap().iter().find(|p| p.regime == "eu-gdpr").unwrap().months, 12);
    // The admin's purge goes through.
    assert_eq!(retention::purge(store, &later(), "admin", None).unwrap().requests, 1);
}
