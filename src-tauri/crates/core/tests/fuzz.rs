//! Hostile input: property-based fuzzing (proptest) of what reaches the core
//! from outside — CSV files, letter templates and the values filled into them,
//! the deadline calculator's inputs, and file names of evidence and packages.
//! Nothing may panic, hang, or write outside the data directory, and a
//! refused import writes nothing.
//!
//! Bounded so the test command stays fast; each target prints how many cases
//! it ran. A longer run: `PROPTEST_CASES=100000 cargo test -p rightsdesk-core --test fuzz`.

use std::collections::{BTreeSet, HashMap};
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, TestRunner};
use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::deadlines::{self, CcpaCalendar, ClockEvent, EngineOptions, ScheduleInput};
use rightsdesk_core::domain::RequestId;
use rightsdesk_core::domain::{NewRequest, RequestType};
use rightsdesk_core::evidence::{self, EvidenceKind, NewEvidence};
use rightsdesk_core::import::{self, ImportField, ImportOptions};
use rightsdesk_core::letters::{render, templates, Lang};
use rightsdesk_core::packages::{self, EvidenceFile, PackageOptions, PackageSources};
use rightsdesk_core::requests;
use rightsdesk_core::store::{Db, DbKey};

// ---------------------------------------------------------------- harness

/// `PROPTEST_CASES` if set, else the bounded default for the test command.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Runs `body` on `cases` inputs from `strategy`; fails with the minimal failing
/// input (a panic counts as a failure); prints the count where the test command shows it.
fn fuzz<S: Strategy>(target: &str, default_cases: u32, strategy: S, body: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S::Value: std::fmt::Debug,
{
    let cases = cases(default_cases);
    let _watchdog = Watchdog::start(target, Duration::from_secs(20 * 60));
    // A failing case's seed is kept beside this file (`fuzz.proptest-regressions`, in
    // the repository) and replayed first by every later run.
    let mut runner = TestRunner::new(Config {
        cases,
        source_file: Some(file!()),
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("proptest-regressions"))),
        max_shrink_iters: 256,
        ..Config::default()
    });
    let ran = AtomicU32::new(0);
    let result = runner.run(&strategy, |value| {
        ran.fetch_add(1, Ordering::Relaxed);
        body(value)
    });
    if let Err(e) = result {
        panic!("fuzz target {target} failed: {e}");
    }
    // Written to the real stderr (not captured), like the crash harness's count.
    let _ = writeln!(std::io::stderr(), "fuzz {target}: {} cases, every property held (no panic)", ran.load(Ordering::Relaxed));
}

/// A hang must not stall the test command for ever: past its limit a target aborts the test binary.
struct Watchdog(Arc<AtomicBool>);

