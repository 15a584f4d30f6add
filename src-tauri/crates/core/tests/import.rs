//! Bulk import as an officer meets it: files from web forms and spreadsheets
//! in the encodings and separators they come in; all rows or none.

mod common;

use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::domain::{NewRequest, RequestType};
use rightsdesk_core::import::{self, ImportField, ImportOptions, RowOutcome};
use rightsdesk_core::requests;
use rightsdesk_core::requests::rows::RequestFilter;
use rightsdesk_core::store::Db;

fn db(dir: &std::path::Path) -> Db {
    common::register_in(dir)
}

fn clock() -> FixedClock {
    FixedClock::at("2025-03-01")
}

fn counts(db: &Db) -> (i64, i64, i64) {
    db.read(|c| {
        let n = |sql: &str| c.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
        Ok((n("SELECT count(*) FROM requests"), n("SELECT count(*) FROM events"), n("SELECT count(*) FROM imports")))
    })
    .unwrap()
}

const ROWS: &str = "type;regime;jurisdiction;name;email;received;notes\n\
    access;eu-gdpr;DE;Zoë Müller;zoe@example.org;2025-01-31;Über das Formular\n\
    erasure;eu-gdpr;FR;François Dupont;francois@example.fr;2025-02-03;\n";

#[test]
fn a_windows_1252_semicolon_file_imports_with_its_accents_intact() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(dir.path());
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(ROWS);
    let preview = import::preview(&db, &clock(), &bytes, &ImportOptions::default()).unwrap();
    assert_eq!((preview.encoding.as_str(), preview.delimiter.as_str()), ("windows-1252", "semicolon"));
    assert_eq!(preview.ok, 2);
    let report = import::commit(&db, &clock(), "export.csv", &bytes, &ImportOptions::default(), "tester").unwrap();
    assert_eq!(report.imported, 2);
    let zoe = requests::detail(&db, &clock(), &report.references[0]).unwrap();
    assert_eq!(zoe.request.subject.name, "Zoë Müller");
    assert_eq!(zoe.request.notes, "Über das Formular");
    assert_eq!(zoe.request.due.unwrap().to_string(), "2025-02-28", "the deadline engine dated it as the form would");
    assert_eq!(zoe.timeline[0].kind, "registered");
    assert!(zoe.timeline[0].data.contains(&report.import_id), "the event says which import registered it");
    assert_eq!(counts(&db).2, 1, "the import itself is recorded");
}

#[test]
fn utf8_with_a_bom_and_tab_separated_files_are_read_too() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(dir.path());
    let bom = format!("\u{feff}{}", ROWS.replace(';', ","));
    let p = import::preview(&db, &clock(), bom.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!((p.encoding.as_str(), p.delimiter.as_str(), p.ok), ("UTF-8 (BOM)", "comma", 2));
    assert_eq!(p.headers[0], "type", "the BOM is not part of the first header");
    assert_eq!(p.rows[0].request.subject_name, "Zoë Müller");
    let tabs = ROWS.replace(';', "\t");
    let p = import::preview(&db, &clock(), tabs.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!((p.encoding.as_str(), p.delimiter.as_str(), p.ok), ("UTF-8", "tab", 2));
}

#[test]
fn one_bad_row_leaves_the_register_unchanged_and_names_its_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(dir.path());
    let before = counts(&db);
    let file = format!("{ROWS}access;eu-gdpr;DE;Bad Address;bad@@example;2025-02-04;\n");
    let p = import::preview(&db, &clock(), file.as_bytes(), &ImportOptions::default()).unwrap();
    assert!(!p.can_commit);
    let bad = &p.rows[2];
    assert_eq!((bad.line, bad.outcome, bad.field.as_deref()), (4, RowOutcome::Error, Some("email")));
    assert!(!bad.message.as_ref().unwrap().contains("bad@@example"), "the message does not repeat the value");
    let err = import::commit(&db, &clock(), "f.csv", file.as_bytes(), &ImportOptions::default(), "t").unwrap_err();
    assert_eq!(err.to_string(), "file: line 4, email: is not a valid email address; nothing was imported");
    assert_eq!(counts(&db), before, "not one row of the file was written");
}

