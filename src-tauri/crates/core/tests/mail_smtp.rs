//! Letters through a real SMTP server (Debian's aiosmtpd, started here on a free
//! port): STARTTLS with a CA generated in the test, implicit TLS, AUTH, a
//! refused recipient, a server that is down, an interrupted send. What arrives
//! is read back with a real MIME parser (mail-parser).

#[path = "../../../../tests/smtp/harness.rs"]
mod harness;

use std::path::{Path, PathBuf};

use chrono::Duration;
use harness::{Options, SmtpServer};
use mail_parser::{MessageParser, MimeHeaders};
use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::deadlines::ClockEvent;
use rightsdesk_core::domain::RequestId;
use rightsdesk_core::domain::{NewRequest, Request, RequestType};
use rightsdesk_core::letters::sender::{self, Smtp};
use rightsdesk_core::letters::{self as mail, outbox, Attachment, Lang, LetterInput, LetterState};
use rightsdesk_core::requests;
use rightsdesk_core::secrets::MemorySecrets;
use rightsdesk_core::settings::mail as settings;
use rightsdesk_core::settings::mail::MailSettings;
use rightsdesk_core::settings::mail::Security;
use rightsdesk_core::store::Db;

const USER: &str = "officer";
const PASSWORD: &str = "correct horse";

struct Ca {
    pem: String,
    cert: PathBuf,
    key: PathBuf,
}

/// A private CA and a certificate for `localhost` signed by it, written to `dir`.
fn make_ca(dir: &Path) -> Ca {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, KeyUsagePurpose};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
    ca_params.distinguished_name.push(DnType::CommonName, "Rightsdesk test CA");
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(vec!["localhost".to_string()]).unwrap();
    params.distinguished_name.push(DnType::CommonName, "localhost");
    let cert = params.signed_by(&key, &ca, &ca_key).unwrap();
    let (cert_path, key_path) = (dir.join("server.pem"), dir.join("server.key"));
    std::fs::write(&cert_path, cert.pem()).unwrap();
    std::fs::write(&key_path, key.serialize_pem()).unwrap();
    Ca { pem: ca.pem(), cert: cert_path, key: key_path }
}

fn mail_settings(port: u16, security: Security) -> MailSettings {
    MailSettings {
        host: "localhost".into(),
        port,
        security,
        from_address: "privacy@crm-factory.example".into(),
        from_name: "CRM Factory – Datenschutz".into(),
        reply_to: Some("dpo@crm-factory.example".into()),
        officer_address: Some("records@crm-factory.example".into()),
        org_name: "CRM Factory GmbH".into(),
        dpo_contact: "dpo@crm-factory.example, +49 30 1234567".into(),
        ..Default::default()
    }
}

fn register(db: &Db, clock: &FixedClock, name: &str, email: &str, received: &str) -> Request {
    let input = NewRequest {
        request_type: RequestType::Access,
        regime: "eu-gdpr".into(),
        jurisdiction: "DE".into(),
        subject_name: name.into(),
        subject_email: email.into(),
        received: received.into(),
        time_zone: "Europe/Berlin".into(),
        ..Default::default()
    };
    requests::register(db, clock, &input, "tester").unwrap()
}

fn letter(template: &str) -> LetterInput {
    LetterInput { template: template.into(), ..Default::default() }
}

fn smtp(db: &Db, with_password: bool) -> Smtp {
    let settings = settings::require(db).unwrap();
    let password = with_password.then(|| zeroize::Zeroizing::new(PASSWORD.to_string()));
    Smtp { settings, password }
}

fn timeline_kinds(db: &Db, clock: &FixedClock, id: &str) -> Vec<String> {
    requests::detail(db, clock, id).unwrap().timeline.into_iter().map(|e| e.kind.to_string()).collect()
}

