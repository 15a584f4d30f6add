//! The app pointed at a read replica (issue 18 item 7), in the real window: a team register on
//! a real PostgreSQL 15 primary (`tests/pg/harness.rs`, TLS with `verify-full`) and a streaming
//! standby made from it (`Pg::start_standby`, `pg_basebackup -R`). The window on the standby
//! lists and counts what the primary committed; it says once, plainly, that this is a read-only
//! copy that does not refresh by itself (the standby refuses LISTEN: no listener, no reconnect
//! loop, no error on the status line) and its Reload reads the primary's later changes; a
//! registration and a status change made there are refused with the replica's message, shown
//! in the window, and nothing is written on the primary.
//!
//! Build first: `npm --prefix ui run build && cargo build -p rightsdesk-app -p rightsdesk-cli`.

#[path = "../../pg/harness.rs"]
mod pg;

use std::time::Duration;

use pg::Pg;
use rightsdesk_e2e::team::{self, rightsdesk, LIST_SHOWN, ROWS};
use rightsdesk_e2e::{within, App, Options};

const FORM: &str = "form[data-testid=new-request-form]";
const REPLICA_SAYS: &str = "this server is a read-only copy (replica)";

fn register(url: &str, password: &str, name: &str) -> String {
    team::add_request(url, password, "access", name, "someone@example.org", "2026-01-30")
}

/// What the primary holds that a change would add to.
fn held(primary: &Pg) -> String {
    primary.admin_sql("rightsdesk", "SELECT (SELECT count(*) FROM requests) || ' ' || (SELECT count(*) FROM events)")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_window_on_a_read_replica_shows_the_primarys_register_says_it_does_not_refresh_and_refuses_changes_plainly() {
    within(async {
        let primary = Pg::start();
        rightsdesk(&primary.admin_url(), primary.admin_password(), &["team", "init", "--json"]);
        let added = rightsdesk(&primary.admin_url(), primary.admin_password(), &["team", "add", "olga", "--role", "officer", "--json"]);
        let password = added["password"].as_str().unwrap().to_string();
        let first = register(&primary.url("olga"), &password, "Ada Example");
        let second = register(&primary.url("olga"), &password, "Bob Builder");
        let standby = primary.start_standby();
        primary.wait_replayed(&standby);

        let app = App::start(Options::new().env("RIGHTSDESK_DB", &standby.url("olga")).env("RIGHTSDESK_DB_PASSWORD", &password)).await;
        app.wait_for(LIST_SHOWN).await;
        // Said once, plainly: a read-only copy that does not refresh by itself, with a Reload.
        let said = app.text_of("[data-testid=replica-banner]").await;
        assert!(said.contains("read-only copy (replica)") && said.contains("does not refresh by itself"), "{said}");
        assert_eq!(app.count("[data-testid=replica-banner]").await, 1);
        assert!(app.exists("[data-testid=replica-reload]").await);

        // The list and the dashboard show what the primary committed.
        app.click("[data-testid=nav-requests]").await;
        app.wait_until("both requests listed", || async { app.count(ROWS).await == 2 }).await;
        for reference in [&first, &second] {
            assert!(app.exists(&format!("{ROWS}[data-reference=\"{reference}\"]")).await, "{reference} listed");
        }
        app.click("[data-testid=nav-dashboard]").await;
        app.wait_for("[data-testid=dashboard]").await;
        app.wait_until("the dashboard counts both", || async { app.text_of("[data-testid=stat-open] [data-value]").await == "2" }).await;

        // No listener on a standby: no reconnect loop, nothing on the status line, nothing in the standby's log.
        tokio::time::sleep(Duration::from_secs(3)).await;
        assert!(!app.exists("[data-testid=status-team-updates]").await, "no error about the team's changes");
        let log = standby.log();
        assert!(!log.contains("LISTEN"), "the window tried to LISTEN on the standby:\n{log}");

        // The primary commits a third request: the window does not show it by itself; Reload does.
        let third = register(&primary.url("olga"), &password, "Cleo Third");
        primary.wait_replayed(&standby);
        app.click("[data-testid=nav-requests]").await;
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert_eq!(app.count(ROWS).await, 2, "the window does not refresh by itself on a replica");
        app.click("[data-testid=replica-reload]").await;
        app.wait_for(&format!("{ROWS}[data-reference=\"{third}\"]")).await;
        assert_eq!(app.count(ROWS).await, 3);

        // A registration in the window: refused with the replica's message, shown above the form's buttons.
        let before = held(&primary);
        app.click("[data-testid=new-request]").await;
        app.wait_for(FORM).await;
        app.set_value(&format!("{FORM} [name=type]"), "access").await;
        app.set_value(&format!("{FORM} [name=regime]"), "eu-gdpr").await;
        app.set_value(&format!("{FORM} [name=jurisdiction]"), "DE").await;
        app.type_into(&format!("{FORM} [name=subject_name]"), "Dora Denied").await;
        app.type_into(&format!("{FORM} [name=subject_email]"), "dora@example.org").await;
        app.click(&format!("{FORM} button[type=submit]")).await;
        let refused = app.wait_for(&format!("{FORM} p[role=alert]")).await.text().await.unwrap();
        assert!(refused.contains(REPLICA_SAYS) && refused.contains("nothing was written"), "{refused}");
        assert!(!refused.contains(&password), "{refused}");

        // A status change on a request's page: refused the same way.
        app.click("[data-testid=nav-requests]").await;
        app.wait_for(ROWS).await;
        app.click(&format!("{ROWS}[data-reference=\"{first}\"] td[data-col=subject]")).await;
        app.wait_for("[data-testid=request-detail]").await;
        app.click("[data-testid=request-detail] .status-actions button[data-status]").await;
        let refused = app.wait_for(".status-actions p[role=alert]").await.text().await.unwrap();
        assert!(refused.contains(REPLICA_SAYS), "{refused}");
        assert_eq!(held(&primary), before, "nothing written on the primary");
        app.close().await;
    })
    .await;
}
