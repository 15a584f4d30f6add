//! Evidence in the app on a team register (issue 18 item 5), in the real window against a real
//! PostgreSQL 15 (`tests/pg/harness.rs`, TLS with `verify-full`): Ana attaches a file picked in
//! the OS dialog on a request's page; it lists; its bytes are rows of the team's database
//! (`stored_chunks`), and no evidence folder is written on either workstation; Ben's open page
//! shows it without a click, and he saves a copy byte for byte; Ana removes it with a reason,
//! which the timeline shows under her login, and Ben's page drops it by itself. Then the
//! identity panel: Ana asks for proof and records the identity verified (both clock events on
//! record as ana), and Ben's page lists the check by itself.
//!
//! Build first: `npm --prefix ui run build && cargo build -p rightsdesk-app -p rightsdesk-cli`.

#[path = "../../pg/harness.rs"]
mod pg;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use pg::Pg;
use rightsdesk_e2e::team;
use rightsdesk_e2e::within;

const ITEM: &str = "[data-testid=evidence-panel] [data-testid=evidence-item]";

/// Every path under `dir`.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                found.extend(walk(&path));
            }
            found.push(path);
        }
    }
    found
}

#[tokio::test(flavor = "multi_thread")]
async fn on_a_team_register_a_file_attached_in_one_window_is_in_the_database_seen_and_saved_by_another_and_removed_on_record() {
    within(async {
        let pg = Pg::start();
        let people = team::team(&pg.admin_url(), pg.admin_password(), &[("ana", "officer"), ("ben", "officer")]);
        let (ana, ben) = (people["ana"].clone(), people["ben"].clone());
        let reference = team::add_request(&pg.url("ana"), &ana, "access", "Ada Example", "ada@example.org", "2026-01-30");
        let a = team::window_on(&pg.url("ana"), &ana, &reference).await;
        let b = team::window_on(&pg.url("ben"), &ben, &reference).await;
        for app in [&a, &b] {
            app.wait_for("[data-testid=evidence-panel]").await;
            assert_eq!(app.count(ITEM).await, 0, "no files yet");
        }

        // Ana attaches a 3 MiB export, picked in the OS dialog.
        let export = a.sandbox().path().join("home").join("crm-export.json");
        let bytes = team::export_bytes(3 * 1024 * 1024 + 17);
        std::fs::write(&export, &bytes).unwrap();
        a.click("[data-testid=evidence-choose]").await;
        a.answer_file_dialog("Choose the file to attach", &export, false).await;
        a.wait_until("the picked file is named", || async { a.text_of("[data-testid=evidence-chosen]").await == "crm-export.json" }).await;
        a.click("[data-testid=attach-evidence]").await;
        a.wait_for(ITEM).await;
        let attached = Instant::now();
        assert_eq!(a.text_of(&format!("{ITEM} [data-testid=evidence-name]")).await, "crm-export.json");
        let listed = a.text_of(ITEM).await;
        assert!(listed.contains("3.0 MB"), "{listed}");
        assert!(listed.ends_with("· ana Save a copy… Remove"), "added by ana's login, not the workstation's account: {listed}");

        // Ben's open page lists it, nobody touching his window.
        b.wait_for_within(ITEM, Duration::from_secs(2)).await;
        eprintln!("[e2e] Ben's page listed the file {:?} after Ana's attach", attached.elapsed());
        assert_eq!(b.text_of(&format!("{ITEM} [data-testid=evidence-name]")).await, "crm-export.json");

        // The bytes are in the team's database (rows of 1 MiB), sealed: no evidence folder on either workstation.
        let rows: u32 = pg.admin_sql("rightsdesk", "SELECT count(*) FROM stored_chunks").parse().unwrap();
        assert!(rows >= 4, "the file's rows in stored_chunks: {rows}");
        let probe: String = bytes[100_000..100_032].iter().map(|b| format!("{b:02x}")).collect();
        let clear = pg
            .admin_sql("rightsdesk", &format!("SELECT count(*) FROM stored_chunks WHERE position(decode('{probe}', 'hex') in bytes) > 0"));
        assert_eq!(clear, "0", "the rows hold the file sealed, not in the clear");
        for app in [&a, &b] {
            let written: Vec<_> =
                walk(app.sandbox().path()).into_iter().filter(|p| p.file_name().is_some_and(|n| n == "evidence")).collect();
            assert!(written.is_empty(), "an evidence folder was written beside the app: {written:?}");
        }

        // Ben saves a copy through the OS save dialog: byte for byte.
        let copy = b.sandbox().path().join("home").join("copy-of-export.json");
        b.click(&format!("{ITEM} [data-testid=evidence-save]")).await;
        b.answer_file_dialog("Save a copy of the file", &copy, false).await;
        b.wait_for("[data-testid=evidence-saved]").await;
        assert!(std::fs::read(&copy).unwrap() == bytes, "Ben's copy is the attached file byte for byte");

        // Ana removes it, giving a reason; the timeline says so under her login, Ben's page drops it by itself.
        a.click(&format!("{ITEM} [data-testid=evidence-remove]")).await;
        a.client().send_alert_text("sent to the wrong request").await.expect("the reason prompt");
        a.client().accept_alert().await.expect("the reason prompt accepted");
        a.wait_gone(ITEM).await;
        a.wait_until("the timeline shows the removal", || async {
            a.text_of("[data-testid=timeline]").await.contains("File removed: crm-export.json (sent to the wrong request)")
        })
        .await;
        let on_record = pg.admin_sql(
            "rightsdesk",
            "SELECT actor FROM events WHERE summary LIKE 'File removed: crm-export.json%' ORDER BY seq DESC LIMIT 1",
        );
        assert_eq!(on_record, "ana", "the removal is on record under the login that made it");
        let timeline = b.text_of("[data-testid=timeline]").await;
        b.wait_gone(ITEM).await;
        assert_eq!(pg.admin_sql("rightsdesk", "SELECT count(*) FROM stored_chunks"), "0", "the file's rows went with it: {timeline}");

        // Identity: Ana asks for proof, then records it verified (an identity document seen). Both
        // are clock events the deadline engine heard, on record as ana; Ben's page lists the check by itself.
        let clock_events =
            || pg.admin_sql("rightsdesk", "SELECT count(*) || ' ' || string_agg(DISTINCT actor, ',') FROM events WHERE kind = 'clock'");
        a.wait_for("[data-testid=identity-panel]").await;
        a.click("[data-testid=request-identity]").await;
        a.wait_until("the request for proof is recorded", || async { clock_events() == "1 ana" }).await;
        a.set_value("[name=identity-method]", "document-seen").await;
        a.set_value("[name=identity-outcome]", "verified").await;
        a.click("[data-testid=record-identity]").await;
        let checked = "[data-testid=identity-checks] li[data-outcome=verified]";
        let shown = a.wait_for(checked).await.text().await.unwrap();
        assert!(shown.contains("ana"), "checked by ana's login: {shown}");
        assert_eq!(clock_events(), "2 ana", "identity requested and received, heard by the deadline engine");
        assert_eq!(
            pg.admin_sql("rightsdesk", "SELECT method || ' ' || outcome || ' ' || checked_by FROM identity_checks"),
            "document-seen verified ana"
        );
        b.wait_for_within(checked, Duration::from_secs(2)).await;
        a.close().await;
        b.close().await;
    })
    .await;
}
