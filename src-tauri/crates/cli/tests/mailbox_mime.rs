//! The MIME variety of real request mails, through `mailbox fetch` and the intake,
//! against a real Dovecot (`tests/imap/harness.rs`): multipart/alternative,
//! attachments with RFC 2047 and RFC 2231 names, ISO-8859-1 and windows-1252
//! bodies, a forwarded request (message/rfc822 inside), a large message read a
//! range at a time, and malformed messages filed with a warning, never a crash.

mod common;
#[path = "../../../../tests/imap/harness.rs"]
mod imap;

use std::path::{Path, PathBuf};
use std::process::Command;

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
    let args = ["mailbox", "set", "--host", "127.0.0.1", "--port", &port, "--security", "none", "--username", USER, "--regime", "eu-gdpr"];
    ok_json(&db, &args);
    (dir, db)
}

fn items(db: &Path) -> Vec<Value> {
    ok_json(db, &["intake", "list", "--state", "all"]).as_array().unwrap().clone()
}

fn by_subject<'a>(items: &'a [Value], subject: &str) -> &'a Value {
    items.iter().find(|i| i["subject"] == subject).unwrap_or_else(|| panic!("no item {subject:?} in {items:#?}"))
}

fn sha256_hex(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.eml");
    std::fs::write(&path, bytes).unwrap();
    let out = Command::new("sha256sum").arg(&path).output().unwrap();
    String::from_utf8_lossy(&out.stdout).split_whitespace().next().unwrap().to_string()
}

#[test]
fn windows_1252_and_iso_8859_1_bodies_and_encoded_names_are_shown_as_written() {
    let server = Dovecot::start(None);
    let (_dir, db) = setup(&server);
    // 0x80 is the euro sign and 0x92 the right single quote in windows-1252 (undefined in ISO-8859-1).
    let cp1252 = b"From: =?windows-1252?Q?Ren=E9e_O=92Brien?= <renee@example.ie>\r\nSubject: =?windows-1252?Q?Access_request_=96_my_data?=\r\n\
Message-ID: <cp@example.ie>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=windows-1252\r\nContent-Transfer-Encoding: 8bit\r\n\r\n\
I\x92d like a copy of my data. I paid \x8020 for the subscription.\r\n"
        .to_vec();
    let latin1_qp = b"From: =?iso-8859-1?B?Q+lsaW5lIER1cHLp?= <celine@example.fr>\r\nSubject: =?ISO-8859-1?Q?Demande_d'acc=E8s?=\r\n\
Message-ID: <l1@example.fr>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n\
Je demande l'acc=E8s =E0 mes donn=E9es, s'il vous pla=EEt. Prix: 5=A0=A3.\r\n"
        .to_vec();
    let names = b"From: J\xc3\xbcrgen <j@example.de>\r\nSubject: Unterlagen\r\nMessage-ID: <names@example.de>\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"n\"\r\n\r\n--n\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nAnbei.\r\n\
--n\r\nContent-Type: application/pdf; name=\"=?UTF-8?B?UGVyc29uYWxhdXN3ZWlzIErDvHJnZW4ucGRm?=\"\r\nContent-Disposition: attachment;\r\n\
 filename=\"=?UTF-8?B?UGVyc29uYWxhdXN3ZWlzIErDvHJnZW4ucGRm?=\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjcK\r\n\
--n\r\nContent-Type: text/csv\r\nContent-Disposition: attachment; filename*=utf-8''Kund%C3%BCnnummern%202026.csv\r\n\r\na;b\r\n\
--n\r\nContent-Type: image/jpeg; name=\"=?ISO-8859-1?Q?F=FChrerschein.jpg?=\"\r\nContent-Transfer-Encoding: base64\r\n\r\n/9j/4AAQ\r\n--n--\r\n"
        .to_vec();
    server.append("INBOX", "none", &[(DATE, cp1252.clone()), (DATE, latin1_qp), (DATE, names)]);

    let report = ok_json(&db, &["mailbox", "fetch"]);
    assert_eq!((report["new_items"].as_u64(), report["warnings"].as_u64()), (Some(3), Some(0)), "{report}");
    let all = items(&db);

    let cp = by_subject(&all, "Access request – my data");
    assert_eq!(cp["from_name"], "Renée O’Brien");
    let preview = cp["preview"].as_str().unwrap();
    assert!(preview.contains("I’d like a copy of my data. I paid €20"), "windows-1252 read as such: {preview}");
    assert_eq!(cp["suggestion"]["request_type"], "access");
    assert_eq!(cp["sha256"], sha256_hex(&cp1252), "the exact bytes are kept, not the decoded text");

    let fr = by_subject(&all, "Demande d'accès");
    assert_eq!(fr["from_name"], "Céline Dupré");
    assert!(fr["preview"].as_str().unwrap().contains("Je demande l'accès à mes données, s'il vous plaît. Prix: 5\u{a0}£."), "{fr}");
    assert_eq!(fr["suggestion"]["request_type"], "access");

    let n = by_subject(&all, "Unterlagen");
    let listed: Vec<(&str, &str, u64)> = n["attachments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["name"].as_str().unwrap(), a["type"].as_str().unwrap(), a["size"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        listed,
        [
            ("Personalausweis Jürgen.pdf", "application/pdf", 9),
            ("Kundünnummern 2026.csv", "text/csv", 3),
            ("Führerschein.jpg", "image/jpeg", 6)
        ]
    );
}

