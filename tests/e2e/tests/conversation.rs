//! A request's conversation in the app window (issue 17, items 4 and 7), with a real SMTP server
//! (`tests/smtp/harness.rs`) and a real Dovecot (`tests/imap/harness.rs`): the acknowledgement
//! went out, the officer asked for proof of identity; the subject's reply with a PDF and an
//! HTML-only mail (a script, a remote image) arrive. In the window the reply shows in the
//! conversation with its attachment listed, the HTML mail as text with its script not run and its
//! image not fetched, and one click records "identity received" dated by the reply's arrival in
//! Berlin: the due date moves and the timeline says why; the attachment is saved out through the
//! OS dialog as it came.

#[path = "../../imap/harness.rs"]
mod imap;
#[path = "../../smtp/harness.rs"]
mod smtp;

use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use imap::{Dovecot, PASSWORD, USER};
use rightsdesk_e2e::{within, App, Options, Sandbox};
use smtp::SmtpServer;

/// The request arrives and is acknowledged on Monday 1 June 2026; the officer opens it on Thursday.
const MONDAY: &str = "2026-06-01T10:00:00Z";
const THURSDAY: &str = "2026-06-04T09:00:00Z";

fn reply(in_reply_to: &str) -> Vec<u8> {
    format!(
        "From: Ada Example <ada@example.org>\r\nTo: privacy@example.com\r\nSubject: Re: We have received your request\r\n\
Message-ID: <ada-reply@example.org>\r\nIn-Reply-To: {in_reply_to}\r\nReferences: {in_reply_to}\r\n\
MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
My passport is attached.\r\n--b\r\nContent-Type: application/pdf; name=\"passport.pdf\"\r\n\
Content-Disposition: attachment; filename=\"passport.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n\
JVBERi0xLjcKJSBub3QgYSByZWFsIHBkZgo=\r\n--b--\r\n"
    )
    .into_bytes()
}

