//! The mailbox's OAuth 2.0 login (issue 17, item 1) against a real Dovecot whose
//! oauth2 passdb validates tokens with a token-introspection endpoint
//! (`introspection_mode = post`). The providers (Microsoft, Google) cannot be
//! reached from here: a small HTTP server plays one (`tests/imap/oauth_provider.rs`,
//! shared with the app window's test) — it answers Dovecot's introspection
//! (`{"active":true,"username":…}` for a good token, `{"active":false}` otherwise),
//! the token endpoint (refresh and device-code grants) and the device-authorization
//! endpoint.
//!
//! The keyring: the CLI's tests run the real OS keyring (GNOME Keyring on a
//! private D-Bus session, as `tests/cli.rs` does); the core-level tests use the
//! project's in-memory [`MemorySecrets`] (`core/src/secrets.rs`).

mod common;
#[path = "../../../../tests/imap/harness.rs"]
mod imap;
#[path = "../../../../tests/imap/oauth_provider.rs"]
mod oauth_provider;

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Output};

use imap::{Dovecot, USER};
use oauth_provider::{form, mail, Idp, BROWSER_REFRESH, CLIENT_ID, DEVICE_REFRESH, REFRESH, ROTATED, USER_CODE};
use rightsdesk_core::mailbox::fetch;
use rightsdesk_core::mailbox::oauth::{self, Mechanism, OAuthSettings, Provider};
use rightsdesk_core::mailbox::settings::{MailboxSettings, Security};
use rightsdesk_core::secrets::{MemorySecrets, SecretStore};
use serde_json::Value;

const NOW: &str = "2026-02-02T09:00:00Z";
/// `rightsdesk` with no password and no keyring: only what the test gives.
fn cli(db: &Path, args: &[&str]) -> Command {
    let mut c = common::command_without_keyring(db, NOW, args);
    c.env_remove("RIGHTSDESK_IMAP_PASSWORD").env_remove(oauth::ACCESS_TOKEN_ENV).env_remove(oauth::CLIENT_SECRET_ENV);
    c
}

