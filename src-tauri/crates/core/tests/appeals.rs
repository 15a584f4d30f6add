//! An appeal (US state laws) is a request that refers to the earlier request
//! whose decision it appeals (issue 19, item 1): the register checks and keeps
//! the link, the detail view shows it both ways, and the appeal-decision letter
//! names the earlier request — on a real SQLite database.

mod common;

use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::domain::Lang;
use rightsdesk_core::domain::RequestId;
use rightsdesk_core::domain::{NewRequest, Status};
use rightsdesk_core::error::Error;
use rightsdesk_core::letters::draft::{self as letters, LetterInput};
use rightsdesk_core::requests;
use rightsdesk_core::settings::mail as settings;
use rightsdesk_core::settings::mail::MailSettings;
use rightsdesk_core::settings::mail::Security;
use rightsdesk_core::store::Db;

fn sandbox() -> (Db, FixedClock) {
    let db = Db::open_in_memory().unwrap();
    let clock = FixedClock::at("2026-11-04");
    settings::save(
        &db,
        MailSettings {
            host: "localhost".into(),
            security: Security::None,
            from_address: "privacy@org.example".into(),
            org_name: "Org Example Ltd".into(),
            dpo_appointed: Some(false),
            appeal_days: Some(45),
            ..Default::default()
        },
    )
    .unwrap();
    (db, clock)
}

fn new(request_type: &str, regime: &str, jurisdiction: &str, appeal_of: Option<&str>) -> NewRequest {
    NewRequest { appeal_of: appeal_of.map(str::to_string), ..common::ada_under(request_type, regime, jurisdiction) }
}

/// A Virginia access request refused, one still open, a Colorado one refused,
/// and an appeal already decided.
struct Register {
    refused_va: String,
    open_va: String,
    refused_co: String,
    appeal_va: String,
}

fn register(db: &Db, clock: &FixedClock) -> Register {
    let add = |input: NewRequest| requests::register(db, clock, &input, "tester").unwrap();
    let refuse = |id: &str| {
        requests::change_status(db, clock, &RequestId::from(id), Status::Refused, Some("Identity could not be verified"), "tester")
            .unwrap();
    };
    let refused_va = add(new("access", "us-va", "US-VA", None)).reference;
    refuse(&refused_va);
    let open_va = add(new("access", "us-va", "US-VA", None)).reference;
    let refused_co = add(new("access", "us-co", "US-CO", None)).reference;
    refuse(&refused_co);
    let appeal_va = add(new("appeal", "us-va", "US-VA", Some(&refused_va))).reference;
    refuse(&appeal_va);
    Register { refused_va, open_va, refused_co, appeal_va }
}

#[test]
fn an_appeal_must_name_a_decided_request_under_the_same_law() {
    let (db, clock) = sandbox();
    let r = register(&db, &clock);
    // (type, regime, jurisdiction, appeal_of, the error's words; None = registered)
    type Case<'a> = (&'a str, &'a str, &'a str, Option<&'a str>, Option<&'a str>);
    let cases: Vec<Case> = vec![
        ("appeal", "us-va", "US-VA", Some(&r.refused_va), None),
        ("appeal", "us-va", "US-VA", Some(r.refused_va.to_lowercase().leak()), None),
        ("appeal", "us-va", "US-VA", None, Some("needs the reference of the earlier request")),
        ("appeal", "us-va", "US-VA", Some("  "), Some("needs the reference of the earlier request")),
        ("appeal", "us-va", "US-VA", Some("DSR-2026-9999"), Some("names no request")),
        ("appeal", "us-va", "US-VA", Some(&r.open_va), Some("has no decision to appeal yet")),
        ("appeal", "us-va", "US-VA", Some(&r.refused_co), Some("is under us-co, not us-va")),
        ("appeal", "us-va", "US-VA", Some(&r.appeal_va), Some("is itself an appeal")),
        ("access", "us-va", "US-VA", Some(&r.refused_va), Some("only an appeal refers to an earlier request")),
        ("appeal", "us-co", "US-CO", Some(&r.refused_co), None),
    ];
    for (request_type, regime, jurisdiction, appeal_of, expected) in cases {
        let result = requests::register(&db, &clock, &new(request_type, regime, jurisdiction, appeal_of), "tester");
        match (result, expected) {
            (Ok(_), None) => {}
            (Err(Error::Invalid { field, reason }), Some(words)) => {
                assert_eq!(field, "appeal_of", "{request_type} {regime} {appeal_of:?}");
                assert!(reason.contains(words), "{request_type} {regime} {appeal_of:?}: {reason}");
                assert!(!reason.contains("Ada"), "the subject's name is not in an error: {reason}");
            }
            (other, expected) => panic!("{request_type} {regime} {appeal_of:?}: got {other:?}, expected {expected:?}"),
        }
    }
}

