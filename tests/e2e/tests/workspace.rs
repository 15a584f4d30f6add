//! The officer's workspace in the real window: the dashboard, one search across
//! notes, saved views, a bulk action, a keyboard-only path, 100,000 requests in
//! a virtualised list, the accessibility check (axe-core) on every screen, and
//! the README screenshots in light and dark.
//!
//! Build first: `npm --prefix ui run build && cargo build -p rightsdesk-app -p rightsdesk-cli`.

use std::time::Duration;

use fantoccini::key::Key;
use rightsdesk_e2e::{within, App, Options, Sandbox, TEST_PASSPHRASE};
use serde_json::{json, Value};

const NOW: &str = "2025-02-10T10:00:00Z";
const ROWS: &str = "table[data-testid=request-list] tbody tr[data-testid=request-row]";

async fn type_keys(app: &App, text: &str) {
    app.press(&text.chars().collect::<Vec<_>>()).await;
}

/// A short description of the focused element.
async fn focused(app: &App) -> String {
    let v = app
        .js(
            "const e = document.activeElement; if (!e) return ''; \
             return [e.tagName.toLowerCase(), e.getAttribute('data-testid') || '', e.getAttribute('name') || '', \
                     e.getAttribute('data-reference') || '', e.getAttribute('data-index') || ''].join('|');",
            vec![],
        )
        .await;
    v.as_str().unwrap_or_default().to_string()
}

