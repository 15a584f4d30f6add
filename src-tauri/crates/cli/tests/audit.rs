//! The audit trail from the command line (issue 16): `audit verify` names a
//! request changed or deleted in the file; `audit anchor` mails the chain's
//! head to the officer through a real SMTP server (aiosmtpd writing a
//! Maildir), at most once a day; `audit verify --anchors` finds a register
//! rebuilt from scratch, which the chain alone cannot.

mod common;

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const PASSPHRASE: &str = "audit cli passphrase";
const NOW: &str = "2026-11-23T09:00:00Z";

fn run_at(db: &Path, now: &str, args: &[&str]) -> Output {
    // This register's own passphrase, not the shared one.
    common::command_without_keyring(db, now, args).env("RIGHTSDESK_PASSPHRASE", PASSPHRASE).output().expect("run rightsdesk")
}

fn ok(db: &Path, args: &[&str]) -> String {
    let out = run_at(db, NOW, args);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).to_string()
}

fn json_at(db: &Path, now: &str, args: &[&str]) -> serde_json::Value {
    let mut args = args.to_vec();
    args.push("--json");
    let out = run_at(db, now, &args);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

/// Both streams, for reading what the officer is told.
fn said(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

/// Two requests, as the officer would register them.
fn register(db: &Path) {
    for (name, email, received) in
        [("Amélie Durand", "amelie@example.org", "2026-11-20"), ("Jonas Berg", "jonas@example.org", "2026-11-21")]
    {
        ok(
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
                received,
                "--name",
                name,
                "--email",
                email,
            ],
        );
    }
    ok(db, &["request", "status", "DSR-2026-0001", "in-progress"]);
}

fn tamper(db: &Path, sql: &str) {
    let c = rusqlite::Connection::open(db).unwrap();
    c.pragma_update(None, "key", PASSPHRASE).unwrap();
    c.execute_batch(&rightsdesk_core::store::PageHmac::NEW.pragma(None)).unwrap();
    c.execute_batch(sql).unwrap();
}

/// aiosmtpd's own Maildir handler on a free port: every message it accepts is a file in `dir`.
struct Mailbox {
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl Mailbox {
    fn start(dir: &Path) -> Mailbox {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let python = if Path::new("/usr/bin/python3").exists() { "/usr/bin/python3" } else { "python3" };
        let child = Command::new(python)
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start aiosmtpd (python3-aiosmtpd)");
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed() < Duration::from_secs(30), "aiosmtpd did not listen on {port}");
            std::thread::sleep(Duration::from_millis(100));
        }
        Mailbox { child, port, dir: dir.to_path_buf() }
    }

    /// The messages delivered so far (Maildir `new/`).
    fn messages(&self) -> Vec<Vec<u8>> {
        let mut names: Vec<PathBuf> =
            std::fs::read_dir(self.dir.join("new")).map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect()).unwrap_or_default();
        names.sort();
        names.into_iter().map(|p| std::fs::read(p).unwrap()).collect()
    }
}

impl Drop for Mailbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn set_up_mail(db: &Path, port: u16) {
    ok(
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
}

#[test]
fn verify_names_a_request_whose_status_was_changed_in_the_file_and_one_that_was_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("register.sqlite3");
    register(&db);
    assert!(ok(&db, &["audit", "verify"]).contains("the audit trail is intact"));

    tamper(&db, "UPDATE requests SET status = 'completed', closed_on = '2026-11-22' WHERE reference = 'DSR-2026-0001';");
    let out = run_at(&db, NOW, &["audit", "verify"]);
    let text = said(&out);
    assert!(!out.status.success(), "{text}");
    assert!(text.contains("request DSR-2026-0001") && text.contains("status, closing day changed"), "{text}");
    assert!(!text.contains("Amélie") && !text.contains("amelie@"), "no personal data: {text}");

    tamper(&db, "PRAGMA foreign_keys = ON; DELETE FROM requests WHERE reference = 'DSR-2026-0002';");
    let text = said(&run_at(&db, NOW, &["audit", "verify"]));
    assert!(text.contains("request DSR-2026-0002") && text.contains("was deleted"), "{text}");
}

