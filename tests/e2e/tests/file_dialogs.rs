//! Where the window writes and reads files: only where the officer picks in the
//! OS file dialog (issue 16 items 1 and 2). Each test drives the real GTK file
//! chooser the backend opens, with xdotool on the test's own X server: what is
//! saved lands where it was picked, owner-only; cancelling writes nothing;
//! replacing a file needs GTK's confirmation; and picking the database itself
//! (or a symlink to it) is refused, naming the file, with the database intact.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use rightsdesk_e2e::{count_requests, within, App, Options, Sandbox};

const NOW: &str = "2025-09-20T10:00:00Z";

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

async fn register_screen(app: &App) {
    app.wait_for("table[data-testid=request-list]").await;
    app.click("[data-testid=nav-register]").await;
    app.wait_for("[data-testid=metrics-table]").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_register_is_saved_where_the_officer_picks_owner_only_and_a_cancelled_dialog_writes_nothing() {
    within(async {
        let sandbox = Sandbox::with_demo(NOW);
        let app = App::start(Options::new().now(NOW).sandbox(sandbox)).await;
        register_screen(&app).await;
        let home = app.sandbox().path().join("home");

        // Cancelled: no file, no message, and the grant is not left behind for a later call.
        app.click("[data-testid=export-register]").await;
        app.cancel_file_dialog("Save the register").await;
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        assert!(!app.exists("[data-testid=export-done]").await && !app.exists("[role=alert]").await);
        let before: Vec<_> = std::fs::read_dir(&home).unwrap().flatten().map(|e| e.path()).collect();
        assert!(before.is_empty(), "nothing written: {before:?}");

        // Picked: written there, readable by the officer only (it holds every subject's name).
        let picked = home.join("register.json");
        app.set_value("[data-testid=export-format]", "json").await;
        app.click("[data-testid=export-register]").await;
        app.answer_file_dialog("Save the register", &picked, false).await;
        let done = app.text_of("[data-testid=export-done]").await;
        assert!(done.contains("16 requests") && done.contains(picked.to_str().unwrap()), "{done}");
        let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&picked).unwrap()).unwrap();
        assert!(json.to_string().contains("Marta Kowalczyk"));
        assert_eq!(mode(&picked), 0o600, "an export of personal data is owner-only");

        // The same file again: GTK asks before replacing it, and the officer confirms.
        std::fs::write(&picked, b"an older export").unwrap();
        app.click("[data-testid=export-register]").await;
        app.answer_file_dialog("Save the register", &picked, true).await;
        app.wait_until("the file is replaced", || async {
            std::fs::read(&picked).map(|b| b.starts_with(b"[") || b.starts_with(b"{")).unwrap_or(false)
        })
        .await;
        assert_eq!(mode(&picked), 0o600);
        app.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn picking_the_database_or_a_symlink_to_it_in_the_save_dialog_is_refused_and_the_register_is_intact() {
    within(async {
        let sandbox = Sandbox::with_demo(NOW);
        let db = sandbox.db_path().to_path_buf();
        let link = sandbox.path().join("home").join("figures.csv");
        std::os::unix::fs::symlink(&db, &link).unwrap();
        let app = App::start(Options::new().now(NOW).sandbox(sandbox)).await;
        register_screen(&app).await;
        let db_before = std::fs::read(&db).unwrap();

        // The officer confirms GTK's "replace?" for the database file itself: the backend still refuses.
        app.click("[data-testid=export-register]").await;
        app.answer_file_dialog("Save the register", &db, true).await;
        let alert = app.text_of("[role=alert][data-error-for=out]").await;
        assert!(alert.contains(db.to_str().unwrap()) && alert.contains("is the database"), "names the file and why: {alert}");

        // A symlink to the database, picked for the figures: refused too.
        app.click("[data-testid=metrics-csv]").await;
        app.answer_file_dialog("Save the figures", &link, true).await;
        app.wait_until("the figures are refused", || async {
            app.js("return [...document.querySelectorAll('[role=alert]')].map(e => e.textContent).join(' | ');", vec![])
                .await
                .as_str()
                .is_some_and(|t| t.contains(link.to_str().unwrap()))
        })
        .await;

        assert_eq!(std::fs::read(&db).unwrap(), db_before, "the database is byte for byte as it was");
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the symlink was not replaced");
        assert!(!app.exists("[data-testid=export-done]").await && !app.exists("[data-testid=metrics-csv-done]").await);
        assert_eq!(count_requests(&db), 16, "the register still reads with every request");
        app.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_deadlines_calendar_is_saved_through_the_dialog_owner_only() {
    within(async {
        let sandbox = Sandbox::with_demo(NOW);
        let app = App::start(Options::new().now(NOW).sandbox(sandbox)).await;
        app.wait_for("table[data-testid=request-list]").await;
        app.click("[data-testid=nav-reminders]").await;
        let picked = app.sandbox().path().join("home").join("deadlines.ics");
        app.click("[data-testid=export-ics]").await;
        app.answer_file_dialog("Save the deadlines calendar", &picked, false).await;
        let saved = app.text_of("[data-testid=ics-saved]").await;
        assert!(saved.contains(picked.to_str().unwrap()), "{saved}");
        let ics = std::fs::read_to_string(&picked).unwrap();
        assert!(ics.starts_with("BEGIN:VCALENDAR") && ics.contains("BEGIN:VEVENT"), "{ics}");
        assert_eq!(mode(&picked), 0o600);
        app.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_backup_folder_inside_the_evidence_folder_is_refused_even_when_picked() {
    within(async {
        let sandbox = Sandbox::with_demo(NOW);
        let evidence = sandbox.path().join("evidence");
        std::fs::create_dir_all(evidence.join("backups")).unwrap();
        let app = App::start(Options::new().now(NOW).sandbox(sandbox)).await;
        app.wait_for("table[data-testid=request-list]").await;
        app.click("[data-testid=nav-safety]").await;
        app.wait_for("[data-testid=backup-panel]").await;
        app.click("[data-testid=choose-backup-dir]").await;
        app.answer_file_dialog("Choose the backup folder", &evidence.join("backups"), false).await;
        app.click("[data-testid=save-backup-schedule]").await;
        let refused = app.text_of("[data-error-for=dir]").await;
        assert!(refused.contains("evidence") && refused.contains("elsewhere"), "{refused}");
        let schedule = app.js("return window.__TAURI_INTERNALS__.invoke('backup_schedule');", vec![]).await;
        assert!(schedule["dir"].is_null(), "no folder was saved: {schedule}");
        app.close().await;
    })
    .await;
}
