//! Every letter, for every regime (grouped in families of law) and every
//! language, rendered through the real letter service on a real SQLite
//! database: each element the law asks of that letter is present, and no
//! element that belongs to another family appears. The table below mirrors
//! `docs/legal/letters.md` (the template line and the source of each element).

mod common;

use std::collections::BTreeMap;

use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::deadlines as deadline;
use rightsdesk_core::domain::Lang;
use rightsdesk_core::letters::authorities;
use rightsdesk_core::letters::draft::{self as letters, LetterInput};
use rightsdesk_core::letters::templates::{self, Family, TemplateName};
use rightsdesk_core::requests;
use rightsdesk_core::settings::mail as settings;
use rightsdesk_core::settings::mail::MailSettings;
use rightsdesk_core::settings::mail::Security;
use rightsdesk_core::store::Db;

/// Stands for the authority of the request, in the letter's language.
const AUTH: &str = "<authority>";
const CONTACT: &str = "privacy@org.example";
const EU_REP: &str = "Rep Example GmbH, Unter den Linden 1, 10117 Berlin";
const DPO: &str = "dpo@org.example";

/// An element a letter may carry: the words that show it, per language. A
/// required element must show all its words; an element of another family none.
struct Element {
    id: &'static str,
    en: &'static [&'static str],
    de: &'static [&'static str],
    fr: &'static [&'static str],
}

impl Element {
    fn words(&self, lang: Lang) -> &'static [&'static str] {
        match lang {
            Lang::En => self.en,
            Lang::De => self.de,
            Lang::Fr => self.fr,
        }
    }
}

