//! The package drawn from the officer's workspace: the data map's systems in
//! the cover letter and the evidence collected on the request under
//! `evidence/<system>/`, decrypted only into the ZIP. Read back with Python's
//! zipfile (a tool that is not ours).

use std::path::{Path, PathBuf};
use std::process::Command;

use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::datamap::{self, SystemInput, SystemText};
use rightsdesk_core::domain::RequestId;
use rightsdesk_core::domain::{NewRequest, RequestType};
use rightsdesk_core::evidence::{self, EvidenceKind, NewEvidence};
use rightsdesk_core::packages::{self, PackageOptions};
use rightsdesk_core::requests;
use rightsdesk_core::store::{Db, DbKey};
use rightsdesk_core::tasks::{self, TaskStatus, TaskUpdate};
use sha2::{Digest, Sha256};

const CRM_EXPORT: &[u8] = b"id,email,plan\ncus_4711,zoe@example.org,pro\n";
const STATEMENT: &[u8] = b"%PDF-1.7 statement of account for cus_4711";

fn clock() -> FixedClock {
    FixedClock::at("2026-11-23")
}

fn system(name: &str, role: &str, purposes: &str, categories: &str) -> SystemInput {
    SystemInput {
        name: name.into(),
        role: role.into(),
        text: SystemText {
            purposes: purposes.into(),
            data_categories: categories.into(),
            retention: format!("{name}: 3 years"),
            location: "Frankfurt, Germany (EU)".into(),
            automated_decisions: "none".into(),
            ..Default::default()
        },
        ..Default::default()
    }
}

/// A data map of three systems, an access request with a task for each, and
/// evidence: a CSV export from the CRM, a PDF from Stripe, a note on the
/// request itself, and an identity document.
fn workspace(dir: &Path) -> (Db, String) {
    let db = Db::open(&dir.join("data").join("r.sqlite3"), &DbKey::passphrase("test passphrase").unwrap()).unwrap();
    let c = clock();
    let mut crm = system("CRM", "own", "Customer support; Billing", "Name; email address");
    crm.text.legal_basis = "Contract (Art. 6(1)(b))".into();
    crm.text.source = "You, when you signed up; our sales team".into();
    datamap::save(&db, &c, None, &crm, "o").unwrap();
    let mut stripe = system("Stripe", "sub-processor", "Payment processing", "Payment records");
    stripe.vendor = "Stripe, Inc.".into();
    stripe.text.location = "USA".into();
    stripe.text.transfer_safeguard = "Standard contractual clauses".into();
    datamap::save(&db, &c, None, &stripe, "o").unwrap();
    datamap::save(&db, &c, None, &system("Server logs", "own", "Detecting abuse", "IP address"), "o").unwrap();
    let r = requests::register(
        &db,
        &c,
        &NewRequest {
            request_type: RequestType::Access,
            regime: "eu-gdpr".into(),
            jurisdiction: "DE".into(),
            subject_name: "Zoë Example".into(),
            subject_email: "zoe@example.org".into(),
            received: "2026-11-20".into(),
            ..Default::default()
        },
        "o",
    )
    .unwrap();
    // The server logs hold nothing of hers.
    let logs = tasks::list(&db, &r.id).unwrap().into_iter().find(|t| t.system_name == "Server logs").unwrap();
    tasks::update(&db, &c, &logs.id, &TaskUpdate { status: TaskStatus::NotHeld, note: String::new(), exemption: None }, "o").unwrap();
    let add = |file_name: &str, bytes: &[u8], system: Option<&str>, kind| {
        evidence::add(&db, &c, &NewEvidence { request: &r.id, file_name, bytes, task: None, system, kind }, "o").unwrap()
    };
    add("crm-export.csv", CRM_EXPORT, Some("CRM"), EvidenceKind::Evidence);
    add("statement.pdf", STATEMENT, Some("Stripe"), EvidenceKind::Evidence);
    add("phone note.txt", b"called back on 2026-11-21", None, EvidenceKind::Evidence);
    add("passport.jpg", b"\xff\xd8 passport scan", None, EvidenceKind::IdentityDocument);
    (db, r.reference)
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        if e.path().is_dir() {
            out.extend(files_under(&e.path()));
        } else {
            out.push(e.path());
        }
    }
    out
}

