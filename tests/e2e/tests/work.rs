//! The work behind an answer, in the real Rightsdesk window: the data map, the
//! tasks of an erasure request, an exemption, evidence, completion; the audit
//! check after the database file was changed behind the app's back; hostile
//! evidence file names stored safely and shown as plain text.
//!
//! Build first: `npm --prefix ui run build && cargo build -p rightsdesk-app -p rightsdesk-cli`.

use rightsdesk_core::store::{Db, DbKey};
use rightsdesk_e2e::{within, App, Options, Sandbox, TEST_PASSPHRASE};
use serde_json::json;

const MAP: &str = "name,vendor,role,purposes,location,retention,legal_duty\n\
    Stripe,\"Stripe, Inc.\",sub-processor,Payment processing,USA,7 years,\"Tax law: payment records, 7 years\"\n\
    CRM,,own,Customer accounts,EU,While a customer,\n";

fn task(system: &str) -> String {
    format!("li[data-testid=task][data-system=\"{system}\"]")
}

/// Waits until the element matching `css` has `attr` = `value`.
async fn wait_attr(app: &App, css: &str, attr: &str, value: &str) {
    app.wait_until(&format!("{css} has {attr}={value}"), || async {
        match app.all(css).await.first() {
            Some(el) => el.attr(attr).await.ok().flatten().as_deref() == Some(value),
            None => false,
        }
    })
    .await;
}

