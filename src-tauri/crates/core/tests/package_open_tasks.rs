//! Before a package is built: a request whose tasks are open and whose package
//! would hold no evidence is flagged, and the generated passphrase is drawn
//! from the shipped word list.

use std::collections::HashSet;
use std::path::Path;

use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::datamap::{self, SystemInput, SystemText};
use rightsdesk_core::domain::{NewRequest, RequestType};
use rightsdesk_core::evidence::{self, EvidenceKind, NewEvidence};
use rightsdesk_core::packages::{self, PackageSources, MIN_PASSPHRASE, PASSPHRASE_WORDS};
use rightsdesk_core::requests;
use rightsdesk_core::store::{Db, DbKey};
use rightsdesk_core::tasks::{self, TaskStatus, TaskUpdate};

fn clock() -> FixedClock {
    FixedClock::at("2026-11-23")
}

/// A data map of two systems and an access request with a task for each.
fn workspace(dir: &Path) -> (Db, String) {
    let db = Db::open(&dir.join("data").join("r.sqlite3"), &DbKey::passphrase("test passphrase").unwrap()).unwrap();
    let c = clock();
    for name in ["CRM", "Newsletter"] {
        let system = SystemInput {
            name: name.into(),
            role: "own".into(),
            text: SystemText {
                purposes: "Customer support".into(),
                data_categories: "Email address".into(),
                retention: "3 years".into(),
                location: "Frankfurt, Germany (EU)".into(),
                automated_decisions: "none".into(),
                ..Default::default()
            },
            ..Default::default()
        };
        datamap::save(&db, &c, None, &system, "o").unwrap();
    }
    let input = NewRequest {
        request_type: RequestType::Access,
        regime: "eu-gdpr".into(),
        jurisdiction: "DE".into(),
        subject_name: "Zoë Example".into(),
        subject_email: "zoe@example.org".into(),
        received: "2026-11-20".into(),
        ..Default::default()
    };
    let r = requests::register(&db, &c, &input, "o").unwrap();
    (db, r.id)
}

fn close(db: &Db, request: &str, system: &str, status: TaskStatus) {
    let task = tasks::list(db, request).unwrap().into_iter().find(|t| t.system_name == system).unwrap();
    tasks::update(
        db,
        &clock(),
        &task.id,
        &TaskUpdate { status, note: String::new(), exemption: (status == TaskStatus::Exempt).then(|| "Tax law: 10 years".into()) },
        "o",
    )
    .unwrap();
}

fn contents(db: &Db, request: &str) -> packages::PackageContents {
    let sources = packages::sources_from_workspace(db, request).unwrap();
    packages::contents(db, &clock(), request, sources).unwrap()
}

#[test]
fn a_package_without_evidence_while_tasks_are_open_is_flagged_with_the_count() {
    let dir = tempfile::tempdir().unwrap();
    let (db, id) = workspace(dir.path());
    let c = contents(&db, &id);
    assert_eq!(c.open_tasks, 2);
    assert!(c.evidence.is_empty());
    assert!(c.warn_open_tasks);
    let warning = c.open_tasks_warning().unwrap();
    assert!(warning.contains("2 open tasks"), "{warning}");
    assert!(!warning.contains("Zoë") && !warning.contains("zoe@"), "no personal data in the warning: {warning}");

    // One task closed: still one open, still no evidence.
    close(&db, &id, "Newsletter", TaskStatus::NotHeld);
    let c = contents(&db, &id);
    assert_eq!((c.open_tasks, c.warn_open_tasks), (1, true));
    assert!(c.open_tasks_warning().unwrap().contains("1 open task "));
}

#[test]
fn evidence_collected_or_every_task_closed_lifts_the_warning() {
    let dir = tempfile::tempdir().unwrap();
    let (db, id) = workspace(dir.path());
    let e = NewEvidence {
        request: &id,
        file_name: "crm-export.csv",
        bytes: b"id,email\n1,zoe@example.org\n",
        task: None,
        system: Some("CRM"),
        kind: EvidenceKind::Evidence,
    };
    evidence::add(&db, &clock(), &e, "o").unwrap();
    let c = contents(&db, &id);
    assert_eq!((c.open_tasks, c.evidence.len(), c.warn_open_tasks), (2, 1, false));
    assert_eq!(c.open_tasks_warning(), None);

    let dir = tempfile::tempdir().unwrap();
    let (db, id) = workspace(dir.path());
    close(&db, &id, "CRM", TaskStatus::Done);
    close(&db, &id, "Newsletter", TaskStatus::Exempt);
    let c = packages::contents(&db, &clock(), &id, PackageSources::default()).unwrap();
    assert_eq!((c.open_tasks, c.warn_open_tasks), (0, false));
}