#[test]
fn duplicates_in_the_file_and_in_the_register_are_found_and_can_be_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(dir.path());
    let existing = NewRequest {
        request_type: RequestType::Access,
        regime: "eu-gdpr".into(),
        jurisdiction: "DE".into(),
        subject_name: "Zoë Müller".into(),
        subject_email: "ZOE@example.org".into(),
        received: "2025-01-31".into(),
        ..Default::default()
    };
    let first = requests::register(&db, &clock(), &existing, "t").unwrap();
    let file = format!("{ROWS}erasure;eu-gdpr;FR;François Dupont;francois@example.fr;2025-02-03;again\n");
    let p = import::preview(&db, &clock(), file.as_bytes(), &ImportOptions::default()).unwrap();
    let outcomes: Vec<_> = p.rows.iter().map(|r| r.outcome).collect();
    assert_eq!(outcomes, [RowOutcome::Duplicate, RowOutcome::Ok, RowOutcome::Duplicate]);
    assert!(p.rows[0].message.as_ref().unwrap().contains(&first.reference));
    assert!(p.rows[2].message.as_ref().unwrap().contains("line 3"));
    assert!(!p.can_commit, "duplicates stop the import unless the officer leaves them out");
    let before = counts(&db);
    assert!(import::commit(&db, &clock(), "f.csv", file.as_bytes(), &ImportOptions::default(), "t").is_err());
    assert_eq!(counts(&db), before);
    let skip = ImportOptions { skip_duplicates: true, ..Default::default() };
    let report = import::commit(&db, &clock(), "f.csv", file.as_bytes(), &skip, "t").unwrap();
    assert_eq!((report.imported, report.skipped_duplicates), (1, 2));
    assert_eq!(requests::list(&db, &clock(), &RequestFilter::default()).unwrap().len(), 2);
}

#[test]
fn a_web_form_export_is_mapped_by_hand_with_a_default_regime() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(dir.path());
    let file = "Submitted,What do you want?,Your name,Your e-mail,Member number\n\
        2025-02-01T09:30:00Z,access,Ada Example,ada@example.org,M-7\n";
    let err = import::preview(&db, &clock(), file.as_bytes(), &ImportOptions::default()).unwrap_err();
    assert_eq!(err.field(), Some("mapping"));
    assert!(err.to_string().contains("type") && err.to_string().contains("regime"), "{err}");
    let options = ImportOptions {
        mapping: Some(vec![
            Some(ImportField::Received),
            Some(ImportField::Type),
            Some(ImportField::Name),
            Some(ImportField::Email),
            Some(ImportField::Identifier),
        ]),
        default_regime: "uk-gdpr".into(),
        default_channel: "web-form".into(),
        skip_duplicates: false,
        encoding: None,
    };
    let report = import::commit(&db, &clock(), "form.csv", file.as_bytes(), &options, "t").unwrap();
    let r = requests::detail(&db, &clock(), &report.references[0]).unwrap().request;
    assert_eq!((r.regime.as_str(), r.channel.as_str()), ("uk-gdpr", "web-form"));
    assert_eq!(r.subject.identifiers[0].kind, "Member number");
    assert_eq!(r.subject.identifiers[0].value, "M-7");
}

#[test]
fn files_that_are_not_csv_are_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(dir.path());
    let xlsx = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00binary";
    let err = import::preview(&db, &clock(), xlsx, &ImportOptions::default()).unwrap_err();
    assert!(err.to_string().contains("not a CSV file"), "{err}");
    let err = import::preview(&db, &clock(), b"", &ImportOptions::default()).unwrap_err();
    assert!(err.to_string().contains("empty"), "{err}");
    let header_only = "type,regime,name,email,received\n";
    let err = import::preview(&db, &clock(), header_only.as_bytes(), &ImportOptions::default()).unwrap_err();
    assert!(err.to_string().contains("no requests"), "{err}");
    let ragged = "type,regime,name,email,received\naccess,eu-gdpr,Ada,ada@example.org\n";
    let p = import::preview(&db, &clock(), ragged.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!(p.rows[0].field.as_deref(), Some("row"));
    assert!(p.rows[0].message.as_ref().unwrap().contains("4 cells where the header has 5"));
}

#[test]
fn the_template_in_assets_imports_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(dir.path());
    let template = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../assets/import/requests-template.csv")).unwrap();
    let p = import::preview(&db, &clock(), &template, &ImportOptions::default()).unwrap();
    assert!(p.can_commit, "{:?}", p.rows);
    assert_eq!(p.mapping[5], Some(ImportField::Identifier), "\"customer id\" is an identifier");
    let report = import::commit(&db, &clock(), "requests-template.csv", &template, &ImportOptions::default(), "t").unwrap();
    assert_eq!(report.imported, 2);
}