#[test]
fn the_detail_view_links_the_appeal_and_the_decision_both_ways() {
    let (db, clock) = sandbox();
    let r = register(&db, &clock);
    let appeal = requests::detail(&db, &clock, &r.appeal_va).unwrap();
    let earlier = requests::detail(&db, &clock, &r.refused_va).unwrap();
    assert_eq!(appeal.appeal_of.as_ref().map(|l| l.id.as_str()), Some(earlier.request.id.as_str()));
    assert_eq!(appeal.appeal_of.as_ref().map(|l| l.reference.as_str()), Some(r.refused_va.as_str()));
    assert_eq!(earlier.appeals.iter().map(|l| l.reference.as_str()).collect::<Vec<_>>(), [r.appeal_va.as_str()]);
    assert!(earlier.appeal_of.is_none());
    // The registration on the sealed timeline names the appealed request.
    let registered = appeal.timeline.iter().find(|e| e.kind == "registered").unwrap();
    assert!(registered.data.contains(&r.refused_va), "{}", registered.data);
}

#[test]
fn the_appeal_decision_names_the_earlier_request_in_every_language() {
    let (db, clock) = sandbox();
    let r = register(&db, &clock);
    let words = [
        (Lang::En, "Your appeal concerns our decision on your request"),
        (Lang::De, "Ihr Einspruch betrifft unsere Entscheidung über Ihre Anfrage"),
        (Lang::Fr, "Votre recours porte sur notre décision relative à votre demande"),
    ];
    for (lang, sentence) in words {
        let input = LetterInput {
            template: "appeal-decision".into(),
            lang: Some(lang),
            reasons: "We could not verify the account holder.".into(),
            details: "We uphold our decision.".into(),
            kept: String::new(),
        };
        let text = letters::preview(&db, &clock, &r.appeal_va, &input).unwrap().text;
        let line = text.lines().find(|l| l.starts_with(sentence)).unwrap_or_else(|| panic!("{lang:?}: no line\n{text}"));
        assert!(line.contains(&r.refused_va), "{lang:?}: {line}");
    }
}

#[test]
fn an_import_column_names_the_appealed_request_and_a_bad_one_is_a_row_error() {
    use rightsdesk_core::import::{self, ImportField, ImportOptions, RowOutcome};
    let (db, clock) = sandbox();
    let r = register(&db, &clock);
    let file = format!(
        "type,regime,jurisdiction,name,email,received,Appeal of\n\
         appeal,us-va,US-VA,Bea Example,bea@example.net,2026-11-03,{}\n\
         appeal,us-va,US-VA,Cy Example,cy@example.net,2026-11-03,{}\n",
        r.refused_va, r.open_va
    );
    let preview = import::preview(&db, &clock, file.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!(preview.mapping[6], Some(ImportField::AppealOf));
    assert_eq!(preview.rows[0].outcome, RowOutcome::Ok, "{:?}", preview.rows[0]);
    assert_eq!(preview.rows[1].outcome, RowOutcome::Error);
    assert_eq!(preview.rows[1].field.as_deref(), Some("appeal_of"));
    assert!(preview.rows[1].message.as_deref().unwrap_or_default().contains("has no decision to appeal yet"));

    let one = file.lines().take(2).collect::<Vec<_>>().join("\n");
    import::commit(&db, &clock, "appeals.csv", one.as_bytes(), &ImportOptions::default(), "tester").unwrap();
    let earlier = requests::detail(&db, &clock, &r.refused_va).unwrap();
    assert_eq!(earlier.appeals.len(), 2, "the form's appeal and the imported one: {:?}", earlier.appeals);
}
