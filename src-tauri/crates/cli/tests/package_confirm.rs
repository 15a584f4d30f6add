//! `rightsdesk package` before it builds: an evidence-less package while tasks
//! are open is refused unless the officer says `--allow-open-tasks`, and
//! `--generate-passphrase` encrypts with a passphrase shown once.

mod common;

use std::path::Path;
use std::process::Output;

use common::ADA;

fn rightsdesk(db: &Path, args: &[&str]) -> Output {
    common::command(db, "2025-02-10T10:00:00Z", args).output().expect("run rightsdesk")
}

fn ok(out: &Output) -> String {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A data map of two systems (facts complete), and Ada's access request with a task for each.
fn workspace(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("r.sqlite3");
    let map = dir.join("map.csv");
    std::fs::write(
        &map,
        "name,role,purposes,data_categories,retention,location,automated_decisions\n\
         CRM,own,Customer support,Email address,3 years,\"Frankfurt, Germany (EU)\",none\n\
         Newsletter,own,Newsletter,Email address,1 year,\"Frankfurt, Germany (EU)\",none\n",
    )
    .unwrap();
    ok(&rightsdesk(&db, &["systems", "import", map.to_str().unwrap()]));
    ok(&rightsdesk(&db, ADA));
    db
}

#[test]
fn a_package_without_evidence_while_tasks_are_open_is_refused_naming_the_count_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let db = workspace(dir.path());
    let zip = dir.path().join("p.zip");
    let z = zip.to_str().unwrap();
    let refused = rightsdesk(&db, &["package", "DSR-2025-0001", "--out", z]);
    assert!(!refused.status.success(), "refused");
    assert!(!zip.exists(), "nothing written");
    let why = String::from_utf8_lossy(&refused.stderr);
    assert!(why.contains("2 open tasks") && why.contains("--allow-open-tasks"), "{why}");
    assert!(!why.contains("ada@"), "no personal data in the message: {why}");

    let built = ok(&rightsdesk(&db, &["package", "DSR-2025-0001", "--out", z, "--allow-open-tasks"]));
    assert!(built.contains("package written"), "{built}");
    assert!(zip.exists());
}

#[test]
fn evidence_on_the_request_lets_the_package_build_without_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let db = workspace(dir.path());
    let export = dir.path().join("crm.csv");
    std::fs::write(&export, "id,email\n1,ada@example.org\n").unwrap();
    ok(&rightsdesk(&db, &["evidence", "add", "DSR-2025-0001", export.to_str().unwrap(), "--system", "CRM"]));
    let zip = dir.path().join("p.zip");
    ok(&rightsdesk(&db, &["package", "DSR-2025-0001", "--out", zip.to_str().unwrap()]));
    assert!(zip.exists());
}

#[test]
fn a_generated_passphrase_is_printed_once_and_opens_the_package() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    ok(&rightsdesk(&db, ADA));
    let zip = dir.path().join("p.zip");
    let z = zip.to_str().unwrap();
    let out = rightsdesk(&db, &["package", "DSR-2025-0001", "--out", z, "--generate-passphrase"]);
    let stdout = ok(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let line = stderr.lines().find(|l| l.contains("Passphrase")).unwrap_or_else(|| panic!("shown on stderr: {stderr}"));
    let phrase = line.rsplit(' ').next().unwrap().to_string();
    assert!(phrase.split('-').count() >= 6 && phrase.len() >= 12, "{phrase}");
    assert!(!stdout.contains(&phrase), "not on stdout: {stdout}");
    let verified = common::command(&db, "2025-02-10T10:00:00Z", &["package", "verify", z, "--passphrase-env", "P"])
        .env("P", &phrase)
        .output()
        .unwrap();
    assert!(ok(&verified).contains("AES-256"));

    // --json: the passphrase is a field of the report, and a second package gets another one.
    let zip2 = dir.path().join("p2.zip");
    let json = ok(&rightsdesk(&db, &["package", "DSR-2025-0001", "--out", zip2.to_str().unwrap(), "--generate-passphrase", "--json"]));
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(report["encrypted"], true);
    let second = report["passphrase"].as_str().unwrap();
    assert_ne!(second, phrase, "two calls differ");

    let both = rightsdesk(&db, &["package", "DSR-2025-0001", "--out", z, "--generate-passphrase", "--passphrase-env", "P"]);
    assert!(!both.status.success(), "one passphrase source or the other");
}
