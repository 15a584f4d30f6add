//! Tasks assigned to a team member on a team register (issue 18 item 4), in the real window
//! against a real PostgreSQL 15 (`tests/pg/harness.rs`, TLS with `verify-full`): the request
//! page of a team register shows its tasks; the task row offers the team's officers and
//! admins (not its auditor); Olga assigns a task to Pete; the row and the timeline say so,
//! on record under Olga's login; Pete's `request list --assigned-to-me` lists the request,
//! Olga's does not, and the window's "Assigned to me" (Olga's) shows nothing.
//!
//! Build first: `npm --prefix ui run build && cargo build -p rightsdesk-app -p rightsdesk-cli`.

#[path = "../../pg/harness.rs"]
mod pg;

use std::collections::BTreeMap;
use std::process::Command;

use pg::Pg;
use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::datamap::{self, SystemInput, SystemText};
use rightsdesk_core::store::pg::PgUrl;
use rightsdesk_core::store::{PgDb, Store};
use rightsdesk_e2e::{cli_bin, within, App, Options};
use serde_json::Value;

const LIST_SHOWN: &str = "table[data-testid=request-list], [data-testid=list-empty]";
const ROWS: &str = "table[data-testid=request-list] tbody tr[data-testid=request-row]";

/// `rightsdesk --db URL ARGS` with `password`; its standard output as JSON.
fn rightsdesk(url: &str, password: &str, args: &[&str]) -> Value {
    let home = tempfile::tempdir().unwrap();
    let out = Command::new(cli_bin())
        .arg("--db")
        .arg(url)
        .args(args)
        .env("RIGHTSDESK_DB_PASSWORD", password)
        .env("USER", "mallory")
        .env_remove("PGPASSWORD")
        .env_remove("RIGHTSDESK_DB")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env("HOME", home.path())
        .env("PGPASSFILE", home.path().join("none"))
        .output()
        .expect("run rightsdesk");
    assert!(out.status.success(), "rightsdesk {args:?}: {}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn references(listed: &Value) -> Vec<String> {
    listed.as_array().unwrap().iter().map(|r| r["reference"].as_str().unwrap().to_string()).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn on_a_team_register_a_task_is_assigned_to_a_member_offered_in_its_row() {
    within(async {
        let pg = Pg::start();
        rightsdesk(&pg.admin_url(), pg.admin_password(), &["team", "init", "--json"]);
        let people: BTreeMap<&str, String> = [("ada", "admin"), ("olga", "officer"), ("pete", "officer"), ("carl", "auditor")]
            .into_iter()
            .map(|(name, role)| {
                let v = rightsdesk(&pg.admin_url(), pg.admin_password(), &["team", "add", name, "--role", role, "--json"]);
                (name, v["password"].as_str().unwrap().to_string())
            })
            .collect();
        // The admin puts a system on the data map, so an erasure request gets a task (the
        // blocking PostgreSQL client on a thread of its own, outside the test's runtime).
        let (url, password) = (pg.url("ada"), people["ada"].clone());
        std::thread::spawn(move || {
            let admin = PgDb::new(rightsdesk_core::store::pg::connect(&PgUrl::parse(&url).unwrap(), Some(&password)).unwrap());
            let system = SystemInput {
                name: "CRM".into(),
                vendor: "Example Vendor".into(),
                role: "own".into(),
                text: SystemText { purposes: "Customer support".into(), ..Default::default() },
            };
            datamap::save(Store::from(&admin), &FixedClock::at("2026-02-02"), None, &system, "ada").unwrap();
        })
        .join()
        .unwrap();
        let (olga, pete) = (pg.url("olga"), pg.url("pete"));
        let added = rightsdesk(
            &olga,
            &people["olga"],
            &[
                "request",
                "add",
                "--type",
                "erasure",
                "--regime",
                "eu-gdpr",
                "--jurisdiction",
                "DE",
                "--received",
                "2026-01-30",
                "--name",
                "Ada Example",
                "--email",
                "ada@example.org",
                "--json",
            ],
        );
        let reference = added["reference"].as_str().unwrap().to_string();

        let app = App::start(Options::new().env("RIGHTSDESK_DB", &olga).env("RIGHTSDESK_DB_PASSWORD", &people["olga"])).await;
        app.wait_for(LIST_SHOWN).await;
        app.click("[data-testid=nav-requests]").await;
        app.wait_until("the request is listed", || async { app.count(ROWS).await == 1 }).await;
        app.click(&format!("tr[data-reference='{reference}'] td[data-col=subject]")).await;
        let row = "[data-testid=tasks-panel] li[data-testid=task]";
        app.wait_for(&format!("{row} [name=task-assignee]")).await;
        app.wait_for("datalist[data-testid=assignable-people]").await;
        let offered = app.js("return [...document.querySelectorAll('#assignable-people option')].map(o => o.value);", vec![]).await;
        assert_eq!(offered, serde_json::json!(["ada", "olga", "pete"]), "officers and admins, not the auditor");
        app.type_into(&format!("{row} [name=task-assignee]"), "pete").await;
        app.click(&format!("{row} [data-testid=task-assign]")).await;
        let shown = app.wait_for(&format!("{row} [data-testid=task-assignee]")).await;
        assert_eq!(shown.text().await.unwrap(), "Assigned to pete");

        let detail = rightsdesk(&olga, &people["olga"], &["request", "show", &reference, "--json"]);
        let last = detail["timeline"].as_array().unwrap().last().unwrap().clone();
        assert!(last["summary"].as_str().unwrap().ends_with("assigned to pete"), "{last}");
        assert_eq!(last["actor"], "olga", "on record under the login that assigned it");
        assert_eq!(
            references(&rightsdesk(&pete, &people["pete"], &["request", "list", "--assigned-to-me", "--json"])),
            vec![reference.clone()]
        );
        assert!(references(&rightsdesk(&olga, &people["olga"], &["request", "list", "--assigned-to-me", "--json"])).is_empty());

        // Olga's window: "Assigned to me" shows nothing (the task is Pete's).
        app.click("[data-testid=back-to-list]").await;
        app.wait_until("the request is listed", || async { app.count(ROWS).await == 1 }).await;
        app.click("input[name=assigned-to-me]").await;
        app.wait_for("[data-testid=list-empty]").await;
        app.close().await;
    })
    .await;
}
