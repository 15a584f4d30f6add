//! The CLI's log (issue 20 item 5): a command's failures are in `logs/` beside the
//! register, by identifiers and codes, and never with the subject's data, the
//! server's words or a file name the officer typed; and nothing of the log reaches
//! stdout or stderr, where scripts read a JSON document.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::command_without_keyring;

const NOW: &str = "2026-11-23T09:00:00Z";
const NAME: &str = "Ottilie Quennell-Brandauer";
const EMAIL: &str = "ottilie.qb@example.org";
const NOTES: &str = "Called from her sister's flat in Graz";

fn run(db: &Path, args: &[&str]) -> Output {
    command_without_keyring(db, NOW, args).env_remove("RIGHTSDESK_LOG").output().expect("run rightsdesk")
}

fn json(db: &Path, args: &[&str]) -> serde_json::Value {
    let mut args = args.to_vec();
    args.push("--json");
    let out = run(db, &args);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: stdout is not one JSON document ({e})"))
}

/// A register holding one request whose subject has a name, an email and notes.
fn register(db: &Path) -> serde_json::Value {
    json(
        db,
        &[
            "request",
            "add",
            "--type",
            "access",
            "--regime",
            "eu-gdpr",
            "--jurisdiction",
            "AT",
            "--received",
            "2026-11-20",
            "--name",
            NAME,
            "--email",
            EMAIL,
            "--notes",
            NOTES,
        ],
    )
}

/// The log files beside `db` and their text, all days together.
fn log_text(db: &Path) -> (Vec<PathBuf>, String) {
    let dir = db.parent().unwrap().join("logs");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("no log folder at {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("rightsdesk."))
        .collect();
    files.sort();
    let text = files.iter().map(|f| std::fs::read_to_string(f).unwrap()).collect();
    (files, text)
}

fn assert_no_personal_data(text: &str, also: &[&str]) {
    for value in [NAME, "Quennell", EMAIL, NOTES, "Graz"].iter().chain(also) {
        assert!(!text.contains(value), "the log holds {value:?}:\n{text}");
    }
}

fn lines_with<'a>(text: &'a str, needles: &[&str]) -> Vec<&'a str> {
    text.lines().filter(|l| needles.iter().all(|n| l.contains(n))).collect()
}

#[test]
fn an_unreachable_mail_server_is_logged_by_letter_id_and_state_without_the_recipient() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    // A port nobody listens on: the connection is refused.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    json(
        &db,
        &[
            "smtp",
            "set",
            "--host",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--security",
            "none",
            "--from",
            "privacy@crm-factory.example",
            "--officer",
            "records@crm-factory.example",
            "--org-name",
            "CRM Factory GmbH",
        ],
    );
    let request = register(&db);
    let request_id = request["id"].as_str().unwrap();
    let reference = request["reference"].as_str().unwrap();
    let queued = run(&db, &["letter", reference, "--template", "acknowledgement"]);
    assert!(queued.status.success(), "{}", String::from_utf8_lossy(&queued.stderr));
    let letter = String::from_utf8_lossy(&queued.stdout).trim().to_string();

    let out = run(&db, &["outbox", "send", "--json"]);
    // The log went to its file only: stdout is one JSON document, stderr holds no log line.
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is one JSON document");
    assert_eq!(report["sent"], 0, "{report}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains(" INFO ") && !stderr.contains(" WARN ") && !stderr.contains("rightsdesk_core"), "{stderr}");

    let (files, text) = log_text(&db);
    assert!(!files.is_empty() && !text.is_empty(), "the commands wrote a log");
    let delivery = lines_with(&text, &["letter delivery", &format!("letter={letter}")]);
    assert!(!delivery.is_empty(), "the letter's delivery is logged by its id:\n{text}");
    assert!(delivery.iter().all(|l| l.contains("state=\"retrying\"") || l.contains("state=\"failed\"")), "{delivery:?}");
    assert!(!lines_with(&text, &["cli command", "command=outbox send", "outcome=\"ok\""]).is_empty(), "{text}");
    assert!(!lines_with(&text, &["cli started", "command=request add", "version="]).is_empty(), "{text}");
    assert!(!lines_with(&text, &["register opened", "schema_version="]).is_empty(), "{text}");
    // The request is named by its id and kind of event, never by its subject.
    assert!(text.contains(request_id), "the request's id is in the log:\n{text}");
    assert_no_personal_data(&text, &["Connection refused", "connection refused"]);
}

#[test]
fn a_backup_that_cannot_be_written_is_logged_by_its_code_not_by_the_name_typed_for_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    register(&db);
    // The folder the officer named is a file: nothing can be written there.
    let blocker = dir.path().join("not-a-folder");
    std::fs::write(&blocker, b"a file").unwrap();
    let out_file = blocker.join("Quennell-Brandauer-answer.rdbackup");
    let out = run(&db, &["backup", "--out", out_file.to_str().unwrap(), "--json"]);
    assert!(!out.status.success(), "the backup cannot have been written");
    assert!(out.stdout.is_empty(), "a failed command prints no document: {}", String::from_utf8_lossy(&out.stdout));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "one line for a person, no log lines: {stderr}");

    let (_, text) = log_text(&db);
    let failed = lines_with(&text, &["cli command", "command=backup"]);
    assert_eq!(failed.len(), 1, "{text}");
    assert!(failed[0].contains(" WARN ") && !failed[0].contains("outcome=\"ok\""), "{}", failed[0]);
    assert!(failed[0].contains("outcome=io") || failed[0].contains("outcome=invalid"), "{}", failed[0]);
    assert_no_personal_data(&text, &["answer.rdbackup", "not-a-folder"]);
}

#[test]
fn a_command_that_needs_no_register_writes_no_log() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    register(&db);
    let out =
        run(&db, &["deadline", "--regime", "eu-gdpr", "--jurisdiction", "AT", "--type", "access", "--received", "2026-11-20", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (_, text) = log_text(&db);
    assert!(lines_with(&text, &["command=deadline"]).is_empty(), "{text}");
}
