//! Requests handled as a processor (issue 19 item 12, OpifexHQ): a request about a
//! customer's end user is tracked against the customer's (the controller's)
//! deadline, forwarded to the controller with a letter, and the subject gets only
//! a notice that it was forwarded — never a letter as if we were the controller.
//! On a real encrypted SQLite register.

mod common;

use chrono::NaiveDate;
use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::domain::{Lang, NewRequest, RequestId};
use rightsdesk_core::letters::draft::{self as letters, LetterInput};
use rightsdesk_core::requests::{self, processor, processor::ProcessorInput};
use rightsdesk_core::settings::mail::{self as settings, MailSettings, Security};
use rightsdesk_core::store::Db;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn sandbox(dir: &std::path::Path) -> (Db, FixedClock) {
    let db = common::register_in(dir);
    let clock = FixedClock::at("2026-11-04");
    settings::save(
        &db,
        MailSettings {
            host: "localhost".into(),
            security: Security::None,
            from_address: "privacy@opifexhq.example".into(),
            org_name: "OpifexHQ".into(),
            dpo_appointed: Some(false),
            ..Default::default()
        },
    )
    .unwrap();
    (db, clock)
}

fn acme() -> ProcessorInput {
    ProcessorInput { controller: "Acme Shop GmbH".into(), controller_email: "privacy@acme.example".into(), received_by_us: None }
}

fn letter(template: &str, lang: Lang) -> LetterInput {
    LetterInput {
        template: template.into(),
        lang: Some(lang),
        reasons: String::new(),
        details: "A copy of all data about her account".into(),
        kept: String::new(),
    }
}

fn count(db: &Db, table: &str) -> i64 {
    db.read(|c| Ok(c.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?)).unwrap()
}

#[test]
fn the_due_date_is_the_controllers_under_its_law_and_our_contractual_date_is_counted_from_our_receipt() {
    let dir = tempfile::tempdir().unwrap();
    let (db, clock) = sandbox(dir.path());
    // The controller is a Californian shop: its law (the CCPA, 45 days) and its receipt,
    // not the EU GDPR month the organisation would count for its own requests.
    let input = NewRequest { received: "2026-11-02".into(), ..common::ada_under("access", "ccpa", "US-CA") };
    let role = ProcessorInput { received_by_us: Some("2026-11-03".into()), ..acme() };
    let (request, role) = processor::register(&db, &clock, &input, &role, "officer").unwrap();
    assert_eq!(request.regime, "ccpa");
    assert_eq!(
        request.due,
        Some(d("2026-12-16")),
        "the controller's CCPA date: 45 days beginning on its receipt on 2 Nov (11 CCR § 7021(b), the default reading)"
    );
    assert_eq!(role.controller, "Acme Shop GmbH");
    assert_eq!(role.received_by_us, d("2026-11-03"));
    assert_eq!(role.controller_due, Some(d("2026-12-16")));
    assert_eq!(role.assistance_due, None, "no contractual period recorded yet");
    assert_eq!(role.deadline, Some(d("2026-12-16")), "without a contract period the controller's date is tracked");

    // The data processing agreement gives us 10 days to assist: counted from our receipt.
    processor::set_assistance_days(&db, &clock, Some(10), "officer").unwrap();
    let role = processor::of_request(&db, &clock, &request.id).unwrap().unwrap();
    assert_eq!(role.assistance_due, Some(d("2026-11-13")));
    assert_eq!(role.deadline, Some(d("2026-11-13")));
    // A contract period longer than the controller's time never puts our date after the controller's.
    processor::set_assistance_days(&db, &clock, Some(90), "officer").unwrap();
    let role = processor::of_request(&db, &clock, &request.id).unwrap().unwrap();
    assert_eq!(role.deadline, Some(d("2026-12-16")));
    assert_eq!(processor::set_assistance_days(&db, &clock, Some(0), "officer").unwrap_err().field(), Some("assistance_days"));

    // An ordinary request has no processor role.
    let own = requests::register(&db, &clock, &common::ada_under("access", "eu-gdpr", "DE"), "officer").unwrap();
    assert_eq!(processor::of_request(&db, &clock, &own.id).unwrap(), None);
}

#[test]
fn a_bad_controller_is_refused_naming_the_field_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let (db, clock) = sandbox(dir.path());
    let input = common::ada_under("access", "eu-gdpr", "DE");
    for (role, field) in [
        (ProcessorInput { controller: " ".into(), ..acme() }, "controller"),
        (ProcessorInput { controller_email: "not an address".into(), ..acme() }, "controller_email"),
        (ProcessorInput { controller: "Acme\u{1b}[2J".into(), ..acme() }, "controller"),
        (ProcessorInput { received_by_us: Some("3 Nov".into()), ..acme() }, "received_by_us"),
        (ProcessorInput { received_by_us: Some("2026-12-01".into()), ..acme() }, "received_by_us"),
    ] {
        let err = processor::register(&db, &clock, &input, &role, "officer").unwrap_err();
        assert_eq!(err.field(), Some(field), "{err}");
        assert!(!err.to_string().contains("Ada"), "no personal data in errors: {err}");
    }
    assert_eq!(count(&db, "requests"), 0);
    assert_eq!(count(&db, "processor_roles"), 0);
}

