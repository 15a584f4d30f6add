//! OAuth 2.0 for mailboxes that take no password any more (Microsoft 365,
//! Google Workspace): the IMAP login is `AUTHENTICATE XOAUTH2` or
//! `AUTHENTICATE OAUTHBEARER` (RFC 7628) with an access token.
//!
//! - The **refresh token** lives in the OS keyring (a [`SecretStore`]), never in
//!   the database, a log or an error message. `rightsdesk mailbox login` puts it
//!   there through the provider's device-code flow (RFC 8628: a URL and a code
//!   shown to the officer, the token endpoint polled), or takes one obtained
//!   elsewhere (`--refresh-token-stdin`).
//! - The **access token** is obtained by refreshing (an HTTP POST to the token
//!   endpoint, hyper over rustls) and cached in this process's memory only, until
//!   shortly before it expires. `RIGHTSDESK_IMAP_ACCESS_TOKEN` gives one directly
//!   (scripts, tests).
//! - A token endpoint must be `https://` (plain `http://` only on this machine).
//!
//! The providers' endpoints and IMAP scopes are preset; `custom` names its own.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use zeroize::Zeroizing;

use super::settings::MailboxSettings;
use crate::error::{Error, Result};
use crate::secrets::{SecretError, SecretStore};
use crate::settings::mail::is_local_host;

/// An access token for scripts and tests: used as it is, nothing refreshed.
pub const ACCESS_TOKEN_ENV: &str = "RIGHTSDESK_IMAP_ACCESS_TOKEN";
/// The OAuth client's secret, where the provider wants one (Google's installed apps).
pub const CLIENT_SECRET_ENV: &str = "RIGHTSDESK_OAUTH_CLIENT_SECRET";

/// How long one call to a token endpoint may take.
const HTTP_TIMEOUT: Duration = Duration::from_secs(30);
/// An access token is refreshed this long before the provider says it expires.
const EXPIRY_MARGIN: Duration = Duration::from_secs(120);
/// The largest answer read from a token endpoint.
const MAX_ANSWER: usize = 256 * 1024;

/// Who issues the tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    /// Microsoft 365 / Exchange Online (Microsoft Entra ID).
    #[default]
    Microsoft,
    /// Google Workspace / Gmail.
    Google,
    /// Any other OAuth 2.0 server: the token and device-authorization endpoints are given.
    Custom,
}

impl Provider {
    pub fn parse(s: &str) -> Result<Provider> {
        match s {
            "microsoft" => Ok(Provider::Microsoft),
            "google" => Ok(Provider::Google),
            "custom" => Ok(Provider::Custom),
            _ => Err(Error::invalid("provider", "is one of: microsoft, google, custom")),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Microsoft => "microsoft",
            Provider::Google => "google",
            Provider::Custom => "custom",
        }
    }
}

/// The SASL mechanism the token is presented with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum Mechanism {
    /// `XOAUTH2`, what Microsoft and Google document for IMAP.
    #[default]
    Xoauth2,
    /// `OAUTHBEARER` (RFC 7628).
    Oauthbearer,
}

impl Mechanism {
    pub fn parse(s: &str) -> Result<Mechanism> {
        match s.to_ascii_lowercase().as_str() {
            "xoauth2" => Ok(Mechanism::Xoauth2),
            "oauthbearer" => Ok(Mechanism::Oauthbearer),
            _ => Err(Error::invalid("sasl", "is one of: xoauth2, oauthbearer")),
        }
    }

    /// The name in `AUTHENTICATE <name>`.
    pub fn name(self) -> &'static str {
        match self {
            Mechanism::Xoauth2 => "XOAUTH2",
            Mechanism::Oauthbearer => "OAUTHBEARER",
        }
    }
}

/// The OAuth side of the mailbox settings (no token, no secret: those are in the keyring).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct OAuthSettings {
    pub provider: Provider,
    /// Microsoft: the directory (tenant) ID or domain; empty: `organizations` (any work account).
    pub tenant: String,
    /// The application (client) ID of the app registration.
    pub client_id: String,
    /// The token endpoint; none: the provider's.
    pub token_endpoint: Option<String>,
    /// The device-authorization endpoint; none: the provider's.
    pub device_endpoint: Option<String>,
    /// The scopes asked for, separated by spaces; none: the provider's IMAP scope.
    pub scopes: Option<String>,
    pub mechanism: Mechanism,
    /// The authorization endpoint of the browser sign-in; none: the provider's.
    #[cfg_attr(feature = "specta", specta(optional))]
    pub authorization_endpoint: Option<String>,
}

