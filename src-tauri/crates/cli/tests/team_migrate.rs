//! `rightsdesk team migrate` and `team export` (issue 18, item 6) on a real PostgreSQL 15
//! (`tests/pg/harness.rs`, TLS with `verify-full`) and real encrypted register files: the
//! demo register moved into a team database and back compares equal row by row, column by
//! column, in every table, with its audit trail verified on both sides; a non-empty target,
//! a missing file, a wrong passphrase, an existing output file and an officer moving a
//! register in are each refused with nothing written; a move killed midway leaves the team
//! database empty, and an export killed midway leaves no file. Stored files (evidence) move
//! both ways byte for byte, a 64 MiB one with the process's peak memory barely above a move
//! without it (GNU time).

mod common;
#[path = "../../../../tests/pg/harness.rs"]
mod pg;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use pg::{Pg, DBNAME};
use serde_json::Value;

const NOW: &str = "2026-11-23T09:00:00Z";

/// `rightsdesk ARGS` with the register files' passphrase ([`common::PASSPHRASE`]) and the
/// team database's `password`, and no other source of either (no keyring, no .pgpass).
fn command(password: &str, args: &[&str]) -> (Command, tempfile::TempDir) {
    let home = tempfile::tempdir().unwrap();
    let mut c = Command::new(env!("CARGO_BIN_EXE_rightsdesk"));
    c.args(args)
        .env("RIGHTSDESK_PASSPHRASE", common::PASSPHRASE)
        .env("RIGHTSDESK_NOW", NOW)
        .env("RIGHTSDESK_DB_PASSWORD", password)
        .env_remove("PGPASSWORD")
        .env_remove("RIGHTSDESK_DB")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env("HOME", home.path())
        .env("PGPASSFILE", home.path().join("none"));
    (c, home)
}

fn run(password: &str, args: &[&str]) -> Output {
    let (mut c, _home) = command(password, args);
    c.output().expect("run rightsdesk")
}

fn ok(out: Output) -> String {
    assert!(out.status.success(), "failed: {}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn refused(out: Output) -> String {
    assert!(!out.status.success(), "should fail: {}", String::from_utf8_lossy(&out.stdout));
    String::from_utf8(out.stderr).unwrap()
}

/// `rightsdesk --db FILE ARGS` on a register file.
fn on_file(db: &Path, args: &[&str]) -> String {
    let mut all = vec!["--db", db.to_str().unwrap()];
    all.extend_from_slice(args);
    ok(run("", &all))
}

fn init(pg: &Pg) {
    ok(run(pg.admin_password(), &["--db", &pg.admin_url(), "team", "init"]));
}

/// Adds `name` as an officer; their one-time password.
fn add_officer(pg: &Pg, name: &str) -> String {
    let out = ok(run(pg.admin_password(), &["--db", &pg.admin_url(), "team", "add", name, "--role", "officer", "--json"]));
    serde_json::from_str::<Value>(&out).unwrap()["password"].as_str().unwrap().to_string()
}

/// The stored files `demo_register` attaches: a file of 2.5 MiB (three rows of the team
/// register's `stored_chunks`) and a small one, each beside the register in `files/`.
const STORED: [(&str, usize); 2] = [("crm export.bin", 5 << 19), ("letter.txt", 40)];

/// `len` bytes of noise (no stored row repeats another).
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

/// The demo register, with a data map, generated tasks (one closed), an identity check,
/// a saved filter and two stored evidence files besides the demo's requests and their timelines.
fn demo_register(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("demo.sqlite3");
    on_file(&db, &["demo", "load"]);
    on_file(&db, &["systems", "starter"]);
    let list: Value = serde_json::from_str(&on_file(&db, &["request", "list", "--json"])).unwrap();
    let open = list
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["status"] == "in-progress" && r["type"] == "erasure")
        .or_else(|| list.as_array().unwrap().iter().find(|r| r["status"] == "in-progress"))
        .expect("the demo has a request in progress");
    let reference = open["reference"].as_str().unwrap().to_string();
    on_file(&db, &["task", "generate", &reference]);
    on_file(&db, &["task", "done", &format!("{reference}#1"), "--note", "checked in the CRM"]);
    on_file(&db, &["identity", "verify", &reference, "--method", "account-data-match", "--outcome", "verified"]);
    // A letter queued in the outbox (its composed mail is a blob), to a server never reached.
    on_file(
        &db,
        &[
            "smtp",
            "set",
            "--host",
            "127.0.0.1",
            "--port",
            "9",
            "--security",
            "none",
            "--from",
            "privacy@move.example",
            "--from-name",
            "Move Test",
            "--officer",
            "records@move.example",
            "--org-name",
            "Move Test GmbH",
            "--dpo-contact",
            "dpo@move.example",
        ],
    );
    let received = list
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["status"] == "received" && r["regime"] == "eu-gdpr")
        .expect("the demo has a request just received");
    on_file(&db, &["letter", received["reference"].as_str().unwrap(), "--template", "acknowledgement"]);
    let files = dir.join("files");
    std::fs::create_dir_all(&files).unwrap();
    for (i, (name, len)) in STORED.iter().enumerate() {
        std::fs::write(files.join(name), noise(*len, i as u64 + 3)).unwrap();
        on_file(&db, &["evidence", "add", &reference, files.join(name).to_str().unwrap()]);
    }
    db
}

