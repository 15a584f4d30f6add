//! Letters, the outbox and reminders on a team register (issue 18):
//! `rightsdesk --db postgresql://… smtp | letter | outbox | reminders` against a real
//! PostgreSQL 15 (`tests/pg/harness.rs`, TLS with `verify-full`) and a real SMTP
//! server (Debian's aiosmtpd, `tests/smtp/harness.rs`). The team's admin sets the mail
//! server, an officer drafts, queues and sends; an auditor reads the outbox and is
//! refused a letter by the server. What the server received is compared byte for byte
//! with the letter the outbox keeps (`outbox show --raw`); the core test
//! `letters_stores` reads such a message back with a MIME parser.

#[path = "../../../../tests/pg/harness.rs"]
mod pg;
#[path = "common/team.rs"]
mod team_cli;

#[path = "../../../../tests/smtp/harness.rs"]
mod smtp;

use std::process::Output;

use chrono::{Duration, Utc};
use pg::Pg;
use smtp::{Options, SmtpServer};
use team_cli::{json, team};

/// `rightsdesk ARGS --db <url>` with `password` from RIGHTSDESK_DB_PASSWORD and no other
/// source of one (nor of an SMTP password), in an empty home (no OS keyring), on UTC.
fn rightsdesk(url: &str, password: &str, args: &[&str]) -> Output {
    let (mut c, home) = team_cli::command(url, password, args);
    c.env_remove("RIGHTSDESK_SMTP_PASSWORD")
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("TZ", "UTC")
        .output()
        .expect("run rightsdesk")
}