#[test]
fn the_chain_head_is_mailed_once_a_day_and_a_rebuilt_register_fails_against_the_anchors() {
    let dir = tempfile::tempdir().unwrap();
    let maildir = dir.path().join("officer-mailbox");
    let mailbox = Mailbox::start(&maildir);
    let db = dir.path().join("register.sqlite3");
    register(&db);
    set_up_mail(&db, mailbox.port);

    let sent = json_at(&db, NOW, &["audit", "anchor"]);
    assert_eq!(sent["outcome"], "sent", "{sent}");
    let again = json_at(&db, "2026-11-23T17:00:00Z", &["audit", "anchor"]);
    assert_eq!(again["outcome"], "already-sent-today", "{again}");
    let messages = mailbox.messages();
    assert_eq!(messages.len(), 1, "one anchor a day");
    let raw = String::from_utf8_lossy(&messages[0]);
    assert!(raw.contains("records@crm-factory.example"), "to the officer's own mailbox");
    assert!(!raw.contains("Amélie") && !raw.contains("amelie@") && !raw.contains("Jonas"), "no personal data in an anchor");

    // The next day's anchor goes out too; the register keeps working in between.
    ok(&db, &["request", "status", "DSR-2026-0002", "in-progress"]);
    let next = json_at(&db, "2026-11-24T09:00:00Z", &["audit", "anchor"]);
    assert_eq!(next["outcome"], "sent", "{next}");
    assert_eq!(mailbox.messages().len(), 2);

    // The untouched register passes against its anchors (the Maildir, and the same as an mbox file).
    let verified = json_at(&db, NOW, &["audit", "verify", "--anchors", maildir.to_str().unwrap()]);
    assert_eq!(verified["intact"], true, "{verified}");
    assert_eq!(verified["anchors"]["found"], 2, "{verified}");
    assert_eq!(verified["anchors"]["matched"], 2, "{verified}");
    assert_eq!(verified["anchors"]["newest_matched_seq"], next["anchor"]["seq"], "{verified}");
    let mbox = dir.path().join("officer.mbox");
    let mut text = Vec::new();
    for m in mailbox.messages() {
        text.extend_from_slice(b"From records@crm-factory.example Mon Nov 23 09:00:00 2026\n");
        text.extend_from_slice(&m);
        text.extend_from_slice(b"\n");
    }
    std::fs::write(&mbox, text).unwrap();
    let out = run_at(&db, NOW, &["audit", "verify", "--anchors", mbox.to_str().unwrap()]);
    assert!(out.status.success(), "{}", said(&out));
    assert!(said(&out).contains("2 found") && said(&out).contains("2 on this chain"), "{}", said(&out));

    // Someone rebuilds the register from scratch with the same requests and
    // puts it in place of the old file: its own chain is intact, so only the
    // anchors can tell.
    let rebuilt = dir.path().join("rebuilt.sqlite3");
    register(&rebuilt);
    ok(&rebuilt, &["request", "status", "DSR-2026-0002", "in-progress"]);
    assert!(ok(&rebuilt, &["audit", "verify"]).contains("the audit trail is intact"));
    drop(mailbox);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
        if Path::new(&format!("{}{suffix}", rebuilt.display())).exists() {
            std::fs::rename(format!("{}{suffix}", rebuilt.display()), format!("{}{suffix}", db.display())).unwrap();
        }
    }
    let out = run_at(&db, NOW, &["audit", "verify", "--anchors", maildir.to_str().unwrap()]);
    let text = said(&out);
    assert!(!out.status.success(), "a rewritten history passed: {text}");
    let first = sent["anchor"]["seq"].as_i64().unwrap();
    assert!(text.contains(&format!("the anchor of event {first} ")), "the rewritten anchor is named: {text}");
    assert!(text.contains("history was rewritten") || text.contains("was rewritten"), "{text}");
}

#[test]
fn verify_against_a_mailbox_without_anchors_does_not_pass_silently() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("register.sqlite3");
    register(&db);
    let mbox = dir.path().join("empty.mbox");
    std::fs::write(&mbox, b"From someone@example.org Mon Nov 23 09:00:00 2026\nSubject: hello\n\nnothing here\n").unwrap();
    let out = run_at(&db, NOW, &["audit", "verify", "--anchors", mbox.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(said(&out).contains("no Rightsdesk audit anchor was found"), "{}", said(&out));
}
