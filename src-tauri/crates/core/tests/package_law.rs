//! The answer package's cover letter says only what is true for the law and
//! language of the request (issue 19, item 3): per family of law its elements
//! and none of another's, in en/de/fr; never "no automated decisions" or "no
//! transfer" for what nobody recorded; a fact the data map lacks stops the
//! build, naming the system and the fact, until the officer states it (on
//! record). Real encrypted databases; the ZIP read back with the `zip` crate.

mod common;

use std::io::Read;
use std::path::Path;

use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::datamap::io::{self as datamap_io, DataFormat};
use rightsdesk_core::datamap::{self, SystemInput, SystemText};
use rightsdesk_core::domain::Lang;
use rightsdesk_core::domain::RequestId;
use rightsdesk_core::domain::{NewRequest, RequestType};
use rightsdesk_core::packages::{self, FactStatement, PackageOptions};
use rightsdesk_core::requests;
use rightsdesk_core::store::Db;

fn clock() -> FixedClock {
    FixedClock::at("2026-11-23")
}

fn db(dir: &Path) -> Db {
    common::register_in(dir)
}

fn request(db: &Db, regime: &str, jurisdiction: &str) -> String {
    requests::register(
        db,
        &clock(),
        &NewRequest {
            request_type: RequestType::Access,
            regime: regime.into(),
            jurisdiction: jurisdiction.into(),
            subject_name: "Zoë Example".into(),
            subject_email: "zoe@example.org".into(),
            received: "2026-11-20".into(),
            ..Default::default()
        },
        "o",
    )
    .unwrap()
    .reference
}

/// A CRM Factory-like map: lead scoring recorded, US hosting under SCCs.
fn complete_map(db: &Db) {
    let crm = SystemInput {
        name: "CRM".into(),
        role: "own".into(),
        text: SystemText {
            purposes: "Sales pipeline".into(),
            data_categories: "Name; email address; lead score".into(),
            location: "AWS us-east-1, USA".into(),
            transfer_safeguard: "Standard Contractual Clauses".into(),
            retention: "Subscription + 30 days".into(),
            legal_basis: "Contract".into(),
            source: "Our customer's CRM entries".into(),
            automated_decisions: "Lead scoring: a model scores leads from their activity; a low score disqualifies the lead".into(),
            ..Default::default()
        },
        ..Default::default()
    };
    datamap::save(db, &clock(), None, &crm, "o").unwrap();
}

fn build(db: &Db, dir: &Path, reference: &str, lang: Option<Lang>) -> rightsdesk_core::Result<String> {
    let out = dir.join(format!("{reference}-{}.zip", lang.map_or("default", |l| l.as_str())));
    let sources = packages::sources_from_workspace(db, reference)?;
    packages::build_in(
        db,
        &clock(),
        &RequestId::from(reference),
        sources,
        &PackageOptions { out: &out, passphrase: None, overwrite: rightsdesk_core::files::destination::Overwrite::Allowed },
        lang,
        "o",
        &mut |_| {},
    )?;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    let mut letter = String::new();
    zip.by_name("cover-letter.html").unwrap().read_to_string(&mut letter).unwrap();
    Ok(letter)
}

