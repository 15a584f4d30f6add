//! The privacy mailbox on a team register (issue 18):
//! `rightsdesk --db postgresql://… mailbox | intake | mail` against a real PostgreSQL 15
//! (`tests/pg/harness.rs`, TLS with `verify-full`) and a real Dovecot
//! (`tests/imap/harness.rs`). The team's admin sets the mailbox; an officer may not. Two
//! officers' workstations fetch the same mailbox and each message is filed once; an
//! officer accepts, dismisses and links, and saves a mail's attachment; the timeline
//! names the officer's login. An auditor reads the intake and is refused a decision by
//! the server.

#[path = "../../../../tests/pg/harness.rs"]
mod pg;
#[path = "common/team.rs"]
mod team_cli;

#[path = "../../../../tests/imap/harness.rs"]
mod imap;

use std::process::Output;

use imap::Dovecot;
use pg::Pg;
use team_cli::{json, ok, refused, team};

/// `rightsdesk ARGS --db <url>` with `password` from RIGHTSDESK_DB_PASSWORD, the IMAP
/// password from RIGHTSDESK_IMAP_PASSWORD (an empty home has no OS keyring), on UTC.
fn rightsdesk(url: &str, password: &str, args: &[&str]) -> Output {
    let (mut c, home) = team_cli::command(url, password, args);
    c.env("RIGHTSDESK_IMAP_PASSWORD", imap::PASSWORD)
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("TZ", "UTC")
        .output()
        .expect("run rightsdesk")
}

fn mail(from: &str, subject: &str, message_id: &str, body: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: privacy@example.com\r\nSubject: {subject}\r\nMessage-ID: <{message_id}>\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

fn with_pdf(from: &str, subject: &str, message_id: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: privacy@example.com\r\nSubject: {subject}\r\nMessage-ID: <{message_id}>\r\n\
MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
My customer card is attached.\r\n--b\r\nContent-Type: application/pdf; name=\"card.pdf\"\r\n\
Content-Disposition: attachment; filename=\"card.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n\
JVBERi0xLjcKJSBub3QgYSByZWFsIHBkZgo=\r\n--b--\r\n"
    )
    .into_bytes()
}

