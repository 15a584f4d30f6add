//! Answer packages, bulk import and the register in the window: the officer
//! collects evidence on a request, sees what the package will hold, builds it
//! (encrypted or not) and watches it verify; imports a CSV after seeing its
//! report per row; and reads the yearly figures and charts.

use rightsdesk_e2e::{within, App, Options, Sandbox};
use serde_json::json;
use sha2::Digest;

const NOW: &str = "2025-09-20T10:00:00Z";

#[tokio::test(flavor = "multi_thread")]
async fn an_officer_builds_an_encrypted_package_sees_the_progress_and_the_verified_result() {
    within(async {
        let sandbox = Sandbox::new().with_now(NOW);
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
            "2025-09-01",
            "--email",
            "ada@example.org",
            "--name",
            "Ada Example",
            "--json",
        ]);
        let reference = added["reference"].as_str().unwrap().to_string();
        let app = App::start(Options::new().now(NOW).sandbox(sandbox)).await;
        app.wait_for("table[data-testid=request-list]").await;
        app.click(&format!("tr[data-reference='{reference}'] td[data-col=subject]")).await;
        app.wait_for("[data-testid=package-panel]").await;

        // A short passphrase is refused beside its field, and nothing is written.
        let answers = app.sandbox().path().join("home").join("answers");
        std::fs::create_dir_all(&answers).unwrap();
        let chosen = answers.join(format!("{reference}-package.zip"));
        app.click("[data-testid=package-encrypt]").await;
        app.type_into("[data-testid=package-passphrase]", "short").await;
        app.click("[data-testid=build-package]").await;
        app.answer_file_dialog("Save the answer package", &chosen, false).await;
        app.wait_for("[data-error-for=passphrase]").await;
        assert!(!chosen.exists(), "nothing was written");

        app.type_into("[data-testid=package-passphrase]", "a passphrase read out by phone").await;
        app.click("[data-testid=build-package]").await;
        app.answer_file_dialog("Save the answer package", &chosen, false).await;
        app.wait_for("[data-testid=package-result]").await;
        assert!(app.exists("[data-testid=package-progress]").await, "the progress bar was shown");
        assert_eq!(app.text_of("[data-testid=package-percent]").await, "100%");
        let path = app.text_of("[data-testid=package-path]").await;
        assert_eq!(std::path::Path::new(&path), chosen, "written where the officer picked in the dialog");
        assert!(std::path::Path::new(&path).exists(), "the package is on disk");
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600, "owner-only");

        app.click("[data-testid=verify-package]").await;
        let verified = app.text_of("[data-testid=package-verified]").await;
        assert!(verified.starts_with("Verified:"), "{verified}");
        // The CLI agrees, with the same passphrase.
        let out = std::process::Command::new(rightsdesk_e2e::cli_bin())
            .args(["package", "verify", &path, "--passphrase-env", "PP"])
            .env("PP", "a passphrase read out by phone")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        app.wait_until("the timeline records the package", || async {
            app.text_of("[data-testid=timeline]").await.contains("Answer package built")
        })
        .await;
        app.js("document.querySelector('[data-testid=package-verified]').scrollIntoView({ block: 'center' });", vec![]).await;
        tokio::time::sleep(std::time::Duration::from_millis(800)).await; // a screenshot can lag the DOM by a frame
        app.screenshot(rightsdesk_e2e::workspace_root().join("docs/screenshots/package.png")).await;
        app.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_officer_collects_evidence_builds_the_package_and_sees_it_verified() {
    within(async {
        let sandbox = Sandbox::new().with_now(NOW);
        let map = sandbox.path().join("map.csv");
        std::fs::write(
            &map,
            "name,vendor,role,purposes,data_categories,retention,legal_basis,source,location,transfer_safeguard,automated_decisions\n\
             CRM,,own,Customer support and account management,Name; email address,3 years after the last contact,Contract,\"You, when you signed up\",\"Frankfurt, Germany (EU)\",,none\n\
             Stripe,\"Stripe, Inc.\",sub-processor,Payment processing,Payment records,7 years,Contract,,USA,Standard Contractual Clauses,none\n",
        )
        .unwrap();
        sandbox.cli_json(&["systems", "import", map.to_str().unwrap(), "--json"]);
        let added = sandbox.cli_json(&[
            "request", "add", "--type", "access", "--regime", "eu-gdpr", "--jurisdiction", "DE", "--received",
            "2025-09-01", "--email", "ada@example.org", "--name", "Ada Example", "--json",
        ]);
        let reference = added["reference"].as_str().unwrap().to_string();
        let tasks = sandbox.cli_json(&["task", "list", &reference, "--json"]);
        let tasks = tasks.as_array().or_else(|| tasks["tasks"].as_array()).expect("a task list").clone();
        let crm_task = tasks.iter().find(|t| t["system_name"] == "CRM").expect("a CRM task")["id"].as_str().unwrap().to_string();

        let app = App::start(Options::new().now(NOW).sandbox(sandbox)).await;
        app.wait_for("table[data-testid=request-list]").await;
        app.click(&format!("tr[data-reference='{reference}'] td[data-col=subject]")).await;
        app.wait_for("[data-testid=package-panel]").await;
        app.wait_for("[data-testid=package-no-evidence]").await;

        // Collect the CRM's export on its task, as the officer does in the Evidence panel.
        let export_bytes = b"id,email,plan\ncus_4711,ada@example.org,pro\n";
        let export = app.sandbox().path().join("home").join("crm-export.csv");
        std::fs::write(&export, export_bytes).unwrap();
        app.click("[data-testid=evidence-choose]").await;
        app.answer_file_dialog("Choose the file to attach", &export, false).await;
        app.wait_until("the picked file is named", || async { app.text_of("[data-testid=evidence-chosen]").await == "crm-export.csv" }).await;
        app.set_value("select[name=evidence-task]", &crm_task).await;
        app.click("[data-testid=attach-evidence]").await;
        app.wait_for("[data-testid=evidence-item]").await;

        // The package panel shows what will go in: the file under its system, the data map's systems.
        app.wait_for("[data-testid=package-evidence-item][data-path='evidence/crm/crm-export.csv']").await;
        assert!(app.exists("[data-testid=package-system][data-system=CRM]").await);
        assert!(app.exists("[data-testid=package-system][data-system=Stripe]").await);

        app.click("[data-testid=build-package]").await;
        let chosen = app.sandbox().path().join("home").join("package.zip");
        app.answer_file_dialog("Save the answer package", &chosen, false).await;
        app.wait_for("[data-testid=package-result]").await;
        assert!(app.exists("[data-testid=package-progress]").await, "the progress bar was shown");
        assert_eq!(app.text_of("[data-testid=package-percent]").await, "100%");
        let verified = app.text_of("[data-testid=package-verified]").await;
        assert!(verified.starts_with("Verified:"), "{verified}");
        let row = "[data-testid=verified-file][data-path='evidence/crm/crm-export.csv']";
        app.wait_for(row).await;
        let expected_sha = format!("{:x}", sha2::Sha256::digest(export_bytes));
        assert!(app.text_of(row).await.contains(&expected_sha), "the recomputed SHA-256 is shown");
        let path = app.text_of("[data-testid=package-path]").await;

        // Python's zipfile, not ours: the evidence's bytes under evidence/crm/, its SHA-256 in the manifest,
        // and the cover letter naming the data map's purposes.
        let script = "import hashlib, json, sys, zipfile\n\
            z = zipfile.ZipFile(sys.argv[1])\n\
            assert z.testzip() is None\n\
            m = {f['path']: f['sha256'] for f in json.loads(z.read('manifest.json'))['files']}\n\
            crm = z.read('evidence/crm/crm-export.csv')\n\
            print(json.dumps({'crm': crm.decode(), 'listed': m.get('evidence/crm/crm-export.csv'),\n\
              'recomputed': hashlib.sha256(crm).hexdigest(), 'letter': z.read('cover-letter.html').decode()}))\n";
        let py = std::process::Command::new("python3").arg("-c").arg(script).arg(&path).output().expect("python3");
        assert!(py.status.success(), "python: {}", String::from_utf8_lossy(&py.stderr));
        let seen: serde_json::Value = serde_json::from_slice(&py.stdout).unwrap();
        assert_eq!(seen["crm"], std::str::from_utf8(export_bytes).unwrap());
        assert_eq!(seen["listed"], expected_sha.as_str());
        assert_eq!(seen["recomputed"], expected_sha.as_str());
        let letter = seen["letter"].as_str().unwrap();
        assert!(letter.contains("Customer support and account management"), "the letter names the CRM's purpose");
        assert!(letter.contains("Stripe, Inc. (sub-processor"), "and Stripe as a recipient");
        assert!(letter.contains("You, when you signed up"), "and where the CRM's data came from");
        let unzip = std::process::Command::new("unzip").arg("-t").arg(&path).output().expect("unzip");
        assert!(unzip.status.success(), "unzip -t: {}", String::from_utf8_lossy(&unzip.stdout));
        app.close().await;
    })
    .await;
}

