//! The CLI as a script uses it: a real binary on a real SQLite file.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{ADA, PASSPHRASE};

fn rightsdesk(db: &Path, args: &[&str]) -> Output {
    common::run(db, "2025-02-10T10:00:00Z", args)
}

fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

#[test]
fn the_readme_example_prints_due_28_february() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    let mut args = ADA.to_vec();
    args.push("--json");
    let request = json(&rightsdesk(&db, &args));
    assert_eq!(request["due"], "2025-02-28");
    assert_eq!(request["days_left"], 18);
    assert_eq!(request["reference"], "DSR-2025-0001");
    let listed = json(&rightsdesk(&db, &["request", "list", "--json"]));
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let shown = json(&rightsdesk(&db, &["request", "show", "DSR-2025-0001", "--json"]));
    assert_eq!(shown["request"]["subject"]["email"], "ada@example.org");
    assert_eq!(shown["timeline"][0]["kind"], "registered");
}

#[test]
fn the_db_flag_overrides_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let env_db = dir.path().join("env.sqlite3");
    let flag_db = dir.path().join("flag.sqlite3");
    let mut args = ADA.to_vec();
    args.extend(["--db", flag_db.to_str().unwrap()]);
    assert!(rightsdesk(&env_db, &args).status.success());
    assert!(flag_db.exists());
    assert!(!env_db.exists(), "the request went to --db, not to RIGHTSDESK_DB");
    // Reading RIGHTSDESK_DB, where no database was ever made, creates none (issue 16 item 3).
    let in_env = rightsdesk(&env_db, &["request", "list", "--json"]);
    assert!(String::from_utf8_lossy(&in_env.stderr).contains("no database at"));
    assert!(!env_db.exists());
}

#[test]
fn bad_input_names_the_field_and_leaves_the_database_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    assert!(rightsdesk(&db, ADA).status.success());
    let before = row_counts(&db);
    let cases: &[(&str, &str, &str)] = &[
        ("--type", "acces", "type:"),
        ("--email", "ada@@example", "email:"),
        ("--received", "2025-02-30", "received:"),
        ("--received", "2025-03-01", "received: is in the future"),
        ("--regime", "gdpr", "regime:"),
    ];
    for (flag, value, expected) in cases {
        let mut args = ADA.to_vec();
        let at = args.iter().position(|a| a == flag).unwrap();
        args[at + 1] = value;
        let out = rightsdesk(&db, &args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{flag} {value} was accepted");
        assert!(stderr.contains(expected), "{flag} {value}: stderr was {stderr}");
        assert!(out.stdout.is_empty());
    }
    assert_eq!(row_counts(&db), before, "nothing was written by the refused requests");
}

#[test]
fn status_changes_follow_the_rules_and_need_reasons_where_the_law_does() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    assert!(rightsdesk(&db, ADA).status.success());
    let out = rightsdesk(&db, &["request", "status", "DSR-2025-0001", "completed"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot go from received to completed"));
    let out = rightsdesk(&db, &["request", "status", "DSR-2025-0001", "refused"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("reason"));
    let d = json(&rightsdesk(&db, &["request", "status", "DSR-2025-0001", "in-progress", "--json"]));
    assert_eq!(d["request"]["status"], "in-progress");
    let d = json(&rightsdesk(&db, &["request", "status", "DSR-2025-0001", "completed", "--json"]));
    assert_eq!(d["request"]["status"], "completed");
    assert_eq!(d["timeline"].as_array().unwrap().len(), 3);
    assert!(d["request"]["days_left"].is_null());
}

#[test]
fn a_database_from_a_newer_version_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    assert!(rightsdesk(&db, ADA).status.success());
    {
        let conn = rusqlite_conn(&db);
        conn.pragma_update(None, "user_version", 999).unwrap();
    }
    let before = std::fs::read(&db).unwrap();
    let out = rightsdesk(&db, &["request", "list"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("newer Rightsdesk"), "{stderr}");
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn a_file_that_is_not_a_database_is_refused_with_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("notes.sqlite3");
    std::fs::write(&db, b"these are not the requests you are looking for, just text that is long enough").unwrap();
    let out = rightsdesk(&db, &["request", "list"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("could not be unlocked") && stderr.contains("notes.sqlite3"), "{stderr}");
}

#[test]
fn demo_data_loads_into_an_empty_database_only() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    let loaded = json(&rightsdesk(&db, &["demo", "load", "--json"]));
    assert!(loaded["loaded"].as_u64().unwrap() >= 10);
    assert!(!rightsdesk(&db, &["demo", "load"]).status.success());
    let open = json(&rightsdesk(&db, &["request", "list", "--open", "--json"]));
    let all = json(&rightsdesk(&db, &["request", "list", "--json"]));
    assert!(open.as_array().unwrap().len() < all.as_array().unwrap().len());
}

/// Requests and timeline events in the file.
fn row_counts(path: &Path) -> (i64, i64) {
    let conn = rusqlite_conn(path);
    let count = |table: &str| conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap();
    (count("requests"), count("events"))
}

/// A direct connection to the encrypted file, as a forensic tool with the key would have.
fn rusqlite_conn(path: &Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.pragma_update(None, "key", PASSPHRASE).unwrap();
    conn.execute_batch(&rightsdesk_core::store::PageHmac::NEW.pragma(None)).unwrap();
    conn
}

#[test]
fn without_a_passphrase_or_keyring_nothing_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    // No session bus here, so no OS keyring: the CLI must refuse rather than write in clear.
    // (`request add`: a command that may start a register; a reading one refuses a missing file first.)
    let out = Command::new(env!("CARGO_BIN_EXE_rightsdesk"))
        .args(ADA)
        .env("RIGHTSDESK_DB", &db)
        .env_remove("RIGHTSDESK_PASSPHRASE")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env("XDG_RUNTIME_DIR", dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("RIGHTSDESK_PASSPHRASE"), "{stderr}");
    assert!(!db.exists(), "no database may be created without a key");
}

#[test]
fn the_wrong_passphrase_is_refused_and_the_key_can_be_changed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    assert!(rightsdesk(&db, ADA).status.success());
    let with = |pass: &str, args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_rightsdesk"))
            .args(args)
            .env("RIGHTSDESK_DB", &db)
            .env("RIGHTSDESK_PASSPHRASE", pass)
            .env("NEW_PASS", "a brand new passphrase")
            .output()
            .unwrap()
    };
    let out = with("not the passphrase", &["request", "list"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("could not be unlocked"));
    assert!(with(PASSPHRASE, &["key", "change", "--new-passphrase-env", "NEW_PASS"]).status.success());
    assert!(!with(PASSPHRASE, &["request", "list"]).status.success());
    let out = with("a brand new passphrase", &["request", "list", "--json"]);
    assert!(out.status.success());
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap().as_array().unwrap().len(), 1);
}

