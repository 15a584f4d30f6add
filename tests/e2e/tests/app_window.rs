//! User stories played in the real Rightsdesk window (WebKitGTK under Xvfb, over WebDriver).
//!
//! Build first: `npm --prefix ui run build && cargo build -p rightsdesk-app -p rightsdesk-cli`,
//! then `cargo test -p rightsdesk-e2e`.

use rightsdesk_e2e::{count_requests, within, App, Options, Sandbox};
use serde_json::Value;

const FORM: &str = "form[data-testid=new-request-form]";
const ROWS: &str = "table[data-testid=request-list] tbody tr[data-testid=request-row]";
const LIST_SHOWN: &str = "table[data-testid=request-list], [data-testid=list-empty]";

fn field(name: &str) -> String {
    format!("{FORM} [name={name}]")
}

/// "in-progress", "In progress" and "In Progress" all read as "in progress".
fn words(s: &str) -> String {
    s.trim().to_lowercase().replace('-', " ")
}

/// The legal due date a due cell shows: `YYYY-MM-DD` or "no statutory date".
/// The cell may go on with the internal target ("2025-02-28" then "target 2025-02-21");
/// only the legal date at its start counts here.
fn legal_due(cell: &str) -> String {
    let cell = cell.trim();
    if cell.starts_with("no statutory date") {
        return "no statutory date".to_string();
    }
    let b = cell.as_bytes();
    let is_date =
        b.len() >= 10 && b[4] == b'-' && b[7] == b'-' && b[..10].iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if is_date {
        cell[..10].to_string()
    } else {
        cell.to_string()
    }
}

/// The legal due date of a listed row: the ISO date behind the localised text
/// (`<time datetime>`), or the cell's text ("no statutory date").
async fn row_due(app: &App, row: &str) -> String {
    let cell = format!("{row} td[data-col=due]");
    match app.all(&format!("{cell} time")).await.first() {
        Some(time) => time.attr("datetime").await.ok().flatten().unwrap_or_default(),
        None => legal_due(&app.text_of(&cell).await),
    }
}

/// The request object in the CLI's JSON (top level, or under "request").
fn request_json(v: &Value) -> &Value {
    v.get("request").filter(|r| r.is_object()).unwrap_or(v)
}

/// From the first-run screen to the (empty) list.
async fn start_empty(app: &App) {
    app.wait_for("[data-testid=first-run]").await;
    app.click("[data-testid=start-empty]").await;
    app.wait_for(LIST_SHOWN).await;
    app.wait_gone("[data-testid=first-run]").await;
}

/// Opens the new-request form and fills in Ada's access request; the caller
/// may override fields before submitting.
async fn fill_adas_request(app: &App, email: &str, received: &str) {
    app.click("[data-testid=new-request]").await;
    app.wait_for(FORM).await;
    app.set_value(&field("type"), "access").await;
    app.set_value(&field("regime"), "eu-gdpr").await;
    app.set_value(&field("jurisdiction"), "DE").await;
    app.type_into(&field("subject_name"), "Ada Example").await;
    app.type_into(&field("subject_email"), email).await;
    app.set_value(&field("received"), received).await;
    app.set_value(&field("channel"), "email").await;
}

async fn submit(app: &App) {
    app.click(&format!("{FORM} button[type=submit]")).await;
}

/// Waits until the field error for `field` is shown and returns its text.
async fn field_error(app: &App, field: &str) -> String {
    let css = format!("[data-error-for={field}]");
    app.wait_until(&format!("{css} shows an error"), || async {
        match app.all(&css).await.first() {
            Some(el) => el.is_displayed().await.unwrap_or(false) && !el.text().await.unwrap_or_default().trim().is_empty(),
            None => false,
        }
    })
    .await;
    app.text_of(&css).await
}

/// The status cells of the listed rows, as words.
async fn status_cells(app: &App) -> Vec<String> {
    let mut statuses = Vec::new();
    for cell in app.all(&format!("{ROWS} td[data-col=status]")).await {
        statuses.push(words(&cell.text().await.unwrap_or_default()));
    }
    statuses
}

