//! A request received as processor for a customer (issue 19 item 12, OpifexHQ), in the
//! real window: the officer ticks "Received as processor for a customer" on the New
//! request form, a missing controller contact is named beside its field with nothing
//! saved, and the request registered carries the controller's due date under the
//! controller's law (a CCPA shop: 45 days beginning on receipt); the detail names the
//! controller and says the date is the controller's. Read back with the CLI
//! on the test's own database. The letters such a request allows are tested in
//! `core/tests/processor.rs` and `cli/tests/processor.rs`.
//!
//! Build first: `npm --prefix ui run build && cargo build -p rightsdesk-app -p rightsdesk-cli`.

use rightsdesk_e2e::{count_requests, within, App, Options};

const NOW: &str = "2026-11-04T10:00:00Z";
const FORM: &str = "form[data-testid=new-request-form]";
const LIST_SHOWN: &str = "table[data-testid=request-list], [data-testid=list-empty]";

fn field(name: &str) -> String {
    format!("{FORM} [name={name}]")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_request_received_as_processor_is_tracked_against_the_controllers_date() {
    within(async {
        let app = App::start(Options::new().now(NOW)).await;
        app.wait_for("[data-testid=first-run]").await;
        app.click("[data-testid=start-empty]").await;
        app.wait_for(LIST_SHOWN).await;
        app.click("[data-testid=new-request]").await;
        app.wait_for(FORM).await;
        app.set_value(&field("type"), "access").await;
        app.set_value(&field("regime"), "ccpa").await;
        app.set_value(&field("jurisdiction"), "US-CA").await;
        app.type_into(&field("subject_name"), "Ada Example").await;
        app.type_into(&field("subject_email"), "ada@example.net").await;

        assert!(!app.exists(&field("controller")).await, "the controller is asked for only as processor");
        app.click(&field("as_processor")).await;
        app.wait_for(&field("controller")).await;
        app.type_into(&field("controller"), "Acme Shop Inc.").await;

        // No contact for the controller: named beside its field, nothing saved.
        app.click(&format!("{FORM} button[type=submit]")).await;
        app.wait_for("[data-error-for=controller_email]").await;
        assert!(app.exists(FORM).await, "the form stays open");
        assert_eq!(count_requests(app.db_path()), 0, "nothing was saved");

        app.type_into(&field("controller_email"), "privacy@acme.example").await;
        app.click(&format!("{FORM} button[type=submit]")).await;
        app.wait_for("[data-testid=request-detail]").await;
        app.wait_gone(FORM).await;
        let due = app.text_of("[data-testid=detail-due]").await;
        let role = app.wait_for("[data-testid=detail-processor-for]").await;
        let role = role.text().await.expect("the processor row's text");
        assert!(role.contains("Acme Shop Inc.") && role.contains("privacy@acme.example"), "{role:?}");

        // `request list` only reads, so it runs beside the open window.
        let listed = app.sandbox().cli_json(&["request", "list", "--json"]);
        let rows = listed.as_array().expect("the list is an array");
        assert_eq!(rows.len(), 1, "one request was saved");
        assert_eq!(rows[0]["due"], "2026-12-18", "the controller's CCPA date, not a GDPR month: {}", rows[0]);
        assert_eq!(rows[0]["regime"], "ccpa");
        assert!(due.contains("2026-12-18"), "the window shows the controller's date: {due:?}");
        app.close().await;
    })
    .await;
}
