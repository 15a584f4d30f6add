//! Backups and retention in the window: a backup made with one click that the
//! CLI then verifies, and a purge the officer previews and confirms.

use rightsdesk_e2e::{within, App, Options, Sandbox};

const LOADED: &str = "2025-09-20T10:00:00Z";
/// Over three years later: every closed demo request is past its retention period.
const LATER: &str = "2029-01-15T10:00:00Z";

#[tokio::test(flavor = "multi_thread")]
async fn the_officer_backs_up_from_the_window_and_the_backup_verifies() {
    within(async {
        let sandbox = Sandbox::new().with_now(LOADED);
        sandbox.cli_json(&["demo", "load", "--json"]);
        let folder = sandbox.path().join("backups");
        let app = App::start(Options::new().now(LOADED).sandbox(sandbox)).await;
        app.wait_for("table[data-testid=request-list]").await;
        app.click("[data-testid=nav-safety]").await;
        app.wait_for("[data-testid=backup-panel]").await;
        assert!(app.text_of("[data-testid=last-backup]").await.contains("never"));

        // Backing up before a folder is chosen is refused at the folder field.
        app.click("[data-testid=backup-now]").await;
        app.wait_for("[data-error-for=dir]").await;

        // The folder is picked in the OS dialog (the real GTK chooser, answered with xdotool).
        std::fs::create_dir_all(&folder).unwrap();
        app.click("[data-testid=choose-backup-dir]").await;
        app.answer_file_dialog("Choose the backup folder", &folder, false).await;
        app.wait_until("the picked folder is shown", || async {
            app.text_of("[data-testid=backup-dir]").await == folder.to_str().unwrap()
        })
        .await;
        app.click("[data-testid=save-backup-schedule]").await;
        app.wait_gone("[data-error-for=dir]").await;
        app.click("[data-testid=backup-now]").await;
        app.wait_for("[data-testid=backup-done]").await;
        assert!(app.text_of("[data-testid=backup-done]").await.contains("16 requests"));

        let files: Vec<_> = std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().path()).collect();
        assert_eq!(files.len(), 1);
        let verified = app.sandbox().cli_json(&["restore", files[0].to_str().unwrap(), "--verify-only", "--json"]);
        assert_eq!(verified["verified"]["requests"], 16);
        app.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_officer_previews_the_purge_confirms_it_and_the_names_are_gone() {
    within(async {
        let sandbox = Sandbox::new().with_now(LOADED);
        sandbox.cli_json(&["demo", "load", "--json"]);
        let app = App::start(Options::new().now(LATER).sandbox(sandbox)).await;
        app.wait_for("table[data-testid=request-list]").await;
        app.click("[data-testid=nav-safety]").await;
        app.wait_for("[data-testid=purge-preview]").await;
        let previewed = app.count("[data-testid=purge-preview] tbody tr").await;
        assert!(previewed > 0);
        let plan = app.sandbox().cli_json(&["purge", "--dry-run", "--json"]);
        assert_eq!(plan["requests"].as_array().unwrap().len(), previewed, "the window and the CLI preview agree");
        // The CCPA default (24 months) is shown beside its basis.
        assert!(app.text_of("[data-testid=retention-ccpa]").await.contains("7101"));

        app.screenshot(rightsdesk_e2e::workspace_root().join("docs/screenshots/safety.png")).await;
        app.click("[data-testid=purge-start]").await;
        app.click("[data-testid=purge-confirm] input[name=agree]").await;
        app.click("[data-testid=purge-run]").await;
        app.wait_for("[data-testid=purge-done]").await;

        let after = app.sandbox().cli_json(&["purge", "--dry-run", "--json"]);
        assert!(after["requests"].as_array().unwrap().is_empty());
        for r in plan["requests"].as_array().unwrap() {
            let shown = app.sandbox().cli_json(&["request", "show", r["reference"].as_str().unwrap(), "--json"]);
            assert!(shown["request"]["subject"]["name"].as_str().unwrap().contains("removed"), "{shown}");
        }
        app.close().await;
    })
    .await;
}
