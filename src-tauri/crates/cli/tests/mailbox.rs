//! The privacy mailbox through the CLI, against a real Dovecot (`tests/imap/harness.rs`):
//! `mailbox set | test | fetch`, `intake list | accept | dismiss | link`, with
//! messages placed by IMAP APPEND at chosen arrival times.

mod common;
#[path = "../../../../tests/imap/harness.rs"]
mod imap;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::PASSPHRASE;
use imap::{Dovecot, Tls, PASSWORD, USER};
use serde_json::Value;

/// The officer works in Berlin; "now" is early February 2026.
const NOW: &str = "2026-02-02T09:00:00Z";

fn cli(db: &Path, args: &[&str]) -> Command {
    common::mailbox_command(db, NOW, PASSWORD, args)
}

fn run(db: &Path, args: &[&str]) -> Output {
    cli(db, args).output().expect("run rightsdesk")
}

fn ok_json(db: &Path, args: &[&str]) -> Value {
    common::json_of(cli(db, &[args, &["--json"]].concat()), args)
}

fn setup(server: &Dovecot, folder: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    let port = server.port.to_string();
    ok_json(
        &db,
        &[
            "mailbox",
            "set",
            "--host",
            "127.0.0.1",
            "--port",
            &port,
            "--security",
            "none",
            "--username",
            USER,
            "--folder",
            folder,
            "--regime",
            "eu-gdpr",
            "--jurisdiction",
            "DE",
        ],
    );
    (dir, db)
}

