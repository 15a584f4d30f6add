//! Answer packages on both stores (issue 18 item 5): an access request with a
//! data-map system, its task and stored evidence is built into a ZIP that
//! `packages::verify` checks hash by hash, holding the same files and the same
//! data bytes on the local file and on a team register. On a team register the
//! ZIP is also kept in the database (sealed in `stored_chunks` under the
//! package's manifest SHA-256), so another officer finds it for the response
//! letter and reads it back byte for byte.
//!
//! PostgreSQL only (the server enforces what the file cannot): an auditor's
//! build is refused by the server (building writes the package's row and
//! event) and leaves no ZIP, no row, no kept copy.

#[path = "common/stores.rs"]
mod stores;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::datamap::{self, SystemInput, SystemText};
use rightsdesk_core::domain::{NewRequest, RequestId, RequestType};
use rightsdesk_core::error::Error;
use rightsdesk_core::evidence::{self, EvidenceKind, NewEvidence};
use rightsdesk_core::files::destination::Overwrite;
use rightsdesk_core::packages::{self, PackageOptions, PackageReport};
use rightsdesk_core::requests;
use rightsdesk_core::store::pg::{team, PgUrl, TeamRole};
use rightsdesk_core::store::{PgDb, Store};
use stores::Fresh;

on_both_stores!(a_package_built_from_the_register_verifies_and_is_found_for_the_response_letter);

fn clock() -> FixedClock {
    FixedClock::at("2026-11-23")
}

/// `len` bytes of noise.
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

/// A demo-like register: one data-map system with every fact the letter needs, an access
/// request (whose task is made for it), and two stored files (one on the task, one general).
fn demo(store: Store<'_>) -> (String, Vec<u8>) {
    let input = SystemInput {
        name: "CRM".into(),
        vendor: "Acme CRM GmbH".into(),
        role: "processor".into(),
        text: SystemText {
            purposes: "Customer support; invoicing".into(),
            data_categories: "Contact data; support tickets".into(),
            location: "Frankfurt, Germany".into(),
            retention: "3 years after the last contact".into(),
            legal_basis: "Contract (Art. 6(1)(b))".into(),
            source: "You".into(),
            automated_decisions: "No automated decisions are made".into(),
            ..Default::default()
        },
    };
    datamap::save(store, &clock(), None, &input, "officer").unwrap();
    let request = requests::register(
        store,
        &clock(),
        &NewRequest {
            request_type: RequestType::Access,
            regime: "eu-gdpr".into(),
            jurisdiction: "DE".into(),
            subject_name: "Ada Example".into(),
            subject_email: "ada@example.org".into(),
            received: "2026-11-20".into(),
            ..Default::default()
        },
        "officer",
    )
    .unwrap();
    // Two and a half rows of the team register's table: read back a row at a time.
    let export = noise(5 * (1 << 19) + 77, 3);
    let file = |name, bytes, system| NewEvidence {
        request: &request.id,
        file_name: name,
        bytes,
        task: None,
        system,
        kind: EvidenceKind::Evidence,
    };
    evidence::add(store, &clock(), &file("crm-export.bin", &export, Some("CRM")), "officer").unwrap();
    evidence::add(store, &clock(), &file("notes.txt", b"id,name\n1,Ada\n", None), "officer").unwrap();
    (request.id, export)
}

fn build(store: Store<'_>, id: &str, out: &Path, actor: &str) -> Result<PackageReport, Error> {
    let sources = packages::sources_from_workspace(store, id)?;
    let options = PackageOptions { out, passphrase: None, overwrite: Overwrite::Allowed };
    packages::build_in(
        store,
        &clock(),
        &RequestId::from(id),
        sources,
        &options,
        Some(rightsdesk_core::domain::Lang::En),
        actor,
        &mut |_| {},
    )
}

/// Every entry of the ZIP and its bytes.
fn entries(zip: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut z = zip::ZipArchive::new(std::fs::File::open(zip).unwrap()).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).unwrap();
            (f.name().to_string(), bytes)
        })
        .collect()
}