#[test]
fn an_acknowledgement_goes_out_over_starttls_with_login_and_arrives_as_text_and_html() {
    let dir = tempfile::tempdir().unwrap();
    let ca = make_ca(dir.path());
    let server = SmtpServer::start(
        &dir.path().join("inbox"),
        Options {
            mode: "starttls",
            cert: Some((ca.cert.clone(), ca.key.clone())),
            auth: Some(format!("{USER}:{PASSWORD}")),
            ..Default::default()
        },
    );
    let db = Db::open_in_memory().unwrap();
    let clock = FixedClock::at("2026-11-23");
    let mut s = mail_settings(server.port, Security::Starttls);
    s.username = Some(USER.into());
    s.extra_ca_pem = Some(ca.pem.clone());
    let s = settings::save(&db, s).unwrap();
    // The password lives in the (here: in-memory) keyring, never in the settings.
    let keyring = MemorySecrets::default();
    settings::store_password(&s, PASSWORD, &keyring, &MemorySecrets::default()).unwrap();
    let password = settings::resolve_password(&s, &keyring, &MemorySecrets::default()).unwrap();

    let r = register(&db, &clock, "Zoë <b>Müller</b> & Söhne", "zoe@example.org", "2026-11-20");
    let input = LetterInput { lang: Some(Lang::De), ..letter("acknowledgement") };
    let queued = mail::draft::queue(&db, &clock, &RequestId::from(&r.id), &input, &[], "tester").unwrap();
    assert_eq!(queued.state, LetterState::Queued);

    let report = sender::send_due(&db, &clock, &Smtp { settings: s, password }, "tester").unwrap();
    assert_eq!((report.sent, report.failed, report.retrying), (1, 0, 0), "{:?}", report.details);

    let got = server.received();
    assert_eq!(got.len(), 1);
    let sent = outbox::list(&db, Some(&r.id)).unwrap().remove(0);
    assert_eq!(sent.state, LetterState::Sent);
    assert!(sent.server_reply.as_deref().unwrap().starts_with("250 2.0.0 Ok: queued as TEST0001"), "{:?}", sent.server_reply);
    // The exact bytes kept in the outbox are the bytes the server received.
    let raw = outbox::raw(&db, &sent.id).unwrap();
    assert_eq!(String::from_utf8_lossy(&got[0].bytes).trim_end(), String::from_utf8_lossy(&raw).trim_end());
    // The officer's copy for the record goes in the envelope, not in a header.
    assert_eq!(got[0].rcpt_tos, vec!["zoe@example.org", "records@crm-factory.example"]);
    assert!(!String::from_utf8_lossy(&raw).contains("records@crm-factory.example"));

    let m = MessageParser::default().parse(&got[0].bytes).unwrap();
    assert!(m.date().is_some());
    assert_eq!(format!("<{}>", m.message_id().unwrap()), sent.message_id);
    let from = m.from().unwrap().first().unwrap();
    assert_eq!((from.name(), from.address()), (Some("CRM Factory – Datenschutz"), Some("privacy@crm-factory.example")));
    let to = m.to().unwrap().first().unwrap();
    assert_eq!((to.name(), to.address()), (Some("Zoë <b>Müller</b> & Söhne"), Some("zoe@example.org")));
    assert_eq!(m.subject(), Some(format!("Wir haben Ihre Anfrage {} erhalten", r.reference).as_str()));
    let ct = m.root_part().content_type().unwrap();
    assert_eq!((ct.ctype(), ct.subtype()), ("multipart", Some("alternative")));
    let text = m.body_text(0).unwrap();
    let html = m.body_html(0).unwrap();
    assert!(text.contains("Guten Tag Zoë <b>Müller</b> & Söhne,"), "{text}");
    assert!(text.contains("am 20. November 2026 erhalten"), "{text}");
    assert!(html.contains("Guten Tag Zoë &lt;b&gt;Müller&lt;/b&gt; &amp; Söhne,"), "{html}");
    assert!(!html.contains("<b>Müller"), "what the subject typed never becomes markup");

    let kinds = timeline_kinds(&db, &clock, &r.id);
    assert_eq!(kinds, vec!["registered", "letter-queued", "letter-sent", "acknowledged"]);
}

