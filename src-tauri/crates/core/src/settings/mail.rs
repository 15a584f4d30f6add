//! SMTP and letter settings: one JSON document in `settings` (key `mail.smtp`).
//! The password is never part of it: it lives in the OS keyring (a
//! [`SecretStore`]), or — where no keyring is reachable — in memory for this
//! session only, or in `RIGHTSDESK_SMTP_PASSWORD` for scripts and cron.

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::domain::lang::Lang;
use crate::error::{Error, Result};
use crate::secrets::{SecretError, SecretStore};
use crate::settings as keys;
use crate::store::Store;

pub const SETTINGS_KEY: &str = "mail.smtp";
pub const PASSWORD_ENV: &str = "RIGHTSDESK_SMTP_PASSWORD";

/// How the connection to the server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum Security {
    /// Plain connection upgraded with STARTTLS; refused if the server does not offer it (port 587).
    #[default]
    Starttls,
    /// TLS from the first byte (SMTPS, port 465).
    Tls,
    /// No encryption: allowed only for a server on this machine (localhost).
    None,
}

impl Security {
    pub fn parse(s: &str) -> Result<Security> {
        match s {
            "starttls" => Ok(Security::Starttls),
            "tls" => Ok(Security::Tls),
            "none" => Ok(Security::None),
            _ => Err(Error::invalid("security", "is one of: starttls, tls, none")),
        }
    }
}

/// Everything needed to send letters, without the password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct MailSettings {
    pub host: String,
    pub port: u16,
    pub security: Security,
    /// Login name; none means the server takes mail without authentication.
    pub username: Option<String>,
    pub from_address: String,
    pub from_name: String,
    pub reply_to: Option<String>,
    /// The officer's own mailbox: gets a copy of every letter (for the record) and the reminders.
    pub officer_address: Option<String>,
    /// An extra CA certificate (PEM) for an internal relay with a private CA.
    pub extra_ca_pem: Option<String>,
    /// The organisation's name as letters sign it (default: the organisation setting).
    pub org_name: String,
    /// How to reach the data protection officer, as printed in letters.
    pub dpo_contact: String,
    /// Whether the organisation has appointed a data protection officer. `false`:
    /// letters print no DPO line; `true`: they print `dpo_contact` (then required);
    /// none (settings saved before this choice existed): a DPO line iff a contact is set.
    pub dpo_appointed: Option<bool>,
    /// The organisation's representative in the EU (GDPR Art. 27), name and
    /// address, printed in letters under the EU GDPR; none where it has none.
    pub eu_representative: Option<String>,
    /// How many days a subject under a US state law has to appeal a refusal, as
    /// the organisation's appeal process sets it (the laws ask for "a reasonable
    /// period"); a US refusal cannot be queued without it.
    pub appeal_days: Option<u32>,
    /// The language of letters when a request has no other choice.
    pub default_lang: Lang,
    /// Days before the due date at which a reminder is given, e.g. [7, 3, 1].
    pub reminder_days: Vec<u32>,
    /// The largest total attachment size the officer's server accepts, in bytes.
    pub max_attachment_bytes: u32,
}

impl Default for MailSettings {
    fn default() -> Self {
        MailSettings {
            host: String::new(),
            port: 587,
            security: Security::Starttls,
            username: None,
            from_address: String::new(),
            from_name: String::new(),
            reply_to: None,
            officer_address: None,
            extra_ca_pem: None,
            org_name: String::new(),
            dpo_contact: String::new(),
            dpo_appointed: None,
            eu_representative: None,
            appeal_days: None,
            default_lang: Lang::En,
            reminder_days: vec![7, 3, 1],
            max_attachment_bytes: 10 * 1024 * 1024,
        }
    }
}