/// (family, regime, jurisdiction, elements required in en, de, fr).
type Row = (&'static str, &'static str, &'static str, [&'static [&'static str]; 3]);

const TABLE: &[Row] = &[
    (
        "gdpr",
        "eu-gdpr",
        "DE",
        [
            &[
                "GDPR Art. 15(1), 15(2)",
                "Purposes (Art. 15(1)(a))",
                "Recipients (Art. 15(1)(c))",
                "Source (Art. 15(1)(g))",
                "GDPR Art. 15(1)(h), 22",
                "GDPR Art. 15(2)",
                "GDPR Art. 15(1)(f), 77",
                "Lead scoring",
                "Standard Contractual Clauses",
                "erasure",
            ],
            &[
                "DSGVO Art. 15(1), 15(2)",
                "Zwecke (Art. 15 Abs. 1 lit. a)",
                "Empfänger",
                "Herkunft",
                "DSGVO Art. 15(1)(h), 22",
                "DSGVO Art. 15(2)",
                "Beschwerde bei",
                "Lead scoring",
                "Löschung",
                "Vorgangsnummer",
            ],
            &[
                "RGPD Art. 15(1), 15(2)",
                "Finalités (art. 15(1)(a))",
                "Destinataires",
                "RGPD Art. 15(1)(h), 22",
                "RGPD Art. 15(2)",
                "réclamation",
                "Lead scoring",
                "effacement",
            ],
        ],
    ),
    (
        "uk",
        "uk-gdpr",
        "GB-ENG",
        [
            &["UK GDPR Art. 15(1), 15(2)", "UK GDPR Art. 15(1)(h), 22", "UK GDPR Art. 15(2)", "Information Commissioner", "Lead scoring"],
            &["UK GDPR Art. 15(1), 15(2)", "UK GDPR Art. 15(1)(h), 22", "Beschwerde bei", "Lead scoring"],
            &["UK GDPR Art. 15(1), 15(2)", "UK GDPR Art. 15(1)(h), 22", "réclamation", "Lead scoring"],
        ],
    ),
    (
        "ccpa",
        "ccpa",
        "US-CA",
        [
            &[
                "Cal. Civ. Code §§ 1798.110, 1798.130",
                "Categories of personal information",
                "Categories of sources",
                "Business or commercial purposes",
                "Categories of third parties",
                "specific pieces",
                "right to know",
                "right to delete",
                "right to correct",
                "opt out",
                "limit the use",
                "not to be discriminated",
            ],
            &[
                "Kategorien personenbezogener Informationen",
                "Kategorien von Quellen",
                "Geschäftliche oder kommerzielle Zwecke",
                "Kategorien von Dritten",
                "konkreten personenbezogenen Informationen",
                "§ 1798.125",
            ],
            &[
                "Catégories de renseignements personnels",
                "Catégories de sources",
                "Finalités commerciales",
                "Catégories de tiers",
                "éléments précis",
                "§ 1798.125",
            ],
        ],
    ),
    (
        "lgpd",
        "lgpd",
        "BR",
        [
            &[
                "LGPD Art. 9, Art. 19(II)",
                "Purpose (Art. 9(I))",
                "Form and duration (Art. 9(II))",
                "Shared use: with whom (Art. 9(V))",
                "Origin of the data (Art. 19(II))",
                "Criteria used",
                "LGPD Art. 33",
                "LGPD Art. 20",
                "Art. 18 §1",
                "Lead scoring",
            ],
            &[
                "LGPD Art. 9, Art. 19(II)",
                "Zweck (Art. 9(I))",
                "Art und Dauer (Art. 9(II))",
                "Herkunft der Daten (Art. 19(II))",
                "LGPD Art. 20",
                "Lead scoring",
            ],
            &[
                "LGPD Art. 9, Art. 19(II)",
                "Finalité (art. 9(I))",
                "Forme et durée (art. 9(II))",
                "Origine des données (art. 19(II))",
                "LGPD art. 33",
                "Lead scoring",
            ],
        ],
    ),
    (
        "pipeda",
        "pipeda",
        "CA",
        [
            &["Principle 4.9", "Third parties to which it has been disclosed (4.9.3)", "Source (4.9.1)", "4.9.5", "PIPEDA s. 11"],
            &["Grundsatz 4.9", "(4.9.3)", "(4.9.1)", "4.9.5", "PIPEDA s. 11"],
            &["principe 4.9", "(4.9.3)", "(4.9.1)", "4.9.5", "LPRPDE art. 11"],
        ],
    ),
];

/// Words that belong to one family only: none may appear in another's letter.
const OWN: &[(&str, &[&str])] = &[
    ("gdpr", &["GDPR Art.", "DSGVO Art.", "RGPD Art."]),
    ("uk", &["UK GDPR"]),
    ("ccpa", &["1798.", "CCPA"]),
    ("lgpd", &["LGPD"]),
    ("pipeda", &["Principle 4.9", "Grundsatz 4.9", "principe 4.9", "PIPEDA", "LPRPDE"]),
];

/// English words that must not appear in a German or French letter.
const ENGLISH: &[&str] = &[
    "Your rights",
    "What we hold",
    "Yours sincerely",
    "not recorded",
    "Dear ",
    "safeguard:",
    "Automated decisions",
    "Data-subject request register",
    "Handling your request",
    "Identity and contact data",
];

#[test]
fn a_package_under_each_law_and_language_carries_that_laws_elements_and_nothing_of_another_law() {
    for (family, regime, jurisdiction, langs) in TABLE {
        let dir = tempfile::tempdir().unwrap();
        let db = db(dir.path());
        complete_map(&db);
        let reference = request(&db, regime, jurisdiction);
        for (lang, required) in Lang::ALL.into_iter().zip(langs) {
            let letter = build(&db, dir.path(), &reference, Some(lang)).unwrap();
            assert!(letter.contains(&format!("<html lang=\"{}\">", lang.as_str())), "{family}/{lang:?}: the page's language");
            for element in *required {
                assert!(letter.contains(element), "{family}/{lang:?}: the letter lacks {element:?}");
            }
            for (other, words) in OWN {
                // UK letters say "UK GDPR Art.", which contains the EU family's "GDPR Art.".
                if other == family || (*family == "uk" && *other == "gdpr") {
                    continue;
                }
                for w in *words {
                    assert!(!letter.contains(w), "{family}/{lang:?}: the letter carries {other}'s {w:?}");
                }
            }
            if lang != Lang::En {
                for w in ENGLISH {
                    assert!(!letter.contains(w), "{family}/{lang:?}: English words {w:?} in the letter");
                }
            }
            // Nothing is claimed that nobody recorded.
            for claim in ["no transfer", "Our records show no", "keine Übermittlung", "aucun transfert"] {
                assert!(!letter.contains(claim), "{family}/{lang:?}: the letter claims {claim:?}");
            }
        }
    }
}

#[test]
fn a_system_with_no_automated_decision_fact_stops_the_build_naming_it_and_an_officers_statement_lets_it_through_on_record() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(dir.path());
    let billing = SystemInput {
        name: "Billing".into(),
        role: "own".into(),
        text: SystemText { location: "Frankfurt, Germany (EU)".into(), purposes: "Invoices".into(), ..Default::default() },
        ..Default::default()
    };
    datamap::save(&db, &clock(), None, &billing, "o").unwrap();
    let reference = request(&db, "eu-gdpr", "DE");

    // The package panel's contents name the system and the missing fact.
    let contents = packages::contents(&db, &clock(), &reference, packages::sources_from_workspace(&db, &reference).unwrap()).unwrap();
    let missing: Vec<(&str, &str)> = contents.missing.iter().map(|m| (m.system.as_str(), m.fact.as_str())).collect();
    assert_eq!(missing, [("Billing", "automated_decisions")]);

    let err = build(&db, dir.path(), &reference, Some(Lang::En)).unwrap_err();
    assert_eq!(err.field(), Some("datamap"));
    let message = err.to_string();
    assert!(message.contains("Billing") && message.contains("automated decision-making"), "{message}");
    assert!(!dir.path().join(format!("{reference}-en.zip")).exists(), "nothing written");

    let statement = FactStatement {
        system: "Billing".into(),
        fact: "automated_decisions".into(),
        statement: "none: invoices are issued by staff".into(),
    };
    packages::state_fact(&db, &clock(), &RequestId::from(&reference), &statement, "officer").unwrap();
    let letter = build(&db, dir.path(), &reference, Some(Lang::En)).unwrap();
    assert!(letter.contains("none: invoices are issued by staff"), "the letter prints what the officer stated");
    let timeline = requests::detail(&db, &clock(), &reference).unwrap().timeline;
    let stated = timeline.iter().find(|e| e.kind == "package-fact-stated").expect("the statement is on the request's timeline");
    assert!(stated.summary.contains("Billing") && stated.summary.contains("automated decision-making"), "{}", stated.summary);
    assert_eq!(stated.actor, "officer");

    // An unknown fact or an empty statement is refused, naming the field.
    let bad = FactStatement { fact: "colour".into(), ..statement.clone() };
    assert_eq!(packages::state_fact(&db, &clock(), &RequestId::from(&reference), &bad, "o").unwrap_err().field(), Some("fact"));
    let empty = FactStatement { statement: " ".into(), ..statement };
    assert_eq!(packages::state_fact(&db, &clock(), &RequestId::from(&reference), &empty, "o").unwrap_err().field(), Some("statement"));
}

#[test]
fn an_empty_safeguard_with_a_location_outside_the_eea_is_never_printed_as_no_transfer() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(dir.path());
    let mail = SystemInput {
        name: "Mail provider".into(),
        role: "processor".into(),
        text: SystemText { location: "USA".into(), automated_decisions: "none".into(), ..Default::default() },
        ..Default::default()
    };
    datamap::save(&db, &clock(), None, &mail, "o").unwrap();
    let reference = request(&db, "eu-gdpr", "DE");
    let err = build(&db, dir.path(), &reference, None).unwrap_err();
    assert!(err.to_string().contains("Mail provider: the transfer safeguard"), "{err}");

    // Stated as unknown by the officer: printed as stated, never as "no transfer".
    let statement = FactStatement {
        system: "Mail provider".into(),
        fact: "transfer_safeguard".into(),
        statement: "being checked with the provider".into(),
    };
    packages::state_fact(&db, &clock(), &RequestId::from(&reference), &statement, "o").unwrap();
    let letter = build(&db, dir.path(), &reference, None).unwrap();
    assert!(letter.contains("<strong>Mail provider</strong>: USA"), "the location is printed");
    assert!(letter.contains("being checked with the provider"));
    assert!(!letter.contains("no transfer"), "no claim of no transfer");

    // A CCPA letter needs neither fact (its law asks for neither) and claims neither.
    let ccpa = request(&db, "ccpa", "US-CA");
    let letter = build(&db, dir.path(), &ccpa, Some(Lang::En)).unwrap();
    assert!(!letter.contains("no transfer") && !letter.contains("Art. 15"));
}

