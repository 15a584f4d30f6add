//! Letters in the app window: register a request, send its acknowledgement, see
//! it arrive at a real SMTP server (Debian's aiosmtpd, started here) and appear
//! on the timeline; the test message shows the server's answer verbatim.

#[path = "../../smtp/harness.rs"]
mod harness;

use harness::{Options as SmtpOptions, SmtpServer};
use rightsdesk_e2e::{within, App, Options, Sandbox};

const NOW: &str = "2026-11-23T10:00:00Z";

#[tokio::test(flavor = "multi_thread")]
async fn an_acknowledgement_sent_from_the_request_arrives_at_the_server_and_lands_on_the_timeline() {
    within(async {
        let inbox = tempfile::tempdir().unwrap();
        let server = SmtpServer::start(inbox.path(), SmtpOptions::default());
        let sandbox = Sandbox::new().with_now(NOW);
        sandbox.cli_json(&[
            "smtp",
            "set",
            "--host",
            "127.0.0.1",
            "--port",
            &server.port.to_string(),
            "--security",
            "none",
            "--from",
            "privacy@crm-factory.example",
            "--from-name",
            "CRM Factory",
            "--officer",
            "records@crm-factory.example",
            "--org-name",
            "CRM Factory GmbH",
            "--dpo-contact",
            "dpo@crm-factory.example",
            "--json",
        ]);
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
            "2026-11-20",
            "--email",
            "zoe@example.org",
            "--name",
            "Zoë Müller",
            "--time-zone",
            "Europe/Berlin",
            "--json",
        ]);
        let reference = added["reference"].as_str().unwrap().to_string();

        let app = App::start(Options::new().now(NOW).sandbox(sandbox)).await;
        app.wait_for("table[data-testid=request-list]").await;
        app.click(&format!("tr[data-reference='{reference}'] td[data-col=subject]")).await;
        app.wait_for("[data-testid=request-detail] [data-testid=letters]").await;
        app.set_value("[name=letter-template]", "acknowledgement").await;
        app.click("[data-testid=preview-letter]").await;
        app.wait_for("[data-testid=letter-preview]").await;
        let preview = app.text_of("[data-testid=letter-preview]").await;
        assert!(preview.contains("Zoë Müller") && preview.contains(&reference), "{preview}");
        app.click("[data-testid=send-letter]").await;
        app.wait_for("[data-testid=letter-result]").await;
        let result = app.text_of("[data-testid=letter-result]").await;
        assert!(result.starts_with("Sent") && result.contains("250"), "{result}");

        let got = server.received();
        assert_eq!(got.len(), 1, "exactly one message reached the server");
        assert_eq!(got[0].rcpt_tos, vec!["zoe@example.org", "records@crm-factory.example"]);
        app.wait_until("the letter is on the timeline", || async {
            app.text_of("[data-testid=timeline]").await.contains("Letter sent: acknowledgement")
        })
        .await;
        assert!(app.text_of("[data-testid=timeline]").await.contains("Receipt acknowledged"));

        // The outbox lists it as sent; the mail settings' test message shows the server's answer verbatim.
        app.click("[data-testid=nav-outbox]").await;
        app.wait_for("[data-testid=outbox-row][data-letter-state=sent]").await;
        app.click("[data-testid=nav-mail-settings]").await;
        app.wait_for("[data-testid=mail-settings] [name=test-to]").await;
        app.click("[data-testid=send-test]").await;
        app.wait_for("[data-testid=smtp-test-reply]").await;
        let reply = app.text_of("[data-testid=smtp-test-reply]").await;
        assert!(reply.starts_with("250 2.0.0 Ok: queued as TEST0002"), "{reply}");
        app.close().await;
    })
    .await;
}