#[test]
fn officers_fetch_and_decide_the_team_mailbox_once_and_an_auditor_is_refused() {
    let pg = Pg::start();
    let dovecot = Dovecot::start(None);
    let pw = team(&pg.admin_url(), pg.admin_password(), &[("ada", "admin"), ("olga", "officer"), ("ben", "officer"), ("carl", "auditor")]);
    let ada = |args: &[&str]| rightsdesk(&pg.url("ada"), &pw["ada"], args);
    let olga = |args: &[&str]| rightsdesk(&pg.url("olga"), &pw["olga"], args);
    let ben = |args: &[&str]| rightsdesk(&pg.url("ben"), &pw["ben"], args);
    let carl = |args: &[&str]| rightsdesk(&pg.url("carl"), &pw["carl"], args);

    // The team's mailbox, set by its admin; an officer may read it but not change it (the server refuses).
    let port = dovecot.port.to_string();
    #[rustfmt::skip]
    let set = ["mailbox", "set", "--host", "127.0.0.1", "--port", &port, "--security", "none",
        "--username", imap::USER, "--regime", "eu-gdpr", "--jurisdiction", "DE", "--json"];
    assert_eq!(json(ada(&set))["port"], dovecot.port);
    let e = refused(olga(&["mailbox", "set", "--folder", "Privacy"]));
    assert!(e.contains("olga is in the officer role") && e.contains("nothing was written"), "{e}");
    // The password alone goes to the officer's own keyring and leaves the team's settings
    // alone (this test's home has no keyring: said so, not refused by the server).
    let (mut c, _home) = team_cli::command(&pg.url("olga"), &pw["olga"], &["mailbox", "set", "--password-stdin"]);
    let mut child =
        c.stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), b"secret\n").unwrap();
    let e = refused(child.wait_with_output().unwrap());
    assert!(e.contains("no OS keyring is reachable") && !e.contains("officer role"), "{e}");
    let shown = json(olga(&["mailbox", "show", "--json"]));
    assert_eq!((shown["host"].as_str(), shown["folder"].as_str()), (Some("127.0.0.1"), Some("INBOX")));
    assert!(!serde_json::to_string(&shown).unwrap().contains(imap::PASSWORD), "the password is never in the settings");

    dovecot.append(
        "INBOX",
        "none",
        &[
            ("02-Jun-2026 09:00:00 +0200", mail("Zoë Müller <zoe@example.org>", "Auskunft nach Art. 15", "req-1@example.org", "Bitte.")),
            ("02-Jun-2026 10:00:00 +0200", mail("shop@example.net", "Summer sale", "spam-1@example.net", "Buy now.")),
            ("02-Jun-2026 11:00:00 +0200", with_pdf("zoe@example.org", "my card", "card-1@example.org")),
        ],
    );
    assert_eq!(json(olga(&["mailbox", "test", "--json"]))["messages"], 3);

    // Two officers' workstations fetch at once: each message is filed once.
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| json(olga(&["mailbox", "fetch", "--json"])));
        let b = s.spawn(|| json(ben(&["mailbox", "fetch", "--json"])));
        (a.join().unwrap(), b.join().unwrap())
    });
    assert_eq!(a["new_items"].as_u64().unwrap() + b["new_items"].as_u64().unwrap(), 3, "{a} {b}");
    assert_eq!(json(ben(&["mailbox", "fetch", "--json"]))["new_items"], 0, "nothing filed twice");

    let items = json(carl(&["intake", "list", "--json"]));
    let items = items.as_array().unwrap();
    let subjects: Vec<&str> = items.iter().map(|i| i["subject"].as_str().unwrap()).collect();
    assert_eq!(subjects, vec!["Auskunft nach Art. 15", "Summer sale", "my card"], "the auditor reads the intake");
    let id = |i: usize| items[i]["id"].as_str().unwrap().to_string();

    // One item, and its exact message written out (the bytes kept in the database, checked).
    let shown = json(carl(&["intake", "show", &id(2), "--json"]));
    assert_eq!(shown["attachments"][0]["name"], "card.pdf");
    assert_eq!(shown["suggestion"]["regime"], "eu-gdpr");
    let text = ok(olga(&["intake", "show", &id(0)]));
    assert!(text.contains("Auskunft nach Art. 15") && text.contains("state: new") && text.contains("Bitte."), "{text}");
    let eml_dir = tempfile::tempdir().unwrap();
    let eml = eml_dir.path().join("card.eml");
    ok(carl(&["intake", "show", &id(2), "--eml", eml.to_str().unwrap()]));
    assert_eq!(std::fs::read(&eml).unwrap(), with_pdf("zoe@example.org", "my card", "card-1@example.org"));
    let e = refused(carl(&["intake", "show", &id(2), "--eml", eml.to_str().unwrap()]));
    assert!(e.contains("exists"), "never written over without --force: {e}");

    // The auditor may decide nothing: the server refuses, nothing is written.
    let e = refused(carl(&["intake", "dismiss", &id(1), "--reason", "advertising"]));
    assert!(e.contains("carl is in the auditor role") && e.contains("nothing was written"), "{e}");
    assert_eq!(json(olga(&["intake", "list", "--json"])).as_array().unwrap().len(), 3);

    // The officer accepts the request mail, dismisses the sale and links the card to the new request.
    let request = json(olga(&["intake", "accept", &id(0), "--type", "access", "--json"]));
    let reference = request["reference"].as_str().unwrap().to_string();
    assert_eq!(request["received_at"], "2026-06-02T07:00:00Z", "received at the server's arrival time");
    ok(olga(&["intake", "dismiss", &id(1), "--reason", "advertising"]));
    let linked = json(olga(&["intake", "link", &id(2), &reference, "--json"]));
    assert_eq!(linked["state"], "linked");
    assert_eq!(json(olga(&["intake", "list", "--json"])).as_array().unwrap().len(), 0, "nothing left to decide");
    let all = json(olga(&["intake", "list", "--state", "all", "--json"]));
    let states: Vec<&str> = all.as_array().unwrap().iter().map(|i| i["state"].as_str().unwrap()).collect();
    assert_eq!(states, vec!["accepted", "dismissed", "linked"]);

    // The timeline names the officer's login for each step.
    let shown = json(olga(&["request", "show", &reference, "--json"]));
    let timeline: Vec<(&str, &str)> =
        shown["timeline"].as_array().unwrap().iter().map(|e| (e["kind"].as_str().unwrap(), e["actor"].as_str().unwrap())).collect();
    for kind in ["registered", "evidence-added", "intake-linked"] {
        assert!(timeline.contains(&(kind, "olga")), "{kind} under olga: {timeline:?}");
    }
    // `request show` lists the mails received on it, as on a register file.
    let received: Vec<&str> = shown["received_mails"].as_array().unwrap().iter().map(|m| m["kind"].as_str().unwrap()).collect();
    assert_eq!(received, vec!["request", "linked"], "{shown}");

    // The request's mails, and the card saved out of the linked one.
    let c = json(carl(&["mail", "list", &reference, "--json"]));
    let kinds: Vec<&str> = c["mails"].as_array().unwrap().iter().map(|m| m["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, vec!["request", "linked"]);
    let out_dir = tempfile::tempdir().unwrap();
    let card = out_dir.path().join("card.pdf");
    ok(olga(&["mail", "save", &id(2), "--attachment", "1", "--out", card.to_str().unwrap()]));
    assert!(std::fs::read(&card).unwrap().starts_with(b"%PDF-1.7"), "the attachment's bytes");
}

/// A fetch killed midway (SIGKILL, between or inside the filing transactions) leaves the team
/// register whole: the next fetch files the rest, each message once, and every kept message
/// reads back byte for byte (no item without its stored bytes).
#[test]
fn a_fetch_killed_midway_on_a_team_register_loses_nothing_and_files_nothing_twice() {
    const N: usize = 300;
    let pg = Pg::start();
    let dovecot = Dovecot::start(None);
    let pw = team(&pg.admin_url(), pg.admin_password(), &[("ada", "admin"), ("olga", "officer")]);
    let ada = |args: &[&str]| rightsdesk(&pg.url("ada"), &pw["ada"], args);
    let olga = |args: &[&str]| rightsdesk(&pg.url("olga"), &pw["olga"], args);
    let port = dovecot.port.to_string();
    ok(ada(&["mailbox", "set", "--host", "127.0.0.1", "--port", &port, "--security", "none", "--username", imap::USER]));
    let mails: Vec<Vec<u8>> =
        (0..N).map(|i| mail(&format!("p{i}@example.org"), &format!("Auskunft {i}"), &format!("k{i}@example.org"), "Bitte.")).collect();
    let listed: Vec<(&str, Vec<u8>)> = mails.iter().map(|m| ("02-Jun-2026 09:00:00 +0200", m.clone())).collect();
    dovecot.append("INBOX", "none", &listed);

    let (mut c, _home) = team_cli::command(&pg.url("olga"), &pw["olga"], &["mailbox", "fetch"]);
    let mut child = c.env("RIGHTSDESK_IMAP_PASSWORD", imap::PASSWORD).spawn().expect("run rightsdesk");
    let count = || json(olga(&["intake", "list", "--state", "all", "--json"])).as_array().unwrap().len();
    let started = std::time::Instant::now();
    while count() == 0 {
        assert!(started.elapsed() < std::time::Duration::from_secs(60), "the fetch filed nothing");
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let filed = count();
    assert!(filed > 0 && filed < N, "killed midway: {filed} of {N} filed");

    let report = json(olga(&["mailbox", "fetch", "--json"]));
    assert_eq!(report["new_items"].as_u64().unwrap() as usize, N - filed, "{report}");
    let items = json(olga(&["intake", "list", "--state", "all", "--json"]));
    let items = items.as_array().unwrap();
    assert_eq!(items.len(), N, "each message filed once");
    let dir = tempfile::tempdir().unwrap();
    // The first and last filed before the kill, the first after it, the last: fewer when they
    // coincide (a kill right after the first message, or just before the last).
    let mut picks = vec![0, filed - 1, filed, N - 1];
    picks.dedup();
    for i in picks {
        let item = &items[i];
        let n: usize = item["subject"].as_str().unwrap().trim_start_matches("Auskunft ").parse().unwrap();
        let eml = dir.path().join(format!("{i}.eml"));
        ok(olga(&["intake", "show", item["id"].as_str().unwrap(), "--eml", eml.to_str().unwrap()]));
        assert_eq!(std::fs::read(&eml).unwrap(), mails[n], "item {i} reads back");
    }
}
