//! The Outbox and the mail settings screens on a team register (issue 18), against a real
//! PostgreSQL 15 (`tests/pg/harness.rs`, TLS with `verify-full`) and a real SMTP server
//! (Debian's aiosmtpd, `tests/smtp/harness.rs`): Ada, the team's admin, sets the mail server in
//! her window; Olga's (an officer's) window shows the settings and the templates read-only and
//! says why; a letter queued through the CLI is sent once although Olga's and Pete's windows
//! both press "Send now" at the same moment, and a second one is sent by the windows' own
//! every-minute run, once, and both Outbox screens show them sent; Audrey's (an auditor's)
//! window shows the Outbox, offers no sending and sends nothing.
//!
//! Build first: `npm --prefix ui run build && cargo build -p rightsdesk-app -p rightsdesk-cli`.

#[path = "../../pg/harness.rs"]
mod pg;

#[path = "../../smtp/harness.rs"]
mod smtp;

use std::time::{Duration, Instant};

use pg::Pg;
use rightsdesk_core::clock::{Clock, SystemClock};
use rightsdesk_e2e::team::{self, rightsdesk, LIST_SHOWN};
use rightsdesk_e2e::{within, App, Options};
use serde_json::json;
use smtp::{Options as SmtpOptions, SmtpServer};

const SENT_ROWS: &str = "[data-testid=outbox] tr[data-testid=outbox-row][data-letter-state=sent]";

/// A window on the team register as `login`.
async fn window(pg: &Pg, login: &str, password: &str) -> App {
    let app = App::start(Options::new().env("RIGHTSDESK_DB", &pg.url(login)).env("RIGHTSDESK_DB_PASSWORD", password)).await;
    app.wait_for(LIST_SHOWN).await;
    app
}

/// Whether the field `name` on the mail settings screen is disabled, and its value.
async fn field(app: &App, name: &str) -> (bool, String) {
    let v = app
        .js(
            "const el = document.querySelector(`[data-testid=mail-settings] [name=${arguments[0]}]`); \
             return el ? [el.matches(':disabled') || el.readOnly, el.value] : null;",
            vec![json!(name)],
        )
        .await;
    assert!(v.is_array(), "no field {name} on the mail settings screen");
    (v[0].as_bool().unwrap(), v[1].as_str().unwrap().to_string())
}

