//! Letters on both stores (issue 18): an officer drafts a letter from the
//! templates, queues it and sends it through a real SMTP server (Debian's
//! aiosmtpd, STARTTLS with a CA made here, AUTH with the password from the
//! keyring), on an encrypted SQLite file and on a team register on a real
//! PostgreSQL 15, working as an officer added with `team add`. What the server
//! received is read back with a real MIME parser (mail-parser).

#[path = "common/stores.rs"]
mod stores;

#[path = "../../../../tests/smtp/harness.rs"]
mod harness;

use std::path::{Path, PathBuf};

use harness::{Options, SmtpServer};
use mail_parser::MessageParser;
use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::domain::{NewRequest, Request, RequestId, RequestType};
use rightsdesk_core::letters::sender::{self, Smtp};
use rightsdesk_core::letters::{self as mail, outbox, reminders, LetterInput, LetterState};
use rightsdesk_core::requests;
use rightsdesk_core::secrets::MemorySecrets;
use rightsdesk_core::settings::mail::{self as settings, MailSettings, Security};
use rightsdesk_core::store::pg::{team, PgUrl, TeamRole};
use rightsdesk_core::store::{PgDb, Store};
use rightsdesk_core::Error;
use stores::Fresh;

const USER: &str = "officer";
const PASSWORD: &str = "correct horse";
/// The officer the PostgreSQL leg sends letters as (the register is set up by its admin).
const OFFICER: &str = "olga_officer";

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

/// A team member's own connection to the register of `r` (PostgreSQL), or
/// none on SQLite (one officer, the file's own store).
fn member(r: &Fresh, name: &str, role: TeamRole) -> Option<PgDb> {
    let Fresh::Postgres { pg, .. } = r else { return None };
    let mut admin = rightsdesk_core::store::pg::connect(&PgUrl::parse(&pg.admin_url()).unwrap(), Some(pg.admin_password()))
        .expect("connect as the DBA");
    let added = team::add(&mut admin, name, role, chrono::Utc::now()).expect("team add");
    Some(PgDb::connect(&PgUrl::parse(&pg.url(name)).unwrap(), Some(&added.password)).expect("connect as the member"))
}

/// Who the timeline names as the actor: the login on PostgreSQL (set by the server), the name given on SQLite.
fn actor(r: &Fresh) -> &'static str {
    match r {
        Fresh::Sqlite { .. } => "olga",
        Fresh::Postgres { .. } => OFFICER,
    }
}

/// Everything a sending test needs: the server, its settings saved by the admin, the password in a keyring.
struct Mailroom {
    server: SmtpServer,
    smtp: Smtp,
    _dir: tempfile::TempDir,
}

fn mailroom(r: &Fresh, hold_data_seconds: Option<u32>) -> Mailroom {
    let dir = tempfile::tempdir().unwrap();
    let ca = make_ca(dir.path());
    let server = SmtpServer::start(
        &dir.path().join("inbox"),
        Options {
            mode: "starttls",
            cert: Some((ca.cert.clone(), ca.key.clone())),
            auth: Some(format!("{USER}:{PASSWORD}")),
            hold_data_seconds,
            ..Default::default()
        },
    );
    let s = MailSettings {
        host: "localhost".into(),
        port: server.port,
        security: Security::Starttls,
        username: Some(USER.into()),
        extra_ca_pem: Some(ca.pem),
        from_address: "privacy@crm-factory.example".into(),
        from_name: "CRM Factory – Privacy".into(),
        officer_address: Some("records@crm-factory.example".into()),
        org_name: "CRM Factory GmbH".into(),
        dpo_contact: "dpo@crm-factory.example".into(),
        ..Default::default()
    };
    // The settings are the admin's (PostgreSQL: admin-only); the password is in this workstation's keyring.
    let s = settings::save(r.store(), s).unwrap();
    let keyring = MemorySecrets::default();
    settings::store_password(&s, PASSWORD, &keyring, &MemorySecrets::default()).unwrap();
    let passwords = mail::Passwords { keyring: &keyring, session: &MemorySecrets::default() };
    let smtp = passwords.smtp(r.store()).unwrap();
    assert!(smtp.password.is_some(), "the password comes from the keyring");
    Mailroom { server, smtp, _dir: dir }
}

fn register(store: Store<'_>, clock: &FixedClock, who: &str) -> Request {
    let input = NewRequest {
        request_type: RequestType::Access,
        regime: "eu-gdpr".into(),
        jurisdiction: "DE".into(),
        subject_name: "Zoë Müller".into(),
        subject_email: "zoe@example.org".into(),
        received: "2026-11-20".into(),
        time_zone: "Europe/Berlin".into(),
        ..Default::default()
    };
    requests::register(store, clock, &input, who).unwrap()
}