/// A URL Rightsdesk may send a token request to: `https://`, or `http://` to this machine.
fn endpoint(field: &'static str, url: &str) -> Result<String> {
    let url = url.trim();
    let bad = || Error::invalid(field, "is an https:// URL (http:// only for a server on this machine)");
    let uri: hyper::Uri = url.parse().map_err(|_| bad())?;
    let host = uri.host().ok_or_else(bad)?;
    match uri.scheme_str() {
        Some("https") => Ok(url.to_string()),
        Some("http") if is_local_host(host) => Ok(url.to_string()),
        _ => Err(bad()),
    }
}

impl OAuthSettings {
    /// Names the first field that is wrong; trims what was typed.
    pub fn validated(mut self) -> Result<OAuthSettings> {
        let trim_opt = |o: Option<String>| o.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        self.tenant = self.tenant.trim().to_string();
        self.client_id = self.client_id.trim().to_string();
        self.token_endpoint = trim_opt(self.token_endpoint);
        self.device_endpoint = trim_opt(self.device_endpoint);
        self.authorization_endpoint = trim_opt(self.authorization_endpoint);
        self.scopes = trim_opt(self.scopes).map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "));
        if self.client_id.is_empty() || self.client_id.len() > 200 || !self.client_id.chars().all(|c| c.is_ascii_graphic()) {
            return Err(Error::invalid("client_id", "is required: the application (client) ID of the app registration"));
        }
        if self.tenant.len() > 200 || !self.tenant.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.') {
            return Err(Error::invalid("tenant", "is a directory (tenant) ID or domain, e.g. contoso.onmicrosoft.com"));
        }
        if self.provider == Provider::Custom && (self.token_endpoint.is_none() || self.device_endpoint.is_none()) {
            return Err(Error::invalid(
                "token_endpoint",
                "a custom provider needs its token endpoint and its device-authorization endpoint",
            ));
        }
        if let Some(u) = &self.token_endpoint {
            self.token_endpoint = Some(endpoint("token_endpoint", u)?);
        }
        if let Some(u) = &self.device_endpoint {
            self.device_endpoint = Some(endpoint("device_endpoint", u)?);
        }
        if let Some(u) = &self.authorization_endpoint {
            self.authorization_endpoint = Some(endpoint("authorization_endpoint", u)?);
        }
        if self.scopes.as_ref().is_some_and(|s| !s.chars().all(|c| c.is_ascii_graphic() || c == ' ')) {
            return Err(Error::invalid("scopes", "are scope names separated by spaces"));
        }
        if self.provider == Provider::Custom && self.scopes.is_none() {
            return Err(Error::invalid("scopes", "a custom provider needs the scopes its IMAP server expects"));
        }
        Ok(self)
    }

    fn tenant_or_default(&self) -> &str {
        if self.tenant.is_empty() {
            "organizations"
        } else {
            &self.tenant
        }
    }

    /// The token endpoint used.
    pub fn token_url(&self) -> String {
        match (&self.token_endpoint, self.provider) {
            (Some(u), _) => u.clone(),
            (None, Provider::Microsoft) => format!("https://login.microsoftonline.com/{}/oauth2/v2.0/token", self.tenant_or_default()),
            (None, Provider::Google) => "https://oauth2.googleapis.com/token".into(),
            (None, Provider::Custom) => String::new(),
        }
    }

    /// The device-authorization endpoint used.
    pub fn device_url(&self) -> String {
        match (&self.device_endpoint, self.provider) {
            (Some(u), _) => u.clone(),
            (None, Provider::Microsoft) => format!("https://login.microsoftonline.com/{}/oauth2/v2.0/devicecode", self.tenant_or_default()),
            (None, Provider::Google) => "https://oauth2.googleapis.com/device/code".into(),
            (None, Provider::Custom) => String::new(),
        }
    }

    /// The authorization endpoint of the browser sign-in (empty for a custom provider without one).
    pub fn authorization_url(&self) -> String {
        match (&self.authorization_endpoint, self.provider) {
            (Some(u), _) => u.clone(),
            (None, Provider::Microsoft) => format!("https://login.microsoftonline.com/{}/oauth2/v2.0/authorize", self.tenant_or_default()),
            (None, Provider::Google) => "https://accounts.google.com/o/oauth2/v2/auth".into(),
            (None, Provider::Custom) => String::new(),
        }
    }

    /// The scopes asked for.
    pub fn scope(&self) -> String {
        match (&self.scopes, self.provider) {
            (Some(s), _) => s.clone(),
            (None, Provider::Microsoft) => "https://outlook.office.com/IMAP.AccessAsUser.All offline_access".into(),
            (None, Provider::Google) => "https://mail.google.com/".into(),
            (None, Provider::Custom) => String::new(),
        }
    }
}

