//! A request's conversation (issue 17, items 4 and 7) on a real register file,
//! with letters sent through a real SMTP server (`tests/smtp/harness.rs`) and
//! replies read from a real Dovecot (`tests/imap/harness.rs`): mails out and in
//! in time order, their plain text and attachments, HTML never rendered, and the
//! one-click "identity received" dated by the reply's arrival in Berlin.

mod common;
#[path = "../../../../tests/smtp/harness.rs"]
mod harness;
#[path = "../../../../tests/imap/harness.rs"]
mod imap;

use chrono::NaiveDate;
use harness::{Options, SmtpServer};
use imap::Dovecot;
use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::domain::{EventKind, NewRequest, RequestType};
use rightsdesk_core::letters::{send_now, LetterInput, LetterState, Passwords};
use rightsdesk_core::mailbox::conversation::{self, Direction, ReceivedAs};
use rightsdesk_core::mailbox::{fetch, settings as mailbox_settings};
use rightsdesk_core::requests;
use rightsdesk_core::secrets::MemorySecrets;
use rightsdesk_core::settings::mail::{self as mail_settings, MailSettings, Security};
use rightsdesk_core::store::Db;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// A register kept in Berlin with its SMTP server and its mailbox, and Ada's access request under the
/// UK GDPR (the period runs from receipt of requested identity evidence; a clarification stops it)
/// received 1 June 2026.
fn setup(dir: &std::path::Path, smtp_port: u16, imap: &Dovecot) -> (Db, String, MemorySecrets) {
    std::fs::create_dir_all(dir).unwrap();
    let db = common::register_in(dir);
    rightsdesk_core::settings::set_org_time_zone(&db, "Europe/Berlin").unwrap();
    mail_settings::save(
        &db,
        MailSettings {
            host: "127.0.0.1".into(),
            port: smtp_port,
            security: Security::None,
            from_address: "privacy@example.com".into(),
            from_name: "Example privacy team".into(),
            org_name: "Example GmbH".into(),
            dpo_contact: "privacy@example.com".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let s = mailbox_settings::save(
        &db,
        mailbox_settings::MailboxSettings {
            host: "127.0.0.1".into(),
            port: imap.port,
            security: mailbox_settings::Security::None,
            username: Some(imap::USER.into()),
            regime: "eu-gdpr".into(),
            jurisdiction: "DE".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let keyring = MemorySecrets::default();
    mailbox_settings::store_password(&s, imap::PASSWORD, &keyring).unwrap();
    let clock = FixedClock::at("2026-06-01");
    let input = NewRequest {
        request_type: RequestType::Access,
        regime: "uk-gdpr".into(),
        jurisdiction: "GB-ENG".into(),
        subject_name: "Ada Example".into(),
        subject_email: "ada@example.org".into(),
        received: "2026-06-01".into(),
        time_zone: "Europe/Berlin".into(),
        ..Default::default()
    };
    let request = requests::register(&db, &clock, &input, "tester").unwrap();
    (db, request.id, keyring)
}

fn reply_with_pdf(in_reply_to: &str) -> Vec<u8> {
    format!(
        "From: Ada Example <ada@example.org>\r\nTo: privacy@example.com\r\nSubject: Re: your request\r\n\
Message-ID: <reply-1@example.org>\r\nIn-Reply-To: <{in_reply_to}>\r\nReferences: <{in_reply_to}>\r\n\
MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
Here is my passport, as asked.\r\n--b\r\nContent-Type: application/pdf; name=\"passport.pdf\"\r\n\
Content-Disposition: attachment; filename=\"passport.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n\
JVBERi0xLjcKJSBub3QgYSByZWFsIHBkZgo=\r\n--b--\r\n"
    )
    .into_bytes()
}

fn html_only(reference: &str) -> Vec<u8> {
    format!(
        "From: ada@example.org\r\nTo: privacy@example.com\r\nSubject: {reference} one more thing\r\nMessage-ID: <html-1@example.org>\r\n\
MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>My <b>new</b> address follows.</p>\
<script>document.title='pwned'</script><img src=\"https://tracker.example/pixel.gif\"></body></html>\r\n"
    )
    .into_bytes()
}

#[test]
fn the_conversation_lists_letters_and_replies_in_order_and_identity_received_moves_the_dates() {
    let dir = tempfile::tempdir().unwrap();
    let smtp = SmtpServer::start(&dir.path().join("smtp"), Options { mode: "plain", ..Default::default() });
    let dovecot = Dovecot::start(None);
    let (db, request_id, keyring) = setup(&dir.path().join("db"), smtp.port, &dovecot);

    // 1 June: the identity request goes out (the clock event is recorded when the server accepts it).
    let clock = FixedClock::at("2026-06-01");
    let none = MemorySecrets::default();
    let passwords = Passwords { keyring: &none, session: &none };
    let letter = LetterInput { template: "identity-request".into(), details: "a copy of an ID document".into(), ..Default::default() };
    let sent = send_now(&db, &clock, &passwords, &request_id, &letter, &[], "tester").unwrap();
    assert_eq!(sent.letter.state, LetterState::Sent, "{:?}", sent.report);
    let before = requests::detail(&db, &clock, &request_id).unwrap().request.schedule;
    assert_eq!(before.due, Some(day("2026-07-01")));

    // The reply arrives 2 June 00:30 in Berlin (1 June 22:30 UTC); an HTML-only mail naming the reference next day.
    let reference = requests::detail(&db, &clock, &request_id).unwrap().request.reference;
    let message_id = sent.letter.message_id.trim_matches(['<', '>']).to_string();
    dovecot.append(
        "INBOX",
        "none",
        &[("02-Jun-2026 00:30:00 +0200", reply_with_pdf(&message_id)), ("03-Jun-2026 10:00:00 +0200", html_only(&reference))],
    );
    let clock = FixedClock::at("2026-06-04");
    let report = fetch::fetch(&db, &clock, &keyring, "tester").unwrap();
    assert_eq!((report.replies, report.new_items), (2, 0), "{report:?}");

    let c = conversation::conversation(&db, &reference).unwrap();
    assert_eq!(c.awaiting_identity, Some(day("2026-06-01")));
    assert_eq!(c.awaiting_clarification, None);
    let order: Vec<(Direction, &str)> = c.mails.iter().map(|m| (m.direction, m.kind.as_str())).collect();
    assert_eq!(order, vec![(Direction::Out, "identity-request"), (Direction::In, "reply"), (Direction::In, "reply")]);
    let out = &c.mails[0];
    assert_eq!(out.at, sent.letter.sent_at.unwrap(), "a letter is dated by the server's acceptance");
    assert!(out.to.contains("ada@example.org") && out.body.contains("ID document"), "{out:?}");
    let reply = &c.mails[1];
    assert_eq!(reply.at.to_rfc3339(), "2026-06-01T22:30:00+00:00", "the server's arrival time");
    assert_eq!(reply.arrived_on, Some(day("2026-06-02")), "2 June in Berlin");
    assert_eq!(reply.from, "Ada Example <ada@example.org>");
    assert_eq!(reply.to, "privacy@example.com");
    assert_eq!(reply.body, "Here is my passport, as asked.");
    assert_eq!(reply.attachments.len(), 1);
    assert_eq!((reply.attachments[0].name.as_str(), reply.attachments[0].content_type.as_str()), ("passport.pdf", "application/pdf"));
    assert_eq!(reply.offers, vec![ReceivedAs::Identity]);
    let html = &c.mails[2];
    assert!(html.body.contains("My new address follows."), "{:?}", html.body);
    assert!(!html.body.contains("pwned") && !html.body.contains("tracker") && !html.body.contains('<'), "{:?}", html.body);
    let (name, bytes) = conversation::attachment(&db, &reply.id, 0).unwrap();
    assert_eq!(name, "passport.pdf");
    assert!(bytes.starts_with(b"%PDF-1.7"));

    // Not awaiting a clarification: refused, nothing written.
    let events_before = requests::detail(&db, &clock, &request_id).unwrap().timeline.len();
    let err = conversation::record_received(&db, &clock, &reply.id, ReceivedAs::Clarification, "tester").unwrap_err();
    assert!(err.to_string().contains("not awaiting a clarification"), "{err}");
    assert_eq!(requests::detail(&db, &clock, &request_id).unwrap().timeline.len(), events_before);

    // One click: identity received, dated by the arrival in Berlin; the month runs from 2 June.
    let detail = conversation::record_received(&db, &clock, &reply.id, ReceivedAs::Identity, "tester").unwrap();
    let s = &detail.request.schedule;
    assert_eq!(s.clock_start, day("2026-06-02"));
    assert_eq!(s.due, Some(day("2026-07-02")), "the dates move: {s:?}");
    let clock_event = detail.timeline.iter().rev().find(|e| e.kind == EventKind::Clock).unwrap();
    assert_eq!(clock_event.summary, "Identity evidence received on 2026-06-02 by mail of 2026-06-02");
    let data: serde_json::Value = serde_json::from_str(&clock_event.data).unwrap();
    assert_eq!(data["because"]["mail"], reply.id.as_str());
    assert!(data["because"]["evidence_id"].is_string(), "the mail's evidence is named: {data}");
    let recomputed = detail.timeline.iter().rev().find(|e| e.kind == EventKind::DatesRecomputed).unwrap();
    assert!(recomputed.summary.contains("identity received by mail of 2026-06-02"), "{}", recomputed.summary);
    assert!(recomputed.summary.contains("Thu 2 Jul 2026"), "{}", recomputed.summary);

    let c = conversation::conversation(&db, &request_id).unwrap();
    assert_eq!(c.awaiting_identity, None);
    assert!(c.mails.iter().all(|m| m.offers.is_empty()));
    assert_eq!(c.mails[1].recorded, vec![ReceivedAs::Identity]);
    let again = conversation::record_received(&db, &clock, &c.mails[2].id, ReceivedAs::Identity, "tester").unwrap_err();
    assert!(again.to_string().contains("not awaiting identity evidence"), "{again}");
    smtp.stop();
}

#[test]
fn a_clarification_received_by_mail_ends_the_pause_at_its_arrival() {
    let dir = tempfile::tempdir().unwrap();
    let smtp = SmtpServer::start(&dir.path().join("smtp"), Options { mode: "plain", ..Default::default() });
    let dovecot = Dovecot::start(None);
    let (db, request_id, keyring) = setup(&dir.path().join("db"), smtp.port, &dovecot);
    let clock = FixedClock::at("2026-06-01");
    let none = MemorySecrets::default();
    let passwords = Passwords { keyring: &none, session: &none };
    let letter = LetterInput { template: "clarification-request".into(), details: "Which accounts?".into(), ..Default::default() };
    let sent = send_now(&db, &clock, &passwords, &request_id, &letter, &[], "tester").unwrap();
    assert_eq!(sent.letter.state, LetterState::Sent, "{:?}", sent.report);
    let message_id = sent.letter.message_id.trim_matches(['<', '>']).to_string();
    let answer = format!(
        "From: ada@example.org\r\nTo: privacy@example.com\r\nSubject: Re: which accounts\r\nMessage-ID: <c1@example.org>\r\n\
In-Reply-To: <{message_id}>\r\nContent-Type: text/plain\r\n\r\nThe shop account only.\r\n"
    );
    dovecot.append("INBOX", "none", &[("11-Jun-2026 09:00:00 +0200", answer.into_bytes())]);
    let clock = FixedClock::at("2026-06-20");
    fetch::fetch(&db, &clock, &keyring, "tester").unwrap();
    let paused = requests::detail(&db, &clock, &request_id).unwrap().request.schedule;
    assert!(paused.clock_paused, "the clock stands still while the clarification is awaited");

    let c = conversation::conversation(&db, &request_id).unwrap();
    assert_eq!(c.awaiting_clarification, Some(day("2026-06-01")));
    let mail = c.mails.iter().find(|m| m.direction == Direction::In).unwrap();
    assert_eq!(mail.offers, vec![ReceivedAs::Clarification]);
    let detail = conversation::record_received(&db, &clock, &mail.id, ReceivedAs::Clarification, "tester").unwrap();
    let s = &detail.request.schedule;
    assert!(!s.clock_paused, "the pause ended");
    assert_eq!(s.paused_days, 11, "1 to 11 June, both inclusive: {s:?}");
    assert_eq!(s.due, Some(day("2026-07-13")), "1 July + 11 days is Sunday 12 July, rolled to Monday: {s:?}");
    smtp.stop();
}
