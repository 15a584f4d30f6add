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

/// The daily backup runs by itself when the window opens; when it cannot be written (here the
/// backup folder has become a file), the officer sees it on the status line, with the core's words
/// and when, and the log records it by its code alone.
#[tokio::test(flavor = "multi_thread")]
async fn a_daily_backup_that_fails_when_the_window_opens_is_shown_on_the_status_line() {
    use rightsdesk_core::backups;
    use rightsdesk_core::clock::FixedClock;
    use rightsdesk_core::store::{Db, DbKey};
    within(async {
        let sandbox = Sandbox::with_demo(LOADED);
        let folder = sandbox.path().join("backups");
        {
            let db = Db::open(sandbox.db_path(), &DbKey::passphrase(rightsdesk_e2e::TEST_PASSPHRASE).unwrap()).unwrap();
            backups::set_schedule(&db, &FixedClock::at("2025-09-20"), "e2e", folder.to_str().unwrap(), 7, true).unwrap();
        }
        // The folder chosen for the daily backups is now a file: no backup can be written there.
        std::fs::write(&folder, b"not a folder").unwrap();
        let app = App::start(Options::new().now(LOADED).sandbox(sandbox)).await;
        app.wait_for("table[data-testid=request-list]").await;
        let line = "[role=status] [data-testid=status-daily-backup]";
        app.wait_for_within(line, std::time::Duration::from_secs(30)).await;
        let text = app.text_of(line).await;
        assert!(text.starts_with("The daily backup failed: "), "{text}");
        assert!(text.contains("2025"), "the line says when: {text}");
        let logs = app.db_path().parent().unwrap().join("logs");
        let log: String = std::fs::read_dir(&logs)
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with("rightsdesk."))
            .map(|e| std::fs::read_to_string(e.path()).unwrap())
            .collect();
        assert!(log.contains("background job failed") && log.contains("job=\"daily-backup\"") && log.contains("code=io"), "{log}");
        assert!(!log.contains(folder.to_str().unwrap()), "the log names no folder the officer chose:\n{log}");
        app.close().await;
    })
    .await;
}