impl Watchdog {
    fn start(target: &str, limit: Duration) -> Watchdog {
        let done = Arc::new(AtomicBool::new(false));
        let seen = done.clone();
        let target = target.to_string();
        std::thread::spawn(move || {
            let step = Duration::from_millis(200);
            let mut waited = Duration::ZERO;
            while waited < limit {
                std::thread::sleep(step);
                if seen.load(Ordering::Relaxed) {
                    return;
                }
                waited += step;
            }
            let _ = writeln!(std::io::stderr(), "fuzz {target}: a case hung (over {limit:?}); aborting");
            std::process::abort();
        });
        Watchdog(done)
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

fn key() -> DbKey {
    DbKey::passphrase("fuzz test passphrase").unwrap()
}

fn clock() -> FixedClock {
    FixedClock::at("2025-03-10")
}

/// A data directory two levels inside a sandbox:
/// `outer/above/root/data/rightsdesk.sqlite3`. Every level from `outer` down
/// must hold only the next one: a file beside `data/` was written outside the
/// data directory, and one beside `root/` or `above/` escaped the sandbox
/// itself (a `../` that climbed out). Nothing else writes under `outer`, so
/// the check cannot be disturbed by other tests writing to the system's temp folder.
struct Sandbox {
    outer: tempfile::TempDir,
    db: Db,
}

const LEVELS: [&str; 3] = ["above", "root", "data"];

impl Sandbox {
    fn new() -> Sandbox {
        let outer = tempfile::tempdir().unwrap();
        let data: PathBuf = LEVELS.iter().fold(outer.path().to_path_buf(), |p, l| p.join(l));
        let db = Db::open(&data.join("rightsdesk.sqlite3"), &key()).unwrap();
        Sandbox { outer, db }
    }

    fn data(&self) -> PathBuf {
        LEVELS.iter().fold(self.outer.path().to_path_buf(), |p, l| p.join(l))
    }

    /// Everything outside the data directory, at every level up to the sandbox's outer folder (must stay empty).
    fn outside(&self) -> Vec<String> {
        let mut dir = self.outer.path().to_path_buf();
        let mut found = Vec::new();
        for level in LEVELS {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let name = entry.unwrap().file_name();
                if name != level {
                    found.push(dir.join(name).display().to_string());
                }
            }
            dir.push(level);
        }
        found
    }

    fn count(&self) -> i64 {
        requests::count(&self.db).unwrap()
    }

    fn register(&self, request_type: &str, name: &str) -> String {
        let input = NewRequest {
            request_type: request_type.parse().unwrap(),
            regime: "eu-gdpr".into(),
            jurisdiction: "DE".into(),
            subject_name: name.into(),
            subject_email: "fuzz@example.org".into(),
            received: "2025-03-01".into(),
            ..Default::default()
        };
        requests::register(&self.db, &clock(), &input, "fuzzer").unwrap().id
    }
}

/// Every regular file under `dir`, recursively (no symlinks are followed).
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let entry = entry.unwrap();
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                stack.push(entry.path());
            } else {
                out.push(entry.path());
            }
        }
    }
    out
}

#[test]
fn the_sandbox_notices_a_file_written_beside_the_data_directory_or_above_the_sandbox() {
    let sandbox = Sandbox::new();
    assert!(sandbox.outside().is_empty(), "{:?}", sandbox.outside());
    for (i, escape) in ["..", "../..", "../../.."].iter().enumerate() {
        let path = sandbox.data().join(escape).join(format!("escaped-{i}"));
        std::fs::write(&path, b"x").unwrap();
        let outside = sandbox.outside();
        assert_eq!(outside.len(), i + 1, "a file at data/{escape} is seen: {outside:?}");
    }
}

// ---------------------------------------------------------------- strategies

/// Text as an attacker or a broken export would send it: any Unicode, markup,
/// separators, quotes, line breaks, control characters, template braces.
fn hostile_text(max: usize) -> impl Strategy<Value = String> {
    let special = prop::sample::select(vec![
        "",
        "\0",
        "\r\n",
        "\n",
        "\"",
        "'",
        ",",
        ";",
        "\t",
        "|",
        "{{",
        "}}",
        "{{subject.name}}",
        "{{ reasons }}",
        "{{nope}}",
        "<script>alert(1)</script>",
        "&amp;",
        "=HYPERLINK(\"x\")",
        "..",
        "/",
        "\\",
        "\u{202E}",
        "\u{FEFF}",
        "\u{200B}",
        "Zoë",
        "東京",
        "🙂",
        "Subject:",
        "Subject: x\n\n",
        "CON",
        "NUL",
        "2025-02-30",
        "9999-12-31",
        "0000-01-01",
    ]);
    prop::collection::vec(prop_oneof![3 => any::<char>().prop_map(String::from), 2 => special.prop_map(String::from)], 0..max)
        .prop_map(|parts| parts.concat())
}

/// Hostile text without control characters (which make a file binary to the importer).
fn printable(max: usize) -> impl Strategy<Value = String> {
    hostile_text(max).prop_map(|s| s.chars().filter(|c| !c.is_control()).collect())
}