fn drafted_sent_and_received_as_drafted(r: &Fresh) {
    let room = mailroom(r, None);
    let officer = member(r, OFFICER, TeamRole::Officer);
    let store = officer.as_ref().map_or(r.store(), Store::from);
    let who = actor(r);
    let clock = FixedClock::at("2026-11-23");
    let request = register(store, &clock, who);

    // The draft: the identity request, in German, with what the officer typed.
    let input = LetterInput {
        template: "identity-request".into(),
        lang: Some(mail::Lang::De),
        details: "eine Kopie Ihres Kundenkontos".into(),
        ..Default::default()
    };
    let draft = mail::draft::preview(store, &clock, &request.id, &input).unwrap();
    assert!(draft.text.contains("eine Kopie Ihres Kundenkontos"), "{}", draft.text);
    assert!(!draft.text.to_lowercase().contains("none"), "no unknown fact printed as none: {}", draft.text);
    let queued = mail::draft::queue(store, &clock, &RequestId::from(&request.id), &input, &[], who).unwrap();
    assert_eq!(queued.state, LetterState::Queued);
    // Listed under the request, by id and by reference.
    assert_eq!(outbox::list(store, Some(&request.id)).unwrap().len(), 1);
    assert_eq!(outbox::list(store, Some(&request.reference)).unwrap()[0].id, queued.id);

    let report = sender::send_due(store, &clock, &room.smtp, who).unwrap();
    assert_eq!((report.sent, report.failed, report.retrying, report.unknown), (1, 0, 0, 0), "{:?}", report.details);
    let got = room.server.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].rcpt_tos, vec!["zoe@example.org", "records@crm-factory.example"]);
    let m = MessageParser::default().parse(&got[0].bytes).unwrap();
    assert_eq!(m.subject(), Some(draft.subject.as_str()));
    assert_eq!(m.to().unwrap().first().unwrap().address(), Some("zoe@example.org"));
    // The same words: mail carries lines ended by CRLF.
    let lines = |s: &str| s.replace("\r\n", "\n").trim_end().to_string();
    assert_eq!(lines(&m.body_text(0).unwrap()), lines(&draft.text));
    assert_eq!(lines(&m.body_html(0).unwrap()), lines(&draft.html));

    let sent = outbox::load(store, &queued.id).unwrap();
    assert_eq!(sent.state, LetterState::Sent);
    assert_eq!(format!("<{}>", m.message_id().unwrap()), sent.message_id);
    assert_eq!(
        String::from_utf8_lossy(&outbox::raw(store, &sent.id).unwrap()).trim_end(),
        String::from_utf8_lossy(&got[0].bytes).trim_end()
    );

    // The timeline: queued, sent and the identity request's clock event, each under the officer's login.
    let detail = requests::detail(store, &clock, &request.id).unwrap();
    let tail: Vec<(String, String)> =
        detail.timeline.iter().filter(|e| e.kind.as_str() != "registered").map(|e| (e.kind.to_string(), e.actor.clone())).collect();
    let kinds: Vec<&str> = tail.iter().map(|(k, _)| k.as_str()).collect();
    assert!(kinds.starts_with(&["letter-queued", "letter-sent", "clock"]), "{kinds:?}");
    assert!(tail.iter().all(|(_, a)| a == who), "{tail:?}");
    let clock_event = detail.timeline.iter().find(|e| e.kind.as_str() == "clock").unwrap();
    assert!(clock_event.data.contains("identity-requested") && clock_event.data.contains("2026-11-23"), "{}", clock_event.data);
    // A second run sends nothing more.
    assert_eq!(sender::send_due(store, &clock, &room.smtp, who).unwrap().sent, 0);
    assert_eq!(room.server.received().len(), 1);
}

fn a_letter_two_officers_send_at_once_goes_out_once(r: &Fresh) {
    // The server holds each message 2 s, so the second sender runs while the first is mid-send.
    let room = mailroom(r, Some(2));
    let (first, second) = (member(r, OFFICER, TeamRole::Officer), member(r, "ben_officer", TeamRole::Officer));
    let a = first.as_ref().map_or(r.store(), Store::from);
    let b = second.as_ref().map_or(r.store(), Store::from);
    let clock = FixedClock::at("2026-11-23");
    let request = register(a, &clock, actor(r));
    let input = LetterInput { template: "acknowledgement".into(), ..Default::default() };
    let queued = mail::draft::queue(a, &clock, &RequestId::from(&request.id), &input, &[], actor(r)).unwrap();

    let barrier = std::sync::Barrier::new(2);
    let reports: Vec<_> = std::thread::scope(|s| {
        let (barrier, clock, smtp) = (&barrier, &clock, &room.smtp);
        let ha = s.spawn(move || {
            barrier.wait();
            sender::send_due(a, clock, smtp, "either").unwrap()
        });
        let hb = s.spawn(move || {
            barrier.wait();
            sender::send_due(b, clock, smtp, "either").unwrap()
        });
        vec![ha.join().unwrap(), hb.join().unwrap()]
    });
    assert_eq!(reports.iter().map(|r| r.sent).sum::<u32>(), 1, "{reports:?}");
    assert_eq!(room.server.received().len(), 1, "the server got the letter once");
    assert_eq!(outbox::load(b, &queued.id).unwrap().state, LetterState::Sent);
    let detail = requests::detail(b, &clock, &request.id).unwrap();
    let sent = detail.timeline.iter().filter(|e| e.kind.as_str() == "letter-sent").count();
    let acknowledged = detail.timeline.iter().filter(|e| e.kind.as_str() == "acknowledged").count();
    assert_eq!((sent, acknowledged), (1, 1));
}