/// The keyring entry that holds the account's refresh token.
pub fn refresh_token_name(settings: &MailboxSettings) -> String {
    format!("imap-oauth-refresh:{}@{}:{}", settings.username.as_deref().unwrap_or(""), settings.host, settings.port)
}

/// The keyring entry that holds an OAuth client's secret.
pub fn client_secret_name(oauth: &OAuthSettings) -> String {
    format!("imap-oauth-client-secret:{}", oauth.client_id)
}

/// The OAuth settings, or an error saying the mailbox logs in with a password.
pub fn require(settings: &MailboxSettings) -> Result<&OAuthSettings> {
    settings.oauth.as_ref().ok_or_else(|| {
        Error::invalid("auth", "this mailbox logs in with a password; set `mailbox set --auth oauth2 --provider P --client-id C` first")
    })
}

fn keyring_error(field: &'static str, e: SecretError, hint: &str) -> Error {
    match e {
        SecretError::Unavailable(why) => Error::invalid(field, format!("no OS keyring is reachable ({why}); {hint}")),
        SecretError::Failed(why) => Error::invalid(field, format!("the OS keyring refused it ({why}); {hint}")),
    }
}

/// Keeps the client secret in the OS keyring.
pub fn store_client_secret(oauth: &OAuthSettings, secret: &str, keyring: &dyn SecretStore) -> Result<()> {
    keyring
        .set(&client_secret_name(oauth), secret.trim())
        .map_err(|e| keyring_error("client_secret", e, &format!("set {CLIENT_SECRET_ENV} instead")))
}

fn client_secret(oauth: &OAuthSettings, keyring: &dyn SecretStore) -> Option<Zeroizing<String>> {
    if let Some(s) = std::env::var(CLIENT_SECRET_ENV).ok().filter(|s| !s.is_empty()) {
        return Some(Zeroizing::new(s));
    }
    keyring.get(&client_secret_name(oauth)).ok().flatten().filter(|s| !s.is_empty()).map(Zeroizing::new)
}

// ---------------------------------------------------------------------------
// The access token, cached in memory.

type Cache = Mutex<HashMap<String, (Zeroizing<String>, Instant)>>;

fn cache() -> &'static Cache {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    CACHE.get_or_init(Cache::default)
}

fn cached(name: &str) -> Option<Zeroizing<String>> {
    let mut map = cache().lock().unwrap_or_else(|p| p.into_inner());
    match map.get(name) {
        Some((token, until)) if Instant::now() < *until => Some(token.clone()),
        Some(_) => {
            map.remove(name);
            None
        }
        None => None,
    }
}

fn remember(name: &str, token: &str, expires_in: Option<u64>) {
    let life = Duration::from_secs(expires_in.unwrap_or(3600)).saturating_sub(EXPIRY_MARGIN);
    if life.is_zero() {
        return;
    }
    cache().lock().unwrap_or_else(|p| p.into_inner()).insert(name.to_string(), (Zeroizing::new(token.to_string()), Instant::now() + life));
}

/// Forgets the cached access token (the server refused it).
pub fn forget(settings: &MailboxSettings) {
    cache().lock().unwrap_or_else(|p| p.into_inner()).remove(&refresh_token_name(settings));
}

/// What the IMAP login presents.
pub(crate) enum Credential {
    Password(Zeroizing<String>),
    Token(Zeroizing<String>),
}

/// The password (`settings.oauth` is none) or the access token.
pub(crate) async fn credential(settings: &MailboxSettings, keyring: &dyn SecretStore) -> Result<Credential> {
    match settings.oauth {
        None => Ok(Credential::Password(super::settings::resolve_password(settings, keyring)?)),
        Some(_) => Ok(Credential::Token(access_token(settings, keyring).await?)),
    }
}