#[tokio::test(flavor = "multi_thread")]
async fn an_officer_registers_a_request_and_finds_it_in_the_list_with_its_due_date() {
    within(async {
        let app = App::start(Options::new().now("2025-02-10T10:00:00Z")).await;
        start_empty(&app).await;

        fill_adas_request(&app, "ada@example.org", "2025-01-31").await;
        submit(&app).await;

        app.wait_for("[data-testid=request-detail]").await;
        app.wait_gone(FORM).await;
        let due = app.text_of("[data-testid=detail-due]").await;
        assert!(due.contains("2025-02-28"), "detail due date: {due:?}");

        app.click("[data-testid=back-to-list]").await;
        app.wait_for(ROWS).await;
        let rows = app.all(ROWS).await;
        assert_eq!(rows.len(), 1, "one request in the list");
        let reference = rows[0].attr("data-reference").await.expect("data-reference").unwrap_or_default();
        assert!(reference.starts_with("DSR-2025-"), "row reference: {reference:?}");

        let row = format!("{ROWS}[data-reference=\"{reference}\"]");
        assert_eq!(row_due(&app, &row).await, "2025-02-28");
        assert_eq!(app.text_of(&format!("{row} td[data-col=days-left]")).await, "18 days left");
        let subject = app.text_of(&format!("{row} td[data-col=subject]")).await;
        assert!(subject.contains("Ada Example"), "subject cell: {subject:?}");
        assert_eq!(count_requests(app.db_path()), 1, "the request is in the database");
        app.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_is_refused_at_the_field_and_nothing_is_written() {
    within(async {
        let app = App::start(Options::new().now("2025-02-10T10:00:00Z")).await;
        start_empty(&app).await;

        // The browser accepts "ada@example" as an email address; Rightsdesk does not (no dotted domain).
        fill_adas_request(&app, "ada@example", "2025-01-31").await;
        submit(&app).await;
        let email_error = field_error(&app, "email").await;
        eprintln!("email error: {email_error}");
        assert!(app.exists(FORM).await, "the form stays open after an error");

        // Correct the email; a receipt date after today (2025-02-10) is refused.
        app.type_into(&field("subject_email"), "ada@example.org").await;
        app.set_value(&field("received"), "2025-02-11").await;
        submit(&app).await;
        let received_error = field_error(&app, "received").await;
        eprintln!("received error: {received_error}");
        assert!(app.exists(FORM).await, "the form stays open after an error");
        assert!(!app.exists("[data-testid=request-detail]").await, "no detail view of a request that was not made");

        assert_eq!(count_requests(app.db_path()), 0, "nothing was written");
        app.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_request_added_from_the_cli_is_visible_in_the_app() {
    within(async {
        let sandbox = Sandbox::new().with_now("2025-02-10T10:00:00Z");
        let added = sandbox.cli_json(&[
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
        ]);
        let added = request_json(&added);
        assert_eq!(added["due"], "2025-02-28", "CLI output: {added}");
        let reference = added["reference"].as_str().expect("reference in CLI output").to_string();

        let app = App::start(Options::new().sandbox(sandbox)).await;
        let row = format!("{ROWS}[data-reference=\"{reference}\"]");
        app.wait_for(&row).await;
        assert_eq!(row_due(&app, &row).await, "2025-02-28");
        assert_eq!(app.text_of(&format!("{row} td[data-col=days-left]")).await, "18 days left");
        assert_eq!(words(&app.text_of(&format!("{row} td[data-col=status]")).await), "received");
        app.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_first_run_offers_demo_data_and_the_list_filters_by_status() {
    within(async {
        let app = App::start(Options::new().now("2025-02-10T10:00:00Z")).await;
        app.wait_for("[data-testid=first-run]").await;
        app.click("[data-testid=load-demo]").await;
        app.wait_until("the demo requests are listed", || async { app.count(ROWS).await > 10 }).await;
        let all = app.count(ROWS).await;
        app.screenshot("docs/screenshots/list.png").await;

        app.set_value("select[name=filter-status]", "in-progress").await;
        app.wait_until("only in-progress requests are listed", || async {
            let statuses = status_cells(&app).await;
            !statuses.is_empty() && statuses.iter().all(|s| s == "in progress")
        })
        .await;
        let seen = status_cells(&app).await;
        assert!(seen.len() < all, "the filter hides some of the {all} requests");

        // Back to all: every request is listed again.
        app.set_value("select[name=filter-status]", "").await;
        app.wait_until("all requests are listed again", || async { app.count(ROWS).await == all }).await;
        app.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_status_change_is_recorded_on_the_timeline() {
    within(async {
        let sandbox = Sandbox::new().with_now("2025-02-10T10:00:00Z");
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
            "2025-02-03",
            "--email",
            "bo@example.org",
            "--name",
            "Bo Example",
            "--json",
        ]);
        let reference = request_json(&added)["reference"].as_str().expect("reference").to_string();

        let app = App::start(Options::new().sandbox(sandbox)).await;
        // A person clicks somewhere in the row (WebKitWebDriver calls a <tr> itself "not interactable").
        app.click(&format!("{ROWS}[data-reference=\"{reference}\"] td[data-col=subject]")).await;
        app.wait_for("[data-testid=request-detail]").await;
        app.wait_for("[data-testid=timeline] li").await;
        let before = app.count("[data-testid=timeline] li").await;
        assert_eq!(words(&app.text_of("[data-testid=detail-status]").await), "received");
        assert!(
            !app.exists("button[data-status=completed]").await,
            "a received request cannot be completed directly, so the button is absent"
        );

        app.click("button[data-status=in-progress]").await;
        app.wait_until("the timeline grows by one", || async { app.count("[data-testid=timeline] li").await == before + 1 }).await;
        app.wait_until("the status reads in progress", || async {
            words(&app.text_of("[data-testid=detail-status]").await) == "in progress"
        })
        .await;
        app.wait_for("button[data-status=completed]").await;
        assert!(!app.exists("button[data-status=in-progress]").await, "no move to the status it already has");

        // The change is on record, not just on screen.
        let shown = app.sandbox().cli_json(&["request", "show", &reference, "--json"]);
        assert_eq!(request_json(&shown)["status"], "in-progress", "CLI sees: {shown}");
        app.close().await;
    })
    .await;
}

/// The texts of one column of the listed rows.
/// Dates are read from their `<time datetime>` (the text is in the officer's locale).
async fn column(app: &App, col: &str) -> Vec<String> {
    let mut out = Vec::new();
    for cell in app.all(&format!("{ROWS} td[data-col={col}]")).await {
        let iso = match cell.find(rightsdesk_e2e::Locator::Css("time")).await {
            Ok(time) => time.attr("datetime").await.ok().flatten(),
            Err(_) => None,
        };
        out.push(iso.unwrap_or(cell.text().await.unwrap_or_default().trim().to_string()));
    }
    out
}

/// The legal due dates of the listed open rows that have one, in screen order
/// (closed requests, whose days-left cell is "—", no longer run against a date).
async fn due_dates(app: &App) -> Vec<String> {
    let left = column(app, "days-left").await;
    column(app, "due")
        .await
        .iter()
        .zip(left)
        .filter(|(_, left)| left.trim() != "—")
        .map(|(d, _)| legal_due(d))
        .filter(|d| d != "no statutory date")
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_list_sorts_by_due_date_filters_by_type_and_searches() {
    within(async {
        let app = App::start(Options::new().now("2025-02-10T10:00:00Z")).await;
        app.click("[data-testid=load-demo]").await;
        app.wait_until("the demo requests are listed", || async { app.count(ROWS).await > 10 }).await;
        let all = app.count(ROWS).await;

        // Due dates are YYYY-MM-DD (or "no statutory date"); soonest first, then latest first after a click.
        for cell in column(&app, "due").await {
            let due = legal_due(&cell);
            assert!(due == "no statutory date" || due.len() == 10, "due cell {cell:?}");
        }
        let asc = due_dates(&app).await;
        assert!(asc.windows(2).all(|w| w[0] <= w[1]), "soonest first: {asc:?}");
        let left = column(&app, "days-left").await;
        let first_closed = left.iter().position(|l| l.trim() == "—").unwrap_or(left.len());
        assert!(left[first_closed..].iter().all(|l| l.trim() == "—"), "closed requests come after open ones: {left:?}");
        app.click("th[data-sort=due] button").await;
        app.wait_until("the list is sorted latest first", || async {
            let d = due_dates(&app).await;
            d.len() == asc.len() && d.windows(2).all(|w| w[0] >= w[1]) && d != asc
        })
        .await;
        app.click("th[data-sort=due] button").await;
        app.wait_until("the list is sorted soonest first again", || async { due_dates(&app).await == asc }).await;

        // Type filter: only erasure requests.
        app.set_value("select[name=filter-type]", "erasure").await;
        app.wait_until("only erasure requests are listed", || async {
            let types = column(&app, "type").await;
            !types.is_empty() && types.len() < all && types.iter().all(|t| words(t) == "erasure")
        })
        .await;
        app.set_value("select[name=filter-type]", "").await;
        app.wait_until("all requests are listed again", || async { app.count(ROWS).await == all }).await;

        // Search by a subject's name, then by something nobody is called.
        app.type_into("input[name=search]", "Hannah Becker").await;
        app.wait_until("one request matches the name", || async { app.count(ROWS).await == 1 }).await;
        let subject = app.text_of(&format!("{ROWS} td[data-col=subject]")).await;
        assert!(subject.contains("Hannah Becker"), "subject cell: {subject:?}");
        app.type_into("input[name=search]", "Nobody Atall").await;
        app.wait_for("[data-testid=list-empty]").await;
        assert_eq!(app.count(ROWS).await, 0);
        app.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn refusing_a_request_needs_a_reason_and_closes_it() {
    within(async {
        let sandbox = Sandbox::new().with_now("2025-02-10T10:00:00Z");
        let added = sandbox.cli_json(&[
            "request",
            "add",
            "--type",
            "access",
            "--regime",
            "uk-gdpr",
            "--jurisdiction",
            "GB-ENG",
            "--received",
            "2025-02-03",
            "--email",
            "cy@example.co.uk",
            "--name",
            "Cy Example",
            "--json",
        ]);
        let reference = request_json(&added)["reference"].as_str().expect("reference").to_string();

        let app = App::start(Options::new().sandbox(sandbox)).await;
        app.click(&format!("{ROWS}[data-reference=\"{reference}\"] td[data-col=subject]")).await;
        app.wait_for("[data-testid=request-detail]").await;
        app.wait_for("[data-testid=explanation] li").await;
        app.wait_for("[data-testid=timeline] li").await;
        let before = app.count("[data-testid=timeline] li").await;

        // Without a reason the refusal is refused, with a message, and nothing changes.
        app.click("button[data-status=refused]").await;
        app.wait_for("[data-testid=request-detail] [role=alert]").await;
        let alert = app.text_of("[data-testid=request-detail] [role=alert]").await;
        assert!(alert.to_lowercase().contains("reason"), "the message says a reason is needed: {alert:?}");
        assert_eq!(words(&app.text_of("[data-testid=detail-status]").await), "received");
        assert_eq!(app.count("[data-testid=timeline] li").await, before);

        app.type_into("[name=status-reason]", "Manifestly unfounded: a repeat of last week's request").await;
        app.click("button[data-status=refused]").await;
        // The status may be followed by its reason ("Refused — Manifestly unfounded…").
        app.wait_until("the status reads refused", || async {
            words(&app.text_of("[data-testid=detail-status]").await).starts_with("refused")
        })
        .await;
        app.wait_until("the timeline grows by one", || async { app.count("[data-testid=timeline] li").await == before + 1 }).await;
        let timeline = app.text_of("[data-testid=timeline]").await;
        assert!(timeline.contains("Manifestly unfounded"), "the reason is on the timeline: {timeline}");
        app.wait_gone("button[data-status]").await; // a refused request is closed: no further moves

        // Back in the list, the row says refused and counts no days.
        app.click("[data-testid=back-to-list]").await;
        let row = format!("{ROWS}[data-reference=\"{reference}\"]");
        app.wait_for(&row).await;
        assert_eq!(words(&app.text_of(&format!("{row} td[data-col=status]")).await), "refused");
        assert_eq!(app.text_of(&format!("{row} td[data-col=days-left]")).await, "—");
        app.close().await;
    })
    .await;
}
