//! `rightsdesk backup` and `restore` on a team register (issue 18, item 7) against a real
//! PostgreSQL 15 (`tests/pg/harness.rs`, TLS with `verify-full`): an officer's backup (and an
//! auditor's) is the same encrypted archive a register file gets, sealed with
//! RIGHTSDESK_PASSPHRASE; it checks with `restore --verify-only`, restores into an empty team
//! database after `team init` on another server and to a register file, and both show the
//! same requests, timelines and an intact audit trail (one more event: the restore itself).
//! Stored files (evidence) travel in it and come back byte for byte. A non-empty target is
//! refused naming what it holds; a backup without a passphrase, of a register whose trail
//! does not verify, or killed midway leaves no backup and no staging copy behind.

#[path = "../../../../tests/pg/harness.rs"]
mod pg;
#[path = "common/team.rs"]
mod team_cli;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use pg::{Pg, DBNAME};
use team_cli::{add_args, json_of as json, ok, refused};

/// The passphrase the officer seals team backups with.
const SEAL: &str = "team backup passphrase, kept offline";

/// `rightsdesk ARGS --db DB` with the team database's `password` from RIGHTSDESK_DB_PASSWORD and
/// `passphrase` as RIGHTSDESK_PASSPHRASE, and no other source of either (no keyring, no .pgpass).
fn command(db: &str, password: &str, passphrase: Option<&str>, args: &[&str]) -> (Command, tempfile::TempDir) {
    let (mut c, home) = team_cli::command(db, password, args);
    c.env("USER", "mallory").env("USERNAME", "mallory").env_remove("RIGHTSDESK_PASSPHRASE");
    if let Some(p) = passphrase {
        c.env("RIGHTSDESK_PASSPHRASE", p);
    }
    (c, home)
}

fn rightsdesk(db: &str, password: &str, passphrase: Option<&str>, args: &[&str]) -> Output {
    let (mut c, _home) = command(db, password, passphrase, args);
    c.stdin(Stdio::null()).output().expect("run rightsdesk")
}

/// `team init` as the administrator, then `name` added with `role`: their one-time password.
fn init_with(pg: &Pg, people: &[(&str, &str)]) -> Vec<String> {
    ok(rightsdesk(&pg.admin_url(), pg.admin_password(), None, &["team", "init"]));
    people
        .iter()
        .map(|(name, role)| {
            let added = json(ok(rightsdesk(&pg.admin_url(), pg.admin_password(), None, &["team", "add", name, "--role", role, "--json"])));
            added["password"].as_str().unwrap().to_string()
        })
        .collect()
}

/// What an officer sees of a register: per reference, the subject, status and the timeline's
/// (number, time, kind, summary, actor) in order.
type Seen = BTreeMap<String, (String, String, Vec<[String; 5]>)>;

fn seen(run: &dyn Fn(&[&str]) -> Output) -> Seen {
    let list = json(ok(run(&["request", "list", "--json"])));
    list.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let reference = r["reference"].as_str().unwrap().to_string();
            let shown = json(ok(run(&["request", "show", &reference, "--json"])));
            let timeline = shown["timeline"]
                .as_array()
                .unwrap_or_else(|| panic!("a timeline: {shown}"))
                .iter()
                .map(|e| ["seq", "at", "kind", "summary", "actor"].map(|k| e[k].to_string()))
                .collect();
            (reference, (r["subject"]["name"].as_str().unwrap().to_string(), r["status"].as_str().unwrap().to_string(), timeline))
        })
        .collect()
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut n: Vec<String> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    n.sort();
    n
}

