//! What a killed `rightsdesk` left half-written (under the one temporary
//! prefix, `.rightsdesk-tmp-`) beside the database and in its evidence folder
//! is removed the next time a command opens the register for work — the CLI
//! opens it as the app does (`rightsdesk_core::open`); a reading command,
//! which writes nothing, leaves it.

mod common;

use std::path::Path;

const NOW: &str = "2025-02-10T10:00:00Z";
const PREFIX: &str = ".rightsdesk-tmp-";

fn ok(db: &Path, args: &[&str]) {
    let out = common::run(db, NOW, args);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// The names under `dir` (one level) that carry the temporary prefix.
fn leftovers(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(PREFIX))
        .collect();
    names.sort();
    names
}

#[test]
fn a_command_that_opens_the_register_for_work_removes_a_killed_writers_leftovers_and_a_reading_one_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rightsdesk.sqlite3");
    ok(&db, common::ADA);

    // As a kill leaves them: an unfinished evidence file in its shard, an unfinished
    // file and a restore's staging folder beside the database.
    let shard = dir.path().join("evidence").join("ab");
    std::fs::create_dir_all(&shard).unwrap();
    std::fs::write(shard.join(format!("{PREFIX}k1Lled")), b"half of a passport scan").unwrap();
    std::fs::write(dir.path().join(format!("{PREFIX}x9Yz00")), b"half of an export").unwrap();
    std::fs::create_dir_all(dir.path().join(format!("{PREFIX}st4ge")).join("evidence")).unwrap();
    std::fs::write(dir.path().join("notes.txt"), b"the officer's own file").unwrap();

    ok(&db, &["request", "list"]);
    assert_eq!(leftovers(dir.path()).len(), 2, "a reading command removes nothing");
    assert_eq!(leftovers(&shard).len(), 1);

    // A second request: a command that writes, so it opens the register for work.
    ok(&db, common::ADA);
    assert_eq!(leftovers(dir.path()), Vec::<String>::new(), "opened for work, the leftovers beside the database are gone");
    assert_eq!(leftovers(&shard), Vec::<String>::new(), "and in the evidence folder");
    assert_eq!(std::fs::read(dir.path().join("notes.txt")).unwrap(), b"the officer's own file");
}