#[test]
fn an_officer_drafts_queues_and_sends_letters_on_a_team_register_and_an_auditor_is_refused() {
    let pg = Pg::start();
    let dir = tempfile::tempdir().unwrap();
    let server = SmtpServer::start(&dir.path().join("inbox"), Options { mode: "plain", ..Default::default() });
    let pw = team(&pg.admin_url(), pg.admin_password(), &[("ada", "admin"), ("olga", "officer"), ("carl", "auditor")]);
    let ada = |args: &[&str]| rightsdesk(&pg.url("ada"), &pw["ada"], args);
    let olga = |args: &[&str]| rightsdesk(&pg.url("olga"), &pw["olga"], args);
    let carl = |args: &[&str]| rightsdesk(&pg.url("carl"), &pw["carl"], args);

    // The team's mail server, set by its admin; an officer may not change it (the server refuses).
    let port = server.port.to_string();
    #[rustfmt::skip]
    let set = ["smtp", "set", "--host", "127.0.0.1", "--port", &port, "--security", "none",
        "--from", "privacy@crm-factory.example", "--from-name", "CRM Factory", "--officer", "records@crm-factory.example",
        "--org-name", "CRM Factory GmbH", "--dpo-contact", "dpo@crm-factory.example", "--json"];
    json(ada(&set));
    let refused = olga(&["smtp", "set", "--host", "smtp.example.org", "--security", "starttls"]);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("olga is in the officer role"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    assert_eq!(json(olga(&["smtp", "show", "--json"]))["host"], "127.0.0.1", "the officer reads the team's settings");

    let received = (Utc::now() - Duration::days(2)).date_naive().to_string();
    #[rustfmt::skip]
    let r = json(olga(&["request", "add", "--type", "access", "--regime", "eu-gdpr", "--jurisdiction", "FR",
        "--received", &received, "--name", "Amélie Durand", "--email", "amelie@example.org", "--json"]));
    let reference = r["reference"].as_str().unwrap().to_string();

    // Draft (preview), queue, list, send.
    let letter = ["letter", &reference, "--template", "identity-request", "--details", "a copy of your customer card"];
    let preview = json(olga(&[&letter[..], &["--preview", "--json"]].concat()));
    assert!(preview["text"].as_str().unwrap().contains("a copy of your customer card"), "{preview}");
    let queued = json(olga(&[&letter[..], &["--json"]].concat()));
    assert_eq!(queued["state"], "queued");
    let id = queued["id"].as_str().unwrap().to_string();
    let listed = json(olga(&["outbox", "list", "--request", &reference, "--json"]));
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["id"], id.as_str());
    assert!(server.received().is_empty(), "queued, not sent");
    let report = json(olga(&["outbox", "send", "--json"]));
    assert_eq!((report["sent"].as_u64(), report["failed"].as_u64()), (Some(1), Some(0)), "{report}");

    let got = server.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].rcpt_tos, vec!["amelie@example.org", "records@crm-factory.example"]);
    let raw = olga(&["outbox", "show", &id, "--raw"]);
    assert!(raw.status.success());
    assert_eq!(String::from_utf8_lossy(&got[0].bytes).trim_end(), String::from_utf8_lossy(&raw.stdout).trim_end());
    let shown = json(olga(&["outbox", "show", &id, "--json"]));
    assert_eq!(shown["state"], "sent");
    assert_eq!((shown["subject"].as_str(), shown["body_text"].as_str()), (preview["subject"].as_str(), preview["text"].as_str()));
    assert!(String::from_utf8_lossy(&raw.stdout).contains(shown["message_id"].as_str().unwrap()));

    // The timeline: queued, sent and the identity request's clock event, under olga's login.
    let detail = json(olga(&["request", "show", &reference, "--json"]));
    let events: Vec<(&str, &str)> =
        detail["timeline"].as_array().unwrap().iter().map(|e| (e["kind"].as_str().unwrap(), e["actor"].as_str().unwrap())).collect();
    for kind in ["letter-queued", "letter-sent", "clock"] {
        assert!(events.contains(&(kind, "olga")), "{kind}: {events:?}");
    }

    // Queue and send at once.
    let sent = json(olga(&["letter", &reference, "--template", "acknowledgement", "--send", "--json"]));
    assert_eq!(sent["letter"]["state"], "sent", "{sent}");
    assert_eq!(server.received().len(), 2);

    // `request show` lists the request's letters, oldest first, as the outbox has them.
    let shown = json(olga(&["request", "show", &reference, "--json"]));
    let letters: Vec<(&str, &str, &str)> = shown["letters"]
        .as_array()
        .unwrap_or_else(|| panic!("no letters in {shown}"))
        .iter()
        .map(|l| (l["id"].as_str().unwrap(), l["template"].as_str().unwrap(), l["state"].as_str().unwrap()))
        .collect();
    assert_eq!(letters, [(id.as_str(), "identity-request", "sent"), (sent["letter"]["id"].as_str().unwrap(), "acknowledgement", "sent")]);
    assert_eq!(shown["request"]["reference"], reference.as_str(), "the request itself is still shown: {shown}");
    let text = rightsdesk(&pg.url("carl"), &pw["carl"], &["request", "show", &reference]);
    assert!(text.status.success(), "{}", String::from_utf8_lossy(&text.stderr));
    let text = String::from_utf8(text.stdout).unwrap();
    let after = &text[text.find("  letters:").unwrap_or_else(|| panic!("no letters in:\n{text}"))..];
    let (first, second) =
        (after.find(&id).expect("the identity request listed"), after.find("acknowledgement").expect("the acknowledgement listed"));
    assert!(first < second && after.contains("identity-request"), "oldest first:\n{text}");
    assert!(!text.contains("not shown"), "{text}");

    // Reminders: read by the officer (none due yet on a request received two days ago).
    let due = json(olga(&["reminders", "--json"]));
    assert!(due.as_array().unwrap().is_empty(), "{due}");

    // The auditor reads the outbox, but the server refuses the auditor's letter: nothing written.
    assert_eq!(json(carl(&["outbox", "list", "--json"])).as_array().unwrap().len(), 2);
    let refused = carl(&["letter", &reference, "--template", "acknowledgement"]);
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("carl is in the auditor role") && said.contains("nothing was written"), "{said}");
    assert_eq!(json(olga(&["outbox", "list", "--json"])).as_array().unwrap().len(), 2);
    // Sending the outbox is a change too: refused for the auditor.
    let refused = carl(&["outbox", "send"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("carl is in the auditor role"));
    assert_eq!(server.received().len(), 2);
}
