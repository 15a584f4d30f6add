//! Answer packages in the app on a team register (issue 18 item 5), in the real window against a
//! real PostgreSQL 15 (`tests/pg/harness.rs`, TLS with `verify-full`): Ana builds the package of
//! a request holding a stored file on its page, saved where she picks in the OS dialog; the ZIP
//! on disk verifies (in the window and with `rightsdesk package verify`) and holds the file byte
//! for byte; the package is kept, sealed, in the team's database under her login; Ben's open page
//! shows it on the timeline without a click, and his response letter offers it as its attachment.
//!
//! Build first: `npm --prefix ui run build && cargo build -p rightsdesk-app -p rightsdesk-cli`.

#[path = "../../pg/harness.rs"]
mod pg;

use std::process::Command;
use std::time::{Duration, Instant};

use pg::Pg;
use rightsdesk_e2e::{cli_bin, within, App, Options};
use serde_json::Value;

const ROWS: &str = "table[data-testid=request-list] tbody tr[data-testid=request-row]";
const LIST_SHOWN: &str = "table[data-testid=request-list], [data-testid=list-empty]";

/// `rightsdesk [--db URL] ARGS` with `password`; its standard output as JSON.
fn rightsdesk(url: Option<&str>, password: &str, args: &[&str]) -> Value {
    let home = tempfile::tempdir().unwrap();
    let mut c = Command::new(cli_bin());
    if let Some(url) = url {
        c.arg("--db").arg(url);
    }
    let out = c
        .args(args)
        .env("RIGHTSDESK_DB_PASSWORD", password)
        .env_remove("PGPASSWORD")
        .env_remove("RIGHTSDESK_DB")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env("HOME", home.path())
        .env("PGPASSFILE", home.path().join("none"))
        .output()
        .expect("run rightsdesk");
    assert!(out.status.success(), "rightsdesk {args:?}: {}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A window on the team register as `login`, on the page of the request `reference`.
async fn window_on(pg: &Pg, login: &str, password: &str, reference: &str) -> App {
    let app = App::start(Options::new().env("RIGHTSDESK_DB", &pg.url(login)).env("RIGHTSDESK_DB_PASSWORD", password)).await;
    app.wait_for(LIST_SHOWN).await;
    app.click("[data-testid=nav-requests]").await;
    let row = format!("{ROWS}[data-reference=\"{reference}\"]");
    app.wait_for(&row).await;
    app.click(&format!("{row} td[data-col=subject]")).await;
    app.wait_for("[data-testid=request-detail]").await;
    app
}

/// Bytes that do not compress and repeat nowhere.
fn export_bytes(n: usize) -> Vec<u8> {
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

/// A ZIP entry's bytes, read by Python's zipfile (a real parser, not ours).
fn zip_entry(zip: &std::path::Path, name: &str) -> Vec<u8> {
    let out = Command::new("python3")
        .args(["-c", "import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))"])
        .arg(zip)
        .arg(name)
        .output()
        .expect("run python3");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

#[tokio::test(flavor = "multi_thread")]
async fn on_a_team_register_a_package_built_in_one_window_verifies_is_kept_in_the_database_and_shows_in_the_other() {
    within(async {
        let pg = Pg::start();
        rightsdesk(Some(&pg.admin_url()), pg.admin_password(), &["team", "init", "--json"]);
        let password = |name: &str| {
            let v = rightsdesk(Some(&pg.admin_url()), pg.admin_password(), &["team", "add", name, "--role", "officer", "--json"]);
            v["password"].as_str().unwrap().to_string()
        };
        let (ana, ben) = (password("ana"), password("ben"));
        #[rustfmt::skip]
        let added = rightsdesk(Some(&pg.url("ana")), &ana, &["request", "add", "--type", "access", "--regime", "eu-gdpr",
            "--jurisdiction", "DE", "--received", "2026-01-30", "--name", "Ada Example", "--email", "ada@example.org", "--json"]);
        let reference = added["reference"].as_str().unwrap().to_string();
        let files = tempfile::tempdir().unwrap();
        let export = files.path().join("crm-export.bin");
        let bytes = export_bytes(1024 * 1024 + 321);
        std::fs::write(&export, &bytes).unwrap();
        rightsdesk(Some(&pg.url("ana")), &ana, &["evidence", "add", &reference, export.to_str().unwrap(), "--json"]);

        let a = window_on(&pg, "ana", &ana, &reference).await;
        let b = window_on(&pg, "ben", &ben, &reference).await;
        for app in [&a, &b] {
            app.wait_for("[data-testid=package-panel]").await;
            app.wait_for("[data-testid=package-team-kept]").await;
        }

        // Ana builds it, saved where she picks in the OS dialog; the window reads it back.
        let answers = a.sandbox().path().join("home").join("answers");
        std::fs::create_dir_all(&answers).unwrap();
        let chosen = answers.join(format!("{reference}-package.zip"));
        a.click("[data-testid=build-package]").await;
        a.answer_file_dialog("Save the answer package", &chosen, false).await;
        a.wait_for("[data-testid=package-result]").await;
        let built = Instant::now();
        assert!(a.exists("[data-testid=package-kept-in-team]").await, "the window says the team register keeps it");
        assert_eq!(std::path::Path::new(&a.text_of("[data-testid=package-path]").await), chosen);
        a.wait_for("[data-testid=package-verified]").await;
        let verified = a.text_of("[data-testid=package-verified]").await;
        assert!(verified.starts_with("Verified:"), "{verified}");

        // The ZIP on disk verifies with the CLI too, and holds the stored file byte for byte.
        let checked = rightsdesk(None, "", &["package", "verify", chosen.to_str().unwrap(), "--json"]);
        assert_eq!(checked["ok"], true, "{checked}");
        assert!(zip_entry(&chosen, "evidence/general/crm-export.bin") == bytes, "the stored file in the package, byte for byte");

        // Kept in the team's database under Ana's login, sealed.
        assert_eq!(pg.admin_sql("rightsdesk", "SELECT actor FROM packages"), "ana");
        let manifest = pg.admin_sql("rightsdesk", "SELECT manifest_sha256 FROM packages");
        let rows: u32 =
            pg.admin_sql("rightsdesk", &format!("SELECT count(*) FROM stored_chunks WHERE blob = '{manifest}'")).parse().unwrap();
        assert!(rows >= 2, "the ZIP's rows in stored_chunks: {rows}");

        // Ben's open page shows it on the timeline, nobody touching his window.
        b.wait_until("Ben's timeline shows the kept package", || async {
            b.text_of("[data-testid=timeline]").await.contains("kept in the team register")
        })
        .await;
        eprintln!("[e2e] Ben's timeline showed the package {:?} after Ana's build", built.elapsed());
        assert!(built.elapsed() < Duration::from_secs(5), "shown by the team's change notices, not a later poll");
        let timeline = b.text_of("[data-testid=timeline]").await;
        assert!(timeline.contains("Answer package built"), "{timeline}");

        // Ben's response letter offers Ana's package as its attachment, read from the team's database.
        b.set_value("[name=letter-template]", "response-access").await;
        b.wait_for("[data-testid=attach-package]").await;
        let label = b.js("return document.querySelector('[data-testid=attach-package]').parentElement.textContent;", vec![]).await;
        let label = label.as_str().unwrap_or_default().to_string();
        assert!(label.contains(&format!("{reference}-package.zip")), "{label}");
        a.close().await;
        b.close().await;
    })
    .await;
}