#[test]
fn imported_requests_are_found_by_search_and_the_form_indexes_as_before_after_an_import() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(dir.path());
    let search = |q: &str| {
        let f = RequestFilter { search: Some(q.into()), ..Default::default() };
        rightsdesk_core::requests::search::page(&db, &clock(), &f).unwrap().requests.into_iter().map(|r| r.subject.name).collect::<Vec<_>>()
    };
    let before = requests::register(&db, &clock(), &NewRequest { subject_name: "Agnès Vorher".into(), ..bob() }, "t").unwrap();
    // The import indexes its rows in one statement at the end (migration 12).
    let report = import::commit(&db, &clock(), "export.csv", ROWS.as_bytes(), &ImportOptions::default(), "tester").unwrap();
    assert_eq!(report.imported, 2);
    assert_eq!(search("zoe mu"), vec!["Zoë Müller"], "found by a part of the name, without its accents");
    assert_eq!(search("FRANCOIS@EXAMPLE"), vec!["François Dupont"]);
    assert_eq!(search("formular"), vec!["Zoë Müller"], "and by the notes");
    assert_eq!(search("vorher"), vec![before.subject.name]);
    let after = requests::register(&db, &clock(), &NewRequest { subject_name: "Bea Nachher".into(), ..bob() }, "t").unwrap();
    assert_eq!(search("nachher"), vec![after.subject.name], "a request registered after the import is indexed as it is written");
    db.read(|c| {
        // FTS5's own check: the index holds exactly the trigrams of the requests table, no more, no fewer.
        c.execute("INSERT INTO requests_search (requests_search) VALUES ('integrity-check')", [])?;
        assert_eq!(c.query_row("SELECT count(*) FROM search_deferred", [], |r| r.get::<_, i64>(0))?, 0);
        Ok(())
    })
    .unwrap();
}

#[test]
fn a_utf8_file_with_one_stray_byte_is_refused_with_its_line_and_offset_unless_the_officer_chose_the_encoding() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(dir.path());
    // One byte of Latin-1 ("é" as 0xE9) in the notes of line 3 of an otherwise UTF-8 file.
    let text = ROWS.replace("2025-02-03;", "2025-02-03;caf\u{0}");
    let at = text.find('\u{0}').unwrap();
    let mut bytes = text.into_bytes();
    bytes[at] = 0xE9;
    let before = counts(&db);
    let err = import::preview(&db, &clock(), &bytes, &ImportOptions::default()).unwrap_err();
    assert_eq!(err.field(), Some("file"));
    let msg = err.to_string();
    assert!(msg.contains("line 3") && msg.contains(&format!("byte offset {at}")), "{msg}");
    let err = import::commit(&db, &clock(), "f.csv", &bytes, &ImportOptions::default(), "t").unwrap_err();
    assert!(err.to_string().contains("line 3"), "{err}");
    assert_eq!(counts(&db), before, "nothing was imported as mojibake");
    let chosen = ImportOptions { encoding: Some("windows-1252".into()), ..Default::default() };
    let p = import::preview(&db, &clock(), &bytes, &chosen).unwrap();
    assert_eq!(p.encoding, "windows-1252", "read as the officer chose");
    assert_eq!(p.rows[1].request.notes, "café");
    let wrong = ImportOptions { encoding: Some("utf-7½".into()), ..Default::default() };
    assert_eq!(import::preview(&db, &clock(), &bytes, &wrong).unwrap_err().field(), Some("encoding"));
}

