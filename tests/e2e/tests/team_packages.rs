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
use rightsdesk_e2e::team;
use rightsdesk_e2e::within;
use serde_json::Value;

/// `rightsdesk [--db URL] ARGS` with `password`; its standard output as JSON.
fn rightsdesk(url: Option<&str>, password: &str, args: &[&str]) -> Value {
    team::json(team::run(url, password, args, |_, _| {}))
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
        let people = team::team(&pg.admin_url(), pg.admin_password(), &[("ana", "officer"), ("ben", "officer")]);
        let (ana, ben) = (people["ana"].clone(), people["ben"].clone());
        #[rustfmt::skip]
        let added = rightsdesk(Some(&pg.url("ana")), &ana, &["request", "add", "--type", "access", "--regime", "eu-gdpr",
            "--jurisdiction", "DE", "--received", "2026-01-30", "--name", "Ada Example", "--email", "ada@example.org", "--json"]);
        let reference = added["reference"].as_str().unwrap().to_string();
        let files = tempfile::tempdir().unwrap();
        let export = files.path().join("crm-export.bin");
        let bytes = team::export_bytes(1024 * 1024 + 321);
        std::fs::write(&export, &bytes).unwrap();
        rightsdesk(Some(&pg.url("ana")), &ana, &["evidence", "add", &reference, export.to_str().unwrap(), "--json"]);

        let a = team::window_on(&pg.url("ana"), &ana, &reference).await;
        let b = team::window_on(&pg.url("ben"), &ben, &reference).await;
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