fn a_failed_letter_is_resent_with_its_message_id_and_reminders_go_to_the_officer(r: &Fresh) {
    let room = mailroom(r, None);
    let officer = member(r, OFFICER, TeamRole::Officer);
    let store = officer.as_ref().map_or(r.store(), Store::from);
    let who = actor(r);
    let clock = FixedClock::at("2026-12-18");
    let request = register(store, &clock, who);
    let input = LetterInput { template: "acknowledgement".into(), ..Default::default() };
    let queued = mail::draft::queue(store, &clock, &RequestId::from(&request.id), &input, &[], who).unwrap();
    // A wrong password: refused at once, not retried.
    let wrong = Smtp { settings: room.smtp.settings.clone(), password: Some(zeroize::Zeroizing::new("wrong".into())) };
    let report = sender::send_due(store, &clock, &wrong, who).unwrap();
    assert_eq!(report.failed, 1, "{:?}", report.details);
    assert_eq!(outbox::load(store, &queued.id).unwrap().state, LetterState::Failed);
    assert!(room.server.received().is_empty());
    let again = outbox::resend(store, &clock, &queued.id, who).unwrap();
    assert_eq!(again.state, LetterState::Queued);
    assert_eq!(sender::send_due(store, &clock, &room.smtp, who).unwrap().sent, 1);
    let got = room.server.received();
    assert_eq!(format!("<{}>", MessageParser::default().parse(&got[0].bytes).unwrap().message_id().unwrap()), queued.message_id);

    // Due 2026-12-20: two days left, a reminder once.
    let due = reminders::due(store, &clock, &[7, 3, 1], None).unwrap();
    assert_eq!(
        due.iter().map(|d| (d.reference.as_str(), d.threshold.as_str())).collect::<Vec<_>>(),
        vec![(request.reference.as_str(), "due-3")]
    );
    let digest = reminders::queue_digest(store, &clock, &[7, 3, 1], None, who).unwrap();
    assert_eq!(digest.reminders.len(), 1);
    assert!(digest.letter.is_some());
    assert!(reminders::queue_digest(store, &clock, &[7, 3, 1], None, who).unwrap().letter.is_none(), "given once");
    assert_eq!(sender::send_due(store, &clock, &room.smtp, who).unwrap().sent, 1);
    let got = room.server.received();
    assert_eq!(got.len(), 2);
    assert_eq!(got[1].rcpt_tos, vec!["records@crm-factory.example"]);
    let text = MessageParser::default().parse(&got[1].bytes).unwrap().body_text(0).unwrap().to_string();
    assert!(text.contains(&request.reference), "{text}");
}

on_both_stores!(
    drafted_sent_and_received_as_drafted,
    a_letter_two_officers_send_at_once_goes_out_once,
    a_failed_letter_is_resent_with_its_message_id_and_reminders_go_to_the_officer
);

/// PostgreSQL only: roles are the server's. An auditor reads the letters but
/// the server refuses the auditor's letter, and nothing is written.
#[test]
fn postgres_only_an_auditors_letter_is_refused_by_the_server() {
    let r = Fresh::postgres();
    let _room = mailroom(&r, None);
    let officer = member(&r, OFFICER, TeamRole::Officer).unwrap();
    let clock = FixedClock::at("2026-11-23");
    let request = register(Store::from(&officer), &clock, OFFICER);
    let auditor = member(&r, "audrey_auditor", TeamRole::Auditor).unwrap();
    let input = LetterInput { template: "acknowledgement".into(), ..Default::default() };
    // The auditor may read the draft ...
    mail::draft::preview(&auditor, &clock, &request.id, &input).unwrap();
    // ... but not queue it.
    let e = mail::draft::queue(&auditor, &clock, &RequestId::from(&request.id), &input, &[], "audrey_auditor").unwrap_err();
    match &e {
        Error::Postgres { sqlstate, .. } => assert_eq!(sqlstate, "42501", "{e}"),
        other => panic!("expected the server's refusal, got {other}"),
    }
    assert!(outbox::list(&auditor, None).unwrap().is_empty(), "nothing written");
    let kinds: Vec<String> = requests::detail(&officer, &clock, &request.id).unwrap().timeline.iter().map(|e| e.kind.to_string()).collect();
    assert_eq!(kinds, vec!["registered"]);
}
