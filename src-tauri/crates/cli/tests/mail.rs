//! Letters and reminders from the command line, as cron would run them, against
//! a real SMTP server (Debian's aiosmtpd) and a real database file.

mod common;

#[path = "../../../../tests/smtp/harness.rs"]
mod harness;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use harness::{Options, SmtpServer};

const NOW: &str = "2026-11-23T09:00:00Z";

fn command(db: &Path, now: &str, args: &[&str]) -> Command {
    common::command_without_keyring(db, now, args)
}

fn run_at(db: &Path, now: &str, args: &[&str]) -> Output {
    command(db, now, args).output().expect("run rightsdesk")
}

fn json_at(db: &Path, now: &str, args: &[&str]) -> serde_json::Value {
    let mut args = args.to_vec();
    args.push("--json");
    let out = run_at(db, now, &args);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

fn json(db: &Path, args: &[&str]) -> serde_json::Value {
    json_at(db, NOW, args)
}

fn setup(db: &Path, port: u16) -> String {
    json(
        db,
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
            "--from-name",
            "CRM Factory",
            "--officer",
            "records@crm-factory.example",
            "--org-name",
            "CRM Factory GmbH",
            "--dpo-contact",
            "dpo@crm-factory.example",
        ],
    );
    let r = json(
        db,
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

#[test]
fn a_letter_queued_from_the_command_line_is_sent_by_the_outbox_and_lands_on_the_timeline() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    let server = SmtpServer::start(&dir.path().join("inbox"), Options::default());
    let reference = setup(&db, server.port);

    let preview = run_at(&db, NOW, &["letter", &reference, "--template", "acknowledgement", "--lang", "fr", "--preview"]);
    let preview = String::from_utf8_lossy(&preview.stdout).to_string();
    assert!(preview.contains("reçu le 20 novembre 2026"), "{preview}");
    assert!(json(&db, &["outbox", "list"]).as_array().unwrap().is_empty(), "a preview queues nothing");

    let out = run_at(&db, NOW, &["letter", &reference, "--template", "acknowledgement", "--lang", "fr"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let id = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let listed = json(&db, &["outbox", "list"]);
    assert_eq!(listed[0]["id"], id.as_str());
    assert_eq!(listed[0]["state"], "queued");

    let report = json(&db, &["outbox", "send"]);
    assert_eq!(report["sent"], 1);
    assert_eq!(json(&db, &["outbox", "show", &id])["state"], "sent");
    let raw = run_at(&db, NOW, &["outbox", "show", &id, "--raw"]).stdout;
    let got = server.received();
    assert_eq!(got.len(), 1);
    assert_eq!(String::from_utf8_lossy(&got[0].bytes).trim_end(), String::from_utf8_lossy(&raw).trim_end());

    let shown = json(&db, &["request", "show", &reference]);
    let kinds: Vec<&str> = shown["timeline"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, vec!["registered", "letter-queued", "letter-sent", "acknowledged"]);

    let bad = run_at(&db, NOW, &["letter", &reference, "--template", "refusal"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("reasons: is required"));
}

#[test]
fn a_letter_sent_at_once_goes_out_and_one_that_cannot_go_yet_stays_in_the_outbox() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    let server = SmtpServer::start(&dir.path().join("inbox"), Options::default());
    let reference = setup(&db, server.port);

    // `letter --send`: queued, sent and read back in one go (letters::send_now).
    let sent = json(&db, &["letter", &reference, "--template", "acknowledgement", "--send"]);
    assert_eq!(sent["letter"]["state"], "sent", "{sent}");
    assert_eq!(sent["report"]["sent"], 1, "{sent}");
    assert_eq!(server.received().len(), 1);
    assert_eq!(json(&db, &["outbox", "show", sent["letter"]["id"].as_str().unwrap()])["state"], "sent");

    // The server is down: the letter is kept, queued for the next run, and the answer says so.
    server.stop();
    let later = json(&db, &["letter", &reference, "--template", "acknowledgement", "--send"]);
    assert_eq!(later["letter"]["state"], "queued", "{later}");
    assert_eq!(later["report"]["retrying"], 1, "{later}");

    // The account needs a password nobody gave: the command fails and says why; the letter waits in the outbox.
    json(&db, &["smtp", "set", "--username", "dpo"]);
    let out = run_at(&db, NOW, &["letter", &reference, "--template", "acknowledgement", "--send"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("password"), "{}", String::from_utf8_lossy(&out.stderr));
    let states: Vec<String> =
        json(&db, &["outbox", "list"]).as_array().unwrap().iter().map(|l| l["state"].as_str().unwrap().to_string()).collect();
    assert_eq!(states.iter().filter(|s| *s == "queued").count(), 2, "{states:?}");
}

#[test]
fn a_sender_killed_while_the_server_holds_its_answer_neither_loses_nor_doubles_the_letter() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    let inbox = dir.path().join("inbox");
    let server = SmtpServer::start(&inbox, Options { hold_data_seconds: Some(60), ..Default::default() });
    let reference = setup(&db, server.port);
    let id = json(&db, &["letter", &reference, "--template", "acknowledgement"])["id"].as_str().unwrap().to_string();

    // The server stores the message, then holds its "250" while we kill the sender.
    let mut sender = command(&db, NOW, &["outbox", "send"]).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    let start = Instant::now();
    while harness::received_in(&inbox).is_empty() {
        assert!(start.elapsed() < Duration::from_secs(30), "the message never reached the server");
        std::thread::sleep(Duration::from_millis(50));
    }
    sender.kill().unwrap();
    sender.wait().unwrap();
    assert_eq!(json(&db, &["outbox", "show", &id])["state"], "sending", "the claim survived the kill");

    // The next cron run, a quarter of an hour later: the letter is flagged, not resent.
    let later = "2026-11-23T09:15:00Z";
    let report = json_at(&db, later, &["outbox", "send"]);
    assert_eq!((report["sent"].as_u64(), report["unknown"].as_u64()), (Some(0), Some(1)));
    let letter = json_at(&db, later, &["outbox", "show", &id]);
    assert_eq!(letter["state"], "unknown");
    assert_eq!(harness::received_in(&inbox).len(), 1, "sent exactly once");
    // The officer checks and confirms it arrived.
    assert_eq!(json_at(&db, later, &["outbox", "confirm", &id, "--note", "in the recipient's inbox"])["state"], "sent");
    assert_eq!(json_at(&db, later, &["outbox", "send"])["sent"], 0);
    assert_eq!(harness::received_in(&inbox).len(), 1);
}

#[test]
fn cron_reminders_are_mailed_once_a_day_and_the_calendar_is_exported() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    let server = SmtpServer::start(&dir.path().join("inbox"), Options::default());
    let reference = setup(&db, server.port);

    let listed = json(&db, &["reminders", "--days", "30"]);
    assert_eq!(listed[0]["reference"], reference.as_str());
    assert!(json(&db, &["reminders"]).as_array().unwrap().is_empty(), "not within 7, 3 or 1 days yet");

    let due_soon = "2026-12-18T09:00:00Z"; // due Mon 21 Dec (20 Dec is a Sunday)
    let first = json_at(&db, due_soon, &["remind", "--send"]);
    assert_eq!(first["reminders"][0]["threshold"], "due-3");
    assert_eq!(first["report"]["sent"], 1);
    let again = json_at(&db, due_soon, &["remind", "--send"]);
    assert!(again["letter"].is_null(), "the same reminder is not mailed twice");
    assert_eq!(server.received().len(), 1);
    assert_eq!(server.received()[0].rcpt_tos, vec!["records@crm-factory.example"]);

    let ics = dir.path().join("deadlines.ics");
    let out = json(&db, &["calendar", "--out", ics.to_str().unwrap()]);
    assert_eq!(out["requests"], 1);
    assert!(std::fs::read_to_string(&ics).unwrap().contains("BEGIN:VEVENT"));
}