#[test]
fn the_subject_gets_only_the_forwarded_notice_and_the_request_goes_to_the_controller() {
    let dir = tempfile::tempdir().unwrap();
    let (db, clock) = sandbox(dir.path());
    let (request, _) = processor::register(&db, &clock, &common::ada_under("access", "eu-gdpr", "DE"), &acme(), "officer").unwrap();

    // No letter as if we were the controller: acknowledgement, response, refusal, extension…
    for template in ["acknowledgement", "response", "refusal", "extension-notice", "identity-request"] {
        let err =
            letters::preview(&db, &clock, &request.id, &LetterInput { reasons: "R".into(), ..letter(template, Lang::En) }).unwrap_err();
        assert_eq!(err.field(), Some("template"), "{template}: {err}");
        assert!(err.to_string().contains("processor for Acme Shop GmbH"), "{template}: {err}");
    }

    for (lang, forwarded, art28, due) in [
        (Lang::En, "We have forwarded your request to Acme Shop GmbH", "Art. 28(3)(e) of the GDPR", "2 December 2026"),
        (Lang::De, "Wir haben Ihre Anfrage an Acme Shop GmbH weitergeleitet", "Art. 28 Abs. 3 lit. e DSGVO", "2. Dezember 2026"),
        (Lang::Fr, "Nous avons transmis votre demande à Acme Shop GmbH", "article 28, paragraphe 3, point e), du RGPD", "2 décembre 2026"),
    ] {
        let notice = letters::preview(&db, &clock, &request.id, &letter("processor-notice", lang)).unwrap();
        assert_eq!(notice.to, "Ada Example <ada@example.net>");
        assert!(notice.text.contains(forwarded), "{lang}: {}", notice.text);
        // Nothing a controller would say: no answer date, no rights, no authority.
        assert!(!notice.text.contains(due), "{lang}: {}", notice.text);
        assert!(!notice.text.contains("A copy of all data"), "{lang}: {}", notice.text);

        let forward = letters::preview(&db, &clock, &request.id, &letter("processor-forward", lang)).unwrap();
        assert_eq!(forward.to, "Acme Shop GmbH <privacy@acme.example>", "the forward goes to the controller");
        for part in ["Ada Example", "ada@example.net", &request.reference, "A copy of all data about her account", art28, due] {
            assert!(forward.text.contains(part), "{lang}: lacks {part:?}\n{}", forward.text);
        }
        assert!(!forward.text.contains("{{"), "{}", forward.text);
    }

    // The forward needs what the subject asked; queueing it records the day it was forwarded.
    let err = letters::preview(&db, &clock, &request.id, &LetterInput { details: String::new(), ..letter("processor-forward", Lang::En) })
        .unwrap_err();
    assert_eq!(err.field(), Some("details"));
    let queued =
        letters::queue(&db, &clock, &RequestId::new(request.id.clone()), &letter("processor-forward", Lang::En), &[], "officer").unwrap();
    assert_eq!(queued.to, "Acme Shop GmbH <privacy@acme.example>");
    let role = processor::of_request(&db, &clock, &request.id).unwrap().unwrap();
    assert_eq!(role.forwarded_on, Some(d("2026-11-04")));
}

#[test]
fn the_processor_letters_are_refused_for_a_request_of_our_own() {
    let dir = tempfile::tempdir().unwrap();
    let (db, clock) = sandbox(dir.path());
    let own = requests::register(&db, &clock, &common::ada_under("access", "eu-gdpr", "DE"), "officer").unwrap();
    for template in ["processor-forward", "processor-notice"] {
        let err = letters::preview(&db, &clock, &own.id, &letter(template, Lang::En)).unwrap_err();
        assert_eq!(err.field(), Some("template"), "{template}: {err}");
    }
    letters::preview(&db, &clock, &own.id, &letter("acknowledgement", Lang::En)).unwrap();
}

#[test]
fn the_next_step_of_a_processor_request_is_the_forward_to_its_controller_not_an_acknowledgement() {
    use rightsdesk_core::register::next_step::{next_step, NextStepKind};
    let dir = tempfile::tempdir().unwrap();
    let (db, clock) = sandbox(dir.path());
    let input = NewRequest { received: "2026-11-02".into(), ..common::ada_under("access", "ccpa", "US-CA") };
    let (request, _) = processor::register(&db, &clock, &input, &acme(), "officer").unwrap();
    let step = next_step(&db, &clock, &request.id).unwrap();
    assert_eq!(step.kind, NextStepKind::ForwardToController, "a CCPA request of our own would be acknowledged first");
    assert_eq!(step.date, Some(d("2026-12-16")), "by the controller's date");
    assert_eq!(step.letter, Some(rightsdesk_core::letters::templates::TemplateName::ProcessorForward));

    letters::queue(&db, &clock, &RequestId::new(request.id.clone()), &letter("processor-forward", Lang::En), &[], "officer").unwrap();
    let step = next_step(&db, &clock, &request.id).unwrap();
    assert_eq!(step.kind, NextStepKind::ForwardedToController);
    assert_eq!(step.date, Some(d("2026-11-04")), "since the day it was forwarded");
    assert_eq!(step.letter, None, "no letter of ours to the subject is next");
}
