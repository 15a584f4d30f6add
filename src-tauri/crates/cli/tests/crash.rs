//! The crash harness: the real CLI, killed at chosen points inside its writes.
//!
//! The CLI is built once more with the `crash-points` feature, in its own
//! target folder (`target/crash`), so the binary every other test and every
//! release uses never holds the hook. `RIGHTSDESK_CRASH_AT=<point>:<n>` makes
//! that build SIGKILL itself at the n-th pass through a named point
//! (`rightsdesk_core::crash_point`): each row a statement writes (`sql.row`),
//! each commit just before it lands (`sql.commit`), a write transaction begun,
//! about to commit or committed but not yet reported, a file written but not
//! yet renamed, the outbox's claim before the server is asked and the server's
//! answer before it is recorded, the steps of a backup, a restore and a key
//! change. Migrations run inside `sql.row`/`sql.commit` too.
//!
//! Every kill is checked: the process died of SIGKILL, at the point asked
//! (it names the point on stderr as it dies). Then the database must pass
//! `PRAGMA integrity_check` and FTS5's own integrity-check, its kept tallies
//! must equal a recount, the audit trail must verify, every evidence row must
//! read back whole (and no half-written file sit where a finished one would be
//! taken for real), every letter must be in a state the outbox knows; nothing
//! confirmed may be lost, nothing doubled (a registration retried with its
//! idempotency key, a letter mailed twice). Then the same command, run again,
//! must complete.
//!
//! Registration, CSV import, outbox send (to a real aiosmtpd), evidence add,
//! retention purge, key change, backup, restore and the migration of an old
//! database are each killed at every point they pass (row points sampled on
//! the long ones). The counts are printed; at least 200 kills, at least 100 of
//! them inside a write transaction or a file write.

#![cfg(unix)]

#[path = "../../../../tests/smtp/harness.rs"]
mod harness;

use std::collections::{BTreeMap, BTreeSet};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use rightsdesk_core::crash_point::INSIDE_WRITES;
use rightsdesk_core::store::{Db, DbKey};

/// SQLCipher takes a passphrase of the form `x'<64 hex digits>'` as the raw key itself and
/// skips its key derivation (256,000 rounds of PBKDF2 at every opening, most of the cost of
/// a short process). The harness opens its databases some thousand times, so they use raw
/// keys; the code paths are those of any passphrase (the KDF itself is not what it tests).
const PASSPHRASE: &str = "x'6372617368206861726e6573732070617373706872617365206f6e652e2e2e2e'";
const NEW_PASSPHRASE: &str = "x'6372617368206861726e6573732c20746865206e657874207061737370687261'";
const FIXTURE_PASSPHRASE: &str = "x'6f6c6420736368656d612c206f6c64207061737370687261736520666f72206f'";
const NOW: &str = "2025-02-10T10:00:00Z";
/// Late enough that the demo's closed requests are past their retention.
const PURGE_NOW: &str = "2028-03-01T10:00:00Z";
/// The schema version of the old database the migration kills start from.
const OLD_VERSION: i64 = 2;
/// The letters' states the outbox knows (`letters::outbox::LetterState`).
const LETTER_STATES: &[&str] = &["queued", "sending", "sent", "failed", "unknown"];
/// The prefix of every temporary file (`files::atomic::TEMP_PREFIX`): never read as finished.
const TEMP_PREFIX: &str = ".rightsdesk-tmp-";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).ancestors().nth(3).unwrap().to_path_buf()
}

/// The CLI with crash points, built once per test run in `target/crash`.
fn crash_binary() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let target = workspace().join("target").join("crash");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let out = Command::new(cargo)
            .current_dir(workspace())
            .args(["build", "--quiet", "--locked", "-p", "rightsdesk-cli", "--features", "crash-points", "--target-dir"])
            .arg(&target)
            .env_remove("CARGO_TARGET_DIR")
            .output()
            .expect("run cargo");
        assert!(out.status.success(), "building the crash-point CLI failed: {}", String::from_utf8_lossy(&out.stderr));
        target.join("debug").join(format!("rightsdesk{}", std::env::consts::EXE_SUFFIX))
    })
}

/// A CLI command on `db` with `passphrase`, at `now`: the normal build, or the crash build.
fn cli(bin: &Path, db: &Path, passphrase: &str, now: &str, args: &[&str]) -> Command {
    let mut c = Command::new(bin);
    c.args(args)
        .arg("--json")
        .env("RIGHTSDESK_DB", db)
        .env("RIGHTSDESK_PASSPHRASE", passphrase)
        .env("RIGHTSDESK_NEW_PASSPHRASE", NEW_PASSPHRASE)
        .env("RIGHTSDESK_NOW", now)
        .env_remove("RIGHTSDESK_CRASH_AT")
        .env_remove("RIGHTSDESK_SMTP_PASSWORD")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .stdin(Stdio::null());
    c
}

fn normal() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_rightsdesk"))
}

fn run_ok(mut cmd: Command) -> serde_json::Value {
    let out = cmd.output().expect("run rightsdesk");
    assert!(out.status.success(), "{cmd:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null)
}

fn connect(db: &Path, passphrase: &str) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute_batch(&format!("PRAGMA key = '{}';", passphrase.replace('\'', "''"))).unwrap();
    conn.execute_batch(&rightsdesk_core::store::PageHmac::NEW.pragma(None)).unwrap();
    conn
}

fn scalar(db: &Path, passphrase: &str, sql: &str) -> i64 {
    connect(db, passphrase).query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Whether `passphrase` opens the database at `db`.
fn opens_with(db: &Path, passphrase: &str) -> bool {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute_batch(&format!(
        "PRAGMA cipher_log_level = NONE; PRAGMA key = '{}'; {}",
        passphrase.replace('\'', "''"),
        rightsdesk_core::store::PageHmac::NEW.pragma(None)
    ))
    .unwrap();
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)).is_ok()
}

