//! Answer packages, bulk import and the register in the window: the officer
//! builds an encrypted package and watches it verify, imports a CSV after
//! seeing its report per row, and reads the yearly figures and charts.
//!
//! (Collecting evidence from the data map's systems joins the package flow
//! once that feature is on main; the package here holds the register's data.)

use rightsdesk_e2e::{within, App, Options, Sandbox};
use serde_json::json;

const NOW: &str = "2025-09-20T10:00:00Z";

#[tokio::test(flavor = "multi_thread")]
async fn an_officer_builds_an_encrypted_package_sees_the_progress_and_the_verified_result() {
    within(async {
        let sandbox = Sandbox::new().with_now(NOW);
        let added = sandbox.cli_json(&[
            "request", "add", "--type", "access", "--regime", "eu-gdpr", "--jurisdiction", "DE", "--received",
            "2025-09-01", "--email", "ada@example.org", "--name", "Ada Example", "--json",
        ]);
        let reference = added["reference"].as_str().unwrap().to_string();
        let app = App::start(Options::new().now(NOW).sandbox(sandbox)).await;
        app.wait_for("table[data-testid=request-list]").await;
        app.click(&format!("tr[data-reference='{reference}'] td[data-col=subject]")).await;
        app.wait_for("[data-testid=package-panel]").await;

        // A short passphrase is refused beside its field, and nothing is written.
        app.click("[data-testid=package-encrypt]").await;
        app.type_into("[data-testid=package-passphrase]", "short").await;
        app.click("[data-testid=build-package]").await;
        app.wait_for("[data-error-for=passphrase]").await;

        app.type_into("[data-testid=package-passphrase]", "a passphrase read out by phone").await;
        app.click("[data-testid=build-package]").await;
        app.wait_for("[data-testid=package-result]").await;
        assert!(app.exists("[data-testid=package-progress]").await, "the progress bar was shown");
        assert_eq!(app.text_of("[data-testid=package-percent]").await, "100%");
        let path = app.text_of("[data-testid=package-path]").await;
        assert!(path.ends_with(&format!("packages/{reference}-package.zip")), "{path}");
        assert!(std::path::Path::new(&path).exists(), "the package is on disk");

        app.click("[data-testid=verify-package]").await;
        let verified = app.text_of("[data-testid=package-verified]").await;
        assert!(verified.starts_with("Verified:"), "{verified}");
        // The CLI agrees, with the same passphrase.
        let out = std::process::Command::new(rightsdesk_e2e::cli_bin())
            .args(["package", "verify", &path, "--passphrase-env", "PP"])
            .env("PP", "a passphrase read out by phone")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        app.wait_until("the timeline records the package", || async {
            app.text_of("[data-testid=timeline]").await.contains("Answer package built")
        })
        .await;
        app.js("document.querySelector('[data-testid=package-verified]').scrollIntoView({ block: 'center' });", vec![]).await;
        tokio::time::sleep(std::time::Duration::from_millis(800)).await; // a screenshot can lag the DOM by a frame
        app.screenshot(rightsdesk_e2e::workspace_root().join("docs/screenshots/package.png")).await;
        app.close().await;
    })
    .await;
}

/// Puts a file into the page's file input as a person choosing it would (the bytes as given).
async fn choose_file(app: &App, css: &str, name: &str, bytes: &[u8]) {
    app.wait_for(css).await;
    app.js(
        "const input = document.querySelector(arguments[0]);\n\
         const file = new File([new Uint8Array(arguments[2])], arguments[1], { type: 'text/csv' });\n\
         const dt = new DataTransfer(); dt.items.add(file); input.files = dt.files;\n\
         input.dispatchEvent(new Event('change', { bubbles: true }));",
        vec![json!(css), json!(name), json!(bytes)],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_csv_with_a_bad_row_is_reported_per_row_and_imports_nothing_until_fixed() {
    within(async {
        let sandbox = Sandbox::new().with_now(NOW);
        sandbox.cli_json(&["demo", "load", "--json"]);
        let before = rightsdesk_e2e::count_requests(sandbox.db_path());
        let app = App::start(Options::new().now(NOW).sandbox(sandbox)).await;
        app.wait_for("table[data-testid=request-list]").await;
        app.click("[data-testid=nav-import]").await;

        // Windows-1252, semicolons, one bad email on line 3.
        let bad = b"type;regime;name;email;received\naccess;eu-gdpr;Zo\xeb M\xfcller;zoe@example.org;2025-09-02\nerasure;eu-gdpr;Bob;bob@@example;2025-09-03\n";
        choose_file(&app, "[data-testid=import-file]", "export.csv", bad).await;
        app.wait_for("[data-testid=import-rows] tr[data-line='3'][data-outcome=error]").await;
        let summary = app.text_of("[data-testid=import-summary]").await;
        assert!(summary.contains("windows-1252") && summary.contains("semicolon"), "{summary}");
        let row = app.text_of("[data-testid=import-rows] tr[data-line='3']").await;
        assert!(row.contains("email:"), "{row}");
        assert!(app.text_of("[data-testid=import-rows] tr[data-line='2']").await.contains("Zoë Müller"));
        let disabled = app.js("return document.querySelector('[data-testid=import-commit]').disabled;", vec![]).await;
        assert_eq!(disabled, json!(true), "a file with an error cannot be imported");
        assert_eq!(rightsdesk_e2e::count_requests(app.db_path()), before);

        let good = b"type;regime;name;email;received\naccess;eu-gdpr;Zo\xeb M\xfcller;zoe@example.org;2025-09-02\nerasure;eu-gdpr;Bob;bob@example.org;2025-09-03\n";
        choose_file(&app, "[data-testid=import-file]", "export.csv", good).await;
        app.wait_until("both rows are ready", || async {
            app.count("[data-testid=import-rows] tr[data-outcome=ok]").await == 2
        })
        .await;
        app.click("[data-testid=import-commit]").await;
        let done = app.text_of("[data-testid=import-done]").await;
        assert!(done.contains("Imported 2 requests"), "{done}");
        assert_eq!(rightsdesk_e2e::count_requests(app.db_path()), before + 2);
        app.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_register_exports_and_the_yearly_figures_show_with_their_charts() {
    within(async {
        let sandbox = Sandbox::new().with_now(NOW);
        sandbox.cli_json(&["demo", "load", "--json"]);
        let app = App::start(Options::new().now(NOW).sandbox(sandbox)).await;
        app.wait_for("table[data-testid=request-list]").await;
        app.click("[data-testid=nav-register]").await;
        app.wait_for("[data-testid=metrics-table] tfoot tr[data-type=all]").await;
        assert!(app.exists("[data-testid=chart-received] svg rect").await);
        assert!(app.exists("[data-testid=chart-on-time] svg").await);
        app.click("[data-testid=export-register]").await;
        let done = app.text_of("[data-testid=export-done]").await;
        assert!(done.contains("requests written to") && done.contains(".csv"), "{done}");
        app.click("[data-testid=metrics-csv]").await;
        let saved = app.text_of("[data-testid=metrics-csv-done]").await;
        assert!(saved.contains("figures-2025.csv"), "{saved}");
        app.js("document.querySelector('[data-testid=metrics-table]').scrollIntoView({ block: 'start' });", vec![]).await;
        tokio::time::sleep(std::time::Duration::from_millis(800)).await; // a screenshot can lag the DOM by a frame
        app.screenshot(rightsdesk_e2e::workspace_root().join("docs/screenshots/register.png")).await;
        app.close().await;
    })
    .await;
}
