//! The crash harness: the real CLI, killed with SIGKILL (`Child::kill` on Unix)
//! after a random delay (deterministic seed) while it registers requests, loads
//! a batch in one command, writes backups, restores one and migrates an old database. After
//! each kill the database must pass `PRAGMA integrity_check`, everything the
//! CLI confirmed before it died must still be there, and no half-written
//! backup may sit under a final name. Bounded: 30 kill points.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PASSPHRASE: &str = "crash harness passphrase";
const FIXTURE_PASSPHRASE: &str = "fixture passphrase v5";
const FIXTURE_V5: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/v5-demo.sqlite3");
const TEMP_PREFIX: &str = ".rightsdesk-tmp-";

/// xorshift64*: a deterministic sequence, so a failing kill point can be replayed.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn cli(db: &Path, passphrase: &str, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_rightsdesk"));
    c.args(args)
        .arg("--json")
        .env("RIGHTSDESK_DB", db)
        .env("RIGHTSDESK_PASSPHRASE", passphrase)
        .env("RIGHTSDESK_NOW", "2025-02-10T10:00:00Z")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

/// What happened to a process we meant to kill.
enum Fate {
    /// It finished before the kill: its exit status and stdout (what it confirmed).
    Finished(bool, String),
    Killed,
}

/// Starts the command, and after `delay` kills it with SIGKILL unless it has finished.
fn run_and_kill(mut cmd: Command, delay: Duration) -> Fate {
    let mut child: Child = cmd.spawn().expect("start rightsdesk");
    let deadline = Instant::now() + delay;
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            let mut out = String::new();
            child.stdout.take().unwrap().read_to_string(&mut out).unwrap();
            return Fate::Finished(status.success(), out);
        }
        if Instant::now() >= deadline {
            child.kill().expect("SIGKILL");
            child.wait().expect("reap");
            return Fate::Killed;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn run_ok(cmd: &mut Command) -> serde_json::Value {
    let out = cmd.output().expect("run rightsdesk");
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn integrity(db: &Path, passphrase: &str) -> (String, i64, i64) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute_batch(&format!("PRAGMA key = '{passphrase}';")).unwrap();
    let ok: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    // Killed before its first migration committed, a new database has no tables yet: nothing in it.
    let requests: i64 = conn.query_row("SELECT count(*) FROM requests", [], |r| r.get(0)).unwrap_or(0);
    (ok, version, requests)
}

/// Requests whose `registered` timeline event is missing (a change without its audit record).
fn unrecorded(db: &Path, passphrase: &str) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute_batch(&format!("PRAGMA key = '{passphrase}';")).unwrap();
    conn.query_row(
        "SELECT count(*) FROM requests r WHERE NOT EXISTS \
         (SELECT 1 FROM events e WHERE e.request_id = r.id AND e.kind = 'registered')",
        [],
        |r| r.get(0),
    )
    .unwrap_or(0)
}

fn references(db: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute_batch(&format!("PRAGMA key = '{PASSPHRASE}';")).unwrap();
    let mut stmt = conn.prepare("SELECT reference FROM requests").unwrap();
    stmt.query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
}

/// Every file under a final name in `dir` is a complete backup that verifies
/// (each checked once: `seen` holds those already verified).
fn check_backups(dir: &Path, db: &Path, seen: &mut std::collections::BTreeSet<String>) -> usize {
    let mut verified = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with(TEMP_PREFIX) || !seen.insert(name.clone()) {
            continue;
        }
        let out = cli(db, PASSPHRASE, &["restore", path.to_str().unwrap(), "--verify-only"]).output().unwrap();
        assert!(out.status.success(), "{name} is under a final name but does not verify: {}", String::from_utf8_lossy(&out.stderr));
        verified += 1;
    }
    verified
}