/// Each stored evidence file of the register file `db` written out by `evidence get` equals
/// the file attached (`demo_register`).
fn stored_files_read_back(db: &Path, dir: &Path) {
    let c = rusqlite::Connection::open(db).unwrap();
    c.pragma_update(None, "key", common::PASSPHRASE).unwrap();
    c.execute_batch(&rightsdesk_core::store::PageHmac::NEW.pragma(None)).unwrap();
    let rows: Vec<(String, String)> = c
        .prepare("SELECT id, name FROM evidence ORDER BY name")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    drop(c);
    assert_eq!(rows.len(), STORED.len());
    for (id, name) in rows {
        let out = dir.join(format!("read back {name}"));
        on_file(db, &["evidence", "get", &id, "--out", out.to_str().unwrap()]);
        assert!(std::fs::read(&out).unwrap() == std::fs::read(dir.join("files").join(&name)).unwrap(), "{name} byte for byte");
        std::fs::remove_file(out).unwrap();
    }
}

/// Every row of every table of a register file (SQLite's own tables and the search index's
/// left out), each row as the text of its values, in a stable order; and the highest event
/// number ever issued.
fn dump(db: &Path) -> (Vec<(String, Vec<String>)>, i64) {
    let c = rusqlite::Connection::open(db).unwrap();
    c.pragma_update(None, "key", common::PASSPHRASE).unwrap();
    c.execute_batch(&rightsdesk_core::store::PageHmac::NEW.pragma(None)).unwrap();
    let tables: Vec<String> = c
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND name NOT LIKE 'requests_search%' ORDER BY name",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut out = Vec::new();
    for t in tables {
        let mut stmt = c.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let names: Vec<String> = stmt.column_names().iter().map(|n| n.to_string()).collect();
        let mut rows: Vec<String> = stmt
            .query_map([], |r| {
                let mut cells = Vec::new();
                for (i, name) in names.iter().enumerate() {
                    cells.push(format!("{name}={:?}", r.get_ref(i)?));
                }
                Ok(cells.join(" | "))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        rows.sort();
        out.push((t, rows));
    }
    let issued = c.query_row("SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0)", [], |r| r.get(0)).unwrap();
    (out, issued)
}

/// The reference of the request the stored files are attached to.
fn evidence_request(db: &Path) -> String {
    let c = rusqlite::Connection::open(db).unwrap();
    c.pragma_update(None, "key", common::PASSPHRASE).unwrap();
    c.execute_batch(&rightsdesk_core::store::PageHmac::NEW.pragma(None)).unwrap();
    c.query_row("SELECT r.reference FROM evidence e JOIN requests r ON r.id = e.request_id LIMIT 1", [], |r| r.get(0)).unwrap()
}

fn rows_in(dump: &[(String, Vec<String>)], table: &str) -> usize {
    dump.iter().find(|(t, _)| t == table).map(|(_, r)| r.len()).unwrap_or(0)
}

/// Rows in the team database's register tables, all together, read by the administrator;
/// and the highest event number issued (`events_issued`, always one row), which must be 0.
fn team_rows(pg: &Pg) -> i64 {
    let sql = "SELECT sum((xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I', table_name), false, true, '')))[1]::text::bigint) \
               FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' \
               AND table_name NOT IN ('schema_version', 'events_issued')";
    let rows: i64 = pg.admin_sql(DBNAME, sql).parse().unwrap();
    rows + pg.admin_sql(DBNAME, "SELECT seq FROM events_issued").parse::<i64>().unwrap()
}

#[test]
fn the_demo_register_moved_to_postgresql_and_back_compares_equal_request_by_request_and_event_by_event() {
    let dir = tempfile::tempdir().unwrap();
    let file = demo_register(dir.path());
    let before = dump(&file);
    assert!(rows_in(&before.0, "requests") >= 8, "the demo's requests");
    assert!(rows_in(&before.0, "events") > rows_in(&before.0, "requests"), "their timelines");
    for table in ["tasks", "systems", "audit_states", "identity_checks", "letters", "settings"] {
        assert!(rows_in(&before.0, table) > 0, "the register to move has {table}");
    }

    let pg = Pg::start();
    init(&pg);
    let out = ok(run(pg.admin_password(), &["team", "migrate", "--from", file.to_str().unwrap(), "--to", &pg.admin_url(), "--json"]));
    let moved: Value = serde_json::from_str(&out).unwrap();
    let tables = moved["tables"].as_array().unwrap();
    for t in tables {
        assert_eq!(t["source"], t["target"], "{t}");
        if t["recomputed"] == false {
            assert_eq!(t["source"].as_u64().unwrap() as usize, rows_in(&before.0, t["table"].as_str().unwrap()), "{t}");
        }
    }
    let requests = tables.iter().find(|t| t["table"] == "requests").unwrap();
    assert_eq!(requests["target"].as_u64().unwrap() as usize, rows_in(&before.0, "requests"));
    assert_eq!(moved["stored_files"]["source"], 2, "{out}");
    assert_eq!(moved["stored_files"]["target"], 2, "{out}");
    assert_eq!(pg.admin_sql(DBNAME, "SELECT count(DISTINCT blob) || '/' || count(*) FROM stored_chunks"), "2/4", "in rows of 1 MiB");
    assert_eq!(moved["target_audit"]["intact"], true, "{out}");
    assert_eq!(moved["target_audit"], moved["source_audit"]);
    assert!(moved["target_audit"]["checked"].as_u64().unwrap() > 0);

    // On the team database, as the server holds it: the actors as recorded in the file (not
    // the administrator who ran the move), the reference sequence carried over.
    assert_eq!(pg.admin_sql(DBNAME, "SELECT count(*) FROM events WHERE actor = 'pgadmin'"), "0");
    assert_eq!(pg.admin_sql(DBNAME, "SELECT count(*) FROM audit_chain WHERE actor = 'pgadmin'"), "0");
    assert_eq!(pg.admin_sql(DBNAME, "SELECT pg_sequence_last_value(pg_get_serial_sequence('events', 'seq'))"), before.1.to_string());
    assert_eq!(pg.admin_sql(DBNAME, "SELECT max(number) FROM requests"), {
        let c = rusqlite::Connection::open(&file).unwrap();
        c.pragma_update(None, "key", common::PASSPHRASE).unwrap();
        c.execute_batch(&rightsdesk_core::store::PageHmac::NEW.pragma(None)).unwrap();
        c.query_row("SELECT max(number) FROM requests", [], |r| r.get::<_, i64>(0)).unwrap().to_string()
    });

    // On the team register an officer reads the stored files as attached.
    let ana = add_officer(&pg, "ana");
    let listed: Value =
        serde_json::from_str(&ok(run(&ana, &["--db", &pg.url("ana"), "evidence", "list", &evidence_request(&file), "--json"]))).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), STORED.len());
    for e in listed.as_array().unwrap() {
        let out = dir.path().join("from the team register");
        ok(run(&ana, &["--db", &pg.url("ana"), "evidence", "get", e["id"].as_str().unwrap(), "--out", out.to_str().unwrap()]));
        let name = e["name"].as_str().unwrap();
        assert!(std::fs::read(&out).unwrap() == std::fs::read(dir.path().join("files").join(name)).unwrap(), "{name}");
        std::fs::remove_file(out).unwrap();
    }

    // Back out, by a team member (no lock-in), into a new file in another folder (its stored
    // files go into the folder beside it).
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    let back = elsewhere.join("back.sqlite3");
    let out = run(&ana, &["team", "export", "--from", &pg.url("ana"), "--to", back.to_str().unwrap()]);
    let text = ok(out);
    assert!(text.contains("Audit trail verified on both sides: intact"), "{text}");
    assert!(text.contains("requests"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.starts_with("stored files") && l.split_whitespace().nth(2) == Some("2") && l.split_whitespace().nth(3) == Some("2")),
        "{text}"
    );
    let folder = elsewhere.join("evidence");
    let kept: usize = std::fs::read_dir(&folder).unwrap().map(|s| std::fs::read_dir(s.unwrap().path()).unwrap().count()).sum();
    assert_eq!(kept, STORED.len(), "the stored files beside the new file");
    let after = dump(&back);
    assert_eq!(before.1, after.1, "the highest event number issued");
    for ((t, a), (u, b)) in before.0.iter().zip(after.0.iter()) {
        assert_eq!(t, u);
        assert_eq!(a, b, "table {t}: every row, every column");
    }
    assert_eq!(before.0.len(), after.0.len());
    // The copy is a working register: its stored files read back, its trail verifies and its search finds by name.
    let files = elsewhere.join("files");
    std::fs::create_dir(&files).unwrap();
    for (name, _) in STORED {
        std::fs::copy(dir.path().join("files").join(name), files.join(name)).unwrap();
    }
    stored_files_read_back(&back, &elsewhere);
    stored_files_read_back(&file, dir.path());
    let verify: Value = serde_json::from_str(&on_file(&back, &["audit", "verify", "--json"])).unwrap();
    assert_eq!(verify["intact"], true, "{verify}");
    let someone = {
        let c = rusqlite::Connection::open(&back).unwrap();
        c.pragma_update(None, "key", common::PASSPHRASE).unwrap();
        c.execute_batch(&rightsdesk_core::store::PageHmac::NEW.pragma(None)).unwrap();
        c.query_row("SELECT subject_name FROM requests ORDER BY number LIMIT 1", [], |r| r.get::<_, String>(0)).unwrap()
    };
    let found: Value = serde_json::from_str(&on_file(&back, &["request", "list", "--search", &someone, "--json"])).unwrap();
    assert!(!found.as_array().unwrap().is_empty(), "the search index was rebuilt");
}

