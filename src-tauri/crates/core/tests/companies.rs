//! Each seed company's own process (issue 19 item 12). First, CRM Factory's
//! promise: "We will respond to verified requests within 30 days (or 45 days
//! for complex requests with prior notice)" — the promise counts from identity
//! verification and has its own extension with notice, while the legal date
//! stays counted as the law says.
//!
//! The options are read from JSON as the settings store keeps them, so the
//! table runs (and fails) on an engine that does not know the new fields.

use chrono::NaiveDate;
use rightsdesk_core::deadlines::{compute, ClockEvent, EngineOptions, Schedule, ScheduleInput};
use rightsdesk_core::domain::RequestType;
use serde_json::json;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap_or_else(|_| panic!("bad date in test: {s}"))
}

fn verified(on: &str) -> ClockEvent {
    ClockEvent::IdentityReceived { on: d(on) }
}

fn notice(on: &str) -> ClockEvent {
    ClockEvent::ExtensionNoticeSent { on: d(on), reason: Some("complex request".into()), until: None }
}

/// CRM Factory's published promise, as stored settings.
fn crm_factory() -> EngineOptions {
    serde_json::from_value(json!({
        "promise_days": 30,
        "promise_extended_days": 45,
        "promise_from": "verification",
    }))
    .expect("CRM Factory's options")
}

fn run(regime: &str, jurisdiction: &str, received: &str, events: &[ClockEvent], options: &EngineOptions) -> Schedule {
    compute(&ScheduleInput {
        regime,
        jurisdiction,
        request_type: RequestType::Access,
        received_on: d(received),
        events,
        options,
        today: None,
    })
    .unwrap_or_else(|e| panic!("{regime}/{jurisdiction} {received}: {e}"))
}

struct Row {
    why: &'static str,
    regime: &'static str,
    jurisdiction: &'static str,
    received: &'static str,
    events: Vec<ClockEvent>,
    promised: Option<&'static str>,
    legal: &'static str,
    warning: Option<&'static str>,
}

#[test]
fn crm_factory_promises_30_days_from_verification_or_45_with_notice_and_the_law_counts_from_receipt() {
    let rows = vec![
        Row {
            why: "30 days from verification (10 Mar), not from receipt (3 Mar); the CCPA's 45 days still count from receipt",
            regime: "ccpa",
            jurisdiction: "US-CA",
            received: "2025-03-03",
            events: vec![verified("2025-03-10")],
            promised: Some("2025-04-09"),
            legal: "2025-04-16",
            warning: None,
        },
        Row {
            why: "not yet verified: no promised date, the legal date stands",
            regime: "ccpa",
            jurisdiction: "US-CA",
            received: "2025-03-03",
            events: vec![],
            promised: None,
            legal: "2025-04-16",
            warning: None,
        },
        Row {
            why: "notice given before the promised 9 Apr: 45 days from verification",
            regime: "ccpa",
            jurisdiction: "US-CA",
            received: "2025-03-03",
            events: vec![verified("2025-03-10"), notice("2025-04-01")],
            promised: Some("2025-04-24"),
            legal: "2025-05-31",
            warning: None,
        },
        Row {
            why: "notice after the promised 9 Apr: the 30-day promise stands",
            regime: "ccpa",
            jurisdiction: "US-CA",
            received: "2025-03-03",
            events: vec![verified("2025-03-10"), notice("2025-04-12")],
            promised: Some("2025-04-09"),
            legal: "2025-05-31",
            warning: Some("promise_extension_late"),
        },
        Row {
            why: "verified late (10 Apr): the promise would end 10 May, after the law's 16 Apr, which applies",
            regime: "ccpa",
            jurisdiction: "US-CA",
            received: "2025-03-03",
            events: vec![verified("2025-04-10")],
            promised: Some("2025-04-16"),
            legal: "2025-04-16",
            warning: Some("promise_later_than_law"),
        },
        Row {
            why: "GDPR: verified 5 Feb, promise to 7 Mar would pass the month (28 Feb): the law's date",
            regime: "eu-gdpr",
            jurisdiction: "IE",
            received: "2025-01-31",
            events: vec![verified("2025-02-05")],
            promised: Some("2025-02-28"),
            legal: "2025-02-28",
            warning: Some("promise_later_than_law"),
        },
        Row {
            why: "GDPR: notice within the promise extends both; the promise is 45 days from verification",
            regime: "eu-gdpr",
            jurisdiction: "IE",
            received: "2025-01-31",
            events: vec![verified("2025-02-05"), notice("2025-02-20")],
            promised: Some("2025-03-22"),
            legal: "2025-04-28",
            warning: None,
        },
    ];
    let options = crm_factory();
    for r in rows {
        let s = run(r.regime, r.jurisdiction, r.received, &r.events, &options);
        let what = format!("{} {} ({})\n{}", r.regime, r.received, r.why, s.explanation_line());
        assert_eq!(s.promised_due, r.promised.map(d), "promised: {what}");
        assert_eq!(s.legal_due, Some(d(r.legal)), "legal: {what}");
        if let Some(code) = r.warning {
            assert!(s.has_warning(code), "warning {code}: {what}");
        } else {
            assert!(!s.has_warning("promise_later_than_law") && !s.has_warning("promise_extension_late"), "no promise warning: {what}");
        }
        if r.promised.is_some() {
            let binding = s.promised_due.expect("promised");
            assert!(s.target.is_some_and(|t| t < binding), "the target precedes the promise: {what}");
        }
    }
}