#[test]
fn an_officers_backup_of_a_team_register_restores_into_an_empty_team_database_and_to_a_file() {
    let pg = Pg::start();
    let passwords = init_with(&pg, &[("olga", "officer"), ("axel", "auditor")]);
    let (olga_pw, axel_pw) = (passwords[0].clone(), passwords[1].clone());
    let olga = |pass: Option<&str>, args: &[&str]| rightsdesk(&pg.url("olga"), &olga_pw, pass, args);
    let refs: Vec<String> = [("Ada Example", "ada@example.org"), ("Bob Builder", "bob@example.net"), ("Cleo Chen", "cleo@example.com")]
        .iter()
        .map(|(name, email)| json(ok(olga(None, &add_args(name, email))))["reference"].as_str().unwrap().to_string())
        .collect();
    ok(olga(None, &["request", "status", &refs[1], "in-progress", "--json"]));
    let before = seen(&|args| olga(None, args));
    assert_eq!(before.len(), 3);
    assert_eq!(before[&refs[1]].1, "in-progress");
    assert!(before[&refs[1]].2.len() >= 2, "{before:?}");
    let verified = json(ok(olga(None, &["audit", "verify", "--json"])));
    assert_eq!(verified["intact"], true, "{verified}");
    let checked = verified["checked"].as_u64().unwrap();

    // Without a passphrase the officer is told what to set, and nothing is written.
    let dir = tempfile::tempdir().unwrap();
    let backup = dir.path().join("team.rdbackup");
    let e = refused(olga(None, &["backup", "--out", backup.to_str().unwrap()]));
    assert!(e.contains("RIGHTSDESK_PASSPHRASE") && e.contains("nothing was written"), "{e}");
    assert!(names(dir.path()).is_empty(), "{:?}", names(dir.path()));

    // The officer's backup: one file, nothing else beside it.
    let made = json(ok(olga(Some(SEAL), &["backup", "--out", backup.to_str().unwrap(), "--json"])));
    assert_eq!(made["backup"]["requests"], 3, "{made}");
    assert_eq!(names(dir.path()), ["team.rdbackup"]);
    let bytes = std::fs::read(&backup).unwrap();
    assert!(!bytes.windows(11).any(|w| w == b"Ada Example"), "the archive is encrypted");
    // Made again under the same name: refused, the first kept.
    let e = refused(olga(Some(SEAL), &["backup", "--out", backup.to_str().unwrap()]));
    assert!(e.contains("already exists"), "{e}");
    assert_eq!(std::fs::read(&backup).unwrap(), bytes);

    // An auditor, who may change nothing, makes the scheduled kind into a folder.
    let rotating = dir.path().join("nightly");
    for _ in 0..3 {
        ok(rightsdesk(&pg.url("axel"), &axel_pw, Some(SEAL), &["backup", "--dir", rotating.to_str().unwrap(), "--keep", "2"]));
    }
    let kept = names(&rotating);
    assert_eq!(kept.len(), 2, "{kept:?}");
    assert!(kept.iter().all(|n| n.starts_with("rightsdesk-") && n.ends_with(".rdbackup")), "{kept:?}");

    // The existing check opens it: with the passphrase, through the team address and without.
    let checked_out = ok(olga(Some(SEAL), &["restore", backup.to_str().unwrap(), "--verify-only"]));
    assert!(checked_out.contains("backup ok") && checked_out.contains("3 requests"), "{checked_out}");
    let local = dir.path().join("restored");
    std::fs::create_dir(&local).unwrap();
    let file = local.join("restored.sqlite3");
    let on_file = |pass: Option<&str>, args: &[&str]| rightsdesk(file.to_str().unwrap(), "", pass, args);
    let v = json(ok(on_file(Some(SEAL), &["restore", backup.to_str().unwrap(), "--verify-only", "--json"])));
    assert_eq!(v["verified"]["requests"], 3, "{v}");
    let e = refused(on_file(Some("not the passphrase at all"), &["restore", backup.to_str().unwrap(), "--verify-only"]));
    assert!(!e.contains("backup ok"), "{e}");
    assert!(!file.exists());

    // Restored to a register file (as any backup): the same requests and timelines.
    ok(on_file(Some(SEAL), &["restore", backup.to_str().unwrap()]));
    let from_file = seen(&|args| on_file(Some(SEAL), args));
    assert_eq!(from_file, before);
    let v = json(ok(on_file(Some(SEAL), &["audit", "verify", "--json"])));
    assert_eq!(v["intact"], true, "{v}");
    assert_eq!(v["checked"].as_u64().unwrap(), checked + 1, "the restore is on the trail: {v}");

    // Restored into an empty team register on another server, set up by `team init`.
    let other = Pg::start();
    ok(rightsdesk(&other.admin_url(), other.admin_password(), None, &["team", "init"]));
    let e = refused(rightsdesk(
        &other.admin_url(),
        other.admin_password(),
        Some(SEAL),
        &["restore", backup.to_str().unwrap(), "--to", "x.sqlite3"],
    ));
    assert!(e.contains("team database's address"), "{e}");
    // No --db and no data directory (HOME unset): a restore into a team database needs no register file.
    let out = ok(Command::new(env!("CARGO_BIN_EXE_rightsdesk"))
        .args(["restore", backup.to_str().unwrap(), "--to", &other.admin_url()])
        .env("RIGHTSDESK_DB_PASSWORD", other.admin_password())
        .env("RIGHTSDESK_PASSPHRASE", SEAL)
        .env_remove("HOME")
        .env_remove("XDG_DATA_HOME")
        .env_remove("RIGHTSDESK_DB")
        .env_remove("PGPASSWORD")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env("PGPASSFILE", dir.path().join("none"))
        .stdin(Stdio::null())
        .output()
        .unwrap());
    assert!(out.contains("restored the team register") && out.contains("3 requests") && out.contains("intact"), "{out}");
    let olga2 =
        json(ok(rightsdesk(&other.admin_url(), other.admin_password(), None, &["team", "add", "olga", "--role", "officer", "--json"])));
    let olga2_pw = olga2["password"].as_str().unwrap().to_string();
    let olga2 = |args: &[&str]| rightsdesk(&other.url("olga"), &olga2_pw, None, args);
    assert_eq!(seen(&olga2), before);
    let v = json(ok(olga2(&["audit", "verify", "--json"])));
    assert_eq!(v["intact"], true, "{v}");
    assert_eq!(v["checked"].as_u64().unwrap(), checked + 1, "the restore is on the trail: {v}");
    assert_eq!(other.admin_sql(DBNAME, "SELECT count(*) FROM requests"), "3");
    let kinds = other.admin_sql(DBNAME, "SELECT kind || ' by ' || actor FROM events ORDER BY seq DESC LIMIT 1");
    assert_eq!(kinds, format!("backup-restored by {}", pg::ADMIN));
    // Work goes on there: the next reference and an intact trail.
    let next = json(ok(olga2(&add_args("Dan Dare", "dan@example.org"))));
    assert_eq!(next["reference"].as_str().unwrap(), refs[0].replace("0001", "0004"), "{next}");
    assert_eq!(json(ok(olga2(&["audit", "verify", "--json"])))["intact"], true);

    // A team register that holds anything is not restored over, and stays as it was.
    let counts = "SELECT (SELECT count(*) FROM requests) || '/' || (SELECT count(*) FROM events)";
    let held = other.admin_sql(DBNAME, counts);
    let e = refused(rightsdesk(&other.admin_url(), other.admin_password(), Some(SEAL), &["restore", backup.to_str().unwrap()]));
    assert!(e.contains("not empty") && e.contains("requests") && e.contains("nothing was written"), "{e}");
    assert_eq!(other.admin_sql(DBNAME, counts), held);
}

