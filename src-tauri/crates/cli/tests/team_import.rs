//! Import and export on a team register (issue 18, item 1): `rightsdesk --db postgresql://…
//! import requests FILE [--dry-run]` and `export requests` against a real PostgreSQL 15
//! (`tests/pg/harness.rs`, TLS with `verify-full`), as team members added with `team add`.
//! All rows or none; the server records the login as the actor; an auditor's import is
//! refused by the server naming the role; the export equals the one of a register file that
//! imported the same CSV (but for the request ids). What the server recorded is read with `psql`.

mod common;
#[path = "../../../../tests/pg/harness.rs"]
mod pg;
#[path = "common/team.rs"]
mod team_cli;

use std::process::Output;

use pg::{Pg, DBNAME};
use team_cli::{json_of as json, ok, refused, team};

const NOW: &str = "2026-03-02T09:00:00Z";

const ROWS: &str = "type;regime;jurisdiction;name;email;customer_id;received;notes\n\
    access;eu-gdpr;DE;Zoë Müller;zoe@example.org;;2026-01-30;Über das Formular\n\
    erasure;eu-gdpr;FR;François Dupont;francois@example.fr;;2026-02-03;\n\
    rectification;uk-gdpr;GB-ENG;Grace Hopper;;C-1001;2026-02-14;by post\n";

/// `rightsdesk ARGS --db <url>` as `user` at [`NOW`], on UTC, in an empty home; `USER` set
/// to someone else on purpose (the server records the login, not what the client says).
fn rightsdesk(pg: &Pg, user: &str, password: &str, args: &[&str]) -> Output {
    let (mut c, home) = team_cli::command(&pg.url(user), password, args);
    c.env("RIGHTSDESK_NOW", NOW)
        .env("TZ", "UTC")
        .env("USER", "mallory")
        .env("USERNAME", "mallory")
        .env("XDG_DATA_HOME", home.path().join("data"))
        .output()
        .expect("run rightsdesk")
}

fn names(list: &serde_json::Value) -> Vec<String> {
    let mut names: Vec<String> = list.as_array().unwrap().iter().map(|r| r["subject"]["name"].as_str().unwrap().to_string()).collect();
    names.sort();
    names
}

/// The export's text with each request id replaced (ids are random on each register).
fn without_ids(text: &str) -> String {
    let mut lines = text.lines();
    let header = lines.next().unwrap_or_default().to_string();
    let rows = lines.map(|l| {
        let mut cells: Vec<&str> = l.splitn(3, ',').collect();
        cells[1] = "<id>";
        cells.join(",")
    });
    std::iter::once(header).chain(rows).collect::<Vec<_>>().join("\n")
}

#[test]
fn officers_import_a_csv_into_a_team_register_all_or_nothing_and_everyone_exports_it() {
    let pg = Pg::start();
    let people = team(&pg.admin_url(), pg.admin_password(), &[("olga", "officer"), ("axel", "auditor")]);
    let run = |user: &str, args: &[&str]| rightsdesk(&pg, user, &people[user], args);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("web form.csv");
    std::fs::write(&file, ROWS).unwrap();
    let path = file.to_str().unwrap();
    let counts = "SELECT (SELECT count(*) FROM requests) || '/' || (SELECT count(*) FROM events) || '/' || (SELECT count(*) FROM imports)";

    // A dry run shows each row and writes nothing.
    let preview = json(ok(run("olga", &["import", "requests", path, "--dry-run", "--json"])));
    assert_eq!((preview["ok"].as_u64(), preview["can_commit"].as_bool()), (Some(3), Some(true)), "{preview}");
    assert_eq!(pg.admin_sql(DBNAME, counts), "0/0/0");

    // A file with a bad row: refused naming its line and field, nothing written.
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, ROWS.replace("erasure;eu-gdpr", "erasur;eu-gdpr")).unwrap();
    let e = refused(run("olga", &["import", "requests", bad.to_str().unwrap()]));
    assert!(e.contains("line    3: error      type:") && e.contains("nothing was imported"), "{e}");
    assert_eq!(pg.admin_sql(DBNAME, counts), "0/0/0");

    // The auditor's import: refused by the server, naming the role; nothing written.
    let e = refused(run("axel", &["import", "requests", path]));
    assert!(e.contains("auditor") && e.contains("nothing was written"), "{e}");
    assert!(!e.contains(&people["axel"]), "no password in the message");
    assert_eq!(pg.admin_sql(DBNAME, counts), "0/0/0");

    // The officer's import: every row, with the login on record.
    let report = json(ok(run("olga", &["import", "requests", path, "--json"])));
    assert_eq!(report["imported"], 3, "{report}");
    assert_eq!(report["references"], serde_json::json!(["DSR-2026-0001", "DSR-2026-0002", "DSR-2026-0003"]));
    assert_eq!(pg.admin_sql(DBNAME, counts), "3/4/1", "three registrations and the import's own event");
    assert_eq!(pg.admin_sql(DBNAME, "SELECT string_agg(DISTINCT actor, ',') FROM events"), "olga");
    assert_eq!(pg.admin_sql(DBNAME, "SELECT actor || ' ' || file_name FROM imports"), "olga web form.csv");
    let listed = json(ok(run("axel", &["request", "list", "--json"])));
    assert_eq!(names(&listed), ["François Dupont", "Grace Hopper", "Zoë Müller"]);
    let shown = json(ok(run("axel", &["request", "show", "DSR-2026-0001", "--json"])));
    assert_eq!(shown["request"]["due"], "2026-03-02", "one month, rolled past the weekend: {shown}");
    assert_eq!(shown["timeline"][0]["kind"], "registered");
    // The same file again: every row a duplicate; with --skip-duplicates nothing new, refused.
    let again = refused(run("olga", &["import", "requests", path]));
    assert!(again.contains("duplicates") && again.contains("nothing was imported"), "{again}");
    let verified = ok(run("axel", &["audit", "verify"]));
    assert!(verified.contains("the audit trail is intact"), "{verified}");

    // The export: to standard output and to a file, by the auditor as by anyone.
    let csv = ok(run("axel", &["export", "requests", "--format", "csv"]));
    assert_eq!(csv.lines().count(), 4, "{csv}");
    let out = dir.path().join("register.csv");
    let written = json(ok(run("axel", &["export", "requests", "--format", "csv", "--out", out.to_str().unwrap(), "--json"])));
    assert_eq!(written["requests"], 3, "{written}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), csv);
    let exported = json(ok(run("olga", &["export", "requests", "--format", "json"])));
    assert_eq!(exported.as_array().unwrap().len(), 3);
    // Never over an existing file without --force.
    let e = refused(run("axel", &["export", "requests", "--format", "csv", "--out", out.to_str().unwrap()]));
    assert!(e.contains("exists") || e.contains("--force"), "{e}");

    // A register file that imported the same CSV exports the same text, but for the ids.
    let local = dir.path().join("local.sqlite3");
    let on_utc = |args: &[&str]| common::command(&local, NOW, args).env("TZ", "UTC").output().unwrap();
    let imported = on_utc(&["import", "requests", path]);
    assert!(imported.status.success(), "{}", String::from_utf8_lossy(&imported.stderr));
    let on_file = on_utc(&["export", "requests", "--format", "csv"]);
    assert!(on_file.status.success());
    assert_eq!(without_ids(&String::from_utf8(on_file.stdout).unwrap()), without_ids(&csv));
}
