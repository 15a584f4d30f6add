//! The team register on a real PostgreSQL 15 (`tests/pg/harness.rs`, TLS with `verify-full`):
//! `rightsdesk team init | add | list`, the roles enforced by the server (tried directly with
//! SQL through `psql`, not through Rightsdesk), and each way connecting can fail.

mod common;
#[path = "../../../../tests/pg/harness.rs"]
mod pg;
#[path = "common/team.rs"]
mod team_cli;

use std::process::Command;

use pg::{Pg, ADMIN, DBNAME};
use rightsdesk_core::store::pg::migrations::SCHEMA_VERSION;
use serde_json::Value;
use team_cli::{ok, refused, rightsdesk};

fn init(pg: &Pg) -> String {
    ok(rightsdesk(&pg.admin_url(), pg.admin_password(), &["team", "init"]))
}

/// Adds `name` in `role` and returns the one-time password `team add --json` printed.
fn add(pg: &Pg, name: &str, role: &str) -> String {
    let out = ok(rightsdesk(&pg.admin_url(), pg.admin_password(), &["team", "add", name, "--role", role, "--json"]));
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["name"], name);
    assert_eq!(v["role"], role);
    v["password"].as_str().unwrap().to_string()
}

/// A request row with every column a registration fills (what an officer's client inserts).
fn insert_request(id: &str, number: i64) -> String {
    format!(
        "INSERT INTO requests (id, number, reference, request_type, regime, jurisdiction, subject_name, channel, \
         received_at, received_on, time_zone, status, rule_set, schedule, created_at, updated_at) VALUES \
         ('{id}', {number}, 'DSR-2026-{number:04}', 'access', 'eu-gdpr', 'DE', 'Ada Example', 'email', \
         '2026-01-31T09:00:00+00:00', '2026-01-31', 'Europe/Berlin', 'received', 'x', '{{\"ack_due\":\"2026-02-03\"}}', \
         '2026-01-31T09:00:00+00:00', '2026-01-31T09:00:00+00:00')"
    )
}

#[test]
fn the_harness_starts_a_postgresql_15_that_speaks_tls_with_verify_full() {
    let pg = Pg::start();
    let version = pg.admin_sql(DBNAME, "SHOW server_version");
    assert!(version.starts_with("15."), "{version}");
    let ssl = pg.admin_sql(DBNAME, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
    assert_eq!(ssl, "t");
    let wrong = pg.psql(ADMIN, "not the password", DBNAME, "SELECT 1").unwrap_err();
    assert!(wrong.contains("password authentication failed"), "{wrong}");
}

#[test]
fn init_creates_the_register_and_its_roles_and_a_second_init_changes_nothing() {
    let pg = Pg::start();
    let first = init(&pg);
    assert!(first.contains(&format!("Created the team register in rightsdesk (schema version {SCHEMA_VERSION})")), "{first}");
    for role in ["rightsdesk_officer", "rightsdesk_auditor", "rightsdesk_admin"] {
        assert!(first.contains(&format!("role {role}: created")), "{first}");
    }
    assert_eq!(pg.admin_sql(DBNAME, "SELECT version FROM schema_version"), SCHEMA_VERSION.to_string());
    let tables = pg.admin_sql(DBNAME, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'");
    assert!(tables.parse::<i64>().unwrap() >= 28, "{tables} tables");
    let second = init(&pg);
    assert!(second.contains(&format!("already at schema version {SCHEMA_VERSION}")), "{second}");
    assert!(second.contains("role rightsdesk_admin: already there"), "{second}");
    assert_eq!(pg.admin_sql(DBNAME, "SELECT version FROM schema_version"), SCHEMA_VERSION.to_string());
    // A second register on the same server gets its own roles.
    pg.admin_sql("postgres", "CREATE DATABASE privacy");
    let other = pg.admin_url().replace("/rightsdesk?", "/privacy?");
    let out = ok(rightsdesk(&other, pg.admin_password(), &["team", "init"]));
    assert!(out.contains("role rightsdesk_privacy_officer: created"), "{out}");
}

#[test]
fn people_are_added_with_a_one_time_password_and_listed_with_their_roles() {
    let pg = Pg::start();
    init(&pg);
    let ana = add(&pg, "ana", "officer");
    add(&pg, "ben", "auditor");
    add(&pg, "cleo", "admin");
    assert_eq!(ana.len(), 53, "{ana}");
    // The password works, over TLS, with a plain PostgreSQL client.
    assert_eq!(pg.psql("ana", &ana, DBNAME, "SELECT session_user").unwrap(), "ana");
    let text = ok(rightsdesk(&pg.admin_url(), pg.admin_password(), &["team", "add", "dora", "--role", "officer"]));
    assert!(text.contains("One-time password (shown only now): "), "{text}");
    assert!(text.contains("It expires at "), "{text}");
    let again = refused(rightsdesk(&pg.admin_url(), pg.admin_password(), &["team", "add", "ana", "--role", "admin"]));
    assert!(again.contains("ana already has a login"), "{again}");
    let bad = refused(rightsdesk(&pg.admin_url(), pg.admin_password(), &["team", "add", "eve", "--role", "boss"]));
    assert!(bad.contains("not a role: officer, auditor or admin"), "{bad}");
    // Any member lists the team, connecting as themselves.
    let list: Value = serde_json::from_str(&ok(rightsdesk(&pg.url("ana"), &ana, &["team", "list", "--json"]))).unwrap();
    let people: Vec<(String, String)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["name"].as_str().unwrap().to_string(), m["role"].as_str().unwrap().to_string()))
        .collect();
    let want = [("ana", "officer"), ("ben", "auditor"), ("cleo", "admin"), ("dora", "officer")];
    assert_eq!(people, want.map(|(n, r)| (n.to_string(), r.to_string())));
    assert!(list[0]["can_log_in"].as_bool().unwrap());
    assert!(list[0]["valid_until"].as_str().unwrap().ends_with('Z'));
    let table = ok(rightsdesk(&pg.url("ana"), &ana, &["team", "list"]));
    assert!(table.lines().any(|l| l.starts_with("ben") && l.contains("auditor")), "{table}");
}

