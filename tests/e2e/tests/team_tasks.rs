//! Tasks assigned to a team member on a team register (issue 18 item 4), in the real window
//! against a real PostgreSQL 15 (`tests/pg/harness.rs`, TLS with `verify-full`): the request
//! page of a team register shows its tasks; the task row offers the team's officers and
//! admins (not its auditor); Olga assigns a task to Pete; the row and the timeline say so,
//! on record under Olga's login; Pete's `request list --assigned-to-me` lists the request,
//! Olga's does not, and the window's "Assigned to me" (Olga's) shows nothing. A system the
//! admin adds to the data map afterwards gets its task from the page's "create tasks", under Olga.
//!
//! Build first: `npm --prefix ui run build && cargo build -p rightsdesk-app -p rightsdesk-cli`.

#[path = "../../pg/harness.rs"]
mod pg;

use pg::Pg;
use rightsdesk_e2e::team::{self, LIST_SHOWN, ROWS};
use rightsdesk_e2e::{within, App, Options};
use serde_json::Value;

/// `rightsdesk --db URL ARGS` with `password`, claiming to be `mallory` (USER): the server
/// records the login; its standard output as JSON.
fn rightsdesk(url: &str, password: &str, args: &[&str]) -> Value {
    team::json(team::run(Some(url), password, args, |c, _| {
        c.env("USER", "mallory");
    }))
}

fn references(listed: &Value) -> Vec<String> {
    listed.as_array().unwrap().iter().map(|r| r["reference"].as_str().unwrap().to_string()).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn on_a_team_register_a_task_is_assigned_to_a_member_offered_in_its_row() {
    within(async {
        let pg = Pg::start();
        let people = team::team(
            &pg.admin_url(),
            pg.admin_password(),
            &[("ada", "admin"), ("olga", "officer"), ("pete", "officer"), ("carl", "auditor")],
        );
        // The admin puts a system on the data map, so an erasure request gets a task (the
        // blocking PostgreSQL client on a thread of its own, outside the test's runtime).
        team::crm_on_data_map(&pg.url("ada"), &people["ada"], "2026-02-02");
        let (olga, pete) = (pg.url("olga"), pg.url("pete"));
        let reference = team::add_request(&olga, &people["olga"], "erasure", "Ada Example", "ada@example.org", "2026-01-30");

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

        // The admin adds Payroll to the data map; Olga makes its task from the page, on record
        // under her login.
        let dir = tempfile::tempdir().unwrap();
        let map = dir.path().join("map.csv");
        std::fs::write(&map, "name,role,location\nPayroll,processor,Berlin\n").unwrap();
        rightsdesk(&pg.url("ada"), &people["ada"], &["systems", "import", map.to_str().unwrap(), "--json"]);
        app.click("[data-testid=generate-tasks]").await;
        app.wait_until("the Payroll task is listed", || async {
            let text = app.js("return document.querySelector('[data-testid=tasks-panel]').innerText;", vec![]).await;
            app.count(row).await == 2 && text.as_str().is_some_and(|t| t.contains("Payroll"))
        })
        .await;
        let tasks = rightsdesk(&pete, &people["pete"], &["task", "list", &reference, "--json"]);
        let systems: Vec<&str> = tasks.as_array().unwrap().iter().map(|t| t["system_name"].as_str().unwrap()).collect();
        assert_eq!(systems, ["CRM", "Payroll"], "{tasks}");
        let detail = rightsdesk(&olga, &people["olga"], &["request", "show", &reference, "--json"]);
        assert_eq!(detail["timeline"].as_array().unwrap().last().unwrap()["actor"], "olga");

        // The audit trail for a regulator, exported from the team register in her window: her
        // events under her login, no personal data.
        app.click("[data-testid=nav-audit]").await;
        app.click("[data-testid=export-audit-csv]").await;
        app.wait_for("[data-testid=audit-export]").await;
        let trail = app.js("return document.querySelector('[data-testid=audit-export]').value;", vec![]).await;
        let trail = trail.as_str().unwrap();
        assert!(trail.starts_with("seq,at,actor,action") && trail.contains(",olga,"), "{trail}");
        assert!(trail.contains(&reference) && !trail.contains("ada@example.org"), "{trail}");
        app.click("[data-testid=nav-requests]").await;

        // Olga's window: "Assigned to me" shows nothing (the task is Pete's).
        app.wait_until("the request is listed", || async { app.count(ROWS).await == 1 }).await;
        app.click("input[name=assigned-to-me]").await;
        app.wait_for("[data-testid=list-empty]").await;
        app.close().await;
    })
    .await;
}
