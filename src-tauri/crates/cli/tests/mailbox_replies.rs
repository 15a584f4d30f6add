//! Replies on the request through the CLI (issue 17, items 4 and 8), against a
//! real Dovecot (`tests/imap/harness.rs`) and a real SMTP server
//! (`tests/smtp/harness.rs`): the acknowledgement goes out, the subject's reply
//! to it (with a PDF) is APPENDed, `mailbox fetch` files it on the request,
//! `request show --json` lists it, and `mail received --identity` records the
//! identity evidence dated by the reply's arrival in Berlin.

mod common;
#[path = "../../../../tests/smtp/harness.rs"]
mod harness;
#[path = "../../../../tests/imap/harness.rs"]
mod imap;

use std::path::Path;
use std::process::Output;

use harness::{Options, SmtpServer};
use imap::{Dovecot, PASSWORD, USER};
use serde_json::Value;

/// The request arrives and is acknowledged on Monday 1 June 2026 (Berlin); the reply is read on 4 June.
const MONDAY: &str = "2026-06-01T10:00:00Z";
const THURSDAY: &str = "2026-06-04T09:00:00Z";

fn run(db: &Path, now: &str, args: &[&str]) -> Output {
    let mut c = common::command_without_keyring(db, now, args);
    c.env("RIGHTSDESK_IMAP_PASSWORD", PASSWORD).env("TZ", "Europe/Berlin");
    c.output().expect("run rightsdesk")
}