#[test]
fn the_server_refuses_an_auditors_writes_and_an_officers_change_of_settings() {
    let pg = Pg::start();
    init(&pg);
    let ana = add(&pg, "ana", "officer");
    let ben = add(&pg, "ben", "auditor");
    let cleo = add(&pg, "cleo", "admin");
    // The officer registers a request; the auditor reads it.
    pg.psql("ana", &ana, DBNAME, &insert_request("r1", 1)).unwrap();
    assert_eq!(pg.psql("ben", &ben, DBNAME, "SELECT reference FROM requests").unwrap(), "DSR-2026-0001");
    // The auditor changes nothing, whatever the client does.
    for sql in [
        insert_request("r2", 2),
        "UPDATE requests SET status = 'completed'".to_string(),
        "DELETE FROM requests".to_string(),
        "INSERT INTO events (request_id, at, kind, summary, actor) VALUES ('r1', 'now', 'note', 'x', 'ben')".to_string(),
        "INSERT INTO settings (key, value) VALUES ('org.name', 'X')".to_string(),
    ] {
        let e = pg.psql("ben", &ben, DBNAME, &sql).unwrap_err();
        assert!(e.contains("permission denied"), "{sql}: {e}");
    }
    assert_eq!(pg.admin_sql(DBNAME, "SELECT status FROM requests"), "received");
    // The officer works on requests but may not change settings, the data map or templates, nor delete requests.
    pg.psql("ana", &ana, DBNAME, "UPDATE requests SET status = 'in-progress' WHERE id = 'r1'").unwrap();
    for sql in [
        "INSERT INTO settings (key, value) VALUES ('org.name', 'X')",
        "INSERT INTO systems (id, name, role, created_at, updated_at) VALUES ('s1', 'CRM', 'own', 'now', 'now')",
        "INSERT INTO letter_templates (name, lang, source, updated_at) VALUES ('x', 'en', 'x', 'now')",
        "DELETE FROM requests WHERE id = 'r1'",
        "UPDATE events SET summary = 'x'",
        "CREATE TABLE mine (x int)",
        "CREATE TEMP TABLE mine (x int)",
    ] {
        let e = pg.psql("ana", &ana, DBNAME, sql).unwrap_err();
        assert!(e.contains("permission denied"), "{sql}: {e}");
    }
    // The admin may.
    pg.psql("cleo", &cleo, DBNAME, "INSERT INTO settings (key, value) VALUES ('org.name', 'Example Ltd')").unwrap();
    pg.psql("cleo", &cleo, DBNAME, "INSERT INTO systems (id, name, role, created_at, updated_at) VALUES ('s1', 'CRM', 'own', 'n', 'n')")
        .unwrap();
    // The tallies follow the officer's writes though the officer may not write them.
    assert_eq!(pg.admin_sql(DBNAME, "SELECT status || '=' || n FROM request_statuses WHERE n > 0"), "in-progress=1");
    assert_eq!(pg.admin_sql(DBNAME, "SELECT request_type || '/' || regime || '=' || n FROM request_open_kinds"), "access/eu-gdpr=1");
}

