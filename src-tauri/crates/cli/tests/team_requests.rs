//! The request commands on a team register (issue 18): `rightsdesk --db postgresql://…`
//! `request add | list | show | status` and `audit verify` against a real PostgreSQL 15
//! (`tests/pg/harness.rs`, TLS with `verify-full`), as team members added with `team add`.
//! What the server recorded is read back with `psql` (not through Rightsdesk).

#[path = "../../../../tests/pg/harness.rs"]
mod pg;
#[path = "common/team.rs"]
mod team_cli;

use std::collections::{BTreeMap, BTreeSet};
use std::process::{Command, Output};
use std::sync::Barrier;

use pg::{Pg, DBNAME};
use serde_json::Value;
use team_cli::{json_of as json, ok, team};

/// `rightsdesk ARGS --db <url>` with `password` from RIGHTSDESK_DB_PASSWORD and no other source
/// of one; `USER` (what the local file records as the actor) set to someone else on purpose.
fn rightsdesk(url: &str, password: &str, args: &[&str]) -> Output {
    let (mut c, _home) = command(password, args);
    c.arg("--db").arg(url).output().expect("run rightsdesk")
}

/// The command, and the empty home it runs in (removed when dropped).
fn command(password: &str, args: &[&str]) -> (Command, tempfile::TempDir) {
    let (mut c, home) = team_cli::without_db(password, args);
    c.env("USER", "mallory").env("USERNAME", "mallory");
    (c, home)
}

/// The standard error of a run that must fail, having printed nothing as done.
fn refused(out: Output) -> String {
    assert!(out.stdout.is_empty(), "nothing printed as done: {}", String::from_utf8_lossy(&out.stdout));
    team_cli::refused(out)
}

fn add_args<'a>(name: &'a str, email: &'a str, kind: &'a str) -> Vec<&'a str> {
    vec![
        "request",
        "add",
        "--type",
        kind,
        "--regime",
        "eu-gdpr",
        "--jurisdiction",
        "DE",
        "--received",
        "2026-01-30",
        "--name",
        name,
        "--email",
        email,
        "--json",
    ]
}

fn subjects(list: &Value) -> Vec<String> {
    list.as_array().unwrap().iter().map(|r| r["subject"]["name"].as_str().unwrap().to_string()).collect()
}

