//! Asking the systems' owners and sending the answer from the command line
//! (issue 17, items 5 and 6), against a real Dovecot (`tests/imap/harness.rs`)
//! and a real SMTP server (`tests/smtp/harness.rs`, aiosmtpd): `task send`,
//! the owner's DONE reply with a CSV fetched from the mailbox, `task
//! close-from-reply`, and `answer` with the package attached (or not, when
//! it is larger than the server takes). What arrives at the SMTP server is
//! read with Python's `email` and `zipfile` modules.

mod common;
#[path = "../../../../tests/imap/harness.rs"]
mod imap;
#[path = "../../../../tests/smtp/harness.rs"]
mod smtp;

use std::path::Path;
use std::process::{Command, Output};

use imap::{Dovecot, PASSWORD, USER};
use serde_json::Value;
use smtp::{Options, SmtpServer};

/// Monday 2 February 2026, 10:00 in Berlin.
const NOW: &str = "2026-02-02T09:00:00Z";
const OWNER: &str = "olga.owner@crm-factory.example";

fn cli(db: &Path, args: &[&str]) -> Command {
    common::mailbox_command(db, NOW, PASSWORD, args)
}

fn run(db: &Path, args: &[&str]) -> Output {
    cli(db, args).output().expect("run rightsdesk")
}

fn ok_json(db: &Path, args: &[&str]) -> Value {
    common::json_of(cli(db, &[args, &["--json"]].concat()), args)
}

/// Mail settings, the mailbox, a one-system data map whose owner is Olga.
fn setup(dir: &Path, smtp_port: u16, imap_port: u16) -> std::path::PathBuf {
    let db = dir.join("r.sqlite3");
    let (smtp_port, imap_port) = (smtp_port.to_string(), imap_port.to_string());
    ok_json(
        &db,
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
            "privacy@crm-factory.example",
            "--org-name",
            "CRM Factory GmbH",
            "--dpo-contact",
            "dpo@crm-factory.example",
        ],
    );
    ok_json(
        &db,
        &["mailbox", "set", "--host", "127.0.0.1", "--port", &imap_port, "--security", "none", "--username", USER, "--folder", "INBOX"],
    );
    let map = dir.join("map.csv");
    std::fs::write(
        &map,
        format!(
            "name,owner_contact,how_to_search,how_to_export,how_to_delete,legal_basis,automated_decisions,location\n\
             CRM,Olga Owner <{OWNER}>,Contacts > search by email address,Contacts > Actions > Export as CSV,Contacts > Delete,\
             Contract,none,Frankfurt (EU)\n"
        ),
    )
    .unwrap();
    ok_json(&db, &["systems", "import", map.to_str().unwrap()]);
    db
}

fn register(db: &Path, name: &str, email: &str) -> String {
    let r = ok_json(
        db,
        &[
            "request",
            "add",
            "--type",
            "access",
            "--regime",
            "eu-gdpr",
            "--jurisdiction",
            "DE",
            "--received",
            "2026-02-02",
            "--name",
            name,
            "--email",
            email,
            "--identifier",
            "customer id=C-1042",
            "--notes",
            "Told us on the phone about her divorce",
        ],
    );
    let reference = r["reference"].as_str().unwrap().to_string();
    ok_json(db, &["request", "status", &reference, "in-progress"]);
    reference
}