#[test]
fn the_actor_on_record_is_the_role_logged_in_whatever_the_client_sends() {
    let pg = Pg::start();
    init(&pg);
    let ana = add(&pg, "ana", "officer");
    add(&pg, "cleo", "admin");
    pg.psql("ana", &ana, DBNAME, &insert_request("r1", 1)).unwrap();
    pg.psql(
        "ana",
        &ana,
        DBNAME,
        "SET rightsdesk.keep_actor = 'on'; \
         INSERT INTO events (request_id, at, kind, summary, actor) VALUES ('r1', '2026-01-31T09:00:00+00:00', 'note', 'n', 'cleo'); \
         INSERT INTO audit_chain (seq, request_id, at, kind, actor, content_sha256, prev_hash, hash) \
         VALUES (1, 'r1', '2026-01-31T09:00:00+00:00', 'note', 'cleo', 'c', 'p', 'h')",
    )
    .unwrap();
    assert_eq!(pg.admin_sql(DBNAME, "SELECT actor FROM events"), "ana");
    assert_eq!(pg.admin_sql(DBNAME, "SELECT actor FROM audit_chain"), "ana");
    // Nor can the officer rewrite it afterwards.
    let e = pg.psql("ana", &ana, DBNAME, "UPDATE events SET actor = 'cleo'").unwrap_err();
    assert!(e.contains("permission denied"), "{e}");
    // The installer, moving a single officer's history in, keeps the actors it names.
    pg.admin_sql(
        DBNAME,
        "SET rightsdesk.keep_actor = 'on'; \
         INSERT INTO events (request_id, at, kind, summary, actor) VALUES ('r1', '2025-01-01T09:00:00+00:00', 'note', 'n', 'officer')",
    );
    assert_eq!(pg.admin_sql(DBNAME, "SELECT string_agg(actor, ',' ORDER BY seq) FROM events"), "ana,officer");
}