/// A database as schema version 2 left it, built from the first two migration
/// files themselves (migrations are history and never change once shipped),
/// holding twenty registered requests with their timeline.
fn old_database(path: &Path) {
    let conn = connect(path, FIXTURE_PASSPHRASE);
    conn.execute_batch(include_str!("../../core/src/store/migrations/0001_requests.sql")).unwrap();
    conn.execute_batch(include_str!("../../core/src/store/migrations/0002_clock_events.sql")).unwrap();
    for n in 1..=20 {
        let id = format!("0190a0e0-0000-7000-8000-{n:012}");
        conn.execute(
            "INSERT INTO requests (id, number, reference, request_type, regime, jurisdiction, subject_name, subject_email, \
             channel, received_at, received_on, time_zone, status, due, target, rule_set, schedule, created_at, updated_at) \
             VALUES (?1, ?2, ?3, 'access', 'eu-gdpr', 'DE', ?4, ?5, 'email', '2025-01-31T00:00:00+00:00', '2025-01-31', \
             'Europe/Berlin', 'received', '2025-02-28', '2025-02-21', 'eu-gdpr@2025.1', \
             '{\"rule_set\":\"eu-gdpr@2025.1\",\"legal_due\":\"2025-02-28\",\"steps\":[]}', \
             '2025-01-31T09:00:00+00:00', '2025-01-31T09:00:00+00:00')",
            rusqlite::params![id, n, format!("DSR-2025-{n:04}"), format!("Old Subject {n}"), format!("old{n}@example.org")],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO events (request_id, at, kind, summary, data, actor) \
             VALUES (?1, '2025-01-31T09:00:00+00:00', 'registered', 'Registered', '{}', 'fixture')",
            [&id],
        )
        .unwrap();
    }
    conn.pragma_update(None, "user_version", OLD_VERSION).unwrap();
}

/// How one run under a crash point ended.
enum Fate {
    /// Died of SIGKILL at the point asked.
    Killed,
    /// Never passed the point that often, and finished.
    Finished,
}

/// What the harness saw, by kind.
#[derive(Default)]
struct Tally {
    kills_by_point: BTreeMap<String, u32>,
    inside: u32,
    finished_before_point: u32,
    retried: u32,
    corrupted: Vec<String>,
    lost: Vec<String>,
    doubled: Vec<String>,
    chain_breaks: Vec<String>,
    timings: Vec<String>,
}

impl Tally {
    fn kills(&self) -> u32 {
        self.kills_by_point.values().sum()
    }

    /// How many kills (named by where they happened) left something wrong.
    fn damaged(&self) -> usize {
        let all = self.corrupted.iter().chain(&self.lost).chain(&self.doubled).chain(&self.chain_breaks);
        all.map(|f| f.split(": ").next().unwrap_or_default().trim_end_matches(", retried")).collect::<BTreeSet<_>>().len()
    }

    fn merge(&mut self, other: Tally) {
        for (point, n) in other.kills_by_point {
            *self.kills_by_point.entry(point).or_default() += n;
        }
        self.inside += other.inside;
        self.finished_before_point += other.finished_before_point;
        self.retried += other.retried;
        self.corrupted.extend(other.corrupted);
        self.lost.extend(other.lost);
        self.doubled.extend(other.doubled);
        self.chain_breaks.extend(other.chain_breaks);
        self.timings.extend(other.timings);
    }

    fn summary(&self) -> String {
        let points: Vec<String> = self.kills_by_point.iter().map(|(p, n)| format!("{p} {n}")).collect();
        format!(
            "crash harness: {} kills at {} kill points ({}); {} inside a write transaction or file write; \
             {} runs finished before their point; {} retries completed; survived {}; \
             corrupted={} lost={} doubled={} chain breaks={}\n  ({})",
            self.kills(),
            self.kills_by_point.len(),
            points.join(", "),
            self.inside,
            self.finished_before_point,
            self.retried,
            self.kills() as usize - self.damaged(),
            self.corrupted.len(),
            self.lost.len(),
            self.doubled.len(),
            self.chain_breaks.len(),
            self.timings.join("; "),
        )
    }

    /// Runs `cmd` (the crash build) armed at `point:n`.
    fn crash(&mut self, mut cmd: Command, point: &str, n: u32) -> Fate {
        let armed = format!("{point}:{n}");
        let out = cmd.env("RIGHTSDESK_CRASH_AT", &armed).output().expect("run the crash-point CLI");
        let stderr = String::from_utf8_lossy(&out.stderr);
        if out.status.signal() == Some(9) {
            let said = stderr.lines().find_map(|l| l.strip_prefix("rightsdesk: crash point ")).unwrap_or_default();
            assert!(said.starts_with(&format!("{armed} ")), "killed by SIGKILL, but not at {armed}: {stderr}");
            let inside = said.ends_with("(inside a write: true)");
            assert_eq!(inside, INSIDE_WRITES.contains(&point));
            *self.kills_by_point.entry(point.to_string()).or_default() += 1;
            self.inside += u32::from(inside);
            return Fate::Killed;
        }
        assert!(out.status.success(), "{cmd:?} armed at {armed} failed without a kill ({:?}): {stderr}", out.status);
        self.finished_before_point += 1;
        Fate::Finished
    }

