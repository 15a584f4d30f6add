//! Asking the system's owner and sending the answer, in the app window (issue 17,
//! items 5 and 6), against a real SMTP server (aiosmtpd) and a real Dovecot:
//! Send to owner on the task mails the owner; the owner's DONE reply with a CSV
//! is fetched from the mailbox, filed on the task as evidence, and the officer
//! closes the task with one click; Send answer delivers the response letter
//! with the package attached, read back with Python's email and zipfile.

#[path = "../../imap/harness.rs"]
mod imap;
#[path = "../../smtp/harness.rs"]
mod smtp;

use imap::{Dovecot, PASSWORD, USER};
use rightsdesk_e2e::{within, App, Options, Sandbox};
use smtp::{Options as SmtpOptions, SmtpServer};

const NOW: &str = "2026-02-02T09:00:00Z";
const OWNER: &str = "olga.owner@crm-factory.example";

/// Names, types and (for a ZIP) the files of a message's attachments, and its text, as Python reads them.
fn parse_mime(raw: &[u8]) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let eml = dir.path().join("message.eml");
    std::fs::write(&eml, raw).unwrap();
    let script = r#"
import email, io, json, sys, zipfile
from email import policy
m = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=policy.default)
atts = []
for p in m.iter_attachments():
    data = p.get_payload(decode=True)
    entry = {'name': p.get_filename(), 'type': p.get_content_type()}
    if p.get_content_type() == 'application/zip':
        entry['files'] = zipfile.ZipFile(io.BytesIO(data)).namelist()
    atts.append(entry)
print(json.dumps({'attachments': atts, 'message_id': m['Message-ID'], 'text': m.get_body(('plain',)).get_content()}))
"#;
    let out = std::process::Command::new("/usr/bin/python3").arg("-c").arg(script).arg(&eml).output().expect("python3");
    assert!(out.status.success(), "python: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn owner_reply(in_reply_to: &str) -> Vec<u8> {
    format!(
        "From: Olga Owner <{OWNER}>\r\nTo: privacy@crm-factory.example\r\nSubject: Re: CRM\r\n\
         Message-ID: <olga-1@crm-factory.example>\r\nIn-Reply-To: {in_reply_to}\r\nDate: Tue, 3 Feb 2026 11:00:00 +0100\r\n\
         MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n\
         --b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nDONE - export attached.\r\n\
         --b1\r\nContent-Type: text/csv; name=\"crm-export.csv\"\r\nContent-Disposition: attachment; filename=\"crm-export.csv\"\r\n\r\n\
         email,plan\r\nada@example.org,Pro\r\n--b1--\r\n"
    )
    .into_bytes()
}

