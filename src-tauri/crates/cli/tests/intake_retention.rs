//! Retention of mails dismissed as not a request through the CLI, against a real
//! Dovecot (`tests/imap/harness.rs`): `retention set-dismissed` (validated, naming
//! the field), `purge --dry-run --json` counting the dismissed mails once their
//! period has run out, `purge --json` removing their content, and the intake list
//! no longer showing it.

mod common;
#[path = "../../../../tests/imap/harness.rs"]
mod imap;

use std::path::Path;
use std::process::Command;

use imap::{Dovecot, PASSWORD, USER};
use serde_json::Value;

fn cli(db: &Path, now: &str, args: &[&str]) -> Command {
    common::mailbox_command(db, now, PASSWORD, args)
}

fn ok_json(db: &Path, now: &str, args: &[&str]) -> Value {
    common::json_of(cli(db, now, &[args, &["--json"]].concat()), args)
}

fn mail(from: &str, subject: &str, message_id: &str, body: &str) -> Vec<u8> {
    format!("From: {from}\r\nTo: privacy@example.com\r\nSubject: {subject}\r\nMessage-ID: <{message_id}>\r\n\r\n{body}\r\n").into_bytes()
}

#[test]
fn purge_counts_and_empties_mails_dismissed_longer_than_the_period() {
    let server = Dovecot::start(None);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    let now = "2026-03-02T09:00:00Z";
    let port = server.port.to_string();
    ok_json(&db, now, &["mailbox", "set", "--host", "127.0.0.1", "--port", &port, "--security", "none", "--username", USER]);
    server.append(
        "INBOX",
        "none",
        &[
            ("01-Mar-2026 09:00:00 +0100", mail("Shop <news@shop.example>", "Spring sale", "sale@shop.example", "Offers for you.")),
            ("01-Mar-2026 10:00:00 +0100", mail("Eve <eve@example.org>", "Hello", "hello@example.org", "Just saying hello.")),
        ],
    );
    let fetched = ok_json(&db, now, &["mailbox", "fetch"]);
    assert_eq!(fetched["new_items"], 2, "{fetched}");
    let items = ok_json(&db, now, &["intake", "list"]);
    let sale = items.as_array().unwrap().iter().find(|i| i["subject"] == "Spring sale").unwrap()["id"].as_str().unwrap().to_string();
    ok_json(&db, now, &["intake", "dismiss", &sale, "--reason", "advertising"]);

    // The period: a bad value names the field and changes nothing; 30 days is taken.
    let bad = cli(&db, now, &["retention", "set-dismissed", "0"]).output().unwrap();
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("intake_dismissed_days") && err.contains("between 1 and 3650"), "{err}");
    let shown = cli(&db, now, &["retention", "show"]).output().unwrap();
    assert!(String::from_utf8_lossy(&shown.stdout).contains("keep their content 90 days after the dismissal"), "unchanged");
    let set = ok_json(&db, now, &["retention", "set-dismissed", "30"]);
    assert_eq!(set["intake_dismissed_days"], 30);

    // 29 days after the dismissal: nothing; 30 days after: the one dismissed mail.
    let early = ok_json(&db, "2026-03-31T09:00:00Z", &["purge", "--dry-run"]);
    assert_eq!(early["dismissed_mails"], 0, "{early}");
    let due = "2026-04-01T09:00:00Z";
    let plan = ok_json(&db, due, &["purge", "--dry-run"]);
    assert_eq!(plan["dismissed_mails"], 1, "{plan}");
    let text = cli(&db, due, &["purge", "--dry-run"]).output().unwrap();
    assert!(String::from_utf8_lossy(&text.stdout).contains("the content of 1 mails dismissed as not a request"));

    assert!(ok_json(&db, due, &["intake", "list", "--state", "dismissed"]).to_string().contains("Spring sale"), "kept until the purge");
    let purged = ok_json(&db, due, &["purge"]);
    assert_eq!(purged["purged"]["dismissed_mails"], 1, "{purged}");
    assert_eq!(purged["purged"]["files_deleted"], 1, "{purged}");
    let listed = ok_json(&db, due, &["intake", "list", "--state", "all"]).to_string();
    assert!(!listed.contains("Spring sale") && !listed.contains("news@shop.example"), "{listed}");
    assert!(listed.contains("(removed under the retention policy)") && listed.contains("advertising"), "{listed}");
    assert!(listed.contains("Hello"), "the undecided mail is untouched: {listed}");

    let again = ok_json(&db, "2026-06-01T09:00:00Z", &["purge"]);
    assert_eq!(again["purged"]["dismissed_mails"], 0, "a second purge does nothing: {again}");
}