fn a_package_built_from_the_register_verifies_and_is_found_for_the_response_letter(r: &Fresh) {
    let store = r.store();
    let (id, export) = demo(store);
    let planned = packages::contents(store, &clock(), &id, packages::sources_from_workspace(store, &id).unwrap()).unwrap();
    assert!(planned.missing.is_empty(), "{:?}", planned.missing);
    assert_eq!(planned.evidence.len(), 2);
    assert!(planned.systems.iter().any(|s| s.name == "CRM"));

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("DSR-package.zip");
    let report = build(store, &id, &out, "officer").unwrap();
    let checked = packages::verify(&out, None).unwrap();
    assert!(checked.ok, "{:?}", checked.problems);
    assert_eq!(checked.manifest_sha256, report.manifest_sha256);
    let files = entries(&out);
    assert!(files["evidence/crm/crm-export.bin"] == export, "the stored file, byte for byte");
    assert_eq!(files["evidence/general/notes.txt"], b"id,name\n1,Ada\n");

    // The same package on the other store: the same files and the same data bytes.
    let other = match r {
        Fresh::Sqlite { .. } => Fresh::postgres(),
        Fresh::Postgres { .. } => Fresh::sqlite(),
    };
    let (other_id, _) = demo(other.store());
    let other_out = dir.path().join("other.zip");
    build(other.store(), &other_id, &other_out, "officer").unwrap();
    let theirs = entries(&other_out);
    assert_eq!(files.keys().collect::<Vec<_>>(), theirs.keys().collect::<Vec<_>>(), "the same file list on both stores");
    for name in files.keys().filter(|n| n.starts_with("evidence/") || n.ends_with(".csv")) {
        assert!(files[name] == theirs[name], "{name} differs between the stores");
    }

    // The response letter's attachment: on the file, the ZIP beside the officer; on a team
    // register, the copy kept in the database, found by another officer's connection.
    let client = r.client();
    let found = packages::built_package(client.store(), &clock(), &RequestId::from(id.as_str()), Some(&out)).unwrap().expect("found");
    assert_eq!(found.bytes, std::fs::metadata(&out).unwrap().len());
    assert!(!found.encrypted);
    let attachment = packages::package_attachment_in(client.store(), &found).unwrap();
    assert!(attachment.bytes == std::fs::read(&out).unwrap(), "the attachment is the ZIP, byte for byte");
    if let Fresh::Postgres { pg, .. } = r {
        assert_eq!(found.path, "", "read from the team register, not from this computer");
        // Gone from this computer, it is still found and read back from the database.
        std::fs::remove_file(&out).unwrap();
        let again = packages::built_package(client.store(), &clock(), &RequestId::from(id.as_str()), None).unwrap().expect("kept");
        let mut back = Vec::new();
        packages::write_package(client.store(), &again, &mut back).unwrap();
        assert!(back == attachment.bytes);
        // Kept sealed: the server holds no plain byte of the ZIP.
        let rows: i64 = pg
            .admin_sql(stores::pg::DBNAME, &format!("SELECT count(*) FROM stored_chunks WHERE blob = '{}'", report.manifest_sha256))
            .parse()
            .unwrap();
        assert!(rows >= 3, "the ZIP in rows of 1 MiB: {rows}");
        let plain_seen = pg.admin_sql(
            stores::pg::DBNAME,
            &format!("SELECT bool_or(position('\\x{}'::bytea IN bytes) > 0) FROM stored_chunks", hex::encode(&back[40..72])),
        );
        assert_ne!(plain_seen, "t");
        // Removing an evidence file collects unreferenced bytes, never the kept package.
        let e = evidence::list(store, &id).unwrap().pop().unwrap();
        evidence::remove(store, &clock(), &e.id, "not needed", "officer").unwrap();
        let after: i64 = pg
            .admin_sql(stores::pg::DBNAME, &format!("SELECT count(*) FROM stored_chunks WHERE blob = '{}'", report.manifest_sha256))
            .parse()
            .unwrap();
        assert_eq!(after, rows, "the kept package survives the clean-up");
        // A row changed behind the register's back is refused when read.
        pg.admin_sql(
            stores::pg::DBNAME,
            &format!(
                "UPDATE stored_chunks SET bytes = set_byte(bytes, 100, get_byte(bytes, 100) # 1) WHERE blob = '{}' AND n = 1",
                report.manifest_sha256
            ),
        );
        let err = packages::write_package(client.store(), &again, &mut std::io::sink()).unwrap_err();
        assert_eq!(err.field(), Some("package"), "{err:?}");
    }
    let check = rightsdesk_core::audit::verify(store).unwrap();
    assert!(check.intact, "{:?}", check.problems);
}

