//! What the team-register end-to-end tests (`tests/team_*.rs`) share: the `rightsdesk` CLI
//! run as a team member (the password from `RIGHTSDESK_DB_PASSWORD` and no other source of
//! one: no PGPASSWORD, no ~/.pgpass, no session bus for a keyring, an empty home), a window's
//! settings for a login on a team register, opening a request's page from the list, and the
//! list's selectors. Each test starts its own PostgreSQL (`tests/pg/harness.rs`).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

use crate::{cli_bin, App, Options};

/// The request list's rows.
pub const ROWS: &str = "table[data-testid=request-list] tbody tr[data-testid=request-row]";
/// The request list shown (with rows or empty): the window is up on the register.
pub const LIST_SHOWN: &str = "table[data-testid=request-list], [data-testid=list-empty]";

/// `rightsdesk [--db URL] ARGS` with `password` from RIGHTSDESK_DB_PASSWORD and no other source
/// of one, in `home`.
pub fn command(url: Option<&str>, password: &str, args: &[&str], home: &Path) -> Command {
    let mut c = Command::new(cli_bin());
    if let Some(url) = url {
        c.arg("--db").arg(url);
    }
    c.args(args)
        .env("RIGHTSDESK_DB_PASSWORD", password)
        .env_remove("PGPASSWORD")
        .env_remove("RIGHTSDESK_DB")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env("HOME", home)
        .env("PGPASSFILE", home.join("none"));
    c
}

/// Runs [`command`] in a new empty home, after `adjust` (given the command and the home) adds
/// what the test needs (a clock, a time zone...); the run must succeed.
pub fn run(url: Option<&str>, password: &str, args: &[&str], adjust: impl FnOnce(&mut Command, &Path)) -> Output {
    let home = tempfile::tempdir().unwrap();
    let mut c = command(url, password, args, home.path());
    adjust(&mut c, home.path());
    let out = c.output().expect("run rightsdesk");
    assert!(out.status.success(), "rightsdesk {args:?}: {}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    out
}

/// `rightsdesk --db URL ARGS` as [`run`]; its standard output as JSON.
pub fn rightsdesk(url: &str, password: &str, args: &[&str]) -> Value {
    json(run(Some(url), password, args, |_, _| {}))
}

/// The standard output of a run, read as JSON.
pub fn json(out: Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

/// `team init`, then `team add NAME --role ROLE` for each (name, role), as the database
/// administrator at `admin_url`: each name with its one-time password.
pub fn team(admin_url: &str, admin_password: &str, people: &[(&str, &str)]) -> BTreeMap<String, String> {
    rightsdesk(admin_url, admin_password, &["team", "init", "--json"]);
    people
        .iter()
        .map(|(name, role)| {
            let added = rightsdesk(admin_url, admin_password, &["team", "add", name, "--role", role, "--json"]);
            (name.to_string(), added["password"].as_str().unwrap().to_string())
        })
        .collect()
}

/// `request add` of a request of `kind` under the EU GDPR in Germany, received on `received`,
/// from `name` at `email`, as the login at `url`: its reference.
pub fn add_request(url: &str, password: &str, kind: &str, name: &str, email: &str, received: &str) -> String {
    #[rustfmt::skip]
    let added = rightsdesk(url, password, &["request", "add", "--type", kind, "--regime", "eu-gdpr", "--jurisdiction", "DE",
        "--received", received, "--name", name, "--email", email, "--json"]);
    added["reference"].as_str().unwrap().to_string()
}

/// Puts the system "CRM" on the data map as the admin at `url` (so an erasure request gets a
/// task), dated `day`: the blocking PostgreSQL client on a thread of its own, outside the
/// test's runtime.
pub fn crm_on_data_map(url: &str, password: &str, day: &str) {
    use rightsdesk_core::clock::FixedClock;
    use rightsdesk_core::datamap::{self, SystemInput, SystemText};
    use rightsdesk_core::store::pg::PgUrl;
    use rightsdesk_core::store::{PgDb, Store};
    let (url, password, day) = (url.to_string(), password.to_string(), day.to_string());
    std::thread::spawn(move || {
        let parsed = PgUrl::parse(&url).unwrap();
        let admin = PgDb::new(rightsdesk_core::store::pg::connect(&parsed, Some(&password)).unwrap());
        let system = SystemInput {
            name: "CRM".into(),
            vendor: "Example Vendor".into(),
            role: "own".into(),
            text: SystemText { purposes: "Customer support".into(), ..Default::default() },
        };
        datamap::save(Store::from(&admin), &FixedClock::at(&day), None, &system, &parsed.user).unwrap();
    })
    .join()
    .unwrap();
}

/// A window's settings for the team register at `url` (a login's address) with `password`.
pub fn options(url: &str, password: &str) -> Options {
    Options::new().env("RIGHTSDESK_DB", url).env("RIGHTSDESK_DB_PASSWORD", password)
}

/// A window on the team register at `url` (a login's address) with `password`, on the page of
/// the request `reference`.
pub async fn window_on(url: &str, password: &str, reference: &str) -> App {
    let app = App::start(options(url, password)).await;
    app.wait_for(LIST_SHOWN).await;
    open_request(&app, reference).await;
    app
}

/// Bytes that do not compress and repeat nowhere (a stored copy cannot pass for them by chance).
pub fn export_bytes(n: usize) -> Vec<u8> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// Opens the page of the request `reference` from the request list.
pub async fn open_request(app: &App, reference: &str) {
    app.click("[data-testid=nav-requests]").await;
    let row = format!("{ROWS}[data-reference=\"{reference}\"]");
    app.wait_for(&row).await;
    app.click(&format!("{row} td[data-col=subject]")).await;
    app.wait_for("[data-testid=request-detail]").await;
}
