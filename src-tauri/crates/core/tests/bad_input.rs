//! Bad input refused at the door, and what was let in before made harmless on
//! the way out: control characters, spreadsheet formulas, rights a law does
//! not give. Real (encrypted) SQLite files.

mod common;

use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::datamap::io::{self as datamap_io, DataFormat};
use rightsdesk_core::domain::{NewRequest, RequestType};
use rightsdesk_core::requests;
use rightsdesk_core::store::Db;

fn db(dir: &std::path::Path) -> Db {
    common::register_in(dir)
}

fn clock() -> FixedClock {
    FixedClock::at("2025-03-01")
}

fn ada() -> NewRequest {
    common::ada("2025-02-03")
}

#[test]
fn a_name_with_a_terminal_escape_or_a_line_break_is_refused_at_registration_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(dir.path());
    for name in ["Ada\u{1b}[2J\u{1b}[H", "Ada\nExample", "Ada\u{9b}2J", "Ada\u{7f}"] {
        let err = requests::register(&db, &clock(), &NewRequest { subject_name: name.into(), ..ada() }, "t").unwrap_err();
        assert_eq!(err.field(), Some("name"), "{name:?}: {err}");
        assert!(!err.to_string().contains("Ada"), "the error does not repeat the value");
    }
    let err = requests::register(&db, &clock(), &NewRequest { notes: "ok\n\u{1b}]2;pwned\u{7}".into(), ..ada() }, "t").unwrap_err();
    assert_eq!(err.field(), Some("notes"));
    let kept = requests::register(&db, &clock(), &NewRequest { notes: "first line\nsecond\tline".into(), ..ada() }, "t").unwrap();
    assert_eq!(kept.notes, "first line\nsecond\tline", "notes keep their line breaks and tabs");
    assert_eq!(requests::count(&db).unwrap(), 1);
}

#[test]
fn an_opt_out_under_the_gdpr_is_refused_naming_the_laws_that_give_that_right() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(dir.path());
    let opt_out = NewRequest { request_type: RequestType::OptOutSaleSharing, ..ada() };
    let err = requests::register(&db, &clock(), &opt_out, "t").unwrap_err();
    assert_eq!(err.field(), Some("type"));
    let msg = err.to_string();
    assert!(msg.contains("ccpa") && msg.contains("us-co"), "{msg}");
    let ccpa = NewRequest { regime: "ccpa".into(), jurisdiction: "US-CA".into(), ..opt_out };
    assert!(requests::register(&db, &clock(), &ccpa, "t").is_ok(), "California grants it");
}

#[test]
fn the_data_map_csv_export_neutralises_formulas_and_reads_back_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(dir.path());
    let map = "name,vendor,location,legal_duty\n\
        \"=HYPERLINK(\"\"http://evil.example\"\",\"\"CRM\"\")\",+SUM(1),@cmd,-2+3\n\
        Mail,Acme,EU,\n";
    datamap_io::import(&db, &clock(), map, DataFormat::Csv, "t").unwrap();
    let out = datamap_io::export(&db, DataFormat::Csv).unwrap();
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let evil = rows.iter().find(|r| r[col("name")].contains("HYPERLINK")).unwrap();
    for (field, cell) in [
        ("name", &evil[col("name")]),
        ("vendor", &evil[col("vendor")]),
        ("location", &evil[col("location")]),
        ("legal_duty", &evil[col("legal_duty")]),
    ] {
        assert!(cell.starts_with('\''), "{field} is written as text, not a formula: {cell:?}");
    }
    for row in &rows {
        for cell in row.iter() {
            assert!(!cell.starts_with(['=', '+', '-', '@']), "no cell starts a formula: {cell:?}");
        }
    }
    // The same file imported again changes nothing: the apostrophes come off.
    let again = datamap_io::import(&db, &clock(), &out, DataFormat::Csv, "t").unwrap();
    assert_eq!((again.added, again.updated), (0, 2));
    assert_eq!(datamap_io::export(&db, DataFormat::Csv).unwrap(), out);
}

#[test]
fn a_system_name_with_a_control_character_is_refused_naming_the_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(dir.path());
    let err = datamap_io::import(&db, &clock(), "name,vendor\n\"CRM\u{1b}[31m\",Acme\n", DataFormat::Csv, "t").unwrap_err();
    assert!(err.to_string().contains("line 2, name"), "{err}");
    let err = datamap_io::import(&db, &clock(), "[{\"name\": \"CRM\\nsecond line\"}]", DataFormat::Json, "t").unwrap_err();
    assert!(err.to_string().contains("item 1, name"), "{err}");
}
