//! The Retention screen in the window on a team register (issue 18, item 3), against a real
//! PostgreSQL 15 (`tests/pg/harness.rs`, TLS with `verify-full`): Ada, the team's admin, sees in
//! her window the preview of the next purge with a closed request past its period, purges it
//! after the confirmation, and the subject's name is gone from the request list; Olga's (an
//! officer's) window shows the same preview and the periods read-only, says why, and offers no
//! purge button and no Save; neither window shows the backup panel (its commands refuse a team
//! register), a line names `rightsdesk backup --db postgresql://…` instead.
//!
//! Build first: `npm --prefix ui run build && cargo build -p rightsdesk-app -p rightsdesk-cli`.

#[path = "../../pg/harness.rs"]
mod pg;

use std::collections::BTreeMap;

use pg::Pg;
use rightsdesk_e2e::team::{self, LIST_SHOWN, ROWS};
use rightsdesk_e2e::{within, App, Options};
use serde_json::Value;

/// The day the request is registered and closed, and the day (13 months later, the GDPR period
/// set to 12 months) the windows open: its period has run out.
const DAY: &str = "2026-02-02T10:00:00Z";
const LATER: &str = "2027-03-01T10:00:00Z";

/// `rightsdesk --db URL ARGS` with `password`, at the instant `now`; its standard output as JSON.
fn rightsdesk(url: &str, password: &str, now: &str, args: &[&str]) -> Value {
    team::json(team::run(Some(url), password, args, |c, home| {
        c.env("RIGHTSDESK_NOW", now).env("TZ", "UTC").env("XDG_DATA_HOME", home.join("data"));
    }))
}

/// A window on the team register as `login`, its clock at `LATER`, on the Retention screen.
async fn window(pg: &Pg, login: &str, password: &str) -> App {
    let app = App::start(Options::new().now(LATER).env("RIGHTSDESK_DB", &pg.url(login)).env("RIGHTSDESK_DB_PASSWORD", password)).await;
    app.wait_for(LIST_SHOWN).await;
    app.click("[data-testid=nav-safety]").await;
    app.wait_for("[data-testid=purge-panel]").await;
    app.wait_for("[data-testid=retention-panel]").await;
    app
}

/// The references the window's purge preview lists.
async fn previewed(app: &App) -> Vec<String> {
    let v = app
        .js(
            "return [...document.querySelectorAll('[data-testid=purge-preview] tbody tr td:first-child')].map(td => td.textContent);",
            vec![],
        )
        .await;
    v.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect()
}

/// Whether the GDPR period's field is read-only or disabled, and its value.
async fn gdpr_months(app: &App) -> (bool, String) {
    let v = app
        .js(
            "const el = document.querySelector('[data-testid=retention-eu-gdpr] input[name=months]'); \
             return el ? [el.matches(':disabled') || el.readOnly, el.value] : null;",
            vec![],
        )
        .await;
    assert!(v.is_array(), "no GDPR period field on the Retention screen");
    (v[0].as_bool().unwrap(), v[1].as_str().unwrap().to_string())
}

