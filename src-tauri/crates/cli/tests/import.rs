//! `rightsdesk import requests FILE [--dry-run]` as a script uses it.

mod common;

use std::path::Path;
use std::process::Output;

fn rightsdesk(db: &Path, args: &[&str]) -> Output {
    common::run(db, "2025-03-01T10:00:00Z", args)
}

fn count(db: &Path) -> usize {
    let out = rightsdesk(db, &["request", "list", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap().as_array().unwrap().len()
}

#[test]
fn a_dry_run_reports_each_row_and_a_bad_file_imports_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    let file = dir.path().join("requests.csv");
    std::fs::write(
        &file,
        "type;regime;name;email;received\naccess;eu-gdpr;Ada;ada@example.org;2025-01-31\nacces;eu-gdpr;Bob;bob@example.org;2025-02-01\n",
    )
    .unwrap();
    let out = rightsdesk(&db, &["import", "requests", file.to_str().unwrap(), "--dry-run"]);
    assert!(!out.status.success(), "a file with an error fails the dry run too");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("line    3: error      type:"), "{stderr}");
    assert!(stderr.contains("nothing was imported"));
    let out = rightsdesk(&db, &["import", "requests", file.to_str().unwrap()]);
    assert!(!out.status.success());
    assert_eq!(count(&db), 0);
}

#[test]
fn the_template_imports_and_a_second_import_finds_the_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    let template = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../assets/import/requests-template.csv");
    let dry = rightsdesk(&db, &["import", "requests", template, "--dry-run"]);
    assert!(dry.status.success(), "{}", String::from_utf8_lossy(&dry.stderr));
    assert_eq!(count(&db), 0, "a dry run writes nothing");
    let out = rightsdesk(&db, &["import", "requests", template, "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["imported"], 2);
    assert_eq!(count(&db), 2);
    let again = rightsdesk(&db, &["import", "requests", template]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("duplicates"));
    let skipped = rightsdesk(&db, &["import", "requests", template, "--skip-duplicates"]);
    assert!(!skipped.status.success(), "nothing new to import");
    assert_eq!(count(&db), 2);
}

#[test]
fn columns_are_mapped_by_header_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    let file = dir.path().join("form.csv");
    std::fs::write(&file, "When,Kind,Who,Mail\n2025-02-01,access,Ada,ada@example.org\n").unwrap();
    let args = [
        "import",
        "requests",
        file.to_str().unwrap(),
        "--regime",
        "uk-gdpr",
        "--map",
        "When=received",
        "--map",
        "Kind=type",
        "--map",
        "Who=name",
        "--map",
        "Mail=email",
    ];
    let out = rightsdesk(&db, &args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(count(&db), 1);
}

#[test]
fn a_utf8_file_with_a_stray_byte_is_refused_naming_its_line_until_the_encoding_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    let file = dir.path().join("requests.csv");
    let mut bytes = "type;regime;name;email;received;notes\naccess;eu-gdpr;Zoë Müller;zoe@example.org;2025-01-31;\naccess;eu-gdpr;Bob;bob@example.org;2025-02-01;caf"
        .as_bytes()
        .to_vec();
    bytes.extend_from_slice(b"\xe9\n");
    std::fs::write(&file, &bytes).unwrap();
    let refused = rightsdesk(&db, &["import", "requests", file.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(1));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains("line 3") && err.contains(&format!("byte offset {}", bytes.len() - 2)), "{err}");
    let ok = rightsdesk(&db, &["import", "requests", file.to_str().unwrap(), "--encoding", "windows-1252", "--json"]);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    let report: serde_json::Value = serde_json::from_slice(&ok.stdout).unwrap();
    assert_eq!((report["imported"].as_u64(), report["encoding"].as_str()), (Some(2), Some("windows-1252")));
}