fn mail(from: &str, subject: &str, message_id: &str, body: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: privacy@example.com\r\nSubject: {subject}\r\nMessage-ID: <{message_id}>\r\nDate: Fri, 31 Jan 2025 23:29:00 +0100\r\n\
         MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

fn intake(db: &Path, state: &str) -> Vec<Value> {
    ok_json(db, &["intake", "list", "--state", state]).as_array().unwrap().clone()
}

fn sha256_hex(bytes: &[u8]) -> String {
    // The sha2 crate is not a dependency of the CLI's tests: use the system's sha256sum.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.eml");
    std::fs::write(&path, bytes).unwrap();
    let out = Command::new("sha256sum").arg(&path).output().unwrap();
    String::from_utf8_lossy(&out.stdout).split_whitespace().next().unwrap().to_string()
}

#[test]
fn a_request_mailed_at_2330_in_berlin_on_31_january_is_received_that_day_and_due_28_february() {
    let server = Dovecot::start(None);
    let (_dir, db) = setup(&server, "INBOX");
    let raw = mail("Jürgen Beispiel <juergen@example.net>", "Auskunftsersuchen nach Art. 15 DSGVO", "m1@example.net", "Bitte um Auskunft.");
    server.append("INBOX", "none", &[("31-Jan-2025 23:30:00 +0100", raw.clone())]);

    let report = ok_json(&db, &["mailbox", "fetch"]);
    assert_eq!(report["new_items"], 1, "{report}");
    let items = intake(&db, "new");
    assert_eq!(items.len(), 1);
    let item = &items[0];
    assert_eq!(item["received_at"], "2025-01-31T22:30:00Z", "the server's arrival time, in UTC");
    assert_eq!(item["from_address"], "juergen@example.net");
    assert_eq!(item["suggestion"]["request_type"], "access");
    assert!(item["suggestion"]["reason"].as_str().unwrap().contains("auskunftsersuchen"), "{item}");
    assert_eq!(item["sha256"], sha256_hex(&raw), "the exact bytes appended are the ones filed");

    let request = ok_json(&db, &["intake", "accept", item["id"].as_str().unwrap()]);
    assert_eq!(request["received_on"], "2025-01-31", "23:30 in Berlin is still 31 January there");
    assert_eq!(request["due"], "2025-02-28", "one month under the GDPR: {request}");
    let shown = ok_json(&db, &["request", "show", request["reference"].as_str().unwrap()]);
    assert_eq!(shown["request"]["received_on"], "2025-01-31");
    assert_eq!(shown["request"]["due"], "2025-02-28");
    assert_eq!(shown["request"]["channel"], "email");
    let timeline = shown["timeline"].as_array().unwrap();
    let registered = timeline.iter().find(|e| e["kind"] == "registered").unwrap();
    let data: Value = serde_json::from_str(registered["data"].as_str().unwrap()).unwrap();
    assert_eq!(data["source"]["eml_sha256"], sha256_hex(&raw), "the .eml's SHA-256 is on the sealed registration event");
    assert!(timeline.iter().any(|e| e["kind"] == "evidence-added"), "the .eml is the request's evidence");
    assert!(intake(&db, "new").is_empty(), "an accepted item leaves the intake");
    let again = run(&db, &["intake", "accept", item["id"].as_str().unwrap()]);
    assert!(!again.status.success(), "an item is accepted once");
}

#[test]
fn fetching_twice_files_nothing_twice_and_every_kind_of_mime_is_read() {
    let server = Dovecot::start(None);
    let (_dir, db) = setup(&server, "INBOX");
    let alternative = b"From: Ada Example <ada@example.org>\r\nSubject: Delete my data\r\nMessage-ID: <alt@example.org>\r\n\
MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
Please erase everything you hold about me.\r\n--b1\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>HTML <b>version</b></p>\r\n--b1--\r\n"
        .to_vec();
    let attachment = b"From: Bob <bob@example.org>\r\nSubject: Copy of my data please\r\nMessage-ID: <att@example.org>\r\n\
MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b2\"\r\n\r\n--b2\r\nContent-Type: text/plain\r\n\r\nMy ID is attached.\r\n\
--b2\r\nContent-Type: application/pdf; name=\"passport.pdf\"\r\nContent-Disposition: attachment; filename=\"passport.pdf\"\r\n\
Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjcKJSBub3QgYSByZWFsIHBkZgo=\r\n--b2--\r\n"
        .to_vec();
    let encoded = b"From: =?ISO-8859-1?Q?J=FCrgen_M=FCller?= <jm@example.de>\r\nSubject: =?UTF-8?B?TMO2c2NodW5nIG1laW5lciBEYXRlbg==?=\r\n\
Message-ID: <enc@example.de>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n\
Bitte l\xf6schen Sie alle Daten \xfcber mich.\r\n"
        .to_vec();
    let malformed = b"\x00\x01\x02 garbage that is not a mail at all \xff\xfe\r\n".to_vec();
    let date = "20-Jan-2026 10:00:00 +0100";
    server.append("INBOX", "none", &[(date, alternative), (date, attachment), (date, encoded), (date, malformed)]);

    let first = ok_json(&db, &["mailbox", "fetch"]);
    assert_eq!(first["new_items"], 4, "{first}");
    assert_eq!(first["warnings"], 1, "the malformed message is filed with a warning: {first}");
    let second = ok_json(&db, &["mailbox", "fetch"]);
    assert_eq!((second["new_items"].as_u64(), second["replies"].as_u64()), (Some(0), Some(0)), "{second}");
    let items = intake(&db, "new");
    assert_eq!(items.len(), 4, "nothing filed twice");

    let by_subject = |s: &str| items.iter().find(|i| i["subject"] == s).unwrap_or_else(|| panic!("no item {s}: {items:?}"));
    let alt = by_subject("Delete my data");
    assert!(alt["preview"].as_str().unwrap().contains("Please erase everything"), "{alt}");
    assert!(!alt["preview"].as_str().unwrap().contains("<p>"), "the plain-text alternative is shown");
    assert_eq!(alt["suggestion"]["request_type"], "erasure");

    let att = by_subject("Copy of my data please");
    assert_eq!(att["attachments"][0]["name"], "passport.pdf");
    assert_eq!(att["attachments"][0]["type"], "application/pdf");
    assert_eq!(att["attachments"][0]["size"], 26);
    assert_eq!(att["suggestion"]["request_type"], "access");

    let enc = by_subject("Löschung meiner Daten");
    assert_eq!(enc["from_name"], "Jürgen Müller");
    assert!(enc["preview"].as_str().unwrap().contains("Bitte löschen Sie alle Daten über mich."), "{enc}");
    assert_eq!(enc["suggestion"]["request_type"], "erasure");

    let bad = items.iter().find(|i| !i["warning"].is_null()).expect("the malformed message is an item");
    assert!(bad["warning"].as_str().unwrap().contains("exact bytes are kept") || bad["warning"].as_str().unwrap().contains("sender"));
    let refused = run(&db, &["intake", "accept", bad["id"].as_str().unwrap(), "--type", "access"]);
    assert!(!refused.status.success(), "a message with no sender cannot be accepted as it is");
}

#[test]
fn dismiss_and_link_are_on_record_and_a_reply_lands_on_its_request() {
    let server = Dovecot::start(None);
    let (_dir, db) = setup(&server, "INBOX");
    let mut add = common::ADA.to_vec();
    add.extend(["--json"]);
    let out = run(&db, &add);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let ada: Value = serde_json::from_slice(&out.stdout).unwrap();
    let reference = ada["reference"].as_str().unwrap().to_string();
    let date = "01-Feb-2026 12:00:00 +0100";
    server.append(
        "INBOX",
        "none",
        &[
            (date, mail("Spam <offers@example.com>", "Great offers", "spam@example.com", "Buy now")),
            (date, mail("Ada Example <ada@example.org>", "One more thing", "more@example.org", "Here is my customer number.")),
            (date, mail("Ada Example <ada@example.org>", &format!("Re: Your request {reference}"), "re@example.org", "Thanks")),
        ],
    );
    let report = ok_json(&db, &["mailbox", "fetch"]);
    assert_eq!((report["new_items"].as_u64(), report["replies"].as_u64()), (Some(2), Some(1)), "{report}");
    let items = intake(&db, "new");
    let spam = items.iter().find(|i| i["subject"] == "Great offers").unwrap();
    let more = items.iter().find(|i| i["subject"] == "One more thing").unwrap();
    assert_eq!(more["open_requests_from_sender"][0]["reference"], reference.as_str(), "an open request from the same sender is flagged");

    let no_reason = run(&db, &["intake", "dismiss", spam["id"].as_str().unwrap(), "--reason", " "]);
    assert!(!no_reason.status.success(), "a dismissal needs a reason");
    ok_json(&db, &["intake", "dismiss", spam["id"].as_str().unwrap(), "--reason", "advertising"]);
    ok_json(&db, &["intake", "link", more["id"].as_str().unwrap(), &reference]);
    assert!(intake(&db, "new").is_empty());
    let dismissed = intake(&db, "dismissed");
    assert_eq!(dismissed[0]["reason"], "advertising");

    let shown = ok_json(&db, &["request", "show", &reference]);
    let kinds: Vec<&str> = shown["timeline"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"mail-received"), "the reply is on the timeline: {kinds:?}");
    assert!(kinds.contains(&"intake-linked"), "the linked mail is on the timeline: {kinds:?}");
    assert_eq!(kinds.iter().filter(|k| **k == "evidence-added").count(), 2, "both mails are evidence: {kinds:?}");
    let again = ok_json(&db, &["mailbox", "fetch"]);
    assert_eq!((again["new_items"].as_u64(), again["replies"].as_u64()), (Some(0), Some(0)), "{again}");
}