#[test]
fn the_data_map_files_carry_automated_decisions_and_a_duty_without_a_law_is_a_policy() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(dir.path());
    let crm_factory = include_str!("../../../../assets/datamap/examples/crm-factory.json");
    datamap_io::import(&db, &clock(), crm_factory, DataFormat::Json, "o").unwrap();
    let csv = datamap_io::export(&db, DataFormat::Csv).unwrap();
    assert!(csv.lines().next().unwrap().ends_with(",automated_decisions"), "the CSV has the column");
    let again = tempfile::tempdir().unwrap();
    let db2 = self::db(again.path());
    datamap_io::import(&db2, &clock(), &csv, DataFormat::Csv, "o").unwrap();
    let json = datamap_io::export(&db2, DataFormat::Json).unwrap();
    let rows: serde_json::Value = serde_json::from_str(&json).unwrap();
    let crm = rows.as_array().unwrap().iter().find(|r| r["name"] == "Customer CRM data").unwrap();
    assert!(crm["automated_decisions"].as_str().unwrap().contains("lead disqualification"), "lead scoring survives CSV and JSON");

    // OpenFactory's GxP audit log keeps data under its own policy, which cites no law.
    let openfactory: serde_json::Value =
        serde_json::from_str(include_str!("../../../../assets/datamap/examples/openfactory.json")).unwrap();
    let gxp = openfactory.as_array().unwrap().iter().find(|r| r["name"] == "Audit and verification logs").unwrap();
    assert!(!datamap::duty_cites_law(gxp["legal_duty"].as_str().unwrap()));
    assert!(datamap::duty_cites_law("Tax records: 26 U.S.C. § 6001"));
    assert!(datamap::duty_cites_law("HGB § 257: commercial letters 6 years"));
    let db3dir = tempfile::tempdir().unwrap();
    let db3 = self::db(db3dir.path());
    datamap_io::import(&db3, &clock(), &openfactory.to_string(), DataFormat::Json, "o").unwrap();
    let reference = request(&db3, "eu-gdpr", "DE");
    let letter = build(&db3, db3dir.path(), &reference, Some(Lang::En)).unwrap();
    assert!(letter.contains("our own policy, not a legal obligation: GxP audit trail"), "the GxP duty is shown as policy");

    // The starter map (FactoryLM) no longer carries OpenFactory's GxP row; its DigitalOcean is in the USA,
    // OpifexHQ's in Frankfurt.
    let starter = include_str!("../../../../assets/datamap/starter.json");
    assert!(!starter.contains("GxP"));
    let opifex: serde_json::Value = serde_json::from_str(include_str!("../../../../assets/datamap/examples/opifexhq.json")).unwrap();
    let ocean = opifex.as_array().unwrap().iter().find(|r| r["name"] == "DigitalOcean").unwrap();
    assert!(ocean["location"].as_str().unwrap().contains("Frankfurt"));
    assert!(packages::in_eea(ocean["location"].as_str().unwrap()));
    for example in ["openfactory", "factorylm", "opifexhq", "crm-factory"] {
        let text =
            std::fs::read_to_string(format!("{}/../../../assets/datamap/examples/{example}.json", env!("CARGO_MANIFEST_DIR"))).unwrap();
        datamap_io::parse(&text, DataFormat::Json).unwrap_or_else(|e| panic!("{example}: {e}"));
    }
}