fn ok_json(out: Output, what: &str) -> Value {
    assert!(out.status.success(), "{what} failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

fn set_oauth(db: &Path, server: &Dovecot, provider: &Idp, sasl: &str) -> Value {
    let port = server.port.to_string();
    let (token, device) = (provider.url("/token"), provider.url("/devicecode"));
    let args = [
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
        "custom",
        "--client-id",
        CLIENT_ID,
        "--token-endpoint",
        &token,
        "--device-endpoint",
        &device,
        "--scopes",
        "imap offline_access",
        "--sasl",
        sasl,
        "--json",
    ];
    ok_json(cli(db, &args).output().unwrap(), "mailbox set")
}

#[test]
fn xoauth2_and_oauthbearer_log_in_to_dovecot_and_fetch() {
    let provider = Idp::start(USER);
    let server = Dovecot::start_oauth2(&provider.url("/introspect"));
    server.append("INBOX", "none", &[("20-Jan-2026 10:00:00 +0100", mail("Access request", "o1"))]);
    provider.activate("good-token-for-scripts");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");

    let set = set_oauth(&db, &server, &provider, "xoauth2");
    assert_eq!(set["oauth"]["mechanism"], "xoauth2", "{set}");
    let mut password = cli(&db, &["mailbox", "set", "--password-stdin"])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    password.stdin.take().unwrap().write_all(b"secret\n").unwrap();
    let password = password.wait_with_output().unwrap();
    assert!(!password.status.success(), "a password is refused for an OAuth mailbox");
    assert!(
        String::from_utf8_lossy(&password.stderr).contains("password: this mailbox logs in with OAuth"),
        "{}",
        String::from_utf8_lossy(&password.stderr)
    );
    let shown = cli(&db, &["mailbox", "show"]).output().unwrap();
    assert!(
        String::from_utf8_lossy(&shown.stdout).contains("OAuth 2.0 login (custom, XOAUTH2"),
        "{}",
        String::from_utf8_lossy(&shown.stdout)
    );

    let with_token = |args: &[&str]| cli(&db, args).env(oauth::ACCESS_TOKEN_ENV, "good-token-for-scripts").output().unwrap();
    let check = ok_json(with_token(&["mailbox", "test", "--json"]), "mailbox test");
    assert_eq!(check["messages"], 1, "{check}");
    assert!(check["capabilities"].as_array().unwrap().iter().any(|c| c == "IMAP4rev1"), "{check}");
    let report = ok_json(with_token(&["mailbox", "fetch", "--json"]), "mailbox fetch (XOAUTH2)");
    assert_eq!(report["new_items"], 1, "{report}");
    let introspected = provider.seen("/introspect");
    assert!(!introspected.is_empty() && introspected.iter().all(|f| f["token"] == "good-token-for-scripts"), "Dovecot checked the token");

    set_oauth(&db, &server, &provider, "oauthbearer");
    server.append("INBOX", "none", &[("21-Jan-2026 10:00:00 +0100", mail("Erasure request", "o2"))]);
    let before = provider.seen("/introspect").len();
    let report = ok_json(with_token(&["mailbox", "fetch", "--json"]), "mailbox fetch (OAUTHBEARER)");
    assert_eq!(report["new_items"], 1, "only the new message: {report}");
    assert!(provider.seen("/introspect").len() > before, "the OAUTHBEARER login went through the introspection");
    assert!(provider.seen("/token").is_empty(), "an access token from the environment is used as it is");
}

#[test]
fn a_refused_token_says_to_sign_in_again_and_never_shows_the_token() {
    let provider = Idp::start(USER);
    let server = Dovecot::start_oauth2(&provider.url("/introspect"));
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    for sasl in ["xoauth2", "oauthbearer"] {
        set_oauth(&db, &server, &provider, sasl);
        let out = cli(&db, &["mailbox", "fetch"]).env(oauth::ACCESS_TOKEN_ENV, "expired-token-4711").output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{sasl}: a refused token fails the fetch");
        assert!(err.contains("refused the access token") && err.contains("rightsdesk mailbox login"), "{sasl}: {err}");
        assert!(err.contains(&format!("127.0.0.1:{}", server.port)), "{sasl}: the error names the server: {err}");
        assert!(!err.contains("expired-token-4711") && !err.contains(USER), "{sasl}: no token, no account: {err}");
        assert!(!String::from_utf8_lossy(&out.stdout).contains("expired-token-4711"));
    }
    assert!(
        provider.seen("/introspect").iter().any(|f| f["token"] == "expired-token-4711"),
        "Dovecot asked about the token and was told no"
    );
}

fn core_settings(server: &Dovecot, provider: &Idp, mechanism: Mechanism) -> MailboxSettings {
    MailboxSettings {
        host: "127.0.0.1".into(),
        port: server.port,
        security: Security::None,
        username: Some(USER.into()),
        oauth: Some(OAuthSettings {
            provider: Provider::Custom,
            client_id: CLIENT_ID.into(),
            token_endpoint: Some(provider.url("/token")),
            device_endpoint: Some(provider.url("/devicecode")),
            scopes: Some("imap offline_access".into()),
            mechanism,
            ..OAuthSettings::default()
        }),
        ..MailboxSettings::default()
    }
    .validated()
    .unwrap()
}

#[test]
fn the_access_token_is_refreshed_from_the_keyring_and_a_rotated_refresh_token_kept() {
    assert!(std::env::var(oauth::ACCESS_TOKEN_ENV).is_err(), "this test refreshes; it must not run with {}", oauth::ACCESS_TOKEN_ENV);
    let provider = Idp::start(USER);
    let server = Dovecot::start_oauth2(&provider.url("/introspect"));
    server.append("INBOX", "none", &[("20-Jan-2026 10:00:00 +0100", mail("Access request", "r1"))]);
    let settings = core_settings(&server, &provider, Mechanism::Oauthbearer);

    // Nothing stored yet: a clear message, nothing asked of the provider.
    let keyring = MemorySecrets::default();
    let e = fetch::test(&settings, &keyring).unwrap_err().to_string();
    assert!(e.contains("rightsdesk mailbox login"), "{e}");
    assert!(provider.seen("/token").is_empty());

    keyring.set(&oauth::refresh_token_name(&settings), REFRESH).unwrap();
    let check = fetch::test(&settings, &keyring).unwrap();
    assert_eq!(check.messages, 1);
    let refreshes = provider.seen("/token");
    assert_eq!(refreshes.len(), 1, "one refresh");
    assert_eq!((refreshes[0]["grant_type"].as_str(), refreshes[0]["refresh_token"].as_str()), ("refresh_token", REFRESH));
    assert_eq!(refreshes[0]["client_id"], CLIENT_ID);
    assert_eq!(refreshes[0]["scope"], "imap offline_access");
    assert_eq!(
        keyring.get(&oauth::refresh_token_name(&settings)).unwrap().as_deref(),
        Some(ROTATED),
        "the rotated token replaces the old one"
    );

    // The access token is kept in memory: a second login asks the provider nothing.
    fetch::test(&settings, &keyring).unwrap();
    assert_eq!(provider.seen("/token").len(), 1, "the cached access token is used");

    // A revoked sign-in (in another process: no cache) says what to do, without the provider's text.
    // (`localhost`: another keyring entry and cache key for the same server.)
    let elsewhere = MailboxSettings { host: "localhost".into(), ..settings.clone() };
    let revoked = MemorySecrets::default();
    revoked.set(&oauth::refresh_token_name(&elsewhere), "revoked-refresh-token").unwrap();
    let e = fetch::test(&elsewhere, &revoked).unwrap_err().to_string();
    assert!(e.contains("invalid_grant") && e.contains("rightsdesk mailbox login"), "{e}");
    assert!(!e.contains("revoked-refresh-token") && !e.contains(USER) && !e.contains("AADSTS"), "{e}");
}

#[test]
fn the_device_code_flow_shows_the_code_waits_and_stores_the_refresh_token() {
    let provider = Idp::start(USER);
    let server = Dovecot::start_oauth2(&provider.url("/introspect"));
    let settings = core_settings(&server, &provider, Mechanism::Xoauth2);
    let keyring = MemorySecrets::default();
    let mut shown = Vec::new();
    let signed_in = oauth::device_login(&settings, &keyring, &mut |code| shown.push(code.clone())).unwrap();
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].user_code, USER_CODE);
    assert_eq!(shown[0].verification_uri, provider.url("/device"));
    assert_eq!(signed_in.keyring_entry, oauth::refresh_token_name(&settings));
    assert_eq!(keyring.get(&signed_in.keyring_entry).unwrap().as_deref(), Some(DEVICE_REFRESH), "the refresh token is in the keyring");
    let polls: Vec<_> = provider.seen("/token");
    assert_eq!(polls.len(), 2, "pending once, then the tokens");
    assert!(polls.iter().all(|f| f["grant_type"] == "urn:ietf:params:oauth:grant-type:device_code" && f["device_code"] == "device-code-1"));
    let asked = provider.seen("/devicecode");
    assert_eq!((asked[0]["client_id"].as_str(), asked[0]["scope"].as_str()), (CLIENT_ID, "imap offline_access"));
    // The access token the sign-in gave logs in.
    assert_eq!(fetch::test(&settings, &keyring).unwrap().messages, 0);
}

