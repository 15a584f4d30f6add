//! A data-protection complaint to the controller (issue 19, item 10): a request
//! type only the UK gives (DPA 2018 s. 164A, inserted by the Data (Use and
//! Access) Act 2025, in force 19 June 2026). Acknowledged within 30 days
//! beginning with the day of receipt; before 19 June 2026 no statutory date.

mod common;

use chrono::NaiveDate;
use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::deadlines::{self, EngineOptions, ScheduleInput};
use rightsdesk_core::domain::Lang;
use rightsdesk_core::domain::{NewRequest, RequestType};
use rightsdesk_core::error::Error;
use rightsdesk_core::letters::draft::{self as letters, LetterInput};
use rightsdesk_core::requests;
use rightsdesk_core::settings::mail as settings;
use rightsdesk_core::settings::mail::MailSettings;
use rightsdesk_core::settings::mail::Security;
use rightsdesk_core::store::Db;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn complaint(regime: &str, jurisdiction: &str, received: &str) -> NewRequest {
    NewRequest { received: received.into(), time_zone: "Europe/London".into(), ..common::ada_under("complaint", regime, jurisdiction) }
}

#[test]
fn a_complaint_is_a_request_type_only_under_the_uk_gdpr() {
    let db = Db::open_in_memory().unwrap();
    let clock = FixedClock::at("2026-11-04");
    for regime in deadlines::regime_ids() {
        let info = deadlines::regime(regime).unwrap();
        let result = requests::register(&db, &clock, &complaint(regime, &info.default_jurisdiction, "2026-11-02"), "tester");
        match (regime, result) {
            ("uk-gdpr", Ok(r)) => assert_eq!(r.request_type, RequestType::Complaint),
            ("uk-gdpr", Err(e)) => panic!("uk-gdpr refused a complaint: {e}"),
            (_, Ok(_)) => panic!("{regime} accepted a complaint"),
            (_, Err(Error::Invalid { field, reason })) => {
                assert_eq!(field, "type", "{regime}");
                assert!(reason.ends_with("(it is under: uk-gdpr)"), "{regime}: {reason}");
            }
            (_, Err(e)) => panic!("{regime}: {e}"),
        }
    }
}

#[test]
fn acknowledged_within_30_days_beginning_with_receipt_from_19_june_2026() {
    let options = EngineOptions::default();
    // (received, the date to acknowledge by; None = no statutory date)
    let cases = [
        ("2026-06-18", None),               // before s. 164A is in force
        ("2026-06-19", Some("2026-07-18")), // day one is 19 June; the 30th day a Saturday: not moved
        ("2026-11-02", Some("2026-12-01")), // 2 Nov + 29
        ("2026-12-03", Some("2027-01-01")), // New Year's Day: not moved either
    ];
    for (received, due) in cases {
        let s = deadlines::compute(&ScheduleInput {
            regime: "uk-gdpr",
            jurisdiction: "GB-ENG",
            request_type: RequestType::Complaint,
            received_on: d(received),
            events: &[],
            options: &options,
            today: None,
        })
        .unwrap();
        assert_eq!(s.legal_due, due.map(d), "{received}: {:?}", s.steps);
        assert_eq!(s.extended_due, None);
        assert!(!s.duties.iter().any(|x| x.id == "no-action-notice"), "{received}: a complaint is not a rights request");
        if due.is_none() {
            assert!(!s.statutory);
            let w = s.warnings.iter().find(|w| w.code == "no_statutory_date").expect("says why there is no date");
            assert!(w.message.contains("19 Jun 2026") || w.message.contains("2026-06-19"), "{}", w.message);
        } else {
            assert!(s.steps.iter().any(|x| x.source.contains("s. 164A")), "{:?}", s.steps);
        }
    }
    // No extension of the 30 days.
    let input = ScheduleInput {
        regime: "uk-gdpr",
        jurisdiction: "GB-ENG",
        request_type: RequestType::Complaint,
        received_on: d("2026-11-02"),
        events: &[],
        options: &options,
        today: None,
    };
    assert!(deadlines::check_extension(&input, d("2026-11-03")).is_err());
    // An access request under the same law keeps its month and its roll.
    let access = deadlines::compute(&ScheduleInput { request_type: RequestType::Access, ..input }).unwrap();
    assert_eq!(access.legal_due, Some(d("2026-12-02")));
}

#[test]
fn the_acknowledgement_of_a_complaint_says_it_is_one_and_promises_no_answer_date() {
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
            ..Default::default()
        },
    )
    .unwrap();
    let id = requests::register(&db, &clock, &complaint("uk-gdpr", "GB-ENG", "2026-11-02"), "tester").unwrap().id;
    let words = [
        (Lang::En, "We received your complaint", "section 164A", "We will answer by"),
        (Lang::De, "wir haben Ihre Beschwerde", "Section 164A", "Wir antworten spätestens"),
        (Lang::Fr, "votre réclamation", "section 164A", "Nous vous répondrons au plus tard"),
    ];
    for (lang, received, cite, false_promise) in words {
        let input = LetterInput { template: "acknowledgement".into(), lang: Some(lang), ..Default::default() };
        let text = letters::preview(&db, &clock, &id, &input).unwrap().text;
        assert!(text.contains(received) && text.contains(cite), "{lang:?}:\n{text}");
        assert!(!text.contains(false_promise), "{lang:?}:\n{text}");
    }
}
