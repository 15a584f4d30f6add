//! Retention of mails dismissed as not a request (issue 17, item 3), on a real
//! register file with the mails read from a real Dovecot
//! (`tests/imap/harness.rs`): after the organisation's period (90 days after the
//! dismissal unless changed) the retention preview lists them and the purge
//! removes their sender, subject, preview and stored .eml (the bytes only once
//! nothing else refers to them); the reason, the dates, the size and the SHA-256
//! stay, a second purge does nothing, and accepted or linked mails follow their
//! request.

mod common;
#[path = "../../../../tests/imap/harness.rs"]
mod imap;

use std::path::Path;

use imap::Dovecot;
use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::domain::EventKind;
use rightsdesk_core::error::Error;
use rightsdesk_core::mailbox::intake::{self, AcceptOptions, IntakeItem, IntakeState};
use rightsdesk_core::mailbox::purge as mail_purge;
use rightsdesk_core::mailbox::{fetch, settings as mailbox_settings};
use rightsdesk_core::secrets::MemorySecrets;
use rightsdesk_core::{audit, requests, retention, store::Db};

const REMOVED: &str = "(removed under the retention policy)";

fn mail(from: &str, subject: &str, message_id: &str, body: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: privacy@example.com\r\nSubject: {subject}\r\nMessage-ID: <{message_id}>\r\n\
         Date: Mon, 1 Jun 2026 10:00:00 +0200\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

/// The stored files under the register's `evidence/` (one folder level per hash prefix).
fn evidence_files(dir: &Path) -> usize {
    fn count(p: &Path) -> usize {
        std::fs::read_dir(p)
            .map(|d| d.filter_map(|e| e.ok()).map(|e| if e.path().is_dir() { count(&e.path()) } else { 1 }).sum())
            .unwrap_or(0)
    }
    count(&dir.join("evidence"))
}

/// The summary and data of the last event of `kind`.
fn last_event(db: &Db, kind: EventKind) -> (String, String) {
    db.read(|c| {
        Ok(c.query_row("SELECT summary, data FROM events WHERE kind = ?1 ORDER BY seq DESC LIMIT 1", [kind.as_str()], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?)
    })
    .unwrap()
}

fn by_subject<'a>(items: &'a [IntakeItem], subject: &str) -> &'a IntakeItem {
    items.iter().find(|i| i.subject == subject).unwrap_or_else(|| panic!("no item {subject:?} in {items:?}"))
}

fn setup(dir: &Path, imap: &Dovecot) -> (Db, MemorySecrets) {
    std::fs::create_dir_all(dir).unwrap();
    let db = common::register_in(dir);
    rightsdesk_core::settings::set_org_time_zone(&db, "Europe/Berlin").unwrap();
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
    (db, keyring)
}