#[test]
fn implicit_tls_works_with_the_extra_ca_and_fails_with_unknown_issuer_without_it() {
    let dir = tempfile::tempdir().unwrap();
    let ca = make_ca(dir.path());
    let server = SmtpServer::start(
        &dir.path().join("inbox"),
        Options {
            mode: "tls",
            cert: Some((ca.cert.clone(), ca.key.clone())),
            auth: Some(format!("{USER}:{PASSWORD}")),
            ..Default::default()
        },
    );
    let db = Db::open_in_memory().unwrap();
    let clock = FixedClock::at("2026-11-23");
    let mut s = mail_settings(server.port, Security::Tls);
    s.username = Some(USER.into());
    s.extra_ca_pem = Some(ca.pem.clone());
    settings::save(&db, s.clone()).unwrap();

    let ok = sender::send_test(&smtp(&db, true), "officer@crm-factory.example", clock.0).unwrap();
    assert!(ok.ok, "{}", ok.reply);
    assert!(ok.reply.starts_with("250 "), "the server's answer, verbatim: {}", ok.reply);

    let wrong_password = Smtp { settings: s.clone(), password: Some(zeroize::Zeroizing::new("wrong".into())) };
    let refused = sender::send_test(&wrong_password, "officer@crm-factory.example", clock.0).unwrap();
    assert!(!refused.ok && refused.reply.contains("535"), "{}", refused.reply);

    // Without the private CA the server's certificate is not trusted: refused, not retried.
    settings::save(&db, MailSettings { extra_ca_pem: None, ..s }).unwrap();
    let test = sender::send_test(&smtp(&db, true), "officer@crm-factory.example", clock.0).unwrap();
    assert!(!test.ok && test.reply.contains("UnknownIssuer"), "{}", test.reply);
    let r = register(&db, &clock, "Ada Example", "ada@example.org", "2026-11-20");
    mail::draft::queue(&db, &clock, &RequestId::from(&r.id), &letter("acknowledgement"), &[], "tester").unwrap();
    let report = sender::send_due(&db, &clock, &smtp(&db, true), "tester").unwrap();
    assert_eq!((report.sent, report.failed, report.retrying), (0, 1, 0));
    let l = outbox::list(&db, None).unwrap().remove(0);
    assert_eq!(l.state, LetterState::Failed);
    assert!(l.last_error.unwrap().contains("UnknownIssuer"));
    assert_eq!(server.received().len(), 1, "only the first test message arrived");
}

#[test]
fn a_refused_recipient_fails_at_once_with_the_servers_reason_and_is_not_retried() {
    let dir = tempfile::tempdir().unwrap();
    let server = SmtpServer::start(&dir.path().join("inbox"), Options { reject_rcpt: Some("nobody".into()), ..Default::default() });
    let db = Db::open_in_memory().unwrap();
    let clock = FixedClock::at("2026-11-23");
    settings::save(&db, mail_settings(server.port, Security::None)).unwrap();
    let r = register(&db, &clock, "No Body", "nobody@example.org", "2026-11-20");
    mail::draft::queue(&db, &clock, &RequestId::from(&r.id), &letter("acknowledgement"), &[], "tester").unwrap();
    let report = sender::send_due(&db, &clock, &smtp(&db, false), "tester").unwrap();
    assert_eq!((report.sent, report.failed, report.retrying), (0, 1, 0));
    let later = FixedClock(clock.0 + Duration::hours(5));
    let again = sender::send_due(&db, &later, &smtp(&db, false), "tester").unwrap();
    assert_eq!(again.details.len(), 0, "a failed letter is not tried again");
    let l = outbox::list(&db, None).unwrap().remove(0);
    assert_eq!((l.state, l.attempts), (LetterState::Failed, 1));
    let reason = l.last_error.unwrap();
    assert!(reason.contains("550") && reason.contains("Recipient address rejected: User unknown"), "{reason}");
    assert!(server.received().is_empty());
    assert!(timeline_kinds(&db, &clock, &r.id).contains(&"letter-failed".to_string()));
}

#[test]
fn a_server_that_is_down_is_retried_with_backoff_and_the_letter_goes_out_once_when_it_is_back() {
    let dir = tempfile::tempdir().unwrap();
    let port = harness::free_port();
    let db = Db::open_in_memory().unwrap();
    let clock = FixedClock::at("2026-11-23");
    settings::save(&db, mail_settings(port, Security::None)).unwrap();
    let r = register(&db, &clock, "Ada Example", "ada@example.org", "2026-11-20");
    mail::draft::queue(&db, &clock, &RequestId::from(&r.id), &letter("acknowledgement"), &[], "tester").unwrap();

    let down = sender::send_due(&db, &clock, &smtp(&db, false), "tester").unwrap();
    assert_eq!((down.sent, down.retrying), (0, 1));
    let l = outbox::list(&db, None).unwrap().remove(0);
    assert_eq!((l.state, l.attempts), (LetterState::Queued, 1));
    assert_eq!(l.next_attempt_at, Some(clock.0 + Duration::minutes(1)));
    assert!(l.last_error.is_some());

    let server = SmtpServer::start(&dir.path().join("inbox"), Options { port: Some(port), ..Default::default() });
    let too_soon = sender::send_due(&db, &clock, &smtp(&db, false), "tester").unwrap();
    assert!(too_soon.details.is_empty(), "not before the pause is over");
    let later = FixedClock(clock.0 + Duration::minutes(2));
    let back = sender::send_due(&db, &later, &smtp(&db, false), "tester").unwrap();
    assert_eq!(back.sent, 1);
    assert_eq!(sender::send_due(&db, &later, &smtp(&db, false), "tester").unwrap().sent, 0);
    assert_eq!(server.received().len(), 1);
    assert_eq!(outbox::list(&db, None).unwrap()[0].attempts, 2);
}