#[test]
fn a_non_empty_target_a_missing_file_a_wrong_passphrase_and_an_existing_output_are_refused_with_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    let file = demo_register(dir.path());
    let pg = Pg::start();
    init(&pg);
    let admin = pg.admin_password();
    let url = pg.admin_url();

    // Not a team database's address; no file there; a wrong passphrase: nothing written.
    let e = refused(run(admin, &["team", "migrate", "--from", file.to_str().unwrap(), "--to", "/tmp/x.sqlite3"]));
    assert!(e.contains("to") && e.contains("postgresql://"), "{e}");
    let missing = dir.path().join("missing.sqlite3");
    let e = refused(run(admin, &["team", "migrate", "--from", missing.to_str().unwrap(), "--to", &url]));
    assert!(e.contains("no register file at") && e.contains("missing.sqlite3"), "{e}");
    assert!(!missing.exists(), "nothing created");
    let (mut c, _home) = command(admin, &["team", "migrate", "--from", file.to_str().unwrap(), "--to", &url]);
    let e = refused(c.env("RIGHTSDESK_PASSPHRASE", "not the passphrase at all").output().unwrap());
    assert!(e.contains("demo.sqlite3"), "{e}");
    assert_eq!(team_rows(&pg), 0);
    // While another program (the app) has the file open for writing, it is not moved: what it
    // writes meanwhile would be left behind.
    let held = rightsdesk_core::store::Db::open(&file, &rightsdesk_core::store::DbKey::passphrase(common::PASSPHRASE).unwrap()).unwrap();
    let e = refused(run(admin, &["team", "migrate", "--from", file.to_str().unwrap(), "--to", &url]));
    assert!(e.contains("demo.sqlite3") && e.contains("in use"), "{e}");
    assert_eq!(team_rows(&pg), 0);
    drop(held);

    // The first move fills it; a second is refused naming what it holds, and changes nothing.
    ok(run(admin, &["team", "migrate", "--from", file.to_str().unwrap(), "--to", &url]));
    let held = team_rows(&pg);
    let other = dir.path().join("other.sqlite3");
    on_file(&other, common::ADA);
    let e = refused(run(admin, &["team", "migrate", "--from", other.to_str().unwrap(), "--to", &url]));
    assert!(e.contains("is not empty") && e.contains("in requests") && e.contains("in events"), "{e}");
    assert!(e.contains("nothing was written"), "{e}");
    assert_eq!(team_rows(&pg), held);

    // An existing output file is never replaced, and the refusal comes before anything else.
    let existing = dir.path().join("existing.sqlite3");
    std::fs::write(&existing, b"someone's file").unwrap();
    let e = refused(run(admin, &["team", "export", "--from", "register.sqlite3", "--to", dir.path().join("x.sqlite3").to_str().unwrap()]));
    assert!(e.contains("from") && e.contains("postgresql://"), "{e}");
    assert!(!dir.path().join("x.sqlite3").exists());
    let e = refused(run(admin, &["team", "export", "--from", &url, "--to", existing.to_str().unwrap()]));
    assert!(e.contains("existing.sqlite3 already exists") && e.contains("never replaces"), "{e}");
    assert_eq!(std::fs::read(&existing).unwrap(), b"someone's file");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().contains("partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // A register whose stored file is gone from the folder beside it is refused, saying so.
    let pg2 = Pg::start();
    init(&pg2);
    let reference = {
        let list: Value = serde_json::from_str(&on_file(&other, &["request", "list", "--json"])).unwrap();
        list[0]["reference"].as_str().unwrap().to_string()
    };
    let doc = dir.path().join("export.txt");
    std::fs::write(&doc, "what the CRM held").unwrap();
    on_file(&other, &["evidence", "add", &reference, doc.to_str().unwrap()]);
    std::fs::remove_dir_all(dir.path().join("evidence")).unwrap();
    let e = refused(run(pg2.admin_password(), &["team", "migrate", "--from", other.to_str().unwrap(), "--to", &pg2.admin_url()]));
    assert!(e.contains("stored file 1 of") && e.contains("is missing") && e.contains("nothing was written"), "{e}");
    assert_eq!(team_rows(&pg2), 0);
}