/// The whole path with the real OS keyring (GNOME Keyring on a private session bus):
/// `mailbox login` prints the URL and the code, waits, keeps the refresh token in the
/// keyring; a later `mailbox fetch` (another process) refreshes from it and logs in.
#[test]
fn login_then_fetch_through_the_os_keyring() {
    let provider = Idp::start(USER);
    let server = Dovecot::start_oauth2(&provider.url("/introspect"));
    server.append("INBOX", "none", &[("20-Jan-2026 10:00:00 +0100", mail("Access request", "k1"))]);
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let db = home.join("r.sqlite3");
    set_oauth(&db, &server, &provider, "xoauth2");
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::create_dir(home.join("run")).unwrap();
        std::fs::set_permissions(home.join("run"), std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    let script = "set -e
        printf %s 'keyring test password' | gnome-keyring-daemon --unlock --components=secrets >/dev/null
        \"$RD\" mailbox login
        echo ---
        \"$RD\" mailbox fetch --json";
    let mut c = cli(&db, &[]);
    c.program_for_session(home, script);
    let out = c.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    let (login, fetched) = stdout.split_once("---").unwrap();
    assert!(login.contains(&provider.url("/device")) && login.contains(USER_CODE), "the URL and the code are shown: {login}");
    assert!(login.contains("signed in") && !login.contains(DEVICE_REFRESH) && !login.contains("access-token-"), "{login}");
    let report: Value = serde_json::from_str(fetched.trim()).unwrap();
    assert_eq!(report["new_items"], 1, "{report}");
    let grants: Vec<String> = provider.seen("/token").iter().map(|f| f["grant_type"].clone()).collect();
    assert_eq!(grants.last().map(String::as_str), Some("refresh_token"), "the fetch refreshed from the keyring: {grants:?}");
    assert_eq!(provider.seen("/token").last().unwrap()["refresh_token"], DEVICE_REFRESH);

    // Outside that session there is no keyring: the fetch says so, and files nothing.
    let out = cli(&db, &["mailbox", "fetch"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("keyring"), "{}", String::from_utf8_lossy(&out.stderr));
}

trait SessionCommand {
    fn program_for_session(&mut self, home: &Path, script: &str);
}

impl SessionCommand for Command {
    /// Turns `rightsdesk …` into `dbus-run-session -- bash -c SCRIPT` with `$RD` the binary and a private home.
    fn program_for_session(&mut self, home: &Path, script: &str) {
        let envs: Vec<(std::ffi::OsString, Option<std::ffi::OsString>)> =
            self.get_envs().map(|(k, v)| (k.to_os_string(), v.map(|v| v.to_os_string()))).collect();
        let mut c = Command::new("dbus-run-session");
        c.args(["--", "bash", "-c", script]).env("RD", env!("CARGO_BIN_EXE_rightsdesk"));
        for (k, v) in envs {
            match v {
                Some(v) => c.env(k, v),
                None => c.env_remove(k),
            };
        }
        c.env("HOME", home)
            .env("XDG_RUNTIME_DIR", home.join("run"))
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_CONFIG_HOME", home.join("config"));
        *self = c;
    }
}

/// A GET as a browser sends it; the answer's body.
fn http_get(url: &str) -> String {
    let rest = url.strip_prefix("http://").unwrap();
    let (authority, path) = rest.split_once('/').map_or((rest, "/".to_string()), |(a, p)| (a, format!("/{p}")));
    let mut conn = std::net::TcpStream::connect(authority).unwrap();
    write!(conn, "GET {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n").unwrap();
    let mut answer = String::new();
    conn.read_to_string(&mut answer).unwrap();
    answer
}

/// The same GET sent in two pieces with a pause between, cut inside the request line (as a
/// browser or a proxy may send it): the redirect must still be read whole.
fn http_get_in_pieces(url: &str) -> String {
    let rest = url.strip_prefix("http://").unwrap();
    let (authority, path) = rest.split_once('/').map_or((rest, "/".to_string()), |(a, p)| (a, format!("/{p}")));
    let request = format!("GET {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n");
    let (first, second) = request.split_at(path.len() / 2 + 4);
    let mut conn = std::net::TcpStream::connect(authority).unwrap();
    conn.set_nodelay(true).unwrap();
    conn.write_all(first.as_bytes()).unwrap();
    conn.flush().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    conn.write_all(second.as_bytes()).unwrap();
    let mut answer = String::new();
    conn.read_to_string(&mut answer).unwrap();
    answer
}

/// base64url(SHA-256(verifier)), by Python's hashlib (the CLI's tests have no SHA-256 of their own).
fn s256(verifier: &str) -> String {
    let out = Command::new("/usr/bin/python3")
        .args(["-c", "import base64,hashlib,sys; print(base64.urlsafe_b64encode(hashlib.sha256(sys.argv[1].encode()).digest()).decode().rstrip('='))", verifier])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[test]
fn the_browser_sign_in_comes_back_to_rightsdesk_with_pkce_and_stores_the_refresh_token() {
    let provider = Idp::start(USER);
    let server = Dovecot::start_oauth2(&provider.url("/introspect"));
    let mut settings = core_settings(&server, &provider, Mechanism::Oauthbearer);
    settings.oauth.as_mut().unwrap().authorization_endpoint = Some(provider.url("/authorize"));
    let keyring = MemorySecrets::default();
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    // The officer's browser: the provider sends it back to Rightsdesk's loopback address with a code.
    let browser = std::thread::spawn(move || {
        let url = rx.recv().unwrap();
        let q = form(url.split_once('?').unwrap().1);
        let stray = http_get(&format!("{}favicon.ico", q["redirect_uri"]));
        let page = http_get_in_pieces(&format!("{}?code=auth-code-1&state={}", q["redirect_uri"], q["state"]));
        (url, q, stray, page)
    });
    let signed_in = oauth::browser_login(&settings, &keyring, &mut |url| tx.send(url.to_string()).unwrap()).unwrap();
    let (url, q, stray, page) = browser.join().unwrap();
    assert!(url.starts_with(&format!("{}?", provider.url("/authorize"))), "{url}");
    assert_eq!((q["response_type"].as_str(), q["client_id"].as_str(), q["scope"].as_str()), ("code", CLIENT_ID, "imap offline_access"));
    assert!(q["redirect_uri"].starts_with("http://127.0.0.1:"), "a loopback redirect: {q:?}");
    assert_eq!(q["code_challenge_method"], "S256");
    assert!(stray.starts_with("HTTP/1.1 404"), "a request without the state is not taken for the sign-in: {stray}");
    assert!(page.contains("Signed in"), "the browser is told it worked: {page}");

    let exchanged = provider.seen("/token");
    assert_eq!(exchanged.len(), 1);
    let t = &exchanged[0];
    assert_eq!((t["grant_type"].as_str(), t["code"].as_str()), ("authorization_code", "auth-code-1"));
    assert_eq!(t["redirect_uri"], q["redirect_uri"], "the same redirect as in the authorization request");
    assert_eq!(s256(&t["code_verifier"]), q["code_challenge"], "the verifier matches the challenge (PKCE S256)");
    assert_eq!(keyring.get(&signed_in.keyring_entry).unwrap().as_deref(), Some(BROWSER_REFRESH), "the refresh token is in the keyring");
    assert_eq!(fetch::test(&settings, &keyring).unwrap().messages, 0, "and the sign-in logs in (OAUTHBEARER)");
}
