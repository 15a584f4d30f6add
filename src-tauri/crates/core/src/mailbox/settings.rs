//! The mailbox's settings: one JSON document in `settings` (key `mailbox.imap`).
//! The password is never part of it: it lives in the OS keyring (a
//! [`SecretStore`]), or in `RIGHTSDESK_IMAP_PASSWORD` for scripts and cron.

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::oauth::OAuthSettings;
use crate::error::{Error, Result};
use crate::secrets::{SecretError, SecretStore};
use crate::settings as keys;
use crate::settings::mail::is_local_host;
pub use crate::settings::mail::Security;
use crate::store::Store;

pub const SETTINGS_KEY: &str = "mailbox.imap";
pub const PASSWORD_ENV: &str = "RIGHTSDESK_IMAP_PASSWORD";

/// What is done on the server with a message once it is filed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum OnFiled {
    /// Nothing: the folder is only read (EXAMINE, BODY.PEEK).
    #[default]
    Leave,
    /// Flagged (`\Flagged`), so the officer's mail program shows it was taken in.
    Flag,
    /// Moved to [`MailboxSettings::move_to`].
    Move,
}

impl OnFiled {
    pub fn parse(s: &str) -> Result<OnFiled> {
        match s {
            "leave" => Ok(OnFiled::Leave),
            "flag" => Ok(OnFiled::Flag),
            "move" => Ok(OnFiled::Move),
            _ => Err(Error::invalid("on_filed", "is one of: leave, flag, move")),
        }
    }
}

/// Everything needed to read the privacy mailbox, without the password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct MailboxSettings {
    pub host: String,
    pub port: u16,
    /// `tls` (993), `starttls` (143) or `none` (a server on this machine only).
    pub security: Security,
    pub username: Option<String>,
    /// The folder read; default `INBOX`.
    pub folder: String,
    /// An extra CA certificate (PEM) for a server with a private CA.
    pub extra_ca_pem: Option<String>,
    pub on_filed: OnFiled,
    /// The folder a filed message is moved to (with `on_filed = move`).
    pub move_to: Option<String>,
    /// The law suggested for an accepted request (a regime id of the deadline engine).
    pub regime: String,
    /// Where it applies, e.g. `DE`; empty: the regime's usual one.
    pub jurisdiction: String,
    /// The login: none, a password; some, OAuth 2.0 (XOAUTH2 or OAUTHBEARER with an access
    /// token refreshed from the keyring, see [`super::oauth`]).
    #[cfg_attr(feature = "specta", specta(optional))]
    pub oauth: Option<OAuthSettings>,
}

impl Default for MailboxSettings {
    fn default() -> Self {
        MailboxSettings {
            host: String::new(),
            port: 993,
            security: Security::Tls,
            username: None,
            folder: "INBOX".into(),
            extra_ca_pem: None,
            on_filed: OnFiled::Leave,
            move_to: None,
            regime: "eu-gdpr".into(),
            jurisdiction: String::new(),
            oauth: None,
        }
    }
}

/// An IMAP folder name as typed: no control characters, not empty, bounded.
fn folder_name(field: &'static str, value: &str) -> Result<String> {
    let v = value.trim();
    if v.is_empty() || v.len() > 200 || v.chars().any(|c| c.is_control() || c == '"' || c == '\\') {
        return Err(Error::invalid(field, "is a folder name (up to 200 characters, no quotes, backslashes or control characters)"));
    }
    Ok(v.to_string())
}

impl MailboxSettings {
    /// Names the first field that is wrong; trims what was typed.
    pub fn validated(mut self) -> Result<MailboxSettings> {
        self.host = self.host.trim().to_string();
        let trim_opt = |o: Option<String>| o.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        self.username = trim_opt(self.username);
        self.extra_ca_pem = trim_opt(self.extra_ca_pem);
        self.move_to = trim_opt(self.move_to);
        self.regime = self.regime.trim().to_string();
        self.jurisdiction = self.jurisdiction.trim().to_string();
        if self.host.is_empty() || self.host.contains(char::is_whitespace) {
            return Err(Error::invalid("host", "is required (a host name or IP address, without spaces)"));
        }
        if self.port == 0 {
            return Err(Error::invalid("port", "must be between 1 and 65535"));
        }
        if self.security == Security::None && !is_local_host(&self.host) {
            return Err(Error::invalid(
                "security",
                "an unencrypted connection is allowed only to a server on this machine (localhost); choose TLS or STARTTLS",
            ));
        }
        if self.username.as_ref().is_some_and(|u| u.chars().any(char::is_control)) {
            return Err(Error::invalid("username", "must not contain control characters"));
        }
        self.folder = folder_name("folder", if self.folder.trim().is_empty() { "INBOX" } else { &self.folder })?;
        if let Some(to) = &self.move_to {
            self.move_to = Some(folder_name("move_to", to)?);
        }
        if self.on_filed == OnFiled::Move && self.move_to.is_none() {
            return Err(Error::invalid("move_to", "is required when filed messages are moved"));
        }
        if let Some(pem) = &self.extra_ca_pem {
            super::fetch::parse_ca(pem)?;
        }
        if self.regime.is_empty() {
            return Err(Error::invalid("regime", "is required (e.g. eu-gdpr)"));
        }
        if let Some(oauth) = self.oauth.take() {
            self.oauth = Some(oauth.validated()?);
        }
        Ok(self)
    }

