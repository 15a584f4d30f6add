//! `rightsdesk request add --type appeal --appeal-of DSR-…`: an appeal under a
//! US state law names the earlier request whose decision it appeals (issue 19),
//! run as the real binary on a real database.

mod common;

use std::path::Path;
use std::process::Output;

fn rightsdesk(db: &Path, args: &[&str]) -> Output {
    common::run(db, "2026-11-04T10:00:00Z", args)
}

fn ok(out: &Output) -> String {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn add(db: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "request",
        "add",
        "--regime",
        "us-va",
        "--received",
        "2026-11-02",
        "--name",
        "Ada Example",
        "--email",
        "ada@example.net",
        "--json",
    ];
    args.extend_from_slice(extra);
    rightsdesk(db, &args)
}

#[test]
fn an_appeal_names_the_refused_request_and_both_show_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    let earlier: serde_json::Value = serde_json::from_str(&ok(&add(&db, &["--type", "access"]))).unwrap();
    let earlier_ref = earlier["reference"].as_str().unwrap().to_string();

    // Not yet decided: refused, naming the field and the request, not the subject.
    let early = add(&db, &["--type", "appeal", "--appeal-of", &earlier_ref]);
    let err = String::from_utf8_lossy(&early.stderr);
    assert!(!early.status.success() && err.contains("appeal_of") && err.contains("has no decision to appeal yet"), "{err}");
    assert!(!err.contains("Ada"), "{err}");

    ok(&rightsdesk(&db, &["request", "status", &earlier_ref, "refused", "--reason", "Identity not verified"]));
    // Without the earlier request, a US appeal is refused.
    let bare = add(&db, &["--type", "appeal"]);
    let err = String::from_utf8_lossy(&bare.stderr);
    assert!(!bare.status.success() && err.contains("appeal_of"), "{err}");

    let appeal: serde_json::Value =
        serde_json::from_str(&ok(&add(&db, &["--type", "appeal", "--appeal-of", &earlier_ref.to_lowercase()]))).unwrap();
    let appeal_ref = appeal["reference"].as_str().unwrap();
    let shown: serde_json::Value = serde_json::from_str(&ok(&rightsdesk(&db, &["request", "show", appeal_ref, "--json"]))).unwrap();
    assert_eq!(shown["appeal_of"]["reference"], earlier_ref.as_str(), "{shown}");
    let shown: serde_json::Value = serde_json::from_str(&ok(&rightsdesk(&db, &["request", "show", &earlier_ref, "--json"]))).unwrap();
    assert_eq!(shown["appeals"][0]["reference"], appeal_ref, "{shown}");
    let text = ok(&rightsdesk(&db, &["request", "show", &earlier_ref]));
    assert!(text.contains(&format!("appealed by: {appeal_ref}")), "{text}");
    let text = ok(&rightsdesk(&db, &["request", "show", appeal_ref]));
    assert!(text.contains(&format!("appeal of: {earlier_ref}")), "{text}");
}