#[test]
fn an_officer_cannot_move_a_register_in_nor_keep_another_actor_on_record() {
    let dir = tempfile::tempdir().unwrap();
    let file = demo_register(dir.path());
    let pg = Pg::start();
    init(&pg);
    let ana = add_officer(&pg, "ana");
    let e = refused(run(&ana, &["team", "migrate", "--from", file.to_str().unwrap(), "--to", &pg.url("ana")]));
    assert!(e.contains("only the database administrator"), "{e}");
    assert_eq!(team_rows(&pg), 0);
    // The door the move uses is shut to her: the server records her, whatever she sends.
    let actor = pg
        .psql(
            "ana",
            &ana,
            DBNAME,
            "BEGIN; SET LOCAL rightsdesk.keep_actor = 'on'; \
             INSERT INTO events (request_id, at, kind, summary, actor) VALUES (NULL, '2026-11-23T09:00:00Z', 'note', 'x', 'pgadmin') RETURNING actor; \
             COMMIT;",
        )
        .unwrap();
    assert_eq!(actor.lines().find(|l| !l.is_empty() && !l.starts_with("INSERT")).unwrap(), "ana");

    // Moved in by the administrator, the register leaves again with anyone who may read it:
    // an auditor, who may change nothing on the server, exports a complete copy.
    pg.admin_sql(DBNAME, "DELETE FROM events");
    ok(run(pg.admin_password(), &["team", "migrate", "--from", file.to_str().unwrap(), "--to", &pg.admin_url()]));
    let out = ok(run(pg.admin_password(), &["--db", &pg.admin_url(), "team", "add", "axel", "--role", "auditor", "--json"]));
    let axel = serde_json::from_str::<Value>(&out).unwrap()["password"].as_str().unwrap().to_string();
    let copy = dir.path().join("audited.sqlite3");
    let out = ok(run(&axel, &["team", "export", "--from", &pg.url("axel"), "--to", copy.to_str().unwrap(), "--json"]));
    assert_eq!(serde_json::from_str::<Value>(&out).unwrap()["target_audit"]["intact"], true, "{out}");
    assert_eq!(dump(&copy).0, dump(&file).0);
}

