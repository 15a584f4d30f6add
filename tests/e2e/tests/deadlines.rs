//! The deadline engine in the window: the what-if calculator, the dates and
//! their explanation on a request, and a clock event recorded by the officer.

use rightsdesk_e2e::{within, App, Options, Sandbox};

const NOW: &str = "2025-09-20T10:00:00Z";

#[tokio::test(flavor = "multi_thread")]
async fn the_what_if_calculator_shows_every_date_and_how_it_was_reached() {
    within(async {
        let sandbox = Sandbox::new().with_now(NOW);
        sandbox.cli_json(&["demo", "load", "--json"]);
        let app = App::start(Options::new().now(NOW).sandbox(sandbox)).await;
        app.wait_for("table[data-testid=request-list]").await;
        app.click("[data-testid=nav-calculator]").await;
        app.wait_for("[data-testid=calculator]").await;
        app.set_value("[name=calc-regime]", "eu-gdpr").await;
        app.set_value("[name=calc-jurisdiction]", "DE").await;
        app.set_value("[name=calc-received]", "2025-01-31").await;
        app.click("[data-testid=calculator] button[type=submit]").await;
        app.wait_for("[data-testid=calculator] [data-testid=date-due]").await;
        assert_eq!(app.text_of("[data-testid=calculator] [data-testid=date-due]").await, "2025-02-28");
        let steps = app.text_of("[data-testid=calculator] [data-testid=explanation]").await;
        assert!(steps.contains("no 31 Feb"), "the clamp is explained: {steps}");
        assert!(steps.contains("1182/71"), "the source is named: {steps}");

        // A law with no statutory date says so instead of inventing one.
        app.set_value("[name=calc-regime]", "jp-appi").await;
        app.click("[data-testid=calculator] button[type=submit]").await;
        app.wait_for("[data-testid=calculator] [data-testid=no-statutory-date]").await;
        app.screenshot(rightsdesk_e2e::workspace_root().join("docs/screenshots/calculator.png")).await;
        app.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_clarification_recorded_on_a_request_moves_its_due_date_and_says_why() {
    within(async {
        let sandbox = Sandbox::new().with_now(NOW);
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
            "2025-09-03",
            "--email",
            "oliver@example.co.uk",
            "--name",
            "Oliver Example",
            "--time-zone",
            "Europe/London",
            "--json",
        ]);
        assert_eq!(added["due"], "2025-10-03");
        let reference = added["reference"].as_str().unwrap().to_string();
        let app = App::start(Options::new().now(NOW).sandbox(sandbox)).await;
        app.wait_for("table[data-testid=request-list]").await;
        app.click(&format!("tr[data-reference='{reference}'] td[data-col=subject]")).await;
        app.wait_for("[data-testid=request-detail]").await;
        assert_eq!(app.text_of("[data-testid=detail-due]").await, "2025-10-03");
        let before = app.count("[data-testid=timeline] li").await;

        app.set_value("[name=clock-kind]", "clarification-requested").await;
        app.set_value("[name=clock-on]", "2025-09-05").await;
        app.click("[data-testid=clock-event-form] button[type=submit]").await;
        app.wait_until("the clarification is on the timeline", || async { app.count("[data-testid=timeline] li").await > before }).await;
        app.set_value("[name=clock-kind]", "clarification-received").await;
        app.set_value("[name=clock-on]", "2025-09-09").await;
        app.click("[data-testid=clock-event-form] button[type=submit]").await;
        app.wait_until("the due date moves to 8 October", || async { app.text_of("[data-testid=detail-due]").await == "2025-10-08" }).await;
        let timeline = app.text_of("[data-testid=timeline]").await;
        assert!(timeline.contains("Clarification received on 2025-09-09"), "{timeline}");
        assert!(timeline.contains("Dates recomputed"), "{timeline}");

        // The subject is told of an extension in time: the extended date is in force.
        app.set_value("[name=clock-kind]", "extension-notice-sent").await;
        app.set_value("[name=clock-on]", "2025-09-19").await;
        app.type_into("[name=clock-reason]", "complex request").await;
        app.click("[data-testid=clock-event-form] button[type=submit]").await;
        app.wait_for("[data-testid=date-extended_due]").await;
        let extended = app.text_of("[data-testid=date-extended_due]").await;
        app.wait_until("the extended date is in force", || async { app.text_of("[data-testid=detail-due]").await == extended }).await;

        // A date in the future is refused at its field, and nothing is recorded.
        let count = app.count("[data-testid=timeline] li").await;
        app.set_value("[name=clock-kind]", "identity-received").await;
        app.set_value("[name=clock-on]", "2025-09-25").await;
        app.click("[data-testid=clock-event-form] button[type=submit]").await;
        let error = app.wait_for("[data-error-for=on]").await.text().await.unwrap();
        assert!(error.contains("future"), "{error}");
        assert_eq!(app.count("[data-testid=timeline] li").await, count);
        app.screenshot(rightsdesk_e2e::workspace_root().join("docs/screenshots/request.png")).await;
        app.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn in_the_german_app_the_explanation_of_the_dates_is_german_with_the_law_cited_as_it_is() {
    within(async {
        // A GDPR access request received in Germany on Friday 31 January 2025: one month
        // ends on 28 February (there is no 31 February), a working day.
        let sandbox = Sandbox::new().with_now(NOW);
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
            "erika@example.de",
            "--name",
            "Erika Example",
            "--json",
        ]);
        let request = added.get("request").unwrap_or(&added);
        let reference = request["reference"].as_str().expect("reference").to_string();
        let app = App::start(Options::new().now(NOW).sandbox(sandbox).env("RIGHTSDESK_LANG", "de")).await;
        app.wait_for("table[data-testid=request-list]").await;
        app.click(&format!("tr[data-reference='{reference}'] td[data-col=subject]")).await;
        app.wait_for("[data-testid=request-detail] [data-testid=explanation] li").await;
        let steps = app.text_of("[data-testid=request-detail] [data-testid=explanation]").await;
        for german in [
            "Eingegangen am 31.01.2025",
            "Ein Kalendermonat ab 31.01.2025 → 28.02.2025 (kein 31. Februar: der letzte Tag des Monats)",
            "Der 28.02.2025 ist ein Arbeitstag → gesetzliche Frist: 28.02.2025",
            "Ziel",
        ] {
            assert!(steps.contains(german), "the explanation reads “{german}”: {steps}");
        }
        // The law is cited as it is, untranslated; no English sentence or date is left outside it.
        assert!(steps.contains("(GDPR Art. 12(3); month rule: Reg. 1182/71 Art. 3(2)(c))"), "{steps}");
        let sentences = app
            .js(
                "return [...document.querySelectorAll('[data-testid=request-detail] [data-testid=explanation] li')]
                   .map(li => li.textContent.replace(li.querySelector('cite').textContent, '')).join(' | ');",
                vec![],
            )
            .await;
        let sentences = sentences.as_str().expect("text").to_string();
        for english in ["Received", "Fri 31 Jan", "working day", "calendar month", "target 2025"] {
            assert!(!sentences.contains(english), "no English “{english}” in the German explanation: {sentences}");
        }
        app.close().await;
    })
    .await;
}