/// HTML only, with a script and an image on a server of ours that notes any request.
fn html_only(reference: &str, image_port: u16) -> Vec<u8> {
    format!(
        "From: ada@example.org\r\nTo: privacy@example.com\r\nSubject: {reference} my new address\r\nMessage-ID: <ada-html@example.org>\r\n\
MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>Please note my <b>new address</b>.</p>\
<script>document.title='pwned'; window.__pwned = 1;</script>\
<img src=\"http://127.0.0.1:{image_port}/pixel.gif\" onerror=\"window.__pwned = 2\"></body></html>\r\n"
    )
    .into_bytes()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reply_shows_in_the_conversation_and_one_click_records_identity_received_on_its_arrival() {
    within(async {
        let dovecot = Dovecot::start(None);
        let sandbox = Sandbox::new().with_now(MONDAY);
        let smtp = SmtpServer::start(&sandbox.path().join("smtp"), smtp::Options::default());
        // Any connection to this port is a remote image fetched.
        let images = TcpListener::bind("127.0.0.1:0").unwrap();
        let image_port = images.local_addr().unwrap().port();
        let fetched = Arc::new(AtomicBool::new(false));
        {
            let fetched = fetched.clone();
            std::thread::spawn(move || {
                if images.accept().is_ok() {
                    fetched.store(true, Ordering::SeqCst);
                }
            });
        }

        let smtp_port = smtp.port.to_string();
        let imap_port = dovecot.port.to_string();
        sandbox.cli_json(&[
            "smtp",
            "set",
            "--host",
            "127.0.0.1",
            "--port",
            &smtp_port,
            "--security",
            "none",
            "--from",
            "privacy@example.com",
            "--org-name",
            "Example Ltd",
            "--dpo-contact",
            "privacy@example.com",
            "--json",
        ]);
        sandbox.cli_json(&[
            "mailbox",
            "set",
            "--host",
            "127.0.0.1",
            "--port",
            &imap_port,
            "--security",
            "none",
            "--username",
            USER,
            "--json",
        ]);
        let request = sandbox.cli_json(&[
            "request",
            "add",
            "--type",
            "access",
            "--regime",
            "uk-gdpr",
            "--jurisdiction",
            "GB-ENG",
            "--received",
            "2026-06-01",
            "--name",
            "Ada Example",
            "--email",
            "ada@example.org",
            "--json",
        ]);
        let reference = request["reference"].as_str().unwrap().to_string();
        assert_eq!(request["due"], "2026-07-01");
        let sent = sandbox.cli_json(&["letter", &reference, "--template", "acknowledgement", "--send", "--json"]);
        assert_eq!(sent["letter"]["state"], "sent", "{sent}");
        sandbox.cli_json(&["identity", "request", &reference, "--on", "2026-06-01", "--json"]);
        let message_id = sent["letter"]["message_id"].as_str().unwrap();
        dovecot.append(
            "INBOX",
            "none",
            &[("02-Jun-2026 00:30:00 +0200", reply(message_id)), ("03-Jun-2026 10:00:00 +0200", html_only(&reference, image_port))],
        );

        let app =
            App::start(Options::new().now(THURSDAY).sandbox(sandbox).env("TZ", "Europe/Berlin").env("RIGHTSDESK_IMAP_PASSWORD", PASSWORD))
                .await;
        // The mailbox is read (in the background, or now): both mails are replies, filed on the request.
        app.click("[data-testid=nav-inbox]").await;
        app.wait_for("[data-testid=fetch-now]").await;
        app.click("[data-testid=fetch-now]").await;
        app.wait_until("both replies are filed", || async {
            app.sandbox().cli_json(&["intake", "list", "--state", "linked", "--json"]).as_array().unwrap().len() == 2
        })
        .await;

        app.click("[data-testid=nav-requests]").await;
        app.wait_for("table[data-testid=request-list]").await;
        app.click(&format!("tr[data-reference='{reference}'] td[data-col=subject]")).await;
        app.wait_for("[data-testid=request-detail] #conversation").await;
        app.wait_until("the conversation lists the letter and both mails", || async {
            app.count("[data-testid=conversation-mail]").await == 3
        })
        .await;
        let directions = app
            .js("return [...document.querySelectorAll('[data-testid=conversation-mail]')].map(e => e.dataset.direction).join(' ');", vec![])
            .await;
        assert_eq!(directions, "out in in", "the acknowledgement, then the two mails, by the server's time");
        assert!(app.text_of("[data-testid=awaiting-identity]").await.contains("2026"), "the request awaits identity evidence");

        let reply = "[data-testid=conversation-mail][data-direction=in]:nth-child(2)";
        let text = app.text_of(reply).await;
        assert!(text.contains("My passport is attached.") && text.contains("Ada Example <ada@example.org>"), "{text}");
        assert!(text.contains("Europe/Berlin"), "the arrival is shown in the organisation's zone: {text}");
        let attachment = app.text_of(&format!("{reply} [data-testid=mail-attachment]")).await;
        assert!(attachment.contains("passport.pdf") && attachment.contains("application/pdf"), "{attachment}");
        assert_eq!(
            app.count(&format!("{reply} a[href], {reply} object, {reply} embed, {reply} iframe")).await,
            0,
            "the attachment is listed, not opened"
        );

        // The HTML-only mail: its words as text, its script not run, its image not fetched.
        let html = "[data-testid=conversation-mail][data-direction=in]:nth-child(3)";
        let body = app.text_of(&format!("{html} [data-testid=mail-body]")).await;
        assert!(body.contains("Please note my new address."), "{body}");
        assert!(!body.contains("pwned") && !body.contains("pixel.gif"), "{body}");
        assert_eq!(
            app.count("#conversation script, #conversation img, #conversation iframe").await,
            0,
            "no markup from the mail in the page"
        );
        let pwned = app.js("return [document.title, String(window.__pwned)].join('|');", vec![]).await;
        assert!(!pwned.as_str().unwrap().contains("pwned") && pwned.as_str().unwrap().ends_with("|undefined"), "{pwned}");

        // One click: identity received (mail of 2 June): the month runs from 2 June, due 2 July.
        assert_eq!(app.text_of("[data-testid=detail-due]").await, "2026-07-01");
        let button = format!("{reply} [data-testid=received-identity]");
        let label = app.text_of(&button).await;
        assert!(label.contains("Identity received") && label.contains("2"), "{label}");
        app.js("document.getElementById('conversation').scrollIntoView({ block: 'start' });", vec![]).await;
        app.screenshot(rightsdesk_e2e::workspace_root().join("docs/screenshots/conversation.png")).await;
        app.click(&button).await;
        app.wait_until("the dates move", || async { app.text_of("[data-testid=detail-due]").await == "2026-07-02" }).await;
        app.wait_for(&format!("{reply} [data-testid=mail-recorded][data-recorded=identity]")).await;
        assert_eq!(app.count("[data-testid=received-identity]").await, 0, "nothing more to record");
        let timeline = app.text_of("[data-testid=timeline]").await;
        assert!(timeline.contains("by mail of 2026-06-02"), "the timeline says why: {timeline}");
        assert!(timeline.contains("identity received by mail of 2026-06-02"), "{timeline}");
        let shown = app.sandbox().cli_json(&["request", "show", &reference, "--json"]);
        assert_eq!(shown["request"]["schedule"]["clock_start"], "2026-06-02");
        assert!(!fetched.load(Ordering::SeqCst), "the remote image was never fetched");

        // The attachment saved out through the OS dialog, byte for byte as it came.
        let saved = app.sandbox().path().join("home").join("ada-passport.pdf");
        app.click(&format!("{reply} [data-testid=save-attachment]")).await;
        app.answer_file_dialog("Save the attachment", &saved, false).await;
        app.wait_for("[data-testid=attachment-saved]").await;
        assert_eq!(std::fs::read(&saved).unwrap(), b"%PDF-1.7\n% not a real pdf\n");
        app.close().await;
        smtp.stop();
    })
    .await;
}
