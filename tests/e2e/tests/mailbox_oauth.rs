//! The OAuth sign-in of the privacy mailbox in the app window (issue 17, item 1), against a real
//! Dovecot whose oauth2 passdb checks each access token with a token-introspection endpoint
//! (`tests/imap/harness.rs::start_oauth2`).
//!
//! Microsoft 365 and Google cannot be reached from here: `tests/imap/oauth_provider.rs` is their
//! test double (device-authorization, token and introspection endpoints on 127.0.0.1), chosen in
//! the window as "Other OAuth provider" with its local endpoints. The officer signs in with the
//! device-code flow: the window shows the code and the address, the provider answers "pending"
//! once and then the tokens, the window says "Signed in as …", and the background fetch reads
//! the mailbox with the access token over XOAUTH2. A declined sign-in shows its message; a
//! cancelled one keeps nothing, even when the provider approves it afterwards; "Sign out"
//! deletes the sign-in. No OS keyring runs here, so the window says the sign-in is kept for this
//! session only (the keyring path is tested by the CLI's `mailbox_oauth` tests).

#[path = "../../imap/harness.rs"]
mod imap;
#[path = "../../imap/oauth_provider.rs"]
mod oauth_provider;

use imap::{Dovecot, USER};
use oauth_provider::{mail, Idp, CLIENT_ID, DEVICE_REFRESH, USER_CODE};
use rightsdesk_e2e::{within, workspace_root, App, Options, Sandbox};

const NOW: &str = "2026-02-02T09:00:00Z";