/// A JSON export of `len` bytes whose records differ (so no two chunks of it are alike).
fn big_export(len: usize) -> Vec<u8> {
    let mut out = b"[".to_vec();
    let mut i = 0u64;
    while out.len() < len {
        out.extend_from_slice(format!("{{\"customer\": \"cus_{i:08}\", \"deleted\": true}},\n").as_bytes());
        i += 1;
    }
    out.truncate(len);
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn an_officer_imports_a_map_works_an_erasure_request_and_completes_it() {
    within(async {
        let app = App::start(Options::new().now("2026-11-23T10:00:00Z")).await;
        app.wait_for("[data-testid=first-run]").await;
        app.click("[data-testid=start-empty]").await;

        // The data map: a fresh install offers the starter map; this officer imports her own.
        app.click("[data-testid=nav-datamap]").await;
        app.wait_for("[data-testid=starter-offer]").await;
        app.set_value("[data-testid=datamap-import-text]", MAP).await;
        app.click("[data-testid=import-datamap]").await;
        let result = app.text_of("[data-testid=import-result]").await;
        assert!(result.contains("2 added"), "{result}");
        // The result shows before the list has refetched (seen under load): wait for the rows.
        app.wait_until("both systems listed", || async { app.count("tr[data-testid=system-row]").await == 2 }).await;

        // An erasure request, registered in the window.
        app.click("[data-testid=nav-requests]").await;
        app.click("[data-testid=new-request]").await;
        let form = "form[data-testid=new-request-form]";
        app.set_value(&format!("{form} [name=type]"), "erasure").await;
        app.set_value(&format!("{form} [name=regime]"), "eu-gdpr").await;
        app.set_value(&format!("{form} [name=jurisdiction]"), "DE").await;
        app.type_into(&format!("{form} [name=subject_name]"), "Ada Example").await;
        app.type_into(&format!("{form} [name=subject_email]"), "ada@example.org").await;
        app.set_value(&format!("{form} [name=received]"), "2026-11-20").await;
        app.click(&format!("{form} button[type=submit]")).await;
        app.wait_for("[data-testid=request-detail]").await;

        // Its tasks: one per system, delete or keep.
        app.wait_for(&task("Stripe")).await;
        assert_eq!(app.count("li[data-testid=task]").await, 2);
        let stripe = app.text_of(&task("Stripe")).await;
        assert!(stripe.contains("Tax law: payment records, 7 years"), "{stripe}");

        // Done in the CRM; Stripe keeps payment records under the legal duty from the map.
        app.type_into(&format!("{} [name=task-note]", task("CRM")), "deleted in the admin console").await;
        app.click(&format!("{} [data-testid=task-done]", task("CRM"))).await;
        wait_attr(&app, &task("CRM"), "data-status", "done").await;
        app.click(&format!("{} [data-testid=task-exempt]", task("Stripe"))).await;
        app.click(&format!("{} [data-testid=task-exempt-save]", task("Stripe"))).await;
        wait_attr(&app, &task("Stripe"), "data-status", "exempt").await;
        let kept = app.text_of(&format!("{} [data-testid=task-exemption]", task("Stripe"))).await;
        assert!(kept.contains("Tax law: payment records, 7 years"), "{kept}");

        // Evidence: the export from Stripe, 30 MiB (above the 25 MiB the window once accepted), picked in the
        // OS dialog the backend opens and streamed from disk: its bytes never cross the IPC.
        let export = app.sandbox().path().join("home").join("stripe-export.json");
        let bytes = big_export(30 * 1024 * 1024 + 17);
        std::fs::write(&export, &bytes).unwrap();
        app.wait_for("[data-testid=evidence-panel]").await;
        assert!(!app.exists("[data-testid=evidence-panel] input[type=file]").await, "no file input sends the bytes through the window");
        app.click("[data-testid=evidence-choose]").await;
        app.answer_file_dialog("Choose the file to attach", &export, false).await;
        app.wait_until("the picked file is named", || async { app.text_of("[data-testid=evidence-chosen]").await == "stripe-export.json" })
            .await;
        app.click("[data-testid=attach-evidence]").await;
        app.wait_for("[data-testid=evidence-item]").await;
        assert_eq!(app.text_of("[data-testid=evidence-name]").await, "stripe-export.json");
        assert!(app.text_of("[data-testid=evidence-item]").await.contains("30.0 MB"));
        // Stored whole: the CLI writes it back out, decrypted, byte for byte.
        let listed = app.cli(&["evidence", "list", "DSR-2026-0001", "--json"]);
        assert!(listed.status.success(), "{}", String::from_utf8_lossy(&listed.stderr));
        let listed: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
        assert_eq!(listed[0]["size"], json!(bytes.len()));
        let back = app.sandbox().path().join("back.json");
        let got = app.cli(&["evidence", "get", listed[0]["id"].as_str().unwrap(), "--out", back.to_str().unwrap()]);
        assert!(got.status.success(), "{}", String::from_utf8_lossy(&got.stderr));
        assert!(std::fs::read(&back).unwrap() == bytes, "the stored file reads back byte for byte");

        // Complete the request.
        app.click("button[data-status=in-progress]").await;
        app.wait_until("status is in progress", || async {
            app.text_of("[data-testid=detail-status]").await.to_lowercase().contains("in progress")
        })
        .await;
        app.click("button[data-status=completed]").await;
        app.wait_until("status is completed", || async {
            app.text_of("[data-testid=detail-status]").await.to_lowercase().contains("completed")
        })
        .await;

        // The trail holds, in the app and from the CLI.
        app.click("[data-testid=nav-audit]").await;
        wait_attr(&app, "[data-testid=audit-result]", "data-intact", "true").await;
        let out = app.cli(&["audit", "verify"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
        app.close().await;
    })
    .await;
}

/// A request with a few events, written by the CLI; then `sql` is run on the
/// file behind the app's back; the app's audit check must say `expected`.
async fn tampered_trail_is_caught(sql: &'static str, expected: &'static str) {
    let sandbox = Sandbox::new().with_now("2026-11-23T10:00:00Z");
    sandbox.cli_json(&[
        "request",
        "add",
        "--type",
        "access",
        "--regime",
        "eu-gdpr",
        "--jurisdiction",
        "DE",
        "--received",
        "2026-11-20",
        "--email",
        "ada@example.org",
        "--name",
        "Ada Example",
        "--json",
    ]);
    for status in ["in-progress", "paused", "in-progress"] {
        sandbox.cli_json(&["request", "status", "DSR-2026-0001", status, "--json"]);
    }
    {
        let db = Db::open(sandbox.db_path(), &DbKey::passphrase(TEST_PASSPHRASE).unwrap()).unwrap();
        db.write(|tx| Ok(tx.execute_batch(sql)?)).unwrap();
    }
    let app = App::start(Options::new().sandbox(sandbox)).await;
    app.click("[data-testid=nav-audit]").await;
    wait_attr(&app, "[data-testid=audit-result]", "data-intact", "false").await;
    let shown = app.text_of("[data-testid=audit-result]").await;
    assert!(shown.contains(expected), "the app said: {shown}");
    let out = app.cli(&["audit", "verify"]);
    assert!(!out.status.success());
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_event_edited_behind_the_apps_back_is_named() {
    within(tampered_trail_is_caught(
        "DROP TRIGGER events_are_append_only_update; UPDATE events SET summary = 'Status: received → refused' WHERE seq = 2;",
        "event 2 was changed after it was recorded",
    ))
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_event_deleted_behind_the_apps_back_is_named() {
    within(tampered_trail_is_caught("DELETE FROM events WHERE seq = 3;", "event 3 was deleted")).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn two_events_swapped_behind_the_apps_back_are_named() {
    within(tampered_trail_is_caught(
        "DROP TRIGGER events_are_append_only_update;
         UPDATE events SET seq = -2 WHERE seq = 2;
         UPDATE events SET seq = 2 WHERE seq = 3;
         UPDATE events SET seq = 3 WHERE seq = -2;",
        "event 2 was changed after it was recorded",
    ))
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_evidence_names_are_stored_safely_and_shown_as_text() {
    within(async {
        let sandbox = Sandbox::new().with_now("2026-11-23T10:00:00Z");
        let request = sandbox.cli_json(&[
            "request",
            "add",
            "--type",
            "access",
            "--regime",
            "eu-gdpr",
            "--jurisdiction",
            "DE",
            "--received",
            "2026-11-20",
            "--email",
            "ada@example.org",
            "--name",
            "Ada Example",
            "--json",
        ]);
        let id = request["id"].as_str().unwrap().to_string();

        // Files whose names (all legal on Linux) try to escape, recolour a terminal, reverse text or inject
        // markup, attached through the same streamed add the window uses (the window only sends a picked path).
        let cases: Vec<(String, &str)> = vec![
            ("C:\\Windows\\system32\\cmd.exe".into(), "cmd.exe"),
            ("a".repeat(200) + ".pdf", ""),
            ("report\u{1b}[31m\r\n.pdf".into(), "report[31m.pdf"),
            ("invoice\u{202E}fdp.exe".into(), "invoicefdp.exe"),
            ("..\u{2215}..\u{2215}etc\u{2215}passwd".into(), "etc_passwd"),
            ("<img src=x onerror=alert(1)>.html".into(), "img src_x onerror_alert(1)_.html"),
            (".bashrc".into(), "bashrc"),
        ];
        let incoming = sandbox.path().join("incoming");
        std::fs::create_dir_all(&incoming).unwrap();
        for (i, (name, _)) in cases.iter().enumerate() {
            let file = incoming.join(name);
            std::fs::write(&file, format!("file {i}")).unwrap();
            let stored = sandbox.cli_json(&["evidence", "add", &id, file.to_str().unwrap(), "--json"]);
            assert!(stored["name"].is_string(), "{name:?}: {stored}");
        }
        let app = App::start(Options::new().sandbox(sandbox)).await;
        app.wait_for("table[data-testid=request-list] tbody tr").await;

        // Straight through the app's IPC, as a hostile page could send them: a path nobody picked in the
        // dialog is refused, whatever it names (here even a real file beside the others).
        let unpicked = incoming.join(&cases[0].0);
        for path in ["/etc/passwd", "../../etc/passwd", "", unpicked.to_str().unwrap()] {
            let refused = app
                .client()
                .execute_async(
                    "const [requestId, path, done] = arguments;
                     window.__TAURI_INTERNALS__.invoke('add_evidence', { requestId, path, taskId: null, identityDocument: false })
                       .then((e) => done('STORED ' + e.name), (err) => done(err));",
                    vec![json!(id), json!(path)],
                )
                .await
                .expect("the add_evidence command ran");
            assert_eq!(refused["code"], json!("not_chosen"), "{path:?}: {refused}");
        }

        // Open the request: every name is shown as plain text, nothing was rendered as markup.
        app.click("table[data-testid=request-list] tbody tr[data-testid=request-row] td[data-col=subject]").await;
        app.wait_for("[data-testid=evidence-item]").await;
        app.wait_until("all files listed", || async { app.count("[data-testid=evidence-item]").await == cases.len() }).await;
        let mut shown = Vec::new();
        for el in app.all("[data-testid=evidence-name]").await {
            shown.push(el.text().await.unwrap_or_default());
        }
        for (raw, expected) in &cases {
            if expected.is_empty() {
                assert!(shown.iter().any(|s| s.chars().count() == 120 && s.ends_with(".pdf")), "long name: {shown:?}");
            } else {
                assert!(shown.iter().any(|s| s == expected), "{raw:?} → expected {expected:?} in {shown:?}");
            }
        }
        assert_eq!(app.count("[data-testid=evidence-panel] img").await, 0, "no markup from a file name");

        // Every byte went under evidence/ beside the database, and nowhere else.
        let root = app.sandbox().path().to_path_buf();
        assert!(!root.join("etc").exists() && !root.parent().unwrap().join("etc").join("passwd.rightsdesk").exists());
        let evidence_dir = app.db_path().parent().unwrap().join("evidence");
        let stored: usize =
            std::fs::read_dir(&evidence_dir).unwrap().map(|shard| std::fs::read_dir(shard.unwrap().path()).unwrap().count()).sum();
        assert_eq!(stored, cases.len());
        app.close().await;
    })
    .await;
}
