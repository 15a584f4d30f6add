//! Bad input and a hostile terminal, as a script or an officer meets them:
//! control characters refused at entry and never echoed to the terminal,
//! a closed or full stdout ending quietly, a right a law does not give refused.
//! The real binary on a real (encrypted) SQLite file.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::PASSPHRASE;

fn command(db: &Path, args: &[&str]) -> Command {
    common::command(db, "2025-02-10T10:00:00Z", args)
}

fn rightsdesk(db: &Path, args: &[&str]) -> Output {
    command(db, args).output().expect("run rightsdesk")
}

fn ok(out: Output) -> Output {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    out
}

fn add(db: &Path, name: &str, request_type: &str, regime: &str) -> Output {
    rightsdesk(
        db,
        &[
            "request",
            "add",
            "--type",
            request_type,
            "--regime",
            regime,
            "--received",
            "2025-02-03",
            "--name",
            name,
            "--email",
            "ada@example.org",
        ],
    )
}

/// Runs the command with its stdout a pipe whose reading end is already closed.
fn with_closed_stdout(db: &Path, args: &[&str]) -> Output {
    let mut child = command(db, args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("run rightsdesk");
    drop(child.stdout.take());
    child.wait_with_output().unwrap()
}

fn with_full_stdout(db: &Path, args: &[&str]) -> Option<Output> {
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").ok()?;
    Some(command(db, args).stdout(full).output().expect("run rightsdesk"))
}

#[test]
fn a_name_with_a_terminal_escape_is_refused_naming_the_field_and_nothing_is_registered() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    ok(add(&db, "Ada Example", "access", "eu-gdpr"));
    let refused = add(&db, "Ada\u{1b}]0;pwned\u{7}\u{1b}[2J", "access", "eu-gdpr");
    assert_eq!(refused.status.code(), Some(1));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains("name") && err.contains("control character"), "{err}");
    assert!(!refused.stderr.contains(&0x1b), "the refusal does not echo the escape");
    let list = ok(rightsdesk(&db, &["request", "list", "--json"]));
    let list: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
}

#[test]
fn a_name_stored_with_escapes_before_the_check_never_reaches_the_terminal_as_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    ok(add(&db, "Ada Example", "access", "eu-gdpr"));
    // As an older version (or an edited file) left it: written past today's checks.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(&format!("PRAGMA key = '{PASSPHRASE}';")).unwrap();
    conn.execute_batch(&rightsdesk_core::store::PageHmac::NEW.pragma(None)).unwrap();
    let hostile = "Ada\u{1b}[2J\u{1b}]0;owned\u{7}\u{9b}31m\nfake line";
    conn.execute("UPDATE requests SET subject_name = ?1, notes = ?1", [hostile]).unwrap();
    drop(conn);
    for args in [
        &["request", "list"][..],
        &["request", "show", "DSR-2025-0001"],
        &["request", "list", "--json"],
        &["request", "show", "DSR-2025-0001", "--json"],
    ] {
        let out = ok(rightsdesk(&db, args));
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(!text.chars().any(|c| c.is_control() && c != '\n' && c != '\t'), "{args:?} printed a control character: {text:?}");
        if args.contains(&"--json") {
            let value: serde_json::Value = serde_json::from_str(&text).unwrap();
            let name = if args[1] == "list" { &value[0]["subject"]["name"] } else { &value["request"]["subject"]["name"] };
            assert_eq!(name, hostile, "JSON keeps the stored value, escaped");
        } else {
            assert!(text.contains("Ada\\x1b[2J"), "{args:?} writes the escape out: {text}");
            assert!(!text.lines().any(|l| l.starts_with("fake line")), "a stored line break does not start a line");
        }
    }
}

#[test]
fn a_closed_stdout_ends_quietly_with_a_non_zero_status() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    ok(add(&db, "Ada Example", "access", "eu-gdpr"));
    let map = dir.path().join("map.csv");
    std::fs::write(&map, "name,vendor\nCRM,Acme\n").unwrap();
    ok(rightsdesk(&db, &["systems", "import", map.to_str().unwrap()]));
    let deadline = ["deadline", "--regime", "eu-gdpr", "--jurisdiction", "DE", "--type", "access", "--received", "2025-01-31"];
    for args in [
        &deadline[..],
        &["request", "list"],
        &["request", "show", "DSR-2025-0001", "--json"],
        &["dashboard"],
        &["systems", "export", "--format", "csv"],
    ] {
        let out = with_closed_stdout(&db, args);
        assert_eq!(out.status.code(), Some(141), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(out.stderr.is_empty(), "{args:?} says nothing: {}", String::from_utf8_lossy(&out.stderr));
        let out = with_full_stdout(&db, args).expect("/dev/full is there on Linux");
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.starts_with("rightsdesk: could not write the output: "), "{args:?}: {err}");
        assert!(!err.contains("internal error") && err.lines().count() == 1, "{args:?}: {err}");
    }
}

