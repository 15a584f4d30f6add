//! Built answer packages move with their register (issue 18 item 6): `team migrate` keeps the
//! ZIP a register file keeps in its `packages/` folder in the team register's `stored_chunks`
//! (sealed, named by the manifest SHA-256, as a build there keeps it), and `team export` writes
//! the ZIPs a team register keeps into the new file's `packages/` folder. On each side the
//! response letter's package is found and reads back byte for byte; every copied table holds
//! as many rows on both sides.
//!
//! PostgreSQL only by nature: a move goes between the two stores.

#[path = "common/stores.rs"]
mod stores;

use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::datamap::{self, SystemInput, SystemText};
use rightsdesk_core::domain::{Lang, NewRequest, RequestId, RequestType};
use rightsdesk_core::evidence::{self, EvidenceKind, NewEvidence};
use rightsdesk_core::files::destination::Overwrite;
use rightsdesk_core::packages::{self, PackageOptions};
use rightsdesk_core::requests;
use rightsdesk_core::store::pg::{team, PgUrl};
use rightsdesk_core::store::{Db, DbKey, PgDb};
use rightsdesk_core::workspace::team_move;

fn clock() -> FixedClock {
    FixedClock::at("2026-11-23")
}

/// The package's ZIP as the response letter would attach it, from `store`.
fn attached<'a>(store: impl Into<rightsdesk_core::store::Store<'a>>, id: &str) -> Vec<u8> {
    let store = store.into();
    let found = packages::built_package(store, &clock(), &RequestId::from(id), None).unwrap().expect("the package is found");
    let mut bytes = Vec::new();
    packages::write_package(store, &found, &mut bytes).unwrap();
    bytes
}

#[test]
fn postgres_only_a_built_package_moves_in_and_out_with_its_register() {
    let dir = tempfile::tempdir().unwrap();
    let key = DbKey::passphrase("stores test passphrase").unwrap();
    let file = Db::open(&dir.path().join("r.sqlite3"), &key).unwrap();
    let system = SystemInput {
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
    datamap::save(&file, &clock(), None, &system, "officer").unwrap();
    let request = requests::register(
        &file,
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
    // Noise (it does not compress): the ZIP spans more than one row of the table.
    let mut x = 7u64;
    let export: Vec<u8> = (0..3_000_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    let file_of = NewEvidence {
        request: &request.id,
        file_name: "crm-export.bin",
        bytes: &export,
        task: None,
        system: Some("CRM"),
        kind: EvidenceKind::Evidence,
    };
    evidence::add(&file, &clock(), &file_of, "officer").unwrap();
    // Built into the `packages/` folder beside the file, as the app and the CLI do by default.
    let id = RequestId::from(&request.id);
    let out = packages::out_path(&file, &clock(), &id, "").unwrap();
    let sources = packages::sources_from_workspace(&file, &request.id).unwrap();
    let options = PackageOptions { out: &out, passphrase: None, overwrite: Overwrite::Allowed };
    packages::build_in(&file, &clock(), &id, sources, &options, Some(Lang::En), "officer", &mut |_| {}).unwrap();
    let zip = std::fs::read(&out).unwrap();
    assert!(zip.len() > 1 << 20, "more than one row of the table");
    assert!(attached(&file, &request.id) == zip);

    // Into the team register: the ZIP kept there, read back byte for byte by another connection.
    let pg = stores::pg::Pg::start();
    let admin_url = PgUrl::parse(&pg.admin_url()).unwrap();
    let mut admin = rightsdesk_core::store::pg::connect(&admin_url, Some(pg.admin_password())).unwrap();
    team::init(&mut admin).unwrap();
    let team = PgDb::new(admin);
    let moved = team_move::into_team(&file, &team).unwrap();
    assert_eq!((moved.packages.source, moved.packages.target), (1, 1));
    for t in &moved.tables {
        assert_eq!(t.source, t.target, "{t:?}");
    }
    let other = PgDb::connect(&admin_url, Some(pg.admin_password())).unwrap();
    assert!(attached(&other, &request.id) == zip, "the kept package, byte for byte");
    let rows: i64 = pg
        .admin_sql(stores::pg::DBNAME, "SELECT count(*) FROM stored_chunks s JOIN packages p ON p.manifest_sha256 = s.blob")
        .parse()
        .unwrap();
    assert!(rows >= 2, "{rows}");

    // And back out: the ZIP in the new file's `packages/` folder, found by the file's register.
    let elsewhere = tempfile::tempdir().unwrap();
    let back = elsewhere.path().join("back.sqlite3");
    let exported = team_move::export(&team, &back, &key).unwrap();
    assert_eq!((exported.packages.source, exported.packages.target), (1, 1));
    for t in &exported.tables {
        assert_eq!(t.source, t.target, "{t:?}");
    }
    let written = elsewhere.path().join("packages").join(out.file_name().unwrap());
    assert!(std::fs::read(&written).unwrap() == zip, "the exported package, byte for byte");
    let back = Db::open(&back, &key).unwrap();
    assert!(attached(&back, &request.id) == zip);
    assert!(packages::verify(&written, None).unwrap().ok);
}