#[test]
fn a_move_that_fails_after_copying_leaves_the_team_database_empty_with_no_event_number_issued() {
    let dir = tempfile::tempdir().unwrap();
    let file = demo_register(dir.path());
    // A request row changed behind Rightsdesk's back: the file's trail no longer verifies, which
    // the move finds after copying, inside its transaction.
    let c = rusqlite::Connection::open(&file).unwrap();
    c.pragma_update(None, "key", common::PASSPHRASE).unwrap();
    c.execute_batch(&rightsdesk_core::store::PageHmac::NEW.pragma(None)).unwrap();
    assert_eq!(c.execute("UPDATE requests SET notes = 'changed behind its back' WHERE number = 1", []).unwrap(), 1);
    drop(c);
    let pg = Pg::start();
    init(&pg);
    let e = refused(run(pg.admin_password(), &["team", "migrate", "--from", file.to_str().unwrap(), "--to", &pg.admin_url()]));
    assert!(e.contains("the audit trail of the register file does not verify") && e.contains("nothing was written"), "{e}");
    assert_eq!(team_rows(&pg), 0);
    assert_eq!(
        pg.admin_sql(DBNAME, "SELECT pg_sequence_last_value(pg_get_serial_sequence('events', 'seq')) IS NULL"),
        "t",
        "no event number issued"
    );
    // The empty team register still exports as an empty register whose (empty) trail verifies.
    let back = dir.path().join("empty.sqlite3");
    let out = ok(run(pg.admin_password(), &["team", "export", "--from", &pg.admin_url(), "--to", back.to_str().unwrap(), "--json"]));
    let exported: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(exported["target_audit"]["intact"], true, "{out}");
    assert!(exported["tables"].as_array().unwrap().iter().all(|t| t["target"] == 0), "{out}");
}