/// No token of any kind is in the window.
async fn no_token_shown(app: &App) {
    let page = app.js("return document.body.innerText;", vec![]).await;
    let page = page.as_str().unwrap_or_default();
    assert!(!page.contains(DEVICE_REFRESH) && !page.contains("access-token-") && !page.contains("device-code-"), "{page}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_officer_signs_in_with_the_device_code_and_the_mailbox_is_read_with_the_token() {
    within(async {
        let provider = Idp::start(USER);
        let server = Dovecot::start_oauth2(&provider.url("/introspect"));
        server.append("INBOX", "none", &[("30-Jan-2026 10:00:00 +0100", mail("Auskunftsersuchen", "oauth-1"))]);

        let sandbox = Sandbox::new().with_now(NOW);
        let app = App::start(Options::new().now(NOW).sandbox(sandbox).env("TZ", "Europe/Berlin")).await;

        // Mail settings → Privacy mailbox: sign-in "Other OAuth provider", the password field gone,
        // the endpoints of the test double typed in.
        app.click("[data-testid=nav-mail-settings]").await;
        app.type_into("[name=mailbox-host]", "127.0.0.1").await;
        app.set_value("[name=mailbox-port]", &server.port.to_string()).await;
        app.set_value("[name=mailbox-security]", "none").await;
        app.type_into("[name=mailbox-username]", USER).await;
        assert!(app.exists("[name=mailbox-password]").await, "a password by default");
        app.set_value("[name=mailbox-auth]", "microsoft").await;
        app.wait_for("[name=mailbox-tenant]").await;
        assert!(!app.exists("[name=mailbox-password]").await, "no password for OAuth");
        let preset = app.js("return document.querySelector('[name=mailbox-token_endpoint]').value;", vec![]).await;
        assert_eq!(preset, "https://login.microsoftonline.com/organizations/oauth2/v2.0/token", "Microsoft's endpoint is shown");
        app.set_value("[name=mailbox-auth]", "custom").await;
        app.wait_gone("[name=mailbox-tenant]").await;
        app.type_into("[name=mailbox-client_id]", CLIENT_ID).await;
        app.set_value("[name=mailbox-token_endpoint]", &provider.url("/token")).await;
        app.set_value("[name=mailbox-device_endpoint]", &provider.url("/devicecode")).await;
        app.set_value("[name=mailbox-scopes]", "imap offline_access").await;
        app.click("[data-testid=save-mailbox]").await;
        app.wait_for("[data-testid=mailbox-saved]").await;
        // What was stored comes back when the form is opened again (read from the database).
        app.click("[data-testid=nav-inbox]").await;
        app.click("[data-testid=nav-mail-settings]").await;
        app.wait_for("[name=mailbox-client_id]").await;
        let stored = app
            .js(
                "return ['auth','client_id','token_endpoint','device_endpoint','scopes','mechanism']\
                 .map(n => document.querySelector(`[name=mailbox-${n}]`).value).join(' ');",
                vec![],
            )
            .await;
        assert_eq!(
            stored,
            format!("custom {CLIENT_ID} {} {} imap offline_access xoauth2", provider.url("/token"), provider.url("/devicecode")),
            "XOAUTH2 by default"
        );
        assert!(!app.exists("[name=mailbox-password]").await);
        app.wait_until("not signed in yet", || async { app.text_of("[data-testid=sign-in-kept]").await.contains("Not signed in") }).await;

        // Sign in: the code large, the address to open; the provider says "pending" once, then approves.
        app.click("[data-testid=sign-in-mailbox]").await;
        app.wait_for("[data-testid=sign-in-code]").await;
        assert_eq!(app.text_of("[data-testid=sign-in-code]").await, USER_CODE);
        assert_eq!(app.text_of("[data-testid=sign-in-address]").await, provider.url("/device"));
        assert!(app.exists("[data-testid=copy-sign-in-code]").await && app.exists("[data-testid=cancel-sign-in]").await);
        app.wait_for("[data-testid=sign-in-done]").await;
        let done = app.text_of("[data-testid=sign-in-done]").await;
        assert!(done.contains(&format!("Signed in as {USER}")), "{done}");
        assert!(done.contains("this session only"), "no OS keyring here, and the window says so: {done}");
        let polls = provider.seen("/token");
        assert_eq!(polls.len(), 2, "pending once, then the tokens");
        assert!(polls.iter().all(|f| f["grant_type"] == "urn:ietf:params:oauth:grant-type:device_code"));
        no_token_shown(&app).await;

        // The background fetch started with the sign-in: the mail is in the Inbox, read with the
        // access token the sign-in gave (Dovecot asked the provider about exactly that token).
        app.click("[data-testid=nav-inbox]").await;
        app.wait_until("the mail is in the Inbox", || async { app.count("[data-testid=intake-list] tbody tr").await == 1 }).await;
        let introspected = provider.seen("/introspect");
        assert!(!introspected.is_empty(), "Dovecot checked the token");
        assert!(introspected.iter().all(|f| f["token"] == "access-token-1"), "the sign-in's access token: {introspected:?}");

        // Test connection uses it too.
        app.click("[data-testid=nav-mail-settings]").await;
        app.click("[data-testid=test-mailbox]").await;
        app.wait_for("[data-testid=mailbox-test-result]").await;
        assert!(app.text_of("[data-testid=mailbox-test-result]").await.contains("holds 1 messages"));

        // Sign out: the sign-in is gone, the login fails with a clear message.
        app.click("[data-testid=sign-out-mailbox]").await;
        app.wait_until("signed out", || async { app.text_of("[data-testid=sign-in-kept]").await.contains("Not signed in") }).await;
        assert!(!app.exists("[data-testid=sign-out-mailbox]").await);
        app.click("[data-testid=test-mailbox]").await;
        app.wait_for("[data-testid=mailbox-test-error]").await;
        let error = app.text_of("[data-testid=mailbox-test-error]").await;
        assert!(error.contains("sign-in") || error.contains("keyring"), "{error}");
        assert!(!error.contains("access-token-") && !error.contains(DEVICE_REFRESH), "{error}");

        // A declined sign-in says so, and keeps nothing.
        provider.set_declining(true);
        app.click("[data-testid=sign-in-mailbox]").await;
        app.wait_for("[data-testid=sign-in-error]").await;
        let refused = app.text_of("[data-testid=sign-in-error]").await;
        assert!(refused.contains("declined at the provider") && refused.contains("nothing was stored"), "{refused}");
        assert!(app.text_of("[data-testid=sign-in-kept]").await.contains("Not signed in"));
        provider.set_declining(false);

        // A cancelled sign-in keeps nothing, even when the officer approves it afterwards.
        provider.set_holding(true);
        app.click("[data-testid=sign-in-mailbox]").await;
        app.wait_for("[data-testid=sign-in-code]").await;
        app.js("document.querySelector('[data-testid=oauth-sign-in]').scrollIntoView({ block: 'center' });", vec![]).await;
        app.screenshot(workspace_root().join("docs/screenshots/mailbox-sign-in.png")).await;
        app.click("[data-testid=cancel-sign-in]").await;
        app.wait_for("[data-testid=sign-in-cancelled]").await;
        let issued_before =
            provider.seen("/token").iter().filter(|f| f["grant_type"] == "urn:ietf:params:oauth:grant-type:device_code").count();
        provider.set_holding(false);
        app.wait_until("the abandoned sign-in is approved by the provider", || async {
            provider.seen("/token").iter().filter(|f| f["grant_type"] == "urn:ietf:params:oauth:grant-type:device_code").count()
                > issued_before
        })
        .await;
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        assert!(app.exists("[data-testid=sign-in-cancelled]").await, "still cancelled");
        assert!(app.text_of("[data-testid=sign-in-kept]").await.contains("Not signed in"));
        app.click("[data-testid=test-mailbox]").await;
        app.wait_until("the login still fails", || async {
            app.exists("[data-testid=mailbox-test-error]").await && !app.exists("[data-testid=mailbox-test-result]").await
        })
        .await;
        no_token_shown(&app).await;
        app.close().await;
    })
    .await;
}

/// A GET as the officer's browser sends it; the answer.
fn http_get(url: &str) -> String {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://").unwrap();
    let (authority, path) = rest.split_once('/').map_or((rest, "/".to_string()), |(a, p)| (a, format!("/{p}")));
    let mut conn = std::net::TcpStream::connect(authority).unwrap();
    write!(conn, "GET {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n").unwrap();
    let mut answer = String::new();
    conn.read_to_string(&mut answer).unwrap();
    answer
}

/// Google's device flow does not give the Gmail scope, so for Google the window shows the
/// browser sign-in's address instead of a code; the provider sends the browser back to
/// Rightsdesk on 127.0.0.1. (Google's own endpoints are replaced by the test double's, set
/// with the command line before the window opens: the window shows Google's as preset.)
#[tokio::test(flavor = "multi_thread")]
async fn google_signs_in_through_the_browser_and_the_mailbox_is_read_over_oauthbearer() {
    within(async {
        let provider = Idp::start(USER);
        let server = Dovecot::start_oauth2(&provider.url("/introspect"));
        server.append("INBOX", "none", &[("30-Jan-2026 10:00:00 +0100", mail("Löschung meiner Daten", "oauth-g1"))]);
        let sandbox = Sandbox::new().with_now(NOW);
        let port = server.port.to_string();
        let (token, device, authorize) = (provider.url("/token"), provider.url("/devicecode"), provider.url("/authorize"));
        let set = sandbox.cli_json(&[
            "mailbox",
            "set",
            "--host",
            "127.0.0.1",
            "--port",
            &port,
            "--security",
            "none",
            "--username",
            USER,
            "--auth",
            "oauth2",
            "--provider",
            "google",
            "--client-id",
            CLIENT_ID,
            "--token-endpoint",
            &token,
            "--device-endpoint",
            &device,
            "--authorization-endpoint",
            &authorize,
            "--scopes",
            "imap offline_access",
            "--sasl",
            "oauthbearer",
            "--json",
        ]);
        assert_eq!(set["oauth"]["provider"], "google", "{set}");
        let app = App::start(Options::new().now(NOW).sandbox(sandbox).env("TZ", "Europe/Berlin")).await;

        app.click("[data-testid=nav-mail-settings]").await;
        app.wait_for("[name=mailbox-client_id]").await;
        let shown =
            app.js("return ['auth','mechanism'].map(n => document.querySelector(`[name=mailbox-${n}]`).value).join(' ');", vec![]).await;
        assert_eq!(shown, "google oauthbearer");
        assert!(!app.exists("[name=mailbox-tenant]").await, "no tenant for Google");

        app.click("[data-testid=sign-in-mailbox]").await;
        app.wait_for("[data-testid=sign-in-address]").await;
        assert!(!app.exists("[data-testid=sign-in-code]").await, "no code: the browser sign-in");
        let address = app.text_of("[data-testid=sign-in-address]").await;
        assert!(address.starts_with(&format!("{authorize}?")), "{address}");
        let q = oauth_provider::form(address.split_once('?').unwrap().1);
        assert_eq!(q["code_challenge_method"], "S256");
        assert!(q["redirect_uri"].starts_with("http://127.0.0.1:"), "{q:?}");
        let page = http_get(&format!("{}?code=auth-code-1&state={}", q["redirect_uri"], q["state"]));
        assert!(page.contains("Signed in"), "the browser is told: {page}");
        app.wait_for("[data-testid=sign-in-done]").await;
        assert!(app.text_of("[data-testid=sign-in-done]").await.contains(&format!("Signed in as {USER}")));
        no_token_shown(&app).await;

        app.click("[data-testid=nav-inbox]").await;
        app.wait_until("the mail is in the Inbox", || async { app.count("[data-testid=intake-list] tbody tr").await == 1 }).await;
        let introspected = provider.seen("/introspect");
        assert!(!introspected.is_empty() && introspected.iter().all(|f| f["token"] == "access-token-1"), "{introspected:?}");
        app.close().await;
    })
    .await;
}
