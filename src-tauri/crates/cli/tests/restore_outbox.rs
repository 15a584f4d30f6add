//! Restoring a backup never sends a letter twice (issue 16, item 4): the
//! reproduced story — back up, send a letter, restore the backup, send the
//! outbox — against a real SMTP server (Debian's aiosmtpd) and real files.

mod common;

#[path = "../../../../tests/smtp/harness.rs"]
mod harness;

use std::path::Path;
use std::process::Output;

use harness::{Options, SmtpServer};

const NOW: &str = "2026-11-23T09:00:00Z";
const LATER: &str = "2026-11-23T11:00:00Z";

fn run_at(db: &Path, now: &str, args: &[&str]) -> Output {
    common::command_without_keyring(db, now, args).output().expect("run rightsdesk")
}

fn json_at(db: &Path, now: &str, args: &[&str]) -> serde_json::Value {
    let mut args = args.to_vec();
    args.push("--json");
    let out = run_at(db, now, &args);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

fn setup(db: &Path, port: u16) -> String {
    json_at(
        db,
        NOW,
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
            "--dpo-contact",
            "dpo@crm-factory.example",
        ],
    );
    let r = json_at(
        db,
        NOW,
        &[
            "request",
            "add",
            "--type",
            "access",
            "--regime",
            "eu-gdpr",
            "--jurisdiction",
            "FR",
            "--received",
            "2026-11-20",
            "--name",
            "Amélie Durand",
            "--email",
            "amelie@example.org",
        ],
    );
    r["reference"].as_str().unwrap().to_string()
}

fn state(db: &Path, id: &str) -> String {
    json_at(db, LATER, &["outbox", "show", id])["state"].as_str().unwrap().to_string()
}

fn message_ids(server: &SmtpServer) -> Vec<String> {
    server
        .received()
        .iter()
        .map(|m| {
            let text = String::from_utf8_lossy(&m.bytes).into_owned();
            let line = text.lines().find(|l| l.to_ascii_lowercase().starts_with("message-id:")).expect("a Message-ID header");
            line["message-id:".len()..].trim().to_string()
        })
        .collect()
}

fn restore(db: &Path, file: &Path) -> serde_json::Value {
    json_at(db, LATER, &["restore", file.to_str().unwrap(), "--force"])
}

/// The kinds of the events on the audit trail, as the regulator's export lists them.
fn audited_kinds(db: &Path, dir: &Path, name: &str) -> String {
    let export = dir.join(name);
    json_at(db, LATER, &["audit", "export", "--format", "json", "--out", export.to_str().unwrap()]);
    std::fs::read_to_string(&export).unwrap()
}

#[test]
fn a_letter_sent_after_the_backup_is_not_sent_again_once_the_backup_is_restored() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("data").join("r.sqlite3");
    let server = SmtpServer::start(&dir.path().join("inbox"), Options::default());
    let reference = setup(&db, server.port);

    // A letter is queued, the nightly backup runs, then the outbox sends the letter.
    let first = json_at(&db, NOW, &["letter", &reference, "--template", "acknowledgement"])["id"].as_str().unwrap().to_string();
    let backup = dir.path().join("before-send.rdbackup");
    json_at(&db, NOW, &["backup", "--out", backup.to_str().unwrap()]);
    assert_eq!(json_at(&db, NOW, &["outbox", "send"])["sent"], 1);
    assert_eq!(message_ids(&server).len(), 1);

    // The officer restores that backup: the letter was queued in it, and may have gone out since.
    let restored = restore(&db, &backup);

    // The next cron run sends nothing: exactly one copy ever reached the server.
    let report = json_at(&db, LATER, &["outbox", "send"]);
    assert_eq!(message_ids(&server).len(), 1, "the restored letter was sent again: {report}");
    assert_eq!(report["sent"], 0, "{report}");

    // It waits as "unknown — check before resending", and the restore said so.
    assert_eq!(restored["restored"]["letters_to_check"], 1);
    let text = String::from_utf8_lossy(&run_at(&db, LATER, &["outbox", "list"]).stdout).into_owned();
    assert!(text.contains(&first) && text.contains("unknown"), "the outbox shows it as unknown: {text}");
    assert_eq!(state(&db, &first), "unknown");

    // The restore is on the record, sealed: the trail verifies and lists it.
    let verified = json_at(&db, LATER, &["audit", "verify"]);
    assert_eq!(verified["intact"], true, "{verified}");
    assert!(audited_kinds(&db, dir.path(), "trail-1.json").contains("backup-restored"));
    let timeline = json_at(&db, LATER, &["request", "show", &reference]);
    let unknown = timeline["timeline"].as_array().unwrap().iter().find(|e| e["kind"] == "letter-unknown").expect("on the timeline");
    assert!(unknown["summary"].as_str().unwrap().contains("restored from a backup"), "{unknown}");

    // The officer finds it in the recipient's inbox and confirms it.
    assert_eq!(json_at(&db, LATER, &["outbox", "confirm", &first, "--note", "in the recipient's inbox"])["state"], "sent");
    assert_eq!(json_at(&db, LATER, &["outbox", "send"])["sent"], 0);
    assert_eq!(message_ids(&server).len(), 1);
}

#[test]
fn a_letter_that_never_left_before_the_restore_goes_out_once_when_the_officer_resends_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("data").join("r.sqlite3");
    let server = SmtpServer::start(&dir.path().join("inbox"), Options::default());
    let reference = setup(&db, server.port);

    let id = json_at(&db, NOW, &["letter", &reference, "--template", "acknowledgement"])["id"].as_str().unwrap().to_string();
    let backup = dir.path().join("b.rdbackup");
    json_at(&db, NOW, &["backup", "--out", backup.to_str().unwrap()]);
    // Restored before any send: the backup cannot tell, so the letter waits for the officer.
    let restored = restore(&db, &backup);
    assert_eq!(json_at(&db, LATER, &["outbox", "send"])["sent"], 0);
    assert!(message_ids(&server).is_empty(), "sent without the officer's check");
    assert_eq!(restored["restored"]["letters_to_check"], 1);

    // The officer checks, finds nothing arrived, and resends: one copy, the same Message-ID.
    let raw = String::from_utf8_lossy(&run_at(&db, LATER, &["outbox", "show", &id, "--raw"]).stdout).into_owned();
    assert_eq!(json_at(&db, LATER, &["outbox", "resend", &id])["state"], "queued");
    assert_eq!(json_at(&db, LATER, &["outbox", "send"])["sent"], 1);
    let ids = message_ids(&server);
    assert_eq!(ids.len(), 1);
    assert!(raw.contains(&ids[0]), "the resent letter keeps its Message-ID");
    assert_eq!(state(&db, &id), "sent");
    assert_eq!(json_at(&db, LATER, &["audit", "verify"])["intact"], true);
}