#[test]
fn a_generated_passphrase_is_six_words_of_the_list_long_enough_and_never_the_same_twice() {
    let list: HashSet<&str> = packages::passphrase_words().iter().copied().collect();
    assert_eq!(list.len(), 7776, "the EFF large word list, whole");
    assert!(list.contains("abacus") && list.contains("zoom"));
    assert!(packages::passphrase_entropy_bits() >= 77.0, "{}", packages::passphrase_entropy_bits());

    let mut seen = HashSet::new();
    for _ in 0..200 {
        let p = packages::generate_passphrase().unwrap();
        assert!(p.chars().count() >= MIN_PASSPHRASE, "{p}");
        // Words are joined by '-'; a few list words carry a '-' themselves ("drop-down").
        let mut parts = 0;
        let mut rest = p.as_str();
        while !rest.is_empty() {
            let word = list
                .iter()
                .filter(|w| rest.starts_with(**w) && (rest.len() == w.len() || rest.as_bytes()[w.len()] == b'-'))
                .max_by_key(|w| w.len())
                .unwrap_or_else(|| panic!("{p}: not made of list words"));
            rest = rest[word.len()..].trim_start_matches('-');
            parts += 1;
        }
        assert!((PASSPHRASE_WORDS - 1..=PASSPHRASE_WORDS).contains(&parts), "{p}");
        assert!(seen.insert(p), "a passphrase came twice");
    }
}

#[test]
fn a_generated_passphrase_opens_the_encrypted_package() {
    let dir = tempfile::tempdir().unwrap();
    let (db, id) = workspace(dir.path());
    let p = packages::generate_passphrase().unwrap();
    let out = dir.path().join("p.zip");
    let options =
        packages::PackageOptions { out: &out, passphrase: Some(&p), overwrite: rightsdesk_core::files::destination::Overwrite::Refuse };
    let sources = packages::sources_from_workspace(&db, &id).unwrap();
    packages::build(&db, &clock(), &rightsdesk_core::domain::RequestId::from(&id), sources, &options, "o", &mut |_| {}).unwrap();
    assert!(packages::verify(&out, Some(&p)).unwrap().ok);
    assert!(packages::verify(&out, Some("wrong-passphrase-here")).map(|r| !r.ok).unwrap_or(true));
}

#[test]
fn the_built_package_is_offered_as_an_attachment_only_under_the_mail_servers_limit() {
    let dir = tempfile::tempdir().unwrap();
    let (db, id) = workspace(dir.path());
    let rid = rightsdesk_core::domain::RequestId::from(&id);
    assert!(packages::built_package(&db, &clock(), &rid, None).unwrap().is_none(), "nothing built yet");
    // Saved where the officer chose (not the default folder): found through the path the app remembers.
    let out = dir.path().join("elsewhere").join("answer.zip");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    let options =
        packages::PackageOptions { out: &out, passphrase: None, overwrite: rightsdesk_core::files::destination::Overwrite::Refuse };
    let sources = packages::sources_from_workspace(&db, &id).unwrap();
    packages::build(&db, &clock(), &rid, sources, &options, "o", &mut |_| {}).unwrap();
    assert!(packages::built_package(&db, &clock(), &rid, None).unwrap().is_none(), "not in the default folder");
    let found = packages::built_package(&db, &clock(), &rid, Some(&out)).unwrap().expect("the saved file");
    assert_eq!(found.name, "answer.zip");
    assert!(!found.encrypted && found.fits);
    assert_eq!(found.bytes, std::fs::metadata(&out).unwrap().len());
    let attachment = packages::package_attachment(&found).unwrap();
    assert_eq!(attachment.content_type, "application/zip");
    assert_eq!(attachment.bytes, std::fs::read(&out).unwrap(), "the file, byte for byte");

    // A limit below its size: offered disabled, and refused if asked for anyway.
    let settings = rightsdesk_core::settings::mail::MailSettings {
        host: "localhost".into(),
        security: rightsdesk_core::settings::mail::Security::None,
        from_address: "privacy@example.org".into(),
        max_attachment_bytes: 100,
        ..Default::default()
    };
    rightsdesk_core::settings::mail::save(&db, settings).unwrap();
    let found = packages::built_package(&db, &clock(), &rid, Some(&out)).unwrap().unwrap();
    assert_eq!((found.fits, found.limit_bytes), (false, 100));
    let refused = packages::package_attachment(&found).unwrap_err().to_string();
    assert!(refused.contains("limit"), "{refused}");
}