/// Runs a Python snippet on the message bytes in `path`; returns its stdout.
fn python(script: &str, args: &[&str]) -> String {
    let out = Command::new("/usr/bin/python3").arg("-c").arg(script).args(args).output().expect("python3");
    assert!(out.status.success(), "python failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The plain-text body of a message, decoded (quoted-printable, base64, charsets).
fn text_of(bytes: &[u8], dir: &Path) -> String {
    let path = dir.join(format!("m-{}.eml", bytes.len()));
    std::fs::write(&path, bytes).unwrap();
    python(
        "import email, sys\nfrom email import policy\nm = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=policy.default)\n\
         print(m['Subject']); print(m.get_body(('plain',)).get_content())",
        &[path.to_str().unwrap()],
    )
}

/// The attachments of a message: name, content type, and for a ZIP its names and whether it is encrypted.
fn attachments_of(bytes: &[u8], dir: &Path) -> Value {
    let path = dir.join(format!("a-{}.eml", bytes.len()));
    std::fs::write(&path, bytes).unwrap();
    let out = python(
        r#"
import email, io, json, sys, zipfile
from email import policy
m = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=policy.default)
found = []
for part in m.iter_attachments():
    data = part.get_content()
    entry = {"name": part.get_filename(), "type": part.get_content_type(), "size": len(data)}
    if part.get_content_type() == "application/zip":
        z = zipfile.ZipFile(io.BytesIO(data))
        entry["files"] = z.namelist()
        entry["encrypted"] = any(i.flag_bits & 1 for i in z.infolist())
    found.append(entry)
print(json.dumps(found))
"#,
        &[path.to_str().unwrap()],
    );
    serde_json::from_str(&out).unwrap()
}

fn owner_reply(in_reply_to: &str, first_line: &str, csv: &str) -> Vec<u8> {
    format!(
        "From: Olga Owner <{OWNER}>\r\nTo: privacy@crm-factory.example\r\nSubject: Re: your request\r\n\
         Message-ID: <reply-1@crm-factory.example>\r\nIn-Reply-To: {in_reply_to}\r\nReferences: {in_reply_to}\r\n\
         Date: Wed, 4 Feb 2026 11:00:00 +0100\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n\
         --b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{first_line}\r\n\r\nOlga\r\n\
         --b1\r\nContent-Type: text/csv; name=\"crm-export.csv\"\r\nContent-Disposition: attachment; filename=\"crm-export.csv\"\r\n\r\n\
         {csv}\r\n--b1--\r\n"
    )
    .into_bytes()
}

#[test]
fn the_owner_is_asked_with_only_what_finds_the_subject_and_the_done_reply_with_its_csv_closes_the_task() {
    let dir = tempfile::tempdir().unwrap();
    let imap = Dovecot::start(None);
    let server = SmtpServer::start(&dir.path().join("smtp"), Options::default());
    let db = setup(dir.path(), server.port, imap.port);
    let reference = register(&db, "Ada Example", "ada@example.org");
    let task = format!("{reference}#1");

    // Send to owner: through the outbox, at the SMTP server.
    let sent = ok_json(&db, &["task", "send", &task]);
    assert_eq!(sent["mail"]["state"], "sent", "{sent}");
    assert!(sent["send_error"].is_null(), "{sent}");
    let message_id = sent["mail"]["message_id"].as_str().unwrap().to_string();
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].rcpt_tos, vec![OWNER.to_string()], "only the owner, no copy elsewhere");
    let text = text_of(&received[0].bytes, dir.path());
    for needed in [
        "CRM",
        "Contacts > search by email address",
        "Contacts > Actions > Export as CSV",
        "Ada Example",
        "ada@example.org",
        "C-1042",
        &reference,
    ] {
        assert!(text.contains(needed), "the owner's mail lacks {needed:?}:\n{text}");
    }
    assert!(!text.contains("divorce"), "the request's notes are not the owner's business:\n{text}");
    assert!(!text.contains("Contacts > Delete"), "an access request asks no deletion:\n{text}");
    // Due: the internal target less two working days, named in the mail.
    let detail = ok_json(&db, &["request", "show", &reference]);
    let target = detail["request"]["schedule"]["target"].as_str().unwrap().to_string();
    let due = sent["mail"]["due"].as_str().unwrap().to_string();
    assert!(due < target, "due {due} before the target {target}");
    let d: Vec<u32> = due.split('-').map(|p| p.parse().unwrap()).collect();
    let month = ["January", "February", "March", "April"][d[1] as usize - 1];
    assert!(text.contains(&format!("by {} {month} {}", d[2], d[0])), "the due date {due} is in the mail:\n{text}");
    // On the request's timeline with its Message-ID.
    assert!(
        detail["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "letter-queued" && e["data"].as_str().unwrap().contains(&message_id)),
        "{detail}"
    );

    // The owner answers DONE with a CSV; the fetch files it on the task.
    let csv = "email,name,plan\nada@example.org,Ada Example,Pro\n";
    imap.append("INBOX", "none", &[("04-Feb-2026 11:00:05 +0100", owner_reply(&message_id, "DONE, exported from the CRM.", csv))]);
    let fetched = ok_json(&db, &["mailbox", "fetch"]);
    assert_eq!(fetched["replies"], 1, "{fetched}");
    assert_eq!(fetched["new_items"], 0, "{fetched}");
    let owners = ok_json(&db, &["task", "owners", &reference]);
    let reply = &owners[0]["replies"][0];
    assert_eq!(reply["suggestion"], "done", "{owners}");
    assert_eq!(reply["state"], "offered", "{owners}");
    let tasks = ok_json(&db, &["task", "list", &reference]);
    assert_eq!(tasks[0]["status"], "open", "nothing is closed without the officer");
    let task_id = tasks[0]["id"].as_str().unwrap().to_string();
    let evidence = ok_json(&db, &["evidence", "list", &reference]);
    let csv_file = evidence
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "crm-export.csv")
        .unwrap_or_else(|| panic!("the CSV is evidence: {evidence}"));
    assert_eq!(csv_file["task_id"], task_id.as_str(), "on the task");
    let out = dir.path().join("crm-export.csv");
    ok_json(&db, &["evidence", "get", csv_file["id"].as_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(&out).unwrap().replace("\r\n", "\n").trim_end(), csv.trim_end());

    // The officer closes it as offered; a second close is refused.
    let closed = ok_json(&db, &["task", "close-from-reply", &task]);
    assert_eq!(closed["status"], "done", "{closed}");
    assert!(closed["note"].as_str().unwrap().contains("2026-02-04"), "{closed}");
    let again = run(&db, &["task", "close-from-reply", &task]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("reply"), "{}", String::from_utf8_lossy(&again.stderr));

    // Send answer: the package is built and goes with the letter; the request is answered today.
    let answer = ok_json(&db, &["answer", &reference]);
    assert_eq!(answer["state"], "sent", "{answer}");
    assert_eq!(answer["attached"], true, "{answer}");
    assert_eq!(answer["answered_on"], "2026-02-02", "{answer}");
    assert_eq!(answer["limit_source"], "settings", "aiosmtpd's 32 MiB SIZE is above the 10 MB setting: {answer}");
    let received = server.received();
    assert_eq!(received.len(), 2);
    assert_eq!(received[1].rcpt_tos, vec!["ada@example.org".to_string()]);
    let attached = attachments_of(&received[1].bytes, dir.path());
    let zip = &attached[0];
    assert_eq!(zip["type"], "application/zip", "{attached}");
    assert_eq!(zip["name"], format!("{reference}-package.zip"));
    let files: Vec<&str> = zip["files"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
    assert!(files.contains(&"manifest.json"), "{files:?}");
    assert!(
        files.iter().any(|f| f.starts_with("evidence/") && f.ends_with("crm-export.csv")),
        "the owner's CSV is in the package: {files:?}"
    );
    assert_eq!(zip["encrypted"], false);
    let detail = ok_json(&db, &["request", "show", &reference]);
    assert_eq!(detail["request"]["status"], "completed", "{detail}");
    let again = run(&db, &["answer", &reference]);
    assert!(!again.status.success(), "an answered request is not answered twice");
    assert_eq!(server.received().len(), 2);

    // An encrypted package: the generated passphrase is shown to the officer, never in the mail.
    let second = register(&db, "Bea Beispiel", "bea@example.org");
    let refused = run(&db, &["answer", &second, "--encrypt"]);
    assert!(!refused.status.success(), "an open task needs a reason");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("CRM"), "{}", String::from_utf8_lossy(&refused.stderr));
    let answer = ok_json(&db, &["answer", &second, "--encrypt", "--open-tasks-reason", "CRM answered by phone: nothing held"]);
    assert_eq!(answer["state"], "sent", "{answer}");
    let passphrase = answer["passphrase"].as_str().expect("a generated passphrase").to_string();
    assert_eq!(passphrase.split('-').count(), 6);
    let mail = &server.received()[2];
    let raw = String::from_utf8_lossy(&mail.bytes);
    assert!(!raw.contains(&passphrase), "the passphrase is not in the mail");
    assert!(!text_of(&mail.bytes, dir.path()).contains(&passphrase));
    let zip = &attachments_of(&mail.bytes, dir.path())[0];
    assert_eq!(zip["encrypted"], true, "{zip}");
}

