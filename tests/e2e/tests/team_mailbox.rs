//! The privacy mailbox on a team register (issue 18), against a real PostgreSQL 15
//! (`tests/pg/harness.rs`) and a real Dovecot (`tests/imap/harness.rs`): the team's admin sets
//! the mailbox up (`rightsdesk mailbox set` as the admin's login), each workstation has the IMAP
//! password (here from `RIGHTSDESK_IMAP_PASSWORD`, as the keyring of this workstation would).
//! An auditor's window reads the Inbox but neither fetches nor decides, and shows the mail the
//! officers' windows filed without a click (the change notice). Two officers' windows: both read the
//! mailbox in the background and the mail is filed once;
//! ana accepts it in her Inbox as a request; ben's list shows the new request without a click and
//! his Inbox has nothing left to decide; the request's timeline shows the mail, under ana's name
//! (set by the server). Ben's window shows the mailbox settings read-only (they are the admin's)
//! and keeps his IMAP password for his workstation.
//!
//! Build first: `npm --prefix ui run build && cargo build -p rightsdesk-app -p rightsdesk-cli`.

#[path = "../../imap/harness.rs"]
mod imap;
#[path = "../../pg/harness.rs"]
mod pg;

use std::time::{Duration, Instant};

use imap::{Dovecot, PASSWORD, USER};
use pg::Pg;
use rightsdesk_e2e::team::{self, LIST_SHOWN, ROWS};
use rightsdesk_e2e::{within, App, Options};
use serde_json::Value;

const INTAKE_ROWS: &str = "[data-testid=intake-list] tbody tr";
/// Two days after the mail arrived.
const NOW: &str = "2025-02-02T09:00:00Z";

/// `rightsdesk --db URL ARGS` as `login` with `password`; its standard output.
fn cli_as(url: &str, password: &str, args: &[&str]) -> String {
    String::from_utf8(team::run(Some(url), password, args, |_, _| {}).stdout).unwrap()
}

/// Adds `name` in `role`; the one-time password.
fn add(pg: &Pg, name: &str, role: &str) -> String {
    let v: Value =
        serde_json::from_str(&cli_as(&pg.admin_url(), pg.admin_password(), &["team", "add", name, "--role", role, "--json"])).unwrap();
    v["password"].as_str().expect("a one-time password").to_string()
}

/// A window on the team register as `login`, with this workstation's IMAP password.
async fn window(pg: &Pg, login: &str, password: &str) -> App {
    let app = App::start(
        Options::new()
            .now(NOW)
            .env("TZ", "Europe/Berlin")
            .env("RIGHTSDESK_DB", &pg.url(login))
            .env("RIGHTSDESK_DB_PASSWORD", password)
            .env("RIGHTSDESK_IMAP_PASSWORD", PASSWORD),
    )
    .await;
    app.wait_for(LIST_SHOWN).await;
    let banner = app.text_of("[data-testid=team-banner]").await;
    assert!(banner.contains(&format!("as {login}")), "banner: {banner}");
    app
}

