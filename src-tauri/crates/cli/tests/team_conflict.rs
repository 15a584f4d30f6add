//! Two people on one team register (issue 18 item 4), with the CLI against a real
//! PostgreSQL 15 (`tests/pg/harness.rs`): `request status --expect-version N` on a copy
//! someone else has changed since is refused naming that person's login and the time,
//! writing nothing; `request list --assigned-to-me` lists the requests with an open task
//! assigned to the login connected (`session_user`), whatever USER says.

#[path = "../../../../tests/pg/harness.rs"]
mod pg;
#[path = "common/team.rs"]
mod team_cli;

use std::process::Output;

use pg::Pg;
use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::datamap::{self, SystemInput, SystemText};
use rightsdesk_core::store::pg::PgUrl;
use rightsdesk_core::store::{PgDb, Store};
use rightsdesk_core::tasks;
use serde_json::Value;
use team_cli::{json, team};

/// `rightsdesk ARGS --db <url>` with `password` from RIGHTSDESK_DB_PASSWORD; USER says mallory.
fn rightsdesk(url: &str, password: &str, args: &[&str]) -> Output {
    let (mut c, _home) = team_cli::command(url, password, args);
    c.env("RIGHTSDESK_NOW", "2026-02-02T09:30:00Z").env("USER", "mallory").env("USERNAME", "mallory").output().expect("run rightsdesk")
}

fn add(url: &str, password: &str, name: &str, email: &str) -> Value {
    let args = ["request", "add", "--type", "erasure", "--regime", "eu-gdpr", "--jurisdiction", "DE", "--received", "2026-01-30"];
    let mut args = args.to_vec();
    args.extend(["--name", name, "--email", email, "--json"]);
    json(rightsdesk(url, password, &args))
}

fn references(listed: &Value) -> Vec<&str> {
    listed.as_array().unwrap().iter().map(|r| r["reference"].as_str().unwrap()).collect()
}

#[test]
fn a_stale_status_change_names_the_other_login_and_assigned_to_me_is_the_login_connected() {
    let pg = Pg::start();
    let people = team(&pg.admin_url(), pg.admin_password(), &[("ada", "admin"), ("olga", "officer"), ("pete", "officer")]);
    let (ada, olga, pete) = (pg.url("ada"), pg.url("olga"), pg.url("pete"));
    // The admin puts a system on the data map, so each erasure request gets a task.
    let admin = PgDb::connect(&PgUrl::parse(&ada).unwrap(), Some(&people["ada"])).unwrap();
    let clock = FixedClock::at("2026-02-02");
    let system = SystemInput {
        name: "CRM".into(),
        vendor: "Example Vendor".into(),
        role: "own".into(),
        text: SystemText { purposes: "Customer support".into(), ..Default::default() },
    };
    datamap::save(Store::from(&admin), &clock, None, &system, "ada").unwrap();
    let first = add(&olga, &people["olga"], "Ada Example", "ada@example.org");
    let second = add(&olga, &people["olga"], "Bob Sample", "bob@example.org");
    let first_ref = first["reference"].as_str().unwrap();

    // Pete reads the request; Olga changes it; Pete's change on what he read is refused.
    let shown = json(rightsdesk(&pete, &people["pete"], &["request", "show", first_ref, "--json"]));
    let v = shown["version"].as_i64().unwrap().to_string();
    json(rightsdesk(&olga, &people["olga"], &["request", "status", first_ref, "in-progress", "--expect-version", &v, "--json"]));
    let refused =
        rightsdesk(&pete, &people["pete"], &["request", "status", first_ref, "refused", "--reason", "unfounded", "--expect-version", &v]);
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("changed by olga at 2026-02-02 09:30:00 UTC — reload"), "{said}");
    let now = json(rightsdesk(&pete, &people["pete"], &["request", "show", first_ref, "--json"]));
    assert_eq!(now["request"]["status"], "in-progress", "Olga's change intact, nothing of Pete's written");
    assert_eq!(now["timeline"].as_array().unwrap().len(), shown["timeline"].as_array().unwrap().len() + 1);

    // The first request's task is Olga's, the second's Pete's.
    tasks::assign(Store::from(&admin), &clock, &format!("{first_ref}#1"), Some("olga"), "ada", None).unwrap();
    let second_ref = second["reference"].as_str().unwrap();
    tasks::assign(Store::from(&admin), &clock, &format!("{second_ref}#1"), Some("pete"), "ada", None).unwrap();
    let mine = json(rightsdesk(&olga, &people["olga"], &["request", "list", "--assigned-to-me", "--json"]));
    assert_eq!(references(&mine), vec![first_ref], "olga's, whatever USER says");
    let mine = json(rightsdesk(&pete, &people["pete"], &["request", "list", "--assigned-to-me", "--json"]));
    assert_eq!(references(&mine), vec![second_ref]);
    let mine = json(rightsdesk(&ada, &people["ada"], &["request", "list", "--assigned-to-me", "--json"]));
    assert!(references(&mine).is_empty(), "none is ada's");
}

