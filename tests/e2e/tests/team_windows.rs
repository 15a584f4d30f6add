//! Two app windows on one team register (issue 18, acceptance "End to end"): a real
//! PostgreSQL 15 (`tests/pg/harness.rs`, TLS with `verify-full`), `rightsdesk team init`, two
//! officers, and two app processes, each with its own X server, session bus and WebDriver.
//! What one window registers or changes, the other shows within a second without a click
//! (LISTEN/NOTIFY, no polling), and each change is on record under the login that made it.
//! And the first run's "Connect to a team register": a wrong password refused with its own
//! message, the right one connects, and the password is in no file.
//!
//! Build first: `npm --prefix ui run build && cargo build -p rightsdesk-app -p rightsdesk-cli`.

#[path = "../../pg/harness.rs"]
mod pg;

use std::time::{Duration, Instant};

use pg::Pg;
use rightsdesk_e2e::team::{self, LIST_SHOWN, ROWS};
use rightsdesk_e2e::{within, App, Options};
use serde_json::Value;

const FORM: &str = "form[data-testid=new-request-form]";
/// What "refreshes by itself" means here: the other window shows the change within this.
const WITHIN: Duration = Duration::from_secs(1);

/// `rightsdesk --db <admin url> ARGS` as the database administrator; its standard output.
fn as_admin(pg: &Pg, args: &[&str]) -> String {
    String::from_utf8(team::run(Some(&pg.admin_url()), pg.admin_password(), args, |_, _| {}).stdout).unwrap()
}

/// A team register with `officers` added; their one-time passwords, in order.
fn team_register(pg: &Pg, officers: &[&str]) -> Vec<String> {
    as_admin(pg, &["team", "init"]);
    officers
        .iter()
        .map(|name| {
            let v: Value = serde_json::from_str(&as_admin(pg, &["team", "add", name, "--role", "officer", "--json"])).unwrap();
            v["password"].as_str().expect("a one-time password").to_string()
        })
        .collect()
}

/// A window on the team register as `login` (its password from RIGHTSDESK_DB_PASSWORD).
async fn window(pg: &Pg, login: &str, password: &str) -> App {
    let app = App::start(Options::new().env("RIGHTSDESK_DB", &pg.url(login)).env("RIGHTSDESK_DB_PASSWORD", password)).await;
    app.wait_for(LIST_SHOWN).await;
    let banner = app.text_of("[data-testid=team-banner]").await;
    assert!(banner.contains(&format!("localhost:{}/rightsdesk", pg.port)) && banner.contains(&format!("as {login}")), "banner: {banner}");
    app
}

fn words(s: &str) -> String {
    s.trim().to_lowercase().replace('-', " ")
}

/// Registers an access request for `name` through the window's form; its reference, once
/// the window shows the new request's page (the officer's confirmation).
async fn register_through_form(app: &App, name: &str) -> String {
    app.click("[data-testid=nav-requests]").await;
    app.click("[data-testid=new-request]").await;
    app.wait_for(FORM).await;
    app.set_value(&format!("{FORM} [name=type]"), "access").await;
    app.set_value(&format!("{FORM} [name=regime]"), "eu-gdpr").await;
    app.set_value(&format!("{FORM} [name=jurisdiction]"), "DE").await;
    app.type_into(&format!("{FORM} [name=subject_name]"), name).await;
    app.type_into(&format!("{FORM} [name=subject_email]"), "someone@example.org").await;
    app.click(&format!("{FORM} button[type=submit]")).await;
    app.wait_for("[data-testid=request-detail]").await;
    let heading = app.text_of("#detail-heading").await;
    let reference = heading.split(' ').next().unwrap_or_default().to_string();
    assert!(reference.starts_with("DSR-"), "the new request's page: {heading}");
    reference
}

