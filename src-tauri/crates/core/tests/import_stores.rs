//! The CSV import and the register's export on both stores (issue 18): the
//! same test bodies on an encrypted SQLite file (the bulk path) and on a team
//! register on a real PostgreSQL 15 (each row registered as the form does, in
//! one writing transaction), working as a team admin. An import is all or
//! nothing on both; a team register's import is serial with every other
//! client's writes; the server refuses an auditor's import.

#[path = "common/stores.rs"]
mod stores;

use std::collections::BTreeSet;
use std::sync::Barrier;

use rightsdesk_core::audit;
use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::datamap::{self, SystemInput, SystemText};
use rightsdesk_core::domain::{NewRequest, RequestType};
use rightsdesk_core::import::{self, ImportOptions};
use rightsdesk_core::register::{self, ExportFormat};
use rightsdesk_core::requests;
use rightsdesk_core::store::pg::{team, PgUrl, TeamRole};
use rightsdesk_core::store::{PgDb, Store};
use stores::Fresh;

on_both_stores!(
    an_import_registers_each_row_as_the_form_does,
    a_bad_row_is_named_by_line_and_field_and_nothing_is_written,
    duplicates_by_identifier_are_found_in_the_register_and_skipped,
    an_officer_registering_during_an_import_gets_a_distinct_reference,
);

fn clock() -> FixedClock {
    FixedClock::at("2025-03-01")
}

/// Demo-like rows: two laws, three kinds, an identifier instead of an email, notes with accents.
const ROWS: &str = "type,regime,jurisdiction,name,email,customer_id,received,notes\n\
    access,eu-gdpr,DE,Zoë Müller,zoe@example.org,,2025-01-31,Über das Formular\n\
    erasure,eu-gdpr,FR,François Dupont,francois@example.fr,,2025-02-03,\n\
    rectification,uk-gdpr,GB-ENG,Grace Hopper,,C-1001,2025-02-14,by post\n\
    access,uk-gdpr,GB-ENG,Alan Turing,alan@example.co.uk,C-1002,2025-02-20,\n";

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

/// A team member's own connection (PostgreSQL), or `None` on SQLite.
fn member(r: &Fresh, name: &str, role: TeamRole) -> Option<PgDb> {
    let Fresh::Postgres { pg, .. } = r else { return None };
    let mut admin = rightsdesk_core::store::pg::connect(&PgUrl::parse(&pg.admin_url()).unwrap(), Some(pg.admin_password()))
        .expect("connect as the DBA");
    let added = team::add(&mut admin, name, role, chrono::Utc::now()).expect("team add");
    Some(PgDb::connect(&PgUrl::parse(&pg.url(name)).unwrap(), Some(&added.password)).expect("connect as the member"))
}

/// The register as the officer sees it, without what differs by nature between two
/// registers (ids): each request's reference, fields, schedule and timeline.
fn fingerprint(store: Store<'_>) -> Vec<String> {
    let mut all = requests::list(store, &clock(), &Default::default()).unwrap();
    all.sort_by(|a, b| a.reference.cmp(&b.reference));
    let mut out = Vec::new();
    for r in all {
        let d = requests::detail(store, &clock(), &r.id).unwrap();
        let q = &d.request;
        out.push(format!(
            "{} {} {} {} {} {:?} {:?} {:?} {} {:?} {} {}",
            q.reference,
            q.request_type.as_str(),
            q.regime,
            q.jurisdiction,
            q.subject.name,
            q.subject.email,
            q.subject.identifiers.iter().map(|i| format!("{}={}", i.kind, i.value)).collect::<Vec<_>>(),
            q.due,
            q.notes,
            q.status,
            serde_json::to_string(&q.schedule).unwrap(),
            q.created_at,
        ));
        for e in &d.timeline {
            out.push(format!("  {} {} {}", e.kind.as_str(), e.at, e.summary));
        }
    }
    out
}