fn add_args(i: u32) -> Vec<String> {
    [
        "request", "add", "--type", "access", "--regime", "eu-gdpr", "--jurisdiction", "DE", "--received", "2025-02-03",
        "--name",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain([format!("Crash Subject {i}"), "--email".into(), format!("crash{i}@example.org")])
    .collect()
}

#[test]
fn killed_at_random_points_the_cli_never_corrupts_or_loses_what_it_confirmed() {
    let seed = std::env::var("CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x5eed_1234_u64);
    let mut rng = Rng(seed);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("live.sqlite3");
    // How long each operation takes uninterrupted on this machine: kills land uniformly within
    // 1.5 times that, so some runs finish (and confirm) and most die somewhere inside.
    let timed = |cmd: &mut Command| {
        let started = Instant::now();
        run_ok(cmd);
        started.elapsed().as_millis() as u64
    };
    let t_batch = timed(&mut cli(&db, PASSPHRASE, &["demo", "load"]));
    let backups = dir.path().join("backups");
    std::fs::create_dir_all(&backups).unwrap();
    let reference_backup = dir.path().join("reference.rdbackup");
    let t_backup = timed(&mut cli(&db, PASSPHRASE, &["backup", "--out", reference_backup.to_str().unwrap()]));
    let backed_up = integrity(&db, PASSPHRASE).2;
    let t_restore = timed(&mut cli(&dir.path().join("probe").join("r.sqlite3"), PASSPHRASE, &["restore", reference_backup.to_str().unwrap()]));
    let t_add = timed(&mut cli(&db, PASSPHRASE, &["request", "list"]));
    let probe = dir.path().join("probe-old.sqlite3");
    std::fs::copy(FIXTURE_V5, &probe).unwrap();
    let t_migrate = timed(&mut cli(&probe, FIXTURE_PASSPHRASE, &["request", "list"]));

    let mut confirmed: Vec<String> = Vec::new();
    let mut seen_backups = std::collections::BTreeSet::new();
    let (mut kills, mut finished) = (0u32, 0u32);
    for i in 0..30u32 {
        let phase = i % 6;
        let typical = [t_add, t_add, t_batch, t_backup, t_restore, t_migrate][phase as usize];
        let delay = Duration::from_millis(rng.below(typical * 3 / 2 + 1));
        match phase {
            // Registering one request: a printed reference must survive.
            0 | 1 => {
                let args = add_args(i);
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                match run_and_kill(cli(&db, PASSPHRASE, &args), delay) {
                    Fate::Finished(true, out) => {
                        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
                        confirmed.push(v["reference"].as_str().unwrap().to_string());
                        finished += 1;
                    }
                    Fate::Finished(false, _) => panic!("request add failed at kill point {i}"),
                    Fate::Killed => kills += 1,
                }
            }
            // Many writes in one command (the demo set into a fresh database). `demo load` commits
            // request by request, so any prefix may survive; each request must be whole (row and
            // its `registered` event committed together).
            2 => {
                let fresh = dir.path().join(format!("batch-{i}.sqlite3"));
                match run_and_kill(cli(&fresh, PASSPHRASE, &["demo", "load"]), delay) {
                    Fate::Finished(ok, _) => {
                        assert!(ok, "demo load failed at kill point {i}");
                        finished += 1;
                    }
                    Fate::Killed => kills += 1,
                }
                if fresh.exists() {
                    let (ok, _, n) = integrity(&fresh, PASSPHRASE);
                    assert_eq!(ok, "ok", "batch database corrupt at kill point {i}");
                    assert!(n <= 16, "more requests than the demo set at kill point {i}");
                    assert_eq!(unrecorded(&fresh, PASSPHRASE), 0, "a request without its registered event at kill point {i}");
                }
            }
            // A backup, one-off or rotating: absent or complete under its final name.
            3 => {
                let out = backups.join(format!("one-{i}.rdbackup"));
                let cmd = if rng.below(2) == 0 {
                    cli(&db, PASSPHRASE, &["backup", "--out", out.to_str().unwrap()])
                } else {
                    cli(&db, PASSPHRASE, &["backup", "--dir", backups.to_str().unwrap(), "--keep", "3"])
                };
                match run_and_kill(cmd, delay) {
                    Fate::Finished(ok, text) => {
                        assert!(ok, "backup failed at kill point {i}");
                        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
                        let path = PathBuf::from(v["backup"]["path"].as_str().unwrap());
                        assert!(path.exists(), "a confirmed backup is missing at kill point {i}");
                        finished += 1;
                    }
                    Fate::Killed => kills += 1,
                }
                check_backups(&backups, &db, &mut seen_backups);
            }
            // A restore into a fresh place: afterwards no database, or the whole restored one.
            4 => {
                let target = dir.path().join(format!("restored-{i}")).join("rightsdesk.sqlite3");
                let cmd = cli(&target, PASSPHRASE, &["restore", reference_backup.to_str().unwrap()]);
                match run_and_kill(cmd, delay) {
                    Fate::Finished(ok, _) => {
                        assert!(ok, "restore failed at kill point {i}");
                        assert!(target.exists(), "a confirmed restore left no database at kill point {i}");
                        finished += 1;
                    }
                    Fate::Killed => kills += 1,
                }
                if target.exists() {
                    let (ok, _, n) = integrity(&target, PASSPHRASE);
                    assert_eq!((ok.as_str(), n), ("ok", backed_up), "a partial restore under the final name at kill point {i}");
                }
            }
            // Migrating a frozen version-5 database to the current schema.
            _ => {
                let old = dir.path().join(format!("old-{i}.sqlite3"));
                std::fs::copy(FIXTURE_V5, &old).unwrap();
                let (_, before_version, before) = integrity(&old, FIXTURE_PASSPHRASE);
                assert_eq!(before_version, 5);
                match run_and_kill(cli(&old, FIXTURE_PASSPHRASE, &["request", "list"]), delay) {
                    Fate::Finished(ok, _) => {
                        assert!(ok, "opening the old database failed at kill point {i}");
                        finished += 1;
                    }
                    Fate::Killed => kills += 1,
                }
                let (ok, version, n) = integrity(&old, FIXTURE_PASSPHRASE);
                assert_eq!(ok, "ok", "old database corrupt at kill point {i}");
                assert!(version == 5 || version == 6, "half-migrated: user_version {version}");
                assert_eq!(n, before, "requests lost in migration at kill point {i}");
                // And the next start finishes the migration.
                run_ok(&mut cli(&old, FIXTURE_PASSPHRASE, &["request", "list"]));
                assert_eq!(integrity(&old, FIXTURE_PASSPHRASE).1, 6);
            }
        }
        // After every kill point: the live database is intact and holds everything confirmed.
        let (ok, _, _) = integrity(&db, PASSPHRASE);
        assert_eq!(ok, "ok", "live database corrupt after kill point {i} (seed {seed:#x})");
        assert_eq!(unrecorded(&db, PASSPHRASE), 0, "a request without its registered event after kill point {i}");
        let present = references(&db);
        for r in &confirmed {
            assert!(present.contains(r), "{r} was confirmed but is gone after kill point {i} (seed {seed:#x})");
        }
    }
    // Straight to the process's stderr, past the test harness's capture, so the count shows in every test run.
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr(), "crash harness (seed {seed:#x}): survived {kills} kill points; {finished} runs finished before their kill; {} confirmed requests intact", confirmed.len());
    assert_eq!(kills + finished, 30);
}

/// Regenerates the frozen version-5 fixture: the demo data written by the
/// current build, then taken back to the schema before migration 6 (columns
/// and trigger of 0006 removed, `user_version` 5). Run with `--ignored` only
/// when the fixture must change.
#[test]
#[ignore]
fn write_v5_fixture() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v5.sqlite3");
    run_ok(&mut cli(&db, FIXTURE_PASSPHRASE, &["demo", "load"]));
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(&format!("PRAGMA key = '{FIXTURE_PASSPHRASE}';")).unwrap();
    conn.execute_batch(
        "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;
         DROP TRIGGER events_are_append_only_update;
         DROP INDEX requests_by_purged;
         ALTER TABLE requests DROP COLUMN purged_at;
         ALTER TABLE events DROP COLUMN redacted_at;
         CREATE TRIGGER events_are_append_only_update BEFORE UPDATE ON events
         BEGIN SELECT RAISE(ABORT, 'the timeline is append-only'); END;
         PRAGMA user_version = 5; VACUUM;",
    )
    .unwrap();
    drop(conn);
    std::fs::create_dir_all(Path::new(FIXTURE_V5).parent().unwrap()).unwrap();
    std::fs::copy(&db, FIXTURE_V5).unwrap();
}
