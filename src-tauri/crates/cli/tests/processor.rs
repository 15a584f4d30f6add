//! `rightsdesk request add --processor-for …` (issue 19 item 12, OpifexHQ): a request
//! about a customer's end user, tracked against the customer's (the controller's)
//! deadline and forwarded to it; run as the real binary on a real database.

mod common;

use std::path::Path;
use std::process::Output;

const NOW: &str = "2026-11-04T10:00:00Z";

fn ok(out: &Output) -> String {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn json(db: &Path, args: &[&str]) -> serde_json::Value {
    let mut args = args.to_vec();
    args.push("--json");
    serde_json::from_str(&ok(&common::run(db, NOW, &args))).unwrap()
}

fn smtp(db: &Path) {
    json(
        db,
        &[
            "smtp",
            "set",
            "--host",
            "127.0.0.1",
            "--security",
            "none",
            "--from",
            "privacy@opifexhq.example",
            "--officer",
            "dpo@opifexhq.example",
            "--org-name",
            "OpifexHQ",
            "--dpo-contact",
            "dpo@opifexhq.example",
        ],
    );
}

const ADD: &[&str] = &[
    "request",
    "add",
    "--type",
    "access",
    "--regime",
    "ccpa",
    "--jurisdiction",
    "US-CA",
    "--received",
    "2026-11-02",
    "--name",
    "Ada Example",
    "--email",
    "ada@example.net",
];

#[test]
fn a_request_received_as_processor_carries_the_controllers_date_and_goes_to_the_controller() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    smtp(&db);
    let mut args = ADD.to_vec();
    args.extend_from_slice(&[
        "--processor-for",
        "Acme Shop Inc.",
        "--controller-email",
        "privacy@acme.example",
        "--received-by-us",
        "2026-11-03",
    ]);
    let added = json(&db, &args);
    assert_eq!(added["request"]["due"], "2026-12-16", "the controller's CCPA date: {added}");
    assert_eq!(added["processor"]["controller"], "Acme Shop Inc.");
    assert_eq!(added["processor"]["received_by_us"], "2026-11-03");
    assert_eq!(added["processor"]["deadline"], "2026-12-16");
    let reference = added["request"]["reference"].as_str().unwrap().to_string();

    // Our contract with the customer: 10 days to assist, from our receipt.
    assert_eq!(json(&db, &["request", "processor-days", "10"])["assistance_days"], 10);
    let bad = common::run(&db, NOW, &["request", "processor-days", "abc"]);
    assert!(!bad.status.success() && String::from_utf8_lossy(&bad.stderr).contains("days"));

    // No letter to the subject as if we were the controller.
    let refused = common::run(&db, NOW, &["letter", &reference, "--template", "acknowledgement"]);
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("processor for Acme Shop Inc."), "{stderr}");

    let notice = ok(&common::run(&db, NOW, &["letter", &reference, "--template", "processor-notice", "--preview"]));
    assert!(notice.contains("We have forwarded your request to Acme Shop Inc."), "{notice}");
    let forward = ok(&common::run(
        &db,
        NOW,
        &["letter", &reference, "--template", "processor-forward", "--details", "A copy of her data", "--preview"],
    ));
    assert!(forward.contains("privacy@acme.example"), "addressed to the controller: {forward}");
    assert!(forward.contains("A copy of her data") && forward.contains("16 December 2026"), "{forward}");
}

#[test]
fn a_processor_request_without_the_controllers_contact_is_refused_and_nothing_is_registered() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    let mut args = ADD.to_vec();
    args.extend_from_slice(&["--processor-for", "Acme Shop Inc."]);
    let out = common::run(&db, NOW, &args);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("controller_email"), "{stderr}");
    assert!(!stderr.contains("Ada"), "no personal data in errors: {stderr}");
    // `request list` on a register that holds nothing.
    let listed = common::run(&db, NOW, &["request", "list", "--json"]);
    if listed.status.success() {
        let v: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
        assert_eq!(v.as_array().map(Vec::len), Some(0), "{v}");
    }
    // --controller-email without --processor-for is a usage error.
    let mut args = ADD.to_vec();
    args.extend_from_slice(&["--controller-email", "privacy@acme.example"]);
    assert!(!common::run(&db, NOW, &args).status.success());
}