/// Whether `host` names this machine (where an unencrypted connection cannot be read by others).
pub fn is_local_host(host: &str) -> bool {
    let h = host.trim().trim_start_matches('[').trim_end_matches(']');
    h.eq_ignore_ascii_case("localhost") || h.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

pub fn valid_address(field: &'static str, value: &str) -> Result<()> {
    value.parse::<lettre::Address>().map(|_| ()).map_err(|_| Error::invalid(field, "is not a valid email address"))
}

impl MailSettings {
    /// Names the first field that is wrong; trims what was typed.
    pub fn validated(mut self) -> Result<MailSettings> {
        self.host = self.host.trim().to_string();
        self.from_address = self.from_address.trim().to_string();
        self.from_name = self.from_name.trim().to_string();
        let trim_opt = |o: Option<String>| o.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        self.username = trim_opt(self.username);
        self.reply_to = trim_opt(self.reply_to);
        self.officer_address = trim_opt(self.officer_address);
        self.extra_ca_pem = trim_opt(self.extra_ca_pem);
        self.eu_representative = trim_opt(self.eu_representative);
        if self.appeal_days.is_some_and(|d| d == 0 || d > 365) {
            return Err(Error::invalid("appeal_days", "must be between 1 and 365 days"));
        }
        self.dpo_contact = self.dpo_contact.trim().to_string();
        if self.dpo_appointed == Some(true) && self.dpo_contact.is_empty() {
            return Err(Error::invalid("dpo_contact", "is required when a data protection officer is appointed"));
        }
        if self.host.is_empty() || self.host.contains(char::is_whitespace) {
            return Err(Error::invalid("host", "is required (a host name or IP address, without spaces)"));
        }
        if self.port == 0 {
            return Err(Error::invalid("port", "must be between 1 and 65535"));
        }
        if self.security == Security::None && !is_local_host(&self.host) {
            return Err(Error::invalid(
                "security",
                "an unencrypted connection is allowed only to a server on this machine (localhost); choose STARTTLS or TLS",
            ));
        }
        valid_address("from_address", &self.from_address)?;
        if let Some(r) = &self.reply_to {
            valid_address("reply_to", r)?;
        }
        if let Some(o) = &self.officer_address {
            valid_address("officer_address", o)?;
        }
        if let Some(pem) = &self.extra_ca_pem {
            let bad = || Error::invalid("extra_ca_pem", "is not a PEM certificate (-----BEGIN CERTIFICATE-----)");
            if !pem.contains("-----BEGIN CERTIFICATE-----") {
                return Err(bad());
            }
            lettre::transport::smtp::client::Certificate::from_pem(pem.as_bytes())
                .map_err(|_| Error::invalid("extra_ca_pem", "is not a PEM certificate (-----BEGIN CERTIFICATE-----)"))?;
        }
        self.reminder_days.sort_unstable_by(|a, b| b.cmp(a));
        self.reminder_days.dedup();
        if self.reminder_days.iter().any(|d| *d > 365) {
            return Err(Error::invalid("reminder_days", "must be between 0 and 365 days"));
        }
        if self.max_attachment_bytes == 0 {
            return Err(Error::invalid("max_attachment_bytes", "must be more than 0"));
        }
        Ok(self)
    }

    /// The DPO's contact as letters print it; none where no DPO is appointed.
    pub fn dpo_line(&self) -> Option<&str> {
        let contact = Some(self.dpo_contact.trim()).filter(|c| !c.is_empty());
        match self.dpo_appointed {
            Some(false) => None,
            _ => contact,
        }
    }

    /// Where the subject writes to us (an appeal, a question): the reply-to address, else the sender's.
    pub fn privacy_contact(&self) -> &str {
        self.reply_to.as_deref().unwrap_or(&self.from_address)
    }

    /// The keyring entry that holds this account's password.
    pub fn password_name(&self) -> String {
        format!("smtp-password:{}@{}:{}", self.username.as_deref().unwrap_or(""), self.host, self.port)
    }

    /// The domain of the sender address, for Message-IDs.
    pub fn sender_domain(&self) -> &str {
        self.from_address.rsplit_once('@').map_or("localhost", |(_, d)| d)
    }
}

/// The stored settings, or none before the officer has set them up; on either store.
pub fn load<'a>(store: impl Into<Store<'a>>) -> Result<Option<MailSettings>> {
    let (raw, org_name) = store.into().read(|c| Ok((keys::get(c, SETTINGS_KEY)?, keys::get(c, keys::ORG_NAME)?)))?;
    let Some(raw) = raw else { return Ok(None) };
    let mut s: MailSettings = serde_json::from_str(&raw).map_err(|_| Error::Internal("the stored mail settings are unreadable".into()))?;
    if s.org_name.is_empty() {
        s.org_name = org_name.unwrap_or_default();
    }
    Ok(Some(s))
}

