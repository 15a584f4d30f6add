//! The privacy mailbox in the app window, against a real Dovecot (`tests/imap/harness.rs`):
//! the officer sets the mailbox up in Mail settings, the app reads it in the background, the
//! mails appear in the Inbox with their arrival time in Berlin and the suggested type; one is
//! dismissed with a reason, the other accepted: the request is received on 31 January (the
//! mail arrived at 23:30 in Berlin) and due on 28 February, with the .eml as evidence. A second
//! fetch files nothing twice; a server that is down shows a clear error and "Try again" works
//! once it is back.

#[path = "../../imap/harness.rs"]
mod imap;

use imap::{Dovecot, PASSWORD, USER};
use rightsdesk_e2e::{within, workspace_root, App, Options, Sandbox};
use serde_json::Value;

/// Two days after the mail arrived.
const NOW: &str = "2025-02-02T09:00:00Z";

fn mail(from: &str, subject: &str, message_id: &str, body: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: privacy@example.com\r\nSubject: {subject}\r\nMessage-ID: <{message_id}>\r\n\
         Date: Fri, 31 Jan 2025 23:29:00 +0100\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

fn items(sandbox: &Sandbox, state: &str) -> Vec<Value> {
    sandbox.cli_json(&["intake", "list", "--state", state, "--json"]).as_array().unwrap().clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_mailed_request_is_read_in_the_background_accepted_in_the_inbox_and_received_on_its_arrival_day() {
    within(async {
        let server = Dovecot::start(None);
        let request_mail = mail(
            "Jürgen Beispiel <juergen@example.net>",
            "Auskunftsersuchen nach Art. 15 DSGVO",
            "req-1@example.net",
            "Sehr geehrte Damen und Herren,\r\nbitte um Auskunft über meine Daten.\r\n<script>alert(1)</script>",
        );
        let newsletter = mail("Shop News <news@shop.example>", "Our spring offers", "news-1@shop.example", "Twenty percent off.");
        server.append(
            "INBOX",
            "none",
            &[("31-Jan-2025 23:30:00 +0100", request_mail), ("01-Feb-2025 08:15:00 +0100", newsletter)],
        );

        let sandbox = Sandbox::new().with_now(NOW);
        let app = App::start(Options::new().now(NOW).sandbox(sandbox).env("TZ", "Europe/Berlin")).await;

        // The Inbox says the mailbox is not set up yet.
        app.click("[data-testid=nav-inbox]").await;
        app.wait_for("[data-testid=inbox-not-configured]").await;

        // Mail settings → Privacy mailbox: the server on this machine, the password typed
        // (no OS keyring here: kept for this session only, and the window says so).
        app.click("[data-testid=nav-mail-settings]").await;
        app.type_into("[name=mailbox-host]", "127.0.0.1").await;
        app.set_value("[name=mailbox-port]", &server.port.to_string()).await;
        app.set_value("[name=mailbox-security]", "none").await;
        app.type_into("[name=mailbox-username]", USER).await;
        app.type_into("[name=mailbox-password]", PASSWORD).await;
        app.type_into("[name=mailbox-jurisdiction]", "DE").await;
        // A poll interval out of range is refused, naming the field, and nothing is saved.
        app.set_value("[name=mailbox-poll]", "0").await;
        app.click("[data-testid=save-mailbox]").await;
        app.wait_for("[data-error-for=mailbox-poll_minutes]").await;
        // `mailbox show` reads beside the open app (read-only, no writer lock) and finds no mailbox.
        let shown = app.sandbox().cli(&["mailbox", "show", "--json"]);
        let said = String::from_utf8_lossy(&shown.stderr);
        assert!(!shown.status.success() && said.contains("no mailbox is set up yet"), "nothing was saved: {said}");
        app.set_value("[name=mailbox-poll]", "5").await;
        app.click("[data-testid=save-mailbox]").await;
        app.wait_for("[data-testid=mailbox-saved]").await;
        let shown = app.sandbox().cli(&["mailbox", "show", "--json"]);
        let saved = String::from_utf8_lossy(&shown.stdout);
        assert!(shown.status.success() && saved.contains(&format!("\"port\": {}", server.port)), "the settings were saved: {saved}");
        app.click("[data-testid=test-mailbox]").await;
        app.wait_for("[data-testid=mailbox-test-result]").await;
        let check = app.text_of("[data-testid=mailbox-test-result]").await;
        assert!(check.contains("holds 2 messages") && check.contains("IMAP4rev1"), "{check}");

        // The save woke the background fetch: both mails appear without "Fetch now".
        app.click("[data-testid=nav-inbox]").await;
        app.wait_until("both mails are in the Inbox", || async { app.count("[data-testid=intake-list] tbody tr").await == 2 }).await;
        let badge = app.text_of("[data-testid=inbox-badge]").await;
        assert_eq!(badge, "2", "the sidebar counts the new mails");
        let row = "[data-testid=intake-list] tr[data-from='juergen@example.net']";
        let arrived = app.text_of(&format!("{row} td[data-col=arrived]")).await;
        assert!(
            arrived.contains("31") && arrived.contains("Jan") && arrived.contains("2025") && (arrived.contains("23:30") || arrived.contains("11:30 PM")),
            "the arrival in Berlin (22:30 UTC): {arrived}"
        );
        let suggestion = app.text_of(&format!("{row} [data-testid=suggestion-reason]")).await;
        assert!(suggestion.contains("auskunftsersuchen"), "the keyword is the reason: {suggestion}");
        let last = app.text_of("[data-testid=inbox-last]").await;
        assert!(last.contains("2 new"), "the header shows the last fetch: {last}");
        app.screenshot(workspace_root().join("docs/screenshots/inbox.png")).await;

        // The newsletter is dismissed with a reason; a dismiss without one is refused, naming the field.
        app.click("[data-testid=intake-list] tr[data-from='news@shop.example'] [data-testid=open-item]").await;
        app.wait_for("[data-testid=dismiss-form]").await;
        app.click("[data-testid=dismiss-item]").await;
        app.wait_for("[data-error-for=reason]").await;
        app.type_into("[name=dismiss-reason]", "Advertising, not a request").await;
        app.click("[data-testid=dismiss-item]").await;
        app.wait_for("[data-testid=item-decided]").await;
        assert!(app.text_of("[data-testid=item-decided]").await.contains("Advertising, not a request"));
        app.click("[data-testid=inbox-back]").await;
        app.wait_until("one mail is left", || async { app.count("[data-testid=intake-list] tbody tr").await == 1 }).await;

        // The request: its text shown as text (the markup is not run), the receipt date explained,
        // the type, law and jurisdiction prefilled.
        app.click(&format!("{row} [data-testid=open-item]")).await;
        app.wait_for("[data-testid=accept-form]").await;
        let preview = app.text_of("[data-testid=item-preview]").await;
        assert!(preview.contains("bitte um Auskunft") && preview.contains("<script>alert(1)</script>"), "{preview}");
        let note = app.text_of("[data-testid=receipt-note]").await;
        assert!(note.contains("31") && note.contains("January 2025") || note.contains("January 31, 2025"), "{note}");
        assert!(note.contains("Europe/Berlin"), "{note}");
        let prefilled = app
            .js(
                "return ['accept-type','accept-regime','accept-jurisdiction'].map(n => document.querySelector(`[name=${n}]`).value).join(' ');",
                vec![],
            )
            .await;
        assert_eq!(prefilled, "access eu-gdpr DE");
        app.click("[data-testid=accept-item]").await;
        app.wait_for("[data-testid=request-detail]").await;

        let sandbox = app.sandbox();
        let list = sandbox.cli_json(&["request", "list", "--json"]);
        let requests = list.as_array().expect("request list is an array");
        assert_eq!(requests.len(), 1, "{list}");
        let reference = requests[0]["reference"].as_str().unwrap().to_string();
        let shown = sandbox.cli_json(&["request", "show", &reference, "--json"]);
        assert_eq!(shown["request"]["received_on"], "2025-01-31", "23:30 in Berlin is still 31 January there");
        assert_eq!(shown["request"]["due"], "2025-02-28", "one month under the GDPR");
        assert_eq!(shown["request"]["channel"], "email");
        assert_eq!(shown["request"]["subject"]["email"], "juergen@example.net");
        let timeline = shown["timeline"].as_array().unwrap();
        assert!(
            timeline.iter().any(|e| e["kind"] == "evidence-added" && e["summary"].as_str().unwrap_or("").contains("request-mail.eml")),
            "the .eml is evidence on the request: {timeline:?}"
        );
        app.wait_until("the .eml is listed on the request", || async {
            app.text_of("[data-testid=request-detail]").await.contains("request-mail.eml")
        })
        .await;
        let dismissed = items(sandbox, "dismissed");
        assert_eq!(dismissed.len(), 1);
        assert_eq!(dismissed[0]["reason"], "Advertising, not a request", "the dismissal is on record with its reason");

        // A second fetch files nothing twice.
        app.click("[data-testid=nav-inbox]").await;
        app.wait_for("[data-testid=inbox-empty]").await;
        assert!(!app.exists("[data-testid=inbox-badge]").await, "no badge without new mail");
        app.click("[data-testid=fetch-now]").await;
        app.wait_until("the second fetch has run", || async {
            app.exists("[data-testid=inbox-last]").await && app.text_of("[data-testid=inbox-last]").await.contains("0 new")
        })
        .await;
        assert_eq!(items(sandbox, "all").len(), 2, "nothing was filed twice");
        assert_eq!(sandbox.cli_json(&["request", "list", "--json"]).as_array().unwrap().len(), 1);

        // The server goes down: a clear error, on the status line too, and "Try again" once it is back.
        server.stop();
        app.click("[data-testid=fetch-now]").await;
        app.wait_for("[data-testid=inbox-error]").await;
        let error = app.text_of("[data-testid=inbox-error]").await;
        assert!(error.contains("could not be read") && error.contains("Nothing was lost"), "{error}");
        app.wait_for("[data-testid=status-mailbox]").await;
        server.run();
        server.append(
            "INBOX",
            "none",
            &[(
                "02-Feb-2025 09:30:00 +0100",
                mail("Ada Example <ada@example.org>", "Please delete my account", "req-2@example.org", "Erase my data."),
            )],
        );
        app.click("[data-testid=inbox-retry]").await;
        app.wait_until("the mail sent while the server was down is read", || async {
            app.count("[data-testid=intake-list] tbody tr").await == 1
        })
        .await;
        assert!(!app.exists("[data-testid=inbox-error]").await, "the error is gone after a successful fetch");
        app.wait_gone("[data-testid=status-mailbox]").await;

        // Ada's mail is filed on the request by its reference (an unknown one is refused).
        app.click("[data-testid=intake-list] tr[data-from='ada@example.org'] [data-testid=open-item]").await;
        app.type_into("[name=link-reference]", "DSR-1999-9999").await;
        app.click("[data-testid=link-item]").await;
        app.wait_for("[data-testid=link-form] [role=alert], [data-testid=link-form] [data-error-for]").await;
        assert!(items(sandbox, "linked").is_empty(), "nothing is linked to a request that does not exist");
        app.type_into("[name=link-reference]", &reference).await;
        app.click("[data-testid=link-item]").await;
        app.wait_for("[data-testid=item-decided]").await;
        assert!(app.text_of("[data-testid=item-decided]").await.contains(&reference));
        let linked = items(sandbox, "linked");
        assert_eq!(linked.len(), 1);
        assert_eq!(linked[0]["from_address"], "ada@example.org");
        let shown = sandbox.cli_json(&["request", "show", &reference, "--json"]);
        assert!(
            shown["timeline"].as_array().unwrap().iter().any(|e| e["kind"] == "intake-linked"),
            "the linked mail is on the request's timeline: {shown}"
        );
        app.close().await;
    })
    .await;
}