fn an_import_registers_each_row_as_the_form_does(r: &Fresh) {
    let store = r.store();
    // A data map with a system: each imported request gets its tasks, as from the form.
    let system = SystemInput {
        name: "CRM".into(),
        vendor: "Example Vendor".into(),
        role: "own".into(),
        text: SystemText { purposes: "Customer support".into(), ..Default::default() },
    };
    datamap::save(store, &clock(), None, &system, "officer").unwrap();
    let preview = import::preview(store, &clock(), ROWS.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!((preview.ok, preview.errors, preview.duplicates, preview.can_commit), (4, 0, 0, true));
    assert_eq!(how_many(store, "requests"), 0, "a preview writes nothing");

    let report =
        import::commit(store, &clock(), "/home/officer/web form.csv", ROWS.as_bytes(), &ImportOptions::default(), "officer").unwrap();
    assert_eq!(report.imported, 4);
    assert_eq!(report.references, ["DSR-2025-0001", "DSR-2025-0002", "DSR-2025-0003", "DSR-2025-0004"]);
    assert_eq!((report.encoding.as_str(), report.delimiter.as_str()), ("UTF-8", "comma"));

    // The same request from the form (another subject, same law, kind and day) gets the same dates and timeline.
    let form = requests::register(
        store,
        &clock(),
        &NewRequest {
            request_type: RequestType::Access,
            regime: "eu-gdpr".into(),
            jurisdiction: "DE".into(),
            subject_name: "Form Example".into(),
            subject_email: "form@example.org".into(),
            received: "2025-01-31".into(),
            notes: "Über das Formular".into(),
            ..Default::default()
        },
        "officer",
    )
    .unwrap();
    assert_eq!(form.reference, "DSR-2025-0005", "the form counts on after the import");
    let imported = requests::detail(store, &clock(), "DSR-2025-0001").unwrap();
    let from_form = requests::detail(store, &clock(), &form.id).unwrap();
    assert_eq!(imported.request.subject.name, "Zoë Müller", "accents intact");
    assert_eq!(imported.request.due.unwrap().to_string(), "2025-02-28", "GDPR: one month from receipt");
    assert_eq!(imported.request.schedule, from_form.request.schedule);
    let kinds = |d: &rightsdesk_core::domain::RequestDetail| d.timeline.iter().map(|e| e.kind.as_str().to_string()).collect::<Vec<_>>();
    assert_eq!(kinds(&imported), ["registered", "tasks-created"]);
    assert_eq!(kinds(&imported), kinds(&from_form));
    assert_eq!(imported.timeline[0].summary, from_form.timeline[0].summary);
    assert!(imported.timeline[0].data.contains(&report.import_id), "the event names its import: {}", imported.timeline[0].data);
    assert!(imported.timeline.iter().all(|e| e.actor == on_record(r, "officer")));
    let grace = requests::detail(store, &clock(), "DSR-2025-0003").unwrap().request;
    assert_eq!((grace.subject.identifiers[0].kind.as_str(), grace.subject.identifiers[0].value.as_str()), ("customer_id", "C-1001"));

    // The import's own record, and one `imported` event under the person.
    let (file_name, n, actor): (String, i64, String) = store
        .read(|c| c.query_row("SELECT file_name, imported, actor FROM imports", &[], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))))
        .unwrap();
    assert_eq!((file_name.as_str(), n, actor), ("web form.csv", 4, on_record(r, "officer")), "recorded without its folder");
    let imported_events: i64 =
        store.read(|c| c.query_row("SELECT count(*) FROM events WHERE kind = 'imported'", &[], |r| r.get(0))).unwrap();
    assert_eq!(imported_events, 1);
    assert_eq!(how_many(store, "tasks"), 5, "one task per request of a kind with an action, from the data map");
    // The dashboard counts the imported requests (SQLite: the tallies counted in Rust; PostgreSQL: its triggers).
    let dash = register::dashboard::dashboard(store, &clock()).unwrap();
    assert_eq!(dash.open, 5);
    let report = audit::verify(store).unwrap();
    assert!(report.intact, "{:?}", report.problems);
}