fn count_items(db: &Path) -> (i64, i64) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute_batch(&format!("PRAGMA key = '{}';", PASSPHRASE.replace('\'', "''"))).unwrap();
    conn.execute_batch(&rightsdesk_core::store::PageHmac::NEW.pragma(None)).unwrap();
    conn.busy_timeout(std::time::Duration::from_secs(5)).unwrap();
    conn.query_row("SELECT count(*), count(DISTINCT message_id) FROM intake_items", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap_or((0, 0))
}

#[test]
fn a_fetch_killed_midway_loses_and_doubles_nothing_when_run_again() {
    const N: usize = 300;
    let server = Dovecot::start(None);
    let (_dir, db) = setup(&server, "INBOX");
    let messages: Vec<(&str, Vec<u8>)> = (0..N)
        .map(|i| {
            (
                "15-Jan-2026 08:00:00 +0100",
                mail(&format!("P{i} <p{i}@example.org>"), &format!("Request {i}"), &format!("k{i}@x"), "access please"),
            )
        })
        .collect();
    server.append("INBOX", "none", &messages);
    // Migrate the register first, so the kill lands in the fetch.
    ok_json(&db, &["intake", "list"]);
    let mut child =
        cli(&db, &["mailbox", "fetch"]).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).spawn().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    loop {
        let (n, _) = count_items(&db);
        if n >= 20 {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the fetch filed nothing in time");
        assert!(child.try_wait().unwrap().is_none(), "the fetch ended before it could be killed");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL: no destructor, no rollback
    let status = child.wait().unwrap();
    assert!(!status.success(), "the fetch was killed");
    let (killed_at, _) = count_items(&db);
    assert!(killed_at > 0 && killed_at < N as i64, "killed midway: {killed_at} of {N} filed");

    let report = ok_json(&db, &["mailbox", "fetch"]);
    assert_eq!(report["new_items"].as_i64().unwrap() + killed_at, N as i64, "the rest, and only the rest: {report}");
    assert_eq!(count_items(&db), (N as i64, N as i64), "every message exactly once");
}

#[test]
fn a_folder_renumbered_by_the_server_is_not_filed_again() {
    let server = Dovecot::start(None);
    let (_dir, db) = setup(&server, "Privacy");
    let dates = ["10-Jan-2026 09:00:00 +0100", "10-Jan-2026 09:01:00 +0100", "10-Jan-2026 09:02:00 +0100"];
    let three: Vec<(&str, Vec<u8>)> = (0..3)
        .map(|i| (dates[i], mail("A <a@example.org>", &format!("Access {i}"), &format!("r{i}@example.org"), "copy of my data")))
        .collect();
    server.append("Privacy", "create", &three);
    assert_eq!(ok_json(&db, &["mailbox", "fetch"])["new_items"], 3);

    std::thread::sleep(std::time::Duration::from_millis(1100));
    let mut again = three.clone();
    again.push(("11-Jan-2026 09:00:00 +0100", mail("B <b@example.org>", "New one", "new@example.org", "erase me")));
    server.append("Privacy", "recreate", &again);
    let report = ok_json(&db, &["mailbox", "fetch"]);
    assert_eq!(report["uidvalidity_changed"], true, "{report}");
    assert_eq!((report["new_items"].as_u64(), report["already_filed"].as_u64()), (Some(1), Some(3)), "{report}");
    assert_eq!(intake(&db, "all").len(), 4, "no duplicates");
    assert_eq!(ok_json(&db, &["mailbox", "fetch"])["new_items"], 0);
}

#[test]
fn a_server_that_is_down_gives_a_clear_error_and_a_later_fetch_succeeds() {
    let server = Dovecot::start(None);
    let (_dir, db) = setup(&server, "INBOX");
    server.append("INBOX", "none", &[("20-Jan-2026 10:00:00 +0100", mail("A <a@example.org>", "Access", "d1@example.org", "access"))]);
    server.stop();
    let out = run(&db, &["mailbox", "fetch"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("127.0.0.1:{}", server.port)), "the error names the server: {err}");
    assert!(!err.contains(USER) && !err.contains(PASSWORD), "no account in the error: {err}");
    assert!(intake(&db, "all").is_empty());

    server.run();
    assert_eq!(ok_json(&db, &["mailbox", "fetch"])["new_items"], 1, "once the server is back, the message is filed");

    let wrong = cli(&db, &["mailbox", "fetch"]).env("RIGHTSDESK_IMAP_PASSWORD", "wrong").output().unwrap();
    let err = String::from_utf8_lossy(&wrong.stderr);
    assert!(!wrong.status.success() && err.contains("refused the login"), "{err}");
    assert!(!err.contains(USER) && !err.contains("wrong"), "no account or password in the error: {err}");
}

#[test]
fn tls_and_starttls_with_a_private_ca_given_as_ca_file() {
    let tls = Tls::generate();
    let server = Dovecot::start(Some(&tls));
    server.append(
        "INBOX",
        "none",
        &[("20-Jan-2026 10:00:00 +0100", mail("A <a@example.org>", "Auskunft", "t1@example.org", "Auskunft bitte"))],
    );
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, &tls.ca_pem).unwrap();
    let tls_port = server.tls_port.unwrap().to_string();

    let without_ca = dir.path().join("no-ca.sqlite3");
    ok_json(&without_ca, &["mailbox", "set", "--host", "localhost", "--port", &tls_port, "--security", "tls", "--username", USER]);
    let refused = run(&without_ca, &["mailbox", "test"]);
    assert!(!refused.status.success(), "a certificate from an unknown CA is refused");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("UnknownIssuer"), "{}", String::from_utf8_lossy(&refused.stderr));

    let db = dir.path().join("r.sqlite3");
    let ca_path = ca.to_str().unwrap();
    ok_json(
        &db,
        &["mailbox", "set", "--host", "localhost", "--port", &tls_port, "--security", "tls", "--username", USER, "--ca-file", ca_path],
    );
    let check = ok_json(&db, &["mailbox", "test"]);
    assert_eq!(check["messages"], 1, "{check}");
    assert!(check["capabilities"].as_array().unwrap().iter().any(|c| c == "IMAP4rev1"), "{check}");
    assert_eq!(ok_json(&db, &["mailbox", "fetch"])["new_items"], 1);

    let starttls = dir.path().join("starttls.sqlite3");
    let port = server.port.to_string();
    ok_json(
        &starttls,
        &["mailbox", "set", "--host", "localhost", "--port", &port, "--security", "starttls", "--username", USER, "--ca-file", ca_path],
    );
    assert_eq!(ok_json(&starttls, &["mailbox", "fetch"])["new_items"], 1);
}