const ELEMENTS: &[Element] = &[
    Element {
        id: "sa-complaint",
        en: &["supervisory authority", AUTH],
        de: &["Aufsichtsbehörde", AUTH],
        fr: &["autorité de contrôle", AUTH],
    },
    Element { id: "judicial-remedy", en: &["judicial remedy"], de: &["gerichtlichen Rechtsbehelf"], fr: &["recours juridictionnel"] },
    Element {
        id: "gdpr-cite",
        en: &["(GDPR Art. 12(4), 77 and 79)"],
        de: &["(Art. 12 Abs. 4, 77 und 79 DSGVO)"],
        fr: &["(art. 12, paragraphe 4, 77 et 79 RGPD)"],
    },
    Element {
        id: "uk-cite",
        en: &["UK GDPR Art. 12(4)", "Data Protection Act 2018 s. 167"],
        de: &["UK GDPR", "Data Protection Act 2018, s. 167"],
        fr: &["UK GDPR", "Data Protection Act 2018, s. 167"],
    },
    Element {
        id: "us-appeal",
        en: &[
            "You can appeal this decision",
            "reply to this letter or write to privacy@org.example",
            "within 45 days of receiving this letter",
        ],
        de: &["Einspruch einlegen", "schreiben Sie an privacy@org.example", "innerhalb von 45 Tagen nach Erhalt dieses Schreibens"],
        fr: &["faire appel de cette décision", "écrivez à privacy@org.example", "dans un délai de 45 jours à compter de la réception"],
    },
    Element {
        id: "ag-after-denied-appeal",
        en: &["If we deny your appeal, we will tell you how to submit a complaint to the", AUTH],
        de: &["Weisen wir Ihren Einspruch zurück", AUTH],
        fr: &["Si nous rejetons votre appel", AUTH],
    },
    Element {
        id: "utah-new-request",
        en: &["we will treat your message as a new request"],
        de: &["als neue Anfrage"],
        fr: &["comme une nouvelle demande"],
    },
    Element {
        id: "ccpa-complaint",
        en: &["not complied with the California Consumer Privacy Act, you can file a complaint", AUTH],
        de: &["California Consumer Privacy Act nicht eingehalten", AUTH],
        fr: &["pas respecté le California Consumer Privacy Act", AUTH],
    },
    Element {
        id: "provision",
        en: &["The provision of the law on which we rely: DETAILS-TEXT"],
        de: &["Die gesetzliche Bestimmung, auf die wir uns stützen: DETAILS-TEXT"],
        fr: &["La disposition de la loi sur laquelle nous nous fondons : DETAILS-TEXT"],
    },
    Element {
        id: "cai-30-days",
        en: &["Commission d'accès à l'information for the examination of this disagreement within 30 days", "ss. 34 and 43", AUTH],
        de: &["innerhalb von 30 Tagen nach dieser Ablehnung bei der Commission d'accès à l'information", "Art. 34 und 43", AUTH],
        fr: &["dans les 30 jours de ce refus, soumettre à la Commission d'accès à l'information", "art. 34 et 43", AUTH],
    },
    Element {
        id: "paia-refusal-remedies",
        en: &["Information Regulator, or apply to a court, against this refusal, within 180 days", "56(3)(c)", AUTH],
        de: &["gegen diese Ablehnung innerhalb von 180 Tagen", "56(3)(c)", AUTH],
        fr: &["dans les 180 jours suivant cette décision", "saisir un tribunal contre ce refus", "56(3)(c)", AUTH],
    },
    Element {
        id: "paia-extension-remedies",
        en: &["against this extension, within 180 days", "57(3)(c)", AUTH],
        de: &["gegen diese Verlängerung innerhalb von 180 Tagen", "57(3)(c)", AUTH],
        fr: &["contre cette prolongation", "57(3)(c)", AUTH],
    },
    Element {
        id: "opc-refusal",
        en: &["Privacy Commissioner of Canada about this refusal", "8(7)", AUTH],
        de: &["über diese Ablehnung beim Datenschutzbeauftragten Kanadas", "8(7)", AUTH],
        fr: &["au sujet de ce refus auprès du Commissaire", "8(7)", AUTH],
    },
    Element {
        id: "opc-extension",
        en: &["Privacy Commissioner of Canada about this extension", "8(4)", AUTH],
        de: &["über diese Verlängerung beim Datenschutzbeauftragten Kanadas", "8(4)", AUTH],
        fr: &["au sujet de cette prolongation auprès du Commissaire", "8(4)", AUTH],
    },
    Element {
        id: "anpd",
        en: &["petition the national authority", "Art. 18 § 1", AUTH],
        de: &["an die nationale Datenschutzbehörde", "Art. 18 § 1", AUTH],
        fr: &["saisir l'autorité nationale", "art. 18, § 1", AUTH],
    },
    Element {
        id: "fdpic",
        en: &["civil courts (FADP Art. 32)", "(FADP Art. 49)", AUTH],
        de: &["Zivilgerichten durchsetzen (Art. 32 DSG)", "(Art. 49 DSG)", AUTH],
        fr: &["tribunaux civils (art. 32 LPD)", "(art. 49 LPD)", AUTH],
    },
    Element { id: "oaic", en: &["APP 12.9 and s. 36", AUTH], de: &["APP 12.9 und s. 36", AUTH], fr: &["APP 12.9 et s. 36", AUTH] },
    Element {
        id: "pdpc",
        en: &["to review this refusal (PDPA s. 48H)", AUTH],
        de: &["Überprüfung dieser Ablehnung beantragen (PDPA s. 48H)", AUTH],
        fr: &["réexaminer ce refus (PDPA, s. 48H)", AUTH],
    },
    Element {
        id: "ppc",
        en: &["you may consult the Personal Information Protection Commission", AUTH],
        de: &["an die Personal Information Protection Commission wenden", AUTH],
        fr: &["vous pouvez consulter la Personal Information Protection Commission", AUTH],
    },
    Element {
        id: "gdpr-rights",
        en: &["right to rectification, erasure, restriction of processing and objection"],
        de: &["Recht auf Berichtigung, Löschung, Einschränkung der Verarbeitung und Widerspruch"],
        fr: &["droit de rectification, d'effacement, de limitation du traitement et d'opposition"],
    },
    Element {
        id: "access-contents",
        en: &["the purposes of the processing, the recipients, how long we keep the data"],
        de: &["die Zwecke der Verarbeitung, die Empfänger, die Speicherdauer"],
        fr: &["les finalités du traitement, les destinataires, la durée de conservation"],
    },
    Element {
        id: "ccpa-rights",
        en: &[
            "right to know",
            "right to delete",
            "right to correct",
            "right to opt out of the sale or sharing",
            "right to limit the use and disclosure of sensitive",
            "not to be discriminated against",
        ],
        de: &[
            "Recht zu erfahren",
            "löschen zu lassen",
            "berichtigen zu lassen",
            "Verkauf oder der Weitergabe",
            "sensibler Informationen zu beschränken",
            "nicht benachteiligt",
        ],
        fr: &["droit de savoir", "faire supprimer", "faire corriger", "vente ou au partage", "limiter l'utilisation", "discrimination"],
    },
    Element {
        id: "ccpa-specific-pieces",
        en: &["specific pieces of personal information"],
        de: &["konkreten personenbezogenen Informationen"],
        fr: &["éléments précis de renseignements personnels"],
    },
    Element {
        id: "correction-and-complaint",
        en: &["You can ask us to correct your personal information, and you can complain to:", AUTH],
        de: &["Sie können uns bitten, Ihre personenbezogenen Informationen zu berichtigen", AUTH],
        fr: &["Vous pouvez nous demander de rectifier vos renseignements personnels", AUTH],
    },
    Element {
        id: "ccpa-verification",
        en: &["How we will verify your identity: DETAILS-TEXT"],
        de: &["So prüfen wir Ihre Identität: DETAILS-TEXT"],
        fr: &["Comment nous vérifierons votre identité : DETAILS-TEXT"],
    },
    Element {
        id: "ag-appeal-denied",
        en: &["If we have denied your appeal in whole or in part", AUTH],
        de: &["Haben wir Ihren Einspruch ganz oder teilweise zurückgewiesen", AUTH],
        fr: &["Si nous avons rejeté votre recours en tout ou en partie", AUTH],
    },
    Element {
        id: "complaint-after-review",
        en: &["If you disagree with this decision, you can submit a complaint to:", AUTH],
        de: &["Sind Sie mit dieser Entscheidung nicht einverstanden, können Sie sich beschweren bei:", AUTH],
        fr: &["Si vous n'êtes pas d'accord avec cette décision, vous pouvez adresser une plainte à :", AUTH],
    },
    Element {
        id: "written-reasons",
        en: &["The reasons for our decision:\n\nREASONS-TEXT"],
        de: &["Die Gründe für unsere Entscheidung:\n\nREASONS-TEXT"],
        fr: &["Les motifs de notre décision :\n\nREASONS-TEXT"],
    },
    Element {
        id: "complaint-outcome",
        en: &["The outcome:\n\nDETAILS-TEXT"],
        de: &["Das Ergebnis:\n\nDETAILS-TEXT"],
        fr: &["Son issue :\n\nDETAILS-TEXT"],
    },
    Element {
        id: "ico-after-outcome",
        en: &[
            "We tell you the outcome of your complaint as the Data Protection Act 2018, section 164A, requires",
            "you have the right to complain to the",
            AUTH,
        ],
        de: &[
            "Wir teilen Ihnen das Ergebnis Ihrer Beschwerde mit, wie es der Data Protection Act 2018, Section 164A, verlangt",
            "haben Sie das Recht, sich bei der",
            AUTH,
        ],
        fr: &[
            "Nous vous communiquons l'issue de votre réclamation comme l'exige le Data Protection Act 2018, section 164A",
            "vous avez le droit d'introduire une réclamation auprès de",
            AUTH,
        ],
    },
    Element {
        id: "eu-representative",
        en: &["Our representative in the EU (GDPR Art. 27): ", EU_REP],
        de: &["Unser Vertreter in der EU (Art. 27 DSGVO): ", EU_REP],
        fr: &["Notre représentant dans l'UE (art. 27 RGPD) : ", EU_REP],
    },
];