/// Waits (up to `limit`) until the SMTP server has received `n` messages.
async fn received(server: &SmtpServer, n: usize, limit: Duration) {
    let start = Instant::now();
    while server.received().len() < n {
        assert!(start.elapsed() < limit, "the SMTP server received {} messages, not {n}, within {limit:?}", server.received().len());
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn on_a_team_register_the_admin_sets_mail_officers_windows_send_each_letter_once_and_an_auditors_sends_none() {
    // The windows' background run comes every minute, and the test waits for one more in each
    // window after a letter went out: longer than the default limit.
    if std::env::var_os("RIGHTSDESK_E2E_TIMEOUT_SECS").is_none() {
        std::env::set_var("RIGHTSDESK_E2E_TIMEOUT_SECS", "300");
    }
    within(async {
        let inbox = tempfile::tempdir().unwrap();
        let server = SmtpServer::start(inbox.path(), SmtpOptions::default());
        let pg = Pg::start();
        let people = team::team(&pg.admin_url(), pg.admin_password(), &[("ada", "admin"), ("olga", "officer"), ("pete", "officer"), ("audrey", "auditor")]);
        let received_on = SystemClock.now().date_naive().pred_opt().unwrap().to_string();
        #[rustfmt::skip]
        let added = rightsdesk(&pg.url("olga"), &people["olga"], &["request", "add", "--type", "access", "--regime", "eu-gdpr",
            "--jurisdiction", "DE", "--received", &received_on, "--name", "Zoë Müller", "--email", "zoe@example.org", "--json"]);
        let reference = added["reference"].as_str().unwrap().to_string();
        let queue = |template: &str| {
            let mut args = vec!["letter", &reference, "--template", template, "--json"];
            if template != "acknowledgement" {
                args.extend(["--details", "the account's e-mail address"]);
            }
            rightsdesk(&pg.url("olga"), &people["olga"], &args);
        };

        // Ada, the admin, sets the mail server in her window; the form says the password stays
        // on this workstation.
        let ada = window(&pg, "ada", &people["ada"]).await;
        ada.click("[data-testid=nav-mail-settings]").await;
        let note = ada.text_of("[data-testid=team-mail-note]").await;
        assert!(note.contains("this workstation’s keyring") && !note.contains("Only an admin"), "{note}");
        let port = server.port.to_string();
        for (name, value) in [
            ("host", "127.0.0.1"),
            ("port", port.as_str()),
            ("security", "none"),
            ("from_name", "CRM Factory"),
            ("from_address", "privacy@crm-factory.example"),
            ("officer_address", "records@crm-factory.example"),
            ("org_name", "CRM Factory GmbH"),
            ("dpo_contact", "dpo@crm-factory.example"),
        ] {
            ada.set_value(&format!("[data-testid=mail-settings] [name={name}]"), value).await;
        }
        ada.click("[data-testid=save-mail-settings]").await;
        ada.wait_until("Ada's save is confirmed", || async { ada.text_of("[data-testid=mail-settings]").await.contains("Saved.") }).await;
        let shown = rightsdesk(&pg.url("olga"), &people["olga"], &["smtp", "show", "--json"]);
        assert!(shown.to_string().contains(&format!("\"port\":{port}")) && shown.to_string().contains("127.0.0.1"), "{shown}");
        ada.close().await;

        // Olga's window shows the team's settings read-only, names why, and offers no Save.
        let olga = window(&pg, "olga", &people["olga"]).await;
        olga.click("[data-testid=nav-mail-settings]").await;
        olga.wait_for("[data-testid=mail-settings] [name=host]").await;
        assert_eq!(field(&olga, "host").await, (true, "127.0.0.1".to_string()));
        assert_eq!(field(&olga, "port").await, (true, port.clone()));
        assert!(field(&olga, "template-source").await.0, "the templates are read-only for an officer");
        assert!(!field(&olga, "password").await.0, "the password on this workstation stays hers to keep");
        let note = olga.text_of("[data-testid=team-mail-note]").await;
        assert!(
            note.contains("Only an admin of the team register may change") && note.contains("olga") && note.contains("officer"),
            "{note}"
        );
        assert_eq!(olga.count("[data-testid=save-mail-settings]").await, 0);
        // A change sent to the app anyway (not through the form) is refused, naming her role,
        // and nothing is saved.
        for (what, script) in [
            (
                "the mail settings",
                "return window.__TAURI_INTERNALS__.invoke('get_mail_settings').then(v => \
                 window.__TAURI_INTERNALS__.invoke('save_mail_settings', { settings: { ...v.settings, host: 'mail.elsewhere.example' }, password: null })) \
                 .then(() => 'saved', e => e.message);",
            ),
            (
                "the letter templates",
                "return window.__TAURI_INTERNALS__.invoke('save_letter_template', { name: 'acknowledgement', lang: 'en', source: 'Subject: changed\\n\\nChanged.' }) \
                 .then(() => 'saved', e => e.message);",
            ),
        ] {
            let said = olga.js(script, vec![]).await;
            let said = said.as_str().unwrap_or_default();
            assert!(
                said.contains(&format!("only an admin of the team register may change {what}; olga is in the officer role")) && said.ends_with("nothing was saved"),
                "{said}"
            );
        }
        let shown = rightsdesk(&pg.url("olga"), &people["olga"], &["smtp", "show", "--json"]);
        assert!(shown.to_string().contains("127.0.0.1") && !shown.to_string().contains("elsewhere"), "{shown}");
        olga.click("[data-testid=nav-outbox]").await;
        olga.wait_for("[data-testid=outbox]").await;

        let pete = window(&pg, "pete", &people["pete"]).await;
        pete.click("[data-testid=nav-outbox]").await;
        pete.wait_for("[data-testid=outbox]").await;
        assert!(server.received().is_empty());

        // A letter queued; both officers press Send now at the same moment: one message.
        queue("acknowledgement");
        olga.wait_until("Olga's Outbox lists the queued letter", || async { olga.count("[data-testid=outbox-row]").await == 1 }).await;
        pete.wait_until("Pete's Outbox lists the queued letter", || async { pete.count("[data-testid=outbox-row]").await == 1 }).await;
        tokio::join!(olga.click("[data-testid=send-outbox]"), pete.click("[data-testid=send-outbox]"));
        received(&server, 1, Duration::from_secs(15)).await;
        for app in [&olga, &pete] {
            app.wait_until("the Outbox shows the letter sent", || async { app.count(SENT_ROWS).await == 1 }).await;
        }

        // A second letter: nobody presses anything; the windows' every-minute run sends it.
        queue("identity-request");
        let queued = Instant::now();
        received(&server, 2, Duration::from_secs(75)).await;
        eprintln!("[e2e] the background run sent the queued letter {:?} after it was queued", queued.elapsed());
        for app in [&olga, &pete] {
            app.wait_until("the Outbox shows both letters sent", || async { app.count(SENT_ROWS).await == 2 }).await;
        }
        // Both windows have run at least once more since: still two messages, each once.
        tokio::time::sleep(Duration::from_secs(62).saturating_sub(queued.elapsed())).await;
        tokio::time::sleep(Duration::from_secs(3)).await;
        let got = server.received();
        assert_eq!(got.len(), 2, "each letter reached the server exactly once");
        let subjects: Vec<String> = got.iter().map(|m| String::from_utf8_lossy(&m.bytes).into_owned()).collect();
        assert!(subjects.iter().all(|m| m.contains(&reference)), "both letters name the request");
        let violations = olga.serious_violations().await;
        assert!(violations.is_empty(), "accessibility of the team register's mail screens: {violations:?}");
        olga.close().await;
        pete.close().await;

        // Audrey, an auditor: her window shows the Outbox without its buttons and sends nothing.
        queue("clarification-request");
        let audrey = window(&pg, "audrey", &people["audrey"]).await;
        audrey.click("[data-testid=nav-outbox]").await;
        audrey.wait_for("[data-testid=outbox-read-only]").await;
        audrey
            .wait_until("Audrey's Outbox lists the three letters", || async { audrey.count("[data-testid=outbox-row]").await == 3 })
            .await;
        assert_eq!(audrey.count("[data-testid=send-outbox]").await, 0);
        assert_eq!(audrey.count("[data-testid=outbox-row][data-letter-state=queued]").await, 1);
        // Her window's first run happens at its first paint; give it time to (not) send.
        tokio::time::sleep(Duration::from_secs(5)).await;
        assert_eq!(server.received().len(), 2, "an auditor's window sends nothing");
        assert_eq!(audrey.count("[data-testid=outbox-row][data-letter-state=queued]").await, 1);
        // On the read-only settings she keeps a password on this workstation only; the team's
        // settings stay as they are.
        audrey.click("[data-testid=nav-mail-settings]").await;
        let note = audrey.text_of("[data-testid=team-mail-note]").await;
        assert!(note.contains("audrey is in the role “auditor”"), "{note}");
        audrey.set_value("[data-testid=mail-settings] [name=password]", "workstation secret").await;
        audrey.click("[data-testid=keep-mail-password]").await;
        audrey.wait_until("the password is kept", || async {
            let text = audrey.text_of("[data-testid=mail-settings]").await;
            text.contains("Saved.") || text.contains("kept in memory for this session only")
        })
        .await;
        let shown = rightsdesk(&pg.url("audrey"), &people["audrey"], &["smtp", "show", "--json"]);
        assert!(shown.to_string().contains("127.0.0.1") && shown.to_string().contains(&format!("\"port\":{port}")), "{shown}");
        audrey.close().await;
    })
    .await;
}