#[test]
fn an_unencrypted_database_is_encrypted_by_a_guided_step_keeping_its_requests() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    assert!(rightsdesk(&db, ADA).status.success());
    // Make a plaintext copy, as an earlier unencrypted version would have left it.
    let plain = dir.path().join("plain.sqlite3");
    {
        let conn = rusqlite_conn(&db);
        let plain_text = plain.to_str().unwrap();
        // sqlcipher_export copies the schema, not user_version: carry the current one over.
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        conn.execute_batch(&format!(
            "ATTACH DATABASE '{plain_text}' AS plain KEY ''; SELECT sqlcipher_export('plain'); PRAGMA plain.user_version = {version}; DETACH DATABASE plain;"
        ))
        .unwrap();
    }
    let out = rightsdesk(&plain, &["request", "list"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("rightsdesk encrypt"), "the refusal says what to do");
    assert!(rightsdesk(&plain, &["encrypt"]).status.success());
    let listed = json(&rightsdesk(&plain, &["request", "list", "--json"]));
    assert_eq!(listed[0]["reference"], "DSR-2025-0001");
}

/// The OS keyring for real: GNOME Keyring's Secret Service on a private session
/// bus (`dbus-run-session`), as on an officer's Linux desktop.
#[test]
fn a_new_database_keeps_a_random_key_in_the_os_keyring_and_opens_with_it_next_time() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let run = home.join("run");
    std::fs::create_dir(&run).unwrap();
    std::fs::set_permissions(&run, std::fs::Permissions::from_mode(0o700)).unwrap();
    let db = home.join("r.sqlite3");
    // Two processes in one desktop session: the first creates the database and
    // its key, the second finds the key in the keyring.
    let script = "set -e
        printf %s 'keyring test password' | gnome-keyring-daemon --unlock --components=secrets >/dev/null
        \"$RD\" request add --type access --regime eu-gdpr --jurisdiction DE --received 2025-01-31 \
            --email ada@example.org --name 'Ada Example' >/dev/null
        \"$RD\" request list --json";
    let session = |cmd: &mut Command| {
        cmd.env_remove("RIGHTSDESK_PASSPHRASE")
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .env("HOME", home)
            .env("XDG_RUNTIME_DIR", &run)
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("RIGHTSDESK_DB", &db)
            .env("RIGHTSDESK_NOW", "2025-02-10T10:00:00Z")
            .output()
            .unwrap()
    };
    let out = session(Command::new("dbus-run-session").args(["--", "bash", "-c", script]).env("RD", env!("CARGO_BIN_EXE_rightsdesk")));
    let listed = json(&out);
    assert_eq!(listed[0]["subject"]["name"], "Ada Example", "the second process opened the database with the kept key");
    let mut header = [0u8; 16];
    std::io::Read::read_exact(&mut std::fs::File::open(&db).unwrap(), &mut header).unwrap();
    assert_ne!(&header, b"SQLite format 3\0", "the file is encrypted");
    // Outside that session there is no keyring and no passphrase: refused, not opened.
    let out = session(Command::new(env!("CARGO_BIN_EXE_rightsdesk")).args(["request", "list"]));
    assert!(!out.status.success());
    assert!(!String::from_utf8_lossy(&out.stdout).contains("Ada"));
}