#[test]
fn a_forwarded_request_offers_the_inner_sender_as_the_subject() {
    let server = Dovecot::start(None);
    let (_dir, db) = setup(&server);
    let forward = b"From: Front Desk <desk@ourcompany.example>\r\nTo: privacy@example.com\r\nSubject: WG: Anfrage\r\n\
Message-ID: <fwd@ourcompany.example>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"f\"\r\n\r\n\
--f\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nKam per Kontaktformular, bitte \xc3\xbcbernehmen.\r\n\
--f\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment; filename=\"Anfrage.eml\"\r\n\r\n\
From: Jana Novak <jana.novak@example.net>\r\nTo: info@ourcompany.example\r\nSubject: Meine Daten\r\nMessage-ID: <inner@example.net>\r\n\
MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBitte l\xc3\xb6schen Sie alle meine Daten.\r\n--f--\r\n"
        .to_vec();
    server.append("INBOX", "none", &[(DATE, forward)]);
    assert_eq!(ok_json(&db, &["mailbox", "fetch"])["new_items"], 1);
    let all = items(&db);
    let item = by_subject(&all, "WG: Anfrage");
    assert_eq!((item["from_name"].as_str(), item["from_address"].as_str()), (Some("Jana Novak"), Some("jana.novak@example.net")));
    let preview = item["preview"].as_str().unwrap();
    assert!(preview.starts_with("Forwarded by desk@ourcompany.example"), "who forwarded it is said: {preview}");
    assert!(preview.contains("Bitte löschen Sie alle meine Daten."), "{preview}");
    assert_eq!(item["suggestion"]["request_type"], "erasure", "the inner message's words: {item}");
    assert_eq!(item["attachments"][0]["name"], "Anfrage.eml");
    assert_eq!(item["attachments"][0]["type"], "message/rfc822");

    let request = ok_json(&db, &["intake", "accept", item["id"].as_str().unwrap()]);
    assert_eq!(request["subject"]["email"], "jana.novak@example.net", "{request}");
    assert_eq!(request["subject"]["name"], "Jana Novak");
    assert_eq!(request["type"], "erasure");
}