#[test]
fn dismissed_mails_lose_their_content_after_the_period_and_accepted_or_linked_mails_are_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let dovecot = Dovecot::start(None);
    let data = dir.path().join("db");
    let (db, keyring) = setup(&data, &dovecot);
    let clock = FixedClock::at("2026-06-01");
    let ada = requests::register(&db, &clock, &common::ada("2026-05-28"), "tester").unwrap();

    // A newsletter twice (the same bytes, arrived at two times: one stored message), an invoice, and a real request.
    let newsletter = mail("Shop News <news@shop.example>", "Our summer offers", "news-1@shop.example", "Big savings for Grace Hopper.");
    dovecot.append(
        "INBOX",
        "none",
        &[
            ("01-Jun-2026 09:00:00 +0200", newsletter.clone()),
            ("01-Jun-2026 09:30:00 +0200", newsletter),
            (
                "01-Jun-2026 10:00:00 +0200",
                mail("Billing <billing@vendor.example>", "Invoice 4711", "inv-4711@vendor.example", "Please pay."),
            ),
            (
                "01-Jun-2026 11:00:00 +0200",
                mail("Bob Example <bob@example.org>", "Access request", "bob-1@example.org", "I want a copy of my data."),
            ),
        ],
    );
    let report = fetch::fetch(&db, &clock, &keyring, "tester").unwrap();
    assert_eq!(report.new_items, 4, "{report:?}");
    assert_eq!(evidence_files(&data), 3, "the two newsletters share one stored message");

    // 2 June: the first newsletter and the invoice are dismissed; the second newsletter is linked to Ada's request
    // (filed there by mistake, say), Bob's mail accepted.
    let decided = FixedClock::at("2026-06-02");
    let items = intake::list(&db, None).unwrap();
    let news: Vec<&IntakeItem> = items.iter().filter(|i| i.subject == "Our summer offers").collect();
    let (news_dismissed, news_linked) = (news[0].id.clone(), news[1].id.clone());
    let invoice = by_subject(&items, "Invoice 4711").clone();
    let bob = by_subject(&items, "Access request").clone();
    intake::dismiss(&db, &decided, &news_dismissed, "newsletter", "tester").unwrap();
    intake::dismiss(&db, &decided, &invoice.id, "an invoice, not a request", "tester").unwrap();
    intake::link(&db, &decided, &news_linked, &ada.id, "tester").unwrap();
    let bob_request = intake::accept(&db, &decided, &bob.id, &AcceptOptions::default(), "tester").unwrap();
    assert_eq!(evidence_files(&data), 3);

    // The period: 90 days by default; a bad value is refused naming the field, nothing stored.
    assert_eq!(mail_purge::dismissed_days(&db).unwrap(), 90);
    for bad in [0, 3651] {
        match mail_purge::set_dismissed_days(&db, &decided, "tester", bad).unwrap_err() {
            Error::Invalid { field, reason } => {
                assert_eq!(field, "intake_dismissed_days");
                assert!(reason.contains("between 1 and 3650"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(mail_purge::dismissed_days(&db).unwrap(), 90, "nothing stored");

    // 89 days after the dismissal: nothing due yet.
    let early = FixedClock::at("2026-08-30");
    let plan = retention::preview(&db, &early).unwrap();
    assert_eq!(plan.dismissed_mails, 0, "{plan:?}");
    assert_eq!(retention::purge(&db, &early, "tester", None).unwrap().dismissed_mails, 0);
    assert_eq!(intake::get(&db, &invoice.id).unwrap().subject, "Invoice 4711");

    // 90 days after: the preview lists both, under their own line.
    let later = FixedClock::at("2026-08-31");
    let plan = retention::preview(&db, &later).unwrap();
    assert_eq!(plan.dismissed_mails, 2, "{plan:?}");
    assert!(plan.requests.is_empty(), "no request is due: {plan:?}");
    let line = plan.removes.iter().find(|c| c.purger == "dismissed-mails").expect("the dismissed mails' line");
    assert_eq!(line.items, 2);

    let report = retention::purge(&db, &later, "tester", Some(0)).unwrap();
    assert_eq!(report.dismissed_mails, 2, "{report:?}");
    assert_eq!(report.files_deleted, 1, "the invoice's stored message; the newsletter's bytes are still the linked mail's");
    assert_eq!(evidence_files(&data), 2);

    let gone = intake::get(&db, &invoice.id).unwrap();
    assert_eq!((gone.from_name.as_str(), gone.from_address.as_str()), (REMOVED, REMOVED));
    assert_eq!((gone.subject.as_str(), gone.preview.as_str()), (REMOVED, REMOVED));
    assert!(gone.attachments.is_empty());
    assert_eq!(gone.state, IntakeState::Dismissed);
    assert_eq!(gone.reason.as_deref(), Some("an invoice, not a request"), "the dismissal's reason stays");
    assert_eq!((gone.received_at, gone.size, gone.sha256.as_str()), (invoice.received_at, invoice.size, invoice.sha256.as_str()));
    let err = intake::eml(&db, &invoice.id).unwrap_err();
    assert!(err.to_string().contains("removed under the retention policy"), "{err}");
    assert!(
        !format!("{:?}", intake::list(&db, None).unwrap()).contains("Invoice 4711"),
        "the intake list no longer offers the purged item's content"
    );
    assert_eq!(intake::get(&db, &news_dismissed).unwrap().subject, REMOVED);

    // The linked and the accepted mail are their requests' and stay.
    let linked = intake::get(&db, &news_linked).unwrap();
    assert_eq!((linked.subject.as_str(), linked.from_address.as_str()), ("Our summer offers", "news@shop.example"));
    assert!(intake::eml(&db, &news_linked).unwrap().ends_with(b"Big savings for Grace Hopper.\r\n"));
    let accepted = intake::get(&db, &bob.id).unwrap();
    assert_eq!((accepted.subject.as_str(), accepted.request_id.as_deref()), ("Access request", Some(bob_request.id.as_str())));
    assert!(intake::eml(&db, &bob.id).is_ok());

    // On record: the purge's audit event counts them and names the items (ids only).
    let (summary, data_text) = last_event(&db, EventKind::RetentionPurge);
    assert!(summary.contains("2 mails dismissed as not a request"), "{summary}");
    let data_json: serde_json::Value = serde_json::from_str(&data_text).unwrap();
    assert_eq!(data_json["removed"]["dismissed-mails"], 2);
    assert_eq!(data_json["dismissed_intake_items"].as_array().unwrap().len(), 2);
    assert!(!data_text.contains("Invoice") && !data_text.contains("vendor.example"), "no personal data: {data_text}");

    // A second purge does nothing.
    let again = retention::purge(&db, &FixedClock::at("2026-12-01"), "tester", None).unwrap();
    assert_eq!((again.dismissed_mails, again.files_deleted), (0, 0), "{again:?}");
    assert_eq!(retention::preview(&db, &FixedClock::at("2026-12-01")).unwrap().dismissed_mails, 0);
    let check = audit::verify(&db).unwrap();
    assert!(check.intact, "{:?}", check.problems);
}

#[test]
fn the_period_is_the_organisations_choice_and_counts_from_the_dismissal() {
    let dir = tempfile::tempdir().unwrap();
    let dovecot = Dovecot::start(None);
    let (db, keyring) = setup(&dir.path().join("db"), &dovecot);
    let clock = FixedClock::at("2026-06-01");
    dovecot.append(
        "INBOX",
        "none",
        &[("01-Jun-2026 09:00:00 +0200", mail("Shop News <news@shop.example>", "Offers", "n@shop.example", "Hello."))],
    );
    fetch::fetch(&db, &clock, &keyring, "tester").unwrap();
    let item = intake::list(&db, None).unwrap().remove(0);
    // Dismissed on 10 June; the organisation keeps dismissed mails 7 days.
    intake::dismiss(&db, &FixedClock::at("2026-06-10"), &item.id, "advertising", "tester").unwrap();
    assert_eq!(mail_purge::set_dismissed_days(&db, &clock, "tester", 7).unwrap(), 7);
    assert_eq!(retention::preview(&db, &FixedClock::at("2026-06-16")).unwrap().dismissed_mails, 0, "6 days after the dismissal");
    assert_eq!(retention::preview(&db, &FixedClock::at("2026-06-17")).unwrap().dismissed_mails, 1, "7 days after");
    let (summary, _) = last_event(&db, EventKind::SettingsChanged);
    assert!(summary.contains("kept 7 days after the dismissal (was 90)"), "{summary}");
}