#[test]
fn a_send_interrupted_after_the_server_accepted_it_is_flagged_for_the_officer_and_never_sent_twice() {
    let dir = tempfile::tempdir().unwrap();
    let server = SmtpServer::start(&dir.path().join("inbox"), Options::default());
    let db = Db::open_in_memory().unwrap();
    let clock = FixedClock::at("2026-11-23");
    settings::save(&db, mail_settings(server.port, Security::None)).unwrap();
    let r = register(&db, &clock, "Ada Example", "ada@example.org", "2026-11-20");
    mail::draft::queue(&db, &clock, &RequestId::from(&r.id), &letter("acknowledgement"), &[], "tester").unwrap();

    // A sender claims the letter and the server accepts it — then the program dies
    // before it can record the answer (here: the answer is simply never recorded).
    let claimed = outbox::claim_next(&db, clock.0).unwrap().unwrap();
    let smtp = smtp(&db, false);
    assert!(matches!(sender::deliver(&smtp, &claimed.envelope_from, &claimed.envelope_to, &claimed.raw), sender::Delivery::Accepted(_)));

    // Another run soon after leaves it alone: its sender may still be at work.
    let soon = sender::send_due(&db, &FixedClock(clock.0 + Duration::minutes(1)), &smtp, "tester").unwrap();
    assert_eq!((soon.sent, soon.unknown), (0, 0));
    // Once the claim is stale the letter is flagged "unknown, check before resending", not resent.
    let later = FixedClock(clock.0 + Duration::minutes(outbox::LEASE_MINUTES + 1));
    let report = sender::send_due(&db, &later, &smtp, "tester").unwrap();
    assert_eq!((report.sent, report.unknown), (0, 1));
    assert_eq!(server.received().len(), 1, "sent exactly once");
    let l = outbox::list(&db, None).unwrap().remove(0);
    assert_eq!(l.state, LetterState::Unknown);

    // The officer finds it in the recipient's mailbox and confirms: sent, with the clock events that go with it.
    let confirmed = outbox::confirm_sent(&db, &later, &l.id, "found in the server log", "tester").unwrap();
    assert_eq!(confirmed.state, LetterState::Sent);
    let kinds = timeline_kinds(&db, &later, &r.id);
    assert_eq!(kinds, vec!["registered", "letter-queued", "letter-unknown", "letter-sent", "acknowledged"]);
    assert_eq!(sender::send_due(&db, &later, &smtp, "tester").unwrap().sent, 0);
    assert_eq!(server.received().len(), 1);
}

#[test]
fn an_extension_notice_is_refused_when_late_and_records_the_clock_event_when_sent_in_time() {
    let dir = tempfile::tempdir().unwrap();
    let server = SmtpServer::start(&dir.path().join("inbox"), Options::default());
    let db = Db::open_in_memory().unwrap();
    let clock = FixedClock::at("2026-11-23");
    settings::save(&db, mail_settings(server.port, Security::None)).unwrap();
    let reasons = LetterInput { reasons: "Your request covers twelve systems.".into(), ..letter("extension-notice") };

    let late = register(&db, &clock, "Late Larry", "larry@example.org", "2026-09-01");
    let err = mail::draft::queue(&db, &clock, &RequestId::from(&late.id), &reasons, &[], "tester").unwrap_err();
    assert_eq!(err.field(), Some("extension"), "{err}");
    assert!(outbox::list(&db, None).unwrap().is_empty(), "nothing was queued");

    let r = register(&db, &clock, "Ada Example", "ada@example.org", "2026-11-10");
    let preview = mail::draft::preview(&db, &clock, &r.id, &reasons).unwrap();
    assert!(preview.text.contains("by 10 February 2027"), "{}", preview.text);
    assert!(preview.text.contains("Die Landesdatenschutzbehörde") || preview.text.contains("Landesdatenschutzbehörde"));
    mail::draft::queue(&db, &clock, &RequestId::from(&r.id), &reasons, &[], "tester").unwrap();
    let sent_day = FixedClock(clock.0 + Duration::days(1));
    assert_eq!(sender::send_due(&db, &sent_day, &smtp(&db, false), "tester").unwrap().sent, 1);
    let d = requests::detail(&db, &sent_day, &r.id).unwrap();
    let clock_event = d.timeline.iter().find(|e| e.kind == "clock").expect("a clock event");
    let data: serde_json::Value = serde_json::from_str(&clock_event.data).unwrap();
    let ev: ClockEvent = serde_json::from_value(data["event"].clone()).unwrap();
    assert_eq!(
        ev,
        ClockEvent::ExtensionNoticeSent {
            on: "2026-11-24".parse().unwrap(),
            reason: Some("Your request covers twelve systems.".into()),
            until: Some("2027-02-10".parse().unwrap()),
        },
        "dated the day it was sent"
    );
    assert_eq!(d.request.due, Some("2027-02-10".parse().unwrap()), "the request's dates were recomputed");
    // A second notice is refused: the period can be extended once.
    assert_eq!(
        mail::draft::queue(&db, &sent_day, &RequestId::from(&r.id), &reasons, &[], "tester").unwrap_err().field(),
        Some("extension")
    );
}