#[test]
fn each_way_connecting_fails_has_its_own_message_and_none_shows_the_password() {
    let pg = Pg::start();
    // No register yet.
    let e = refused(rightsdesk(&pg.admin_url(), pg.admin_password(), &["team", "list"]));
    assert!(e.contains("this database has no Rightsdesk register: ask your database administrator to run `rightsdesk team init`"), "{e}");
    init(&pg);
    let ana = add(&pg, "ana", "officer");
    // A wrong password.
    let e = refused(rightsdesk(&pg.url("ana"), "wrong-password-123", &["team", "list"]));
    assert!(e.contains("refused the password for ana"), "{e}");
    assert!(!e.contains("wrong-password-123"), "{e}");
    // No password at all.
    let e = refused(rightsdesk(&pg.url("ana"), "", &["team", "list"]));
    assert!(e.contains("asks for ana's password, and none was found"), "{e}");
    // An unreachable server.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let e = refused(rightsdesk(&pg.url("ana").replace(&format!(":{}/", pg.port), &format!(":{closed}/")), &ana, &["team", "list"]));
    assert!(e.contains(&format!("cannot reach the PostgreSQL server at localhost:{closed}")), "{e}");
    // A certificate not signed by the CA we trust.
    let dir = tempfile::tempdir().unwrap();
    let other_ca = dir.path().join("other-ca.pem");
    std::fs::write(&other_ca, pg::PgTls::generate().ca_pem).unwrap();
    let e = refused(rightsdesk(
        &pg.url("ana").replace(&pg.ca_file().display().to_string(), &other_ca.display().to_string()),
        &ana,
        &["team", "list"],
    ));
    assert!(e.contains("the server's certificate at localhost:"), "{e}");
    assert!(e.contains("not signed by a CA this computer trusts"), "{e}");
    // A weaker sslmode is refused before anything is sent.
    let e = refused(rightsdesk(&pg.url("ana").replace("verify-full", "require"), &ana, &["team", "list"]));
    assert!(e.contains("sslmode=require is not supported"), "{e}");
    // A login that is in no group of this register.
    pg.admin_sql(DBNAME, "CREATE ROLE stranger LOGIN PASSWORD 'stranger-pw'; GRANT CONNECT ON DATABASE rightsdesk TO stranger");
    let e = refused(rightsdesk(&pg.url("stranger"), "stranger-pw", &["team", "list"]));
    assert!(e.contains("stranger has no role in this Rightsdesk register"), "{e}");
    // A schema written by a newer Rightsdesk: refused as SQLite's is.
    pg.admin_sql(DBNAME, "UPDATE schema_version SET version = 99");
    let e = refused(rightsdesk(&pg.url("ana"), &ana, &["team", "list"]));
    assert!(
        e.contains(&format!(
            "this database was written by a newer Rightsdesk (schema version 99, this version understands up to {SCHEMA_VERSION})"
        )),
        "{e}"
    );
    let e = refused(rightsdesk(&pg.admin_url(), pg.admin_password(), &["team", "init"]));
    assert!(e.contains("newer Rightsdesk"), "{e}");
    assert_eq!(pg.admin_sql(DBNAME, "SELECT version FROM schema_version"), "99", "init changed nothing");
}

#[test]
fn the_schema_searches_and_sorts_as_the_local_file_does() {
    let pg = Pg::start();
    init(&pg);
    let ana = add(&pg, "ana", "officer");
    pg.psql("ana", &ana, DBNAME, &insert_request("r1", 1)).unwrap();
    pg.psql("ana", &ana, DBNAME, &insert_request("r2", 2).replace("'Ada Example'", "'Élodie Zoë Martin'")).unwrap();
    // The list's search: case and diacritics folded, a substring found (docs/design/team-register.md).
    let search = |term: &str| {
        pg.psql(
            "ana",
            &ana,
            DBNAME,
            &format!(
                "SELECT string_agg(id, ',' ORDER BY id) FROM requests WHERE \
                 rightsdesk_search_text(subject_name, subject_email, reference, notes) LIKE '%' || rightsdesk_fold('{term}') || '%'"
            ),
        )
        .unwrap()
    };
    assert_eq!(search("ELODIE"), "r2");
    assert_eq!(search("zoe mar"), "r2");
    assert_eq!(search("dsr-2026-000"), "r1,r2");
    assert_eq!(search("nobody"), "");
    // The trigram index serves it.
    let plan = pg.admin_sql(
        DBNAME,
        "SET enable_seqscan = off; EXPLAIN SELECT id FROM requests WHERE \
         rightsdesk_search_text(subject_name, subject_email, reference, notes) LIKE '%elodie%'",
    );
    assert!(plan.contains("requests_search"), "{plan}");
    // Text sorts byte by byte, as SQLite's BINARY: upper case before lower, 'É' after 'z'.
    pg.psql("ana", &ana, DBNAME, &insert_request("r3", 3).replace("'Ada Example'", "'zed'")).unwrap();
    assert_eq!(
        pg.admin_sql(DBNAME, "SELECT string_agg(subject_name, '|' ORDER BY subject_name) FROM requests"),
        "Ada Example|zed|Élodie Zoë Martin"
    );
    // The acknowledgement's due date is read from the schedule's JSON by the open tallies.
    assert_eq!(pg.admin_sql(DBNAME, "SELECT ack || '=' || n FROM request_open_dates"), "2026-02-03=3");
}