fn a_bad_row_is_named_by_line_and_field_and_nothing_is_written(r: &Fresh) {
    let store = r.store();
    let bad = ROWS.replace("rectification,uk-gdpr", "rectificaton,uk-gdpr");
    let before = (how_many(store, "requests"), how_many(store, "events"), how_many(store, "imports"));
    let e = import::commit(store, &clock(), "bad.csv", bad.as_bytes(), &ImportOptions::default(), "officer").unwrap_err();
    let message = e.to_string();
    assert!(message.contains("line 4") && message.contains("type"), "names the row and the field: {message}");
    assert!(message.contains("nothing was imported"), "{message}");
    assert!(!message.contains("rectificaton") && !message.contains("Grace"), "never the value: {message}");
    assert_eq!((how_many(store, "requests"), how_many(store, "events"), how_many(store, "imports")), before, "nothing written");
    // A duplicate within the file also stops it unless skipped.
    let twice = format!("{ROWS}access,eu-gdpr,DE,Zoë Müller,ZOE@example.org,,2025-01-31,\n");
    let e = import::commit(store, &clock(), "twice.csv", twice.as_bytes(), &ImportOptions::default(), "officer").unwrap_err();
    assert!(e.to_string().contains("line 6, duplicate: repeats line 2"), "{e}");
    assert_eq!(how_many(store, "requests"), 0);
    assert!(audit::verify(store).unwrap().intact);
}

