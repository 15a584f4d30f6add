//! Letters in the window on a team register (issue 18), against a real PostgreSQL 15
//! (`tests/pg/harness.rs`, TLS with `verify-full`) and a real SMTP server (Debian's
//! aiosmtpd, `tests/smtp/harness.rs`): the team's admin sets the mail server through the
//! CLI; Olga opens a request in her window, previews and sends its acknowledgement; the
//! server receives it once; the letter is on her timeline under her login, and Pete's
//! window, open on the same request, shows it on its timeline without a click. Then she sends
//! the answer from the page, with the answer package attached, and the request is completed.
//!
//! Build first: `npm --prefix ui run build && cargo build -p rightsdesk-app -p rightsdesk-cli`.

#[path = "../../pg/harness.rs"]
mod pg;

#[path = "../../smtp/harness.rs"]
mod smtp;

use std::time::Duration;

use pg::Pg;
use rightsdesk_core::clock::{Clock, SystemClock};
use rightsdesk_e2e::team::{self, rightsdesk, LIST_SHOWN, ROWS};
use rightsdesk_e2e::{within, App, Options};
use serde_json::Value;
use smtp::{Options as SmtpOptions, SmtpServer};

/// A window on the team register as `login`, on the page of the request `reference`.
async fn on_request(pg: &Pg, login: &str, password: &str, reference: &str) -> App {
    let app = App::start(Options::new().env("RIGHTSDESK_DB", &pg.url(login)).env("RIGHTSDESK_DB_PASSWORD", password)).await;
    app.wait_for(LIST_SHOWN).await;
    app.click("[data-testid=nav-requests]").await;
    app.wait_until("the request is listed", || async { app.count(ROWS).await == 1 }).await;
    app.click(&format!("tr[data-reference='{reference}'] td[data-col=subject]")).await;
    app.wait_for("[data-testid=request-detail] [data-testid=timeline]").await;
    app
}

#[tokio::test(flavor = "multi_thread")]
async fn on_a_team_register_a_letter_is_drafted_and_sent_in_the_window_and_the_other_window_sees_it() {
    within(async {
        let inbox = tempfile::tempdir().unwrap();
        let server = SmtpServer::start(inbox.path(), SmtpOptions::default());
        let pg = Pg::start();
        let people = team::team(&pg.admin_url(), pg.admin_password(), &[("ada", "admin"), ("olga", "officer"), ("pete", "officer")]);
        let port = server.port.to_string();
        #[rustfmt::skip]
        let set = ["smtp", "set", "--host", "127.0.0.1", "--port", &port, "--security", "none",
            "--from", "privacy@crm-factory.example", "--from-name", "CRM Factory", "--officer", "records@crm-factory.example",
            "--org-name", "CRM Factory GmbH", "--dpo-contact", "dpo@crm-factory.example", "--json"];
        rightsdesk(&pg.url("ada"), &people["ada"], &set);
        // Received two days ago: acknowledged in time.
        let received = SystemClock.now().date_naive().pred_opt().and_then(|d| d.pred_opt()).unwrap().to_string();
        #[rustfmt::skip]
        let added = rightsdesk(&pg.url("olga"), &people["olga"], &["request", "add", "--type", "access", "--regime", "eu-gdpr",
            "--jurisdiction", "DE", "--received", &received, "--name", "Zoë Müller", "--email", "zoe@example.org", "--json"]);
        let reference = added["reference"].as_str().unwrap().to_string();

        let olga = on_request(&pg, "olga", &people["olga"], &reference).await;
        let pete = on_request(&pg, "pete", &people["pete"], &reference).await;

        // Olga drafts the acknowledgement: the preview names the subject and the reference.
        olga.wait_for("[data-testid=request-detail] [data-testid=letters]").await;
        olga.set_value("[name=letter-template]", "acknowledgement").await;
        olga.click("[data-testid=preview-letter]").await;
        olga.wait_for("[data-testid=letter-preview]").await;
        let preview = olga.text_of("[data-testid=letter-preview]").await;
        assert!(preview.contains("Zoë Müller") && preview.contains(&reference), "{preview}");
        assert!(server.received().is_empty());

        // She sends it: the server receives it once, and her window says what the server answered.
        olga.click("[data-testid=send-letter]").await;
        olga.wait_for("[data-testid=letter-result]").await;
        let result = olga.text_of("[data-testid=letter-result]").await;
        assert!(result.starts_with("Sent") && result.contains("250"), "{result}");
        let got = server.received();
        assert_eq!(got.len(), 1, "exactly one message reached the server");
        assert_eq!(got[0].rcpt_tos, vec!["zoe@example.org", "records@crm-factory.example"]);
        let bytes = String::from_utf8_lossy(&got[0].bytes);
        assert!(bytes.contains(&reference), "the letter names the request");
        olga.wait_until("the letter is on Olga's timeline", || async {
            olga.text_of("[data-testid=timeline]").await.contains("Letter sent: acknowledgement")
        })
        .await;
        // Her letters list shows it as sent.
        olga.wait_until("Olga's letters list shows it sent", || async {
            olga.text_of("[data-testid=letters]").await.to_lowercase().contains("sent")
        })
        .await;

        // Pete's window, untouched, shows it on its timeline (the team's change notices).
        let shown = std::time::Instant::now();
        pete.wait_for_within("[data-testid=timeline]", Duration::from_secs(1)).await;
        pete.wait_until("the letter is on Pete's timeline", || async {
            let text = pete.text_of("[data-testid=timeline]").await;
            text.contains("Letter sent: acknowledgement") && text.contains("Receipt acknowledged")
        })
        .await;
        eprintln!("[e2e] Pete's timeline showed the sent letter {:?} after Olga's window confirmed it", shown.elapsed());
        // And his Letters panel lists it, sent.
        pete.wait_for_within("[data-testid=request-letters] li[data-letter-state=sent]", Duration::from_secs(2)).await;

        // On record under Olga's login (set by the server).
        let detail = rightsdesk(&pg.url("pete"), &people["pete"], &["request", "show", &reference, "--json"]);
        let sent: Vec<&Value> = detail["timeline"].as_array().unwrap().iter().filter(|e| e["kind"] == "letter-sent").collect();
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0]["actor"], "olga");
        let violations = olga.serious_violations().await;
        assert!(violations.is_empty(), "accessibility of the team register's letters: {violations:?}");

        // Olga sends the answer from the page: the response letter with the answer package
        // (built from the team register, kept in the database) attached; the request is completed.
        olga.click("[data-testid=send-answer-button]").await;
        olga.wait_for("[data-testid=answer-sent][data-attached=true]").await;
        let got = server.received();
        assert_eq!(got.len(), 2, "the acknowledgement, then the answer");
        assert_eq!(got[1].rcpt_tos, vec!["zoe@example.org", "records@crm-factory.example"]);
        let answer = String::from_utf8_lossy(&got[1].bytes);
        assert!(answer.contains(&format!("{reference}-package.zip")), "the package is attached");
        let detail = rightsdesk(&pg.url("pete"), &people["pete"], &["request", "show", &reference, "--json"]);
        assert_eq!(detail["request"]["status"], "completed", "{detail}");
        let answered: Vec<&Value> = detail["timeline"].as_array().unwrap().iter().filter(|e| e["kind"] == "letter-sent").collect();
        assert!(answered.len() == 2 && answered.iter().all(|e| e["actor"] == "olga"), "{answered:?}");
        olga.close().await;
        pete.close().await;
    })
    .await;
}