/// The settings, or a clear error that sending needs them first.
pub fn require<'a>(store: impl Into<Store<'a>>) -> Result<MailSettings> {
    load(store)?.ok_or_else(|| Error::invalid("smtp", "no mail server is set up yet (Settings → Mail, or `rightsdesk smtp set`)"))
}

/// Checks and stores the settings; a bad one is refused naming its field, nothing written.
pub fn save<'a>(store: impl Into<Store<'a>>, settings: MailSettings) -> Result<MailSettings> {
    let s = settings.validated()?;
    let json = serde_json::to_string(&s).map_err(|e| Error::Internal(e.to_string()))?;
    store.into().write(|c| keys::set(c, SETTINGS_KEY, &json))?;
    Ok(s)
}

/// Where a stored password went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "kebab-case")]
pub enum PasswordPlace {
    Keyring,
    /// No keyring is reachable: kept in memory until the program ends, never on disk.
    SessionOnly,
}

/// Stores the password in `keyring`; where no keyring is reachable, in `session`
/// (memory) instead, and says so. Never in clear on disk.
pub fn store_password(
    settings: &MailSettings,
    password: &str,
    keyring: &dyn SecretStore,
    session: &dyn SecretStore,
) -> Result<PasswordPlace> {
    let name = settings.password_name();
    match keyring.set(&name, password) {
        Ok(()) => {
            // This session's copy in memory, now that the keyring holds it; nothing is lost if it stays.
            let _ = session.delete(&name);
            Ok(PasswordPlace::Keyring)
        }
        Err(SecretError::Unavailable(_)) => {
            session.set(&name, password).map_err(|e| Error::Internal(e.to_string()))?;
            Ok(PasswordPlace::SessionOnly)
        }
        Err(SecretError::Failed(why)) => Err(Error::invalid("password", format!("the OS keyring refused it ({why})"))),
    }
}

/// The password for sending: `RIGHTSDESK_SMTP_PASSWORD`, else this session's, else
/// the keyring's. None when the account needs no login; an error that says what
/// to do when it needs one and none is found.
pub fn resolve_password(
    settings: &MailSettings,
    keyring: &dyn SecretStore,
    session: &dyn SecretStore,
) -> Result<Option<Zeroizing<String>>> {
    if settings.username.is_none() {
        return Ok(None);
    }
    if let Some(p) = std::env::var(PASSWORD_ENV).ok().filter(|p| !p.is_empty()) {
        return Ok(Some(Zeroizing::new(p)));
    }
    let name = settings.password_name();
    if let Ok(Some(p)) = session.get(&name) {
        return Ok(Some(Zeroizing::new(p)));
    }
    match keyring.get(&name) {
        Ok(Some(p)) => Ok(Some(Zeroizing::new(p))),
        Ok(None) => Err(Error::invalid(
            "password",
            format!("no SMTP password is stored for this account; enter it in the mail settings or set {PASSWORD_ENV}"),
        )),
        Err(e) => Err(Error::invalid("password", format!("{e}; enter the SMTP password for this session, or set {PASSWORD_ENV}"))),
    }
}

/// Whether a password is known for this account (for the settings screen).
pub fn password_known(settings: &MailSettings, keyring: &dyn SecretStore, session: &dyn SecretStore) -> bool {
    settings.username.is_none() || resolve_password(settings, keyring, session).is_ok()
}

/// Where the password for sending would come from, for the settings screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "kebab-case")]
pub enum PasswordStatus {
    /// The account has no login.
    NotNeeded,
    Environment,
    Keyring,
    /// Typed this session; no keyring is reachable, so it is gone when the app closes.
    SessionOnly,
    /// None stored: the officer must enter it.
    Missing,
    /// No keyring is reachable and none was typed this session.
    KeyringUnavailable,
}

