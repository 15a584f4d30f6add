//! The privacy mailbox on both stores (issue 18): mails read from a real
//! Dovecot (`tests/imap/harness.rs`) are filed on an encrypted SQLite file and
//! on a team register on a real PostgreSQL 15, working as an officer added with
//! `team add`. The intake is listed, a mail accepted (a request whose timeline
//! shows the mail under the login), one dismissed, one linked; a reply is
//! filed on its request and recorded as the identity evidence it brought. On
//! The systems' owners are asked by mail (a real SMTP server), an owner's
//! DONE reply closes their task and the one who did not answer is reminded.
//! PostgreSQL only: two workstations fetching the same mailbox at once file
//! each message once, and the server refuses an auditor's accept.

#[path = "common/stores.rs"]
mod stores;

#[path = "../../../../tests/imap/harness.rs"]
mod imap;

#[path = "../../../../tests/smtp/harness.rs"]
mod smtp;

use imap::Dovecot;
use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::datamap::{self, SystemInput, SystemText};
use rightsdesk_core::domain::{NewRequest, Request, RequestId, RequestType};
use rightsdesk_core::letters::Passwords;
use rightsdesk_core::mailbox::conversation::{self, Direction, ReceivedAs};
use rightsdesk_core::mailbox::intake::{self, AcceptOptions, IntakeState};
use rightsdesk_core::mailbox::owners::{self, ReplyState};
use rightsdesk_core::mailbox::{fetch, idle, settings as mailbox_settings};
use rightsdesk_core::secrets::MemorySecrets;
use rightsdesk_core::settings::mail::{self as mail_settings, MailSettings};
use rightsdesk_core::store::pg::{team, PgUrl, TeamRole};
use rightsdesk_core::store::{PgDb, Store};
use rightsdesk_core::tasks::TaskStatus;
use rightsdesk_core::{evidence, identity, requests, Error};
use stores::Fresh;

/// The officer the PostgreSQL leg works as (the register is set up by its admin).
const OFFICER: &str = "olga_officer";

/// A team member's own connection to the register of `r` (PostgreSQL), or none on SQLite.
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