fn json(db: &Path, now: &str, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.push("--json");
    let out = run(db, now, &all);
    assert!(out.status.success(), "{args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

fn reply(in_reply_to: &str) -> Vec<u8> {
    format!(
        "From: Ada Example <ada@example.org>\r\nTo: privacy@example.com\r\nSubject: Re: We have received your request\r\n\
Message-ID: <ada-reply@example.org>\r\nIn-Reply-To: {in_reply_to}\r\nReferences: {in_reply_to}\r\n\
MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
My passport is attached.\r\n--b\r\nContent-Type: application/pdf; name=\"passport.pdf\"\r\n\
Content-Disposition: attachment; filename=\"passport.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n\
JVBERi0xLjcKJSBub3QgYSByZWFsIHBkZgo=\r\n--b--\r\n"
    )
    .into_bytes()
}

#[test]
fn a_reply_to_the_acknowledgement_is_filed_listed_and_recorded_as_identity_received_on_its_arrival() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    let smtp = SmtpServer::start(&dir.path().join("smtp"), Options::default());
    let dovecot = Dovecot::start(None);
    let smtp_port = smtp.port.to_string();
    let imap_port = dovecot.port.to_string();
    json(
        &db,
        MONDAY,
        &[
            "smtp",
            "set",
            "--host",
            "127.0.0.1",
            "--port",
            &smtp_port,
            "--security",
            "none",
            "--from",
            "privacy@example.com",
            "--org-name",
            "Example Ltd",
            "--dpo-contact",
            "privacy@example.com",
        ],
    );
    json(&db, MONDAY, &["mailbox", "set", "--host", "127.0.0.1", "--port", &imap_port, "--security", "none", "--username", USER]);
    let request = json(
        &db,
        MONDAY,
        &[
            "request",
            "add",
            "--type",
            "access",
            "--regime",
            "uk-gdpr",
            "--jurisdiction",
            "GB-ENG",
            "--received",
            "2026-06-01",
            "--name",
            "Ada Example",
            "--email",
            "ada@example.org",
        ],
    );
    let reference = request["reference"].as_str().unwrap().to_string();
    assert_eq!(request["due"], "2026-07-01");

    // The acknowledgement goes out through the SMTP server; the officer has asked for proof of identity.
    let sent = json(&db, MONDAY, &["letter", &reference, "--template", "acknowledgement", "--send"]);
    assert_eq!(sent["letter"]["state"], "sent", "{sent}");
    assert_eq!(smtp.received().len(), 1);
    json(&db, MONDAY, &["identity", "request", &reference, "--on", "2026-06-01"]);

    // Ada answers it; the server receives her mail at 00:30 on 2 June in Berlin (22:30 UTC on 1 June).
    let message_id = sent["letter"]["message_id"].as_str().unwrap();
    dovecot.append("INBOX", "none", &[("02-Jun-2026 00:30:00 +0200", reply(message_id))]);
    let report = json(&db, THURSDAY, &["mailbox", "fetch"]);
    assert_eq!((report["replies"].as_u64(), report["new_items"].as_u64()), (Some(1), Some(0)), "{report}");

    let shown = json(&db, THURSDAY, &["request", "show", &reference]);
    let mails = shown["received_mails"].as_array().unwrap();
    assert_eq!(mails.len(), 1, "{shown}");
    let mail = &mails[0];
    assert_eq!(mail["kind"], "reply");
    assert_eq!(mail["from"], "Ada Example <ada@example.org>");
    assert_eq!(mail["subject"], "Re: We have received your request");
    assert_eq!(mail["received_at"], "2026-06-01T22:30:00Z", "the server's arrival time, RFC 3339");
    assert_eq!(mail["attachments"][0]["name"], "passport.pdf");
    assert_eq!(mail["attachments"][0]["type"], "application/pdf");
    assert_eq!(mail["offers"], serde_json::json!(["identity"]));
    assert_eq!(shown["request"]["due"], "2026-07-01", "the detail is still there as before");
    let mail_id = mail["id"].as_str().unwrap();

    // The conversation: the acknowledgement out, the reply in.
    let c = json(&db, THURSDAY, &["mail", "list", &reference]);
    let order: Vec<(&str, &str)> =
        c["mails"].as_array().unwrap().iter().map(|m| (m["direction"].as_str().unwrap(), m["kind"].as_str().unwrap())).collect();
    assert_eq!(order, vec![("out", "acknowledgement"), ("in", "reply")]);
    assert_eq!(c["mails"][1]["body"], "My passport is attached.");

    // Not awaiting a clarification: a clear refusal, nothing recorded.
    let wrong = run(&db, THURSDAY, &["mail", "received", mail_id, "--clarification"]);
    assert!(!wrong.status.success());
    let stderr = String::from_utf8_lossy(&wrong.stderr);
    assert!(stderr.contains("not awaiting a clarification"), "{stderr}");
    assert!(!stderr.contains("ada@example.org"), "no personal data in the error: {stderr}");

    // The one-click action from a script: the month runs from 2 June, the day the mail arrived in Berlin.
    let after = json(&db, THURSDAY, &["mail", "received", mail_id, "--identity"]);
    assert_eq!(after["request"]["schedule"]["clock_start"], "2026-06-02");
    assert_eq!(after["request"]["due"], "2026-07-02", "{}", after["request"]["schedule"]);
    let text = run(&db, THURSDAY, &["request", "show", &reference]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("Identity evidence received on 2026-06-02 by mail of 2026-06-02"), "{text}");
    assert!(text.contains("Dates recomputed (identity received by mail of 2026-06-02)"), "{text}");
    assert!(text.contains("received mails:"), "{text}");
    let again = run(&db, THURSDAY, &["mail", "received", mail_id, "--identity"]);
    assert!(!again.status.success(), "recorded once");

    // The attachment saved out as it came, never opened.
    let saved = dir.path().join("out").join("passport.pdf");
    std::fs::create_dir_all(saved.parent().unwrap()).unwrap();
    json(&db, THURSDAY, &["mail", "save", mail_id, "--out", saved.to_str().unwrap()]);
    assert!(std::fs::read(&saved).unwrap().starts_with(b"%PDF-1.7"));
    let refused = run(&db, THURSDAY, &["mail", "save", mail_id, "--out", saved.to_str().unwrap()]);
    assert!(!refused.status.success(), "an existing file is kept without --force");
    smtp.stop();
}
