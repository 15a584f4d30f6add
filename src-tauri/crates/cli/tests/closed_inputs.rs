//! Closed sets typed by hand at the command line (an identity check's method
//! and outcome): the core takes them as enums now, and the CLI still refuses a
//! value outside the set with the message naming the field and the choices,
//! writing nothing; a value inside it is recorded as that value.

mod common;

use common::{run, ADA};

const NOW: &str = "2025-02-03T10:00:00Z";

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn checks(db: &std::path::Path) -> serde_json::Value {
    let out = run(db, NOW, &["identity", "list", "DSR-2025-0001", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[test]
fn an_identity_check_with_a_method_or_outcome_outside_the_set_is_refused_by_name_and_nothing_is_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("register.sqlite3");
    assert!(run(&db, NOW, ADA).status.success());

    let out = run(&db, NOW, &["identity", "verify", "DSR-2025-0001", "--method", "vibes"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("method: is one of: reply-from-address-on-file, account-data-match, document-seen, authorised-agent"),
        "{}",
        stderr(&out)
    );
    let out = run(&db, NOW, &["identity", "verify", "DSR-2025-0001", "--method", "document-seen", "--outcome", "maybe"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("outcome: is verified or failed"), "{}", stderr(&out));
    assert_eq!(checks(&db), serde_json::json!([]), "nothing was recorded");

    let out = run(&db, NOW, &["identity", "verify", "DSR-2025-0001", "--method", "account-data-match", "--outcome", "failed", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let recorded = checks(&db);
    assert_eq!(recorded[0]["method"], "account-data-match");
    assert_eq!(recorded[0]["outcome"], "failed");
}
