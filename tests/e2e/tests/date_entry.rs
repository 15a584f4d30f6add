//! Dates in the language of the interface, in the real window: the officer
//! switches the interface to English, German or French, types the receipt date
//! of a new request the way that language writes it, sees it read back in
//! words, and the request is stored with the intended day (checked with the
//! CLI on the test's own database). A date that does not exist, or an English
//! all-numeric date that reads two ways, is an error beside the field and
//! nothing is saved.
//!
//! Build first: `npm --prefix ui run build && cargo build -p rightsdesk-app -p rightsdesk-cli`.

use rightsdesk_e2e::{count_requests, within, App, Options};
use serde_json::Value;

/// "Today" for the app: after the dates typed below, so none is in the future.
const NOW: &str = "2025-11-03T10:00:00Z";
const FORM: &str = "form[data-testid=new-request-form]";
const RECEIVED: &str = "form[data-testid=new-request-form] [name=received]";
const LIST_SHOWN: &str = "table[data-testid=request-list], [data-testid=list-empty]";

fn field(name: &str) -> String {
    format!("{FORM} [name={name}]")
}

/// A fresh app with an empty register, its interface switched to `lang` in the settings.
async fn app_in(lang: &str, settings_title: &str) -> App {
    let app = App::start(Options::new().now(NOW)).await;
    app.wait_for("[data-testid=first-run]").await;
    app.click("[data-testid=start-empty]").await;
    app.wait_for(LIST_SHOWN).await;
    app.click("[data-testid=nav-settings]").await;
    app.wait_for("select[name=settings-language]").await;
    app.set_value("select[name=settings-language]", lang).await;
    app.wait_until("the settings are in the chosen language", || async { app.text_of("#settings-heading").await == settings_title }).await;
    app
}

/// Opens the new-request form and fills in everything but the receipt date.
async fn open_form(app: &App, email: &str) {
    app.click("[data-testid=nav-requests]").await;
    app.wait_for(LIST_SHOWN).await;
    app.click("[data-testid=new-request]").await;
    app.wait_for(FORM).await;
    app.set_value(&field("type"), "access").await;
    app.set_value(&field("regime"), "eu-gdpr").await;
    app.set_value(&field("jurisdiction"), "DE").await;
    app.type_into(&field("subject_name"), "Ada Example").await;
    app.type_into(&field("subject_email"), email).await;
}

async fn submit(app: &App) {
    app.click(&format!("{FORM} button[type=submit]")).await;
}

/// The words the field reads back for the date typed (waits for them).
async fn echo(app: &App, expected: &str) -> String {
    let css = "[data-date-echo=received]";
    app.wait_until(&format!("the date is read back as {expected:?}"), || async {
        app.exists(css).await && app.text_of(css).await.contains(expected)
    })
    .await;
    app.text_of(css).await
}

/// Types a date that must be refused, submits, and checks the error beside the field and that nothing was saved.
async fn refused(app: &App, typed: &str, field_label: &str) {
    app.type_into(RECEIVED, typed).await;
    assert!(!app.exists("[data-date-echo=received]").await, "{typed:?} is not read back as a date");
    submit(app).await;
    let css = "[data-date-error=received]";
    app.wait_until(&format!("the error beside the field for {typed:?}"), || async { app.exists(css).await }).await;
    let error = app.text_of(css).await;
    assert!(error.contains(field_label), "the error names the field: {error:?}");
    assert!(error.contains(typed), "the error names what was typed: {error:?}");
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert!(app.exists(FORM).await, "the form stays open");
    assert_eq!(count_requests(app.db_path()), 0, "nothing was saved for {typed:?}");
}

/// Submits, waits for the new request, and returns the receipt date the CLI reads from the database.
async fn stored_receipt_date(app: &App) -> String {
    submit(app).await;
    app.wait_for("[data-testid=request-detail]").await;
    app.wait_gone(FORM).await;
    let listed = app.sandbox().cli_json(&["request", "list", "--json"]);
    let rows = listed.as_array().expect("the list is an array");
    assert_eq!(rows.len(), 1, "one request was saved");
    let reference = rows[0]["reference"].as_str().expect("reference").to_string();
    let shown: Value = app.sandbox().cli_json(&["request", "show", &reference, "--json"]);
    let request = shown.get("request").filter(|r| r.is_object()).unwrap_or(&shown);
    request["received_on"].as_str().expect("received_on").to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn in_german_02_10_2025_is_the_second_of_october() {
    within(async {
        let app = app_in("de", "Einstellungen").await;
        open_form(&app, "ada.de@example.org").await;
        // The form opens on the app's today, written the German way.
        assert_eq!(app.js("return document.querySelector(arguments[0]).value;", vec![RECEIVED.into()]).await, "03.11.2025");
        refused(&app, "31.02.2025", "Eingegangen am").await;
        refused(&app, "02.10.25", "Eingegangen am").await;

        app.type_into(RECEIVED, "02.10.2025").await;
        assert_eq!(echo(&app, "2. Oktober 2025").await, "Donnerstag, 2. Oktober 2025");
        assert_eq!(stored_receipt_date(&app).await, "2025-10-02");
        app.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn in_french_02_10_2025_is_the_second_of_october() {
    within(async {
        let app = app_in("fr", "Paramètres").await;
        open_form(&app, "ada.fr@example.org").await;
        assert_eq!(app.js("return document.querySelector(arguments[0]).value;", vec![RECEIVED.into()]).await, "03/11/2025");
        refused(&app, "31/04/2025", "Reçue le").await;

        app.type_into(RECEIVED, "02/10/2025").await;
        assert_eq!(echo(&app, "2 octobre 2025").await, "jeudi 2 octobre 2025");
        assert_eq!(stored_receipt_date(&app).await, "2025-10-02");
        app.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn in_english_the_month_is_written_in_letters_and_02_10_2025_is_refused_as_ambiguous() {
    within(async {
        let app = app_in("en", "Settings").await;
        open_form(&app, "ada.en@example.org").await;
        assert_eq!(app.js("return document.querySelector(arguments[0]).value;", vec![RECEIVED.into()]).await, "3 Nov 2025");
        refused(&app, "02/10/2025", "Received on").await;

        app.type_into(RECEIVED, "2 Oct 2025").await;
        let words = echo(&app, "October").await;
        assert!(words.starts_with("Thursday") && words.contains('2') && words.contains("2025"), "read back: {words:?}");
        assert_eq!(stored_receipt_date(&app).await, "2025-10-02");
        app.close().await;
    })
    .await;
}
