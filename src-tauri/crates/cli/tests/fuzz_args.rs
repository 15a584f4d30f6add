//! Hostile input on the command line: `rightsdesk deadline` and `rightsdesk
//! holidays` with arbitrary laws, places, types, dates and numbers. Each run
//! ends with a result or a clear error (exit 1) or a usage error (exit 2),
//! never a panic; JSON output always parses. Bounded; `PROPTEST_CASES` lengthens it.

use std::io::Write as _;
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};

use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, TestRunner};

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "eu-gdpr", "uk-gdpr", "ccpa", "ch-fadp", "lgpd", "DE", "GB-SCT", "US-CA", "CA-QC", "access", "erasure", "appeal",
            "2025-01-31", "2024-02-29", "2025-02-29", "0001-01-01", "9999-12-31", "+262142-12-31", "-0001-01-01", "",
            "0", "-1", "4294967296", "99999999999999999999", "--json", "-", "é", "\u{202E}",
        ])
        .prop_map(String::from),
        1 => any::<String>().prop_filter("no NUL in an argument", |s| !s.contains('\0')),
    ]
}

#[test]
fn fuzz_deadline_and_holiday_arguments_never_panic() {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64);
    let flags = [
        "--regime",
        "--jurisdiction",
        "--type",
        "--received",
        "--id-requested",
        "--id-received",
        "--clarification-requested",
        "--clarification-received",
        "--fee-paid",
        "--cost-notice",
        "--extension-notified",
        "--today",
        "--promise-days",
        "--target-days",
    ];
    let args = (
        any::<bool>(),
        text(),
        text(),
        text(),
        text(),
        prop::collection::vec((prop::sample::select(flags.to_vec()), text()), 0..6),
        any::<bool>(),
    );
    let ran = AtomicU32::new(0);
    // A failing case's seed is kept beside this file (`fuzz_args.proptest-regressions`) and replayed first.
    let mut runner = TestRunner::new(Config {
        cases,
        source_file: Some(file!()),
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("proptest-regressions"))),
        max_shrink_iters: 64,
        ..Config::default()
    });
    let result = runner.run(&args, |(holidays, regime, jurisdiction, kind, received, extra, json)| {
        ran.fetch_add(1, Ordering::Relaxed);
        let mut argv: Vec<String> = if holidays {
            vec!["holidays".into(), "--jurisdiction".into(), jurisdiction, "--year".into(), received]
        } else {
            let mut v = vec!["deadline".into(), "--regime".into(), regime, "--jurisdiction".into(), jurisdiction];
            v.extend(["--type".into(), kind, "--received".into(), received]);
            v
        };
        for (flag, value) in extra {
            argv.push(flag.to_string());
            argv.push(value);
        }
        if json {
            argv.push("--json".into());
        }
        let out = Command::new(env!("CARGO_BIN_EXE_rightsdesk"))
            .args(&argv)
            .env_remove("RIGHTSDESK_DB")
            .env("RIGHTSDESK_NOW", "2025-02-10T10:00:00Z")
            .output()
            .expect("run rightsdesk");
        let stderr = String::from_utf8_lossy(&out.stderr);
        prop_assert!(!stderr.contains("internal error"), "panicked on {:?}: {}", argv, stderr);
        prop_assert!(matches!(out.status.code(), Some(0..=2)), "{:?} ended with {:?}: {}", argv, out.status, stderr);
        if out.status.success() && json {
            prop_assert!(serde_json::from_slice::<serde_json::Value>(&out.stdout).is_ok(), "{:?}: JSON does not parse", argv);
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("fuzz deadline_arguments failed: {e}");
    }
    let _ = writeln!(std::io::stderr(), "fuzz deadline_arguments: {} runs of the CLI, no panic", ran.load(Ordering::Relaxed));
}