#[test]
fn a_package_larger_than_the_server_takes_is_not_attached_and_the_officer_is_told_how_it_goes() {
    let dir = tempfile::tempdir().unwrap();
    let imap = Dovecot::start(None);
    // The server advertises SIZE 200000 in EHLO.
    let server = SmtpServer::start(&dir.path().join("smtp"), Options { size_limit: Some(200_000), ..Default::default() });
    let db = setup(dir.path(), server.port, imap.port);
    let reference = register(&db, "Ada Example", "ada@example.org");
    // 400 kB that do not compress: the CRM's export of scanned letters.
    let big = dir.path().join("scans.bin");
    let mut bytes = Vec::with_capacity(400_000);
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    while bytes.len() < 400_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        bytes.extend_from_slice(&x.to_le_bytes());
    }
    std::fs::write(&big, &bytes).unwrap();
    ok_json(&db, &["evidence", "add", &reference, big.to_str().unwrap(), "--task", &format!("{reference}#1")]);
    ok_json(&db, &["task", "done", &format!("{reference}#1")]);

    let answer = ok_json(&db, &["answer", &reference]);
    assert_eq!(answer["state"], "needs-confirmation", "{answer}");
    assert_eq!(answer["attached"], false);
    assert_eq!(answer["limit_source"], "server", "{answer}");
    let delivery = answer["delivery"].as_str().unwrap();
    assert!(delivery.contains("download link") && delivery.contains("SIZE"), "{delivery}");
    assert!(server.received().is_empty(), "nothing is sent before the officer confirms");
    assert_eq!(ok_json(&db, &["request", "show", &reference])["request"]["status"], "in-progress");
    let human = run(&db, &["answer", &reference]);
    assert!(String::from_utf8_lossy(&human.stdout).contains("--without-package"), "{}", String::from_utf8_lossy(&human.stdout));

    let answer = ok_json(&db, &["answer", &reference, "--without-package"]);
    assert_eq!(answer["state"], "sent", "{answer}");
    assert_eq!(answer["attached"], false);
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert!(attachments_of(&received[0].bytes, dir.path()).as_array().unwrap().is_empty(), "no attachment");
    let text = text_of(&received[0].bytes, dir.path());
    assert!(text.contains("too large to send by email"), "the letter says the package follows separately:\n{text}");
    assert_eq!(ok_json(&db, &["request", "show", &reference])["request"]["status"], "completed");
}