#[test]
fn a_team_backup_that_fails_or_is_killed_leaves_no_backup_and_no_staging_copy() {
    let pg = Pg::start();
    let olga_pw = init_with(&pg, &[("olga", "officer")]).remove(0);
    let olga = |args: &[&str]| rightsdesk(&pg.url("olga"), &olga_pw, Some(SEAL), args);
    let refs: Vec<String> = [("Ada Example", "ada@example.org"), ("Bob Builder", "bob@example.net")]
        .iter()
        .map(|(name, email)| json(ok(olga(&add_args(name, email))))["reference"].as_str().unwrap().to_string())
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let backup = dir.path().join("team.rdbackup");

    // Killed while it reads the snapshot: a session of the administrator holds the requests
    // table locked, so the backup waits inside its export with the staging copy begun.
    let locker = Command::new(Path::new(pg::BIN).join("psql"))
        .arg(format!(
            "host=localhost port={} user={} dbname={DBNAME} sslmode=verify-full sslrootcert={} application_name=locker",
            pg.port,
            pg::ADMIN,
            pg.ca_file().display()
        ))
        .args(["-X", "-q", "-c", "BEGIN; LOCK TABLE requests IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(120); COMMIT;"])
        .env("PGPASSWORD", pg.admin_password())
        .env("PGPASSFILE", "/dev/null")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let waiting = |app: &str, what: &str| {
        format!("SELECT count(*) FROM pg_stat_activity WHERE application_name = '{app}' AND wait_event_type = '{what}'")
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    while pg.admin_sql("postgres", &waiting("locker", "Timeout")) != "1" {
        assert!(Instant::now() < deadline, "the lock was never taken");
        std::thread::sleep(Duration::from_millis(20));
    }
    let (mut c, _home) = command(&pg.url("olga"), &olga_pw, Some(SEAL), &["backup", "--out", backup.to_str().unwrap()]);
    let mut child = c.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while pg.admin_sql("postgres", &waiting("rightsdesk", "Lock")) != "1" {
        assert!(child.try_wait().unwrap().is_none(), "the backup ended before it read the requests");
        assert!(Instant::now() < deadline, "the backup never waited for the requests");
        std::thread::sleep(Duration::from_millis(20));
    }
    let staging: Vec<String> = names(dir.path());
    assert!(
        staging.len() == 1 && staging[0].starts_with(".rightsdesk-tmp-team-"),
        "the staging folder, and nothing else, while it runs: {staging:?}"
    );
    child.kill().unwrap();
    child.wait().unwrap();
    pg.admin_sql("postgres", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'locker'");
    let mut locker = locker;
    locker.wait().unwrap();
    assert!(!backup.exists(), "no backup under its name");
    // What a kill leaves is the hidden staging folder, whose copy is encrypted like any register file.
    let left = dir.path().join(&staging[0]);
    for entry in std::fs::read_dir(&left).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        assert!(!bytes.starts_with(b"SQLite format 3") && !bytes.windows(11).any(|w| w == b"Ada Example"));
    }
    // The next backup into that folder removes it (given as a name in the working directory).
    let (mut c, _home) = command(&pg.url("olga"), &olga_pw, Some(SEAL), &["backup", "--out", "team.rdbackup"]);
    ok(c.current_dir(dir.path()).stdin(Stdio::null()).output().unwrap());
    assert_eq!(names(dir.path()), ["team.rdbackup"]);
    std::fs::remove_file(&backup).unwrap();

    // A register whose trail does not verify (a row changed behind Rightsdesk's back) is not
    // backed up: the officer is told, and neither a backup nor a staging copy stays.
    pg.admin_sql(DBNAME, &format!("UPDATE requests SET notes = 'changed behind its back' WHERE reference = '{}'", refs[0]));
    let e = refused(olga(&["backup", "--out", backup.to_str().unwrap()]));
    assert!(e.contains("no backup was made") && e.contains("does not verify"), "{e}");
    assert!(names(dir.path()).is_empty(), "{:?}", names(dir.path()));
    let e = refused(olga(&["backup", "--dir", dir.path().join("nightly").to_str().unwrap()]));
    assert!(e.contains("does not verify"), "{e}");
    assert!(names(&dir.path().join("nightly")).is_empty());
}

/// A stored file (an identity document added on the team register) travels in the team backup
/// and comes back byte for byte from a register file and from another team register; a
/// register file's backup holding evidence restores into a team register too.
#[test]
fn stored_files_travel_in_a_team_backup_and_come_back_byte_for_byte() {
    let pg = Pg::start();
    let olga_pw = init_with(&pg, &[("olga", "officer")]).remove(0);
    let olga = |args: &[&str]| rightsdesk(&pg.url("olga"), &olga_pw, Some(SEAL), args);
    let reference = json(ok(olga(&add_args("Ada Example", "ada@example.org"))))["reference"].as_str().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let scan = dir.path().join("id-scan.txt");
    let content: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&scan, &content).unwrap();
    ok(olga(&["evidence", "add", &reference, scan.to_str().unwrap()]));
    std::fs::remove_file(&scan).unwrap();
    let backup = dir.path().join("team.rdbackup");
    let made = json(ok(olga(&["backup", "--out", backup.to_str().unwrap(), "--json"])));
    assert_eq!((made["backup"]["requests"].as_u64(), made["backup"]["evidence_files"].as_u64()), (Some(1), Some(1)), "{made}");
    assert_eq!(names(dir.path()), ["team.rdbackup"]);
    let archive = std::fs::read(&backup).unwrap();
    assert!(!archive.windows(64).any(|w| content.windows(64).next() == Some(w)), "the file is sealed in the archive");

    // `evidence get` writes it out of a register and returns its bytes.
    let got = |run: &dyn Fn(&[&str]) -> Output, out: &str| -> Vec<u8> {
        let listed = json(ok(run(&["evidence", "list", &reference, "--json"])));
        let listed = listed.as_array().unwrap();
        assert_eq!(listed.len(), 1, "{listed:?}");
        let path = dir.path().join(out);
        ok(run(&["evidence", "get", listed[0]["id"].as_str().unwrap(), "--out", path.to_str().unwrap()]));
        std::fs::read(path).unwrap()
    };
    assert!(got(&olga, "from-team.txt") == content);

    // Restored to a register file: the evidence folder beside it holds it.
    let local = tempfile::tempdir().unwrap();
    let file = local.path().join("restored.sqlite3");
    let on_file = |args: &[&str]| rightsdesk(file.to_str().unwrap(), "", Some(SEAL), args);
    let restored = json(ok(on_file(&["restore", backup.to_str().unwrap(), "--json"])));
    assert_eq!(restored["restored"]["evidence_files"], 1, "{restored}");
    assert!(got(&on_file, "from-file.txt") == content);
    assert_eq!(json(ok(on_file(&["audit", "verify", "--json"])))["intact"], true);

    // Restored into another team register: its stored_chunks hold it.
    let other = Pg::start();
    let admin = |pass: Option<&str>, args: &[&str]| rightsdesk(&other.admin_url(), other.admin_password(), pass, args);
    ok(admin(None, &["team", "init"]));
    ok(admin(Some(SEAL), &["restore", backup.to_str().unwrap()]));
    let pw = json(ok(admin(None, &["team", "add", "olga", "--role", "officer", "--json"])))["password"].as_str().unwrap().to_string();
    let olga2 = |args: &[&str]| rightsdesk(&other.url("olga"), &pw, Some(SEAL), args);
    assert!(got(&olga2, "from-other-team.txt") == content);
    assert_eq!(json(ok(olga2(&["audit", "verify", "--json"])))["intact"], true);

    // A register file's own backup (its key in the backup's passphrase) with an evidence file
    // goes into an empty team register as well.
    let third = Pg::start();
    ok(rightsdesk(&third.admin_url(), third.admin_password(), None, &["team", "init"]));
    let mine = local.path().join("mine.rdbackup");
    ok(on_file(&["backup", "--out", mine.to_str().unwrap()]));
    ok(rightsdesk(&third.admin_url(), third.admin_password(), Some(SEAL), &["restore", mine.to_str().unwrap()]));
    let pw =
        json(ok(rightsdesk(&third.admin_url(), third.admin_password(), None, &["team", "add", "olga", "--role", "officer", "--json"])))
            ["password"]
            .as_str()
            .unwrap()
            .to_string();
    let olga3 = |args: &[&str]| rightsdesk(&third.url("olga"), &pw, Some(SEAL), args);
    assert!(got(&olga3, "from-third-team.txt") == content);
    let v = json(ok(olga3(&["audit", "verify", "--json"])));
    assert_eq!(v["intact"], true, "{v}");
}