#[test]
fn an_opt_out_under_the_gdpr_is_refused_naming_the_laws_that_give_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    let out = add(&db, "Ada Example", "opt-out-sale-sharing", "eu-gdpr");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("rightsdesk: type: ") && err.contains("ccpa") && err.contains("us-va"), "{err}");
    let out = rightsdesk(
        &db,
        &[
            "request",
            "add",
            "--type",
            "limit-sensitive",
            "--regime",
            "ccpa",
            "--received",
            "2025-02-03",
            "--name",
            "Ada",
            "--email",
            "ada@example.org",
        ],
    );
    ok(out);
}

#[test]
fn systems_export_as_csv_writes_formulas_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    let map = dir.path().join("map.csv");
    std::fs::write(&map, "name,vendor\n\"=HYPERLINK(\"\"http://evil.example\"\")\",@SUM(1)\n").unwrap();
    ok(rightsdesk(&db, &["systems", "import", map.to_str().unwrap()]));
    let out = ok(rightsdesk(&db, &["systems", "export", "--format", "csv"]));
    let mut reader = csv::Reader::from_reader(&out.stdout[..]);
    let row = reader.records().next().unwrap().unwrap();
    assert!(row[0].starts_with("'=HYPERLINK"), "{:?}", &row[0]);
    assert_eq!(&row[1], "'@SUM(1)");
}

#[test]
fn documents_on_stdout_end_quietly_on_a_closed_pipe_and_clearly_on_a_full_disk() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    ok(add(&db, "Ada Example", "access", "eu-gdpr"));
    let zip = dir.path().join("p.zip");
    let zip = zip.to_str().unwrap();
    ok(rightsdesk(&db, &["package", "DSR-2025-0001", "--out", zip]));
    let map = dir.path().join("map.csv");
    std::fs::write(&map, "name,vendor\nCRM,Acme\n").unwrap();
    ok(rightsdesk(&db, &["systems", "import", map.to_str().unwrap()]));
    for args in [
        &["package", "verify", zip][..],
        &["package", "verify", zip, "--json"],
        &["export", "requests", "--format", "csv"],
        &["export", "requests", "--format", "json"],
        &["metrics", "--year", "2025", "--format", "csv"],
        &["systems", "export", "--format", "csv"],
        &["systems", "export", "--format", "json"],
        &["retention", "show"],
    ] {
        let printed = ok(rightsdesk(&db, args));
        assert!(!printed.stdout.is_empty(), "{args:?} prints something to lose");
        let out = with_closed_stdout(&db, args);
        assert_eq!(out.status.code(), Some(141), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(out.stderr.is_empty(), "{args:?} says nothing: {}", String::from_utf8_lossy(&out.stderr));
        let out = with_full_stdout(&db, args).expect("/dev/full is there on Linux");
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.starts_with("rightsdesk: could not write the output: "), "{args:?}: {err}");
        assert!(!err.contains("internal error") && err.lines().count() == 1, "{args:?}: {err}");
    }
}

#[test]
fn a_register_export_on_stdout_writes_a_stored_escape_out() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    ok(add(&db, "Ada Example", "access", "eu-gdpr"));
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(&format!("PRAGMA key = '{PASSPHRASE}';")).unwrap();
    conn.execute_batch(&rightsdesk_core::store::PageHmac::NEW.pragma(None)).unwrap();
    conn.execute("UPDATE requests SET subject_name = ?1", ["Ada\u{1b}[2J\u{1b}]0;owned\u{7}"]).unwrap();
    drop(conn);
    let out = ok(rightsdesk(&db, &["export", "requests", "--format", "csv"]));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.chars().any(|c| c.is_control() && !"\r\n\t".contains(c)), "{text:?}");
    assert!(text.contains("Ada\\x1b[2J"), "{text}");
    assert!(text.contains("\r\n"), "CSV keeps its CRLF line ends");
}
