//! A team register backed up and restored with the server's own tools, as the README's
//! "Running it on the organisation's PostgreSQL" says: `pg_dump -Fc` of the database, the
//! database dropped and created again under the same name (the group roles carry the
//! database's name, `docs/design/team-register.md`), `pg_restore`, and then the officer's
//! `request list`, `audit verify` and a new registration through `rightsdesk --db …` against
//! a real PostgreSQL 15 (`tests/pg/harness.rs`, TLS with `verify-full`). The server's
//! binaries come from the harness's `BIN` and log in as its administrator over its port.
//! `pg_restore -d` into a database created by hand leaves out the database's own rights
//! (CONNECT taken from PUBLIC by `team init`); `pg_restore --create` or a second `team init`
//! brings them back. The second test restores onto a new server, the people read in first
//! from `pg_dumpall --roles-only`.

#[path = "../../../../tests/pg/harness.rs"]
mod pg;
#[path = "common/team.rs"]
mod team_cli;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use pg::{Pg, ADMIN, BIN, DBNAME};
use serde_json::Value;
use team_cli::{add_args, json_of as json, ok, refused};

/// `rightsdesk ARGS --db <url>` with `password` from RIGHTSDESK_DB_PASSWORD and no other source
/// of one, in an empty home; USER says mallory.
fn rightsdesk(url: &str, password: &str, args: &[&str]) -> Output {
    let (mut c, _home) = team_cli::command(url, password, args);
    c.env("USER", "mallory").env("USERNAME", "mallory").output().expect("run rightsdesk")
}

/// One of the server's own tools (`pg_dump`, `pg_restore`) run as the database administrator
/// over TLS (`verify-full`) on the harness's port; panics with its output when it fails.
fn server_tool(pg: &Pg, program: &str, args: &[&str]) -> String {
    server_tool_as(pg.admin_password(), program, args)
}

/// [`server_tool`] with the administrator's `password` given.
fn server_tool_as(password: &str, program: &str, args: &[&str]) -> String {
    let out = Command::new(Path::new(BIN).join(program))
        .args(args)
        .env("PGPASSWORD", password)
        .env("PGPASSFILE", "/dev/null")
        .env_remove("PGSERVICE")
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    assert!(
        out.status.success(),
        "{program} failed ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The libpq connection string of the administrator for `db`.
fn admin_conninfo(pg: &Pg, db: &str) -> String {
    format!("host=localhost port={} user={ADMIN} dbname={db} sslmode=verify-full sslrootcert={}", pg.port, pg.ca_file().display())
}

/// `request list --json` as reference → (subject, status).
fn listed(list: &Value) -> BTreeMap<String, (String, String)> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["reference"].as_str().unwrap().to_string(),
                (r["subject"]["name"].as_str().unwrap().to_string(), r["status"].as_str().unwrap().to_string()),
            )
        })
        .collect()
}