/// `task list | assign | done | reopen` on a team register from the command line: the
/// assignment and the closing are on the timeline under the login (USER says mallory), a
/// stale `--expect-version` is refused, and an auditor's assignment is refused by the server.
#[test]
fn tasks_are_assigned_and_closed_from_the_command_line_under_the_login() {
    let pg = Pg::start();
    let people =
        team(&pg.admin_url(), pg.admin_password(), &[("ada", "admin"), ("olga", "officer"), ("pete", "officer"), ("aud", "auditor")]);
    let (ada, olga, pete, aud) = (pg.url("ada"), pg.url("olga"), pg.url("pete"), pg.url("aud"));
    let admin = PgDb::connect(&PgUrl::parse(&ada).unwrap(), Some(&people["ada"])).unwrap();
    let system = SystemInput {
        name: "CRM".into(),
        vendor: "Example Vendor".into(),
        role: "own".into(),
        text: SystemText { purposes: "Customer support".into(), ..Default::default() },
    };
    datamap::save(Store::from(&admin), &FixedClock::at("2026-02-02"), None, &system, "ada").unwrap();
    let added = add(&olga, &people["olga"], "Ada Example", "ada@example.org");
    let reference = added["reference"].as_str().unwrap();
    let task = format!("{reference}#1");

    let listed = json(rightsdesk(&pete, &people["pete"], &["task", "list", reference, "--json"]));
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
    assert!(listed[0]["assignee"].is_null());

    let version = json(rightsdesk(&olga, &people["olga"], &["request", "show", reference, "--json"]))["version"].as_i64().unwrap();
    let assigned =
        json(rightsdesk(&olga, &people["olga"], &["task", "assign", &task, "pete", "--expect-version", &version.to_string(), "--json"]));
    assert_eq!(assigned["assignee"], "pete");
    let mine = json(rightsdesk(&pete, &people["pete"], &["request", "list", "--assigned-to-me", "--json"]));
    assert_eq!(references(&mine), vec![reference]);

    // The same stale version again: refused, naming olga; the task stays pete's.
    let stale = rightsdesk(&pete, &people["pete"], &["task", "assign", &task, "--nobody", "--expect-version", &version.to_string()]);
    assert!(!stale.status.success());
    assert!(String::from_utf8_lossy(&stale.stderr).contains("changed by olga at"), "{}", String::from_utf8_lossy(&stale.stderr));

    // The auditor may read the tasks but not assign them: the server refuses.
    let listed = json(rightsdesk(&aud, &people["aud"], &["task", "list", reference, "--json"]));
    assert_eq!(listed[0]["assignee"], "pete");
    let refused = rightsdesk(&aud, &people["aud"], &["task", "assign", &task, "aud"]);
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("refused this change") && said.contains("auditor"), "{said}");

    let closed = json(rightsdesk(&pete, &people["pete"], &["task", "done", &task, "--note", "deleted in the CRM", "--json"]));
    assert_eq!(closed["status"], "done");
    assert_eq!(closed["closed_by"], "pete", "the login, not USER");
    let reopened = json(rightsdesk(&olga, &people["olga"], &["task", "reopen", &task, "--note", "one record left", "--json"]));
    assert_eq!(reopened["status"], "open");

    let shown = json(rightsdesk(&aud, &people["aud"], &["request", "show", reference, "--json"]));
    let actors: Vec<&str> = shown["timeline"].as_array().unwrap().iter().map(|e| e["actor"].as_str().unwrap()).collect();
    assert!(!actors.contains(&"mallory"), "{actors:?}");
    assert!(actors.contains(&"pete") && actors.contains(&"olga"), "{actors:?}");
    assert_eq!(shown["version"].as_i64().unwrap(), version + 3, "assign, done, reopen: three events, nothing from the refused ones");
}