fn duplicates_by_identifier_are_found_in_the_register_and_skipped(r: &Fresh) {
    let store = r.store();
    import::commit(store, &clock(), "first.csv", ROWS.as_bytes(), &ImportOptions::default(), "officer").unwrap();
    // The same file again: Grace (identifier only: the register's identifiers JSON) and the others are already there.
    let again = format!("{ROWS}erasure,uk-gdpr,GB-ENG,Ada Lovelace,,C-2000,2025-02-21,\n");
    let preview = import::preview(store, &clock(), again.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!((preview.ok, preview.duplicates, preview.can_commit), (1, 4, false));
    assert_eq!(preview.rows[2].message.as_deref(), Some("is already registered as DSR-2025-0003 (same subject, type and date of receipt)"));
    let skip = ImportOptions { skip_duplicates: true, ..Default::default() };
    let report = import::commit(store, &clock(), "again.csv", again.as_bytes(), &skip, "officer").unwrap();
    assert_eq!((report.imported, report.skipped_duplicates), (1, 4));
    assert_eq!(report.references, ["DSR-2025-0005"]);
    assert_eq!(how_many(store, "requests"), 5);
    assert_eq!(how_many(store, "imports"), 2);
}

const IMPORTED: usize = 400;
const TYPED: usize = 20;

/// A file of `n` distinct requests.
fn many(n: usize) -> String {
    let mut s = String::from("type,regime,jurisdiction,name,email,received\n");
    for i in 0..n {
        s.push_str(&format!("access,eu-gdpr,DE,Imported {i:04},imported{i}@example.org,2025-02-{:02}\n", 1 + i % 28));
    }
    s
}

/// An officer registers requests on another connection while an import runs
/// (on SQLite, the one writer shared): every request has its own reference,
/// numbered without a gap, and the chain stays intact. The import's requests
/// are numbered one after another: it holds the writer for its whole
/// transaction.
fn an_officer_registering_during_an_import_gets_a_distinct_reference(r: &Fresh) {
    let other = r.client();
    let file = many(IMPORTED);
    let start = Barrier::new(2);
    std::thread::scope(|s| {
        s.spawn(|| {
            start.wait();
            import::commit(r.store(), &clock(), "many.csv", file.as_bytes(), &ImportOptions::default(), "officer").unwrap();
        });
        s.spawn(|| {
            start.wait();
            for i in 0..TYPED {
                let input = NewRequest {
                    request_type: RequestType::Erasure,
                    regime: "eu-gdpr".into(),
                    jurisdiction: "DE".into(),
                    subject_name: format!("Typed {i:02}"),
                    subject_email: format!("typed{i}@example.org"),
                    received: "2025-02-27".into(),
                    ..Default::default()
                };
                requests::register(other.store(), &clock(), &input, "officer").unwrap();
            }
        });
    });
    let store = r.store();
    let rows: Vec<(i64, String, String)> = store
        .read(|c| {
            c.query_map("SELECT number, reference, subject_name FROM requests ORDER BY number", &[], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
        })
        .unwrap();
    assert_eq!(rows.len(), IMPORTED + TYPED);
    let numbers: Vec<i64> = rows.iter().map(|(n, _, _)| *n).collect();
    assert_eq!(numbers, (1..=(IMPORTED + TYPED) as i64).collect::<Vec<_>>(), "numbered without a gap");
    let references: BTreeSet<&str> = rows.iter().map(|(_, reference, _)| reference.as_str()).collect();
    assert_eq!(references.len(), IMPORTED + TYPED, "distinct references");
    let imported: Vec<i64> = rows.iter().filter(|(_, _, name)| name.starts_with("Imported")).map(|(n, _, _)| *n).collect();
    assert_eq!(imported.last().unwrap() - imported[0] + 1, IMPORTED as i64, "the import's numbers run without another's in between");
    let report = audit::verify(store).unwrap();
    assert!(report.intact, "{:?}", report.problems);
}

/// PostgreSQL only: roles are the server's. An auditor may preview a file
/// (it reads the register) but the server refuses the auditor's import, and
/// nothing is written.
#[test]
fn postgres_only_an_auditors_import_is_refused_by_the_server() {
    let r = Fresh::postgres();
    let auditor = member(&r, "audrey_auditor", TeamRole::Auditor).unwrap();
    let preview = import::preview(&auditor, &clock(), ROWS.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!(preview.ok, 4);
    let e = import::commit(&auditor, &clock(), "rows.csv", ROWS.as_bytes(), &ImportOptions::default(), "admin").unwrap_err();
    assert!(e.to_string().contains("permission denied"), "{e}");
    let store = r.store();
    assert_eq!((how_many(store, "requests"), how_many(store, "events"), how_many(store, "imports")), (0, 0, 0), "nothing written");
}

/// Both stores hold the same register after the same import: the same
/// requests, deadlines and timelines, and the export's CSV and JSON equal but
/// for the request ids (random on each).
#[test]
fn both_stores_import_and_export_alike() {
    let (file, team) = (Fresh::sqlite(), Fresh::postgres());
    let mut exports = Vec::new();
    for r in [&file, &team] {
        let store = r.store();
        import::commit(store, &clock(), "rows.csv", ROWS.as_bytes(), &ImportOptions::default(), "officer").unwrap();
        let ids: Vec<String> = store.read(|c| c.query_map("SELECT id FROM requests", &[], |r| r.get(0))).unwrap();
        let without_ids = |text: String| ids.iter().fold(text, |t, id| t.replace(id.as_str(), "<id>"));
        let mut csv = Vec::new();
        assert_eq!(register::export(store, ExportFormat::Csv, &mut csv).unwrap(), 4);
        let mut json = Vec::new();
        register::export(store, ExportFormat::Json, &mut json).unwrap();
        exports.push((fingerprint(store), without_ids(String::from_utf8(csv).unwrap()), without_ids(String::from_utf8(json).unwrap())));
    }
    let (sqlite, postgres) = (&exports[0], &exports[1]);
    assert_eq!(sqlite.0, postgres.0, "the same requests, deadlines and timelines");
    assert_eq!(sqlite.1, postgres.1, "the same CSV");
    assert_eq!(sqlite.2, postgres.2, "the same JSON");
    assert!(sqlite.1.contains("DSR-2025-0003,<id>,rectification,uk-gdpr,GB-ENG,Grace Hopper,,customer_id: C-1001"), "{}", sqlite.1);
    // On a team register the export names its file: there is no folder beside a database.
    let e = register::export_to_file(team.store(), &clock(), ExportFormat::Csv, "").unwrap_err();
    assert_eq!(e.field(), Some("out"));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("team.csv");
    let written = register::export_to_file(team.store(), &clock(), ExportFormat::Csv, out.to_str().unwrap()).unwrap();
    assert_eq!(written.requests, 4);
    let mut csv = Vec::new();
    register::export(team.store(), ExportFormat::Csv, &mut csv).unwrap();
    assert_eq!(std::fs::read(&out).unwrap(), csv);
}

/// A team register larger than one page of the export (1,000 requests a
/// round trip) exports every request once, in order (PostgreSQL only: the
/// file's export is one pass, with no pages).
#[test]
fn postgres_only_the_export_pages_through_a_large_register() {
    let r = Fresh::postgres();
    let store = r.store();
    import::commit(store, &clock(), "big.csv", many(2_500).as_bytes(), &ImportOptions::default(), "officer").unwrap();
    let rows = register::register_rows(store).unwrap();
    assert_eq!(rows.len(), 2_500);
    let refs: BTreeSet<&str> = rows.iter().map(|r| r.reference.as_str()).collect();
    assert_eq!(refs.len(), 2_500, "each request once");
    assert!(rows.windows(2).all(|w| w[0].received_on <= w[1].received_on), "oldest first");
}