/// A file name from anywhere: traversal, both separators, NUL, control
/// characters, reserved Windows names, very long names, any Unicode.
fn hostile_file_name() -> impl Strategy<Value = String> {
    let part = prop::sample::select(vec![
        "..",
        ".",
        "/",
        "\\",
        "\0",
        "\n",
        "\u{1}",
        "\u{7f}",
        "CON",
        "PRN",
        "AUX",
        "NUL",
        "COM1",
        "LPT9",
        "con.txt",
        ":",
        "*",
        "?",
        "\"",
        "<",
        ">",
        "|",
        " ",
        ".hidden",
        "C:\\Windows\\",
        "/etc/passwd",
        "\u{2215}",
        "\u{FF0F}",
        "\u{202E}",
        "exe.pdf",
        ".zip",
    ]);
    prop_oneof![
        prop::collection::vec(prop_oneof![part.prop_map(String::from), any::<char>().prop_map(String::from)], 0..24)
            .prop_map(|p| p.concat()),
        // Very long names, over any file system's limit.
        (any::<char>(), 200usize..2000).prop_map(|(c, n)| std::iter::repeat_n(c, n).collect::<String>() + ".pdf"),
    ]
}

/// A CSV file as bytes: a header (known field names, synonyms, garbage) and
/// rows of hostile cells, with any delimiter and quoting, in UTF-8 (with or
/// without a BOM), Windows-1252 or UTF-16; or plain random bytes.
fn hostile_csv() -> impl Strategy<Value = Vec<u8>> {
    let header = prop::sample::select(vec![
        "type",
        "regime",
        "jurisdiction",
        "name",
        "email",
        "Customer ID",
        "channel",
        "received",
        "time_zone",
        "notes",
        "Name",
        "E-Mail",
        "Request type",
        "",
        "\"",
        "name,email",
    ]);
    let cell = prop_oneof![
        3 => hostile_text(12),
        2 => prop::sample::select(vec![
            "access", "erasure", "eu-gdpr", "ccpa", "uk-gdpr", "DE", "US-CA", "2025-01-31", "2025-13-01", "31/01/2025",
            "zoe@example.org", "not an email", "web-form", "Europe/Berlin", "Mars/Olympus", "",
        ])
        .prop_map(String::from),
    ];
    let structured = (
        prop::collection::vec(header.prop_map(String::from), 0..12),
        prop::collection::vec(prop::collection::vec(cell, 0..12), 0..12),
        prop::sample::select(vec![",", ";", "\t", "|", " "]),
        any::<bool>(),
        0u8..4,
        prop::sample::select(vec!["\n", "\r\n", "\r"]),
    )
        .prop_map(|(head, rows, delim, quote, encoding, eol)| {
            let line = |cells: &[String]| -> String {
                cells
                    .iter()
                    .map(|c| if quote { format!("\"{}\"", c.replace('"', "\"\"")) } else { c.clone() })
                    .collect::<Vec<_>>()
                    .join(delim)
            };
            let mut text = line(&head);
            for r in &rows {
                text.push_str(eol);
                text.push_str(&line(r));
            }
            match encoding {
                0 => text.into_bytes(),
                1 => [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat(),
                2 => encoding_rs::WINDOWS_1252.encode(&text).0.into_owned(),
                _ => {
                    let mut b = vec![0xFF, 0xFE];
                    b.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
                    b
                }
            }
        });
    prop_oneof![3 => structured, 1 => near_valid_csv(), 1 => prop::collection::vec(any::<u8>(), 0..2048)]
}

/// A file the importer should mostly accept: the template's columns, real
/// types, laws and dates, hostile names and notes; sometimes one byte flipped.
fn near_valid_csv() -> impl Strategy<Value = Vec<u8>> {
    let row = (
        prop::sample::select(vec!["access", "erasure", "rectification", "objection", "portability", "restriction"]),
        prop::sample::select(vec!["eu-gdpr", "uk-gdpr", "ccpa", "eu-gdpr"]),
        printable(8),
        any::<u32>(),
        1u32..=28,
        printable(8),
    );
    (
        prop::collection::vec(row, 1..8),
        prop::sample::select(vec![",", ";", "\t"]),
        prop::option::weighted(0.2, (any::<prop::sample::Index>(), any::<u8>())),
    )
        .prop_map(|(rows, delim, flip)| {
            let quote = |c: &str| format!("\"{}\"", c.replace('"', "\"\""));
            let mut text = ["type", "regime", "name", "email", "received", "channel", "notes"].join(delim);
            for (kind, regime, name, id, day, notes) in rows {
                let jurisdiction_free = [kind.to_string(), regime.to_string(), quote(&format!("A {name}")), format!("s{id}@example.org")];
                text.push('\n');
                text.push_str(&jurisdiction_free.join(delim));
                text.push_str(&format!("{delim}2025-02-{day:02}{delim}email{delim}{}", quote(&notes)));
            }
            let mut bytes = text.into_bytes();
            if let Some((at, byte)) = flip {
                let i = at.index(bytes.len());
                bytes[i] = byte;
            }
            bytes
        })
}

fn hostile_import_options() -> impl Strategy<Value = ImportOptions> {
    let field = prop::option::of(prop::sample::select(ImportField::ALL.to_vec()));
    (
        prop::option::of(prop::collection::vec(field, 0..14)),
        prop_oneof![Just(String::new()), Just("eu-gdpr".to_string()), Just("ccpa".to_string()), hostile_text(6)],
        prop_oneof![Just(String::new()), Just("web-form".to_string()), hostile_text(6)],
        any::<bool>(),
        prop::option::of(prop_oneof![
            Just("utf-8".to_string()),
            Just("windows-1252".to_string()),
            Just("utf-16le".to_string()),
            hostile_text(8)
        ]),
    )
        .prop_map(|(mapping, default_regime, default_channel, skip_duplicates, encoding)| ImportOptions {
            mapping,
            default_regime,
            default_channel,
            skip_duplicates,
            encoding,
        })
}

// ---------------------------------------------------------------- (1) CSV import

#[test]
fn fuzz_csv_import_of_hostile_files_never_panics_and_a_refused_file_writes_nothing() {
    let sandbox = Sandbox::new();
    let clock = clock();
    let (imported, refused) = (AtomicU32::new(0), AtomicU32::new(0));
    let sane = (any::<bool>(),).prop_map(|(skip_duplicates,)| ImportOptions {
        mapping: None,
        default_regime: "eu-gdpr".into(),
        default_channel: String::new(),
        skip_duplicates,
        encoding: None,
    });
    let input = prop_oneof![3 => (hostile_csv(), hostile_import_options()), 2 => (near_valid_csv(), sane)];
    fuzz("csv_import", 192, input, |(bytes, options)| {
        let before = sandbox.count();
        let _ = import::headers(&bytes, options.encoding.as_deref());
        let preview = import::preview(&sandbox.db, &clock, &bytes, &options);
        let committed = import::commit(&sandbox.db, &clock, "../../etc/evil\u{0}.csv", &bytes, &options, "fuzzer");
        let after = sandbox.count();
        match &committed {
            Ok(report) => {
                imported.fetch_add(1, Ordering::Relaxed);
                prop_assert_eq!(after, before + i64::from(report.imported), "the count moves by what was imported");
                prop_assert!(preview.is_ok(), "a file that commits previews too");
            }
            Err(e) => {
                if std::env::var_os("FUZZ_SHOW_REFUSALS").is_some() {
                    let _ = writeln!(std::io::stderr(), "refused: {e}");
                }
                refused.fetch_add(1, Ordering::Relaxed);
                prop_assert_eq!(after, before, "a refused import wrote rows: {}", e);
            }
        }
        prop_assert!(sandbox.outside().is_empty(), "written outside the data directory: {:?}", sandbox.outside());
        Ok(())
    });
    let _ = writeln!(
        std::io::stderr(),
        "fuzz csv_import: {} files imported, {} refused with nothing written",
        imported.load(Ordering::Relaxed),
        refused.load(Ordering::Relaxed)
    );
}

// ---------------------------------------------------------------- (2) letter templates

fn placeholder_values() -> impl Strategy<Value = Vec<(usize, String)>> {
    prop::collection::vec((0..templates::PLACEHOLDERS.len(), hostile_text(16)), 0..templates::PLACEHOLDERS.len())
}

fn template_text() -> impl Strategy<Value = String> {
    let known = prop::sample::select(templates::PLACEHOLDERS.to_vec()).prop_map(|p| format!("{{{{{p}}}}}"));
    let piece = prop_oneof![3 => hostile_text(8), 2 => known, 1 => Just("\n\n".to_string()), 1 => Just("\n- ".to_string())];
    prop_oneof![
        1 => hostile_text(40),
        3 => (hostile_text(4), prop::collection::vec(piece, 0..30)).prop_map(|(s, body)| format!("Subject: {s}\n{}", body.concat())),
    ]
}

/// What a value may smuggle in: it must arrive escaped in the HTML and on one line in the subject.
const INJECTED: &str = "<img src=x onerror=alert(1)>";

#[test]
fn fuzz_letter_templates_with_hostile_text_and_values_never_panic_and_never_inject_markup() {
    let rendered_count = AtomicU32::new(0);
    fuzz("letter_templates", 512, (template_text(), placeholder_values(), 0usize..3), |(text, values, lang)| {
        let _ = templates::placeholders(&text);
        let Ok(source) = templates::parse(&text) else { return Ok(()) };
        let values: HashMap<&str, String> =
            values.into_iter().map(|(i, v)| (templates::PLACEHOLDERS[i], format!("{v}{INJECTED}{v}"))).collect();
        let rendered = render::render(&source, &values, Lang::ALL[lang]);
        rendered_count.fetch_add(1, Ordering::Relaxed);
        prop_assert!(!rendered.html.contains(INJECTED), "a value became markup in the HTML alternative");
        prop_assert!(!rendered.subject.contains(['\r', '\n']), "a value broke the subject line");
        Ok(())
    });
    let _ =
        writeln!(std::io::stderr(), "fuzz letter_templates: {} templates accepted and rendered", rendered_count.load(Ordering::Relaxed));
}

#[test]
fn fuzz_saved_templates_and_letter_previews_for_hostile_subjects_never_panic() {
    let sandbox = Sandbox::new();
    let clock = clock();
    fuzz("letter_previews", 64, (template_text(), hostile_text(20), hostile_text(20), 0usize..3), |(text, name, reasons, lang)| {
        let lang = Lang::ALL[lang];
        let input = NewRequest {
            request_type: RequestType::Access,
            regime: "eu-gdpr".into(),
            jurisdiction: "DE".into(),
            subject_name: name,
            subject_email: "fuzz@example.org".into(),
            received: "2025-03-01".into(),
            ..Default::default()
        };
        let Ok(request) = requests::register(&sandbox.db, &clock, &input, "fuzzer") else { return Ok(()) };
        let saved = templates::save(&sandbox.db, &clock, templates::TemplateName::Acknowledgement, lang, &text, "fuzzer");
        let letter = rightsdesk_core::letters::LetterInput {
            template: "acknowledgement".into(),
            lang: Some(lang),
            reasons: reasons.clone(),
            details: reasons,
            kept: String::new(),
        };
        if let Ok(preview) = rightsdesk_core::letters::draft::preview(&sandbox.db, &clock, &request.id, &letter) {
            prop_assert!(!preview.subject.contains(['\r', '\n']));
            prop_assert!(saved.is_ok() || preview.text.len() > 1, "the shipped template stays in force after a refused edit");
        }
        prop_assert!(sandbox.outside().is_empty());
        Ok(())
    });
}

// ---------------------------------------------------------------- (3) deadline calculator

fn any_date() -> impl Strategy<Value = NaiveDate> {
    prop_oneof![
        4 => (-400i64..800).prop_map(|d| NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + chrono::Duration::days(d)),
        1 => (1i32..=9999, 1u32..=366).prop_map(|(y, d)| {
            NaiveDate::from_yo_opt(y, d).unwrap_or_else(|| NaiveDate::from_ymd_opt(y, 12, 31).unwrap())
        }),
        1 => Just(NaiveDate::MIN),
        1 => Just(NaiveDate::MAX),
    ]
}

fn clock_event() -> impl Strategy<Value = ClockEvent> {
    (0u8..10, any_date(), hostile_text(4), prop::option::of(any_date())).prop_map(|(kind, on, reason, until)| match kind {
        0 => ClockEvent::IdentityRequested { on },
        1 => ClockEvent::IdentityReceived { on },
        2 => ClockEvent::ClarificationRequested { on },
        3 => ClockEvent::ClarificationReceived { on },
        4 => ClockEvent::FeeRequested { on },
        5 => ClockEvent::FeePaid { on },
        6 => ClockEvent::CostNotice { on },
        7 => ClockEvent::Paused { on, reason },
        8 => ClockEvent::Resumed { on },
        _ => ClockEvent::ExtensionNoticeSent { on, reason: Some(reason), until },
    })
}

// The update below names every option the fuzz covers; options added later take their defaults.
#[allow(clippy::needless_update)]
fn engine_options() -> impl Strategy<Value = EngineOptions> {
    (
        prop::option::of(prop_oneof![0u32..100, Just(u32::MAX)]),
        prop_oneof![0u32..40, Just(u32::MAX)],
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(promise_days, target_working_days, pause, california, day_one, roll, uk)| EngineOptions {
            promise_days,
            target_working_days,
            eu_identity_pause: pause,
            ccpa_calendar: if california { CcpaCalendar::California } else { CcpaCalendar::UsFederal },
            ccpa_receipt_is_day_one: day_one,
            ccpa_roll_holidays: roll,
            uk_day_after_receipt: uk,
            // Options added since are left at their defaults here until a strategy covers them.
            ..EngineOptions::default()
        })
}

#[test]
fn fuzz_deadline_calculator_with_any_dates_regimes_events_and_options_never_panics() {
    let regimes: Vec<String> = deadlines::regime_ids().into_iter().map(String::from).collect();
    let mut jurisdictions: BTreeSet<String> = BTreeSet::new();
    for r in deadlines::regimes() {
        jurisdictions.extend(r.jurisdiction_codes().into_iter().map(String::from));
    }
    let regime = prop_oneof![4 => prop::sample::select(regimes), 1 => hostile_text(6)];
    let jurisdiction = prop_oneof![4 => prop::sample::select(jurisdictions.into_iter().collect::<Vec<_>>()), 1 => hostile_text(4)];
    let input = (
        regime,
        jurisdiction,
        prop::sample::select(RequestType::ALL.to_vec()),
        any_date(),
        prop::collection::vec(clock_event(), 0..10),
        engine_options(),
        prop::option::of(any_date()),
        any_date(),
    );
    fuzz("deadline_calculator", 1024, input, |(regime, jurisdiction, request_type, received_on, events, options, today, notified)| {
        let input = ScheduleInput {
            regime: &regime,
            jurisdiction: &jurisdiction,
            request_type,
            received_on,
            events: &events,
            options: &options,
            today,
        };
        if let Ok(schedule) = deadlines::compute(&input) {
            prop_assert!(serde_json::to_string(&schedule).is_ok());
            let _ = schedule.explanation_line();
        }
        let _ = deadlines::check_extension(&input, notified);
        let _ = deadlines::holiday_list(&jurisdiction, received_on.format("%Y").to_string().parse().unwrap_or(2025));
        Ok(())
    });
}

// ---------------------------------------------------------------- (4) evidence and package file names

fn assert_entry_name_is_contained(name: &str) -> Result<(), TestCaseError> {
    prop_assert!(!name.is_empty());
    prop_assert!(!name.starts_with('/') && !name.contains('\\') && !name.contains(':'), "{:?}", name);
    prop_assert!(!name.chars().any(|c| c.is_control()), "control character in {:?}", name);
    let path = Path::new(name);
    prop_assert!(path.components().all(|c| matches!(c, Component::Normal(_))), "{:?} has a non-normal component", name);
    Ok(())
}

#[test]
fn fuzz_evidence_file_names_stay_display_names_and_files_stay_in_the_data_directory() {
    let sandbox = Sandbox::new();
    let clock = clock();
    let request = sandbox.register("access", "Fuzz Subject");
    let evidence_dir = sandbox.data().join("evidence");
    fuzz(
        "evidence_file_names",
        256,
        (hostile_file_name(), prop::collection::vec(any::<u8>(), 1..64), any::<bool>()),
        |(name, bytes, id_doc)| {
            let kind = if id_doc { EvidenceKind::IdentityDocument } else { EvidenceKind::Evidence };
            let new = NewEvidence { request: &request, file_name: &name, bytes: &bytes, task: None, system: None, kind };
            let added = evidence::add(&sandbox.db, &clock, &new, "fuzzer").map_err(|e| TestCaseError::fail(e.to_string()))?;
            let shown = &added.name;
            prop_assert!(!shown.is_empty() && !shown.contains(['/', '\\']) && !shown.starts_with('.'), "{:?}", shown);
            prop_assert!(!shown.chars().any(char::is_control), "{:?}", shown);
            prop_assert!(shown.chars().count() <= 255);
            let (_, back) = evidence::read(&sandbox.db, &added.id).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(back, bytes);
            for file in files_under(&sandbox.data()) {
                prop_assert!(file.starts_with(sandbox.data()));
                let inside_evidence = file.starts_with(&evidence_dir);
                let beside_db = file.parent() == Some(sandbox.data().as_path());
                prop_assert!(inside_evidence || beside_db, "unexpected file {}", file.display());
            }
            prop_assert!(sandbox.outside().is_empty(), "written outside the data directory: {:?}", sandbox.outside());
            Ok(())
        },
    );
}

/// File names a file system accepts (no NUL, no `/`, at most 255 bytes), made from hostile parts.
fn disk_file_name() -> impl Strategy<Value = String> {
    hostile_file_name().prop_map(|n| {
        let mut out = String::new();
        for c in n.chars().filter(|&c| c != '\0' && c != '/') {
            if out.len() + c.len_utf8() > 250 {
                break;
            }
            out.push(c);
        }
        if out.is_empty() || out == "." || out == ".." {
            out.insert(0, 'x');
        }
        out
    })
}

#[test]
fn fuzz_package_entry_names_from_hostile_file_and_system_names_never_escape_the_zip() {
    let sandbox = Sandbox::new();
    let clock = clock();
    let request = sandbox.register("access", "Fuzz Subject");
    let sources_dir = sandbox.data().join("exports");
    let counter = AtomicU32::new(0);
    std::fs::create_dir_all(sandbox.data().join("packages")).unwrap();
    let files = prop::collection::vec((disk_file_name(), hostile_text(10)), 1..5);
    fuzz("package_file_names", 24, files, |files| {
        let n = counter.fetch_add(1, Ordering::Relaxed);
        let case_dir = sources_dir.join(n.to_string());
        std::fs::create_dir_all(&case_dir).unwrap();
        let mut evidence = Vec::new();
        for (i, (name, system)) in files.iter().enumerate() {
            let sub = case_dir.join(i.to_string());
            std::fs::create_dir_all(&sub).unwrap();
            let path = sub.join(name);
            std::fs::write(&path, format!("export {i}")).unwrap();
            evidence.push(EvidenceFile::file(system.clone(), path));
        }
        let out = sandbox.data().join("packages").join(format!("case-{n}.zip"));
        let sources = PackageSources { systems: vec![], evidence, records: vec![] };
        let report = packages::build(
            &sandbox.db,
            &clock,
            &RequestId::from(&request),
            sources,
            &PackageOptions { out: &out, passphrase: None, overwrite: rightsdesk_core::files::destination::Overwrite::Allowed },
            "fuzzer",
            &mut |_| {},
        )
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
        let mut names = BTreeSet::new();
        for i in 0..zip.len() {
            let entry = zip.by_index(i).unwrap();
            let name = entry.name().to_string();
            assert_entry_name_is_contained(&name)?;
            prop_assert_eq!(entry.enclosed_name(), Some(PathBuf::from(&name)), "the zip crate would place {:?} elsewhere", name);
            prop_assert!(names.insert(name.clone()), "two entries named {:?}", name);
        }
        prop_assert!(zip.len() >= report.files as usize, "every listed file is in the ZIP");
        let evidence_entries = names.iter().filter(|n| n.starts_with("evidence/")).count();
        prop_assert_eq!(evidence_entries, files.len(), "one entry per evidence file: {:?}", names);
        drop(zip);
        std::fs::remove_file(&out).unwrap();
        std::fs::remove_dir_all(&case_dir).unwrap();
        prop_assert!(sandbox.outside().is_empty(), "written outside the data directory: {:?}", sandbox.outside());
        Ok(())
    });
}
