//! New mail shows in the Inbox as it arrives, against a real Dovecot (`tests/imap/harness.rs`),
//! which offers IMAP IDLE: the Inbox header says the app is listening for new mail (IDLE), and a
//! mail APPENDed while the window is open appears without "Fetch now", long before the 5-minute
//! poll interval would read it. "Fetch now" is still there.

#[path = "../../imap/harness.rs"]
mod imap;

use imap::{Dovecot, PASSWORD, USER};
use rightsdesk_e2e::{within, App, Options, Sandbox};

const NOW: &str = "2025-02-02T09:00:00Z";

fn mail(from: &str, subject: &str, message_id: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: privacy@example.com\r\nSubject: {subject}\r\nMessage-ID: <{message_id}>\r\n\
         MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlease tell me what you hold about me.\r\n"
    )
    .into_bytes()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_mail_arriving_while_the_window_is_open_appears_without_fetch_now() {
    within(async {
        let server = Dovecot::start(None);
        let sandbox = Sandbox::new().with_now(NOW);
        let port = server.port.to_string();
        sandbox.cli_json(&["mailbox", "set", "--host", "127.0.0.1", "--port", &port, "--security", "none", "--username", USER, "--json"]);
        let app =
            App::start(Options::new().now(NOW).sandbox(sandbox).env("TZ", "Europe/Berlin").env("RIGHTSDESK_IMAP_PASSWORD", PASSWORD)).await;

        // The first fetch finds nothing; then the app listens with IDLE.
        app.click("[data-testid=nav-inbox]").await;
        app.wait_for("[data-testid=inbox-mode][data-mode=idle]").await;
        let header = app.text_of("[data-testid=inbox-last]").await;
        assert!(header.contains("Listening for new mail (IDLE)"), "{header}");
        assert!(app.exists("[data-testid=fetch-now]").await, "Fetch now is still offered");
        assert_eq!(app.count("[data-testid=intake-list] tbody tr").await, 0);

        // A request arrives; nobody clicks anything (the poll interval is 5 minutes).
        server.append(
            "INBOX",
            "none",
            &[("02-Feb-2025 10:00:00 +0100", mail("Ada Example <ada@example.org>", "Access request", "idle-1@example.org"))],
        );
        app.wait_until("the new mail is in the Inbox", || async { app.count("[data-testid=intake-list] tbody tr").await == 1 }).await;
        assert!(app.exists("[data-testid=intake-list] tr[data-from='ada@example.org']").await);

        // After reading it, the app listens again.
        app.wait_until("the app listens again", || async {
            app.exists("[data-testid=inbox-mode][data-mode=idle]").await && app.text_of("[data-testid=inbox-last]").await.contains("1 new")
        })
        .await;
    })
    .await;
}