#[test]
fn only_a_database_administrator_initialises_the_register_or_adds_people() {
    let pg = Pg::start();
    init(&pg);
    let ana = add(&pg, "ana", "officer");
    let e = refused(rightsdesk(&pg.url("ana"), &ana, &["team", "init"]));
    assert!(e.contains("only a database administrator may create the register"), "{e}");
    let e = refused(rightsdesk(&pg.url("ana"), &ana, &["team", "add", "mallory", "--role", "admin"]));
    assert!(e.contains("only a database administrator may create a login"), "{e}");
    assert_eq!(pg.admin_sql(DBNAME, "SELECT count(*) FROM pg_roles WHERE rolname = 'mallory'"), "0");
}

#[test]
fn the_password_also_comes_from_pgpassword_or_a_private_pgpass_file() {
    let pg = Pg::start();
    init(&pg);
    let ana = add(&pg, "ana", "officer");
    let home = tempfile::tempdir().unwrap();
    let list = |env: &[(&str, &str)]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_rightsdesk"));
        c.args(["--db", &pg.url("ana"), "team", "list", "--json"])
            .env_remove("RIGHTSDESK_DB_PASSWORD")
            .env_remove("PGPASSWORD")
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .env("HOME", home.path())
            .env("PGPASSFILE", home.path().join("pgpass"));
        for (k, v) in env {
            c.env(k, v);
        }
        c.output().unwrap()
    };
    assert!(ok(list(&[("PGPASSWORD", &ana)])).contains("\"ana\""));
    // A pgpass line with wildcards; ignored while others may read the file, as libpq does.
    let file = home.path().join("pgpass");
    std::fs::write(&file, format!("localhost:{}:*:ana:{ana}\n", pg.port)).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let e = refused(list(&[]));
    assert!(e.contains("none was found"), "{e}");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    assert!(ok(list(&[])).contains("\"ana\""));
}