async fn wait_focus(app: &App, what: &str, want: impl Fn(&str) -> bool) {
    app.wait_until(what, || async { want(&focused(app).await) }).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_dashboard_shows_overdue_requests_first_with_their_target_and_legal_date() {
    within(async {
        let sandbox = Sandbox::with_demo(NOW);
        let expected = sandbox.cli_json(&["dashboard", "--json"]);
        let app = App::start(Options::new().sandbox(sandbox)).await;
        app.click("[data-testid=nav-dashboard]").await;
        app.wait_for("[data-testid=dashboard]").await;

        let overdue = expected["overdue_count"].as_u64().expect("overdue count");
        assert!(overdue > 0, "the demo has overdue requests: {expected}");
        assert_eq!(app.text_of("[data-testid=stat-overdue] [data-value]").await, overdue.to_string());
        assert_eq!(app.text_of("[data-testid=stat-open] [data-value]").await, expected["open"].to_string());

        // The most overdue request comes first, with both of its dates (as the core computed them).
        let first = &expected["overdue"][0];
        let reference = first["reference"].as_str().expect("reference");
        let row = "[data-testid=overdue-list] tr[data-testid=due-row]";
        app.wait_for(row).await;
        let rows = app.all(row).await;
        assert_eq!(rows[0].attr("data-reference").await.ok().flatten().as_deref(), Some(reference));
        for col in ["due", "target"] {
            let time = app.wait_for(&format!("{row}:first-child td[data-col={col}] time")).await;
            assert_eq!(time.attr("datetime").await.ok().flatten().as_deref(), first[col].as_str(), "{col}");
        }
        assert!(app.text_of(&format!("{row}:first-child td[data-col=days-left]")).await.contains("overdue"));

        // What needs the officer today starts with the overdue request; the chart covers 12 months.
        let need = app.wait_for("[data-testid=needs-you] [data-testid=need]").await;
        assert_eq!(need.attr("data-kind").await.ok().flatten().as_deref(), Some("overdue"));
        assert_eq!(app.count("[data-testid=per-month] svg g").await, 12);
        assert!(app.exists("[data-testid=by-regime] li[data-key=eu-gdpr]").await);

        // A reference on the dashboard opens the request.
        app.click(&format!("{row}:first-child button")).await;
        app.wait_for("[data-testid=request-detail]").await;
        assert!(app.text_of("#detail-heading").await.contains(reference));
        app.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn one_search_finds_notes_and_a_saved_view_brings_it_back() {
    within(async {
        let app = App::start(Options::new().sandbox(Sandbox::with_demo(NOW))).await;
        app.wait_for(ROWS).await;
        let all = app.count(ROWS).await;

        // "CRM" is in the notes of two demo requests, in no name, email or reference.
        app.type_into("input[name=search]", "CRM").await;
        app.wait_until("the two requests whose notes mention the CRM are listed", || async { app.count(ROWS).await == 2 }).await;
        let mut names = Vec::new();
        for cell in app.all(&format!("{ROWS} td[data-col=subject]")).await {
            // innerText: WebKit's WebDriver reads a name shortened with an ellipsis as empty.
            names.push(cell.prop("innerText").await.ok().flatten().unwrap_or_default());
        }
        assert!(names.iter().any(|n| n.contains("Marta Kowalczyk")), "{names:?}");
        assert!(names.iter().any(|n| n.contains("Lukas Hofer")), "{names:?}");

        // Sort by subject, save the view, leave it, and come back to it by name.
        app.click("[data-testid=sort-subject]").await;
        app.wait_until("sorted by subject", || async {
            app.all("th[data-sort=subject]").await[0].attr("aria-sort").await.ok().flatten().as_deref() == Some("ascending")
        })
        .await;
        app.click("[data-testid=save-view]").await;
        app.type_into("input[name=view-name]", "CRM notes").await;
        app.click("[data-testid=save-view-confirm]").await;
        app.wait_gone("input[name=view-name]").await;
        app.set_value("input[name=search]", "").await;
        app.wait_until("every request is listed again", || async { app.count(ROWS).await == all }).await;
        let saved = app
            .js(
                "return [...document.querySelectorAll('select[name=saved-view] option')].find(o => o.textContent === 'CRM notes').value;",
                vec![],
            )
            .await;
        app.set_value("select[name=saved-view]", saved.as_str().expect("saved view id")).await;
        app.wait_until("the saved view is applied", || async { app.count(ROWS).await == 2 }).await;
        let search = app.js("return document.querySelector('input[name=search]').value;", vec![]).await;
        assert_eq!(search, json!("CRM"));
        app.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bulk_status_change_is_confirmed_and_recorded_on_each_request() {
    within(async {
        let app = App::start(Options::new().sandbox(Sandbox::with_demo(NOW))).await;
        app.wait_for(ROWS).await;
        app.set_value("select[name=filter-status]", "received").await;
        app.wait_until("only received requests are listed", || async {
            let mut statuses = Vec::new();
            for c in app.all(&format!("{ROWS} td[data-col=status]")).await {
                statuses.push(c.text().await.unwrap_or_default().to_lowercase());
            }
            !statuses.is_empty() && statuses.iter().all(|s| s == "received")
        })
        .await;
        let mut references = Vec::new();
        for row in app.all(ROWS).await {
            references.push(row.attr("data-reference").await.ok().flatten().expect("reference"));
        }
        let n = references.len();
        assert!(n >= 2, "the demo has several received requests");

        app.click("[data-testid=select-all]").await;
        let count = app.text_of("[data-testid=bulk-count]").await;
        assert!(count.starts_with(&n.to_string()), "bulk bar says {count:?}");
        app.set_value("select[name=bulk-status]", "in-progress").await;
        app.click("[data-testid=bulk-apply]").await;

        // Nothing happens before the officer confirms.
        let dialog = app.text_of("[data-testid=confirm-dialog]").await;
        assert!(dialog.contains(&format!("{n} requests")), "the dialog names the number: {dialog:?}");
        let first = app.sandbox().cli_json(&["request", "show", &references[0], "--json"]);
        assert_eq!(first["request"]["status"], "received");
        app.click("[data-testid=confirm-yes]").await;

        app.wait_for("[data-testid=list-empty]").await;
        app.wait_until("the result is announced", || async { app.text_of("[data-testid=bulk-done]").await.starts_with(&n.to_string()) })
            .await;
        let mut batches = Vec::new();
        for reference in &references {
            let shown = app.sandbox().cli_json(&["request", "show", reference, "--json"]);
            assert_eq!(shown["request"]["status"], "in-progress", "{reference}");
            let last: Value = shown["timeline"].as_array().and_then(|t| t.last()).cloned().expect("timeline");
            assert_eq!(last["kind"], "status-changed");
            let data: Value = serde_json::from_str(last["data"].as_str().unwrap_or("{}")).expect("event data");
            batches.push(data["batch"].as_str().unwrap_or_default().to_string());
        }
        batches.dedup();
        assert_eq!(batches.len(), 1, "one batch id on every request's timeline: {batches:?}");
        app.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_officer_works_through_requests_with_the_keyboard_alone() {
    within(async {
        let app = App::start(Options::new().sandbox(Sandbox::with_demo(NOW))).await;
        app.wait_for(ROWS).await;

        // ? shows the shortcut sheet; Esc closes it.
        app.press(&['?']).await;
        app.wait_for("[data-testid=shortcut-sheet][open]").await;
        assert!(app.text_of("[data-testid=shortcut-sheet]").await.contains("New request"));
        app.press(&[Key::Escape.into()]).await;
        app.wait_gone("[data-testid=shortcut-sheet]").await;

        // / jumps to the search; typing filters; Enter lands on the first result; Enter opens it.
        app.press(&['/']).await;
        wait_focus(&app, "the search field has the focus", |f| f.contains("|search|")).await;
        type_keys(&app, "Hannah").await;
        app.wait_until("one request matches", || async { app.count(ROWS).await == 1 }).await;
        app.press(&[Key::Enter.into()]).await;
        wait_focus(&app, "the first row has the focus", |f| f.starts_with("tr|request-row|")).await;
        app.press(&[Key::Enter.into()]).await;
        app.wait_for("[data-testid=request-detail]").await;
        assert!(app.text_of("[data-testid=request-detail]").await.contains("Hannah Becker"));

        // Esc goes back to the list; clear the search with the keyboard; j/k move between rows.
        app.press(&[Key::Escape.into()]).await;
        app.wait_for(ROWS).await;
        app.press(&['/']).await;
        wait_focus(&app, "the search field has the focus", |f| f.contains("|search|")).await;
        app.press(&[Key::Control.into()]).await;
        for _ in 0.."Hannah".len() {
            app.press(&[Key::Backspace.into()]).await;
        }
        app.wait_until("every request is listed again", || async { app.count(ROWS).await > 10 }).await;
        app.press(&[Key::Escape.into()]).await; // leaves the field's typing mode without moving
        app.js("document.activeElement.blur();", vec![]).await;
        app.press(&['j']).await;
        wait_focus(&app, "row 0 has the focus", |f| f.ends_with("|0")).await;
        app.press(&['j', 'j']).await;
        wait_focus(&app, "row 2 has the focus", |f| f.ends_with("|2")).await;
        app.press(&['k']).await;
        wait_focus(&app, "row 1 has the focus", |f| f.ends_with("|1")).await;
        let second = focused(&app).await.split('|').nth(3).unwrap_or_default().to_string();

        // x selects the focused row for a bulk action; Enter opens it; j opens the next request.
        app.press(&['x']).await;
        app.wait_for("[data-testid=bulk-bar]").await;
        app.press(&[Key::Enter.into()]).await;
        app.wait_until("the second request is open", || async {
            app.exists("[data-testid=request-detail]").await && app.text_of("#detail-heading").await.contains(&second)
        })
        .await;
        app.press(&['j']).await;
        app.wait_until("the next request is open", || async {
            app.exists("[data-testid=request-detail]").await && !app.text_of("#detail-heading").await.contains(&second)
        })
        .await;

        // g d opens the dashboard, n a new request, F1 the help for the screen.
        app.press(&['g', 'd']).await;
        app.wait_for("[data-testid=dashboard]").await;
        app.press(&['n']).await;
        app.wait_for("form[data-testid=new-request-form]").await;
        app.press(&[Key::F1.into()]).await;
        app.wait_for("[data-testid=help-panel][data-topic=new]").await;
        app.close().await;
    })
    .await;
}

/// 100,000 requests: the list shows the total, renders only the rows on screen,
/// and loads the last page when scrolled to the end.
#[tokio::test(flavor = "multi_thread")]
async fn a_hundred_thousand_requests_scroll_in_a_virtualised_list() {
    within(async {
        let sandbox = Sandbox::new().with_now(NOW);
        sandbox.cli_json(&[
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
        seed_copies(sandbox.db_path(), 100_000);
        let app = App::start(Options::new().sandbox(sandbox)).await;
        app.wait_until("the total is shown", || async {
            app.all("[data-testid=list-total]").await.first().is_some_and(|_| true)
                && app.js("return document.querySelector('[data-testid=list-total]')?.dataset.total;", vec![]).await == json!("100000")
        })
        .await;
        assert!(app.text_of("[data-testid=list-total]").await.contains("100,000"));
        let rendered = app.count("table[data-testid=request-list] tbody tr[data-index]").await;
        assert!(rendered > 5 && rendered < 100, "only the rows on screen are in the page: {rendered}");

        app.js("const s = document.querySelector('[data-testid=list-scroll]'); s.scrollTop = s.scrollHeight;", vec![]).await;
        app.wait_for_within("tr[data-testid=request-row][data-index='99999']", Duration::from_secs(30)).await;
        let rendered = app.count("table[data-testid=request-list] tbody tr[data-index]").await;
        assert!(rendered < 100, "still only the rows on screen: {rendered}");
        app.close().await;
    })
    .await;
}

/// Copies request 1 until the register holds `total` requests (plain SQL: registering
/// 100,000 requests one by one would take minutes; the copies are valid rows).
fn seed_copies(db: &std::path::Path, total: u32) {
    let key = rightsdesk_core::store::DbKey::passphrase(TEST_PASSPHRASE).expect("test passphrase");
    let db = rightsdesk_core::store::Db::open(db, &key).expect("open database");
    db.write(|tx| {
        tx.execute(
            "WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < ?1) \
             INSERT INTO requests (id, number, reference, request_type, regime, jurisdiction, subject_name, subject_email, \
               identifiers, channel, received_at, received_on, time_zone, status, status_reason, notes, due, target, rule_set, \
               schedule, created_at, updated_at) \
             SELECT printf('seed-%06d', i), i, printf('DSR-2025-%06d', i), r.request_type, r.regime, r.jurisdiction, \
               printf('Person %06d', i), printf('person%06d@example.org', i), r.identifiers, r.channel, r.received_at, \
               r.received_on, r.time_zone, r.status, r.status_reason, r.notes, r.due, r.target, r.rule_set, r.schedule, \
               r.created_at, r.updated_at \
             FROM n, requests r WHERE r.number = 1",
            [total],
        )?;
        Ok(())
    })
    .expect("seed requests");
}

async fn check_screen(app: &App, name: &str, found: &mut Vec<String>) {
    for v in app.serious_violations().await {
        found.push(format!("{name}: {v}"));
    }
}

async fn a11y_tour(theme: &str) -> Vec<String> {
    let app = App::start(Options::new().sandbox(Sandbox::with_demo(NOW)).env("RIGHTSDESK_THEME", theme)).await;
    let mut found = Vec::new();
    app.wait_for(ROWS).await;
    // The check itself works: a nameless button is a critical violation.
    app.js("const b = document.createElement('button'); b.id = 'axe-probe'; document.body.appendChild(b);", vec![]).await;
    let probe = app.serious_violations().await;
    assert!(probe.iter().any(|v| v.contains("button-name")), "axe-core finds a nameless button: {probe:?}");
    app.js("document.getElementById('axe-probe').remove();", vec![]).await;
    let reference = app.all(ROWS).await[0].attr("data-reference").await.ok().flatten().unwrap_or_default();
    app.click(&format!("{ROWS}[data-reference='{reference}'] [data-testid=select-row]")).await;
    app.wait_for("[data-testid=bulk-bar]").await;
    check_screen(&app, "list with a selection and the guide banner", &mut found).await;
    // The README pictures show the screens without the banner. (Screenshot
    // before the next axe run: right after one, WebKit can return a stale frame.)
    app.click("[data-testid=guide-banner-hide]").await;
    app.wait_gone("[data-testid=guide-banner]").await;
    app.js("return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));", vec![]).await;
    app.screenshot(format!("docs/screenshots/list-{theme}.png")).await;
    app.click("[data-testid=bulk-clear]").await;

    app.click("[data-testid=nav-dashboard]").await;
    app.wait_for("[data-testid=dashboard] [data-testid=per-month]").await;
    check_screen(&app, "dashboard", &mut found).await;
    app.screenshot(format!("docs/screenshots/dashboard-{theme}.png")).await;

    app.click("[data-testid=nav-requests]").await;
    app.click(&format!("{ROWS}[data-reference='{reference}'] td[data-col=subject]")).await;
    app.wait_for("[data-testid=request-detail] [data-testid=timeline] li").await;
    check_screen(&app, "request", &mut found).await;
    app.screenshot(format!("docs/screenshots/request-{theme}.png")).await;

    app.click("[data-testid=nav-settings]").await;
    app.wait_for("[data-testid=deadline-settings] form").await;
    check_screen(&app, "settings", &mut found).await;
    app.screenshot(format!("docs/screenshots/settings-{theme}.png")).await;

    app.click("[data-testid=nav-calculator]").await;
    check_screen(&app, "calculator", &mut found).await;
    app.click("[data-testid=nav-guide]").await;
    app.wait_for("[data-testid=guide]").await;
    check_screen(&app, "guide", &mut found).await;
    app.click("[data-testid=nav-requests]").await;
    app.click("[data-testid=new-request]").await;
    app.wait_for("form[data-testid=new-request-form]").await;
    check_screen(&app, "new request", &mut found).await;
    app.press(&['?']).await;
    // Opened from the form's first field? No: single keys only act outside text fields.
    if !app.exists("[data-testid=shortcut-sheet]").await {
        app.click("[data-testid=nav-shortcuts]").await;
    }
    app.wait_for("[data-testid=shortcut-sheet][open]").await;
    check_screen(&app, "shortcut sheet", &mut found).await;
    app.close().await;
    found
}

#[tokio::test(flavor = "multi_thread")]
async fn every_screen_passes_the_accessibility_check_in_light_and_dark() {
    within(async {
        let mut found = a11y_tour("light").await;
        found.extend(a11y_tour("dark").await);
        assert!(found.is_empty(), "serious or critical accessibility violations:\n{}", found.join("\n"));
    })
    .await;
}
