//! Faults while a large mail is read a range at a time, against a real Dovecot
//! (`tests/imap/harness.rs`). The other faults of issue 17 (fetch twice, a kill
//! between small mails, a changed UIDVALIDITY, a server that is down, the
//! 31 January acceptance) are in `mailbox.rs`.

mod common;
#[path = "../../../../tests/imap/harness.rs"]
mod imap;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::PASSPHRASE;
use imap::{Dovecot, PASSWORD, USER};
use serde_json::Value;

const NOW: &str = "2026-02-02T09:00:00Z";
const DATE: &str = "20-Jan-2026 10:00:00 +0100";

fn cli(db: &Path, args: &[&str]) -> Command {
    common::mailbox_command(db, NOW, PASSWORD, args)
}

fn ok_json(db: &Path, args: &[&str]) -> Value {
    common::json_of(cli(db, &[args, &["--json"]].concat()), args)
}

fn setup(server: &Dovecot) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    let port = server.port.to_string();
    ok_json(&db, &["mailbox", "set", "--host", "127.0.0.1", "--port", &port, "--security", "none", "--username", USER]);
    (dir, db)
}

fn mail(i: usize) -> Vec<u8> {
    format!("From: P{i} <p{i}@example.org>\r\nSubject: Request {i}\r\nMessage-ID: <f{i}@example.org>\r\n\r\nCopy of my data, please.\r\n")
        .into_bytes()
}

/// A mail of about `mib` MiB: a text and a base64 attachment.
fn big_mail(mib: usize) -> Vec<u8> {
    let mut raw = b"From: Big <big@example.org>\r\nSubject: Big request\r\nMessage-ID: <big@example.org>\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nMy passport scan is attached.\r\n--b\r\n\
Content-Type: image/png; name=\"scan.png\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        .to_vec();
    for i in 0..(mib << 20) / 78 {
        let c = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[i % 64];
        raw.extend_from_slice(&[c; 76]);
        raw.extend_from_slice(b"\r\n");
    }
    raw.extend_from_slice(b"--b--\r\n");
    raw
}

fn sha256_hex(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.eml");
    std::fs::write(&path, bytes).unwrap();
    let out = Command::new("sha256sum").arg(&path).output().unwrap();
    String::from_utf8_lossy(&out.stdout).split_whitespace().next().unwrap().to_string()
}

/// Temporary files in the evidence folder (a large mail being sealed as it arrives).
fn temp_files(dir: &Path) -> usize {
    std::fs::read_dir(dir.join("evidence"))
        .map(|d| d.flatten().filter(|e| e.file_name().to_string_lossy().starts_with(".rightsdesk-tmp-")).count())
        .unwrap_or(0)
}

fn filed(db: &Path) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute_batch(&format!("PRAGMA key = '{}';", PASSPHRASE.replace('\'', "''"))).unwrap();
    conn.execute_batch(&rightsdesk_core::store::PageHmac::NEW.pragma(None)).unwrap();
    conn.busy_timeout(Duration::from_secs(5)).unwrap();
    let Ok(mut stmt) = conn.prepare("SELECT message_id, sha256 FROM intake_items ORDER BY uid") else { return Vec::new() };
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().collect::<rusqlite::Result<Vec<_>>>().unwrap()
}

#[test]
fn a_fetch_killed_while_a_large_mail_streams_in_loses_and_doubles_nothing() {
    let server = Dovecot::start(None);
    let (dir, db) = setup(&server);
    let big = big_mail(24);
    let mut messages: Vec<(&str, Vec<u8>)> = (0..3).map(|i| (DATE, mail(i))).collect();
    messages.push((DATE, big.clone()));
    messages.extend((3..6).map(|i| (DATE, mail(i))));
    server.append("INBOX", "none", &messages);
    // Migrate the register first, so the kill lands in the fetch.
    ok_json(&db, &["intake", "list"]);

    let mut child =
        cli(&db, &["mailbox", "fetch"]).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    // The large mail is being sealed to disk range by range: kill the fetch then.
    while temp_files(dir.path()) == 0 {
        assert!(Instant::now() < deadline, "the large mail was never streamed to disk");
        assert!(child.try_wait().unwrap().is_none(), "the fetch ended before the large mail could be caught streaming");
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().unwrap(); // SIGKILL: no destructor, no rollback
    assert!(!child.wait().unwrap().success(), "the fetch was killed");
    let killed_at = filed(&db);
    assert_eq!(killed_at.len(), 3, "the three before the large mail were filed, nothing of it: {killed_at:?}");

    let report = ok_json(&db, &["mailbox", "fetch"]);
    assert_eq!(report["new_items"], 4, "the large one and the three after it, and only those: {report}");
    let all = filed(&db);
    let ids: Vec<&str> = all.iter().map(|(m, _)| m.as_str()).collect();
    assert_eq!(
        ids,
        ["f0@example.org", "f1@example.org", "f2@example.org", "big@example.org", "f3@example.org", "f4@example.org", "f5@example.org"],
        "every mail exactly once, in order"
    );
    assert_eq!(all[3].1, sha256_hex(&big), "the large mail is filed whole, byte for byte");
    assert_eq!(temp_files(dir.path()), 0, "the half-written temporary file of the killed fetch is gone");
    assert_eq!(ok_json(&db, &["mailbox", "fetch"])["new_items"], 0);
}

#[test]
fn a_large_mail_whose_server_goes_away_midway_is_not_filed_and_comes_whole_later() {
    let server = Dovecot::start(None);
    let (dir, db) = setup(&server);
    let big = big_mail(24);
    server.append("INBOX", "none", &[(DATE, big.clone())]);
    ok_json(&db, &["intake", "list"]);

    let child = cli(&db, &["mailbox", "fetch"]).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    while temp_files(dir.path()) == 0 {
        assert!(Instant::now() < deadline, "the large mail was never streamed to disk");
        std::thread::sleep(Duration::from_millis(2));
    }
    server.stop();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    if out.status.success() {
        // The last range was read before the server went: then it is filed whole.
        assert_eq!(filed(&db).len(), 1);
    } else {
        assert!(err.contains(&format!("127.0.0.1:{}", server.port)), "the error names the server: {err}");
        assert!(filed(&db).is_empty(), "nothing half-read is filed");
        assert_eq!(temp_files(dir.path()), 0, "the temporary file is removed when the fetch fails");
        server.run();
        assert_eq!(ok_json(&db, &["mailbox", "fetch"])["new_items"], 1, "once the server is back, the mail is filed");
    }
    let all = filed(&db);
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].1, sha256_hex(&big));
}
