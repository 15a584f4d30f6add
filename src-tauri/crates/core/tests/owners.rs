//! Asking the systems' owners (issue 17, item 5) on a real register file and a
//! real SMTP server (aiosmtpd, `tests/smtp/harness.rs`), read back with
//! mail-parser: the mail in the organisation's language, the due date in
//! working days before the internal target, clear refusals when the data map
//! names no usable owner, and reminders — one every N working days, never two
//! mails to one owner on a day, nothing twice when run twice.

#[path = "../../../../tests/smtp/harness.rs"]
mod harness;

use harness::{Options, SmtpServer};
use mail_parser::MessageParser;
use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::datamap::io::{import, DataFormat};
use rightsdesk_core::domain::{Lang, NewRequest, RequestType};
use rightsdesk_core::letters::Passwords;
use rightsdesk_core::mailbox::owners::{self, OwnerSettings};
use rightsdesk_core::requests;
use rightsdesk_core::secrets::MemorySecrets;
use rightsdesk_core::settings::mail::{self as settings, MailSettings, Security};
use rightsdesk_core::store::{Db, DbKey};
use rightsdesk_core::tasks::TaskStatus;

fn open(dir: &std::path::Path) -> Db {
    Db::open(&dir.join("r.sqlite3"), &DbKey::passphrase("owners test passphrase").unwrap()).unwrap()
}

fn mail(port: u16, lang: Lang) -> MailSettings {
    MailSettings {
        host: "127.0.0.1".into(),
        port,
        security: Security::None,
        from_address: "privacy@crm-factory.example".into(),
        org_name: "CRM Factory GmbH".into(),
        dpo_contact: "dpo@crm-factory.example".into(),
        default_lang: lang,
        ..Default::default()
    }
}

const MAP: &str = "name,owner_contact,how_to_search,how_to_export,how_to_delete\n\
                   CRM,olga@crm-factory.example,Kontakte > Suche nach E-Mail,Kontakte > Export,Kontakte > Löschen\n\
                   Billing,olga@crm-factory.example,Kunden > Suche,Kunden > Export,\n\
                   Wiki,Olga from IT,,,\n\
                   Chat,,,,\n";

fn register(db: &Db, clock: &FixedClock, kind: RequestType, name: &str) -> String {
    let r = requests::register(
        db,
        clock,
        &NewRequest {
            request_type: kind,
            regime: "eu-gdpr".into(),
            jurisdiction: "DE".into(),
            subject_name: name.into(),
            subject_email: "ada@example.org".into(),
            received: "2026-02-02".into(),
            notes: "Kundin seit 2019, Streit um Rechnung".into(),
            ..Default::default()
        },
        "officer",
    )
    .unwrap();
    r.reference
}

fn text(bytes: &[u8]) -> (String, String) {
    let m = MessageParser::default().parse(bytes).unwrap();
    (m.subject().unwrap_or_default().to_string(), m.body_text(0).unwrap().to_string())
}

#[test]
fn the_owner_gets_the_deletion_instructions_in_german_by_a_due_date_in_working_days_and_bad_owner_contacts_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let server = SmtpServer::start(&dir.path().join("smtp"), Options::default());
    let db = open(dir.path());
    // Monday 2 February 2026.
    let clock = FixedClock::at("2026-02-02");
    settings::save(&db, mail(server.port, Lang::De)).unwrap();
    import(&db, &clock, MAP, DataFormat::Csv, "officer").unwrap();
    let reference = register(&db, &clock, RequestType::Erasure, "Ada Example");
    let (keyring, session) = (MemorySecrets::default(), MemorySecrets::default());
    let passwords = Passwords { keyring: &keyring, session: &session };

    // Tasks follow the data map by name: Billing, Chat, CRM, Wiki.
    let sent = owners::send_to_owner(&db, &clock, &passwords, &format!("{reference}#3"), "officer").unwrap();
    assert!(sent.send_error.is_none(), "{:?}", sent.send_error);
    let detail = requests::detail(&db, &clock, &reference).unwrap().request;
    let target = detail.schedule.target.unwrap();
    // Two working days before the internal target (no holiday in Berlin in February 2026).
    let mut expected = target;
    let mut left = 2;
    while left > 0 {
        expected = expected.pred_opt().unwrap();
        if !matches!(chrono::Datelike::weekday(&expected), chrono::Weekday::Sat | chrono::Weekday::Sun) {
            left -= 1;
        }
    }
    assert_eq!(sent.mail.due, Some(expected), "target {target}");
    let received = server.received();
    let (subject, body) = text(&received[0].bytes);
    assert!(subject.contains(&reference) && subject.contains("bitte Antwort bis"), "{subject}");
    assert!(body.contains("Löschen: Kontakte > Löschen"), "the deletion instructions:\n{body}");
    assert!(!body.contains("Kontakte > Export"), "an erasure asks no export:\n{body}");
    assert!(body.contains(&Lang::De.date(expected)), "{body}");
    assert!(body.contains("ERLEDIGT") && body.contains("NICHT VORHANDEN"), "{body}");
    assert!(!body.contains("Streit"), "the notes stay in the register:\n{body}");

    // A data map with no usable owner: a clear refusal naming the field and the system, nothing queued.
    let letters_before = rightsdesk_core::letters::outbox::list(&db, None).unwrap().len();
    for (n, words) in [(4, "not an email address"), (2, "names no owner")] {
        let err = owners::send_to_owner(&db, &clock, &passwords, &format!("{reference}#{n}"), "officer").unwrap_err();
        assert_eq!(err.field(), Some("owner_contact"), "{err}");
        assert!(err.to_string().contains(words), "{err}");
    }
    assert_eq!(rightsdesk_core::letters::outbox::list(&db, None).unwrap().len(), letters_before);
    let listed = owners::task_owners(&db, &reference).unwrap();
    assert_eq!(listed[2].owner.as_deref(), Some("olga@crm-factory.example"));
    assert!(listed[1].cannot_send.as_deref().unwrap().contains("names no owner"));
}