/// The access token for the login: `RIGHTSDESK_IMAP_ACCESS_TOKEN`, the cached one, or a new one
/// refreshed with the keyring's refresh token (a rotated refresh token is kept in its place).
pub(crate) async fn access_token(settings: &MailboxSettings, keyring: &dyn SecretStore) -> Result<Zeroizing<String>> {
    if let Some(t) = std::env::var(ACCESS_TOKEN_ENV).ok().filter(|t| !t.is_empty()) {
        return Ok(Zeroizing::new(t));
    }
    let oauth = require(settings)?;
    let name = refresh_token_name(settings);
    if let Some(t) = cached(&name) {
        return Ok(t);
    }
    let refresh = match keyring.get(&name) {
        Ok(Some(t)) if !t.is_empty() => Zeroizing::new(t),
        Ok(_) => {
            return Err(Error::invalid(
                "oauth",
                "no sign-in is stored for this mailbox; sign in (Mail settings → Sign in… in the app, or `rightsdesk mailbox login`)",
            ));
        }
        Err(e) => return Err(keyring_error("oauth", e, &format!("set {ACCESS_TOKEN_ENV} instead"))),
    };
    let secret = client_secret(oauth, keyring);
    let mut form = vec![("grant_type", "refresh_token"), ("client_id", oauth.client_id.as_str()), ("refresh_token", refresh.as_str())];
    let scope = oauth.scope();
    if !scope.is_empty() {
        form.push(("scope", scope.as_str()));
    }
    if let Some(s) = &secret {
        form.push(("client_secret", s.as_str()));
    }
    let answer = post_form(settings, &oauth.token_url(), &form).await?;
    let tokens = match answer {
        Answer::Ok(v) => Tokens::from(&v)?,
        Answer::Error(code) if code == "invalid_grant" => {
            return Err(Error::invalid(
                "oauth",
                "the provider no longer accepts the stored sign-in (invalid_grant: expired or revoked); sign in again (Mail settings → Sign in… in the app, or `rightsdesk mailbox login`)",
            ));
        }
        Answer::Error(code) => return Err(Error::invalid("oauth", format!("the token endpoint refused to refresh the sign-in ({code})"))),
    };
    if let Some(rotated) = &tokens.refresh_token {
        if rotated.as_str() != refresh.as_str() {
            if let Err(e) = keyring.set(&name, rotated) {
                tracing::warn!(error = %e, "the rotated OAuth refresh token could not be kept in the keyring");
            }
        }
    }
    remember(&name, &tokens.access_token, tokens.expires_in);
    tracing::info!("mailbox access token refreshed");
    Ok(tokens.access_token)
}

struct Tokens {
    access_token: Zeroizing<String>,
    refresh_token: Option<Zeroizing<String>>,
    expires_in: Option<u64>,
}

impl Tokens {
    fn from(v: &Value) -> Result<Tokens> {
        let access_token = v["access_token"]
            .as_str()
            .filter(|t| !t.is_empty())
            .ok_or_else(|| Error::invalid("oauth", "the token endpoint's answer has no access_token"))?;
        Ok(Tokens {
            access_token: Zeroizing::new(access_token.to_string()),
            refresh_token: v["refresh_token"].as_str().filter(|t| !t.is_empty()).map(|t| Zeroizing::new(t.to_string())),
            expires_in: number(&v["expires_in"]),
        })
    }
}

/// A JSON number, or a number in a string (some providers send `"3599"`).
fn number(v: &Value) -> Option<u64> {
    v.as_u64().or_else(|| v.as_str().and_then(|s| s.parse().ok()))
}

// ---------------------------------------------------------------------------
// The device-code flow (RFC 8628).

/// What the officer is shown to sign in on another device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DeviceCode {
    /// The page to open (`verification_uri`; Google says `verification_url`).
    pub verification_uri: String,
    /// The code to type there.
    pub user_code: String,
    /// Seconds until the code expires.
    pub expires_in: u64,
}

/// What a completed sign-in gives (no token: it is in the keyring).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SignedIn {
    /// The keyring entry that now holds the refresh token.
    pub keyring_entry: String,
}

fn store_refresh(settings: &MailboxSettings, keyring: &dyn SecretStore, tokens: &Tokens) -> Result<SignedIn> {
    let Some(refresh) = &tokens.refresh_token else {
        return Err(Error::invalid(
            "oauth",
            "the provider gave no refresh token; the scopes need `offline_access` (Microsoft) or the app must be allowed offline access",
        ));
    };
    let name = refresh_token_name(settings);
    keyring
        .set(&name, refresh)
        .map_err(|e| keyring_error("oauth", e, "the sign-in cannot be kept; run where the OS keyring is available"))?;
    remember(&name, &tokens.access_token, tokens.expires_in);
    Ok(SignedIn { keyring_entry: name })
}