#[test]
fn an_officer_registers_lists_searches_shows_and_changes_status_on_record_under_their_login() {
    let pg = Pg::start();
    let pw = team(&pg.admin_url(), pg.admin_password(), &[("olga", "officer"), ("carl", "auditor")]);
    let olga = |args: &[&str]| rightsdesk(&pg.url("olga"), &pw["olga"], args);

    let ada = json(ok(olga(&add_args("Ada Example", "ada@example.org", "access"))));
    let bob = json(ok(olga(&add_args("Bob Builder", "bob@example.net", "erasure"))));
    let ada_ref = ada["reference"].as_str().unwrap().to_string();
    assert!(ada_ref.ends_with("-0001"), "{ada_ref}");
    assert!(bob["reference"].as_str().unwrap().ends_with("-0002"), "{bob}");
    assert!(ada["due"].as_str().is_some_and(|d| d.starts_with("2026-0")), "a due date: {ada}");
    assert_eq!(pg.admin_sql(DBNAME, "SELECT count(*) FROM requests"), "2");

    // The list, its filters, search and sort.
    let text = ok(olga(&["request", "list"]));
    assert!(text.contains(&ada_ref) && text.contains("Bob Builder"), "{text}");
    assert_eq!(subjects(&json(ok(olga(&["request", "list", "--search", "ada@exa", "--json"])))), ["Ada Example"]);
    assert_eq!(subjects(&json(ok(olga(&["request", "list", "--search", "builder", "--json"])))), ["Bob Builder"]);
    assert_eq!(subjects(&json(ok(olga(&["request", "list", "--type", "erasure", "--json"])))), ["Bob Builder"]);
    assert_eq!(subjects(&json(ok(olga(&["request", "list", "--sort", "subject", "--json"])))), ["Ada Example", "Bob Builder"]);
    assert_eq!(subjects(&json(ok(olga(&["request", "list", "--sort", "reference", "--json"])))), ["Ada Example", "Bob Builder"]);

    // A status change, found by its reference in another letter case.
    let loaded = json(ok(olga(&["request", "show", &ada_ref, "--json"])))["version"].clone();
    assert!(loaded.is_i64(), "request show prints the version a change may expect");
    let changed = json(ok(olga(&["request", "status", &ada_ref.to_lowercase(), "in-progress", "--json"])));
    assert_eq!(changed["request"]["status"], "in-progress", "{changed}");
    assert_eq!(pg.admin_sql(DBNAME, &format!("SELECT status FROM requests WHERE reference = '{ada_ref}'")), "in-progress");
    let e = refused(olga(&["request", "status", &ada_ref, "refused"]));
    assert!(e.contains("reason"), "refusing needs a reason: {e}");
    // A change made on what was loaded before that change is refused, naming who changed it.
    let stale = loaded.to_string();
    let e = refused(olga(&["request", "status", &ada_ref, "paused", "--expect-version", &stale]));
    assert!(e.contains("changed by olga at") && e.contains("reload"), "{e}");
    assert_eq!(pg.admin_sql(DBNAME, &format!("SELECT status FROM requests WHERE reference = '{ada_ref}'")), "in-progress");

    // Shown with its dates and timeline, under the officer's login, not USER's.
    let shown = ok(olga(&["request", "show", &ada_ref]));
    assert!(shown.contains("Ada Example") && shown.contains("timeline:") && shown.contains("how the date was reached"), "{shown}");
    assert!(shown.contains("(olga)") && !shown.contains("mallory"), "{shown}");
    assert!(!shown.contains("not shown") && !shown.contains("letters:"), "nothing sent, nothing left out: {shown}");
    let detail = json(ok(olga(&["request", "show", &ada_ref, "--json"])));
    let actors: BTreeSet<&str> = detail["timeline"].as_array().unwrap().iter().map(|e| e["actor"].as_str().unwrap()).collect();
    assert_eq!(actors, BTreeSet::from(["olga"]));
    assert!(detail["timeline"].as_array().unwrap().len() >= 2, "registered and moved: {detail}");
    assert_eq!(pg.admin_sql(DBNAME, "SELECT string_agg(DISTINCT actor, ',') FROM events"), "olga");
    assert_eq!(pg.admin_sql(DBNAME, "SELECT string_agg(DISTINCT actor, ',') FROM audit_chain"), "olga");

    // RIGHTSDESK_DB works as --db does.
    let (mut c, _home) = command(&pw["olga"], &["request", "list", "--json"]);
    let listed = c.env("RIGHTSDESK_DB", pg.url("olga")).output().unwrap();
    assert_eq!(subjects(&json(ok(listed))).len(), 2);

    // The auditor verifies the trail.
    let verified = ok(rightsdesk(&pg.url("carl"), &pw["carl"], &["audit", "verify"]));
    assert!(verified.contains("the audit trail is intact"), "{verified}");

    assert_eq!(pg.admin_sql(DBNAME, "SELECT count(*) FROM settings"), "0");
}

