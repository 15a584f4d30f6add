//! A typo in `--db` never creates a database (issue 16, item 3): a command that
//! is not meant to start a register fails with `no database at PATH` on a path
//! where none is, and leaves nothing behind — no file, no `-wal`, no lock file,
//! no folder. Only the commands that start a register (`request add`,
//! `demo load`, `import`, setting up mail or the data map, `restore`) create one.

use std::path::Path;
use std::process::{Command, Output};

fn rightsdesk(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rightsdesk"))
        .args(args)
        .current_dir(dir)
        .env_remove("RIGHTSDESK_DB")
        .env("RIGHTSDESK_NOW", "2025-02-10T10:00:00Z")
        .env("RIGHTSDESK_PASSPHRASE", "test passphrase, not secret")
        .env("HOME", dir)
        .env("XDG_DATA_HOME", dir.join("xdg"))
        .output()
        .expect("run rightsdesk")
}

/// Every file and folder under `dir`, for "nothing was created".
fn everything_under(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            found.push(path.strip_prefix(dir).unwrap().display().to_string());
            if path.is_dir() {
                stack.push(path);
            }
        }
    }
    found.sort();
    found
}

#[test]
fn commands_that_do_not_start_a_register_refuse_a_path_with_no_database_and_create_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("real.sqlite3.txt"), b"unrelated").unwrap();
    let before = everything_under(root);
    let ics = root.join("calendar.ics");
    let backup = root.join("b.rdbackup");
    let commands: Vec<Vec<&str>> = vec![
        vec!["request", "list"],
        vec!["request", "show", "DSR-2025-0001"],
        vec!["request", "status", "DSR-2025-0001", "in-progress"],
        vec!["dashboard"],
        vec!["reminders"],
        vec!["reminders", "--send"],
        vec!["audit", "verify"],
        vec!["audit", "export", "--out", "trail.csv"],
        vec!["export", "requests", "--format", "csv"],
        vec!["metrics", "--year", "2025"],
        vec!["calendar", "--out", ics.to_str().unwrap()],
        vec!["outbox", "list"],
        vec!["outbox", "send"],
        vec!["smtp", "show"],
        vec!["systems", "list"],
        vec!["evidence", "list", "DSR-2025-0001"],
        vec!["retention", "show"],
        vec!["purge", "--dry-run"],
        vec!["purge"],
        vec!["backup", "--out", backup.to_str().unwrap()],
        vec!["key", "change"],
        vec!["encrypt"],
    ];
    // A typo'd file in an existing folder, in a folder that does not exist, and a relative one.
    for db in ["rael.sqlite3", "no-such-folder/r.sqlite3", "../typo/r.sqlite3"] {
        for command in &commands {
            let mut args = command.clone();
            args.extend(["--db", db]);
            let out = rightsdesk(root, &args);
            let message = String::from_utf8_lossy(&out.stderr);
            assert!(!out.status.success(), "{command:?} --db {db} succeeded");
            assert!(message.contains(&format!("no database at {db}")), "{command:?} --db {db}: {message}");
            assert_eq!(everything_under(root), before, "{command:?} --db {db} created something");
        }
    }
    assert!(!root.parent().unwrap().join("typo").exists(), "no folder was made above either");
    // RIGHTSDESK_DB is held to the same rule as --db.
    let out = Command::new(env!("CARGO_BIN_EXE_rightsdesk"))
        .args(["request", "list"])
        .current_dir(root)
        .env("RIGHTSDESK_DB", root.join("typo.sqlite3"))
        .env("RIGHTSDESK_PASSPHRASE", "test passphrase, not secret")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("no database at"));
    assert_eq!(everything_under(root), before);
}

#[test]
fn registering_the_first_request_starts_the_register_and_reading_works_from_then_on() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let added = rightsdesk(
        root,
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
            "A",
            "--email",
            "a@example.org",
            "--db",
            "new/r.sqlite3",
        ],
    );
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    let listed = rightsdesk(root, &["request", "list", "--json", "--db", "new/r.sqlite3"]);
    assert!(listed.status.success(), "{}", String::from_utf8_lossy(&listed.stderr));
    let listed: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    assert!(rightsdesk(root, &["demo", "load", "--db", "demo.sqlite3"]).status.success(), "demo load starts one too");
    assert!(rightsdesk(root, &["systems", "starter", "--db", "map.sqlite3"]).status.success(), "so does a data map");
}
