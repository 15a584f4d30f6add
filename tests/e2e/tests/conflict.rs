//! A change made on a stale copy of a request is refused (issue 18 item 4), in the
//! real window: the request page is loaded; the request is changed behind it
//! (another client's change, which the page does not hear of); the officer's
//! status change on the stale page is refused with "changed by NAME at TIME —
//! reload", nothing of it is written (read back with the CLI), and Reload shows
//! the other change, after which the officer's change goes through.
//!
//! The change behind the page is sent to the app's own command (`change_status`,
//! without a version, as an older client or a script sends it) from the page's
//! script, not through the page's React state: the CLI cannot write a register
//! file the app holds open (one writing process per file), and a second window on
//! the same file is the team register's case (both stores are tested in
//! `core/tests/conflict_stores.rs`, two officers at once on PostgreSQL and SQLite).
//!
//! Build first: `npm --prefix ui run build && cargo build -p rightsdesk-app -p rightsdesk-cli`.

use rightsdesk_e2e::{within, App, Options, Sandbox};
use serde_json::json;

const NOW: &str = "2026-11-04T10:00:00Z";

fn shown(sandbox: &Sandbox, reference: &str) -> serde_json::Value {
    sandbox.cli_json(&["request", "show", reference, "--json"])
}

/// `request add` of a request of `kind` under the EU GDPR in Germany, received on 2 November
/// 2026, from `name` at `email`: the request as the CLI prints it.
fn add(sandbox: &Sandbox, kind: &str, name: &str, email: &str) -> serde_json::Value {
    #[rustfmt::skip]
    let args = ["request", "add", "--type", kind, "--regime", "eu-gdpr", "--jurisdiction", "DE", "--received", "2026-11-02",
        "--email", email, "--name", name, "--json"];
    sandbox.cli_json(&args)
}

/// Opens the request's page from the list.
async fn open(app: &App, reference: &str) {
    app.click("[data-testid=nav-requests]").await;
    app.wait_for("table[data-testid=request-list]").await;
    app.click(&format!("tr[data-reference='{reference}'] td[data-col=subject]")).await;
}