#[tokio::test(flavor = "multi_thread")]
async fn two_windows_on_one_team_register_show_each_others_changes_within_a_second_without_a_click() {
    within(async {
        let pg = Pg::start();
        let passwords = team_register(&pg, &["ana", "ben"]);
        let a = window(&pg, "ana", &passwords[0]).await;
        let b = window(&pg, "ben", &passwords[1]).await;
        assert_eq!(b.count(ROWS).await, 0, "the team register starts empty");
        // What runs on a team register is offered: the dashboard, the Outbox and the privacy mailbox's Inbox.
        assert!(
            a.exists("[data-testid=nav-dashboard]").await
                && a.exists("[data-testid=nav-outbox]").await
                && a.exists("[data-testid=nav-inbox]").await
        );
        let violations = a.serious_violations().await;
        assert!(violations.is_empty(), "accessibility of the team register's list: {violations:?}");

        // Window A registers a request through the form.
        let reference = register_through_form(&a, "Ada Example").await;
        let confirmed = Instant::now();

        // Window B's list shows it, nobody touching B.
        let row = format!("{ROWS}[data-reference=\"{reference}\"]");
        b.wait_for_within(&row, WITHIN + Duration::from_millis(500)).await;
        let took = confirmed.elapsed();
        eprintln!("[e2e] B's list showed {reference} {took:?} after A's confirmation");
        assert!(took <= WITHIN, "B's list showed the new request {took:?} after A's confirmation (limit {WITHIN:?})");
        let subject = b.text_of(&format!("{row} td[data-col=subject]")).await;
        assert!(subject.contains("Ada Example"), "B's row: {subject}");

        // B opens it and changes its status; A's open page shows the new status without a click.
        b.click(&format!("{row} td[data-col=subject]")).await;
        b.wait_for("[data-testid=request-detail]").await;
        let before = words(&a.text_of("[data-testid=detail-status]").await);
        let button = b.wait_for("[data-testid=request-detail] .status-actions button[data-status]").await;
        let to = button.attr("data-status").await.unwrap().expect("data-status");
        button.click().await.unwrap();
        b.wait_until("B's page shows the new status", || async { words(&b.text_of("[data-testid=detail-status]").await) != before }).await;
        let changed = Instant::now();
        let shown_by_b = words(&b.text_of("[data-testid=detail-status]").await);
        assert!(shown_by_b.contains(&words(&to)), "B's page shows {to}: {shown_by_b}");
        let deadline = changed + WITHIN + Duration::from_millis(500);
        loop {
            let now_a = words(&a.text_of("[data-testid=detail-status]").await);
            if now_a == shown_by_b {
                break;
            }
            assert!(Instant::now() < deadline, "A's open page still shows {now_a:?}, B changed it to {shown_by_b:?}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let took = changed.elapsed();
        eprintln!("[e2e] A's page showed the status {took:?} after B's change");
        assert!(took <= WITHIN, "A's page showed the new status {took:?} after B's change (limit {WITHIN:?})");

        // The timeline on record: the registration by ana, the status change by ben (set by the
        // server from the login, not sent by the window).
        a.wait_until("A's timeline shows ben's change", || async { a.text_of("[data-testid=timeline]").await.contains("by ben") }).await;
        let timeline = a.text_of("[data-testid=timeline]").await;
        assert!(timeline.contains("by ana"), "A's timeline: {timeline}");
        let on_record = pg.admin_sql("rightsdesk", "SELECT string_agg(DISTINCT actor, ',' ORDER BY actor) FROM events");
        assert_eq!(on_record, "ana,ben", "the actors on record");

        // The audit trail of the team register verifies in the window, and its export is offered
        // (e2e team_tasks exports it).
        b.click("[data-testid=nav-audit]").await;
        let result = b.wait_for("[data-testid=audit-result]").await;
        assert_eq!(result.attr("data-intact").await.unwrap().as_deref(), Some("true"), "{}", result.text().await.unwrap_or_default());
        assert!(b.exists("[data-testid=export-audit-csv]").await, "the export is offered on a team register");
        a.close().await;
        b.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_first_run_connects_to_a_team_register_refusing_a_wrong_password_and_keeping_none_in_a_file() {
    within(async {
        let pg = Pg::start();
        let passwords = team_register(&pg, &["ana"]);
        // A new computer: the local register is empty, and the first run offers both.
        let app = App::start(Options::new()).await;
        app.wait_for("[data-testid=first-run]").await;
        app.wait_for("[data-testid=team-connect]").await;
        let address = pg.url("ana");
        let error = refused(&app, &address, "not-the-password").await;
        assert!(error.contains("refused the password for ana"), "a wrong password's own message: {error}");
        assert!(error.contains(&format!("postgresql://ana@localhost:{}/rightsdesk", pg.port)), "names the address: {error}");
        assert!(!error.contains("not-the-password"), "never the password: {error}");
        let violations = app.serious_violations().await;
        assert!(violations.is_empty(), "accessibility of the first run with the connect form: {violations:?}");

        // Each other way it fails has its own message too, naming the address, never the password.
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let error = refused(&app, &address.replace(&format!(":{}/", pg.port), &format!(":{closed}/")), &passwords[0]).await;
        assert!(error.contains(&format!("cannot reach the PostgreSQL server at localhost:{closed}")), "unreachable: {error}");
        let other_ca = app.sandbox().path().join("other-ca.pem");
        std::fs::write(&other_ca, pg::PgTls::generate().ca_pem).unwrap();
        let error =
            refused(&app, &address.replace(&pg.ca_file().display().to_string(), &other_ca.display().to_string()), &passwords[0]).await;
        assert!(error.contains("certificate") && error.contains("was refused"), "a certificate of another CA: {error}");
        pg.admin_sql("rightsdesk", "CREATE DATABASE elsewhere");
        let error = refused(&app, &address.replace("/rightsdesk?", "/elsewhere?"), &passwords[0]).await;
        assert!(error.contains("no Rightsdesk register") && error.contains("/elsewhere"), "a database without a register: {error}");
        let error = refused(&app, &format!("postgresql://ana:{}@localhost:{}/rightsdesk", passwords[0], pg.port), "typed-too").await;
        assert!(error.contains("must not hold a password") && !error.contains(&passwords[0]), "a password in the address: {error}");
        assert!(!app.exists("[data-testid=team-banner]").await, "still on the local register");
        assert!(!app.sandbox().path().join("config/rightsdesk/team.json").exists(), "nothing remembered after a failure");

        app.type_into("[name=team-address]", &address).await;
        app.type_into("[name=team-password]", &passwords[0]).await;
        app.click("[data-testid=team-connect-submit]").await;
        // No OS keyring runs here: the password is kept for this session only, and the window says so.
        app.wait_for("[data-testid=team-not-kept]").await;
        app.click("[data-testid=team-not-kept] button").await;
        let banner = app.text_of("[data-testid=team-banner]").await;
        assert!(banner.contains("as ana"), "on the team register: {banner}");
        app.wait_for(LIST_SHOWN).await;

        // The address is remembered for the next start; the password is in no file of the app's.
        let config = app.sandbox().path().join("config/rightsdesk/team.json");
        let remembered = std::fs::read_to_string(&config).expect("the remembered address");
        assert!(remembered.contains(&format!("ana@localhost:{}/rightsdesk", pg.port)), "{remembered}");
        for dir in ["config", "data", "cache", "home"] {
            for file in walk(&app.sandbox().path().join(dir)) {
                let bytes = std::fs::read(&file).unwrap_or_default();
                assert!(
                    !bytes.windows(passwords[0].len()).any(|w| w == passwords[0].as_bytes()),
                    "the password is written in {}",
                    file.display()
                );
            }
        }
        app.close().await;

        // The next start (a computer with that config folder, no keyring, no password in the
        // environment): the remembered register is opened, says why it cannot be, and offers
        // to connect again with its address filled in, or to keep a register on this computer.
        let next = rightsdesk_e2e::Sandbox::new();
        std::fs::create_dir_all(next.path().join("config/rightsdesk")).unwrap();
        std::fs::write(next.path().join("config/rightsdesk/team.json"), &remembered).unwrap();
        let app = App::start(Options::new().sandbox(next).env("RIGHTSDESK_DB", "")).await;
        let why = app.text_of("[data-testid=open-error] [role=alert]").await;
        assert!(why.contains("asks for ana's password"), "why the remembered register did not open: {why}");
        let filled = app.wait_for("[name=team-address]").await.prop("value").await.unwrap().unwrap_or_default();
        assert_eq!(filled, address, "the remembered address, filled in");
        app.type_into("[name=team-password]", &passwords[0]).await;
        app.click("[data-testid=team-connect-submit]").await;
        app.click("[data-testid=team-not-kept] button").await;
        let banner = app.text_of("[data-testid=team-banner]").await;
        assert!(banner.contains("as ana"), "on the team register again: {banner}");

        // Back to a register on this computer: the address is forgotten, the local register opens.
        app.click("[data-testid=team-banner] [data-testid=use-local]").await;
        app.wait_for("[data-testid=first-run]").await;
        assert!(!app.exists("[data-testid=team-banner]").await, "on the local register");
        assert!(!app.sandbox().path().join("config/rightsdesk/team.json").exists(), "the address forgotten");
        app.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn with_an_os_keyring_the_password_is_kept_there_and_the_next_start_opens_the_team_register() {
    within(async {
        let pg = Pg::start();
        let passwords = team_register(&pg, &["ana"]);
        let app = App::start(Options::new().keyring()).await;
        app.wait_for("[data-testid=first-run]").await;
        app.type_into("[name=team-address]", &pg.url("ana")).await;
        app.type_into("[name=team-password]", &passwords[0]).await;
        app.click("[data-testid=team-connect-submit]").await;
        let banner = app.text_of("[data-testid=team-banner]").await;
        assert!(banner.contains("as ana"), "on the team register: {banner}");
        assert!(!app.exists("[data-testid=team-not-kept]").await, "the keyring kept the password");
        let sandbox = app.close_keeping_sandbox().await;
        for file in walk(sandbox.path()) {
            let bytes = std::fs::read(&file).unwrap_or_default();
            assert!(
                !bytes.windows(passwords[0].len()).any(|w| w == passwords[0].as_bytes()),
                "the password is written in {}",
                file.display()
            );
        }

        // The next start: the remembered address, its password from the keyring, no question.
        let app = App::start(Options::new().sandbox(sandbox).keyring().env("RIGHTSDESK_DB", "")).await;
        let banner = app.text_of("[data-testid=team-banner]").await;
        assert!(banner.contains(&format!("ana@localhost:{}/rightsdesk", pg.port)) && banner.contains("as ana"), "{banner}");
        app.wait_for(LIST_SHOWN).await;
        app.close().await;
    })
    .await;
}

const REFUSAL: &str = "[data-error-for=team-connect], [data-error-for=address]";

/// Types `address` and `password` into "Connect to a team register" and submits; the refusal shown.
async fn refused(app: &App, address: &str, password: &str) -> String {
    let before = if app.exists(REFUSAL).await { app.text_of(REFUSAL).await } else { String::new() };
    app.type_into("[name=team-address]", address).await;
    app.type_into("[name=team-password]", password).await;
    app.click("[data-testid=team-connect-submit]").await;
    app.wait_until("a new refusal", || async { app.exists(REFUSAL).await && app.text_of(REFUSAL).await != before }).await;
    app.text_of(REFUSAL).await
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[tokio::test(flavor = "multi_thread")]
async fn a_window_whose_connection_drops_says_so_and_catches_up_when_the_server_is_back() {
    within(async {
        let pg = Pg::start();
        let passwords = team_register(&pg, &["ana", "ben"]);
        let a = window(&pg, "ana", &passwords[0]).await;

        // The server restarts: both of A's sessions end, and the status line says so.
        pg.stop();
        let problem = a.text_of("[data-testid=status-team-updates]").await;
        assert!(problem.contains("connection to the team register dropped"), "A's status line: {problem}");
        pg.run();

        // Back, A listens again on a fresh session: what B registers shows in A's list, no click.
        let b = window(&pg, "ben", &passwords[1]).await;
        let reference = register_through_form(&b, "Ben's Subject").await;
        a.wait_for_within(&format!("{ROWS}[data-reference=\"{reference}\"]"), Duration::from_secs(40)).await;
        a.wait_gone("[data-testid=status-team-updates]").await;

        // And A's own session works again: A registers, and it is on record as ana's.
        b.click("[data-testid=back-to-list]").await;
        b.wait_for(ROWS).await;
        let own = register_through_form(&a, "Ana's Subject").await;
        b.wait_for_within(&format!("{ROWS}[data-reference=\"{own}\"]"), Duration::from_secs(2)).await;
        let actors = pg.admin_sql("rightsdesk", "SELECT string_agg(DISTINCT actor, ',' ORDER BY actor) FROM events");
        assert_eq!(actors, "ana,ben");
        a.close().await;
        b.close().await;
    })
    .await;
}