pub fn password_status(settings: &MailSettings, keyring: &dyn SecretStore, session: &dyn SecretStore) -> PasswordStatus {
    if settings.username.is_none() {
        return PasswordStatus::NotNeeded;
    }
    if std::env::var(PASSWORD_ENV).is_ok_and(|p| !p.is_empty()) {
        return PasswordStatus::Environment;
    }
    let name = settings.password_name();
    if let Ok(Some(_)) = session.get(&name) {
        return PasswordStatus::SessionOnly;
    }
    match keyring.get(&name) {
        Ok(Some(_)) => PasswordStatus::Keyring,
        Ok(None) => PasswordStatus::Missing,
        Err(_) => PasswordStatus::KeyringUnavailable,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::{MemorySecrets, NoKeyring};
    use crate::store::Db;

    fn sample() -> MailSettings {
        MailSettings {
            host: "smtp.example.org".into(),
            from_address: "privacy@example.org".into(),
            username: Some("privacy".into()),
            ..Default::default()
        }
    }

    #[test]
    fn an_unencrypted_connection_is_refused_except_to_localhost() {
        let err = MailSettings { security: Security::None, ..sample() }.validated().unwrap_err();
        assert_eq!(err.field(), Some("security"));
        for host in ["localhost", "127.0.0.1", "::1", "[::1]"] {
            assert!(MailSettings { security: Security::None, host: host.into(), ..sample() }.validated().is_ok(), "{host}");
        }
    }

    #[test]
    fn a_bad_sender_address_or_certificate_is_named() {
        let err = MailSettings { from_address: "not an address".into(), ..sample() }.validated().unwrap_err();
        assert_eq!(err.field(), Some("from_address"));
        let err = MailSettings { extra_ca_pem: Some("hello".into()), ..sample() }.validated().unwrap_err();
        assert_eq!(err.field(), Some("extra_ca_pem"));
    }

    #[test]
    fn an_appointed_dpo_needs_a_contact_and_none_appointed_prints_no_dpo_line() {
        let err = MailSettings { dpo_appointed: Some(true), ..sample() }.validated().unwrap_err();
        assert_eq!(err.field(), Some("dpo_contact"));
        let s = MailSettings { dpo_appointed: Some(false), dpo_contact: "dpo@x.example".into(), ..sample() };
        assert_eq!(s.dpo_line(), None);
        let legacy = MailSettings { dpo_contact: "dpo@x.example".into(), ..sample() };
        assert_eq!(legacy.dpo_line(), Some("dpo@x.example"));
    }

    #[test]
    fn the_password_goes_to_the_keyring_and_never_into_the_settings() {
        let db = Db::open_in_memory().unwrap();
        let keyring = MemorySecrets::default();
        let session = MemorySecrets::default();
        let s = save(&db, sample()).unwrap();
        assert_eq!(store_password(&s, "s3cret", &keyring, &session).unwrap(), PasswordPlace::Keyring);
        assert_eq!(keyring.get(&s.password_name()).unwrap().as_deref(), Some("s3cret"));
        let stored = db.read(|c| keys::get(c, SETTINGS_KEY)).unwrap().unwrap();
        assert!(!stored.contains("s3cret"));
        assert_eq!(resolve_password(&s, &keyring, &session).unwrap().unwrap().as_str(), "s3cret");
    }

    #[test]
    fn without_a_keyring_the_password_is_kept_for_this_session_only_and_the_officer_is_told() {
        let session = MemorySecrets::default();
        let s = sample().validated().unwrap();
        assert_eq!(store_password(&s, "s3cret", &NoKeyring, &session).unwrap(), PasswordPlace::SessionOnly);
        assert_eq!(resolve_password(&s, &NoKeyring, &session).unwrap().unwrap().as_str(), "s3cret");
        let fresh_session = MemorySecrets::default();
        let err = resolve_password(&s, &NoKeyring, &fresh_session).unwrap_err();
        assert_eq!(err.field(), Some("password"));
        assert!(err.to_string().contains("not available"), "{err}");
    }
}
