//! Tasks assigned to a member of the team, and the list's "Assigned to me" (issue 18
//! item 4), in the real window on a register file, where "me" is the name the app
//! records changes under (USER=anna here): the officer assigns a task of one request to
//! herself in its task row, the row and the timeline say so, and ticking "Assigned to
//! me" leaves only that request in the list (another request, whose task is assigned to
//! ben with the CLI, is not); unticked, both are back. Read back with the CLI.
//! Both stores' services are tested in `core/tests/task_assign_stores.rs`.
//!
//! Build first: `npm --prefix ui run build && cargo build -p rightsdesk-app -p rightsdesk-cli`.

use rightsdesk_e2e::{within, App, Options, Sandbox};

const NOW: &str = "2026-11-04T10:00:00Z";
const ROWS: &str = "table[data-testid=request-list] tbody tr[data-testid=request-row]";

fn add(sandbox: &Sandbox, name: &str, email: &str) -> String {
    let added = sandbox.cli_json(&[
        "request",
        "add",
        "--type",
        "erasure",
        "--regime",
        "eu-gdpr",
        "--jurisdiction",
        "DE",
        "--received",
        "2026-11-02",
        "--email",
        email,
        "--name",
        name,
        "--json",
    ]);
    added["reference"].as_str().expect("a reference").to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_task_assigned_to_me_in_its_row_puts_its_request_on_the_assigned_to_me_list() {
    within(async {
        let sandbox = Sandbox::new().with_now(NOW);
        let map = sandbox.path().join("map.csv");
        std::fs::write(&map, "name,role,legal_duty\nCRM,own,\nBilling,own,\n").unwrap();
        sandbox.cli_json(&["systems", "import", map.to_str().unwrap(), "--json"]);
        let mine = add(&sandbox, "Ada Example", "ada@example.org");
        let other = add(&sandbox, "Bob Sample", "bob@example.org");
        sandbox.cli_json(&["task", "assign", &format!("{other}#1"), "ben", "--json"]);

        let app = App::start(Options::new().now(NOW).sandbox(sandbox).env("USER", "anna")).await;
        app.click("[data-testid=nav-requests]").await;
        app.wait_for("table[data-testid=request-list]").await;
        app.wait_until("both requests are listed", || async { app.count(ROWS).await == 2 }).await;
        app.click(&format!("tr[data-reference='{mine}'] td[data-col=subject]")).await;
        let first_task = "[data-testid=tasks-panel] li[data-testid=task]:first-child";
        app.wait_for(&format!("{first_task} [name=task-assignee]")).await;
        assert!(!app.exists(&format!("{first_task} [data-testid=task-assignee]")).await, "nobody yet");
        app.type_into(&format!("{first_task} [name=task-assignee]"), "anna").await;
        app.click(&format!("{first_task} [data-testid=task-assign]")).await;
        let shown = app.wait_for(&format!("{first_task} [data-testid=task-assignee]")).await;
        assert_eq!(shown.text().await.unwrap(), "Assigned to anna");
        app.wait_until("the timeline records the assignment", || async {
            app.text_of("[data-testid=timeline]").await.contains("assigned to anna")
        })
        .await;
        let tasks = app.sandbox().cli_json(&["task", "list", &mine, "--json"]);
        assert_eq!(tasks[0]["assignee"], "anna", "saved: {tasks}");

        // The list, "Assigned to me": only the request whose open task is anna's.
        app.click("[data-testid=back-to-list]").await;
        app.wait_until("both requests are listed", || async { app.count(ROWS).await == 2 }).await;
        app.click("input[name=assigned-to-me]").await;
        app.wait_until("only anna's request is listed", || async { app.count(ROWS).await == 1 }).await;
        assert!(app.exists(&format!("tr[data-reference='{mine}']")).await);
        assert!(!app.exists(&format!("tr[data-reference='{other}']")).await, "ben's is not anna's");
        app.click("input[name=assigned-to-me]").await;
        app.wait_until("both are back", || async { app.count(ROWS).await == 2 }).await;
        app.close().await;
    })
    .await;
}