#[test]
fn a_team_register_dumped_with_pg_dump_and_restored_with_pg_restore_lists_verifies_and_numbers_on() {
    let pg = Pg::start();
    ok(rightsdesk(&pg.admin_url(), pg.admin_password(), &["team", "init"]));
    let added = json(ok(rightsdesk(&pg.admin_url(), pg.admin_password(), &["team", "add", "olga", "--role", "officer", "--json"])));
    let password = added["password"].as_str().unwrap().to_string();
    let olga = |args: &[&str]| rightsdesk(&pg.url("olga"), &password, args);

    // Three requests, and one of them moved on.
    let refs: Vec<String> = [("Ada Example", "ada@example.org"), ("Bob Builder", "bob@example.net"), ("Cleo Chen", "cleo@example.com")]
        .iter()
        .map(|(name, email)| json(ok(olga(&add_args(name, email))))["reference"].as_str().unwrap().to_string())
        .collect();
    let prefix = refs[0].strip_suffix("0001").unwrap_or_else(|| panic!("the first reference: {}", refs[0])).to_string();
    assert!(prefix.starts_with("DSR-"), "{prefix}");
    assert_eq!(refs, ["0001", "0002", "0003"].map(|n| format!("{prefix}{n}")));
    let moved = json(ok(olga(&["request", "status", &refs[1], "in-progress", "--json"])));
    assert_eq!(moved["request"]["status"], "in-progress", "{moved}");
    let before = listed(&json(ok(olga(&["request", "list", "--json"]))));
    let expected: BTreeMap<String, (String, String)> =
        [(&refs[0], "Ada Example", "received"), (&refs[1], "Bob Builder", "in-progress"), (&refs[2], "Cleo Chen", "received")]
            .iter()
            .map(|(r, n, s)| (r.to_string(), (n.to_string(), s.to_string())))
            .collect();
    assert_eq!(before, expected);
    let verified = json(ok(olga(&["audit", "verify", "--json"])));
    assert_eq!(verified["intact"], true, "{verified}");
    let checked = verified["checked"].as_u64().unwrap();
    assert!(checked >= 4, "three registrations and a status change: {verified}");
    let issued = pg.admin_sql(DBNAME, "SELECT seq FROM events_issued");
    assert_eq!(issued, pg.admin_sql(DBNAME, "SELECT max(seq) FROM events"));
    // `team init` took CONNECT on the database from PUBLIC: a login of the cluster outside the team is turned away.
    let datacl = format!("SELECT coalesce(datacl::text, '') FROM pg_database WHERE datname = '{DBNAME}'");
    let rights = pg.admin_sql("postgres", &datacl);
    assert!(rights.contains("rightsdesk_officer=c/"), "{rights}");
    pg.admin_sql("postgres", "CREATE ROLE nosy LOGIN PASSWORD 'nosy-pw'");
    let e = pg.psql("nosy", "nosy-pw", DBNAME, "SELECT 1").unwrap_err();
    assert!(e.contains("permission denied for database"), "{e}");

    // The backup: the server's own `pg_dump -Fc`.
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("rightsdesk.dump");
    server_tool(&pg, "pg_dump", &["-Fc", "-f", dump.to_str().unwrap(), "-d", &admin_conninfo(&pg, DBNAME)]);
    assert!(std::fs::metadata(&dump).unwrap().len() > 0);

    // The database lost, and an empty one created under the same name: nothing to list.
    pg.admin_sql("postgres", &format!("DROP DATABASE {DBNAME}"));
    let e = refused(olga(&["request", "list"]));
    assert!(!e.contains(&password), "{e}");
    pg.admin_sql("postgres", &format!("CREATE DATABASE {DBNAME}"));
    let e = refused(olga(&["request", "list", "--json"]));
    assert!(e.contains("team init"), "an empty database is no register: {e}");

    // The restore: `pg_restore` into it, stopping at the first error.
    server_tool(&pg, "pg_restore", &["--exit-on-error", "-d", &admin_conninfo(&pg, DBNAME), dump.to_str().unwrap()]);

    // The officer logs in as before and sees the three requests with their references and the change.
    assert_eq!(listed(&json(ok(olga(&["request", "list", "--json"])))), expected);
    let text = ok(olga(&["request", "list"]));
    assert!(refs.iter().all(|r| text.contains(r.as_str())) && text.contains("Bob Builder"), "{text}");
    let shown = json(ok(olga(&["request", "show", &refs[1], "--json"])));
    assert!(shown["timeline"].as_array().unwrap().len() >= 2, "registered and moved: {shown}");
    let verified = json(ok(olga(&["audit", "verify", "--json"])));
    assert_eq!(verified["intact"], true, "{verified}");
    assert_eq!(verified["checked"].as_u64().unwrap(), checked, "{verified}");
    assert_eq!(pg.admin_sql(DBNAME, "SELECT seq FROM events_issued"), issued, "the highest event number issued came back");

    // The next registration takes the next reference and event numbers, and the trail stays intact.
    let next = json(ok(olga(&add_args("Dan Dare", "dan@example.org"))));
    assert_eq!(next["reference"].as_str().unwrap(), format!("{prefix}0004"), "{next}");
    let verified = json(ok(olga(&["audit", "verify", "--json"])));
    assert_eq!(verified["intact"], true, "{verified}");
    assert!(verified["checked"].as_u64().unwrap() > checked, "{verified}");
    assert_eq!(pg.admin_sql(DBNAME, "SELECT seq FROM events_issued"), pg.admin_sql(DBNAME, "SELECT max(seq) FROM events"));
    assert!(pg.admin_sql(DBNAME, "SELECT max(seq) FROM events").parse::<i64>().unwrap() > issued.parse::<i64>().unwrap());
    assert_eq!(pg.admin_sql(DBNAME, "SELECT string_agg(DISTINCT actor, ',') FROM events"), "olga");

    // The database's own rights are not in the dump's data: into a database created by hand,
    // every login of the cluster may connect again until `team init` is rerun.
    assert_eq!(pg.admin_sql("postgres", &datacl), "", "the default rights of a new database");
    assert_eq!(pg.psql("nosy", "nosy-pw", DBNAME, "SELECT 1").as_deref(), Ok("1"));
    let e = pg.psql("nosy", "nosy-pw", DBNAME, "SELECT count(*) FROM requests").unwrap_err();
    assert!(e.contains("permission denied for table requests"), "the tables' rights came back: {e}");
    let counts = "SELECT (SELECT count(*) FROM requests) || '/' || (SELECT count(*) FROM events)";
    let held = pg.admin_sql(DBNAME, counts);
    ok(rightsdesk(&pg.admin_url(), pg.admin_password(), &["team", "init"]));
    assert_eq!(pg.admin_sql("postgres", &datacl), rights);
    let e = pg.psql("nosy", "nosy-pw", DBNAME, "SELECT 1").unwrap_err();
    assert!(e.contains("permission denied for database"), "{e}");
    assert_eq!(pg.admin_sql(DBNAME, counts), held, "team init changed no data");
    assert_eq!(json(ok(olga(&["audit", "verify", "--json"])))["intact"], true);

    // `pg_restore --create` makes the database itself, with its rights, from the same dump.
    pg.admin_sql("postgres", &format!("DROP DATABASE {DBNAME}"));
    server_tool(&pg, "pg_restore", &["--exit-on-error", "--create", "-d", &admin_conninfo(&pg, "postgres"), dump.to_str().unwrap()]);
    assert_eq!(pg.admin_sql("postgres", &datacl), rights);
    let e = pg.psql("nosy", "nosy-pw", DBNAME, "SELECT 1").unwrap_err();
    assert!(e.contains("permission denied for database"), "{e}");
    assert_eq!(listed(&json(ok(olga(&["request", "list", "--json"])))), expected);
    let verified = json(ok(olga(&["audit", "verify", "--json"])));
    assert_eq!((verified["intact"].clone(), verified["checked"].as_u64().unwrap()), (Value::Bool(true), checked), "{verified}");
    let next = json(ok(olga(&add_args("Dan Dare", "dan@example.org"))));
    assert_eq!(next["reference"].as_str().unwrap(), format!("{prefix}0004"), "{next}");
    assert_eq!(json(ok(olga(&["audit", "verify", "--json"])))["intact"], true);
}