/// Each seed company's example map, through its own access process: the
/// letter states its automated decisions, transfers and duties as recorded,
/// and names the authority of the request's place.
#[test]
fn each_seed_companys_example_map_builds_a_true_access_package() {
    let cases: [(&str, &str, &str, &[&str]); 5] = [
        (
            "openfactory",
            "eu-gdpr",
            "DE",
            &["Standard Contractual Clauses (SCCs)", "our own policy, not a legal obligation: GxP audit trail"],
        ),
        (
            "factorylm",
            "eu-gdpr",
            "IE",
            &["legal obligation: Tax records: 26 U.S.C. § 6001", "<strong>Langfuse</strong>: EU (Germany)", "DigitalOcean (USA)"],
        ),
        (
            "opifexhq",
            "eu-gdpr",
            "GR",
            &["<strong>DigitalOcean</strong>: Frankfurt, Germany (EU) · safeguard: none needed (within the EEA)"],
        ),
        ("crm-factory", "eu-gdpr", "FR", &["automated lead disqualification", "AWS us-east-1, USA (Neon)"]),
        ("crm-factory", "ccpa", "US-CA", &["Categories of personal information", "right to opt out"]),
    ];
    for (company, regime, jurisdiction, expected) in cases {
        let dir = tempfile::tempdir().unwrap();
        let db = db(dir.path());
        let text =
            std::fs::read_to_string(format!("{}/../../../assets/datamap/examples/{company}.json", env!("CARGO_MANIFEST_DIR"))).unwrap();
        datamap_io::import(&db, &clock(), &text, DataFormat::Json, "o").unwrap();
        let reference = request(&db, regime, jurisdiction);
        let letter = build(&db, dir.path(), &reference, Some(Lang::En)).unwrap_or_else(|e| panic!("{company}/{regime}: {e}"));
        for e in expected {
            assert!(letter.contains(e), "{company}/{regime}: the letter lacks {e:?}");
        }
        if regime != "ccpa" {
            let authority = rightsdesk_core::letters::authorities::for_request_in(regime, jurisdiction, Lang::En);
            assert!(letter.contains(&rightsdesk_core::html::escape(&authority)), "{company}: the authority {authority:?} is not named");
        }
        assert!(!letter.contains("no transfer") && !letter.contains("Our records show no"), "{company}/{regime}");
    }
}