/// Signs in with the device-code flow: asks the provider for a code, calls `show` with what
/// the officer must open and type, polls the token endpoint until the sign-in is done,
/// declined or expired, and keeps the refresh token in the keyring.
pub fn device_login(settings: &MailboxSettings, keyring: &dyn SecretStore, show: &mut dyn FnMut(&DeviceCode)) -> Result<SignedIn> {
    let oauth = require(settings)?;
    runtime()?.block_on(async {
        let secret = client_secret(oauth, keyring);
        let scope = oauth.scope();
        let mut form = vec![("client_id", oauth.client_id.as_str()), ("scope", scope.as_str())];
        if let Some(s) = &secret {
            form.push(("client_secret", s.as_str()));
        }
        let v = match post_form(settings, &oauth.device_url(), &form).await? {
            Answer::Ok(v) => v,
            Answer::Error(code) => {
                return Err(Error::invalid("oauth", format!("the provider refused to start a device sign-in ({code}); check the client ID, the tenant and that public client flows are allowed")));
            }
        };
        let device_code = Zeroizing::new(
            v["device_code"].as_str().ok_or_else(|| Error::invalid("oauth", "the device-authorization answer has no device_code"))?.to_string(),
        );
        let code = DeviceCode {
            verification_uri: v["verification_uri"]
                .as_str()
                .or_else(|| v["verification_url"].as_str())
                .ok_or_else(|| Error::invalid("oauth", "the device-authorization answer has no verification_uri"))?
                .to_string(),
            user_code: v["user_code"].as_str().ok_or_else(|| Error::invalid("oauth", "the device-authorization answer has no user_code"))?.to_string(),
            expires_in: number(&v["expires_in"]).unwrap_or(900),
        };
        let mut interval = Duration::from_secs(number(&v["interval"]).unwrap_or(5).clamp(1, 60));
        show(&code);
        let deadline = Instant::now() + Duration::from_secs(code.expires_in);
        loop {
            tokio::time::sleep(interval).await;
            if Instant::now() > deadline {
                return Err(Error::invalid("oauth", "the code expired before the sign-in was completed; sign in again (Mail settings → Sign in… in the app, or `rightsdesk mailbox login`)"));
            }
            let mut form = vec![
                ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
                ("client_id", oauth.client_id.as_str()),
                ("device_code", device_code.as_str()),
            ];
            if let Some(s) = &secret {
                form.push(("client_secret", s.as_str()));
            }
            match post_form(settings, &oauth.token_url(), &form).await? {
                Answer::Ok(v) => {
                    let signed_in = store_refresh(settings, keyring, &Tokens::from(&v)?)?;
                    tracing::info!("mailbox signed in with the device-code flow");
                    return Ok(signed_in);
                }
                Answer::Error(code) => match code.as_str() {
                    "authorization_pending" => {}
                    "slow_down" => interval += Duration::from_secs(5),
                    "access_denied" | "authorization_declined" => {
                        return Err(Error::invalid("oauth", "the sign-in was declined; nothing was stored"));
                    }
                    "expired_token" | "code_expired" => {
                        return Err(Error::invalid("oauth", "the code expired before the sign-in was completed; sign in again (Mail settings → Sign in… in the app, or `rightsdesk mailbox login`)"));
                    }
                    other => return Err(Error::invalid("oauth", format!("the token endpoint refused the sign-in ({other}); nothing was stored"))),
                },
            }
        }
    })
}