#[test]
fn a_password_kept_in_the_os_keyring_is_used_and_a_wrong_one_is_never_kept() {
    let pg = Pg::start();
    init(&pg);
    let ana = add(&pg, "ana", "officer");
    let home = tempfile::tempdir().unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::create_dir(home.path().join("run")).unwrap();
        std::fs::set_permissions(home.path().join("run"), std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    // One private D-Bus session with GNOME Keyring on it, as the OS keyring.
    let script = "set -e
        printf %s 'keyring test password' | gnome-keyring-daemon --unlock --components=secrets >/dev/null
        if printf '%s\\n' 'not-her-password' | \"$RD\" --db \"$URL\" team remember 2>err; then echo kept-wrong; fi
        cat err; echo ---
        \"$RD\" --db \"$URL\" team list --json 2>&1 || true; echo ---
        printf '%s\\n' \"$PW\" | \"$RD\" --db \"$URL\" team remember; echo ---
        \"$RD\" --db \"$URL\" team list --json; echo ---
        \"$RD\" --db \"$URL\" team forget; echo ---
        \"$RD\" --db \"$URL\" team list --json 2>&1 || true";
    let out = Command::new("dbus-run-session")
        .args(["--", "bash", "-c", script])
        .current_dir(home.path())
        .env("RD", env!("CARGO_BIN_EXE_rightsdesk"))
        .env("URL", pg.url("ana"))
        .env("PW", &ana)
        .env_remove("RIGHTSDESK_DB_PASSWORD")
        .env_remove("PGPASSWORD")
        .env("HOME", home.path())
        .env("PGPASSFILE", home.path().join("none"))
        .env("XDG_RUNTIME_DIR", home.path().join("run"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .output()
        .expect("run dbus-run-session (dbus, scripts/install-deps.sh)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    let parts: Vec<&str> = stdout.split("---").collect();
    assert_eq!(parts.len(), 6, "{stdout}");
    assert!(!parts[0].contains("kept-wrong") && parts[0].contains("refused the password for ana"), "{}", parts[0]);
    assert!(!parts[0].contains("not-her-password"), "{}", parts[0]);
    assert!(parts[1].contains("none was found"), "the wrong password was not kept: {}", parts[1]);
    assert!(parts[2].contains("is in the OS keyring"), "{}", parts[2]);
    assert!(parts[3].contains("\"ana\""), "the kept password logs in: {}", parts[3]);
    assert!(parts[4].contains("Removed the password"), "{}", parts[4]);
    assert!(parts[5].contains("none was found"), "{}", parts[5]);
    assert!(!stdout.contains(&ana), "the password is never printed");
}

#[test]
fn a_certificate_issued_for_another_host_is_refused_and_nothing_is_sent() {
    let pg = Pg::start_with_tls(pg::PgTls::generate_for(&["db.example.org"], false));
    let e = refused(rightsdesk(&pg.admin_url(), pg.admin_password(), &["team", "init"]));
    assert!(e.contains("the server's certificate at localhost:"), "{e}");
    assert!(e.contains("it is not issued for localhost"), "{e}");
    assert!(!e.contains(pg.admin_password()), "{e}");
    // Nothing was created: the password never reached the server, and neither did init.
    assert_eq!(pg.admin_sql(DBNAME, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), "0");
    // By its IP address, which the certificate does not name either.
    let e = refused(rightsdesk(&pg.admin_url().replace("@localhost:", "@127.0.0.1:"), pg.admin_password(), &["team", "list"]));
    assert!(e.contains("it is not issued for 127.0.0.1"), "{e}");
}

/// The columns of every table of a register: (table, column, kind, not null), in order. Kinds
/// are SQLite's declared types, PostgreSQL's mapped to them (docs/design/team-register.md).
type Columns = Vec<(String, String, String, bool)>;

#[test]
fn the_team_register_has_the_local_files_tables_and_columns_so_one_set_of_services_reads_both() {
    // The local file, as this version writes it (every SQLite migration applied).
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("register.sqlite3");
    let out = common::run(&file, "2025-02-01T09:00:00Z", common::ADA);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let c = rusqlite::Connection::open(&file).unwrap();
    c.pragma_update(None, "key", common::PASSPHRASE).unwrap();
    c.execute_batch(&rightsdesk_core::store::PageHmac::NEW.pragma(None)).unwrap();
    let mut sqlite: Columns = Vec::new();
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
    for t in &tables {
        let mut stmt =
            c.prepare(&format!("SELECT name, upper(type), \"notnull\" OR pk FROM pragma_table_info('{t}') ORDER BY cid")).unwrap();
        for row in stmt.query_map([], |r| Ok((t.clone(), r.get(0)?, r.get(1)?, r.get(2)?))).unwrap() {
            sqlite.push(row.unwrap());
        }
    }
    // The team register, as `team init` writes it.
    let pg = Pg::start();
    init(&pg);
    let listed = pg.admin_sql(
        DBNAME,
        "SELECT string_agg(table_name || '|' || column_name || '|' || \
            CASE data_type WHEN 'bigint' THEN 'INTEGER' WHEN 'text' THEN 'TEXT' WHEN 'bytea' THEN 'BLOB' ELSE data_type END \
            || '|' || (is_nullable = 'NO')::text, E'\\n' ORDER BY table_name, ordinal_position) \
         FROM information_schema.columns WHERE table_schema = 'public' \
         AND table_name NOT IN ('schema_version', 'events_issued', 'stored_chunks')",
    );
    // Kept out, as PostgreSQL's own: `schema_version` is SQLite's `PRAGMA user_version`, and
    // `events_issued` its `sqlite_sequence` row for `events` (an identity sequence is not rolled
    // back, so the team register keeps the highest event number issued in a table), and
    // `stored_chunks` the local file's evidence folder (the sealed files kept beside it).
    let postgres: Columns = listed
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split('|').collect();
            (f[0].to_string(), f[1].to_string(), f[2].to_string(), f[3] == "true")
        })
        .collect();
    let only_in = |a: &Columns, b: &Columns| a.iter().filter(|x| !b.contains(x)).cloned().collect::<Vec<_>>();
    assert_eq!(only_in(&sqlite, &postgres), vec![], "in the local file's schema, not (so) in the team register's");
    assert_eq!(only_in(&postgres, &sqlite), vec![], "in the team register's schema, not (so) in the local file's");
    assert!(sqlite.len() > 200, "{} columns compared", sqlite.len());
}