#[test]
fn the_promise_still_counts_from_receipt_by_default_and_extends_only_with_notice() {
    let options: EngineOptions = serde_json::from_value(json!({ "promise_days": 30, "promise_extended_days": 45 })).expect("options");
    let plain = run("ccpa", "US-CA", "2025-03-03", &[verified("2025-03-10")], &options);
    assert_eq!(plain.promised_due, Some(d("2025-04-02")), "30 days from receipt");
    let noticed = run("ccpa", "US-CA", "2025-03-03", &[notice("2025-03-20")], &options);
    assert_eq!(noticed.promised_due, Some(d("2025-04-17")), "45 days from receipt");
    let old: EngineOptions = serde_json::from_value(json!({ "promise_days": 30 })).expect("options saved before");
    assert_eq!(
        run("ccpa", "US-CA", "2025-03-03", &[notice("2025-03-20")], &old).promised_due,
        Some(d("2025-04-02")),
        "without an extended promise, a notice does not move the promise"
    );
}

// ---------------------------------------------------------------------------
// Each company's whole process, on a real encrypted database: its example data
// map imported, its promise in the settings, an access and an erasure request
// under its laws through identity, tasks, the package and the letters.

mod process {
    use std::io::Read;
    use std::path::Path;

    use chrono::NaiveDate;
    use rightsdesk_core::clock::FixedClock;
    use rightsdesk_core::datamap;
    use rightsdesk_core::datamap::io::{self as datamap_io, DataFormat};
    use rightsdesk_core::deadlines::EngineOptions;
    use rightsdesk_core::domain::{NewRequest, RequestId};
    use rightsdesk_core::identity::{self, IdentityInput, IdentityMethod, IdentityOutcome};
    use rightsdesk_core::letters::draft::{self as letters, LetterInput};
    use rightsdesk_core::letters::{authorities, Lang};
    use rightsdesk_core::packages::{self, PackageOptions};
    use rightsdesk_core::requests;
    use rightsdesk_core::settings::mail as settings;
    use rightsdesk_core::settings::mail::MailSettings;
    use rightsdesk_core::settings::mail::Security;
    use rightsdesk_core::store::{Db, DbKey};
    use rightsdesk_core::tasks;
    use serde_json::json;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    struct Company {
        file: &'static str,
        name: &'static str,
        regime: &'static str,
        jurisdiction: &'static str,
        options: serde_json::Value,
        /// The promised date of an access request received Mon 2 Nov 2026 and verified Thu 5 Nov:
        /// before verification, after it.
        promised: (Option<&'static str>, Option<&'static str>),
        legal: &'static str,
        /// What the access package's cover letter must state (automated decisions, transfers, duties).
        cover: &'static [&'static str],
        /// The system whose retention duty the erasure task offers, and whether it cites a law.
        duty: Option<(&'static str, bool)>,
        /// Words the refusal letter must carry beyond the authority of the place.
        refusal: &'static [&'static str],
    }

    fn companies() -> Vec<Company> {
        vec![
            Company {
                file: "openfactory",
                name: "OpenFactory",
                regime: "eu-gdpr",
                jurisdiction: "DE",
                options: json!({ "promise_days": 30 }),
                promised: (Some("2026-12-02"), Some("2026-12-02")),
                legal: "2026-12-02",
                cover: &[
                    "Standard Contractual Clauses (SCCs)",
                    "our own policy, not a legal obligation: GxP audit trail kept 7 years",
                    "Automated decisions",
                ],
                duty: Some(("Audit and verification logs", false)),
                refusal: &[],
            },
            Company {
                file: "factorylm",
                name: "FactoryLM",
                regime: "eu-gdpr",
                jurisdiction: "IE",
                options: json!({ "promise_days": 30 }),
                promised: (Some("2026-12-02"), Some("2026-12-02")),
                legal: "2026-12-02",
                cover: &["legal obligation: Tax records: 26 U.S.C. § 6001", "<strong>Langfuse</strong>: EU (Germany)"],
                duty: Some(("Stripe", true)),
                refusal: &[],
            },
            Company {
                file: "opifexhq",
                name: "OpifexHQ",
                regime: "eu-gdpr",
                jurisdiction: "GR",
                options: json!({}),
                promised: (None, None),
                legal: "2026-12-02",
                cover: &["<strong>DigitalOcean</strong>: Frankfurt, Germany (EU) · safeguard: none needed (within the EEA)"],
                duty: None,
                refusal: &["Hellenic Data Protection Authority"],
            },
            Company {
                file: "crm-factory",
                name: "CRM Factory",
                regime: "eu-gdpr",
                jurisdiction: "FR",
                options: json!({ "promise_days": 30, "promise_extended_days": 45, "promise_from": "verification" }),
                // 5 Nov + 30 = 5 Dec, after the GDPR month (2 Dec): the law's date.
                promised: (None, Some("2026-12-02")),
                legal: "2026-12-02",
                cover: &["automated lead disqualification", "AWS us-east-1, USA (Neon)"],
                duty: Some(("Stripe", true)),
                refusal: &[],
            },
            Company {
                file: "crm-factory",
                name: "CRM Factory (CCPA)",
                regime: "ccpa",
                jurisdiction: "US-CA",
                options: json!({ "promise_days": 30, "promise_extended_days": 45, "promise_from": "verification" }),
                // 45 days beginning on the day of receipt: 16 Dec; promised 30 days from verification: 5 Dec.
                promised: (None, Some("2026-12-05")),
                legal: "2026-12-16",
                cover: &["Categories of personal information", "right to opt out"],
                duty: Some(("Stripe", true)),
                // The CCPA gives no appeal (the other US state laws do): the complaint to the CPPA or the AG.
                refusal: &["California Privacy Protection Agency", "California Attorney General"],
            },
        ]
    }

    fn clock() -> FixedClock {
        FixedClock::at("2026-11-06")
    }

    fn open(dir: &Path, c: &Company) -> Db {
        let db = Db::open(&dir.join("rightsdesk.sqlite3"), &DbKey::passphrase("company passphrase").unwrap()).unwrap();
        settings::save(
            &db,
            MailSettings {
                host: "localhost".into(),
                security: Security::None,
                from_address: "privacy@company.example".into(),
                org_name: c.name.split(" (").next().unwrap_or(c.name).into(),
                dpo_appointed: Some(false),
                appeal_days: Some(45),
                ..Default::default()
            },
        )
        .unwrap();
        let text =
            std::fs::read_to_string(format!("{}/../../../assets/datamap/examples/{}.json", env!("CARGO_MANIFEST_DIR"), c.file)).unwrap();
        datamap_io::import(&db, &clock(), &text, DataFormat::Json, "officer").unwrap();
        let options: EngineOptions = serde_json::from_value(c.options.clone()).unwrap();
        rightsdesk_core::requests::schedules::set_deadline_options(&db, &clock(), &options, "officer").unwrap();
        db
    }

    fn register(db: &Db, c: &Company, request_type: &str) -> String {
        let input = NewRequest {
            request_type: request_type.parse().unwrap(),
            regime: c.regime.into(),
            jurisdiction: c.jurisdiction.into(),
            subject_name: "Irini Example".into(),
            subject_email: "irini@example.net".into(),
            received: "2026-11-02".into(),
            time_zone: "UTC".into(),
            ..Default::default()
        };
        requests::register(db, &clock(), &input, "officer").unwrap().reference
    }

    fn verify(db: &Db, reference: &str) {
        let input = IdentityInput {
            method: IdentityMethod::ReplyFromAddressOnFile,
            outcome: IdentityOutcome::Verified,
            note: String::new(),
            on: "2026-11-05".into(),
        };
        identity::verify(db, &clock(), &RequestId::from(reference), &input, "officer").unwrap();
    }

    fn promised(db: &Db, reference: &str) -> (Option<NaiveDate>, Option<NaiveDate>) {
        let s = requests::detail(db, &clock(), reference).unwrap().request.schedule;
        (s.promised_due, s.legal_due)
    }

    fn letter(db: &Db, reference: &str, template: &str, reasons: &str, kept: &str) -> String {
        let id = requests::detail(db, &clock(), reference).unwrap().request.id;
        let input = LetterInput {
            template: template.into(),
            lang: Some(Lang::En),
            reasons: reasons.into(),
            details: "Your account and its history".into(),
            kept: kept.into(),
        };
        letters::preview(db, &clock(), &id, &input).unwrap_or_else(|e| panic!("{template}: {e}")).text
    }

    #[test]
    fn each_seed_company_runs_an_access_and_an_erasure_request_to_the_package_and_letters() {
        for c in companies() {
            let who = format!("{} ({} {})", c.name, c.regime, c.jurisdiction);
            let dir = tempfile::tempdir().unwrap();
            let db = open(dir.path(), &c);

            // Access: the promised window, before and after identity verification.
            let access = register(&db, &c, "access");
            let (before, legal) = promised(&db, &access);
            assert_eq!(before, c.promised.0.map(d), "{who}: promised before verification");
            assert_eq!(legal, Some(d(c.legal)), "{who}: the legal date");
            verify(&db, &access);
            let (after, legal) = promised(&db, &access);
            assert_eq!(after, c.promised.1.map(d), "{who}: promised after verification");
            assert_eq!(legal, Some(d(c.legal)), "{who}: verification does not move the legal date");

            // A task per system of the map.
            let systems = datamap::list(&db).unwrap();
            let access_tasks = tasks::generate(&db, &clock(), &RequestId::from(&access), "officer").unwrap();
            assert_eq!(access_tasks.len(), systems.len(), "{who}: one task per system");

            // The package: automated decisions, transfers and duties as recorded, the authority named.
            let out = dir.path().join("package.zip");
            let sources = packages::sources_from_workspace(&db, &access).unwrap();
            let options =
                PackageOptions { out: &out, passphrase: None, overwrite: rightsdesk_core::files::destination::Overwrite::Allowed };
            packages::build_in(&db, &clock(), &RequestId::from(&access), sources, &options, Some(Lang::En), "officer", &mut |_| {})
                .unwrap_or_else(|e| panic!("{who}: {e}"));
            let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
            let mut cover = String::new();
            zip.by_name("cover-letter.html").unwrap().read_to_string(&mut cover).unwrap();
            for e in c.cover {
                assert!(cover.contains(e), "{who}: the cover letter lacks {e:?}");
            }
            for claim in ["no transfer", "Our records show no", "no automated decision"] {
                assert!(!cover.contains(claim), "{who}: the cover letter claims {claim:?}");
            }
            if c.regime == "eu-gdpr" {
                let authority = authorities::for_request_in(c.regime, c.jurisdiction, Lang::En);
                assert!(cover.contains(&rightsdesk_core::html::escape(&authority)), "{who}: the authority {authority:?}");
            }

            // Erasure: the task for a system with a retention duty offers it, as cited or as policy.
            let erasure = register(&db, &c, "erasure");
            verify(&db, &erasure);
            let erasure_tasks = tasks::generate(&db, &clock(), &RequestId::from(&erasure), "officer").unwrap();
            if let Some((system, cites_law)) = c.duty {
                let task = erasure_tasks.iter().find(|t| t.system_name == system).unwrap_or_else(|| panic!("{who}: no task for {system}"));
                assert!(!task.legal_duty.is_empty(), "{who}: the duty of {system} is offered");
                assert_eq!(datamap::duty_cites_law(&task.legal_duty), cites_law, "{who}: {}", task.legal_duty);
            }
            let done = letter(&db, &erasure, "response", "", "");
            assert!(!done.contains("We have kept"), "{who}: 'kept' printed with nothing kept:\n{done}");

            // A refusal names the authority of the place (or, in the US, the appeal).
            let refusal = letter(&db, &access, "refusal", "The request is manifestly unfounded", "");
            for e in c.refusal {
                assert!(refusal.contains(e), "{who}: the refusal lacks {e:?}:\n{refusal}");
            }
            if c.regime == "eu-gdpr" {
                let authority = authorities::for_request_in(c.regime, c.jurisdiction, Lang::En);
                assert!(refusal.contains(&authority), "{who}: the refusal does not name {authority:?}:\n{refusal}");
            } else {
                assert!(!refusal.contains("supervisory authority") && !refusal.contains("Art. 77"), "{who}:\n{refusal}");
            }
        }
    }
}