#[test]
fn the_server_refuses_an_auditors_registration_and_status_change_and_the_auditor_verifies() {
    let pg = Pg::start();
    let pw = team(&pg.admin_url(), pg.admin_password(), &[("olga", "officer"), ("carl", "auditor")]);
    let olga = json(ok(rightsdesk(&pg.url("olga"), &pw["olga"], &add_args("Ada Example", "ada@example.org", "access"))));
    let reference = olga["reference"].as_str().unwrap();
    let carl = |args: &[&str]| rightsdesk(&pg.url("carl"), &pw["carl"], args);
    let count = |table: &str| pg.psql("pgadmin", pg.admin_password(), DBNAME, &format!("SELECT count(*) FROM {table}")).unwrap();
    let before = [count("requests"), count("events"), count("audit_chain"), count("tasks")];

    let e = refused(carl(&add_args("Eve Example", "eve@example.org", "access")));
    assert!(e.contains("the team register's server refused this change"), "{e}");
    assert!(e.contains("carl is in the auditor role, which reads everything and verifies the audit trail but changes nothing"), "{e}");
    assert!(e.contains("nothing was written") && e.contains("permission denied"), "{e}");
    let e = refused(carl(&["request", "status", reference, "in-progress"]));
    assert!(e.contains("carl is in the auditor role") && e.contains("nothing was written"), "{e}");

    assert_eq!([count("requests"), count("events"), count("audit_chain"), count("tasks")], before, "nothing written");
    assert_eq!(pg.admin_sql(DBNAME, "SELECT status FROM requests"), "received");
    // The auditor reads what the officer wrote, and verifies the trail.
    let listed = json(ok(carl(&["request", "list", "--json"])));
    assert_eq!(subjects(&listed), ["Ada Example"]);
    let verified = json(ok(carl(&["audit", "verify", "--json"])));
    assert_eq!(verified["intact"], true, "{verified}");
    assert!(verified["checked"].as_u64().unwrap() >= 1);
}

/// Requests each of the four processes registers, one after another.
const EACH: usize = 25;

#[test]
fn four_processes_registering_at_once_get_distinct_references_without_a_gap_and_one_chain_each_under_its_login() {
    let pg = Pg::start();
    let officers = ["ana", "ben", "cleo", "dev"];
    let people: Vec<(&str, &str)> = officers.iter().map(|o| (*o, "officer")).collect();
    let pw = team(&pg.admin_url(), pg.admin_password(), &people);
    let start = Barrier::new(officers.len());
    let registered: Vec<(String, Vec<String>)> = std::thread::scope(|s| {
        let running: Vec<_> = officers
            .iter()
            .map(|officer| {
                let (start, pw, pg) = (&start, &pw, &pg);
                s.spawn(move || {
                    start.wait();
                    let mut refs = Vec::new();
                    for i in 0..EACH {
                        let name = format!("Subject {officer} {i}");
                        let email = format!("{officer}{i}@example.org");
                        let out = rightsdesk(&pg.url(officer), &pw[*officer], &add_args(&name, &email, "access"));
                        refs.push(json(ok(out))["reference"].as_str().unwrap().to_string());
                    }
                    (officer.to_string(), refs)
                })
            })
            .collect();
        running.into_iter().map(|t| t.join().unwrap()).collect()
    });
    let all: BTreeSet<&String> = registered.iter().flat_map(|(_, refs)| refs).collect();
    assert_eq!(all.len(), officers.len() * EACH, "distinct references");
    let numbers: BTreeSet<u32> = all.iter().map(|r| r.rsplit('-').next().unwrap().parse().unwrap()).collect();
    assert_eq!(numbers, (1..=(officers.len() * EACH) as u32).collect(), "numbered without a gap");
    // Each registration's events are on record under the login of the process that made it.
    let on_record: BTreeMap<String, BTreeSet<String>> = pg
        .admin_sql(DBNAME, "SELECT r.reference || '|' || e.actor FROM events e JOIN requests r ON r.id = e.request_id")
        .lines()
        .fold(BTreeMap::new(), |mut m, l| {
            let (reference, actor) = l.split_once('|').unwrap();
            m.entry(reference.to_string()).or_default().insert(actor.to_string());
            m
        });
    assert_eq!(on_record.len(), officers.len() * EACH);
    for (officer, refs) in &registered {
        for r in refs {
            assert_eq!(on_record[r], BTreeSet::from([officer.clone()]), "{r}");
        }
    }
    let verified = json(ok(rightsdesk(&pg.url("ana"), &pw["ana"], &["audit", "verify", "--json"])));
    assert_eq!(verified["intact"], true, "{verified}");
    assert!(verified["checked"].as_u64().unwrap() >= (officers.len() * EACH) as u64);
}
