//! Two processes never write one database: while one holds it (here this test
//! process, as the app would), a writing command is refused with a message
//! naming the database and the holder; reading commands still work.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use rightsdesk_core::store::{Db, DbKey};

use common::PASSPHRASE;

const NOW: &str = "2025-02-10T10:00:00Z";

fn rightsdesk(db: &Path, args: &[&str]) -> Output {
    common::run(db, NOW, args)
}

fn add(db: &Path) -> Output {
    rightsdesk(
        db,
        &[
            "request",
            "add",
            "--type",
            "access",
            "--regime",
            "eu-gdpr",
            "--received",
            "2025-02-01",
            "--name",
            "Wendy Writer-Example",
            "--email",
            "wendy@example.org",
            "--json",
        ],
    )
}

#[test]
fn a_second_writer_is_refused_while_another_process_holds_the_database_and_readers_still_work() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rightsdesk.sqlite3");
    assert!(rightsdesk(&db, &["demo", "load", "--json"]).status.success());
    let backup = dir.path().join("before.rdbackup");
    assert!(rightsdesk(&db, &["backup", "--out", backup.to_str().unwrap()]).status.success());

    let holder = Db::open(&db, &DbKey::passphrase(PASSPHRASE).unwrap()).expect("the first writer opens it");

    let refused = add(&db);
    assert!(!refused.status.success());
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(message.contains(&db.display().to_string()), "names the database: {message}");
    assert!(message.contains("in use by") && message.contains(&format!("process {}", std::process::id())), "names the holder: {message}");
    assert!(!message.contains("Wendy"), "no personal data in the message: {message}");

    // Reading commands work beside the writer (WAL), and see its data.
    let listed = rightsdesk(&db, &["request", "list", "--json"]);
    assert!(listed.status.success(), "{}", String::from_utf8_lossy(&listed.stderr));
    let listed: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(listed.as_array().map(Vec::len), Some(16));
    assert!(rightsdesk(&db, &["dashboard"]).status.success());
    assert!(rightsdesk(&db, &["purge", "--dry-run"]).status.success());
    // Nor may a restore replace the file under the writer's feet.
    let restore = rightsdesk(&db, &["restore", backup.to_str().unwrap(), "--force"]);
    assert!(!restore.status.success());
    assert!(String::from_utf8_lossy(&restore.stderr).contains("in use by"));

    drop(holder);
    let added = add(&db);
    assert!(added.status.success(), "once the first writer is gone: {}", String::from_utf8_lossy(&added.stderr));
}

#[cfg(unix)]
#[test]
fn the_lock_follows_the_real_file_through_a_symlink_a_dot_dot_path_and_a_relative_path() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rightsdesk.sqlite3");
    assert!(rightsdesk(&db, &["demo", "load", "--json"]).status.success());
    let link = dir.path().join("shortcut.sqlite3");
    std::os::unix::fs::symlink(&db, &link).unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let dotted = dir.path().join("sub").join("..").join("rightsdesk.sqlite3");

    let holder = Db::open(&db, &DbKey::passphrase(PASSPHRASE).unwrap()).expect("the first writer opens it");
    for other_name in [&link, &dotted] {
        let refused = add(other_name);
        assert!(!refused.status.success(), "{other_name:?} wrote beside the holder");
        assert!(String::from_utf8_lossy(&refused.stderr).contains("in use by"), "{other_name:?}");
    }
    let relative = Command::new(env!("CARGO_BIN_EXE_rightsdesk"))
        .args(["request", "add", "--type", "access", "--regime", "eu-gdpr", "--received", "2025-02-01", "--name", "R", "--json"])
        .current_dir(dir.path().join("sub"))
        .env("RIGHTSDESK_DB", "../rightsdesk.sqlite3")
        .env("RIGHTSDESK_NOW", NOW)
        .env("RIGHTSDESK_PASSPHRASE", PASSPHRASE)
        .output()
        .unwrap();
    assert!(!relative.status.success(), "a relative path wrote beside the holder");
    assert!(String::from_utf8_lossy(&relative.stderr).contains("in use by"));
    // The link did not gain a lock file of its own: there is one, beside the real file.
    assert!(!dir.path().join("shortcut.sqlite3.lock").exists());
    drop(holder);

    let listed = rightsdesk(&db, &["request", "list", "--json"]);
    let listed: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(listed.as_array().map(Vec::len), Some(16), "nothing was added while the lock was held");
    assert!(add(&link).status.success(), "through the link once the holder is gone");
}