/// Base64url without padding (RFC 4648 §5), for PKCE.
fn base64url(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

fn random_text(bytes: usize) -> Result<Zeroizing<String>> {
    let mut b = Zeroizing::new(vec![0u8; bytes]);
    getrandom::fill(&mut b).map_err(|e| Error::Internal(format!("no randomness: {e}")))?;
    Ok(Zeroizing::new(base64url(&b)))
}

/// How long the browser sign-in waits for the provider to send the officer back.
const BROWSER_WAIT: Duration = Duration::from_secs(600);

/// Signs in through the browser (OAuth 2.0 authorization code with PKCE, RFC 7636, and a
/// loopback redirect, RFC 8252): what Google allows for the Gmail scope, which its device
/// flow does not. `show` gets the address to open; Rightsdesk listens on 127.0.0.1 for the
/// provider's redirect, exchanges the code and keeps the refresh token in the keyring.
pub fn browser_login(settings: &MailboxSettings, keyring: &dyn SecretStore, show: &mut dyn FnMut(&str)) -> Result<SignedIn> {
    let oauth = require(settings)?;
    let authorize = oauth.authorization_url();
    if authorize.is_empty() {
        return Err(Error::invalid("authorization_endpoint", "a custom provider needs its authorization endpoint for the browser sign-in"));
    }
    runtime()?.block_on(async {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await.map_err(|e| Error::Internal(format!("no local port: {e}")))?;
        let port = listener.local_addr().map_err(|e| Error::Internal(e.to_string()))?.port();
        // Microsoft matches a registered `http://localhost` on any port; Google prescribes the loopback IP.
        let redirect =
            if oauth.provider == Provider::Microsoft { format!("http://localhost:{port}/") } else { format!("http://127.0.0.1:{port}/") };
        let state = random_text(16)?;
        let verifier = random_text(32)?;
        let challenge = {
            use sha2::Digest;
            base64url(&sha2::Sha256::digest(verifier.as_bytes()))
        };
        let scope = oauth.scope();
        let mut query = form_urlencoded::Serializer::new(String::new());
        query.extend_pairs([
            ("response_type", "code"),
            ("client_id", oauth.client_id.as_str()),
            ("redirect_uri", redirect.as_str()),
            ("scope", scope.as_str()),
            ("state", state.as_str()),
            ("code_challenge", challenge.as_str()),
            ("code_challenge_method", "S256"),
        ]);
        if oauth.provider == Provider::Google {
            // Without these Google gives no refresh token on a repeated sign-in.
            query.extend_pairs([("access_type", "offline"), ("prompt", "consent")]);
        }
        let separator = if authorize.contains('?') { '&' } else { '?' };
        show(&format!("{authorize}{separator}{}", query.finish()));
        let deadline = tokio::time::Instant::now() + BROWSER_WAIT;
        let code = loop {
            let accepted = tokio::time::timeout_at(deadline, listener.accept())
                .await
                .map_err(|_| Error::invalid("oauth", "no sign-in came back from the browser in time; sign in again (Mail settings → Sign in… in the app, or `rightsdesk mailbox login`)"))?;
            let Ok((mut conn, _)) = accepted else { continue };
            // The request line may come in several pieces (a browser or a proxy may split it):
            // read up to the end of the headers before judging it, or a split redirect would be
            // taken for a stray request and answered 404.
            let mut buf = vec![0u8; 8192];
            let mut n = 0;
            let read_head = async {
                while n < buf.len() && !buf[..n].windows(4).any(|w| w == b"\r\n\r\n") {
                    match conn.read(&mut buf[n..]).await {
                        Ok(0) | Err(_) => break,
                        Ok(got) => n += got,
                    }
                }
            };
            if tokio::time::timeout(Duration::from_secs(10), read_head).await.is_err() || n == 0 {
                continue;
            }
            let request = String::from_utf8_lossy(&buf[..n]).to_string();
            let target = request.split_whitespace().nth(1).unwrap_or("");
            let params: HashMap<String, String> =
                form_urlencoded::parse(target.split_once('?').map_or("", |(_, q)| q).as_bytes()).into_owned().collect();
            if params.get("state").map(String::as_str) != Some(state.as_str()) {
                // Not the provider's redirect (a favicon, a stray request): keep waiting.
                let _ = conn.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").await;
                continue;
            }
            let (page, outcome) = match (params.get("code"), params.get("error")) {
                (Some(code), _) => ("Signed in. You can close this window and return to Rightsdesk.", Ok(Zeroizing::new(code.clone()))),
                (None, Some(e)) => {
                    let e: String = e.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').take(60).collect();
                    ("The sign-in did not complete. You can close this window.", Err(Error::invalid("oauth", format!("the sign-in was not completed ({e}); nothing was stored"))))
                }
                (None, None) => ("The sign-in did not complete. You can close this window.", Err(Error::invalid("oauth", "the provider sent no code; nothing was stored"))),
            };
            let html = format!("<!doctype html><meta charset=utf-8><title>Rightsdesk</title><p>{page}</p>");
            let _ = conn
                .write_all(format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{html}", html.len()).as_bytes())
                .await;
            break outcome?;
        };
        let secret = client_secret(oauth, keyring);
        let mut form = vec![
            ("grant_type", "authorization_code"),
            ("client_id", oauth.client_id.as_str()),
            ("code", code.as_str()),
            ("redirect_uri", redirect.as_str()),
            ("code_verifier", verifier.as_str()),
        ];
        if let Some(s) = &secret {
            form.push(("client_secret", s.as_str()));
        }
        match post_form(settings, &oauth.token_url(), &form).await? {
            Answer::Ok(v) => {
                let signed_in = store_refresh(settings, keyring, &Tokens::from(&v)?)?;
                tracing::info!("mailbox signed in through the browser");
                Ok(signed_in)
            }
            Answer::Error(code) => Err(Error::invalid("oauth", format!("the token endpoint refused the sign-in ({code}); nothing was stored"))),
        }
    })
}

/// Keeps a refresh token obtained elsewhere, after checking with the provider that it works.
pub fn store_refresh_token(settings: &MailboxSettings, refresh_token: &str, keyring: &dyn SecretStore) -> Result<SignedIn> {
    require(settings)?;
    let refresh_token = refresh_token.trim();
    if refresh_token.is_empty() || refresh_token.chars().any(|c| c.is_control() || c == ' ') {
        return Err(Error::invalid("refresh_token", "is one line without spaces"));
    }
    let name = refresh_token_name(settings);
    let previous = keyring.get(&name).ok().flatten();
    keyring.set(&name, refresh_token).map_err(|e| keyring_error("refresh_token", e, "the sign-in cannot be kept"))?;
    forget(settings);
    let checked = runtime()?.block_on(access_token_from_keyring(settings, keyring));
    if let Err(e) = checked {
        match previous {
            Some(p) => {
                let _ = keyring.set(&name, &p);
            }
            None => {
                let _ = keyring.delete(&name);
            }
        }
        return Err(e);
    }
    Ok(SignedIn { keyring_entry: name })
}

/// Refreshes with the stored token (the environment's access token would hide whether it works).
async fn access_token_from_keyring(settings: &MailboxSettings, keyring: &dyn SecretStore) -> Result<()> {
    if std::env::var(ACCESS_TOKEN_ENV).is_ok_and(|t| !t.is_empty()) {
        return Err(Error::invalid("oauth", format!("unset {ACCESS_TOKEN_ENV} to check a stored sign-in")));
    }
    access_token(settings, keyring).await.map(|_| ())
}

// ---------------------------------------------------------------------------
// SASL.

/// The first client response of the mechanism, as RFC 7628 and Google's/Microsoft's XOAUTH2 define it.
pub fn sasl_initial_response(mechanism: Mechanism, user: &str, host: &str, port: u16, token: &str) -> Zeroizing<Vec<u8>> {
    let text = match mechanism {
        Mechanism::Xoauth2 => format!("user={user}\x01auth=Bearer {token}\x01\x01"),
        Mechanism::Oauthbearer => {
            // The GS2 header's saslname escapes ',' and '=' (RFC 5801).
            let a = user.replace('=', "=3D").replace(',', "=2C");
            format!("n,a={a},\x01host={host}\x01port={port}\x01auth=Bearer {token}\x01\x01")
        }
    };
    Zeroizing::new(text.into_bytes())
}

/// Answers the server's `AUTHENTICATE` challenges: the token first; after a refusal (the
/// server sends its error as a challenge), the empty answer (XOAUTH2) or `%x01`
/// (OAUTHBEARER, RFC 7628 §3.2.3) that lets the server end the exchange with NO.
pub(crate) struct Sasl {
    mechanism: Mechanism,
    initial: Zeroizing<Vec<u8>>,
    sent: bool,
}

impl Sasl {
    pub(crate) fn new(mechanism: Mechanism, user: &str, host: &str, port: u16, token: &str) -> Sasl {
        Sasl { mechanism, initial: sasl_initial_response(mechanism, user, host, port, token), sent: false }
    }
}

impl async_imap::Authenticator for &mut Sasl {
    type Response = Vec<u8>;

    fn process(&mut self, _challenge: &[u8]) -> Vec<u8> {
        if !self.sent {
            self.sent = true;
            return self.initial.to_vec();
        }
        match self.mechanism {
            Mechanism::Xoauth2 => Vec::new(),
            Mechanism::Oauthbearer => vec![0x01],
        }
    }
}

// ---------------------------------------------------------------------------
// HTTP.

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| Error::Internal(format!("no async runtime: {e}")))
}