#[test]
fn malformed_messages_are_filed_with_a_warning_and_the_rest_still_are() {
    let server = Dovecot::start(None);
    let (_dir, db) = setup(&server);
    let junk = b"\x00\x01\x02 garbage that is not a mail at all \xff\xfe\r\n".to_vec();
    let no_sender = b"Subject: Auskunft\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nAuskunft bitte.\r\n".to_vec();
    let broken_mime = b"From: Broken <broken@example.org>\r\nSubject: Broken parts\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"never-closed\"\r\n\r\n--never-closed\r\nContent-Type: text/plain; charset=no-such-charset\r\n\
Content-Transfer-Encoding: base64\r\n\r\n!!! not base64 at all \xc3\x28 \r\n--never-closed\r\nContent-Type: application/pdf; name=\"=?X?Q?broken?=\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\r\n=ZZ=\r\n"
        .to_vec();
    let header_only = b"From: Headers Only <h@example.org>\r\nSubject: Nothing below".to_vec();
    let fine =
        b"From: Ada <ada@example.org>\r\nSubject: Copy of my data\r\nMessage-ID: <fine@example.org>\r\n\r\nAccess please.\r\n".to_vec();
    server.append("INBOX", "none", &[(DATE, junk), (DATE, no_sender), (DATE, broken_mime), (DATE, header_only), (DATE, fine)]);

    let report = ok_json(&db, &["mailbox", "fetch"]);
    assert_eq!(report["new_items"], 5, "every message is an item: {report}");
    assert_eq!(report["warnings"], 2, "the two without a sender are filed with a warning: {report}");
    let all = items(&db);
    assert_eq!(all.iter().filter(|i| i["warning"].is_string()).count(), 2, "{all:#?}");
    let broken = by_subject(&all, "Broken parts");
    assert_eq!(broken["from_address"], "broken@example.org");
    assert_eq!(by_subject(&all, "Nothing below")["from_address"], "h@example.org");
    assert_eq!(by_subject(&all, "Copy of my data")["suggestion"]["request_type"], "access");
    assert_eq!(ok_json(&db, &["mailbox", "fetch"])["new_items"], 0, "nothing is filed twice");
}

/// Over the size read in one piece (1 MiB), a mail is read a range at a time and scanned as it
/// passes: the attachments are still listed by name and size, and the .eml is exact.
#[test]
fn a_large_mail_read_a_range_at_a_time_lists_its_attachments_and_keeps_its_exact_bytes() {
    let server = Dovecot::start(None);
    let (_dir, db) = setup(&server);
    let mut raw = b"From: =?UTF-8?Q?Jos=C3=A9_P=C3=A9rez?= <jose@example.es>\r\nSubject: Solicitud de acceso\r\nMessage-ID: <big@example.es>\r\n\
MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"big\"\r\n\r\n--big\r\nContent-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n\
--alt\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nQuiero ejercer mi derecho de acceso a mis datos.\r\n--alt\r\nContent-Type: text/html\r\n\r\n<p>Quiero</p>\r\n--alt--\r\n\
--big\r\nContent-Type: application/pdf; name=\"=?UTF-8?Q?DNI_Jos=C3=A9.pdf?=\"\r\nContent-Disposition: attachment\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        .to_vec();
    // 2.5 MiB of base64 ("AAAA" decodes to three zero bytes), in 76-character lines.
    let lines = (2_621_440 / 57) + 1;
    for _ in 0..lines {
        raw.extend_from_slice(&[b'A'; 76]);
        raw.extend_from_slice(b"\r\n");
    }
    raw.extend_from_slice(b"--big\r\nContent-Type: text/plain; name=\"notes.txt\"\r\n\r\nline one\r\nline two\r\n--big--\r\n");
    assert!(raw.len() > 3 << 20);
    server.append("INBOX", "none", &[(DATE, raw.clone())]);

    assert_eq!(ok_json(&db, &["mailbox", "fetch"])["new_items"], 1);
    let all = items(&db);
    let item = by_subject(&all, "Solicitud de acceso");
    assert_eq!(item["sha256"], sha256_hex(&raw), "the exact bytes, sealed range by range");
    assert_eq!(item["size"].as_u64(), Some(raw.len() as u64));
    assert_eq!(item["from_name"], "José Pérez");
    assert!(item["preview"].as_str().unwrap().contains("Quiero ejercer mi derecho de acceso a mis datos."), "{item}");
    assert_eq!(item["suggestion"]["request_type"], "access");
    let listed: Vec<(&str, u64)> =
        item["attachments"].as_array().unwrap().iter().map(|a| (a["name"].as_str().unwrap(), a["size"].as_u64().unwrap())).collect();
    assert_eq!(listed, [("DNI José.pdf", lines as u64 * 57), ("notes.txt", 18)]);

    let request = ok_json(&db, &["intake", "accept", item["id"].as_str().unwrap()]);
    let shown = ok_json(&db, &["request", "show", request["reference"].as_str().unwrap()]);
    let added = shown["timeline"].as_array().unwrap().iter().find(|e| e["kind"] == "evidence-added").expect("the .eml is evidence");
    let data: Value = serde_json::from_str(added["data"].as_str().unwrap()).unwrap();
    assert_eq!(data["sha256"], sha256_hex(&raw), "the request's .eml is the message");
}