#[test]
fn cr_only_line_endings_and_rows_already_registered_are_reported_on_their_own_lines() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(dir.path());
    let zoe = NewRequest {
        request_type: RequestType::Access,
        regime: "eu-gdpr".into(),
        jurisdiction: "DE".into(),
        subject_name: "Zoë Müller".into(),
        subject_email: "zoe@example.org".into(),
        received: "2025-01-31".into(),
        ..Default::default()
    };
    let first = requests::register(&db, &clock(), &zoe, "t").unwrap();
    let file = format!("{ROWS}access;eu-gdpr;DE;Bad Address;bad@@example;2025-02-04;\n").replace('\n', "\r");
    let p = import::preview(&db, &clock(), file.as_bytes(), &ImportOptions::default()).unwrap();
    let lines: Vec<_> = p.rows.iter().map(|r| (r.line, r.outcome)).collect();
    assert_eq!(lines, [(2, RowOutcome::Duplicate), (3, RowOutcome::Ok), (4, RowOutcome::Error)]);
    assert!(p.rows[0].message.as_ref().unwrap().contains(&first.reference));
    let err = import::commit(&db, &clock(), "f.csv", file.as_bytes(), &ImportOptions::default(), "t").unwrap_err();
    assert!(err.to_string().starts_with("file: line 2, duplicate:"), "{err}");
    let skip = ImportOptions { skip_duplicates: true, ..Default::default() };
    let err = import::commit(&db, &clock(), "f.csv", file.as_bytes(), &skip, "t").unwrap_err();
    assert_eq!(err.to_string(), "file: line 4, email: is not a valid email address; nothing was imported");
    let crlf = ROWS.replace('\n', "\r\n");
    let report = import::commit(&db, &clock(), "f.csv", crlf.as_bytes(), &skip, "t").unwrap();
    let francois = requests::detail(&db, &clock(), &report.references[0]).unwrap();
    assert!(francois.timeline[0].data.contains("\"line\":3"), "the registration records line 3: {}", francois.timeline[0].data);
}

#[test]
fn a_header_named_twice_is_refused_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(dir.path());
    let file = ROWS.replacen("received;notes", "received;Email", 1);
    let err = import::preview(&db, &clock(), file.as_bytes(), &ImportOptions::default()).unwrap_err();
    assert_eq!(err.field(), Some("file"));
    assert_eq!(err.to_string(), "file: the header \"Email\" names two columns (5 and 7); rename one so each column is read");
    assert!(import::headers(file.as_bytes(), None).is_err(), "mapping by hand reads the same header row");
}

#[test]
fn an_opt_out_row_under_a_law_without_that_right_is_refused_naming_the_laws_that_have_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(dir.path());
    let file = format!("{ROWS}Opt-out sale sharing;eu-gdpr;DE;Ada Example;ada@example.org;2025-02-04;\n");
    let p = import::preview(&db, &clock(), file.as_bytes(), &ImportOptions::default()).unwrap();
    let row = &p.rows[2];
    assert_eq!((row.line, row.outcome, row.field.as_deref()), (4, RowOutcome::Error, Some("type")));
    assert!(row.message.as_ref().unwrap().contains("ccpa"), "{:?}", row.message);
    assert!(import::commit(&db, &clock(), "f.csv", file.as_bytes(), &ImportOptions::default(), "t").is_err());
    assert_eq!(counts(&db).0, 0);
}

#[test]
fn a_row_with_an_unknown_type_or_channel_is_refused_naming_its_line_and_column_and_shown_as_read() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(dir.path());
    let file = "type;regime;jurisdiction;name;email;received;channel\n\
        access;eu-gdpr;DE;Zoë Müller;zoe@example.org;2025-01-31;Web form\n\
        wish;eu-gdpr;DE;Ada Example;ada@example.org;2025-02-03;email\n\
        erasure;eu-gdpr;DE;Bob Example;bob@example.org;2025-02-04;pigeon\n";
    let p = import::preview(&db, &clock(), file.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!((p.ok, p.errors, p.can_commit), (1, 2, false));
    let (wish, pigeon) = (&p.rows[1], &p.rows[2]);
    assert_eq!((wish.line, wish.outcome, wish.field.as_deref()), (3, RowOutcome::Error, Some("type")));
    assert!(wish.message.as_ref().unwrap().starts_with("is not a known request type (one of: access, erasure,"), "{:?}", wish.message);
    assert_eq!(wish.request.request_type, "wish", "the preview shows the row as read");
    assert_eq!((pigeon.line, pigeon.outcome, pigeon.field.as_deref()), (4, RowOutcome::Error, Some("channel")));
    assert!(pigeon.message.as_ref().unwrap().starts_with("is not a known channel (one of: email, web-form,"), "{:?}", pigeon.message);
    let err = import::commit(&db, &clock(), "f.csv", file.as_bytes(), &ImportOptions::default(), "t").unwrap_err();
    assert!(err.to_string().starts_with("file: line 3, type: is not a known request type"), "{err}");
    assert_eq!(counts(&db).0, 0);
}

fn bob() -> NewRequest {
    NewRequest {
        request_type: RequestType::Access,
        regime: "eu-gdpr".into(),
        jurisdiction: "DE".into(),
        subject_name: "Bob Example".into(),
        subject_email: "bob@example.org".into(),
        received: "2025-02-20".into(),
        ..Default::default()
    }
}