enum Answer {
    Ok(Value),
    /// The OAuth `error` code (RFC 6749 §5.2), never the description (it may name the account).
    Error(String),
}

fn tls_config(settings: &MailboxSettings) -> Result<tokio_rustls::rustls::ClientConfig> {
    use tokio_rustls::rustls;
    let mut roots = rustls::RootCertStore::empty();
    roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
    if let Some(pem) = &settings.extra_ca_pem {
        for cert in super::fetch::parse_ca(pem)? {
            roots.add(cert).map_err(|_| Error::invalid("extra_ca_pem", "is not a usable CA certificate"))?;
        }
    }
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Internal(format!("TLS set-up: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

/// POSTs a form to a token endpoint and reads its JSON answer. Errors name the endpoint's
/// host, never the form (it holds codes and tokens) nor the answer's text.
async fn post_form(settings: &MailboxSettings, url: &str, form: &[(&str, &str)]) -> Result<Answer> {
    use http_body_util::{BodyExt, Full, Limited};
    use hyper::body::Bytes;
    let url = endpoint("token_endpoint", url)?;
    let uri: hyper::Uri = url.parse().map_err(|_| Error::invalid("token_endpoint", "is not a URL"))?;
    let host = uri.host().unwrap_or_default().to_string();
    let fail = |what: String| Error::invalid("oauth", format!("cannot reach the sign-in service at {host}: {what}; try again later"));
    let connector =
        hyper_rustls::HttpsConnectorBuilder::new().with_tls_config(tls_config(settings)?).https_or_http().enable_http1().build();
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new()).build(connector);
    let body = form_urlencoded::Serializer::new(String::new()).extend_pairs(form.iter().copied()).finish();
    let request = hyper::Request::post(uri)
        .header(hyper::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(hyper::header::ACCEPT, "application/json")
        .header(hyper::header::USER_AGENT, concat!("Rightsdesk/", env!("CARGO_PKG_VERSION")))
        .body(Full::new(Bytes::from(body)))
        .map_err(|e| Error::Internal(format!("token request: {e}")))?;
    let response = tokio::time::timeout(HTTP_TIMEOUT, client.request(request))
        .await
        .map_err(|_| fail("no answer in time".into()))?
        .map_err(|e| fail(if e.is_connect() { "the connection failed".into() } else { "the request failed".into() }))?;
    let status = response.status();
    let bytes = tokio::time::timeout(HTTP_TIMEOUT, Limited::new(response.into_body(), MAX_ANSWER).collect())
        .await
        .map_err(|_| fail("the answer did not arrive in time".into()))?
        .map_err(|_| fail("the answer could not be read".into()))?
        .to_bytes();
    let json: Option<Value> = serde_json::from_slice(&bytes).ok().filter(Value::is_object);
    match json {
        Some(v) if status.is_success() => Ok(Answer::Ok(v)),
        Some(v) if v["error"].is_string() => {
            let code: String =
                v["error"].as_str().unwrap_or_default().chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').take(60).collect();
            Ok(Answer::Error(code))
        }
        _ => Err(fail(format!("it answered HTTP {} without an OAuth answer", status.as_u16()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_base64url_is_rfc_4648_without_padding() {
        assert_eq!(base64url(b""), "");
        assert_eq!(base64url(b"f"), "Zg");
        assert_eq!(base64url(b"fo"), "Zm8");
        assert_eq!(base64url(b"foo"), "Zm9v");
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
        // RFC 7636 appendix B: the verifier's S256 challenge.
        use sha2::Digest;
        let challenge = base64url(&sha2::Sha256::digest(b"dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
        assert_eq!(challenge, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    #[test]
    fn the_sasl_responses_are_the_documented_bytes() {
        let x = sasl_initial_response(Mechanism::Xoauth2, "privacy@example.com", "imap.example.com", 993, "tok");
        assert_eq!(x.as_slice(), b"user=privacy@example.com\x01auth=Bearer tok\x01\x01");
        let o = sasl_initial_response(Mechanism::Oauthbearer, "a,b=c@example.com", "imap.example.com", 993, "tok");
        assert_eq!(o.as_slice(), b"n,a=a=2Cb=3Dc@example.com,\x01host=imap.example.com\x01port=993\x01auth=Bearer tok\x01\x01");
    }

    #[test]
    fn the_providers_are_preset_and_a_custom_one_names_its_endpoints() {
        let ms = OAuthSettings { client_id: "abc".into(), tenant: "contoso.onmicrosoft.com".into(), ..OAuthSettings::default() }
            .validated()
            .unwrap();
        assert_eq!(ms.token_url(), "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token");
        assert_eq!(ms.device_url(), "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/devicecode");
        assert_eq!(ms.scope(), "https://outlook.office.com/IMAP.AccessAsUser.All offline_access");
        let g = OAuthSettings { provider: Provider::Google, client_id: "abc".into(), ..OAuthSettings::default() }.validated().unwrap();
        assert_eq!(g.scope(), "https://mail.google.com/");
        assert_eq!(g.token_url(), "https://oauth2.googleapis.com/token");
        let custom = OAuthSettings { provider: Provider::Custom, client_id: "abc".into(), ..OAuthSettings::default() };
        assert_eq!(custom.clone().validated().unwrap_err().field(), Some("token_endpoint"));
        let plain_remote = OAuthSettings {
            token_endpoint: Some("http://idp.example.com/token".into()),
            device_endpoint: Some("https://idp.example.com/device".into()),
            scopes: Some("imap".into()),
            ..custom.clone()
        };
        assert_eq!(plain_remote.validated().unwrap_err().field(), Some("token_endpoint"));
        let local = OAuthSettings {
            token_endpoint: Some("http://127.0.0.1:8080/token".into()),
            device_endpoint: Some("http://127.0.0.1:8080/device".into()),
            scopes: Some("imap  offline".into()),
            ..custom
        };
        assert_eq!(local.validated().unwrap().scope(), "imap offline");
        assert_eq!(OAuthSettings::default().validated().unwrap_err().field(), Some("client_id"));
    }
}