/// Puts a file into the page's file input as a person choosing it would (the bytes as given).
async fn choose_file(app: &App, css: &str, name: &str, bytes: &[u8]) {
    app.wait_for(css).await;
    app.js(
        "const input = document.querySelector(arguments[0]);\n\
         const file = new File([new Uint8Array(arguments[2])], arguments[1], { type: 'text/csv' });\n\
         const dt = new DataTransfer(); dt.items.add(file); input.files = dt.files;\n\
         input.dispatchEvent(new Event('change', { bubbles: true }));",
        vec![json!(css), json!(name), json!(bytes)],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_csv_with_a_bad_row_is_reported_per_row_and_imports_nothing_until_fixed() {
    within(async {
        let sandbox = Sandbox::new().with_now(NOW);
        sandbox.cli_json(&["demo", "load", "--json"]);
        let before = rightsdesk_e2e::count_requests(sandbox.db_path());
        let app = App::start(Options::new().now(NOW).sandbox(sandbox)).await;
        app.wait_for("table[data-testid=request-list]").await;
        app.click("[data-testid=nav-import]").await;

        // Windows-1252, semicolons, one bad email on line 3.
        let bad = b"type;regime;name;email;received\naccess;eu-gdpr;Zo\xeb M\xfcller;zoe@example.org;2025-09-02\nerasure;eu-gdpr;Bob;bob@@example;2025-09-03\n";
        choose_file(&app, "[data-testid=import-file]", "export.csv", bad).await;
        app.wait_for("[data-testid=import-rows] tr[data-line='3'][data-outcome=error]").await;
        let summary = app.text_of("[data-testid=import-summary]").await;
        assert!(summary.contains("windows-1252") && summary.contains("semicolon"), "{summary}");
        let row = app.text_of("[data-testid=import-rows] tr[data-line='3']").await;
        assert!(row.contains("email:"), "{row}");
        assert!(app.text_of("[data-testid=import-rows] tr[data-line='2']").await.contains("Zoë Müller"));
        let disabled = app.js("return document.querySelector('[data-testid=import-commit]').disabled;", vec![]).await;
        assert_eq!(disabled, json!(true), "a file with an error cannot be imported");
        assert_eq!(rightsdesk_e2e::count_requests(app.db_path()), before);

        let good = b"type;regime;name;email;received\naccess;eu-gdpr;Zo\xeb M\xfcller;zoe@example.org;2025-09-02\nerasure;eu-gdpr;Bob;bob@example.org;2025-09-03\n";
        choose_file(&app, "[data-testid=import-file]", "export.csv", good).await;
        app.wait_until("both rows are ready", || async {
            app.count("[data-testid=import-rows] tr[data-outcome=ok]").await == 2
        })
        .await;
        app.click("[data-testid=import-commit]").await;
        let done = app.text_of("[data-testid=import-done]").await;
        assert!(done.contains("Imported 2 requests"), "{done}");
        assert_eq!(rightsdesk_e2e::count_requests(app.db_path()), before + 2);
        app.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_register_exports_and_the_yearly_figures_show_with_their_charts() {
    within(async {
        let sandbox = Sandbox::new().with_now(NOW);
        sandbox.cli_json(&["demo", "load", "--json"]);
        let app = App::start(Options::new().now(NOW).sandbox(sandbox)).await;
        app.wait_for("table[data-testid=request-list]").await;
        app.click("[data-testid=nav-register]").await;
        app.wait_for("[data-testid=metrics-table] tfoot tr[data-type=all]").await;
        assert!(app.exists("[data-testid=chart-received] svg rect").await);
        assert!(app.exists("[data-testid=chart-on-time] svg").await);
        // Where to save is asked in the OS dialog (the real GTK file chooser, answered with xdotool).
        let exports = app.sandbox().path().join("home").join("exports");
        std::fs::create_dir_all(&exports).unwrap();
        app.click("[data-testid=export-register]").await;
        app.answer_file_dialog("Save the register", &exports.join("register.csv"), false).await;
        let done = app.text_of("[data-testid=export-done]").await;
        assert!(done.contains("requests written to") && done.contains("register.csv"), "{done}");
        assert!(std::fs::read_to_string(exports.join("register.csv")).unwrap().lines().count() > 16);
        app.click("[data-testid=metrics-csv]").await;
        app.answer_file_dialog("Save the figures", &exports.join("figures-2025.csv"), false).await;
        let saved = app.text_of("[data-testid=metrics-csv-done]").await;
        assert!(saved.contains("figures-2025.csv") && exports.join("figures-2025.csv").exists(), "{saved}");
        app.js("document.querySelector('[data-testid=metrics-table]').scrollIntoView({ block: 'start' });", vec![]).await;
        tokio::time::sleep(std::time::Duration::from_millis(800)).await; // a screenshot can lag the DOM by a frame
        app.screenshot(rightsdesk_e2e::workspace_root().join("docs/screenshots/register.png")).await;
        app.close().await;
    })
    .await;
}

/// Reads one file of a package ZIP with the `zip` crate (the package is not encrypted).
fn read_from_zip(path: &std::path::Path, name: &str) -> String {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).expect("the package")).expect("a ZIP");
    let mut text = String::new();
    archive.by_name(name).unwrap_or_else(|e| panic!("{name} in the package: {e}")).read_to_string(&mut text).unwrap();
    text
}

#[tokio::test(flavor = "multi_thread")]
async fn a_fact_the_data_map_lacks_is_named_stated_by_the_officer_and_printed_in_the_cover_letter_in_the_chosen_language() {
    within(async {
        let sandbox = Sandbox::new().with_now(NOW);
        // Mailchimp is held in the USA with no transfer safeguard recorded; the lead scoring records
        // no automated decision-making. Both are "not recorded", and a GDPR package needs them.
        let map = sandbox.path().join("map.csv");
        std::fs::write(
            &map,
            "name,vendor,role,purposes,data_categories,retention,legal_basis,source,location,transfer_safeguard,automated_decisions\n\
             Lead scoring,,own,Sales,Name; company,2 years,Legitimate interests,,\"Frankfurt, Germany (EU)\",,\n\
             Mailchimp,\"Intuit Mailchimp\",processor,Newsletter,Email address,Until unsubscribed,Consent,,\"Atlanta, USA\",,none\n",
        )
        .unwrap();
        sandbox.cli_json(&["systems", "import", map.to_str().unwrap(), "--json"]);
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
            "2025-09-01",
            "--email",
            "ada@example.org",
            "--name",
            "Ada Example",
            "--json",
        ]);
        let reference = added["reference"].as_str().unwrap().to_string();
        let app = App::start(Options::new().now(NOW).sandbox(sandbox)).await;
        app.wait_for("table[data-testid=request-list]").await;
        app.click(&format!("tr[data-reference='{reference}'] td[data-col=subject]")).await;
        app.wait_for("[data-testid=package-panel]").await;

        // The panel names each system and the fact its map lacks.
        let scoring = "[data-testid=package-missing-fact][data-system='Lead scoring'][data-fact=automated_decisions]";
        let mailchimp = "[data-testid=package-missing-fact][data-system=Mailchimp][data-fact=transfer_safeguard]";
        let text = app.text_of(scoring).await;
        assert!(text.contains("Lead scoring") && text.contains("automated decision-making"), "{text}");
        let text = app.text_of(mailchimp).await;
        assert!(text.contains("Mailchimp") && text.contains("transfer safeguard"), "{text}");
        assert_eq!(app.count("[data-testid=package-missing-fact]").await, 2, "nothing else is missing");

        // The officer states both facts in the panel.
        let automated = "Leads are scored on company size and disqualified below 10 points; a person reviews every disqualification";
        let safeguard = "Standard Contractual Clauses (EU 2021/914) with Intuit Mailchimp";
        app.type_into(&format!("{scoring} [data-testid=package-fact-statement]"), automated).await;
        app.click(&format!("{scoring} [data-testid=package-state-fact]")).await;
        app.wait_until("the lead scoring's fact is no longer missing, or an error", || async {
            !app.exists(scoring).await || app.exists("[data-testid=package-fact-error]").await
        })
        .await;
        if app.exists("[data-testid=package-fact-error]").await {
            panic!("the statement was refused: {}", app.text_of("[data-testid=package-fact-error]").await);
        }
        app.type_into(&format!("{mailchimp} [data-testid=package-fact-statement]"), safeguard).await;
        app.click(&format!("{mailchimp} [data-testid=package-state-fact]")).await;
        app.wait_until("no fact is missing", || async { !app.exists("[data-testid=package-missing]").await }).await;
        assert!(!app.exists("[data-testid=package-fact-error]").await, "the statements were accepted");

        // The request's timeline shows the statements.
        app.wait_until("the timeline records both statements", || async {
            app.count("[data-testid=timeline] li[data-kind=package-fact-stated]").await == 2
        })
        .await;
        let timeline = app.text_of("[data-testid=timeline]").await;
        assert!(timeline.contains("the officer stated automated decision-making"), "{timeline}");
        assert!(timeline.contains("for Lead scoring") && timeline.contains("for Mailchimp"), "{timeline}");

        // Now the package builds, where the officer picks in the real save dialog.
        let chosen = app.sandbox().path().join("home").join("package.zip");
        app.click("[data-testid=build-package]").await;
        // Two tasks open and no evidence: asked first (issue 21 item 5).
        app.click("[data-testid=build-anyway]").await;
        app.answer_file_dialog("Save the answer package", &chosen, false).await;
        app.wait_for("[data-testid=package-result]").await;
        assert!(!app.exists("[data-testid=package-error]").await);
        let verified = app.text_of("[data-testid=package-verified]").await;
        assert!(verified.starts_with("Verified:"), "{verified}");

        // The cover letter says what the officer stated, not "no automated decisions" / "no transfer".
        let letter = read_from_zip(&chosen, "cover-letter.html");
        assert!(letter.contains(automated), "the letter carries the automated-decision statement");
        assert!(letter.contains(safeguard), "the letter carries the transfer safeguard");
        assert!(letter.contains("<html lang=\"en\">") && letter.contains("Dear Ada Example"), "English by default");

        // The officer picks German for the cover letter and builds again: the letter is German.
        app.set_value("[data-testid=package-lang]", "de").await;
        let german = app.sandbox().path().join("home").join("package-de.zip");
        app.click("[data-testid=build-package]").await;
        app.click("[data-testid=build-anyway]").await;
        app.answer_file_dialog("Save the answer package", &german, false).await;
        app.wait_until("the German package is written", || async {
            app.exists("[data-testid=package-path]").await && app.text_of("[data-testid=package-path]").await.ends_with("package-de.zip")
        })
        .await;
        let letter = read_from_zip(&german, "cover-letter.html");
        assert!(letter.contains("<html lang=\"de\">"), "the letter is marked German");
        assert!(letter.contains("Guten Tag Ada Example") && letter.contains("Ihre Anfrage"), "and written in German");
        assert!(letter.contains("DSGVO"), "citing the DSGVO");
        assert!(!letter.contains("Dear ") && !letter.contains("Yours sincerely"), "with no English salutation or close");
        assert!(letter.contains(automated) && letter.contains(safeguard), "the statements, as the officer wrote them");
        app.close().await;
    })
    .await;
}