#[tokio::test(flavor = "multi_thread")]
async fn on_a_team_register_the_admins_window_purges_and_an_officers_shows_the_preview_read_only() {
    within(async {
        let pg = Pg::start();
        rightsdesk(&pg.admin_url(), pg.admin_password(), DAY, &["team", "init", "--json"]);
        let people: BTreeMap<&str, String> = [("ada", "admin"), ("olga", "officer")]
            .into_iter()
            .map(|(name, role)| {
                let v = rightsdesk(&pg.admin_url(), pg.admin_password(), DAY, &["team", "add", name, "--role", role, "--json"]);
                (name, v["password"].as_str().unwrap().to_string())
            })
            .collect();
        let olga = |args: &[&str]| rightsdesk(&pg.url("olga"), &people["olga"], DAY, args);
        #[rustfmt::skip]
        let add = |name: &str, email: &str| olga(&["request", "add", "--type", "access", "--regime", "eu-gdpr", "--jurisdiction", "DE",
            "--received", "2026-01-30", "--name", name, "--email", email, "--json"])["reference"].as_str().unwrap().to_string();
        let closed = add("Zoë Müller", "zoe@example.org");
        let open = add("Bob Builder", "bob@example.net");
        for status in ["in-progress", "completed"] {
            olga(&["request", "status", &closed, status, "--reason", "confirmed by phone", "--json"]);
        }
        rightsdesk(&pg.url("ada"), &people["ada"], DAY, &["retention", "set", "eu-gdpr", "12", "--json"]);

        // Olga's window: the preview and the periods, read-only, saying why; no purge, no Save, no backups.
        let o = window(&pg, "olga", &people["olga"]).await;
        o.wait_for("[data-testid=purge-preview]").await;
        assert_eq!(previewed(&o).await, [closed.as_str()]);
        let note = o.text_of("[data-testid=team-retention-note]").await;
        assert!(
            note.starts_with("Only an admin of the team register may purge or change the retention periods; olga is in the role “officer”"),
            "{note}"
        );
        assert_eq!(o.count("[data-testid=purge-start]").await, 0, "no purge button for an officer");
        assert_eq!(gdpr_months(&o).await, (true, "12".to_string()));
        assert_eq!(o.count("[data-testid=retention-panel] button[type=submit]").await, 0, "no Save for an officer");
        assert!(o.text_of("[data-testid=team-backup-note]").await.contains("rightsdesk backup --db postgresql://"));
        assert_eq!(o.count("[data-testid=backup-panel]").await, 0);
        let violations = o.serious_violations().await;
        assert!(violations.is_empty(), "accessibility of the read-only Retention screen: {violations:?}");
        o.close().await;

        // Ada's window: the same preview, the period hers to change, and the purge.
        let a = window(&pg, "ada", &people["ada"]).await;
        a.wait_for("[data-testid=purge-preview]").await;
        assert_eq!(previewed(&a).await, [closed.as_str()]);
        assert_eq!(a.count("[data-testid=team-retention-note]").await, 0);
        assert_eq!(gdpr_months(&a).await, (false, "12".to_string()));
        a.click("[data-testid=purge-start]").await;
        a.click("[data-testid=purge-confirm] input[name=agree]").await;
        a.click("[data-testid=purge-run]").await;
        let done = a.text_of("[data-testid=purge-done]").await;
        assert!(done.starts_with("Purged the personal data of 1 request"), "{done}");

        // The register: the closed request's name is gone, the open one's stays; nothing more due.
        let shown = olga(&["request", "show", &closed, "--json"]);
        assert_eq!(shown["request"]["subject"]["name"], "(removed under the retention policy)", "{shown}");
        let kept = olga(&["request", "show", &open, "--json"]);
        assert_eq!(kept["request"]["subject"]["name"], "Bob Builder", "{kept}");
        let plan = rightsdesk(&pg.url("olga"), &people["olga"], LATER, &["purge", "--dry-run", "--json"]);
        assert!(plan["requests"].as_array().unwrap().is_empty(), "{plan}");

        // And in the window's list: Zoë's name is gone from it.
        a.click("[data-testid=nav-requests]").await;
        a.wait_for(ROWS).await;
        let start = std::time::Instant::now();
        let mut list = String::new();
        while start.elapsed() < std::time::Duration::from_secs(10) {
            let names = a
                .js("return [...document.querySelectorAll('table[data-testid=request-list] td[data-col=subject]')].map(td => td.textContent).join(' | ');", vec![])
                .await;
            list = names.as_str().unwrap_or_default().to_string();
            if !list.contains("Zoë Müller") && list.contains("Bob Builder") {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        assert!(!list.contains("Zoë Müller") && list.contains("Bob Builder"), "the list's subjects: {list}");
        a.close().await;
    })
    .await;
}