#[test]
fn no_encryption_is_refused_for_a_server_that_is_not_this_machine() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    let out = run(&db, &["mailbox", "set", "--host", "imap.example.org", "--port", "143", "--security", "none", "--username", USER]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("security"), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn the_folder_is_only_read_unless_filed_messages_are_to_be_flagged() {
    let server = Dovecot::start(None);
    let (_dir, db) = setup(&server, "INBOX");
    let date = "20-Jan-2026 10:00:00 +0100";
    server.append("INBOX", "none", &[(date, mail("A <a@example.org>", "Access", "f1@example.org", "access"))]);
    assert_eq!(ok_json(&db, &["mailbox", "fetch"])["new_items"], 1);
    let flags = server.flags("INBOX");
    assert!(!flags.contains("\\Seen") && !flags.contains("\\Flagged"), "read with BODY.PEEK, nothing set: {flags}");

    ok_json(&db, &["mailbox", "set", "--on-filed", "flag"]);
    server.append("INBOX", "none", &[(date, mail("B <b@example.org>", "Erasure", "f2@example.org", "delete"))]);
    assert_eq!(ok_json(&db, &["mailbox", "fetch"])["new_items"], 1);
    let flags = server.flags("INBOX");
    let lines: Vec<&str> = flags.lines().filter(|l| l.contains("FLAGS")).collect();
    assert_eq!(lines.len(), 2, "{flags}");
    assert!(!lines[0].contains("\\Flagged"), "a message filed before is left as it was: {flags}");
    assert!(lines[1].contains("\\Flagged") && !lines[1].contains("\\Seen"), "the message filed now is flagged, still unread: {flags}");
}