const NOT_US: &[&str] = &["gdpr", "uk", "quebec", "popia", "pipeda", "lgpd", "ch", "au", "sg", "jp"];
const OTHERS: &[&str] = &["quebec", "popia", "pipeda", "lgpd", "ch", "au", "sg", "jp"];

/// The elements a letter carries for a family (as in docs/legal/letters.md).
fn required(letter: TemplateName, family: &str) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = match (letter, family) {
        (TemplateName::Refusal, "gdpr") => vec!["sa-complaint", "judicial-remedy", "gdpr-cite"],
        (TemplateName::Refusal, "uk") => vec!["sa-complaint", "judicial-remedy", "uk-cite"],
        (TemplateName::Refusal, "us") => vec!["us-appeal", "ag-after-denied-appeal"],
        (TemplateName::Refusal, "utah") => vec!["utah-new-request"],
        (TemplateName::Refusal, "ccpa") => vec!["ccpa-complaint"],
        (TemplateName::Refusal, "quebec") => vec!["provision", "cai-30-days"],
        (TemplateName::Refusal, "popia") => vec!["provision", "paia-refusal-remedies"],
        (TemplateName::Refusal, "pipeda") => vec!["opc-refusal"],
        (TemplateName::Refusal, "lgpd") => vec!["anpd"],
        (TemplateName::Refusal, "ch") => vec!["fdpic"],
        (TemplateName::Refusal, "au") => vec!["oaic"],
        (TemplateName::Refusal, "sg") => vec!["pdpc"],
        (TemplateName::Refusal, "jp") => vec!["ppc"],
        (TemplateName::ExtensionNotice, "gdpr" | "uk") => vec!["sa-complaint", "judicial-remedy"],
        (TemplateName::ExtensionNotice, "pipeda") => vec!["opc-extension"],
        (TemplateName::ExtensionNotice, "popia") => vec!["paia-extension-remedies"],
        // The table's letters carry reasons: an erasure letter is then a partial refusal (Art. 12(4)).
        (TemplateName::ResponseErasure, "gdpr" | "uk") => vec!["sa-complaint", "judicial-remedy"],
        (TemplateName::ResponseAccess, "gdpr" | "uk") => vec!["access-contents", "gdpr-rights", "sa-complaint"],
        (TemplateName::ResponseAccess, "ccpa") => vec!["ccpa-specific-pieces", "ccpa-rights"],
        (TemplateName::ResponseAccess, f) if OTHERS.contains(&f) => vec!["access-contents", "correction-and-complaint"],
        (TemplateName::Acknowledgement, "ccpa") => vec!["ccpa-verification"],
        (TemplateName::AppealDecision, "us") => vec!["written-reasons", "ag-appeal-denied"],
        (TemplateName::AppealDecision, f) if NOT_US.contains(&f) => vec!["written-reasons", "complaint-after-review"],
        (TemplateName::AppealDecision, _) => vec!["written-reasons"],
        (TemplateName::ComplaintOutcome, "uk") => vec!["complaint-outcome", "ico-after-outcome"],
        (TemplateName::ComplaintOutcome, _) => vec!["complaint-outcome"],
        _ => vec![],
    };
    if family == "gdpr" {
        out.push("eu-representative");
    }
    out
}