fn sha(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

#[test]
fn the_package_shows_the_data_maps_systems_and_the_evidence_collected_on_the_request() {
    let dir = tempfile::tempdir().unwrap();
    let (db, reference) = workspace(dir.path());

    // What the officer sees before building.
    let sources = packages::sources_from_workspace(&db, &reference).unwrap();
    let contents = packages::contents(&db, &clock(), &reference, sources.clone()).unwrap();
    let systems: Vec<&str> = contents.systems.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(systems, ["Data-subject request register", "CRM", "Stripe"], "not-held systems are left out");
    let crm = &contents.systems[1];
    assert_eq!(crm.purposes, ["Customer support", "Billing"]);
    assert_eq!(crm.categories, ["Name", "email address"]);
    assert_eq!(crm.source, "You, when you signed up; our sales team");
    let stripe = &contents.systems[2];
    assert_eq!(stripe.recipients, ["Stripe, Inc. (sub-processor, acting on our instructions)"]);
    assert_eq!(stripe.transfers.as_deref(), Some("Standard contractual clauses"));
    assert_eq!(stripe.location, "USA");
    assert!(contents.missing.is_empty(), "every fact the letter needs is recorded: {:?}", contents.missing);
    let planned: Vec<(&str, bool)> = contents.evidence.iter().map(|e| (e.path.as_str(), e.kept_as_is)).collect();
    assert_eq!(
        planned,
        [("evidence/crm/crm-export.csv", false), ("evidence/stripe/statement.pdf", true), ("evidence/general/phone note.txt", false)],
        "identity documents are not part of the answer"
    );

    let out = dir.path().join("out").join("package.zip");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    let report = packages::build(
        &db,
        &clock(),
        &RequestId::from(&reference),
        sources,
        &PackageOptions { out: &out, passphrase: None, overwrite: rightsdesk_core::files::destination::Overwrite::Allowed },
        "o",
        &mut |_| {},
    )
    .unwrap();
    assert!(report.files >= 8, "{report:?}");

    // Python's zipfile: the bytes, the manifest's hashes, the PDF stored as it is, the CSV deflated, the letter.
    let script = "import hashlib, json, sys, zipfile\n\
        z = zipfile.ZipFile(sys.argv[1])\n\
        assert z.testzip() is None\n\
        m = {f['path']: f for f in json.loads(z.read('manifest.json'))['files']}\n\
        for path in m:\n    assert hashlib.sha256(z.read(path)).hexdigest() == m[path]['sha256'], path\n\
        out = {p: m[p]['sha256'] for p in m if p.startswith('evidence/')}\n\
        out['methods'] = {i.filename: i.compress_type for i in z.infolist() if i.filename.startswith('evidence/')}\n\
        out['letter'] = z.read('cover-letter.html').decode()\n\
        out['csv'] = z.read('evidence/crm/crm-export.csv').decode()\n\
        print(json.dumps(out))\n";
    let py = Command::new("python3").arg("-c").arg(script).arg(&out).output().expect("python3");
    assert!(py.status.success(), "python: {}", String::from_utf8_lossy(&py.stderr));
    let seen: serde_json::Value = serde_json::from_slice(&py.stdout).unwrap();
    assert_eq!(seen["evidence/crm/crm-export.csv"], sha(CRM_EXPORT));
    assert_eq!(seen["evidence/stripe/statement.pdf"], sha(STATEMENT));
    assert_eq!(seen["csv"], std::str::from_utf8(CRM_EXPORT).unwrap());
    assert_eq!(seen["methods"]["evidence/stripe/statement.pdf"], 0, "ZIP_STORED: a PDF is not compressed again");
    assert_eq!(seen["methods"]["evidence/crm/crm-export.csv"], 8, "ZIP_DEFLATED");
    assert!(seen.get("evidence/general/passport.jpg").is_none());
    let letter = seen["letter"].as_str().unwrap();
    for expected in [
        "CRM",
        "Customer support",
        "Contract (Art. 6(1)(b))",
        "You, when you signed up; our sales team",
        "CRM: 3 years",
        "Payment processing",
        "Standard contractual clauses",
        "<strong>Stripe</strong>: USA",
    ] {
        assert!(letter.contains(expected), "{expected} missing from the cover letter");
    }
    assert!(!letter.contains("Server logs"), "a system that holds nothing of hers is not in the letter");

    // The decrypted bytes went into the ZIP only: nothing else on disk holds them in plain text.
    for f in files_under(dir.path()).into_iter().filter(|f| f != &out) {
        let bytes = std::fs::read(&f).unwrap();
        assert!(!bytes.windows(8).any(|w| w == b"cus_4711"), "{} holds evidence in plain text", f.display());
    }
}

#[test]
fn a_stored_evidence_file_changed_on_disk_stops_the_package_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (db, reference) = workspace(dir.path());
    for blob in files_under(&dir.path().join("data").join("evidence")) {
        let mut bytes = std::fs::read(&blob).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&blob, bytes).unwrap();
    }
    let out = dir.path().join("package.zip");
    let sources = packages::sources_from_workspace(&db, &reference).unwrap();
    let err = packages::build(
        &db,
        &clock(),
        &RequestId::from(&reference),
        sources,
        &PackageOptions { out: &out, passphrase: None, overwrite: rightsdesk_core::files::destination::Overwrite::Allowed },
        "o",
        &mut |_| {},
    )
    .unwrap_err();
    assert_eq!(err.field(), Some("evidence"));
    assert!(err.to_string().contains("crm-export.csv"), "the message names the file: {err}");
    assert!(!out.exists());
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(left.iter().all(|n| !n.to_string_lossy().contains("package")), "nothing half-written: {left:?}");
}

#[test]
fn with_no_tasks_the_letter_describes_the_whole_data_map() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("r.sqlite3"), &DbKey::passphrase("test passphrase").unwrap()).unwrap();
    let c = clock();
    // Registered before the map existed: no tasks.
    let r = requests::register(
        &db,
        &c,
        &NewRequest {
            request_type: RequestType::Portability,
            regime: "eu-gdpr".into(),
            jurisdiction: "DE".into(),
            subject_name: "Ada".into(),
            subject_email: "ada@example.org".into(),
            received: "2026-11-20".into(),
            ..Default::default()
        },
        "o",
    )
    .unwrap();
    datamap::save(&db, &c, None, &system("Newsletter", "own", "Sending the newsletter", "Email address"), "o").unwrap();
    let sources = packages::sources_from_workspace(&db, &r.id).unwrap();
    assert_eq!(sources.systems.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["Newsletter"]);
    assert!(sources.evidence.is_empty());
}
