//! The erasure letter (issue 19, item 4), rendered through the real letter
//! service on a real database: "we have kept …" only when something was kept;
//! a partial refusal carries the reasons and the rights (GDPR Art. 12(4)); the
//! offer to name the recipients who were told (Art. 19) — in en/de/fr, and
//! none of the GDPR's articles in a letter under another law.

mod common;

use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::deadlines as deadline;
use rightsdesk_core::domain::Lang;
use rightsdesk_core::letters::authorities;
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

fn erasure(db: &Db, clock: &FixedClock, regime: &str) -> String {
    let info = deadline::regime(regime).unwrap();
    let input = common::ada_under("erasure", regime, &info.default_jurisdiction);
    requests::register(db, clock, &input, "tester").unwrap().id
}

fn letter(db: &Db, clock: &FixedClock, id: &str, lang: Lang, kept: &str, reasons: &str) -> String {
    let input = LetterInput {
        template: "response".into(),
        lang: Some(lang),
        reasons: reasons.into(),
        details: "Your account and its support tickets".into(),
        kept: kept.into(),
    };
    letters::preview(db, clock, id, &input).unwrap().text
}

/// (lang, "we have kept", "we have not erased everything", the rights of Art. 12(4), the Art. 19 offer).
const WORDS: [(Lang, &str, &str, &str, &str); 3] = [
    (
        Lang::En,
        "We have kept the following",
        "We have not erased everything",
        "seek a judicial remedy (Art. 12(4))",
        "we will tell you who they are (Art. 19)",
    ),
    (
        Lang::De,
        "Folgendes haben wir aufbewahrt",
        "Wir haben nicht alles gelöscht",
        "gerichtlichen Rechtsbehelf einzulegen (Art. 12 Abs. 4)",
        "nennen wir Ihnen diese Empfänger (Art. 19)",
    ),
    (
        Lang::Fr,
        "Nous avons conservé ce qui suit",
        "Nous n'avons pas effacé tout",
        "former un recours juridictionnel (art. 12(4))",
        "nous vous indiquerons qui ils sont (art. 19)",
    ),
];

#[test]
fn an_erasure_letter_says_we_kept_only_what_was_kept_and_a_partial_refusal_carries_reasons_and_rights() {
    let (db, clock) = sandbox();
    for regime in ["eu-gdpr", "uk-gdpr"] {
        let id = erasure(&db, &clock, regime);
        let jurisdiction = deadline::regime(regime).unwrap().default_jurisdiction.clone();
        for (lang, kept_words, refused_words, rights, offer) in WORDS {
            // Everything erased: no "we have kept", no refusal, the offer to name the recipients.
            let all = letter(&db, &clock, &id, lang, "", "");
            assert!(!all.contains(kept_words), "{regime}/{lang:?}: 'kept' printed with nothing kept:\n{all}");
            assert!(!all.contains(refused_words), "{regime}/{lang:?}: a refusal with no reasons:\n{all}");
            assert!(all.contains(offer), "{regime}/{lang:?}: no offer to name the recipients (Art. 19):\n{all}");

            // Something kept and something refused: both, with the reasons and the rights.
            let partial =
                letter(&db, &clock, &id, lang, "Invoices: HGB § 257, 10 years", "The invoices are needed for a pending tax audit");
            assert!(partial.contains(kept_words) && partial.contains("Invoices: HGB § 257, 10 years"), "{regime}/{lang:?}:\n{partial}");
            assert!(partial.contains(refused_words) && partial.contains("pending tax audit"), "{regime}/{lang:?}:\n{partial}");
            assert!(partial.contains(rights), "{regime}/{lang:?}: the Art. 12(4) rights are missing:\n{partial}");
            let authority = authorities::for_request_in(regime, &jurisdiction, lang);
            assert!(partial.contains(&authority), "{regime}/{lang:?}: the authority is not named:\n{partial}");
        }
    }
    // Under another law: no GDPR article, the reasons still given.
    let id = erasure(&db, &clock, "ccpa");
    let partial = letter(&db, &clock, &id, Lang::En, "", "We must keep the billing records");
    assert!(partial.contains("We have not erased everything") && partial.contains("billing records"), "{partial}");
    assert!(!partial.contains("Art. 12(4)") && !partial.contains("Art. 19") && !partial.contains("We have kept"), "{partial}");
}

/// What was kept is typed by the officer, who may keep data under a company policy (OpenFactory's
/// 7-year GxP log cites no law): the letter must not assert a legal duty nobody recorded.
#[test]
fn an_erasure_letter_does_not_call_what_was_kept_a_legal_duty() {
    let (db, clock) = sandbox();
    let id = erasure(&db, &clock, "eu-gdpr");
    for (lang, claim) in [(Lang::En, "legal duty"), (Lang::De, "gesetzliche Pflicht"), (Lang::Fr, "obligation légale")] {
        let kept = letter(&db, &clock, &id, lang, "GxP audit log: our own policy, 7 years", "");
        assert!(kept.contains("GxP audit log: our own policy, 7 years"), "{lang:?}:\n{kept}");
        assert!(!kept.to_lowercase().contains(claim), "{lang:?}: the letter asserts a legal duty for what the officer kept:\n{kept}");
    }
}
