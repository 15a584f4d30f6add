//! The dashboard on a team register (issue 18), in the real window against a real
//! PostgreSQL 15 (`tests/pg/harness.rs`, TLS with `verify-full`): the sidebar offers it; a
//! request another officer registers through the CLI (a connection of its own) appears on
//! the open dashboard within a second without a click, with its next step; "Needs you
//! today" offers each step's button, which opens the request where the step is taken (the
//! answer at its letters, the tasks); the request page has its next step and the clock form,
//! and a clock event recorded there is on record under the login and moves the step.
//!
//! The app and the CLI run at a pinned instant (`RIGHTSDESK_NOW`), so the dates are fixed.
//!
//! Build first: `npm --prefix ui run build && cargo build -p rightsdesk-app -p rightsdesk-cli`.

#[path = "../../pg/harness.rs"]
mod pg;

use std::time::{Duration, Instant};

use pg::Pg;
use rightsdesk_e2e::team::{self, LIST_SHOWN};
use rightsdesk_e2e::{within, App, Options};
use serde_json::Value;

const NOW: &str = "2026-03-10T09:00:00Z";
/// What "refreshes by itself" means here: the dashboard shows the change within this.
const WITHIN: Duration = Duration::from_secs(1);

/// `rightsdesk --db URL ARGS` with `password` at [`NOW`]; its standard output as JSON.
fn rightsdesk(url: &str, password: &str, args: &[&str]) -> Value {
    team::json(team::run(Some(url), password, args, |c, _| {
        c.env("RIGHTSDESK_NOW", NOW);
    }))
}

fn add(url: &str, password: &str, kind: &str, name: &str, received: &str) -> String {
    let added = rightsdesk(
        url,
        password,
        &[
            "request",
            "add",
            "--type",
            kind,
            "--regime",
            "eu-gdpr",
            "--jurisdiction",
            "DE",
            "--received",
            received,
            "--name",
            name,
            "--email",
            "someone@example.org",
            "--json",
        ],
    );
    added["reference"].as_str().unwrap().to_string()
}

fn need(reference: &str) -> String {
    format!("[data-testid=needs-you] li[data-testid=need][data-reference='{reference}']")
}

#[tokio::test(flavor = "multi_thread")]
async fn the_team_registers_dashboard_shows_another_officers_request_within_a_second_with_its_next_step() {
    within(async {
        let pg = Pg::start();
        let people = team::team(&pg.admin_url(), pg.admin_password(), &[("ada", "admin"), ("olga", "officer"), ("ben", "officer")]);
        // A system on the data map, so an erasure request gets a task (the blocking
        // PostgreSQL client on a thread of its own, outside the test's runtime).
        team::crm_on_data_map(&pg.url("ada"), &people["ada"], "2026-01-02");

        // Olga's window on the empty team register: the dashboard is offered and shows nothing to do.
        let app =
            App::start(Options::new().now(NOW).env("RIGHTSDESK_DB", &pg.url("olga")).env("RIGHTSDESK_DB_PASSWORD", &people["olga"])).await;
        app.wait_for(LIST_SHOWN).await;
        assert!(app.exists("[data-testid=nav-inbox]").await, "the privacy mailbox's Inbox is offered on a team register");
        assert!(
            app.exists("[data-testid=nav-import]").await && app.exists("[data-testid=nav-register]").await,
            "the CSV import and the register's exports are offered on a team register"
        );
        app.click("[data-testid=nav-dashboard]").await;
        app.wait_for("[data-testid=dashboard]").await;
        assert_eq!(app.text_of("[data-testid=stat-open] [data-value]").await, "0");

        // Ben registers a request received on 30 January (due 2 March: overdue on 10 March) in his own connection.
        let (ben, ben_pw) = (pg.url("ben"), people["ben"].clone());
        let late = add(&ben, &ben_pw, "access", "Ada Late", "2026-01-30");
        let registered = Instant::now();
        let row = app.wait_for_within(&need(&late), WITHIN + Duration::from_millis(500)).await;
        let took = registered.elapsed();
        eprintln!("[e2e] the dashboard showed {late} {took:?} after the registration");
        assert!(took <= WITHIN, "the dashboard showed the new request {took:?} after its registration (limit {WITHIN:?})");
        assert_eq!(row.attr("data-kind").await.unwrap().as_deref(), Some("overdue"));
        let what = app.text_of(&format!("{} [data-testid=need-what]", need(&late))).await;
        assert!(what.contains("Answer overdue by 8 days"), "its next step: {what}");
        app.wait_until("the counts follow", || async { app.text_of("[data-testid=stat-overdue] [data-value]").await == "1" }).await;
        // Its step writes the answer: the button opens the request at its letters, which a team register's page has.
        let answer = format!("{} [data-testid=need-step-button]", need(&late));
        assert_eq!(app.text_of(&answer).await, "Send answer");
        app.click(&answer).await;
        app.wait_for("[data-testid=request-detail] [data-testid=next-step][data-kind=overdue]").await;
        assert!(app.text_of("#detail-heading").await.starts_with(&late));
        app.wait_until("the letters section has the focus", || async {
            app.js("return document.activeElement && document.activeElement.closest('#section-letters') !== null;", vec![]).await
                == serde_json::json!(true)
        })
        .await;
        app.click("[data-testid=nav-dashboard]").await;
        app.wait_for(&need(&late)).await;

        // Ben registers an erasure (received 14 February: due in a few days, its internal target missed, a task for the CRM) and starts work on it.
        let erasure = add(&ben, &ben_pw, "erasure", "Bea Erasure", "2026-02-14");
        rightsdesk(&ben, &ben_pw, &["request", "status", &erasure, "in-progress", "--json"]);
        let button = format!("{} [data-testid=need-step-button]", need(&erasure));
        app.wait_until("the erasure's step, its open task", || async {
            app.exists(&button).await && app.text_of(&format!("{} [data-testid=need-what]", need(&erasure))).await.contains("1 task open")
        })
        .await;
        assert_eq!(app.text_of(&button).await, "Go to tasks");
        let violations = app.serious_violations().await;
        assert!(violations.is_empty(), "accessibility of the team register's dashboard: {violations:?}");
        app.click(&button).await;
        app.wait_for("[data-testid=request-detail]").await;
        assert!(app.text_of("#detail-heading").await.starts_with(&erasure));
        app.wait_for("[data-testid=tasks-panel] li[data-testid=task]").await;

        // The clock form on a team register: clarification asked on 9 March; the step follows, on record under olga's login.
        app.wait_for("[data-testid=next-step][data-kind=tasks_open]").await;
        app.set_value("[name=clock-kind]", "clarification-requested").await;
        app.set_value("[name=clock-on]", "2026-03-09").await;
        app.click("[data-testid=clock-event-form] button[type=submit]").await;
        app.wait_for("[data-testid=next-step][data-kind=clarification_awaited]").await;
        let recorded = pg.admin_sql(pg::DBNAME, "SELECT actor || ' ' || kind FROM events ORDER BY seq DESC LIMIT 1");
        assert!(recorded.starts_with("olga "), "the clock event under the login: {recorded}");
        app.click("[data-testid=nav-dashboard]").await;
        app.wait_until("the dashboard's step follows the clock event", || async {
            app.text_of(&format!("{} [data-testid=need-what]", need(&erasure))).await.contains("larification")
        })
        .await;
        assert_eq!(app.text_of(&button).await, "Record clarification received", "the step's button on the dashboard");
        app.close().await;
    })
    .await;
}