fn mail(from: &str, subject: &str, message_id: &str, body: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: privacy@example.com\r\nSubject: {subject}\r\nMessage-ID: <{message_id}>\r\n\
         Date: Fri, 31 Jan 2025 23:29:00 +0100\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_mail_fetched_on_a_team_register_is_accepted_in_one_window_and_shows_in_the_other_without_a_click() {
    within(async {
        let server = Dovecot::start(None);
        let request_mail = mail(
            "Jürgen Beispiel <juergen@example.net>",
            "Auskunftsersuchen nach Art. 15 DSGVO",
            "req-1@example.net",
            "Sehr geehrte Damen und Herren,\r\nbitte um Auskunft über meine Daten.",
        );
        server.append("INBOX", "none", &[("31-Jan-2025 23:30:00 +0100", request_mail)]);

        let pg = Pg::start();
        cli_as(&pg.admin_url(), pg.admin_password(), &["team", "init"]);
        let ada = add(&pg, "ada", "admin");
        let ana = add(&pg, "ana", "officer");
        let ben = add(&pg, "ben", "officer");
        let aud = add(&pg, "aud", "auditor");
        // The admin sets the team's mailbox up; the password is not part of it.
        let port = server.port.to_string();
        #[rustfmt::skip]
        let _set = cli_as(
            &pg.url("ada"),
            &ada,
            &[
                "mailbox", "set", "--host", "127.0.0.1", "--port", &port, "--security", "none", "--username", USER, "--regime", "eu-gdpr",
                "--jurisdiction", "DE",
            ],
        );

        // The auditor's window first: it reads the Inbox but does not fetch (nor decide).
        let c = window(&pg, "aud", &aud).await;
        c.click("[data-testid=nav-inbox]").await;
        c.wait_for("[data-testid=inbox-read-only]").await;
        c.wait_for("[data-testid=inbox-empty]").await;
        assert!(!c.exists("[data-testid=fetch-now]").await, "no Fetch now for an auditor");
        assert_eq!(pg.admin_sql("rightsdesk", "SELECT count(*) FROM intake_items"), "0", "the auditor's window fetched nothing");

        let a = window(&pg, "ana", &ana).await;
        let b = window(&pg, "ben", &ben).await;
        assert!(a.exists("[data-testid=nav-inbox]").await, "the Inbox is offered on a team register");

        // Both windows read the mailbox in the background; ana's Inbox shows the mail, filed once.
        a.click("[data-testid=nav-inbox]").await;
        a.wait_until("the mail is in ana's Inbox", || async { a.count(INTAKE_ROWS).await == 1 }).await;
        let filed = pg.admin_sql("rightsdesk", "SELECT count(*) FROM intake_items");
        assert_eq!(filed, "1", "one message, filed once however many windows fetch");
        let violations = a.serious_violations().await;
        assert!(violations.is_empty(), "accessibility of the Inbox on a team register: {violations:?}");
        // The auditor's open Inbox shows it without a click (the officers' fetch told it), with nothing to decide.
        // Within 3 s of ana's Inbox (the list's own poll is every 15 s).
        let shown_to_ana = Instant::now();
        while c.count(INTAKE_ROWS).await != 1 {
            assert!(shown_to_ana.elapsed() < Duration::from_secs(3), "the auditor's open Inbox did not show the filed mail by itself");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        eprintln!("[e2e] the auditor's Inbox showed the mail {:?} after ana's", shown_to_ana.elapsed());
        c.click(&format!("{INTAKE_ROWS}[data-from='juergen@example.net'] [data-testid=open-item]")).await;
        c.wait_for("[data-testid=item-preview]").await;
        assert!(
            c.exists("[data-testid=inbox-read-only]").await && !c.exists("[data-testid=accept-form]").await,
            "no accept, dismiss or link for an auditor"
        );
        c.close().await;

        // Ana accepts it as a request.
        a.click(&format!("{INTAKE_ROWS}[data-from='juergen@example.net'] [data-testid=open-item]")).await;
        a.wait_for("[data-testid=accept-form]").await;
        a.click("[data-testid=accept-item]").await;
        a.wait_for("[data-testid=request-detail]").await;
        let heading = a.text_of("#detail-heading").await;
        let reference = heading.split(' ').next().unwrap_or_default().to_string();
        assert!(reference.starts_with("DSR-"), "the new request's page: {heading}");
        let accepted = Instant::now();

        // Ben's list shows it, nobody touching his window.
        let row = format!("{ROWS}[data-reference=\"{reference}\"]");
        b.wait_for_within(&row, Duration::from_secs(3)).await;
        eprintln!("[e2e] ben's list showed {reference} {:?} after ana accepted the mail", accepted.elapsed());
        let subject = b.text_of(&format!("{row} td[data-col=subject]")).await;
        assert!(subject.contains("Jürgen Beispiel"), "ben's row: {subject}");

        // The request's timeline shows the mail (kept as evidence), registered by ana.
        a.wait_until("ana's timeline shows the mail", || async { a.text_of("[data-testid=timeline]").await.contains("request-mail.eml") })
            .await;
        b.click(&format!("{row} td[data-col=subject]")).await;
        b.wait_for("[data-testid=request-detail]").await;
        b.wait_until("ben's timeline shows the mail", || async { b.text_of("[data-testid=timeline]").await.contains("request-mail.eml") })
            .await;
        let timeline = b.text_of("[data-testid=timeline]").await;
        assert!(timeline.contains("by ana"), "ben sees ana's registration: {timeline}");
        let actors = pg.admin_sql("rightsdesk", "SELECT string_agg(DISTINCT actor, ',' ORDER BY actor) FROM events");
        assert_eq!(actors, "ana", "the server recorded the login that accepted the mail");

        // Ben's Inbox has nothing left to decide; the mailbox settings are the admin's, read-only for him.
        b.click("[data-testid=nav-inbox]").await;
        b.wait_for("[data-testid=inbox-empty]").await;
        b.click("[data-testid=nav-mail-settings]").await;
        let note = b.wait_for("[data-testid=team-mailbox-note]").await.text().await.unwrap_or_default();
        assert!(note.contains("ben is in the role") && note.contains("keyring"), "the reason it is read-only: {note}");
        assert!(!b.exists("[data-testid=save-mailbox]").await, "no save for an officer");
        assert!(
            b.exists("[data-testid=owner-settings-read-only]").await && !b.exists("[data-testid=save-owner-settings]").await,
            "the owners' mail settings are the admin's too"
        );
        // He keeps the IMAP password for his workstation only (no OS keyring here: for this session);
        // the team's settings are sent back unchanged, which the officer may do.
        b.type_into("[name=mailbox-keep-password]", PASSWORD).await;
        b.click("[data-testid=keep-mailbox-password]").await;
        let kept = b.wait_for("[data-testid=mailbox-saved]").await.text().await.unwrap_or_default();
        assert!(kept.contains("IMAP password") || kept.contains("Mailbox saved"), "the password is kept on this workstation: {kept}");
        let settings: Value = serde_json::from_str(&cli_as(&pg.url("ben"), &ben, &["mailbox", "show", "--json"])).unwrap();
        assert_eq!(settings["port"], server.port, "the team's settings are unchanged");
        a.close().await;
        b.close().await;
    })
    .await;
}