#[test]
fn on_a_new_server_the_people_from_pg_dumpall_roles_only_log_in_to_the_restored_register_with_their_passwords() {
    let old = Pg::start();
    ok(rightsdesk(&old.admin_url(), old.admin_password(), &["team", "init"]));
    let added = json(ok(rightsdesk(&old.admin_url(), old.admin_password(), &["team", "add", "olga", "--role", "officer", "--json"])));
    let password = added["password"].as_str().unwrap().to_string();
    let olga = |pg: &Pg, args: &[&str]| rightsdesk(&pg.url("olga"), &password, args);
    let refs: Vec<String> = [("Ada Example", "ada@example.org"), ("Bob Builder", "bob@example.net"), ("Cleo Chen", "cleo@example.com")]
        .iter()
        .map(|(name, email)| json(ok(olga(&old, &add_args(name, email))))["reference"].as_str().unwrap().to_string())
        .collect();
    ok(olga(&old, &["request", "status", &refs[1], "in-progress", "--json"]));
    let before = listed(&json(ok(olga(&old, &["request", "list", "--json"]))));
    let checked = json(ok(olga(&old, &["audit", "verify", "--json"])))["checked"].as_u64().unwrap();

    // The backup: the people (`pg_dumpall --roles-only`) and the database (`pg_dump -Fc`).
    let dir = tempfile::tempdir().unwrap();
    let roles = dir.path().join("roles.sql");
    let dump = dir.path().join("rightsdesk.dump");
    server_tool(&old, "pg_dumpall", &["--roles-only", "-f", roles.to_str().unwrap(), "-d", &admin_conninfo(&old, "postgres")]);
    server_tool(&old, "pg_dump", &["-Fc", "-f", dump.to_str().unwrap(), "-d", &admin_conninfo(&old, DBNAME)]);
    let admin_password = old.admin_password().to_string();
    drop(old);

    // A new server, whose administrator has a password of their own until the roles are read in.
    let new = Pg::start();
    new.admin_sql("postgres", &format!("DROP DATABASE {DBNAME}"));
    let e = refused(olga(&new, &["request", "list"]));
    assert!(!e.contains(&password), "{e}");
    let out = Command::new(Path::new(BIN).join("psql"))
        .arg(admin_conninfo(&new, "postgres"))
        .args(["-X", "-q", "-f", roles.to_str().unwrap()])
        .env("PGPASSWORD", new.admin_password())
        .env("PGPASSFILE", "/dev/null")
        .env_remove("PGSERVICE")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let errors = String::from_utf8_lossy(&out.stderr);
    // The one error: the administrator that the new server already has.
    assert_eq!(errors.matches("ERROR").count(), 1, "{errors}");
    assert!(errors.contains(&format!("role \"{ADMIN}\" already exists")), "{errors}");
    // The roles file also brought the old administrator's password.
    server_tool_as(
        &admin_password,
        "pg_restore",
        &["--exit-on-error", "--create", "-d", &admin_conninfo(&new, "postgres"), dump.to_str().unwrap()],
    );

    assert_eq!(listed(&json(ok(olga(&new, &["request", "list", "--json"])))), before);
    let verified = json(ok(olga(&new, &["audit", "verify", "--json"])));
    assert_eq!((verified["intact"].clone(), verified["checked"].as_u64().unwrap()), (Value::Bool(true), checked), "{verified}");
    let next = json(ok(olga(&new, &add_args("Dan Dare", "dan@example.org"))));
    assert_eq!(next["reference"].as_str().unwrap(), refs[0].replace("0001", "0004"), "{next}");
    let verified = json(ok(olga(&new, &["audit", "verify", "--json"])));
    assert_eq!(verified["intact"], true, "{verified}");
    assert!(verified["checked"].as_u64().unwrap() > checked, "{verified}");
    let actors = new.psql(ADMIN, &admin_password, DBNAME, "SELECT string_agg(DISTINCT actor, ',') FROM events").unwrap();
    assert_eq!(actors, "olga");
}
