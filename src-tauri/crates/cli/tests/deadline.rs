//! `rightsdesk deadline` and `rightsdesk holidays`, as scripts call them.

use std::process::Command;

fn run(args: &[&str]) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_rightsdesk")).args(args).output().expect("run rightsdesk");
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[test]
fn the_calculator_prints_every_key_scripts_rely_on() {
    let v = run(&[
        "deadline",
        "--regime",
        "eu-gdpr",
        "--jurisdiction",
        "DE",
        "--type",
        "access",
        "--received",
        "2025-01-31",
        "--today",
        "2025-02-10",
        "--json",
    ]);
    for key in [
        "regime",
        "jurisdiction",
        "received",
        "due",
        "ack_due",
        "extension_notice_due",
        "extended_due",
        "target",
        "statutory",
        "warnings",
        "explanation",
        "rule_set",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["due"], "2025-02-28");
    assert_eq!(v["statutory"], true);
    assert!(v["extended_due"].is_null());
    assert_eq!(v["rule_set"], "eu-gdpr@2026.1");
    let steps = v["explanation"].as_array().unwrap();
    assert!(steps.iter().any(|s| s["detail"].as_str().unwrap().contains("no 31 Feb")));
    assert!(steps.iter().all(|s| !s["source"].as_str().unwrap().is_empty()));
}

#[test]
fn a_late_extension_notice_is_flagged_and_leaves_the_original_date() {
    let v = run(&[
        "deadline",
        "--regime",
        "uk-gdpr",
        "--jurisdiction",
        "GB-ENG",
        "--type",
        "access",
        "--received",
        "2025-09-03",
        "--extension-notified",
        "2025-10-20",
        "--today",
        "2025-10-21",
        "--json",
    ]);
    assert!(v["extended_due"].is_null());
    assert_eq!(v["due"], "2025-10-03");
    let codes: Vec<_> = v["warnings"].as_array().unwrap().iter().map(|w| w["code"].as_str().unwrap().to_string()).collect();
    assert!(codes.contains(&"extension_notice_late".to_string()), "{codes:?}");
}

#[test]
fn ccpa_counts_45_days_and_extends_to_90_from_receipt() {
    let v = run(&[
        "deadline",
        "--regime",
        "ccpa",
        "--jurisdiction",
        "US-CA",
        "--type",
        "access",
        "--received",
        "2025-03-01",
        "--extension-notified",
        "2025-04-10",
        "--today",
        "2025-03-02",
        "--json",
    ]);
    // The 45 and 90 days begin on the day of receipt (11 CCR § 7021(b)), the default reading.
    assert_eq!(v["due"], "2025-04-14");
    assert_eq!(v["extended_due"], "2025-05-29");
    assert_eq!(v["ack_due"], "2025-03-14");
}

#[test]
fn a_regime_without_a_statutory_date_says_so() {
    let v = run(&[
        "deadline",
        "--regime",
        "jp-appi",
        "--jurisdiction",
        "JP",
        "--type",
        "access",
        "--received",
        "2025-03-03",
        "--today",
        "2025-03-03",
        "--json",
    ]);
    assert_eq!(v["statutory"], false);
    assert!(v["due"].is_null());
    assert!(v["target"].is_string());
}

#[test]
fn holidays_list_the_english_substitute_boxing_day() {
    let v = run(&["holidays", "--jurisdiction", "GB-ENG", "--year", "2026", "--json"]);
    assert!(v.as_array().unwrap().iter().any(|h| h["date"] == "2026-12-28"));
}

#[test]
fn an_unknown_regime_is_named_in_the_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_rightsdesk"))
        .args(["deadline", "--regime", "gdpr", "--jurisdiction", "DE", "--type", "access", "--received", "2025-01-31"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("regime"));
}
