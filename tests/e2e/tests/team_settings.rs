//! Settings, Reminders and the Data map in the window on a team register (issue 18, items 1
//! and 3), against a real PostgreSQL 15 (`tests/pg/harness.rs`, TLS with `verify-full`): Ada,
//! the team's admin, adds a system to the data map and changes the organisation's promise in
//! her window; Olga's (an officer's) window, open on the same screens, shows both without a
//! click (the register's change notice), read-only, saying why, with no Add, Edit, Remove,
//! import or Save; both changes are on record under ada. Olga's Reminders screen lists the
//! team's request due in two days and writes the deadlines calendar (.ics) through the save
//! dialog.
//!
//! Build first: `npm --prefix ui run build && cargo build -p rightsdesk-app -p rightsdesk-cli`.

#[path = "../../pg/harness.rs"]
mod pg;

use std::time::Duration;

use pg::Pg;
use rightsdesk_e2e::team::{self, LIST_SHOWN};
use rightsdesk_e2e::{within, App};

/// What "without a click" allows: the other window shows the change within this.
const WITHIN: Duration = Duration::from_secs(5);
const PAYROLL: &str = "[data-testid=system-row][data-system=Payroll]";
const PROMISE: &str = "form[data-testid=deadline-form] input[name=promise_days]";
/// The windows' clock: the request received on 5 November is due under the GDPR on 5 December.
const NOW: &str = "2026-12-03T10:00:00Z";

/// A window on the team register as `login`, the request list shown.
async fn window(pg: &Pg, login: &str, password: &str) -> App {
    let app = App::start(team::options(&pg.url(login), password).now(NOW)).await;
    app.wait_for(LIST_SHOWN).await;
    app
}

/// Whether the promise field is disabled (itself or by its fieldset), and its value.
async fn promise(app: &App) -> (bool, String) {
    let v = app
        .js(&format!("const el = document.querySelector('{PROMISE}'); return el ? [el.matches(':disabled'), el.value] : null;"), vec![])
        .await;
    assert!(v.is_array(), "no promise field on the Settings screen");
    (v[0].as_bool().unwrap(), v[1].as_str().unwrap().to_string())
}

/// The actors of the register's events of `kind`, read as the login at `url`.
fn actors_of(url: &str, password: &str, kind: &str) -> Vec<String> {
    use rightsdesk_core::store::pg::PgUrl;
    use rightsdesk_core::store::{PgDb, Store};
    let (url, password, kind) = (url.to_string(), password.to_string(), kind.to_string());
    std::thread::spawn(move || {
        let db = PgDb::new(rightsdesk_core::store::pg::connect(&PgUrl::parse(&url).unwrap(), Some(&password)).unwrap());
        Store::from(&db).read(|c| c.query_map("SELECT actor FROM events WHERE kind = ?1 ORDER BY seq", &[&kind], |r| r.get(0))).unwrap()
    })
    .join()
    .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_admins_data_map_and_settings_show_in_an_officers_window_read_only_without_a_click() {
    within(async {
        let pg = Pg::start();
        let people = team::team(&pg.admin_url(), pg.admin_password(), &[("ada", "admin"), ("olga", "officer")]);
        let due = team::add_request(&pg.url("olga"), &people["olga"], "access", "Zoë Müller", "zoe@example.org", "2026-11-05");

        // Olga's window on the data map: empty, read-only, saying why; nothing to add, load or import.
        let o = window(&pg, "olga", &people["olga"]).await;
        o.click("[data-testid=nav-datamap]").await;
        o.wait_for("[data-testid=datamap]").await;
        let note = o.text_of("[data-testid=team-datamap-note]").await;
        assert!(note.contains("only its admin may change it; olga is in the role “officer”"), "{note}");
        for absent in ["add-system", "load-starter", "import-datamap"] {
            assert_eq!(o.count(&format!("[data-testid={absent}]")).await, 0, "{absent} offered to an officer");
        }

        // Ada adds a system in her window.
        let a = window(&pg, "ada", &people["ada"]).await;
        a.click("[data-testid=nav-datamap]").await;
        a.click("[data-testid=add-system]").await;
        a.type_into("[data-testid=system-form] input[name=name]", "Payroll").await;
        a.type_into("[data-testid=system-form] input[name=purposes]", "Salaries").await;
        a.click("[data-testid=save-system]").await;
        a.wait_for(PAYROLL).await;

        // Olga's window shows it without a click, with no Edit or Remove.
        o.wait_for_within(PAYROLL, WITHIN).await;
        assert!(o.text_of(PAYROLL).await.contains("Salaries"));
        assert_eq!(o.count("[data-testid=edit-system], [data-testid=remove-system]").await, 0, "Edit/Remove offered to an officer");
        let violations = o.serious_violations().await;
        assert!(violations.is_empty(), "accessibility of the read-only data map: {violations:?}");

        // Settings: Olga's form is read-only with no Save; Ada sets a promise of 14 days.
        o.click("[data-testid=nav-settings]").await;
        o.wait_for(PROMISE).await;
        assert_eq!(promise(&o).await, (true, String::new()));
        let note = o.text_of("[data-testid=team-settings-note]").await;
        assert!(note.contains("only its admin may change them; olga is in the role “officer”"), "{note}");
        assert_eq!(o.count("form[data-testid=deadline-form] button[type=submit]").await, 0, "Save offered to an officer");
        a.click("[data-testid=nav-settings]").await;
        a.wait_for(PROMISE).await;
        assert_eq!(promise(&a).await, (false, String::new()));
        a.type_into(PROMISE, "14").await;
        a.click("[data-testid=save-settings]").await;
        a.wait_for("[data-testid=deadline-settings] [role=status]").await;
        o.wait_until("Olga's Settings show the promise of 14 days", || async { promise(&o).await == (true, "14".to_string()) }).await;

        // Both changes are on record under ada.
        assert_eq!(actors_of(&pg.url("olga"), &people["olga"], "system-added"), ["ada"]);
        assert_eq!(actors_of(&pg.url("olga"), &people["olga"], "settings-changed"), ["ada"]);

        // Olga's Reminders: the team's request due in two days, and the calendar through the save dialog.
        o.click("[data-testid=nav-reminders]").await;
        o.wait_for("[data-testid=reminders] li[data-threshold]").await;
        assert!(o.text_of("[data-testid=reminders] li[data-threshold]").await.contains(&due));
        let picked = o.sandbox().path().join("home").join("deadlines.ics");
        o.click("[data-testid=export-ics]").await;
        o.answer_file_dialog("Save the deadlines calendar", &picked, false).await;
        o.wait_for("[data-testid=ics-saved]").await;
        let ics = std::fs::read_to_string(&picked).unwrap();
        assert!(ics.starts_with("BEGIN:VCALENDAR") && ics.contains(&format!("SUMMARY:{due} due")), "{ics}");
        assert_eq!(o.count("[data-testid=reminders] [role=alert]").await, 0);
        o.close().await;
        a.close().await;
    })
    .await;
}