fn mail(from: &str, subject: &str, message_id: &str, body: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: privacy@example.com\r\nSubject: {subject}\r\nMessage-ID: <{message_id}>\r\n\
         Date: Mon, 1 Jun 2026 10:00:00 +0200\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

/// The mailbox set up by the register's admin (settings are the admin's on a team register), the
/// organisation kept in Berlin; the IMAP password in this workstation's keyring.
fn mailroom(r: &Fresh) -> (Dovecot, MemorySecrets) {
    let dovecot = Dovecot::start(None);
    rightsdesk_core::settings::set_org_time_zone(r.store(), "Europe/Berlin").unwrap();
    let s = mailbox_settings::save(
        r.store(),
        mailbox_settings::MailboxSettings {
            host: "127.0.0.1".into(),
            port: dovecot.port,
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
    (dovecot, keyring)
}

fn register(store: Store<'_>, clock: &FixedClock, who: &str) -> Request {
    let input = NewRequest {
        request_type: RequestType::Access,
        // The UK GDPR: the period runs from receipt of the identity evidence asked for.
        regime: "uk-gdpr".into(),
        jurisdiction: "GB-ENG".into(),
        subject_name: "Ada Example".into(),
        subject_email: "ada@example.org".into(),
        received: "2026-06-01".into(),
        time_zone: "Europe/Berlin".into(),
        ..Default::default()
    };
    requests::register(store, clock, &input, who).unwrap()
}

fn fetched_mails_are_accepted_dismissed_linked_and_a_reply_recorded(r: &Fresh) {
    let (dovecot, keyring) = mailroom(r);
    let officer = member(r, OFFICER, TeamRole::Officer);
    let store = officer.as_ref().map_or(r.store(), Store::from);
    let who = actor(r);
    let clock = FixedClock::at("2026-06-01");
    let ada = register(store, &clock, who);
    identity::request_proof(store, &clock, &RequestId::from(&ada.id), "2026-06-01", who).unwrap();

    let new_request = mail("Zoë Müller <zoe@example.org>", "Auskunft nach Art. 15 DSGVO", "req-1@example.org", "Bitte um Auskunft.");
    let spam = mail("shop@example.net", "Our summer sale", "spam-1@example.net", "Buy now.");
    let to_link = mail("ada@example.org", "one more thing", "more-1@example.org", "My new address follows.");
    let reply =
        mail("Ada Example <ada@example.org>", &format!("Re: {} your request", ada.reference), "reply-1@example.org", "My passport.");
    dovecot.append(
        "INBOX",
        "none",
        &[
            ("02-Jun-2026 09:00:00 +0200", new_request.clone()),
            ("02-Jun-2026 10:00:00 +0200", spam),
            ("02-Jun-2026 11:00:00 +0200", to_link),
            ("03-Jun-2026 00:30:00 +0200", reply),
        ],
    );
    let clock = FixedClock::at("2026-06-04");
    let report = fetch::fetch(store, &clock, &keyring, who).unwrap();
    assert_eq!((report.new_items, report.replies, report.already_filed), (3, 1, 0), "{report:?}");
    assert!(idle::last_filed(store, "INBOX").unwrap().is_some_and(|(_, last)| last == 4));
    // Fetching again files nothing twice.
    let again = fetch::fetch(store, &clock, &keyring, who).unwrap();
    assert_eq!((again.new_items, again.replies), (0, 0), "{again:?}");

    // The intake: the three mails that are not replies, oldest arrival first.
    let new = intake::list(store, Some(IntakeState::New)).unwrap();
    let subjects: Vec<&str> = new.iter().map(|i| i.subject.as_str()).collect();
    assert_eq!(subjects, vec!["Auskunft nach Art. 15 DSGVO", "Our summer sale", "one more thing"]);
    assert_eq!(new[2].open_requests_from_sender.iter().map(|l| l.reference.as_str()).collect::<Vec<_>>(), vec![ada.reference.as_str()]);
    assert_eq!(intake::eml(store, &new[0].id).unwrap(), new_request, "the exact bytes are kept");

    // Accept: a request received at the server's arrival time, the .eml its evidence, under the login.
    let options = AcceptOptions { request_type: Some("access".into()), ..Default::default() };
    let accepted = intake::accept(store, &clock, &new[0].id, &options, who).unwrap();
    assert_eq!(accepted.subject.email.as_deref(), Some("zoe@example.org"));
    assert_eq!(accepted.subject.name, "Zoë Müller");
    assert_eq!(accepted.received_at.to_rfc3339(), "2026-06-02T07:00:00+00:00", "received at the server's arrival time");
    let detail = requests::detail(store, &clock, &accepted.id).unwrap();
    let timeline: Vec<(String, String)> = detail.timeline.iter().map(|e| (e.kind.to_string(), e.actor.clone())).collect();
    assert_eq!(timeline, vec![("registered".to_string(), who.to_string()), ("evidence-added".to_string(), who.to_string())]);
    assert!(detail.timeline[0].data.contains(&new[0].sha256), "the registration names the mail: {}", detail.timeline[0].data);
    let files = evidence::list(store, &accepted.id).unwrap();
    assert_eq!(files.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(), vec!["request-mail.eml"]);
    assert_eq!(evidence::read(store, &files[0].id).unwrap().1, new_request, "the evidence is the mail");
    assert!(intake::accept(store, &clock, &new[0].id, &options, who).is_err(), "accepted once");

    // Dismiss, with the reason on record; link the third to Ada's request.
    let dismissed = intake::dismiss(store, &clock, &new[1].id, "advertising", who).unwrap();
    assert_eq!((dismissed.state, dismissed.reason.as_deref()), (IntakeState::Dismissed, Some("advertising")));
    let linked = intake::link(store, &clock, &new[2].id, &ada.reference, who).unwrap();
    assert_eq!((linked.state, linked.request_id.as_deref()), (IntakeState::Linked, Some(ada.id.as_str())));
    assert!(intake::list(store, Some(IntakeState::New)).unwrap().is_empty());
    assert_eq!(intake::list(store, None).unwrap().len(), 4, "the reply is in the intake's rows as linked");

    // Ada's conversation: the reply (filed by its reference) and the linked mail; the reply brought the identity evidence.
    let c = conversation::conversation(store, &ada.reference).unwrap();
    let mails: Vec<(Direction, &str)> = c.mails.iter().map(|m| (m.direction, m.kind.as_str())).collect();
    assert_eq!(mails, vec![(Direction::In, "linked"), (Direction::In, "reply")]);
    assert_eq!(c.awaiting_identity, Some("2026-06-01".parse().unwrap()));
    let reply_mail = &c.mails[1];
    assert_eq!(reply_mail.body, "My passport.");
    assert_eq!(reply_mail.arrived_on, Some("2026-06-03".parse().unwrap()), "3 June in Berlin");
    assert_eq!(reply_mail.offers, vec![ReceivedAs::Identity]);
    let detail = conversation::record_received(store, &clock, &reply_mail.id, ReceivedAs::Identity, who).unwrap();
    assert_eq!(detail.request.schedule.clock_start, "2026-06-03".parse().unwrap(), "the month runs from the mail's arrival");
    let kinds: Vec<(String, String)> = detail.timeline.iter().map(|e| (e.kind.to_string(), e.actor.clone())).collect();
    for kind in ["mail-received", "intake-linked", "clock"] {
        assert!(kinds.iter().any(|(k, a)| k == kind && a == who), "{kind} under {who}: {kinds:?}");
    }
    let clock_event = detail.timeline.iter().rev().find(|e| e.kind.as_str() == "clock").unwrap();
    assert!(clock_event.summary.contains("by mail of 2026-06-03"), "{}", clock_event.summary);
    assert_eq!(conversation::conversation(store, &ada.id).unwrap().mails[1].recorded, vec![ReceivedAs::Identity]);
    let files = evidence::list(store, &ada.id).unwrap();
    assert_eq!(files.iter().filter(|e| e.name == "received-mail.eml").count(), 2, "the reply and the linked mail");
}

fn owners_are_asked_by_mail_a_done_reply_closes_the_task_and_the_silent_one_is_reminded(r: &Fresh) {
    let (dovecot, keyring) = mailroom(r);
    let dir = tempfile::tempdir().unwrap();
    let server = smtp::SmtpServer::start(&dir.path().join("smtp"), smtp::Options::default());
    // Monday 2 February 2026. The mail server and the data map are the admin's.
    let monday = FixedClock::at("2026-02-02");
    mail_settings::save(
        r.store(),
        MailSettings {
            host: "127.0.0.1".into(),
            port: server.port,
            security: mail_settings::Security::None,
            from_address: "privacy@crm-factory.example".into(),
            org_name: "CRM Factory GmbH".into(),
            dpo_contact: "dpo@crm-factory.example".into(),
            ..Default::default()
        },
    )
    .unwrap();
    for (name, owner) in [("Billing", "bill@crm-factory.example"), ("CRM", "olga@crm-factory.example")] {
        let text = SystemText { owner_contact: owner.into(), how_to_delete: format!("{name} > Delete"), ..Default::default() };
        datamap::save(r.store(), &monday, None, &SystemInput { name: name.into(), text, ..Default::default() }, "admin").unwrap();
    }
    assert_eq!(owners::owner_settings(r.store()).unwrap().reminder_working_days, 3);
    let officer = member(r, OFFICER, TeamRole::Officer);
    let store = officer.as_ref().map_or(r.store(), Store::from);
    let who = actor(r);
    let input = NewRequest {
        request_type: RequestType::Erasure,
        regime: "eu-gdpr".into(),
        jurisdiction: "DE".into(),
        subject_name: "Ada Example".into(),
        subject_email: "ada@example.org".into(),
        received: "2026-02-02".into(),
        time_zone: "Europe/Berlin".into(),
        ..Default::default()
    };
    let reference = requests::register(store, &monday, &input, who).unwrap().reference;
    let none = MemorySecrets::default();
    let passwords = Passwords { keyring: &none, session: &none };
    // Tasks follow the data map by name: Billing #1, CRM #2.
    let billing = owners::send_to_owner(store, &monday, &passwords, &format!("{reference}#1"), who).unwrap();
    let crm = owners::send_to_owner(store, &monday, &passwords, &format!("{reference}#2"), who).unwrap();
    assert!(billing.send_error.is_none() && crm.send_error.is_none(), "{:?} {:?}", billing.send_error, crm.send_error);
    let got = server.received();
    assert_eq!(
        got.iter().map(|m| m.rcpt_tos[0].as_str()).collect::<Vec<_>>(),
        vec!["bill@crm-factory.example", "olga@crm-factory.example"]
    );

    // Olga answers DONE; the fetch files it on her task and offers to close it.
    let in_reply_to = crm.mail.message_id.trim_matches(['<', '>']).to_string();
    let reply = format!(
        "From: olga@crm-factory.example\r\nTo: privacy@crm-factory.example\r\nSubject: Re: {reference}\r\n\
         Message-ID: <olga-1@crm-factory.example>\r\nIn-Reply-To: <{in_reply_to}>\r\nContent-Type: text/plain\r\n\r\nDONE\r\n"
    );
    dovecot.append("INBOX", "none", &[("03-Feb-2026 10:00:00 +0100", reply.into_bytes())]);
    let tuesday = FixedClock::at("2026-02-03");
    assert_eq!(fetch::fetch(store, &tuesday, &keyring, who).unwrap().replies, 1);
    let listed = owners::task_owners(store, &reference).unwrap();
    assert_eq!(listed[1].mails.len(), 1);
    assert_eq!(listed[1].replies.len(), 1);
    assert_eq!((listed[1].replies[0].state, listed[1].replies[0].suggestion), (ReplyState::Offered, Some(TaskStatus::Done)));
    assert!(listed[0].replies.is_empty());
    let closed = owners::close_task_from_reply(store, &tuesday, &format!("{reference}#2"), who).unwrap();
    assert_eq!(closed.status, TaskStatus::Done);
    assert!(closed.note.contains("owner's reply of 2026-02-03"), "{}", closed.note);
    assert!(owners::close_task_from_reply(store, &tuesday, &listed[1].replies[0].id, who).is_err(), "closed once");

    // Three working days after Monday's mail: Bill, who did not answer, is reminded on Thursday; Olga is not.
    let wednesday = FixedClock::at("2026-02-04");
    assert_eq!(owners::remind_owners(store, &wednesday, Some(&passwords), who).unwrap().reminded, 0, "two working days only");
    let thursday = FixedClock::at("2026-02-05");
    let reminded = owners::remind_owners(store, &thursday, Some(&passwords), who).unwrap();
    assert_eq!((reminded.reminded, reminded.held_back, reminded.send_error), (1, 0, None));
    assert_eq!(owners::remind_owners(store, &thursday, Some(&passwords), who).unwrap().reminded, 0, "once a day");
    let got = server.received();
    assert_eq!(got.len(), 3);
    assert_eq!(got[2].rcpt_tos, vec!["bill@crm-factory.example"]);
    let detail = requests::detail(store, &thursday, &reference).unwrap();
    assert!(detail.timeline.iter().filter(|e| e.kind.as_str() != "registered").all(|e| e.actor == who), "under the login");
}

/// A mail larger than `fetch::STREAM_ABOVE` is read a range at a time and staged on the
/// way (the evidence folder on the file, a temporary folder on a team register), then
/// kept where the store keeps stored files; it reads back byte for byte.
fn a_large_mail_is_streamed_in_and_kept_byte_for_byte(r: &Fresh) {
    let (dovecot, keyring) = mailroom(r);
    let officer = member(r, OFFICER, TeamRole::Officer);
    let store = officer.as_ref().map_or(r.store(), Store::from);
    let mut big =
        b"From: Big <big@example.org>\r\nTo: privacy@example.com\r\nSubject: Auskunft mit Scan\r\nMessage-ID: <big@example.org>\r\n\
MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nMy scan.\r\n--b\r\n\
Content-Type: image/png; name=\"scan.png\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            .to_vec();
    for i in 0..(3usize << 20) / 78 {
        big.extend_from_slice(&[b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[i % 64]; 76]);
        big.extend_from_slice(b"\r\n");
    }
    big.extend_from_slice(b"--b--\r\n");
    assert!(big.len() as u32 > fetch::STREAM_ABOVE);
    dovecot.append("INBOX", "none", &[("02-Jun-2026 09:00:00 +0200", big.clone())]);
    let clock = FixedClock::at("2026-06-04");
    assert_eq!(fetch::fetch(store, &clock, &keyring, actor(r)).unwrap().new_items, 1);
    let item = intake::list(store, Some(IntakeState::New)).unwrap().pop().unwrap();
    assert_eq!(item.attachments.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(), vec!["scan.png"]);
    assert!(intake::eml(store, &item.id).unwrap() == big, "the kept mail is the server's bytes");
    let options = AcceptOptions { request_type: Some("access".into()), ..Default::default() };
    let request = intake::accept(store, &clock, &item.id, &options, actor(r)).unwrap();
    let files = evidence::list(store, &request.id).unwrap();
    assert!(evidence::read(store, &files[0].id).unwrap().1 == big, "the evidence is the mail");
}

on_both_stores!(
    a_large_mail_is_streamed_in_and_kept_byte_for_byte,
    fetched_mails_are_accepted_dismissed_linked_and_a_reply_recorded,
    owners_are_asked_by_mail_a_done_reply_closes_the_task_and_the_silent_one_is_reminded
);

/// PostgreSQL only (one register, two workstations): two officers' workstations
/// fetch the same mailbox at the same moment; each message is filed once.
#[test]
fn postgres_only_two_workstations_fetching_at_once_file_each_message_once() {
    let r = Fresh::postgres();
    let (dovecot, keyring) = mailroom(&r);
    let (first, second) = (member(&r, OFFICER, TeamRole::Officer).unwrap(), member(&r, "ben_officer", TeamRole::Officer).unwrap());
    let messages: Vec<(String, Vec<u8>)> = (0..30)
        .map(|i| {
            let date = format!("02-Jun-2026 {:02}:{:02}:00 +0200", 8 + i / 60, i % 60);
            (date, mail(&format!("sender{i}@example.org"), &format!("Auskunft {i}"), &format!("m{i}@example.org"), "Bitte."))
        })
        .collect();
    let listed: Vec<(&str, Vec<u8>)> = messages.iter().map(|(d, m)| (d.as_str(), m.clone())).collect();
    dovecot.append("INBOX", "none", &listed);
    let clock = FixedClock::at("2026-06-04");
    let barrier = std::sync::Barrier::new(2);
    let reports: Vec<_> = std::thread::scope(|s| {
        let (barrier, clock, keyring) = (&barrier, &clock, &keyring);
        let (a, b) = (Store::from(&first), Store::from(&second));
        let ha = s.spawn(move || {
            barrier.wait();
            fetch::fetch(a, clock, keyring, OFFICER).unwrap()
        });
        let hb = s.spawn(move || {
            barrier.wait();
            fetch::fetch(b, clock, keyring, "ben_officer").unwrap()
        });
        vec![ha.join().unwrap(), hb.join().unwrap()]
    });
    assert_eq!(reports.iter().map(|r| r.new_items).sum::<u32>(), 30, "{reports:?}");
    let items = intake::list(&second, None).unwrap();
    assert_eq!(items.len(), 30, "each message filed once");
    let mut ids: Vec<&str> = items.iter().filter_map(|i| i.message_id.as_deref()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 30);
    // Every kept mail reads back from the register, whoever filed it.
    for item in items.iter().take(5) {
        let n: usize = item.subject.trim_start_matches("Auskunft ").parse().unwrap();
        assert_eq!(intake::eml(&first, &item.id).unwrap(), messages[n].1);
    }
}

/// PostgreSQL only: roles are the server's. The auditor reads the intake, but
/// the server refuses the auditor's accept (and an officer's mailbox settings),
/// and nothing is written.
#[test]
fn postgres_only_an_auditors_accept_is_refused_by_the_server() {
    let r = Fresh::postgres();
    let (dovecot, keyring) = mailroom(&r);
    let officer = member(&r, OFFICER, TeamRole::Officer).unwrap();
    let auditor = member(&r, "audrey_auditor", TeamRole::Auditor).unwrap();
    dovecot.append("INBOX", "none", &[("02-Jun-2026 09:00:00 +0200", mail("zoe@example.org", "Auskunft", "a-1@example.org", "Bitte."))]);
    let clock = FixedClock::at("2026-06-04");
    assert_eq!(fetch::fetch(&officer, &clock, &keyring, OFFICER).unwrap().new_items, 1);
    let items = intake::list(&auditor, Some(IntakeState::New)).unwrap();
    assert_eq!(items.len(), 1, "the auditor reads the intake");
    let options = AcceptOptions { request_type: Some("access".into()), ..Default::default() };
    let refused = |e: Error| match &e {
        Error::Postgres { sqlstate, .. } => assert_eq!(sqlstate, "42501", "{e}"),
        other => panic!("expected the server's refusal, got {other}"),
    };
    refused(intake::accept(&auditor, &clock, &items[0].id, &options, "audrey_auditor").unwrap_err());
    refused(intake::dismiss(&auditor, &clock, &items[0].id, "not a request", "audrey_auditor").unwrap_err());
    assert_eq!(intake::get(&officer, &items[0].id).unwrap().state, IntakeState::New, "nothing written");
    assert_eq!(requests::count(&officer).unwrap(), 0);
    // The mailbox settings are the admin's: the officer may read them, not change them.
    let settings = mailbox_settings::require(&officer).unwrap();
    refused(mailbox_settings::save(&officer, mailbox_settings::MailboxSettings { folder: "Privacy".into(), ..settings }).unwrap_err());
    assert_eq!(mailbox_settings::require(&auditor).unwrap().folder, "INBOX");
    // The officer accepts it.
    let accepted = intake::accept(&officer, &clock, &items[0].id, &options, OFFICER).unwrap();
    assert_eq!(accepted.subject.email.as_deref(), Some("zoe@example.org"));
}
