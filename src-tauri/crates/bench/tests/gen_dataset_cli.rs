//! The `gen-dataset` binary, run as `scripts/bench.sh` runs it.

use std::process::Command;

fn gen(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_gen-dataset")).args(args).env("RIGHTSDESK_PASSPHRASE", "rightsdesk-bench").output().unwrap()
}

#[test]
fn gen_dataset_writes_a_file_reports_what_it_wrote_and_keeps_an_existing_file_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("300.sqlite3");
    let out_s = out.to_str().unwrap();
    let first = gen(&["--requests", "300", "--seed", "9", "--out", out_s]);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let summary: serde_json::Value = serde_json::from_slice(&first.stdout).unwrap();
    assert_eq!(summary["requests"], 300);
    assert!(summary["events"].as_u64().unwrap() > 2_000);
    assert!(summary["parts"]["evidence"].is_string(), "evidence says what became of it: {summary}");

    let again = gen(&["--requests", "300", "--out", out_s]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    assert!(gen(&["--requests", "100", "--out", out_s, "--force"]).status.success());
}
