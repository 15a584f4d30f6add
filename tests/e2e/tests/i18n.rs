//! Languages and help in the real window: the officer switches the interface to
//! German in the settings and sees the new-request form, a request and the
//! settings in German (with `<html lang>` following, and the accessibility
//! check passing); help opened with the keyboard alone shows each screen's own
//! topic.
//!
//! Build first: `npm --prefix ui run build && cargo build -p rightsdesk-app -p rightsdesk-cli`.

use fantoccini::key::Key;
use rightsdesk_e2e::{within, App, Options, Sandbox};
use serde_json::{json, Value};

const NOW: &str = "2025-02-10T10:00:00Z";
const ROWS: &str = "table[data-testid=request-list] tbody tr[data-testid=request-row]";

/// A screenshot for the README, after two animation frames (WebKit's snapshot can lag the DOM).
async fn shot(app: &App, path: &str) {
    app.js("return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));", vec![]).await;
    app.screenshot(path).await;
}

async fn html_lang(app: &App) -> Value {
    app.js("return document.documentElement.lang;", vec![]).await
}

fn assert_contains_all(what: &str, text: &str, words: &[&str]) {
    for w in words {
        assert!(text.contains(w), "{what} should read “{w}”: {text}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_officer_switches_to_german_in_the_settings_and_works_in_german() {
    within(async {
        let sandbox = Sandbox::with_demo(NOW);
        let listed = sandbox.cli_json(&["request", "list", "--json"]);
        let app = App::start(Options::new().sandbox(sandbox)).await;
        app.wait_for(ROWS).await;
        assert_eq!(html_lang(&app).await, json!("en"));

        // Settings → language → Deutsch.
        app.click("[data-testid=nav-settings]").await;
        app.wait_for("[data-testid=deadline-settings] form").await;
        assert_eq!(app.text_of("#settings-heading").await, "Settings");
        app.set_value("select[name=settings-language]", "de").await;
        app.wait_until("the settings are in German", || async { app.text_of("#settings-heading").await == "Einstellungen" }).await;
        assert_eq!(html_lang(&app).await, json!("de"));
        let settings = app.text_of("[data-testid=deadline-settings]").await;
        assert_contains_all(
            "the settings",
            &settings,
            &[
                "Sprache der Oberfläche",
                "Fristen",
                "Internes Ziel: Arbeitstage vor der gesetzlichen Frist",
                "Lesarten, wo die Quellen voneinander abweichen",
                "Speichern",
            ],
        );
        assert_eq!(app.text_of("[data-testid=nav-requests]").await, "Anfragen");
        // (Screenshots before each accessibility run: right after one, WebKit can return a stale frame.)
        shot(&app, "docs/screenshots/settings-de.png").await;
        let mut found: Vec<String> = app.serious_violations().await.into_iter().map(|v| format!("settings: {v}")).collect();

        // The new-request form.
        app.click("[data-testid=nav-requests]").await;
        app.wait_for(ROWS).await;
        app.click("[data-testid=new-request]").await;
        app.wait_for("form[data-testid=new-request-form]").await;
        assert_eq!(app.text_of("#new-heading").await, "Neue Anfrage");
        let form = app.text_of("form[data-testid=new-request-form]").await;
        assert_contains_all(
            "the new-request form",
            &form,
            &["Art der Anfrage", "Name der betroffenen Person", "Eingegangen am", "Eingangsweg", "Anfrage erfassen", "Abbrechen"],
        );
        let types = app.js("return [...document.querySelectorAll('select[name=type] option')].map(o => o.textContent);", vec![]).await;
        for t in ["Auskunftsersuchen", "Löschung", "Berichtigung", "Datenübertragbarkeit", "Widerspruch"] {
            assert!(types.as_array().is_some_and(|a| a.contains(&json!(t))), "request types in German: {types}");
        }
        shot(&app, "docs/screenshots/new-request-de.png").await;
        found.extend(app.serious_violations().await.into_iter().map(|v| format!("new request: {v}")));

        // A request's detail: its facts, dates, status and timeline in German.
        let first = &listed.as_array().and_then(|a| a.first()).cloned().expect("a demo request")["reference"];
        let reference = first.as_str().expect("reference");
        app.click("[data-testid=nav-requests]").await;
        app.click(&format!("{ROWS}[data-reference='{reference}'] td[data-col=subject]")).await;
        app.wait_for("[data-testid=request-detail] [data-testid=timeline] li").await;
        let expected = [
            "Betroffene Person",
            "Rechtsgrundlage",
            "Gesetzliche Frist",
            "Wie die Fristen berechnet wurden",
            "ein Kalendermonat",
            "Identität",
            "Aufgaben",
            "Nachweise",
            "Schreiben",
            "Eingangsbestätigung",
            "Verlauf",
            "Erfasst:",
        ];
        // The panels (identity, tasks, evidence, letters) load on their own: give them time, then check.
        let mut detail = String::new();
        for _ in 0..60 {
            detail = app.text_of("[data-testid=request-detail]").await;
            if expected.iter().all(|w| detail.contains(w)) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        }
        assert_contains_all("the request", &detail, &expected);
        let registered = app.text_of("[data-testid=timeline] li[data-kind=registered]").await;
        assert!(registered.starts_with(|c: char| c.is_ascii_digit()), "the time comes first, in the German format: {registered}");
        assert!(registered.contains("durch"), "who did it, in German: {registered}");
        shot(&app, "docs/screenshots/request-de.png").await;
        found.extend(app.serious_violations().await.into_iter().map(|v| format!("request: {v}")));

        // The choice is remembered: the sidebar's selector shows it too.
        let sidebar = app.js("return document.querySelector('select[name=language]').value;", vec![]).await;
        assert_eq!(sidebar, json!("de"));
        assert!(found.is_empty(), "serious or critical accessibility violations in German:\n{}", found.join("\n"));
        app.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn help_opened_with_the_keyboard_shows_each_screens_own_topic() {
    within(async {
        let app = App::start(Options::new().sandbox(Sandbox::with_demo(NOW))).await;
        app.wait_for(ROWS).await;
        app.js("document.activeElement && document.activeElement.blur();", vec![]).await;

        // h on the list: the list's help, with its keys and its command line.
        app.press(&['h']).await;
        app.wait_for("[data-testid=help-panel][data-topic=list]").await;
        assert_eq!(app.text_of("#help-heading").await, "Help: Requests");
        assert!(app.text_of("[data-testid=help-cli]").await.contains("rightsdesk request list"));
        assert!(app.text_of("[data-testid=help-keys]").await.contains("Select the focused request"));
        let list_help = app.text_of("[data-testid=help-purpose]").await;
        app.press(&[Key::Escape.into()]).await;
        app.wait_gone("[data-testid=help-panel]").await;

        // j focuses the first row, Enter opens it, F1: the help for a request.
        app.press(&['j']).await;
        app.press(&[Key::Enter.into()]).await;
        app.wait_for("[data-testid=request-detail]").await;
        app.press(&[Key::F1.into()]).await;
        app.wait_for("[data-testid=help-panel][data-topic=detail]").await;
        assert!(app.text_of("[data-testid=help-cli]").await.contains("rightsdesk request show"));
        assert_ne!(app.text_of("[data-testid=help-purpose]").await, list_help);
        app.press(&[Key::Escape.into()]).await;
        app.wait_gone("[data-testid=help-panel]").await;

        // g d: the dashboard, and its own help.
        app.press(&['g', 'd']).await;
        app.wait_for("[data-testid=dashboard]").await;
        app.press(&['h']).await;
        app.wait_for("[data-testid=help-panel][data-topic=dashboard]").await;
        assert_eq!(app.text_of("#help-heading").await, "Help: Dashboard");
        assert!(app.text_of("[data-testid=help-cli]").await.contains("rightsdesk dashboard"));
        let how = app.all("[data-testid=help-how] li").await.len();
        assert!(how >= 2, "the main tasks are listed: {how}");
        shot(&app, "docs/screenshots/help.png").await;
        app.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn help_is_in_french_when_the_interface_is() {
    within(async {
        let app = App::start(Options::new().sandbox(Sandbox::with_demo(NOW)).env("RIGHTSDESK_LANG", "fr")).await;
        app.wait_for(ROWS).await;
        assert_eq!(html_lang(&app).await, json!("fr"));
        app.click("[data-testid=nav-audit]").await;
        app.click("[data-testid=nav-help]").await;
        app.wait_for("[data-testid=help-panel][data-topic=audit]").await;
        let heading = app.text_of("#help-heading").await;
        assert!(heading.starts_with("Aide") && heading.contains("Piste d’audit"), "{heading}");
        assert!(app.text_of("[data-testid=help-panel]").await.contains("Ligne de commande"));
        assert!(app.text_of("[data-testid=help-cli]").await.contains("rightsdesk audit verify"));
        app.close().await;
    })
    .await;
}