/// Behind the page (or the list): the request moved to `to` through the app's own command,
/// without a version, as an older client or a script sends it.
async fn change_behind(app: &App, id: &str, to: &str) {
    let behind = app
        .js(
            "return window.__TAURI_INTERNALS__.invoke('change_status', \
             { id: arguments[0], to: arguments[1], reason: null, expectedVersion: null }) \
             .then(d => ({ ok: d.request.status }), e => ({ err: e }));",
            vec![json!(id), json!(to)],
        )
        .await;
    assert_eq!(behind, json!({ "ok": to }), "the change behind the page");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_status_change_on_a_stale_page_is_refused_naming_who_changed_it_and_reload_shows_it() {
    within(async {
        let sandbox = Sandbox::new().with_now(NOW);
        let added = add(&sandbox, "access", "Ada Example", "ada@example.org");
        let reference = added["reference"].as_str().expect("a reference").to_string();
        let id = added["id"].as_str().expect("an id").to_string();
        let app = App::start(Options::new().now(NOW).sandbox(sandbox).env("USER", "anna")).await;
        open(&app, &reference).await;
        app.wait_for("[data-testid=request-detail] [data-testid=detail-status] .status-received").await;
        app.wait_for("button[data-status=in-progress]").await;

        // Behind the page: someone moves the request to "awaiting identity".
        change_behind(&app, &id, "awaiting-identity").await;
        let before = shown(app.sandbox(), &reference);
        assert_eq!(before["timeline"].as_array().unwrap().len(), 2);
        assert!(app.exists("[data-testid=detail-status] .status-received").await, "the page still shows its stale copy");

        // The officer starts the work on the stale page: refused, naming who changed it and when.
        app.click("button[data-status=in-progress]").await;
        let alert = app.wait_for("[data-testid=conflict]").await.text().await.expect("the conflict's text");
        let last = &before["timeline"][1];
        // Its time as recorded ("2026-11-04T10:00:00Z"), read as "2026-11-04 10:00:00 UTC".
        let at = last["at"].as_str().expect("the change's time")[..19].replace('T', " ");
        let expected = format!("changed by anna at {at} UTC — reload");
        assert!(alert.contains(&expected), "{alert:?} should say {expected:?}");
        assert_eq!(shown(app.sandbox(), &reference), before, "nothing of the refused change was written");

        // Reload shows the other change; the officer's change then goes through.
        app.click("[data-testid=conflict-reload]").await;
        app.wait_for("[data-testid=detail-status] .status-awaiting-identity").await;
        app.wait_gone("[data-testid=conflict]").await;
        app.click("button[data-status=in-progress]").await;
        app.wait_for("[data-testid=detail-status] .status-in-progress").await;
        assert!(!app.exists("[data-testid=conflict]").await);
        let after = shown(app.sandbox(), &reference);
        assert_eq!(after["request"]["status"], "in-progress");
        assert_eq!(after["timeline"].as_array().unwrap().len(), 3);
        app.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_task_closed_on_a_stale_page_is_refused_and_reload_lets_it_through() {
    within(async {
        let sandbox = Sandbox::new().with_now(NOW);
        let map = sandbox.path().join("map.csv");
        std::fs::write(&map, "name,role,legal_duty\nCRM,own,\n").unwrap();
        sandbox.cli_json(&["systems", "import", map.to_str().unwrap(), "--json"]);
        let added = add(&sandbox, "erasure", "Ada Example", "ada@example.org");
        let reference = added["reference"].as_str().expect("a reference").to_string();
        let id = added["id"].as_str().expect("an id").to_string();
        let app = App::start(Options::new().now(NOW).sandbox(sandbox).env("USER", "anna")).await;
        open(&app, &reference).await;
        app.wait_for("[data-testid=task] [data-testid=task-done]").await;

        // Behind the page: someone starts the work on the request.
        change_behind(&app, &id, "in-progress").await;

        // "Done" on the stale page: refused with who and when, the task still open.
        app.click("[data-testid=task] [data-testid=task-done]").await;
        let alert = app.wait_for("[data-testid=task] [role=alert]").await.text().await.unwrap();
        assert!(alert.contains("changed by anna at 2026-11-04 10:00:00 UTC — reload"), "{alert:?}");
        let tasks = app.sandbox().cli_json(&["task", "list", &reference, "--json"]);
        assert_eq!(tasks[0]["status"], "open", "nothing written: {tasks}");

        // Reload shows the other change; "Done" then goes through.
        app.click("[data-testid=task-reload]").await;
        app.wait_for("[data-testid=detail-status] .status-in-progress").await;
        app.wait_gone("[data-testid=task] [role=alert]").await;
        app.click("[data-testid=task] [data-testid=task-done]").await;
        app.wait_for("[data-testid=task][data-status=done]").await;
        let tasks = app.sandbox().cli_json(&["task", "list", &reference, "--json"]);
        assert_eq!(tasks[0]["status"], "done");
        app.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn asking_for_identity_proof_on_a_stale_page_is_refused_and_reload_lets_it_through() {
    within(async {
        let sandbox = Sandbox::new().with_now(NOW);
        let added = add(&sandbox, "access", "Ada Example", "ada@example.org");
        let reference = added["reference"].as_str().expect("a reference").to_string();
        let id = added["id"].as_str().expect("an id").to_string();
        let app = App::start(Options::new().now(NOW).sandbox(sandbox).env("USER", "anna")).await;
        open(&app, &reference).await;
        app.wait_for("[data-testid=request-identity]").await;
        change_behind(&app, &id, "in-progress").await;
        let before = shown(app.sandbox(), &reference);

        app.click("[data-testid=request-identity]").await;
        app.wait_for("[data-testid=conflict-reload-work]").await;
        let alert = app.text_of("[data-error-for=identity]").await;
        assert!(alert.contains("changed by anna at 2026-11-04 10:00:00 UTC — reload"), "{alert:?}");
        assert_eq!(shown(app.sandbox(), &reference), before, "nothing written");

        app.click("[data-testid=conflict-reload-work]").await;
        app.wait_for("[data-testid=detail-status] .status-in-progress").await;
        app.wait_gone("[data-testid=conflict-reload-work]").await;
        app.click("[data-testid=request-identity]").await;
        app.wait_until("the request for proof is on the timeline", || async {
            shown(app.sandbox(), &reference)["timeline"].as_array().unwrap().len() == 3
        })
        .await;
        assert!(!app.exists("[data-testid=conflict-reload-work]").await);
        app.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_attached_on_a_stale_page_is_refused_and_reload_lets_it_through() {
    within(async {
        let sandbox = Sandbox::new().with_now(NOW);
        let added = add(&sandbox, "access", "Ada Example", "ada@example.org");
        let reference = added["reference"].as_str().expect("a reference").to_string();
        let id = added["id"].as_str().expect("an id").to_string();
        let export = sandbox.path().join("home").join("crm-export.json");
        std::fs::write(&export, b"{\"customer\": \"Ada Example\"}").unwrap();
        let app = App::start(Options::new().now(NOW).sandbox(sandbox).env("USER", "anna")).await;
        open(&app, &reference).await;
        app.wait_for("[data-testid=evidence-panel] [data-testid=evidence-choose]").await;

        // Behind the page: someone starts the work on the request.
        change_behind(&app, &id, "in-progress").await;
        let before = shown(app.sandbox(), &reference);

        // Attaching on the stale page: refused with who and when, no file stored or recorded.
        app.click("[data-testid=evidence-choose]").await;
        app.answer_file_dialog("Choose the file to attach", &export, false).await;
        app.wait_until("the picked file is named", || async { app.text_of("[data-testid=evidence-chosen]").await == "crm-export.json" })
            .await;
        app.click("[data-testid=attach-evidence]").await;
        app.wait_for("[data-testid=evidence-panel] [data-testid=evidence-reload]").await;
        let alert = app.text_of("[data-testid=evidence-panel] [role=alert]").await;
        assert!(alert.contains("changed by anna at 2026-11-04 10:00:00 UTC — reload"), "{alert:?}");
        assert_eq!(shown(app.sandbox(), &reference), before, "nothing recorded");
        let files = app.sandbox().cli_json(&["evidence", "list", &reference, "--json"]);
        assert_eq!(files.as_array().map(Vec::len), Some(0), "nothing stored: {files}");

        // Reload shows the other change; the same file then attaches.
        app.click("[data-testid=evidence-reload]").await;
        app.wait_for("[data-testid=detail-status] .status-in-progress").await;
        app.wait_gone("[data-testid=evidence-panel] [role=alert]").await;
        app.click("[data-testid=attach-evidence]").await;
        app.wait_for("[data-testid=evidence-panel] [data-testid=evidence-item]").await;
        let files = app.sandbox().cli_json(&["evidence", "list", &reference, "--json"]);
        assert_eq!(files[0]["name"], "crm-export.json", "{files}");
        app.close().await;
    })
    .await;
}

/// The list's bulk actions (issue 18 item 4): the list is shown; one of the selected requests is
/// changed behind it; the bulk status change is refused in the bulk bar with who and when,
/// nothing written; Reload reads the list again, and the same action then goes through.
#[tokio::test(flavor = "multi_thread")]
async fn a_bulk_action_on_a_stale_list_is_refused_naming_who_changed_it_and_reload_lets_it_through() {
    within(async {
        let sandbox = Sandbox::new().with_now(NOW);
        let (ada, bob) =
            (add(&sandbox, "access", "Ada Example", "ada@example.org"), add(&sandbox, "access", "Bob Example", "bob@example.org"));
        let refs = [&ada, &bob].map(|r| r["reference"].as_str().expect("a reference").to_string());
        let bob_id = bob["id"].as_str().expect("an id").to_string();
        let app = App::start(Options::new().now(NOW).sandbox(sandbox).env("USER", "anna")).await;
        app.click("[data-testid=nav-requests]").await;
        let row = |reference: &str| format!("table[data-testid=request-list] tr[data-reference='{reference}']");
        for reference in &refs {
            app.wait_for(&format!("{} td[data-col=status] .status-received", row(reference))).await;
        }

        // Behind the list: someone moves Bob's request to "awaiting identity".
        change_behind(&app, &bob_id, "awaiting-identity").await;
        let before = refs.clone().map(|r| shown(app.sandbox(), &r));

        // The officer starts the work on both from the stale list: refused, naming who and when.
        for reference in &refs {
            app.click(&format!("{} [data-testid=select-row]", row(reference))).await;
        }
        app.set_value("select[name=bulk-status]", "in-progress").await;
        app.click("[data-testid=bulk-apply]").await;
        app.click("[data-testid=confirm-yes]").await;
        let alert = app.wait_for("[data-testid=bulk-bar] [role=alert]").await.text().await.expect("the refusal's text");
        let at = before[1]["timeline"][1]["at"].as_str().expect("the change's time")[..19].replace('T', " ");
        let expected = format!("changed by anna at {at} UTC — reload");
        assert!(alert.contains(&expected), "{alert:?} should say {expected:?}");
        assert_eq!(refs.clone().map(|r| shown(app.sandbox(), &r)), before, "nothing of the refused action was written");

        // Reload shows the other change; the same action then goes through on both.
        app.click("[data-testid=bulk-conflict-reload]").await;
        app.wait_for(&format!("{} td[data-col=status] .status-awaiting-identity", row(&refs[1]))).await;
        app.wait_gone("[data-testid=bulk-bar] [role=alert]").await;
        app.click("[data-testid=bulk-apply]").await;
        app.click("[data-testid=confirm-yes]").await;
        app.wait_until("the result is announced", || async { app.text_of("[data-testid=bulk-done]").await.starts_with('2') }).await;
        for reference in &refs {
            assert_eq!(shown(app.sandbox(), reference)["request"]["status"], "in-progress", "{reference}");
        }
        app.close().await;
    })
    .await;
}
