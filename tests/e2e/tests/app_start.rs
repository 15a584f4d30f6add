//! The app's start (issue 21 item 6): the window shows the register's list first; the work that
//! used to run before the window (the check for dates computed under older rules) runs after the
//! first painted list, and what it changes still reaches the window and the timeline.
//!
//! Build first: `npm --prefix ui run build && cargo build -p rightsdesk-app -p rightsdesk-cli`.

use rightsdesk_core::store::{Db, DbKey};
use rightsdesk_e2e::{within, App, Options, Sandbox, TEST_PASSPHRASE};

const NOW: &str = "2025-02-10T10:00:00Z";
const ADA: &[&str] = &[
    "request",
    "add",
    "--type",
    "access",
    "--regime",
    "eu-gdpr",
    "--jurisdiction",
    "DE",
    "--received",
    "2025-01-31",
    "--email",
    "ada@example.org",
    "--name",
    "Ada Example",
    "--json",
];

/// Makes the request's stored dates look as an older version computed them: an older rule set and a later due date.
fn as_if_computed_by_an_older_version(sandbox: &Sandbox, id: &str) {
    let db = Db::open(sandbox.db_path(), &DbKey::passphrase(TEST_PASSPHRASE).unwrap()).unwrap();
    let changed = db
        .write(|tx| {
            Ok(tx.execute(
                "UPDATE requests SET rule_set = 'eu-gdpr@2024.1', due = '2025-03-14', \
                 schedule = json_set(schedule, '$.rule_set', 'eu-gdpr@2024.1', '$.due', '2025-03-14', '$.legal_due', '2025-03-14') \
                 WHERE id = ?1",
                [id],
            )?)
        })
        .unwrap();
    assert_eq!(changed, 1);
}

/// The app's log (beside the database), all its files.
fn log_of(app: &App) -> String {
    let logs = app.db_path().parent().unwrap().join("logs");
    std::fs::read_dir(&logs)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("rightsdesk."))
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn dates_computed_under_older_rules_are_recomputed_after_the_first_list_and_the_window_shows_them() {
    within(async {
        let sandbox = Sandbox::new().with_now(NOW);
        let ada = sandbox.cli_json(ADA);
        let id = ada["id"].as_str().unwrap().to_string();
        assert_eq!(ada["due"], "2025-02-28");
        as_if_computed_by_an_older_version(&sandbox, &id);

        let app = App::start(Options::new().sandbox(sandbox)).await;
        app.wait_for("table[data-testid=request-list] tr[data-testid=request-row]").await;
        // The window reads the list again once the dates are recomputed: the current rules' date, without a reload.
        let due = "tr[data-testid=request-row] td[data-col=due] time";
        app.wait_until("the recomputed due date in the list", || async {
            app.js(&format!("const t = document.querySelector('{due}'); return t ? t.getAttribute('datetime') : null"), vec![]).await
                == "2025-02-28"
        })
        .await;

        let detail = app.sandbox().cli_json(&["request", "show", &id, "--json"]);
        let recomputed: Vec<_> = detail["timeline"].as_array().unwrap().iter().filter(|e| e["kind"] == "dates-recomputed").collect();
        assert_eq!(recomputed.len(), 1, "one dates-recomputed event on the timeline: {detail}");
        assert!(recomputed[0]["summary"].as_str().unwrap().contains("the rules were updated"), "{}", recomputed[0]);
        assert!(!app.exists("[data-testid=status-rule-refresh]").await, "the refresh succeeded: nothing on the status line");

        // The first list was served before the check ran (it used to run before the window existed).
        let log = log_of(&app);
        let listed =
            log.find("command=\"workspace::search_requests\"").unwrap_or_else(|| panic!("the list's first page in the log:\n{log}"));
        let refreshed = log.find("brought up to this version's rules").unwrap_or_else(|| panic!("the refresh in the log:\n{log}"));
        assert!(listed < refreshed, "the first list comes before the rule check:\n{log}");
        app.close().await;
    })
    .await;
}

/// With no key in the environment or the keyring, the window opens at once on the passphrase
/// prompt (the register is opened on its own thread, and the window waits for that opening rather
/// than failing); the passphrase typed opens the register and the list follows.
#[tokio::test(flavor = "multi_thread")]
async fn a_register_without_a_key_asks_for_its_passphrase_and_then_lists_its_requests() {
    within(async {
        let sandbox = Sandbox::with_demo(NOW);
        let app = App::start(Options::new().sandbox(sandbox).env("RIGHTSDESK_PASSPHRASE", "")).await;
        app.wait_for("[data-testid=unlock]").await;
        app.type_into("[data-testid=unlock] input[name=passphrase]", TEST_PASSPHRASE).await;
        app.click("[data-testid=unlock] button[type=submit]").await;
        app.wait_for("table[data-testid=request-list] tr[data-testid=request-row]").await;
        assert!(!app.exists("[data-testid=status-rule-refresh]").await, "nothing on the status line: {}", app.page_summary().await);
        app.close().await;
    })
    .await;
}
