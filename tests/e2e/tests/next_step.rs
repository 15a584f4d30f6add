//! The next step first (issue 21, item 1), in the real window: a fresh request
//! opens with "Acknowledge by …" and its button, which opens the
//! acknowledgement; once it is sent (through a real SMTP server) the step
//! moves on to the answer; a request awaiting identity evidence shows since
//! when, and its button leads to the identity form, whose record moves the
//! dates; the dashboard's "needs you today" lists the subject, type and due
//! date with the same button, and a missed internal target has its own style.
//! Screenshots of the request page and the dashboard in English and German.
//!
//! Build first: `npm --prefix ui run build && cargo build -p rightsdesk-app -p rightsdesk-cli`.

#[path = "../../smtp/harness.rs"]
mod harness;

use harness::{Options as SmtpOptions, SmtpServer};
use rightsdesk_e2e::{within, workspace_root, App, Options, Sandbox};
use serde_json::json;

const NOW: &str = "2025-03-05T10:00:00Z";

/// A screenshot for the README, after two animation frames (WebKit's snapshot can lag the DOM).
async fn shot(app: &App, name: &str) {
    app.js("return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));", vec![]).await;
    app.screenshot(workspace_root().join("docs/screenshots").join(name)).await;
}

fn add(sandbox: &Sandbox, regime: &str, jurisdiction: &str, received: &str, name: &str, email: &str) -> String {
    let added = sandbox.cli_json(&[
        "request",
        "add",
        "--type",
        "access",
        "--regime",
        regime,
        "--jurisdiction",
        jurisdiction,
        "--received",
        received,
        "--email",
        email,
        "--name",
        name,
        "--time-zone",
        "UTC",
        "--json",
    ]);
    added["reference"].as_str().expect("a reference").to_string()
}

struct Register {
    sandbox: Sandbox,
    /// CCPA, received Monday 3 March 2025: acknowledge by 17 March, answer by 16 April.
    fresh: String,
    /// UK GDPR, identity evidence asked for on 4 March.
    identity: String,
    /// EU GDPR, received 8 February: the internal target has passed, the legal date (8 March) has not.
    missed: String,
}

fn register(smtp_port: Option<u16>) -> Register {
    let sandbox = Sandbox::new().with_now(NOW);
    if let Some(port) = smtp_port {
        sandbox.cli_json(&[
            "smtp",
            "set",
            "--host",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--security",
            "none",
            "--from",
            "privacy@crm-factory.example",
            "--from-name",
            "CRM Factory",
            "--org-name",
            "CRM Factory Inc.",
            "--dpo-contact",
            "privacy@crm-factory.example",
            "--json",
        ]);
    }
    let fresh = add(&sandbox, "ccpa", "US-CA", "2025-03-03", "Zoë Müller", "zoe@example.org");
    let identity = add(&sandbox, "uk-gdpr", "GB-ENG", "2025-03-03", "Ada Example", "ada@example.org");
    sandbox.cli_json(&["identity", "request", &identity, "--on", "2025-03-04", "--json"]);
    let missed = add(&sandbox, "eu-gdpr", "DE", "2025-02-08", "Grace Hopper", "grace@example.org");
    Register { sandbox, fresh, identity, missed }
}

async fn open_request(app: &App, reference: &str) {
    app.click("[data-testid=nav-requests]").await;
    app.wait_for("table[data-testid=request-list]").await;
    app.click(&format!("tr[data-reference='{reference}'] td[data-col=subject]")).await;
    app.wait_for("[data-testid=request-detail] [data-testid=next-step]").await;
}

async fn step_text(app: &App) -> String {
    app.text_of("[data-testid=next-step-text]").await
}