    /// The keyring entry that holds this account's password.
    pub fn password_name(&self) -> String {
        format!("imap-password:{}@{}:{}", self.username.as_deref().unwrap_or(""), self.host, self.port)
    }

    /// `host:port`, as errors name the server.
    pub fn server(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

/// The stored settings, or none before the officer has set them up. On a team
/// register every workstation reads the same settings; the IMAP password (or
/// OAuth token) stays in each workstation's keyring, as SMTP's does.
pub fn load<'a>(store: impl Into<Store<'a>>) -> Result<Option<MailboxSettings>> {
    let raw = store.into().read(|c| keys::get(c, SETTINGS_KEY))?;
    let Some(raw) = raw else { return Ok(None) };
    serde_json::from_str(&raw).map(Some).map_err(|_| Error::Internal("the stored mailbox settings are unreadable".into()))
}

/// The settings, or a clear error that the mailbox needs them first.
pub fn require<'a>(store: impl Into<Store<'a>>) -> Result<MailboxSettings> {
    load(store)?
        .ok_or_else(|| Error::invalid("mailbox", "no mailbox is set up yet (`rightsdesk mailbox set --host H --port P --security S`)"))
}

/// Checks and stores the settings; a bad one is refused naming its field,
/// nothing written. On a team register settings are the admin's: the server
/// refuses an officer's or an auditor's save.
pub fn save<'a>(store: impl Into<Store<'a>>, settings: MailboxSettings) -> Result<MailboxSettings> {
    let s = settings.validated()?;
    let json = serde_json::to_string(&s).map_err(|e| Error::Internal(e.to_string()))?;
    store.into().write(|tx| keys::set(tx, SETTINGS_KEY, &json))?;
    Ok(s)
}

/// Stores the password in the OS keyring; never in clear on disk.
pub fn store_password(settings: &MailboxSettings, password: &str, keyring: &dyn SecretStore) -> Result<()> {
    match keyring.set(&settings.password_name(), password) {
        Ok(()) => Ok(()),
        Err(SecretError::Unavailable(why)) => {
            Err(Error::invalid("password", format!("no OS keyring is reachable ({why}); set {PASSWORD_ENV} instead")))
        }
        Err(SecretError::Failed(why)) => Err(Error::invalid("password", format!("the OS keyring refused it ({why})"))),
    }
}

/// The password for the login: `RIGHTSDESK_IMAP_PASSWORD`, else the keyring's.
pub fn resolve_password(settings: &MailboxSettings, keyring: &dyn SecretStore) -> Result<Zeroizing<String>> {
    if let Some(p) = std::env::var(PASSWORD_ENV).ok().filter(|p| !p.is_empty()) {
        return Ok(Zeroizing::new(p));
    }
    match keyring.get(&settings.password_name()) {
        Ok(Some(p)) => Ok(Zeroizing::new(p)),
        Ok(None) => Err(Error::invalid(
            "password",
            format!("no IMAP password is stored for this account; use `mailbox set --password-stdin` or set {PASSWORD_ENV}"),
        )),
        Err(e) => Err(Error::invalid("password", format!("{e}; set {PASSWORD_ENV}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> MailboxSettings {
        MailboxSettings { host: "imap.example.org".into(), username: Some("privacy".into()), ..MailboxSettings::default() }
    }

    #[test]
    fn no_encryption_is_refused_for_a_remote_server_naming_the_field() {
        let e = MailboxSettings { security: Security::None, ..sample() }.validated().unwrap_err();
        assert_eq!(e.field(), Some("security"));
        let local = MailboxSettings { host: "127.0.0.1".into(), security: Security::None, ..sample() }.validated().unwrap();
        assert_eq!(local.folder, "INBOX");
    }

    #[test]
    fn moving_needs_a_folder_and_a_folder_name_is_checked() {
        assert_eq!(MailboxSettings { on_filed: OnFiled::Move, ..sample() }.validated().unwrap_err().field(), Some("move_to"));
        assert_eq!(MailboxSettings { folder: "In\"box".into(), ..sample() }.validated().unwrap_err().field(), Some("folder"));
        assert_eq!(MailboxSettings { port: 0, ..sample() }.validated().unwrap_err().field(), Some("port"));
    }

    #[test]
    fn a_ca_file_that_is_not_pem_is_refused() {
        let e = MailboxSettings { extra_ca_pem: Some("not a certificate".into()), ..sample() }.validated().unwrap_err();
        assert_eq!(e.field(), Some("extra_ca_pem"));
    }
}