fn sandbox(appeal_days: Option<u32>, dpo_appointed: Option<bool>) -> (Db, FixedClock) {
    let db = Db::open_in_memory().unwrap();
    let clock = FixedClock::at("2026-11-04");
    settings::save(
        &db,
        MailSettings {
            host: "localhost".into(),
            security: Security::None,
            from_address: CONTACT.into(),
            org_name: "Org Example Ltd".into(),
            dpo_contact: if dpo_appointed == Some(true) { DPO.into() } else { String::new() },
            dpo_appointed,
            eu_representative: Some(EU_REP.into()),
            appeal_days,
            ..Default::default()
        },
    )
    .unwrap();
    (db, clock)
}

fn register(db: &Db, clock: &FixedClock, regime: &str) -> String {
    let info = deadline::regime(regime).unwrap();
    let input = common::ada_under("access", regime, &info.default_jurisdiction);
    requests::register(db, clock, &input, "tester").unwrap().id
}

fn input(t: TemplateName, lang: Lang) -> LetterInput {
    LetterInput {
        template: t.as_str().into(),
        lang: Some(lang),
        reasons: "REASONS-TEXT".into(),
        details: "DETAILS-TEXT".into(),
        kept: String::new(),
    }
}

#[test]
fn every_letter_for_every_family_and_language_carries_what_its_law_asks_and_nothing_of_another_law() {
    let (db, clock) = sandbox(Some(45), Some(false));
    let mut failures = Vec::new();
    let mut checked: BTreeMap<&str, usize> = BTreeMap::new();
    for regime in deadline::regime_ids() {
        let family = Family::of_regime(regime).unwrap_or_else(|| panic!("{regime} belongs to no family of law"));
        let info = deadline::regime(regime).unwrap();
        let id = register(&db, &clock, regime);
        for letter in TemplateName::letters() {
            for lang in Lang::ALL {
                let preview = match letters::preview(&db, &clock, &id, &input(letter, lang)) {
                    Ok(p) => p,
                    // An extension notice is refused where the law allows no extension.
                    Err(_) if letter == TemplateName::ExtensionNotice && !info.extension_allowed => continue,
                    // The processor letters are only for a request handled as processor (tests/processor.rs).
                    Err(e)
                        if matches!(letter, TemplateName::ProcessorForward | TemplateName::ProcessorNotice)
                            && e.field() == Some("template") =>
                    {
                        continue
                    }
                    Err(e) => {
                        failures.push(format!("{regime} {letter} ({lang}): cannot be written: {e}"));
                        continue;
                    }
                };
                *checked.entry(family.as_str()).or_default() += 1;
                let text = format!("{}\n{}", preview.subject, preview.text);
                let authority = authorities::for_request_in(regime, &info.default_jurisdiction, lang);
                let wanted = required(letter, family.as_str());
                for element in ELEMENTS {
                    let words = element.words(lang);
                    if wanted.contains(&element.id) {
                        for w in words {
                            let w = if *w == AUTH { authority.as_str() } else { w };
                            if !text.contains(w) {
                                failures.push(format!("{regime} {letter} ({lang}): lacks {} — {w:?}", element.id));
                            }
                        }
                    } else if let Some(w) = words.iter().filter(|w| **w != AUTH).find(|w| text.contains(**w)) {
                        failures.push(format!("{regime} {letter} ({lang}): carries {} of another law — {w:?}", element.id));
                    }
                }
                for stray in [
                    "{{",
                    "[for ",
                    "[not ",
                    "none",
                    "ata protection officer:",
                    "Datenschutzbeauftragter:",
                    "Datenschutzbeauftragten:",
                    "élégué à la protection des données :",
                ] {
                    if text.contains(stray) {
                        failures.push(format!("{regime} {letter} ({lang}): prints {stray:?}"));
                    }
                }
                if lang != Lang::En {
                    let own = authorities::all_in(lang);
                    for english in authorities::all_in(Lang::En).iter().filter(|e| !own.contains(e)) {
                        if text.contains(english.as_str()) {
                            failures.push(format!("{regime} {letter} ({lang}): prints the English authority {english:?}"));
                        }
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    for f in Family::ALL {
        assert!(checked.get(f.as_str()).copied().unwrap_or(0) >= 3 * 10, "family {} was barely checked: {checked:?}", f.as_str());
    }
}

#[test]
fn a_uk_complaint_is_answered_with_its_outcome_and_the_right_to_complain_to_the_ico_and_needs_the_outcome_typed() {
    let (db, clock) = sandbox(Some(45), Some(false));
    let complaint = common::ada_under("complaint", "uk-gdpr", "GB-ENG");
    let id = requests::register(&db, &clock, &complaint, "tester").unwrap().id;
    // `response` on a complaint is the outcome letter (DPA 2018 s. 164A), not the generic answer.
    let response = LetterInput { template: "response".into(), ..input(TemplateName::ComplaintOutcome, Lang::En) };
    let p = letters::preview(&db, &clock, &id, &response).unwrap();
    assert!(p.subject.starts_with("The outcome of your complaint"), "{}", p.subject);
    assert!(p.text.contains("The outcome:\n\nDETAILS-TEXT"), "{}", p.text);
    assert!(p.text.contains("complain to the Information Commissioner's Office (ICO), ico.org.uk (section 165)"), "{}", p.text);
    for lang in Lang::ALL {
        let err =
            letters::preview(&db, &clock, &id, &LetterInput { details: String::new(), ..input(TemplateName::ComplaintOutcome, lang) })
                .unwrap_err();
        assert_eq!(err.field(), Some("details"), "{lang}: {err}");
    }
}

#[test]
fn a_us_refusal_cannot_be_written_until_the_appeal_window_is_recorded_and_a_gdpr_one_does_not_need_it() {
    let (db, clock) = sandbox(None, None);
    let va = register(&db, &clock, "us-va");
    let err = letters::preview(&db, &clock, &va, &input(TemplateName::Refusal, Lang::En)).unwrap_err();
    assert_eq!(err.field(), Some("appeal_days"), "{err}");
    let eu = register(&db, &clock, "eu-gdpr");
    letters::preview(&db, &clock, &eu, &input(TemplateName::Refusal, Lang::En)).unwrap();
}

#[test]
fn a_quebec_or_south_african_refusal_must_name_the_provision_and_a_ccpa_acknowledgement_the_verification() {
    let (db, clock) = sandbox(Some(45), None);
    for (regime, letter) in [("quebec", TemplateName::Refusal), ("popia", TemplateName::Refusal), ("ccpa", TemplateName::Acknowledgement)] {
        let id = register(&db, &clock, regime);
        let err = letters::preview(&db, &clock, &id, &LetterInput { details: String::new(), ..input(letter, Lang::Fr) }).unwrap_err();
        assert_eq!(err.field(), Some("details"), "{regime}: {err}");
    }
}

#[test]
fn the_dpo_line_appears_only_where_a_dpo_is_appointed_and_the_eu_representative_only_under_the_eu_gdpr() {
    let (db, clock) = sandbox(Some(45), Some(true));
    let eu = register(&db, &clock, "eu-gdpr");
    let uk = register(&db, &clock, "uk-gdpr");
    for (lang, line) in [
        (Lang::En, "Data protection officer: "),
        (Lang::De, "Datenschutzbeauftragter: "),
        (Lang::Fr, "Délégué à la protection des données : "),
    ] {
        let p = letters::preview(&db, &clock, &eu, &input(TemplateName::Refusal, lang)).unwrap();
        assert!(p.text.contains(&format!("{line}{DPO}")), "{}", p.text);
        assert!(p.text.contains(EU_REP));
        let p = letters::preview(&db, &clock, &uk, &input(TemplateName::Refusal, lang)).unwrap();
        assert!(!p.text.contains(EU_REP), "{}", p.text);
    }
    assert_eq!(
        settings::save(&db, MailSettings { dpo_contact: String::new(), ..settings::require(&db).unwrap() }).unwrap_err().field(),
        Some("dpo_contact")
    );
}

#[test]
fn an_organisations_own_refusal_still_serves_and_can_carry_its_own_family_paragraphs() {
    let (db, clock) = sandbox(Some(30), None);
    let custom = "Subject: Decision {{request.reference}}\n\nDear {{subject.name}},\n\nNo, because:\n\n{{reasons}}\n\n[for us]\nAppeal within {{appeal.window}} to {{privacy.contact}}.\n\n[not us]\nComplain to: {{authority}}.";
    templates::save(&db, &clock, TemplateName::Refusal, Lang::En, custom, "tester").unwrap();
    let va = register(&db, &clock, "us-va");
    let p = letters::preview(&db, &clock, &va, &input(TemplateName::Refusal, Lang::En)).unwrap();
    assert!(p.text.contains("Appeal within 30 days to privacy@org.example."), "{}", p.text);
    assert!(!p.text.contains("Complain to"), "{}", p.text);
    let fr = register(&db, &clock, "eu-gdpr");
    let p = letters::preview(&db, &clock, &fr, &input(TemplateName::Refusal, Lang::En)).unwrap();
    assert!(p.text.contains("Complain to: ") && !p.text.contains("Appeal within"), "{}", p.text);
    let err = templates::save(&db, &clock, TemplateName::Refusal, Lang::En, "Subject: S\n\n[for narnia]\nHi", "tester").unwrap_err();
    assert_eq!(err.field(), Some("source"));
}