async fn focused_name(app: &App) -> serde_json::Value {
    app.js("return document.activeElement && document.activeElement.getAttribute('name');", vec![]).await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_request_opens_with_its_next_step_and_the_button_takes_the_officer_there() {
    within(async {
        let inbox = tempfile::tempdir().unwrap();
        let server = SmtpServer::start(inbox.path(), SmtpOptions::default());
        let reg = register(Some(server.port));
        let app = App::start(Options::new().now(NOW).sandbox(reg.sandbox)).await;

        // The dashboard: each row names the subject, the type and the due date, with the step's button.
        app.click("[data-testid=nav-dashboard]").await;
        app.wait_for("[data-testid=needs-you] [data-testid=need]").await;
        let row = format!("[data-testid=need][data-reference='{}']", reg.fresh);
        assert_eq!(app.text_of(&format!("{row} [data-testid=need-subject]")).await, "Zoë Müller");
        assert_eq!(app.text_of(&format!("{row} [data-testid=need-type]")).await, "Access");
        assert_eq!(app.text_of(&format!("{row} [data-testid=need-due]")).await, "due 16 Apr 2025");
        assert_eq!(app.text_of(&format!("{row} [data-testid=need-step-button]")).await, "Write acknowledgement");
        // A missed internal target: its own class, and a colour distinct from "due soon" and the rest.
        let missed = format!("[data-testid=need][data-kind=target-passed][data-reference='{}']", reg.missed);
        app.wait_for(&missed).await;
        let styles = app
            .js(
                "const m = document.querySelector(arguments[0]); const other = document.querySelector('[data-testid=need]:not([data-kind=target-passed]) .need');
                 return { cls: m.className, color: getComputedStyle(m.querySelector('.need')).color,
                          other: getComputedStyle(other).color, bg: getComputedStyle(m).backgroundColor };",
                vec![json!(missed)],
            )
            .await;
        assert!(styles["cls"].as_str().is_some_and(|c| c.contains("need-row-target-passed")), "{styles}");
        assert_ne!(styles["color"], styles["other"], "a missed target does not look like the other needs: {styles}");
        assert_ne!(styles["bg"], json!("rgba(0, 0, 0, 0)"), "a missed target's row is marked: {styles}");
        shot(&app, "dashboard-next-step.png").await;

        // The dashboard's button opens the request and takes its step: the acknowledgement, ready to write.
        app.click(&format!("{row} [data-testid=need-step-button]")).await;
        app.wait_for("[data-testid=request-detail] [data-testid=next-step]").await;
        assert_eq!(step_text(&app).await, "Acknowledge by 17 Mar 2025");
        assert_eq!(app.text_of("[data-testid=next-step-button]").await, "Write acknowledgement");
        app.wait_until("the acknowledgement is chosen and focused", || async {
            focused_name(&app).await == json!("letter-template")
        })
        .await;
        assert_eq!(app.js("return document.querySelector('[name=letter-template]').value;", vec![]).await, json!("acknowledgement"));
        let jump = app.text_of("[data-testid=jump-bar]").await;
        assert_eq!(jump, "DatesIdentityTasksLettersConversationAnswer packageTimeline", "the jump bar names the sections in the page's order");
        app.js("document.getElementById('detail-heading').scrollIntoView({ block: 'start' });", vec![]).await;
        shot(&app, "request-next-step.png").await;

        // Sent through the SMTP server, the acknowledgement is recorded and the answer is next.
        app.type_into("textarea[name=letter-details]", "We compare the details you give with your account.").await;
        app.click("[data-testid=preview-letter]").await;
        app.wait_for("[data-testid=letter-preview]").await;
        app.click("[data-testid=send-letter]").await;
        app.wait_for("[data-testid=letter-result]").await;
        assert_eq!(server.received().len(), 1, "the acknowledgement reached the server");
        app.wait_until("the next step moves on to the answer", || async { step_text(&app).await == "Answer due in 42 days" }).await;
        assert_eq!(app.text_of("[data-testid=next-step-due]").await, "(due 16 Apr 2025)");
        app.click("[data-testid=next-step-button]").await;
        app.wait_until("the response letter is chosen", || async {
            app.js("return document.querySelector('[name=letter-template]').value;", vec![]).await == json!("response-access")
        })
        .await;

        // Identity evidence awaited: since when, and the button leads to the identity form.
        open_request(&app, &reg.identity).await;
        assert_eq!(step_text(&app).await, "Identity evidence awaited since 4 Mar 2025");
        assert_eq!(app.text_of("[data-testid=next-step-button]").await, "Record identity received");
        let due_before = app.text_of("[data-testid=detail-due]").await;
        app.click("[data-testid=next-step-button]").await;
        app.wait_until("the identity form has the focus", || async { focused_name(&app).await == json!("identity-method") }).await;
        app.click("[data-testid=record-identity]").await;
        app.wait_until("the step moves on once identity is recorded", || async {
            app.js("return document.querySelector('[data-testid=next-step]').dataset.kind;", vec![]).await != json!("identity_awaited")
        })
        .await;
        app.wait_until("the dates move with the identity received", || async {
            app.text_of("[data-testid=detail-due]").await != due_before
        })
        .await;
        app.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn in_german_the_step_and_its_date_read_in_german() {
    within(async {
        let reg = register(None);
        let app = App::start(Options::new().now(NOW).sandbox(reg.sandbox).env("RIGHTSDESK_LANG", "de")).await;
        app.click("[data-testid=nav-dashboard]").await;
        let row = format!("[data-testid=need][data-reference='{}']", reg.fresh);
        app.wait_for(&row).await;
        assert_eq!(app.text_of(&format!("{row} [data-testid=need-due]")).await, "fällig am 16.04.2025");
        assert_eq!(app.text_of(&format!("{row} [data-testid=need-step-button]")).await, "Eingangsbestätigung schreiben");
        shot(&app, "dashboard-next-step-de.png").await;

        open_request(&app, &reg.fresh).await;
        assert_eq!(step_text(&app).await, "Eingang bestätigen bis 17.03.2025");
        assert_eq!(app.text_of("[data-testid=next-step-button]").await, "Eingangsbestätigung schreiben");
        shot(&app, "request-next-step-de.png").await;

        open_request(&app, &reg.identity).await;
        assert_eq!(step_text(&app).await, "Identitätsnachweis erwartet seit 04.03.2025");
        app.close().await;
    })
    .await;
}