/// A register with the SMTP server and the mailbox set, the CRM system of owner Olga in the data map, and
/// Ada's access request in progress with its task for the CRM: the sandbox and the request's reference.
fn crm_request(server: &SmtpServer, dovecot: &Dovecot) -> (Sandbox, String) {
    let sandbox = Sandbox::new().with_now(NOW);
    let smtp_port = server.port.to_string();
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
        "privacy@crm-factory.example",
        "--org-name",
        "CRM Factory GmbH",
        "--dpo-contact",
        "dpo@crm-factory.example",
        "--json",
    ]);
    let imap_port = dovecot.port.to_string();
    sandbox.cli_json(&["mailbox", "set", "--host", "127.0.0.1", "--port", &imap_port, "--security", "none", "--username", USER, "--json"]);
    let map = sandbox.path().join("map.csv");
    std::fs::write(
        &map,
        format!(
            "name,owner_contact,how_to_search,how_to_export,legal_basis,automated_decisions,location\n\
             CRM,{OWNER},Contacts > search by email,Contacts > Export CSV,Contract,none,Frankfurt (EU)\n"
        ),
    )
    .unwrap();
    let imported = sandbox.cli(&["systems", "import", map.to_str().unwrap()]);
    assert!(imported.status.success(), "{}", String::from_utf8_lossy(&imported.stderr));
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
        "2026-02-02",
        "--name",
        "Ada Example",
        "--email",
        "ada@example.org",
        "--json",
    ]);
    let reference = added["reference"].as_str().unwrap().to_string();
    sandbox.cli_json(&["request", "status", &reference, "in-progress", "--json"]);
    (sandbox, reference)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_owner_is_asked_from_the_task_their_done_reply_closes_it_and_send_answer_delivers_the_package() {
    within(async {
        let dovecot = Dovecot::start(None);
        let inbox = tempfile::tempdir().unwrap();
        let server = SmtpServer::start(inbox.path(), SmtpOptions::default());
        let (sandbox, reference) = crm_request(&server, &dovecot);

        let app =
            App::start(Options::new().now(NOW).sandbox(sandbox).env("TZ", "Europe/Berlin").env("RIGHTSDESK_IMAP_PASSWORD", PASSWORD)).await;
        app.wait_for("table[data-testid=request-list]").await;
        app.click(&format!("tr[data-reference='{reference}'] td[data-col=subject]")).await;

        // Send to owner: the mail goes out and the task says so.
        app.wait_for("[data-testid=send-to-owner]").await;
        app.click("[data-testid=send-to-owner]").await;
        app.wait_for("[data-testid=owner-mail][data-state=sent]").await;
        let got = server.received();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].rcpt_tos, vec![OWNER.to_string()]);
        let asked = parse_mime(&got[0].bytes);
        let text = asked["text"].as_str().unwrap();
        assert!(text.contains("Contacts > Export CSV") && text.contains("Ada Example") && text.contains("ada@example.org"), "{text}");
        let message_id = asked["message_id"].as_str().unwrap().to_string();

        // The owner's DONE reply with a CSV: fetched, filed on the task, closing offered.
        dovecot.append("INBOX", "none", &[("03-Feb-2026 11:00:05 +0100", owner_reply(&message_id))]);
        app.click("[data-testid=nav-inbox]").await;
        app.wait_for("[data-testid=fetch-now]").await;
        app.click("[data-testid=fetch-now]").await;
        app.wait_until("the owner's reply is filed", || async {
            app.sandbox().cli_json(&["intake", "list", "--state", "linked", "--json"]).as_array().unwrap().len() == 1
        })
        .await;
        app.click("[data-testid=nav-requests]").await;
        app.wait_for("table[data-testid=request-list]").await;
        app.click(&format!("tr[data-reference='{reference}'] td[data-col=subject]")).await;
        app.wait_for("[data-testid=owner-reply][data-suggestion=done]").await;
        assert!(app.text_of("[data-testid=owner-reply]").await.contains(OWNER));
        assert_eq!(app.count("[data-testid=task][data-status=open]").await, 1, "nothing closes without the officer");
        app.click("[data-testid=close-from-reply]").await;
        app.wait_for("[data-testid=task][data-status=done]").await;
        let evidence = app.sandbox().cli_json(&["evidence", "list", &reference, "--json"]);
        assert!(
            evidence.as_array().unwrap().iter().any(|e| e["name"] == "crm-export.csv" && !e["task_id"].is_null()),
            "the CSV is evidence on the task: {evidence}"
        );

        // Send answer: the package is built and attached; the request is answered.
        app.click("[data-testid=send-answer-button]").await;
        app.wait_for("[data-testid=answer-sent][data-attached=true]").await;
        let got = server.received();
        assert_eq!(got.len(), 2, "the owner's mail, then the answer");
        assert_eq!(got[1].rcpt_tos, vec!["ada@example.org".to_string()]);
        let answer = parse_mime(&got[1].bytes);
        let zip = &answer["attachments"][0];
        assert_eq!(zip["type"], "application/zip", "{answer}");
        assert_eq!(zip["name"], format!("{reference}-package.zip"));
        let files: Vec<&str> = zip["files"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
        assert!(files.iter().any(|f| f.ends_with("crm-export.csv")), "{files:?}");
        let status = app.sandbox().cli_json(&["request", "show", &reference, "--json"]);
        assert_eq!(status["request"]["status"], "completed", "{status}");
        app.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_owner_who_has_not_answered_is_reminded_by_the_open_app_once() {
    within(async {
        let dovecot = Dovecot::start(None);
        let inbox = tempfile::tempdir().unwrap();
        let server = SmtpServer::start(inbox.path(), SmtpOptions::default());
        let (sandbox, reference) = crm_request(&server, &dovecot);
        // Asked on Monday 2 February (from the CLI); no reply. Three working days later, on
        // Thursday 5 February, the open app's outbox run queues and sends one reminder.
        let tasks = sandbox.cli_json(&["task", "list", &reference, "--json"]);
        let task = tasks.as_array().unwrap()[0]["id"].as_str().unwrap().to_string();
        let sent = sandbox.cli(&["task", "send", &task]);
        assert!(sent.status.success(), "{}", String::from_utf8_lossy(&sent.stderr));
        assert_eq!(server.received().len(), 1, "the owner was asked");

        let app = App::start(Options::new().now("2026-02-05T09:00:00Z").sandbox(sandbox).env("TZ", "Europe/Berlin")).await;
        app.wait_for("table[data-testid=request-list]").await;
        app.wait_until("the reminder reaches the owner", || async { server.received().len() == 2 }).await;
        let got = server.received();
        assert_eq!(got[1].rcpt_tos, vec![OWNER.to_string()]);
        let reminder = parse_mime(&got[1].bytes);
        assert!(reminder["text"].as_str().unwrap().contains("Ada Example"), "{reminder}");
        // One reminder: once a day at most is the core's test (tests/owners.rs); here, nothing else went out.
        assert_eq!(server.received().len(), 2);
        app.close().await;
    })
    .await;
}

/// `target` (YYYY-MM-DD) less `n` working days (Monday to Friday; no public holiday falls in these
/// tests' weeks), as the English owner mail writes a date: "20 February 2026". Python's datetime counts.
fn working_days_before(target: &str, n: u32) -> String {
    let script = r#"
import datetime, sys
d = datetime.date.fromisoformat(sys.argv[1])
n = int(sys.argv[2])
while n > 0:
    d -= datetime.timedelta(days=1)
    if d.weekday() < 5:
        n -= 1
print(f"{d.day} {d.strftime('%B')} {d.year}")
"#;
    let out =
        std::process::Command::new("/usr/bin/python3").arg("-c").arg(script).arg(target).arg(n.to_string()).output().expect("python3");
    assert!(out.status.success(), "python: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_owners_lead_is_set_in_mail_settings_and_moves_the_due_date_in_the_owners_mail() {
    within(async {
        let dovecot = Dovecot::start(None);
        let inbox = tempfile::tempdir().unwrap();
        let server = SmtpServer::start(inbox.path(), SmtpOptions::default());
        let (sandbox, reference) = crm_request(&server, &dovecot);

        let app =
            App::start(Options::new().now(NOW).sandbox(sandbox).env("TZ", "Europe/Berlin").env("RIGHTSDESK_IMAP_PASSWORD", PASSWORD)).await;
        app.wait_for("table[data-testid=request-list]").await;
        let settings = || async { app.sandbox().cli_json(&["task", "owner-settings", "--json"]) };

        // Mail settings → Asking the system owners: the defaults, with the help line.
        app.click("[data-testid=nav-mail-settings]").await;
        app.wait_for("[data-testid=owner-mail-settings] input[name=lead_working_days]").await;
        let help = app.text_of("[data-testid=owner-mail-settings]").await;
        assert!(help.contains("internal target") && help.contains("reminded every"), "{help}");
        let lead = "[data-testid=owner-mail-settings] input[name=lead_working_days]";
        let reminder = "[data-testid=owner-mail-settings] input[name=reminder_working_days]";
        assert_eq!(app.js("return document.querySelector(arguments[0]).value", vec![serde_json::json!(lead)]).await, "2");
        assert_eq!(app.js("return document.querySelector(arguments[0]).value", vec![serde_json::json!(reminder)]).await, "3");

        // Bad values: the core's message beside the field (or the window's, for a number that is not whole); nothing stored.
        app.set_value(lead, "61").await;
        app.click("[data-testid=save-owner-settings]").await;
        let said = app.text_of("[data-error-for=lead_working_days]").await;
        assert!(said.contains("at most 60 working days"), "{said}");
        app.set_value(lead, "2").await;
        app.set_value(reminder, "0").await;
        app.click("[data-testid=save-owner-settings]").await;
        let said = app.text_of("[data-error-for=reminder_working_days]").await;
        assert!(said.contains("between 1 and 60 working days"), "{said}");
        app.set_value(reminder, "3").await;
        app.set_value(lead, "2.5").await;
        app.click("[data-testid=save-owner-settings]").await;
        assert_eq!(app.text_of("[data-error-for=lead_working_days]").await, "Enter a whole number of working days.");
        let stored = settings().await;
        assert_eq!((stored["lead_working_days"].as_u64(), stored["reminder_working_days"].as_u64()), (Some(2), Some(3)), "nothing stored");

        // Five working days before the internal target.
        app.set_value(lead, "5").await;
        app.click("[data-testid=save-owner-settings]").await;
        app.wait_for("[data-testid=owner-settings-saved]").await;
        assert!(!app.exists("[data-error-for=lead_working_days]").await);
        assert_eq!(settings().await["lead_working_days"], 5);

        // Send to owner: the due date in the mail the owner receives moved with the lead.
        let shown = app.sandbox().cli_json(&["request", "show", &reference, "--json"]);
        let target = shown["request"]["schedule"]["target"].as_str().expect("an internal target").to_string();
        app.click("[data-testid=nav-requests]").await;
        app.wait_for("table[data-testid=request-list]").await;
        app.click(&format!("tr[data-reference='{reference}'] td[data-col=subject]")).await;
        app.click("[data-testid=send-to-owner]").await;
        app.wait_for("[data-testid=owner-mail][data-state=sent]").await;
        let got = server.received();
        assert_eq!(got.len(), 1);
        let text = parse_mime(&got[0].bytes)["text"].as_str().unwrap().to_string();
        let due = working_days_before(&target, 5);
        assert!(text.contains(&due), "the owner is asked for {due} (target {target}): {text}");
        assert!(!text.contains(&working_days_before(&target, 2)), "not the default lead's date: {text}");
        app.close().await;
    })
    .await;
}