#[test]
fn postgres_only_the_server_refuses_an_auditors_build_and_nothing_is_left() {
    let r = Fresh::postgres();
    let (id, _) = demo(r.store());
    let Fresh::Postgres { pg, .. } = &r else { unreachable!() };
    let mut admin = rightsdesk_core::store::pg::connect(&PgUrl::parse(&pg.admin_url()).unwrap(), Some(pg.admin_password())).unwrap();
    let carl = team::add(&mut admin, "carl_auditor", TeamRole::Auditor, chrono::Utc::now()).unwrap();
    let auditor = PgDb::connect(&PgUrl::parse(&pg.url("carl_auditor")).unwrap(), Some(&carl.password)).unwrap();
    // The auditor reads everything a package is made of.
    let planned = packages::contents(&auditor, &clock(), &id, packages::sources_from_workspace(&auditor, &id).unwrap()).unwrap();
    assert_eq!(planned.evidence.len(), 2);
    let chunks_before = pg.admin_sql(stores::pg::DBNAME, "SELECT count(*) FROM stored_chunks");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("auditor.zip");
    let err = build(Store::from(&auditor), &id, &out, "carl_auditor").unwrap_err();
    assert!(matches!(&err, Error::Postgres { sqlstate, .. } if sqlstate == "42501"), "refused by the server: {err:?}");
    assert!(!out.exists(), "no ZIP under the chosen name");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "no temporary file left");
    assert_eq!(pg.admin_sql(stores::pg::DBNAME, "SELECT count(*) FROM packages"), "0");
    assert_eq!(pg.admin_sql(stores::pg::DBNAME, "SELECT count(*) FROM stored_chunks"), chunks_before);
    assert!(packages::built_package(&auditor, &clock(), &RequestId::from(id.as_str()), None).unwrap().is_none());
}

/// PostgreSQL only (a client killed inside its transaction): the build's transaction is held
/// at its event (another session locks `events`) after the package's row and the kept ZIP's
/// rows were sent; its backend is then killed. No row, no kept copy, no event, no ZIP.
#[test]
fn postgres_only_a_build_killed_inside_its_transaction_leaves_nothing() {
    let r = Fresh::postgres();
    let (id, _) = demo(r.store());
    let Fresh::Postgres { pg, .. } = &r else { unreachable!() };
    let state = || {
        pg.admin_sql(
            stores::pg::DBNAME,
            "SELECT (SELECT count(*) FROM packages) || '/' || (SELECT count(*) FROM stored_chunks) || '/' || (SELECT seq FROM events_issued)",
        )
    };
    let before = state();
    let inserted = || -> i64 {
        pg.admin_sql(stores::pg::DBNAME, "SELECT n_tup_ins FROM pg_stat_user_tables WHERE relname = 'stored_chunks'").parse().unwrap()
    };
    let inserted_before = inserted();
    let mut admin = rightsdesk_core::store::pg::connect(&PgUrl::parse(&pg.admin_url()).unwrap(), Some(pg.admin_password())).unwrap();
    let mut holder = admin.transaction().unwrap();
    holder.batch_execute("LOCK TABLE events IN EXCLUSIVE MODE").unwrap();

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("killed.zip");
    let client = r.client();
    std::thread::scope(|s| {
        let building = s.spawn(|| build(client.store(), &id, &out, "officer"));
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        let waiting = format!(
            "SELECT count(*) FROM pg_stat_activity WHERE usename = '{}' AND wait_event_type = 'Lock' AND query ILIKE '%INSERT INTO events%'",
            stores::PERSON
        );
        while pg.admin_sql(stores::pg::DBNAME, &waiting) != "1" {
            assert!(std::time::Instant::now() < deadline, "the build reaches its event");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let killed = pg.admin_sql(
            stores::pg::DBNAME,
            &format!(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE usename = '{}' AND wait_event_type = 'Lock'",
                stores::PERSON
            ),
        );
        assert_eq!(killed, "1", "the building client, inside its transaction");
        assert!(building.join().unwrap().is_err(), "the killed build fails");
    });
    holder.rollback().unwrap();
    // The server counts inserts of aborted transactions too, reported a little later.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while inserted() == inserted_before && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    assert!(inserted() > inserted_before, "the kept ZIP's rows were sent before the kill");
    assert_eq!(state(), before, "no package row, no kept rows, no event of the killed build");
    assert!(!out.exists(), "no ZIP under the chosen name");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "no temporary file left");
    let check = rightsdesk_core::audit::verify(r.store()).unwrap();
    assert!(check.intact, "{:?}", check.problems);
}
