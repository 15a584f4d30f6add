//! The answer goes out from the app window: a package built with tasks open and
//! no evidence asks first ("Build anyway"), its passphrase is generated and
//! shown once, and the response letter carries the package as its attachment
//! to a real SMTP server (Debian's aiosmtpd, started here). The message is
//! read back with Python's email package, a MIME parser that is not ours.

#[path = "../../smtp/harness.rs"]
mod harness;

use harness::{Options as SmtpOptions, SmtpServer};
use rightsdesk_e2e::{within, App, Options, Sandbox};
use sha2::{Digest, Sha256};

const NOW: &str = "2026-11-23T10:00:00Z";

/// The attachments and the text of a message, as Python's email package reads it.
fn parse_mime(raw: &[u8]) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let eml = dir.path().join("message.eml");
    std::fs::write(&eml, raw).unwrap();
    let script = "import email, hashlib, json, sys\n\
        from email import policy\n\
        m = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=policy.default)\n\
        atts = [{'name': p.get_filename(), 'type': p.get_content_type(), 'sha256': hashlib.sha256(p.get_payload(decode=True)).hexdigest(), 'size': len(p.get_payload(decode=True))} for p in m.iter_attachments()]\n\
        texts = [p.get_content() for p in m.walk() if p.get_content_maintype() == 'text' and not p.is_attachment()]\n\
        print(json.dumps({'attachments': atts, 'text': '\\n'.join(texts)}))\n";
    let out = std::process::Command::new("python3").arg("-c").arg(script).arg(&eml).output().expect("python3");
    assert!(out.status.success(), "python: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_response_letter_sent_from_the_app_carries_the_built_package_and_never_its_passphrase() {
    within(async {
        let inbox = tempfile::tempdir().unwrap();
        let server = SmtpServer::start(inbox.path(), SmtpOptions::default());
        let sandbox = Sandbox::new().with_now(NOW);
        sandbox.cli_json(&[
            "smtp",
            "set",
            "--host",
            "127.0.0.1",
            "--port",
            &server.port.to_string(),
            "--security",
            "none",
            "--from",
            "privacy@crm-factory.example",
            "--from-name",
            "CRM Factory",
            "--org-name",
            "CRM Factory GmbH",
            "--dpo-contact",
            "dpo@crm-factory.example",
            "--json",
        ]);
        // A data map of one system: the request gets an open task, and no evidence is collected yet.
        let map = sandbox.path().join("map.csv");
        std::fs::write(
            &map,
            "name,role,purposes,data_categories,retention,location,automated_decisions\n\
             CRM,own,Customer support,Email address,3 years,\"Frankfurt, Germany (EU)\",none\n",
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
            "2026-11-20",
            "--email",
            "zoe@example.org",
            "--name",
            "Zoë Müller",
            "--json",
        ]);
        let reference = added["reference"].as_str().unwrap().to_string();

        let app = App::start(Options::new().now(NOW).sandbox(sandbox)).await;
        app.wait_for("table[data-testid=request-list]").await;
        app.click(&format!("tr[data-reference='{reference}'] td[data-col=subject]")).await;
        app.wait_for("[data-testid=package-panel]").await;

        // Encrypted with a generated passphrase, shown once.
        app.click("[data-testid=package-encrypt]").await;
        app.click("[data-testid=generate-passphrase]").await;
        let passphrase = app.text_of("[data-testid=generated-passphrase]").await;
        assert!(passphrase.split('-').count() >= 6 && passphrase.len() >= 12, "{passphrase}");

        // One task open, no evidence: the officer is asked before the save dialog opens.
        app.click("[data-testid=build-package]").await;
        let warning = app.text_of("[data-testid=package-open-tasks-warning]").await;
        assert!(warning.contains("1 task is still open"), "{warning}");
        assert!(!app.has_x_window("Save the answer package"), "no dialog before the officer confirms");
        let answers = app.sandbox().path().join("home").join("answers");
        std::fs::create_dir_all(&answers).unwrap();
        let chosen = answers.join(format!("{reference}-package.zip"));
        app.click("[data-testid=build-anyway]").await;
        app.answer_file_dialog("Save the answer package", &chosen, false).await;
        app.wait_for("[data-testid=package-result]").await;
        let package = std::fs::read(&chosen).expect("the package is written where the officer picked");

        // The response letter offers it, checked.
        app.set_value("[name=letter-template]", "response-access").await;
        app.wait_for("[data-testid=attach-package]").await;
        let checked = app.js("return document.querySelector('[data-testid=attach-package]').checked;", vec![]).await;
        assert_eq!(checked, serde_json::Value::Bool(true), "checked by default");
        let label = app.js("return document.querySelector('[data-testid=attach-package]').parentElement.textContent;", vec![]).await;
        assert!(label.as_str().unwrap().contains(&format!("{reference}-package.zip")), "{label}");
        app.click("[data-testid=preview-letter]").await;
        app.wait_for("[data-testid=letter-preview]").await;
        app.click("[data-testid=send-letter]").await;
        app.wait_for("[data-testid=letter-result]").await;
        let result = app.text_of("[data-testid=letter-result]").await;
        assert!(result.starts_with("Sent"), "{result}");

        let got = server.received();
        assert_eq!(got.len(), 1, "exactly one message reached the server");
        let mime = parse_mime(&got[0].bytes);
        let atts = mime["attachments"].as_array().unwrap();
        assert_eq!(atts.len(), 1, "{mime}");
        assert_eq!(atts[0]["name"], format!("{reference}-package.zip"));
        assert_eq!(atts[0]["type"], "application/zip");
        assert_eq!(atts[0]["sha256"], hex(&Sha256::digest(&package)), "the attachment is the package file, byte for byte");
        let text = mime["text"].as_str().unwrap();
        assert!(text.contains(&reference), "the letter's body was parsed: {text}");
        assert!(!text.contains(&passphrase), "the passphrase is never in the letter");
        assert!(!String::from_utf8_lossy(&got[0].bytes).contains(&passphrase), "nor anywhere in the message");
        app.close().await;
    })
    .await;
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
