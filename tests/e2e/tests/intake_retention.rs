//! Retention of mails dismissed as not a request, in the app window (issue 17,
//! item 3), with the mail read from a real Dovecot: the period is set on the
//! Safety screen beside the other retention settings (a bad value shows the
//! core's message and stores nothing), the purge preview names the dismissed
//! mail once its period has run out, and the purge removes its content.

#[path = "../../imap/harness.rs"]
mod imap;

use imap::{Dovecot, PASSWORD, USER};
use rightsdesk_e2e::{within, App, Options, Sandbox};

/// The mail was dismissed on 2 March 2026; the window opens 30 days later.
const DISMISSED: &str = "2026-03-02T09:00:00Z";
const NOW: &str = "2026-04-01T09:00:00Z";
const REMOVED: &str = "(removed under the retention policy)";

#[tokio::test(flavor = "multi_thread")]
async fn a_dismissed_mail_is_purged_after_the_period_set_on_the_safety_screen() {
    within(async {
        let dovecot = Dovecot::start(None);
        let sandbox = Sandbox::new().with_now(DISMISSED);
        let port = dovecot.port.to_string();
        sandbox.cli_json(&["mailbox", "set", "--host", "127.0.0.1", "--port", &port, "--security", "none", "--username", USER, "--json"]);
        dovecot.append(
            "INBOX",
            "none",
            &[(
                "02-Mar-2026 08:00:00 +0100",
                b"From: Shop News <news@shop.example>\r\nTo: privacy@example.com\r\nSubject: Spring sale\r\n\
                  Message-ID: <sale-1@shop.example>\r\n\r\nTwenty percent off for Grace.\r\n"
                    .to_vec(),
            )],
        );
        // The sandbox's CLI has no IMAP password: this one run gets it from the environment, as cron would.
        let fetch = std::process::Command::new(rightsdesk_e2e::cli_bin())
            .args(["mailbox", "fetch", "--json"])
            .current_dir(sandbox.path())
            .env("HOME", sandbox.path().join("home"))
            .env("RIGHTSDESK_DB", sandbox.db_path())
            .env("RIGHTSDESK_PASSPHRASE", rightsdesk_e2e::TEST_PASSPHRASE)
            .env("RIGHTSDESK_NOW", DISMISSED)
            .env("RIGHTSDESK_IMAP_PASSWORD", PASSWORD)
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .output()
            .unwrap();
        assert!(fetch.status.success(), "{}", String::from_utf8_lossy(&fetch.stderr));
        let items = sandbox.cli_json(&["intake", "list", "--json"]);
        let id = items[0]["id"].as_str().unwrap().to_string();
        sandbox.cli_json(&["intake", "dismiss", &id, "--reason", "advertising", "--json"]);

        let app = App::start(Options::new().now(NOW).sandbox(sandbox).env("TZ", "Europe/Berlin")).await;
        // No request in the register yet: the first-run screen.
        app.click("[data-testid=start-empty]").await;
        app.click("[data-testid=nav-safety]").await;
        let days = "[data-testid=retention-dismissed] input[name=intake_dismissed_days]";
        app.wait_for(days).await;
        let help = app.text_of("[data-testid=retention-dismissed]").await;
        assert!(help.contains("90 days") && help.contains("organisation's choice"), "{help}");
        // 30 days after the dismissal, under the default 90 days: nothing due.
        app.wait_for("[data-testid=purge-summary]").await;
        assert!(!app.exists("[data-testid=purge-dismissed]").await);

        // A bad value: the core's message beside the field, nothing stored.
        app.set_value(days, "0").await;
        app.click("[data-testid=retention-dismissed] button[type=submit]").await;
        let said = app.text_of("[data-error-for=intake_dismissed_days]").await;
        assert!(said.contains("between 1 and 3650 days"), "{said}");
        let shown = app.sandbox().cli(&["retention", "show"]);
        assert!(String::from_utf8_lossy(&shown.stdout).contains("keep their content 90 days"), "nothing stored");

        // 30 days: the dismissed mail is due, named in the preview, and purged after the confirmation.
        app.set_value(days, "30").await;
        app.click("[data-testid=retention-dismissed] button[type=submit]").await;
        let due = app.text_of("[data-testid=purge-dismissed]").await;
        assert!(due.starts_with("1 mail dismissed as not a request is past the period kept"), "{due}");
        app.click("[data-testid=purge-start]").await;
        app.click("[data-testid=purge-confirm] input[name=agree]").await;
        app.click("[data-testid=purge-run]").await;
        let done = app.text_of("[data-testid=purge-done]").await;
        assert_eq!(done, "Removed the content of 1 mail dismissed as not a request.");

        let item = &app.sandbox().cli_json(&["intake", "list", "--state", "dismissed", "--json"])[0];
        assert_eq!((item["from_address"].as_str(), item["subject"].as_str()), (Some(REMOVED), Some(REMOVED)), "{item}");
        assert_eq!(item["reason"], "advertising", "the reason stays: {item}");
        app.close().await;
    })
    .await;
}