/// Waits until the move's session on the team database has written (it holds a transaction id).
fn wait_for_the_move_to_write(pg: &Pg, child: &mut std::process::Child) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let writing = pg.admin_sql(
            "postgres",
            &format!(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = '{DBNAME}' AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()"
            ),
        );
        if writing != "0" {
            return;
        }
        assert!(child.try_wait().unwrap().is_none(), "the move ended before it could be killed: make the register larger");
        assert!(Instant::now() < deadline, "the move never started writing");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_move_killed_midway_leaves_the_team_database_empty_and_an_export_killed_midway_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = demo_register(dir.path());
    // Enough requests that the move takes a while: 3,000 imported in one go.
    let csv = dir.path().join("many.csv");
    let mut text = String::from("type,regime,jurisdiction,name,email,channel,received\n");
    for i in 0..3000 {
        text.push_str(&format!("access,eu-gdpr,DE,Person {i},p{i}@example.org,email,2026-10-{:02}\n", 1 + i % 28));
    }
    std::fs::write(&csv, text).unwrap();
    on_file(&file, &["import", "requests", csv.to_str().unwrap()]);
    let pg = Pg::start();
    init(&pg);

    let (mut c, _home) = command(pg.admin_password(), &["team", "migrate", "--from", file.to_str().unwrap(), "--to", &pg.admin_url()]);
    let mut child = c.stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    wait_for_the_move_to_write(&pg, &mut child);
    child.kill().unwrap();
    child.wait().unwrap();
    // The server ends the dead client's session and rolls its transaction back.
    let deadline = Instant::now() + Duration::from_secs(30);
    while pg.admin_sql("postgres", &format!("SELECT count(*) FROM pg_stat_activity WHERE datname = '{DBNAME}' AND pid <> pg_backend_pid()"))
        != "0"
    {
        assert!(Instant::now() < deadline, "the killed client's session stays");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(team_rows(&pg), 0, "nothing of the killed move stays");
    assert_eq!(pg.admin_sql(DBNAME, "SELECT pg_sequence_last_value(pg_get_serial_sequence('events', 'seq')) IS NULL"), "t");

    // The same move run to its end; then an export killed midway leaves no file behind.
    let out = ok(run(pg.admin_password(), &["team", "migrate", "--from", file.to_str().unwrap(), "--to", &pg.admin_url(), "--json"]));
    let moved: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(moved["target_audit"]["intact"], true);
    let back = dir.path().join("back.sqlite3");
    let (mut c, _home) = command(pg.admin_password(), &["team", "export", "--from", &pg.admin_url(), "--to", back.to_str().unwrap()]);
    let mut child = c.stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let partial_seen = loop {
        let partial = std::fs::read_dir(dir.path()).unwrap().any(|e| e.unwrap().file_name().to_string_lossy().ends_with(".partial"));
        if partial || child.try_wait().unwrap().is_some() || Instant::now() > deadline {
            break partial;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    assert!(partial_seen, "the export was caught while writing");
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(!back.exists(), "no half-written register where the export was to go");
    // A second export succeeds and holds every request.
    let out = ok(run(pg.admin_password(), &["team", "export", "--from", &pg.admin_url(), "--to", back.to_str().unwrap(), "--json"]));
    let exported: Value = serde_json::from_str(&out).unwrap();
    let requests = exported["tables"].as_array().unwrap().iter().find(|t| t["table"] == "requests").unwrap().clone();
    assert_eq!(requests["target"], moved["tables"].as_array().unwrap().iter().find(|t| t["table"] == "requests").unwrap()["source"]);
    assert_eq!(rows_in(&dump(&back).0, "requests"), rows_in(&dump(&file).0, "requests"));
}

/// The peak resident memory of `rightsdesk ARGS` (run as [`command`] runs it), in MiB, as the
/// kernel counted it for that process (`/usr/bin/time -f %M`, GNU time, which reads the
/// child's rusage).
fn peak_mib(password: &str, args: &[&str]) -> u64 {
    let (c, home) = command(password, args);
    let report = home.path().join("peak");
    let mut timed = Command::new("/usr/bin/time");
    timed.args(["-f", "%M", "-o", report.to_str().unwrap()]).arg(c.get_program()).args(c.get_args());
    for (k, v) in c.get_envs() {
        match v {
            Some(v) => timed.env(k, v),
            None => timed.env_remove(k),
        };
    }
    let out = timed.output().expect("run rightsdesk under /usr/bin/time (GNU time)");
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    let kib: u64 = std::fs::read_to_string(&report).unwrap().trim().lines().last().unwrap().parse().unwrap();
    kib / 1024
}

#[test]
fn a_register_holding_a_64_mib_stored_file_moves_in_and_out_in_flat_memory() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("register.sqlite3");
    on_file(&file, common::ADA);
    let list: Value = serde_json::from_str(&on_file(&file, &["request", "list", "--json"])).unwrap();
    let reference = list[0]["reference"].as_str().unwrap().to_string();
    let small = dir.path().join("small.txt");
    std::fs::write(&small, "a small file").unwrap();
    on_file(&file, &["evidence", "add", &reference, small.to_str().unwrap()]);

    // The baseline: the same register with only the small file, moved in and out.
    let (pg, other) = (Pg::start(), Pg::start());
    init(&pg);
    init(&other);
    let out_dir = |name: &str| {
        let d = dir.path().join(name);
        std::fs::create_dir(&d).unwrap();
        d.join("back.sqlite3")
    };
    let small_in = peak_mib(pg.admin_password(), &["team", "migrate", "--from", file.to_str().unwrap(), "--to", &pg.admin_url()]);
    let small_back = out_dir("small");
    let small_out = peak_mib(pg.admin_password(), &["team", "export", "--from", &pg.admin_url(), "--to", small_back.to_str().unwrap()]);

    // 64 MiB of noise attached (written a megabyte at a time), then the same moves.
    let big = dir.path().join("call recording.ogg");
    {
        use std::io::Write;
        let mut w = std::io::BufWriter::new(std::fs::File::create(&big).unwrap());
        for i in 0..64 {
            w.write_all(&noise(1 << 20, 100 + i)).unwrap();
        }
        w.flush().unwrap();
    }
    on_file(&file, &["evidence", "add", &reference, big.to_str().unwrap()]);
    let big_in = peak_mib(other.admin_password(), &["team", "migrate", "--from", file.to_str().unwrap(), "--to", &other.admin_url()]);
    assert_eq!(other.admin_sql(DBNAME, "SELECT count(DISTINCT blob) || '/' || count(*) FROM stored_chunks"), "2/66");
    let big_back = out_dir("big");
    let big_out = peak_mib(other.admin_password(), &["team", "export", "--from", &other.admin_url(), "--to", big_back.to_str().unwrap()]);
    eprintln!("peak resident memory moving in: {small_in} MiB without, {big_in} MiB with a 64 MiB file; out: {small_out} / {big_out} MiB");
    for (what, without, with) in [("team migrate", small_in, big_in), ("team export", small_out, big_out)] {
        assert!(with < without + 16, "{what} with a 64 MiB stored file peaked at {with} MiB, {without} MiB without it");
    }
    // The big file came back byte for byte.
    let listed: Value = serde_json::from_str(&on_file(&big_back, &["evidence", "list", &reference, "--json"])).unwrap();
    let id = listed.as_array().unwrap().iter().find(|e| e["name"] == "call recording.ogg").unwrap()["id"].as_str().unwrap().to_string();
    let copy = dir.path().join("copy.ogg");
    on_file(&big_back, &["evidence", "get", &id, "--out", copy.to_str().unwrap()]);
    assert!(std::fs::read(&copy).unwrap() == std::fs::read(&big).unwrap(), "byte for byte");
}

/// A register with a built answer package but no evidence key yet (no file was ever attached):
/// the move makes the key the team register seals the package with before anything is copied
/// or counted, so the counts it prints are the rows each side holds, settings included, and
/// the package reads back on the team register.
#[test]
fn a_register_with_a_package_and_no_evidence_key_yet_moves_with_counts_that_match_both_sides() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("small.sqlite3");
    #[rustfmt::skip]
    let added: Value = serde_json::from_str(&on_file(&db, &["request", "add", "--type", "access", "--regime", "eu-gdpr",
        "--jurisdiction", "DE", "--received", "2026-11-20", "--name", "Ada Example", "--email", "ada@example.org", "--json"])).unwrap();
    let reference = added["reference"].as_str().unwrap().to_string();
    let zip = dir.path().join("packages").join("answer.zip");
    std::fs::create_dir_all(zip.parent().unwrap()).unwrap();
    on_file(&db, &["package", &reference, "--out", zip.to_str().unwrap(), "--allow-open-tasks"]);
    assert!(zip.is_file(), "the package is built beside the register");
    let key_rows = |c: &rusqlite::Connection| {
        c.query_row("SELECT count(*) FROM settings WHERE key = 'evidence.key'", [], |r| r.get::<_, i64>(0)).unwrap()
    };
    let file_settings = {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.pragma_update(None, "key", common::PASSPHRASE).unwrap();
        c.execute_batch(&rightsdesk_core::store::PageHmac::NEW.pragma(None)).unwrap();
        assert_eq!(key_rows(&c), 0, "no evidence key yet: nothing was ever attached");
        c.query_row("SELECT count(*) FROM settings", [], |r| r.get::<_, i64>(0)).unwrap()
    };

    let pg = Pg::start();
    init(&pg);
    let out = ok(run(pg.admin_password(), &["team", "migrate", "--from", db.to_str().unwrap(), "--to", &pg.admin_url(), "--json"]));
    let moved: Value = serde_json::from_str(&out).unwrap();
    assert_eq!((moved["packages"]["source"].as_u64(), moved["packages"]["target"].as_u64()), (Some(1), Some(1)), "{out}");
    for t in moved["tables"].as_array().unwrap() {
        let table = t["table"].as_str().unwrap();
        let held: u64 = pg.admin_sql(DBNAME, &format!("SELECT count(*) FROM {table}")).parse().unwrap();
        assert_eq!(
            (t["source"].as_u64(), t["target"].as_u64()),
            (Some(held), Some(held)),
            "{table}: the counts printed are what each side holds: {out}"
        );
    }
    let settings = moved["tables"].as_array().unwrap().iter().find(|t| t["table"] == "settings").unwrap().clone();
    assert_eq!(pg.admin_sql(DBNAME, "SELECT count(*) FROM settings WHERE key = 'evidence.key'"), "1", "the team register's key");
    let c = rusqlite::Connection::open(&db).unwrap();
    c.pragma_update(None, "key", common::PASSPHRASE).unwrap();
    c.execute_batch(&rightsdesk_core::store::PageHmac::NEW.pragma(None)).unwrap();
    assert_eq!(key_rows(&c), 1, "the file holds the same key, made inside the move");
    assert_eq!(settings["source"].as_i64(), Some(file_settings + 1), "{settings}");
    drop(c);

    assert_eq!(pg.admin_sql(DBNAME, "SELECT count(DISTINCT blob) FROM stored_chunks"), "1", "the package kept, sealed");
}