    /// The checks after a kill, on the database at `db` (as the crashed command left it);
    /// returns the numbers `counts` ask for (-1 when the database is beyond reading).
    /// Read-only, as the CLI's readers open it: the writer lock is never taken in this
    /// process, whose threads start CLI processes (a child between fork and exec holds
    /// a copy of every descriptor, the lock's too).
    fn check(&mut self, at: &str, db: &Path, passphrase: &str, counts: &[&str]) -> Vec<i64> {
        let unreadable = vec![-1; counts.len()];
        let key = DbKey::passphrase(passphrase).unwrap();
        let path = db;
        let db = match Db::open_read_only(db, &key) {
            Ok(db) => db,
            Err(e) => {
                self.corrupted.push(format!("{at}: the database does not open: {e}"));
                return unreadable;
            }
        };
        let ok: String = db.read(|c| Ok(c.query_row("PRAGMA integrity_check", [], |r| r.get(0))?)).unwrap();
        if ok != "ok" {
            self.corrupted.push(format!("{at}: integrity_check says {ok}"));
            return unreadable;
        }
        let numbers: Vec<i64> = counts.iter().map(|sql| db.read(|c| Ok(c.query_row(sql, [], |r| r.get(0))?)).unwrap()).collect();
        let recount = db.read(rightsdesk_core::register::tally::check).unwrap();
        if !recount.is_empty() {
            self.corrupted.push(format!("{at}: tallies differ from a recount: {recount:?}"));
        }
        // FTS5's own check is written as an INSERT: on a plain connection (no writer lock).
        let fts = connect(path, passphrase).execute("INSERT INTO requests_search (requests_search) VALUES ('integrity-check')", []);
        if let Err(e) = fts {
            self.corrupted.push(format!("{at}: the search index fails FTS5's integrity-check: {e}"));
        }
        let audit = rightsdesk_core::audit::verify(&db).unwrap();
        if !audit.intact {
            self.chain_breaks.push(format!("{at}: audit verify: {:?}", audit.problems.first().map(|p| &p.problem)));
        }
        let states: Vec<(String, String)> = db
            .read(|c| {
                let mut stmt = c.prepare("SELECT id, state FROM letters")?;
                let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
                Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
            })
            .unwrap();
        for (id, state) in states {
            if !LETTER_STATES.contains(&state.as_str()) {
                self.corrupted.push(format!("{at}: letter {id} is in no known state ({state})"));
            }
        }
        let evidence: Vec<(String, String)> = db
            .read(|c| {
                let mut stmt = c.prepare("SELECT id, blob FROM evidence")?;
                let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
                Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
            })
            .unwrap();
        let mut blobs = BTreeSet::new();
        for (id, blob) in evidence {
            if let Err(e) = rightsdesk_core::evidence::read(&db, &id) {
                self.lost.push(format!("{at}: evidence {id} does not read back whole: {e}"));
            }
            blobs.insert(blob);
        }
        // A file in the evidence folder is taken for a finished one (backed up, restored)
        // unless its name carries the temporary prefix; only whole sealed files may.
        let folder = rightsdesk_core::evidence::dir(&db).unwrap();
        for file in files_under(&folder) {
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            if name.starts_with(TEMP_PREFIX) || blobs.contains(&name) {
                continue;
            }
            // Unreferenced (written, then killed before the commit): must be a whole sealed blob,
            // which the next clean-up removes; a half-written file must not look like one.
            if name.starts_with('.') || name.len() != 64 || !name.chars().all(|c| c.is_ascii_hexdigit()) {
                self.corrupted.push(format!("{at}: {name} in the evidence folder is a leftover under a finished name"));
            }
        }
        numbers
    }
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// Copies a database and its evidence folder (a fresh start for one kill).
fn copy_db(from: &Path, to_dir: &Path) -> PathBuf {
    let _ = std::fs::remove_dir_all(to_dir);
    std::fs::create_dir_all(to_dir).unwrap();
    let name = from.file_name().unwrap();
    for suffix in ["", "-wal"] {
        let source = PathBuf::from(format!("{}{suffix}", from.display()));
        if source.exists() {
            std::fs::copy(&source, to_dir.join(format!("{}{suffix}", name.to_string_lossy()))).unwrap();
        }
    }
    let evidence = from.parent().unwrap().join("evidence");
    for file in files_under(&evidence) {
        let dest = to_dir.join("evidence").join(file.strip_prefix(&evidence).unwrap());
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::copy(&file, dest).unwrap();
    }
    to_dir.join(name)
}

fn add_args(name: &str, key: &str) -> Vec<String> {
    [
        "request",
        "add",
        "--type",
        "access",
        "--regime",
        "eu-gdpr",
        "--jurisdiction",
        "DE",
        "--received",
        "2025-02-03",
        "--name",
        name,
        "--email",
        "crash@example.org",
        "--idempotency-key",
        key,
    ]
    .map(String::from)
    .to_vec()
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

fn count_named(db: &Path, passphrase: &str, name: &str) -> i64 {
    connect(db, passphrase).query_row("SELECT count(*) FROM requests WHERE subject_name = ?1", [name], |r| r.get(0)).unwrap()
}

/// What every scenario starts from.
struct Setup {
    bin: &'static Path,
    root: PathBuf,
    /// The demo set with one evidence file.
    base: PathBuf,
    /// `base` with three letters queued to the test server.
    with_letters: PathBuf,
    /// A backup of `base`.
    backup: PathBuf,
    base_requests: i64,
    open: Vec<String>,
    inbox: PathBuf,
}

impl Setup {
    fn new(root: &Path, port: u16, inbox: &Path) -> Setup {
        let base = root.join("base").join("rightsdesk.sqlite3");
        let ok = |args: &[&str]| run_ok(cli(normal(), &base, PASSPHRASE, NOW, args));
        ok(&["demo", "load"]);
        ok(&[
            "smtp",
            "set",
            "--host",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--security",
            "none",
            "--from",
            "privacy@crash.example",
            "--from-name",
            "Crash Test",
            "--officer",
            "records@crash.example",
            "--org-name",
            "Crash Test GmbH",
            "--dpo-contact",
            "dpo@crash.example",
        ]);
        let open: Vec<String> =
            ok(&["request", "list", "--open"]).as_array().unwrap().iter().map(|r| r["reference"].as_str().unwrap().to_string()).collect();
        let evidence_file = root.join("export.txt");
        std::fs::write(&evidence_file, "what the CRM holds about the subject\n".repeat(200)).unwrap();
        ok(&["evidence", "add", &open[0], evidence_file.to_str().unwrap()]);
        let backup = root.join("base.rdbackup");
        ok(&["backup", "--out", backup.to_str().unwrap()]);
        let with_letters = copy_db(&base, &root.join("letters"));
        for reference in open.iter().take(3) {
            run_ok(cli(normal(), &with_letters, PASSPHRASE, NOW, &["letter", reference, "--template", "acknowledgement"]));
        }
        let base_requests = scalar(&base, PASSPHRASE, "SELECT count(*) FROM requests");
        Setup { bin: crash_binary(), root: root.to_path_buf(), base, with_letters, backup, base_requests, open, inbox: inbox.to_path_buf() }
    }

    /// A fresh copy of `from` in the scenario's folder.
    fn fresh(&self, from: &Path, scenario: &str) -> PathBuf {
        copy_db(from, &self.root.join(scenario))
    }
}

/// Each `(point, step, max)`: kill at `point:1`, `point:1+step`, … (at most `max` runs),
/// until the command finishes before reaching the point; `run` does one kill and its checks.
fn sweep(points: &[(&'static str, u32, u32)], mut run: impl FnMut(&'static str, u32) -> bool) {
    for &(point, step, max) in points {
        for k in 0..max {
            if !run(point, 1 + k * step) {
                break;
            }
        }
    }
}

/// Registration, on one database that keeps everything confirmed so far.
fn registration(s: &Setup, t: &mut Tally) {
    let live = s.fresh(&s.base, "live");
    let mut confirmed: Vec<(String, String, String)> = Vec::new();
    let mut i = 0;
    let points = [
        ("db.write.begun", 1, 3),
        ("db.write.before-commit", 1, 3),
        ("db.write.committed", 1, 3),
        ("sql.commit", 1, 4),
        ("sql.row", 1, 40),
    ];
    // Three kinds of request: each registers a different set of tasks.
    for kind in ["access", "erasure", "portability"] {
        sweep(&points, |point, n| {
            i += 1;
            let (name, key) = (format!("Crash Subject {i}"), format!("submission-{i}"));
            let mut args = add_args(&name, &key);
            args[3] = kind.to_string();
            let at = format!("request add, {point}:{n}");
            let fate = t.crash(cli(s.bin, &live, PASSPHRASE, NOW, &strs(&args)), point, n);
            if let Fate::Killed = fate {
                t.check(&at, &live, PASSPHRASE, &[]);
            }
            let again = run_ok(cli(normal(), &live, PASSPHRASE, NOW, &strs(&args)));
            t.retried += 1;
            confirmed.push((at, name, again["reference"].as_str().unwrap().to_string()));
            matches!(fate, Fate::Killed)
        });
    }
    // Each submission once, under the reference its retry printed; nothing confirmed lost.
    let conn = connect(&live, PASSPHRASE);
    let mut stmt = conn.prepare("SELECT subject_name, reference FROM requests").unwrap();
    let rows: Vec<(String, String)> = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().collect::<Result<_, _>>().unwrap();
    for (at, name, reference) in confirmed {
        match rows.iter().filter(|(n, _)| *n == name).count() {
            1 => {}
            0 => t.lost.push(format!("{at}: the retried registration is not there")),
            k => t.doubled.push(format!("{at}: {k} requests for one submission")),
        }
        if !rows.iter().any(|(_, r)| *r == reference) {
            t.lost.push(format!("{at}: {reference} was confirmed and is gone"));
        }
    }
}

/// A CSV import of 20 rows: all or none, then all.
fn import(s: &Setup, t: &mut Tally) {
    let csv = s.root.join("import.csv");
    let mut text = String::from("type,regime,jurisdiction,name,email,received\n");
    for k in 1..=20 {
        text.push_str(&format!("erasure,eu-gdpr,DE,Imported Person {k},imported{k}@example.org,2025-02-0{}\n", 1 + k % 7));
    }
    std::fs::write(&csv, text).unwrap();
    let import = ["import", "requests", csv.to_str().unwrap()];
    let imported = "SELECT count(*) FROM requests WHERE subject_name LIKE 'Imported Person %'";
    sweep(&[("db.write.before-commit", 1, 1), ("sql.commit", 1, 2), ("sql.row", 2, 100)], |point, n| {
        let db = s.fresh(&s.base, "import");
        let at = format!("import, {point}:{n}");
        let fate = t.crash(cli(s.bin, &db, PASSPHRASE, NOW, &import), point, n);
        if let Fate::Killed = fate {
            if t.check(&at, &db, PASSPHRASE, &[imported]) != [0] {
                t.lost.push(format!("{at}: a killed import left part of the file registered"));
            }
            run_ok(cli(normal(), &db, PASSPHRASE, NOW, &import));
            t.retried += 1;
        }
        if scalar(&db, PASSPHRASE, imported) != 20 {
            t.lost.push(format!("{at}: the import did not register all 20 rows"));
        }
        matches!(fate, Fate::Killed)
    });
}

/// Sending the outbox to the real server: never a letter twice, never one marked sent that did not go.
fn outbox(s: &Setup, t: &mut Tally) {
    let points =
        [("outbox.claimed", 1, 3), ("outbox.accepted", 1, 3), ("db.write.before-commit", 1, 8), ("sql.commit", 1, 8), ("sql.row", 1, 40)];
    sweep(&points, |point, n| {
        let db = s.fresh(&s.with_letters, "outbox");
        for file in files_under(&s.inbox) {
            std::fs::remove_file(file).unwrap();
        }
        let at = format!("outbox send, {point}:{n}");
        let fate = t.crash(cli(s.bin, &db, PASSPHRASE, NOW, &["outbox", "send"]), point, n);
        let mut sent = 3;
        if let Fate::Killed = fate {
            let before = t.check(&at, &db, PASSPHRASE, &["SELECT count(*) FROM letters WHERE state = 'sent'"]);
            let report = run_ok(cli(normal(), &db, PASSPHRASE, NOW, &["outbox", "send"]));
            t.retried += 1;
            sent = before[0] + report["sent"].as_i64().unwrap();
        }
        let mut ids: BTreeMap<String, u32> = BTreeMap::new();
        for m in harness::received_in(&s.inbox) {
            let text = String::from_utf8_lossy(&m.bytes).into_owned();
            let id = text.lines().find(|l| l.to_ascii_lowercase().starts_with("message-id:")).unwrap_or_default();
            *ids.entry(id.to_string()).or_default() += 1;
        }
        if ids.values().any(|&k| k > 1) {
            t.doubled.push(format!("{at}: a letter reached the server twice"));
        }
        if sent as usize > ids.len() {
            t.lost.push(format!("{at}: {sent} letters marked sent, {} arrived", ids.len()));
        }
        matches!(fate, Fate::Killed)
    });
}

/// Evidence: the file is written (and renamed) inside the transaction that records it.
fn evidence(s: &Setup, t: &mut Tally) {
    // Bytes not stored yet (the same bytes are stored once), so the file is written.
    let file = s.root.join("scan.txt");
    std::fs::write(&file, "a scan of the subject's passport, for the crash harness\n".repeat(300)).unwrap();
    let add = ["evidence", "add", &s.open[1], file.to_str().unwrap()];
    let points = [
        ("file.written", 1, 2),
        ("db.write.begun", 1, 2),
        ("db.write.before-commit", 1, 2),
        ("db.write.committed", 1, 2),
        ("sql.row", 1, 12),
    ];
    sweep(&points, |point, n| {
        let db = s.fresh(&s.base, "evidence");
        let at = format!("evidence add, {point}:{n}");
        let fate = t.crash(cli(s.bin, &db, PASSPHRASE, NOW, &add), point, n);
        if let Fate::Killed = fate {
            t.check(&at, &db, PASSPHRASE, &[]);
            run_ok(cli(normal(), &db, PASSPHRASE, NOW, &add));
            t.retried += 1;
        }
        matches!(fate, Fate::Killed)
    });
}

/// The retention purge: all of it or none of it, and the retry finishes it.
fn purge(s: &Setup, t: &mut Tally) {
    sweep(&[("db.write.before-commit", 1, 2), ("sql.commit", 1, 3), ("sql.row", 3, 60)], |point, n| {
        let db = s.fresh(&s.base, "purge");
        let at = format!("purge, {point}:{n}");
        let fate = t.crash(cli(s.bin, &db, PASSPHRASE, PURGE_NOW, &["purge"]), point, n);
        if let Fate::Killed = fate {
            t.check(&at, &db, PASSPHRASE, &[]);
            run_ok(cli(normal(), &db, PASSPHRASE, PURGE_NOW, &["purge"]));
            t.retried += 1;
        }
        matches!(fate, Fate::Killed)
    });
}

/// Key change: afterwards one of the two passphrases opens everything; the retry finishes.
fn key_change(s: &Setup, t: &mut Tally) {
    let change = ["key", "change", "--new-passphrase-env", "RIGHTSDESK_NEW_PASSPHRASE"];
    let points = [("key.begun", 1, 1), ("key.checkpointed", 1, 1), ("key.rekeyed", 1, 1), ("key.synced", 1, 1), ("sql.commit", 1, 2)];
    sweep(&points, |point, n| {
        let db = s.fresh(&s.base, "key");
        let at = format!("key change, {point}:{n}");
        let fate = t.crash(cli(s.bin, &db, PASSPHRASE, NOW, &change), point, n);
        if let Fate::Killed = fate {
            let Some(current) = [PASSPHRASE, NEW_PASSPHRASE].into_iter().find(|p| opens_with(&db, p)) else {
                t.lost.push(format!("{at}: neither the old nor the new passphrase opens the database"));
                return true;
            };
            t.check(&at, &db, current, &[]);
            run_ok(cli(normal(), &db, current, NOW, &change));
            t.retried += 1;
        }
        if !opens_with(&db, NEW_PASSPHRASE) {
            t.lost.push(format!("{at}: after the key change the database is not whole under the new key"));
        }
        matches!(fate, Fate::Killed)
    });
}

/// Backups, one-off and rotating: absent, or complete under the final name; never a leftover under it.
fn backup(s: &Setup, t: &mut Tally) {
    let db = s.fresh(&s.base, "backup-source");
    let backups = s.root.join("backups");
    std::fs::create_dir_all(&backups).unwrap();
    let rotating = backups.to_str().unwrap();
    let mut b = 0;
    let mut verified = BTreeSet::new();
    let points = [("backup.copied", 1, 1), ("file.written", 1, 1), ("sql.commit", 1, 3), ("sql.row", 1, 4)];
    for kind in ["one-off", "rotating"] {
        sweep(&points, |point, n| {
            b += 1;
            let out = backups.join(format!("b{b}.rdbackup"));
            // A rotating backup is named by its time: one second apart each.
            let now = format!("2025-02-10T10:{:02}:{:02}Z", b / 60, b % 60);
            let backup = if kind == "one-off" {
                vec!["backup", "--out", out.to_str().unwrap()]
            } else {
                vec!["backup", "--dir", rotating, "--keep", "3"]
            };
            let at = format!("{kind} backup, {point}:{n}");
            let fate = t.crash(cli(s.bin, &db, PASSPHRASE, &now, &backup), point, n);
            if let Fate::Killed = fate {
                t.check(&at, &db, PASSPHRASE, &[]);
                if out.exists() {
                    t.corrupted.push(format!("{at}: a killed backup left a file under its final name"));
                    std::fs::remove_file(&out).unwrap();
                }
                run_ok(cli(normal(), &db, PASSPHRASE, &now, &backup));
                t.retried += 1;
            }
            // The folder as a rotating backup or a restore would read it: every name that is not a
            // temporary one must be a whole backup.
            for entry in std::fs::read_dir(&backups).unwrap() {
                let name = entry.unwrap().file_name().to_string_lossy().into_owned();
                if name.starts_with(TEMP_PREFIX) || !verified.insert(name.clone()) {
                    continue;
                }
                let file = backups.join(&name);
                let mut check = cli(normal(), &db, PASSPHRASE, NOW, &["restore", file.to_str().unwrap(), "--verify-only"]);
                if !check.output().unwrap().status.success() {
                    t.corrupted.push(format!("{at}: {name} is under a final name and does not verify"));
                }
            }
            matches!(fate, Fate::Killed)
        });
    }
}

/// Restore over an existing database: afterwards the old one or the restored one, whole.
fn restore(s: &Setup, t: &mut Tally) {
    let older = s.fresh(&s.base, "older-template");
    run_ok(cli(normal(), &older, PASSPHRASE, NOW, &strs(&add_args("Only In The Older", "older"))));
    let older_requests = scalar(&older, PASSPHRASE, "SELECT count(*) FROM requests");
    let restore = ["restore", s.backup.to_str().unwrap(), "--force"];
    let points = [
        ("restore.staged", 1, 1),
        ("restore.evidence-moved", 1, 1),
        ("restore.old-log-removed", 1, 1),
        ("sql.commit", 1, 3),
        ("sql.row", 1, 12),
    ];
    sweep(&points, |point, n| {
        let db = s.fresh(&older, "restore");
        let at = format!("restore, {point}:{n}");
        let fate = t.crash(cli(s.bin, &db, PASSPHRASE, NOW, &restore), point, n);
        if let Fate::Killed = fate {
            let requests = t.check(&at, &db, PASSPHRASE, &["SELECT count(*) FROM requests"])[0];
            if requests != older_requests && requests != s.base_requests {
                t.lost.push(format!("{at}: {requests} requests, neither the old database nor the backup"));
            }
            let again = run_ok(cli(normal(), &db, PASSPHRASE, NOW, &restore));
            t.retried += 1;
            if again["restored"]["requests"].as_i64() != Some(s.base_requests) {
                t.lost.push(format!("{at}: the restored database does not hold the backup's requests"));
            }
        }
        matches!(fate, Fate::Killed)
    });
}

/// Migrating an old (version 2) database: all of the upgrade or none, and the next start finishes it.
fn migration(s: &Setup, t: &mut Tally) {
    let old_template = s.root.join("old-template.sqlite3");
    old_database(&old_template);
    let current = rightsdesk_core::store::SCHEMA_VERSION as i64;
    sweep(&[("sql.commit", 1, 2), ("sql.row", 2, 80)], |point, n| {
        let db = s.root.join("old").join("rightsdesk.sqlite3");
        let _ = std::fs::remove_dir_all(db.parent().unwrap());
        std::fs::create_dir_all(db.parent().unwrap()).unwrap();
        std::fs::copy(&old_template, &db).unwrap();
        let at = format!("migration, {point}:{n}");
        let fate = t.crash(cli(s.bin, &db, FIXTURE_PASSPHRASE, NOW, &["request", "list"]), point, n);
        if let Fate::Killed = fate {
            let conn = connect(&db, FIXTURE_PASSPHRASE);
            let ok: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
            let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
            let requests: i64 = conn.query_row("SELECT count(*) FROM requests", [], |r| r.get(0)).unwrap();
            if ok != "ok" || (version != OLD_VERSION && version != current) {
                t.corrupted.push(format!("{at}: integrity {ok}, user_version {version}"));
            }
            if requests != 20 {
                t.lost.push(format!("{at}: {requests} of 20 requests after the kill"));
            }
            drop(conn);
            run_ok(cli(normal(), &db, FIXTURE_PASSPHRASE, NOW, &["request", "list"]));
            t.retried += 1;
            t.check(&at, &db, FIXTURE_PASSPHRASE, &[]);
        }
        matches!(fate, Fate::Killed)
    });
}

#[test]
fn killed_inside_its_writes_the_cli_never_corrupts_loses_or_doubles_anything() {
    crash_binary();
    let dir = tempfile::tempdir().unwrap();
    let server = harness::SmtpServer::start(&dir.path().join("inbox"), harness::Options::default());
    let setup = Setup::new(dir.path(), server.port, &server.dir);
    type Scenario = fn(&Setup, &mut Tally);
    // Two at a time (each a chain of short processes): one per core of a small machine.
    let halves: [&[(&str, Scenario)]; 2] = [
        &[("registration", registration), ("import", import), ("migration", migration), ("key change", key_change)],
        &[("outbox", outbox), ("evidence", evidence), ("purge", purge), ("backup", backup), ("restore", restore)],
    ];
    let tallies: Vec<Tally> = std::thread::scope(|scope| {
        let handles: Vec<_> = halves
            .iter()
            .map(|half| {
                let setup = &setup;
                scope.spawn(move || {
                    let mut t = Tally::default();
                    for (name, scenario) in half.iter() {
                        let started = std::time::Instant::now();
                        let before = t.kills();
                        scenario(setup, &mut t);
                        t.timings.push(format!("{name} {} kills in {:.0?}", t.kills() - before, started.elapsed()));
                    }
                    t
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut t = Tally::default();
    for part in tallies {
        t.merge(part);
    }
    let summary = t.summary();
    // Straight to the process's stderr as well, so the counts show with --nocapture.
    // Past the harness's capture (which takes only the print macros), so every run shows them.
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr(), "{summary}");
    let failures: Vec<&String> = t.corrupted.iter().chain(&t.lost).chain(&t.doubled).chain(&t.chain_breaks).take(10).collect();
    assert!(failures.is_empty(), "{summary}\nfirst failures: {failures:#?}");
    assert!(t.kills() >= 200 && t.inside >= 100, "too few kills inside writes: {summary}");
}

/// A registration that committed but was killed before it printed: the officer (or a
/// script) runs it again with the same idempotency key and gets the same request, once.
#[test]
fn a_registration_killed_after_its_commit_is_not_doubled_by_the_retry() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rightsdesk.sqlite3");
    let args = add_args("Killed Before Printing", "form-submission-7f3a");
    let out = cli(crash_binary(), &db, PASSPHRASE, NOW, &strs(&args)).env("RIGHTSDESK_CRASH_AT", "db.write.committed:1").output().unwrap();
    assert_eq!(out.status.signal(), Some(9), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stdout.is_empty(), "nothing was printed");
    assert_eq!(count_named(&db, PASSPHRASE, "Killed Before Printing"), 1, "the registration committed");
    let again = run_ok(cli(normal(), &db, PASSPHRASE, NOW, &strs(&args)));
    let third = run_ok(cli(normal(), &db, PASSPHRASE, NOW, &strs(&args)));
    assert_eq!(count_named(&db, PASSPHRASE, "Killed Before Printing"), 1, "the retries returned the first request");
    assert_eq!(again["reference"], third["reference"]);
    assert_eq!(again["reference"], "DSR-2025-0001");
    // Another submission (another key) is another request.
    run_ok(cli(normal(), &db, PASSPHRASE, NOW, &strs(&add_args("Killed Before Printing", "form-submission-9c1d"))));
    assert_eq!(count_named(&db, PASSPHRASE, "Killed Before Printing"), 2);
}

/// The hook exists only in the harness's build: the normal CLI neither contains it nor obeys it.
#[test]
fn the_normal_cli_has_no_crash_points() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rightsdesk.sqlite3");
    let out = cli(normal(), &db, PASSPHRASE, NOW, &strs(&add_args("Not Killed", "k1")))
        .env("RIGHTSDESK_CRASH_AT", "db.write.begun:1")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(count_named(&db, PASSPHRASE, "Not Killed"), 1);
    let has = |bin: &Path| std::fs::read(bin).unwrap().windows(19).any(|w| w == b"RIGHTSDESK_CRASH_AT");
    assert!(!has(normal()), "the normal CLI contains the crash-point hook");
    assert!(has(crash_binary()), "the harness's CLI lacks the hook (the check above would prove nothing)");
}

/// How a key change held by the OS keyring left things after a kill (or a finished run).
struct KeyringRun {
    /// The crash build's stderr (it names the point as it dies).
    crash_stderr: String,
    /// The key change's exit status in the script (137: SIGKILL).
    status: i32,
    /// (main, pending) keyring entries right after the kill, and after the next writer opened it.
    after_kill: (usize, usize),
    after_open: (usize, usize),
    listed: serde_json::Value,
    verified: serde_json::Value,
}

/// Creates a database whose key lives in GNOME Keyring (its Secret Service on a private
/// session bus, as on a desktop), registers three requests, runs `key change` with
/// `change_args` on the crash build armed at `armed` (None: not armed), then, as the next
/// start would: lists the requests and verifies the audit trail (reading, keyring only
/// unless `open_passphrase`), registers a fourth request (a writer, which settles the
/// keyring), and hands the database over to the harness's `NEW_PASSPHRASE` so the test
/// can open it itself.
fn key_change_in_keyring(home: &Path, armed: Option<&str>, change_args: &str, open_passphrase: &str) -> KeyringRun {
    use std::os::unix::fs::PermissionsExt;
    let run = home.join("run");
    std::fs::create_dir(&run).unwrap();
    std::fs::set_permissions(&run, std::fs::Permissions::from_mode(0o700)).unwrap();
    let db = home.canonicalize().unwrap().join("r.sqlite3");
    // How many items the Secret Service holds under an entry name (no secret is read).
    let script = r#"set -e
        printf %s 'keyring test password' | gnome-keyring-daemon --unlock --components=secrets >/dev/null
        entries() {
            gdbus call --session --dest org.freedesktop.secrets --object-path /org/freedesktop/secrets \
                --method org.freedesktop.Secret.Service.SearchItems "{'service': 'rightsdesk', 'username': '$1'}" \
                | grep -o "objectpath '[^']*'" | wc -l
        }
        state() { echo "$1: $(entries "database-key:$RIGHTSDESK_DB") $(entries "database-key-pending:$RIGHTSDESK_DB")" >&2; }
        add() {
            "$RD" request add --type access --regime eu-gdpr --jurisdiction DE --received 2025-01-31 \
                --email "subject$1@example.org" --name "Subject Number $1" >/dev/null
        }
        add 1; add 2; add 3
        status=0
        if [ -n "$ARMED" ]; then
            RIGHTSDESK_CRASH_AT="$ARMED" "$CRASH" key change $CHANGE >/dev/null 2>"$HOME/crash.err" || status=$?
        else
            "$CRASH" key change $CHANGE >/dev/null 2>"$HOME/crash.err" || status=$?
        fi
        echo "status: $status" >&2
        state after-kill
        export RIGHTSDESK_PASSPHRASE="$OPEN_PASSPHRASE"
        "$RD" request list --json >"$HOME/list.json"
        "$RD" audit verify --json >"$HOME/verify.json"
        add 4
        state after-open
        "$RD" key change --new-passphrase-env HANDOVER >/dev/null"#;
    let out = Command::new("dbus-run-session")
        .args(["--", "bash", "-c", script])
        .env("RD", normal())
        .env("CRASH", crash_binary())
        .env("ARMED", armed.unwrap_or(""))
        .env("CHANGE", change_args)
        .env("OPEN_PASSPHRASE", open_passphrase)
        .env("RIGHTSDESK_NEW_PASSPHRASE", NEW_PASSPHRASE)
        .env("HANDOVER", NEW_PASSPHRASE)
        .env_remove("RIGHTSDESK_PASSPHRASE")
        .env_remove("RIGHTSDESK_CRASH_AT")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env("HOME", home)
        .env("XDG_RUNTIME_DIR", &run)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("RIGHTSDESK_DB", &db)
        .env("RIGHTSDESK_NOW", NOW)
        .output()
        .expect("dbus-run-session (install-deps adds it)");
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let crash_stderr = std::fs::read_to_string(home.join("crash.err")).unwrap_or_default();
    assert!(
        out.status.success(),
        "{armed:?}: after the key change the database no longer opens (or the script failed): {stderr}\ncrash build: {crash_stderr}"
    );
    let field = |label: &str| -> Vec<usize> {
        let line = stderr.lines().find_map(|l| l.strip_prefix(label)).unwrap_or_else(|| panic!("no {label} in {stderr}"));
        line.split_whitespace().map(|n| n.parse().unwrap()).collect()
    };
    let pair = |v: Vec<usize>| (v[0], v[1]);
    let read = |name: &str| serde_json::from_slice(&std::fs::read(home.join(name)).unwrap()).unwrap();
    KeyringRun {
        crash_stderr,
        status: field("status:")[0] as i32,
        after_kill: pair(field("after-kill:")),
        after_open: pair(field("after-open:")),
        listed: read("list.json"),
        verified: read("verify.json"),
    }
}

/// A key change whose key is held by the OS keyring (GNOME Keyring), killed at each of its
/// steps — before anything, with the new key in the keyring's pending entry, with the WAL
/// checkpointed before the rekey, with the rekey committed, with it synced, and with the new
/// key promoted to the main entry but the pending one not yet removed — and once not killed:
/// the next start opens the database from the keyring alone (no passphrase), every request
/// is there, the audit trail is intact, `PRAGMA integrity_check`, the tallies and the search
/// index pass, and the next writer leaves exactly one entry (the main one) in the keyring.
///
/// On the previous code (the new key written over the keyring's only entry before the rekey)
/// the kill at `key.stored` left a database neither key opened.
#[test]
fn a_key_change_held_by_the_keyring_survives_a_kill_at_every_step() {
    crash_binary();
    let dir = tempfile::tempdir().unwrap();
    let mut t = Tally::default();
    // (armed point, keyring entries right after it: main, pending)
    let points: [(Option<&str>, (usize, usize)); 7] = [
        (Some("key.begun:1"), (1, 0)),
        (Some("key.stored:1"), (1, 1)),
        (Some("key.checkpointed:1"), (1, 1)),
        (Some("key.rekeyed:1"), (1, 1)),
        (Some("key.synced:1"), (1, 1)),
        (Some("key.promoted:1"), (1, 1)),
        (None, (1, 0)),
    ];
    let mut kills = 0;
    for (i, (armed, after_kill)) in points.into_iter().enumerate() {
        let home = dir.path().join(format!("random-{i}"));
        std::fs::create_dir(&home).unwrap();
        let at = format!("key change to a random key, {}", armed.unwrap_or("not killed"));
        let r = key_change_in_keyring(&home, armed, "", "");
        match armed {
            Some(point) => {
                assert_eq!(r.status, 137, "{at}: not killed: {}", r.crash_stderr);
                assert!(r.crash_stderr.contains(&format!("crash point {point} ")), "{at}: {}", r.crash_stderr);
                kills += 1;
            }
            None => assert_eq!(r.status, 0, "{at}: {}", r.crash_stderr),
        }
        assert_eq!(r.after_kill, after_kill, "{at}: keyring entries (main, pending) right after");
        assert_eq!(r.after_open, (1, 0), "{at}: keyring entries (main, pending) once the next writer opened it");
        let names: Vec<&str> = r.listed.as_array().unwrap().iter().map(|q| q["subject"]["name"].as_str().unwrap()).collect();
        for n in 1..=3 {
            assert!(names.contains(&format!("Subject Number {n}").as_str()), "{at}: request {n} missing: {names:?}");
        }
        assert_eq!(r.verified["intact"], true, "{at}: audit verify: {}", r.verified);
        let db = home.canonicalize().unwrap().join("r.sqlite3");
        let counts = t.check(&at, &db, NEW_PASSPHRASE, &["SELECT count(*) FROM requests"]);
        assert_eq!(counts, [4], "{at}: requests after the fourth registration");
    }
    // To a passphrase: killed before the rekey committed the keyring's key still opens it;
    // after, the new passphrase does (the keyring's stale key is in the way until then).
    let change = "--new-passphrase-env RIGHTSDESK_NEW_PASSPHRASE";
    for (i, (point, committed)) in
        [("key.begun:1", false), ("key.checkpointed:1", false), ("key.rekeyed:1", true), ("key.synced:1", true)].into_iter().enumerate()
    {
        let home = dir.path().join(format!("passphrase-{i}"));
        std::fs::create_dir(&home).unwrap();
        let at = format!("key change to a passphrase, {point}");
        let r = key_change_in_keyring(&home, Some(point), change, if committed { NEW_PASSPHRASE } else { "" });
        assert_eq!(r.status, 137, "{at}: not killed: {}", r.crash_stderr);
        kills += 1;
        assert_eq!(r.listed.as_array().map(Vec::len), Some(3), "{at}: {}", r.listed);
        assert_eq!(r.verified["intact"], true, "{at}: audit verify: {}", r.verified);
        let db = home.canonicalize().unwrap().join("r.sqlite3");
        assert_eq!(t.check(&at, &db, NEW_PASSPHRASE, &["SELECT count(*) FROM requests"]), [4], "{at}");
    }
    let failures: Vec<&String> = t.corrupted.iter().chain(&t.lost).chain(&t.doubled).chain(&t.chain_breaks).collect();
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr(), "key change in the OS keyring: {kills} kills, {} damaged", failures.len());
    assert!(failures.is_empty(), "{failures:#?}");
}