#[test]
fn the_settings_refuse_an_extended_promise_that_is_not_longer_or_has_no_promise() {
    use rightsdesk_core::clock::FixedClock;
    use rightsdesk_core::deadlines;
    use rightsdesk_core::store::{Db, DbKey};
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("r.sqlite3"), &DbKey::passphrase("settings passphrase").unwrap()).unwrap();
    let clock = FixedClock::at("2026-11-06");
    for (options, why) in [
        (json!({ "promise_extended_days": 45 }), "no promise to extend"),
        (json!({ "promise_days": 30, "promise_extended_days": 30 }), "not longer"),
        (json!({ "promise_days": 30, "promise_extended_days": 4000 }), "too long"),
    ] {
        let options: EngineOptions = serde_json::from_value(options).unwrap();
        let err = rightsdesk_core::requests::schedules::set_deadline_options(&db, &clock, &options, "officer").expect_err(why);
        assert_eq!(err.field(), Some("promise_extended_days"), "{why}: {err}");
    }
    let saved = rightsdesk_core::requests::schedules::set_deadline_options(&db, &clock, &crm_factory(), "officer").unwrap();
    assert_eq!(deadlines::options(&db).unwrap(), saved, "CRM Factory's promise is kept as set");
    assert_eq!(saved.promise_extended_days, Some(45));
}