#[test]
fn an_attachment_arrives_byte_for_byte_and_one_over_the_limit_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let server = SmtpServer::start(&dir.path().join("inbox"), Options::default());
    let db = Db::open_in_memory().unwrap();
    let clock = FixedClock::at("2026-11-23");
    settings::save(&db, MailSettings { max_attachment_bytes: 4096, ..mail_settings(server.port, Security::None) }).unwrap();
    let r = register(&db, &clock, "Ada Example", "ada@example.org", "2026-11-20");
    let bytes: Vec<u8> = (0..=255u8).cycle().take(3000).collect();
    let package = Attachment { name: "DSR-package.zip".into(), content_type: "application/zip".into(), bytes: bytes.clone() };
    mail::draft::queue(&db, &clock, &RequestId::from(&r.id), &letter("response"), std::slice::from_ref(&package), "tester").unwrap();
    assert_eq!(sender::send_due(&db, &clock, &smtp(&db, false), "tester").unwrap().sent, 1);
    let got = server.received();
    let m = MessageParser::default().parse(&got[0].bytes).unwrap();
    let ct = m.root_part().content_type().unwrap();
    assert_eq!((ct.ctype(), ct.subtype()), ("multipart", Some("mixed")));
    let a = m.attachments().next().unwrap();
    assert_eq!(a.attachment_name(), Some("DSR-package.zip"));
    assert_eq!(a.contents(), bytes.as_slice());
    assert!(m.body_text(0).unwrap().contains("Attached: DSR-package.zip"));
    assert!(m.body_html(0).is_some());

    let big = Attachment { bytes: vec![0; 5000], ..package };
    let err = mail::draft::queue(&db, &clock, &RequestId::from(&r.id), &letter("response"), &[big], "tester").unwrap_err();
    assert_eq!(err.field(), Some("attachments"));
    assert!(err.to_string().contains("limit"), "{err}");
}

#[test]
fn reminders_are_mailed_to_the_officer_once_per_request_and_threshold() {
    let dir = tempfile::tempdir().unwrap();
    let server = SmtpServer::start(&dir.path().join("inbox"), Options::default());
    let db = Db::open_in_memory().unwrap();
    let clock = FixedClock::at("2026-11-23");
    settings::save(&db, mail_settings(server.port, Security::None)).unwrap();
    let soon = register(&db, &clock, "Soon Sam", "sam@example.org", "2026-10-26"); // due in days
    let overdue = register(&db, &clock, "Over Olga", "olga@example.org", "2026-09-01");
    register(&db, &clock, "Later Lee", "lee@example.org", "2026-11-20");

    let due = mail::reminders::due(&db, &clock, &[7, 3, 1], None).unwrap();
    let refs: Vec<&str> = due.iter().map(|r| r.reference.as_str()).collect();
    assert_eq!(refs, vec![overdue.reference.as_str(), soon.reference.as_str()]);
    assert_eq!(due[0].threshold, "overdue");

    let first = mail::reminders::queue_digest(&db, &clock, &[7, 3, 1], None, "tester").unwrap();
    assert_eq!(first.reminders.len(), 2);
    assert!(first.letter.is_some());
    let second = mail::reminders::queue_digest(&db, &clock, &[7, 3, 1], None, "tester").unwrap();
    assert!(second.letter.is_none() && second.reminders.is_empty(), "nothing new the same day");
    assert_eq!(sender::send_due(&db, &clock, &smtp(&db, false), "tester").unwrap().sent, 1);
    let got = server.received();
    assert_eq!(got[0].rcpt_tos, vec!["records@crm-factory.example"]);
    let m = MessageParser::default().parse(&got[0].bytes).unwrap();
    let text = m.body_text(0).unwrap();
    assert!(text.contains(&overdue.reference) && text.contains(&soon.reference), "{text}");
    assert!(!text.contains("Olga"), "the digest names references, not subjects");
}