#[test]
fn an_owner_who_does_not_answer_is_reminded_every_n_working_days_never_twice_a_day() {
    let dir = tempfile::tempdir().unwrap();
    let server = SmtpServer::start(&dir.path().join("smtp"), Options::default());
    let db = open(dir.path());
    let monday = FixedClock::at("2026-02-02");
    settings::save(&db, mail(server.port, Lang::En)).unwrap();
    import(&db, &monday, MAP, DataFormat::Csv, "officer").unwrap();
    owners::set_owner_settings(&db, &monday, &OwnerSettings { lead_working_days: 2, reminder_working_days: 2 }, "officer").unwrap();
    let first = register(&db, &monday, RequestType::Access, "Ada Example");
    let (keyring, session) = (MemorySecrets::default(), MemorySecrets::default());
    let passwords = Passwords { keyring: &keyring, session: &session };
    // Olga owns Billing (#1) and CRM (#3): two tasks, two mails on Monday.
    owners::send_to_owner(&db, &monday, &passwords, &format!("{first}#1"), "officer").unwrap();
    owners::send_to_owner(&db, &monday, &passwords, &format!("{first}#3"), "officer").unwrap();
    assert_eq!(server.received().len(), 2);

    let at = |d: &str| FixedClock::at(d);
    // Tuesday: one working day only; nothing.
    assert_eq!(owners::remind_owners(&db, &at("2026-02-03"), Some(&passwords), "o").unwrap().reminded, 0);
    // Wednesday: two working days; one reminder (one mail to Olga a day), the other task waits.
    let wed = owners::remind_owners(&db, &at("2026-02-04"), Some(&passwords), "o").unwrap();
    assert_eq!((wed.reminded, wed.held_back), (1, 1), "{wed:?}");
    assert!(wed.send_error.is_none());
    // Run again the same day: nothing more.
    assert_eq!(owners::remind_owners(&db, &at("2026-02-04"), Some(&passwords), "o").unwrap().reminded, 0);
    assert_eq!(server.received().len(), 3);
    let (subject, _) = text(&server.received()[2].bytes);
    assert!(subject.starts_with("Reminder:"), "{subject}");
    // Thursday: the other task's reminder.
    assert_eq!(owners::remind_owners(&db, &at("2026-02-05"), Some(&passwords), "o").unwrap().reminded, 1);
    // Friday: the first was reminded on Wednesday, two working days ago → reminded again.
    assert_eq!(owners::remind_owners(&db, &at("2026-02-06"), Some(&passwords), "o").unwrap().reminded, 1);
    // Saturday and Sunday are no working days: the second (reminded Thursday) waits until Monday.
    assert_eq!(owners::remind_owners(&db, &at("2026-02-07"), Some(&passwords), "o").unwrap().reminded, 0);
    assert_eq!(owners::remind_owners(&db, &at("2026-02-09"), Some(&passwords), "o").unwrap().reminded, 1);
    assert_eq!(server.received().len(), 6);
    assert!(server.received().iter().all(|m| m.rcpt_tos == vec!["olga@crm-factory.example".to_string()]));

    // A closed task is not reminded.
    for t in rightsdesk_core::tasks::list(&db, &first).unwrap() {
        let change = rightsdesk_core::tasks::TaskUpdate { status: TaskStatus::NotHeld, note: String::new(), exemption: None };
        rightsdesk_core::tasks::update(&db, &at("2026-02-09"), &t.id, &change, "o").unwrap();
    }
    assert_eq!(owners::remind_owners(&db, &at("2026-02-20"), Some(&passwords), "o").unwrap().reminded, 0);
}

#[test]
fn the_first_word_of_a_reply_offers_a_close_in_three_languages() {
    for (text, expected) in [
        ("DONE", Some(TaskStatus::Done)),
        ("Done, exported.", Some(TaskStatus::Done)),
        ("erledigt!", Some(TaskStatus::Done)),
        ("FAIT\n\nMerci", Some(TaskStatus::Done)),
        ("NOT HELD", Some(TaskStatus::NotHeld)),
        ("Nicht vorhanden.", Some(TaskStatus::NotHeld)),
        ("Aucune donnée", Some(TaskStatus::NotHeld)),
        ("Not done yet, sorry", None),
        ("I am done tomorrow", None),
        ("", None),
    ] {
        assert_eq!(owners::suggestion(text), expected, "{text:?}");
    }
}
