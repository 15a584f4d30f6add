//! `rightsdesk mailbox | intake`: the privacy mailbox without the window, for
//! cron: read the IMAP folder, then accept, dismiss or link what came in.

use std::io::BufRead;
use std::path::PathBuf;

use clap::{Args, Subcommand};
use rightsdesk_core::clock::SystemClock;
use rightsdesk_core::mailbox::intake::{self, AcceptOptions, IntakeState};
use rightsdesk_core::mailbox::oauth::{self, Mechanism, OAuthSettings, Provider};
use rightsdesk_core::mailbox::settings::{self, MailboxSettings, OnFiled, Security, PASSWORD_ENV};
use rightsdesk_core::mailbox::{fetch, IntakeItem};
use rightsdesk_core::secrets::OsKeyring;
use rightsdesk_core::store::{Db, Store};
use rightsdesk_core::workspace::current_actor;
use rightsdesk_core::{Error, Result};
use serde_json::json;

use rightsdesk_core::files::atomic;
use rightsdesk_core::files::destination::Overwrite;

use crate::output::{shown, Output};

#[derive(Subcommand)]
pub enum MailboxCommand {
    /// Set the IMAP server and folder (flags not given keep their value). The password:
    /// RIGHTSDESK_IMAP_PASSWORD at each run, or --password-stdin to store it in the OS keyring.
    Set(Box<MailboxSetArgs>),
    /// Show the mailbox settings (never the password).
    Show,
    /// Log in and print the server's capabilities and the folder's message count.
    Test,
    /// Read new messages: replies are filed on their request, the rest go to the intake (idempotent; for cron).
    Fetch,
    /// Sign in to a Microsoft 365 / Google Workspace mailbox (--auth oauth2): prints a URL and a code
    /// to enter there (Google: a URL to open in the browser on this computer), waits for the sign-in
    /// and keeps the refresh token in the OS keyring.
    Login {
        /// Sign in through the browser on this computer (the default for Google) instead of with a code.
        #[arg(long)]
        browser: bool,
        /// Keep a refresh token obtained elsewhere (first line of standard input) instead of signing in.
        #[arg(long = "refresh-token-stdin", conflicts_with = "browser")]
        refresh_token_stdin: bool,
    },
}

#[derive(Args)]
pub struct MailboxSetArgs {
    #[arg(long)]
    host: Option<String>,
    #[arg(long)]
    port: Option<u16>,
    /// tls (port 993), starttls (port 143) or none (a server on this machine only)
    #[arg(long)]
    security: Option<String>,
    #[arg(long)]
    username: Option<String>,
    /// The folder to read (default INBOX).
    #[arg(long)]
    folder: Option<String>,
    /// An extra CA certificate (PEM) for a server with a private CA.
    #[arg(long = "ca-file", value_name = "PEM")]
    ca_file: Option<PathBuf>,
    /// What to do on the server with a filed message: leave (default), flag, move.
    #[arg(long = "on-filed", value_name = "leave|flag|move")]
    on_filed: Option<String>,
    /// The folder filed messages are moved to (with --on-filed move).
    #[arg(long = "move-to", value_name = "FOLDER")]
    move_to: Option<String>,
    /// The law suggested for accepted requests, e.g. eu-gdpr.
    #[arg(long)]
    regime: Option<String>,
    /// Where it applies, e.g. DE.
    #[arg(long)]
    jurisdiction: Option<String>,
    /// Read the password from the first line of standard input and keep it in the OS keyring.
    #[arg(long = "password-stdin")]
    password_stdin: bool,
    /// How to log in: password (default) or oauth2 (Microsoft 365, Google Workspace; then `mailbox login`).
    #[arg(long, value_name = "password|oauth2")]
    auth: Option<String>,
    /// OAuth: microsoft (default), google or custom.
    #[arg(long, value_name = "microsoft|google|custom")]
    provider: Option<String>,
    /// OAuth, Microsoft: the directory (tenant) ID or domain (default: organizations).
    #[arg(long)]
    tenant: Option<String>,
    /// OAuth: the application (client) ID of the app registration.
    #[arg(long = "client-id")]
    client_id: Option<String>,
    /// OAuth: the token endpoint (default: the provider's; required for custom).
    #[arg(long = "token-endpoint", value_name = "URL")]
    token_endpoint: Option<String>,
    /// OAuth: the device-authorization endpoint (default: the provider's; required for custom).
    #[arg(long = "device-endpoint", value_name = "URL")]
    device_endpoint: Option<String>,
    /// OAuth: the authorization endpoint of the browser sign-in (default: the provider's).
    #[arg(long = "authorization-endpoint", value_name = "URL")]
    authorization_endpoint: Option<String>,
    /// OAuth: the scopes, separated by spaces (default: the provider's IMAP scope).
    #[arg(long)]
    scopes: Option<String>,
    /// OAuth: the SASL mechanism, xoauth2 (default) or oauthbearer.
    #[arg(long, value_name = "xoauth2|oauthbearer")]
    sasl: Option<String>,
    /// OAuth: read the client secret (where the provider wants one, e.g. Google) from the first line
    /// of standard input and keep it in the OS keyring (or give RIGHTSDESK_OAUTH_CLIENT_SECRET at each run).
    #[arg(long = "client-secret-stdin")]
    client_secret_stdin: bool,
}

#[derive(Subcommand)]
pub enum IntakeCommand {
    /// The messages waiting for a decision (or all, or those in one state).
    List {
        /// new (default), accepted, dismissed, linked or all
        #[arg(long, default_value = "new")]
        state: String,
    },
    /// One item: its sender, subject, arrival, preview, attachments and suggestion; with --eml,
    /// its exact message bytes written to FILE (checked against their SHA-256).
    Show {
        item: String,
        #[arg(long, value_name = "FILE")]
        eml: Option<PathBuf>,
        /// Replace FILE if it exists (never the database or its data folders).
        #[arg(long, requires = "eml")]
        force: bool,
    },
    /// Register a request from an item (prints it as `request add` does).
    Accept {
        item: String,
        /// The request type (default: the suggested one).
        #[arg(long = "type", value_name = "TYPE")]
        request_type: Option<String>,
        #[arg(long)]
        regime: Option<String>,
        #[arg(long)]
        jurisdiction: Option<String>,
    },
    /// Dismiss an item as not a request; the reason is on record.
    Dismiss {
        item: String,
        #[arg(long)]
        reason: String,
    },
    /// File an item on an existing request (id or reference) as a received mail.
    Link { item: String, request: String },
}

impl MailboxCommand {
    pub fn may_create(&self) -> bool {
        matches!(self, MailboxCommand::Set(_))
    }

    /// `login` only reads the settings (the token goes to the keyring), so it can wait for the
    /// officer's sign-in without holding the register.
    pub fn reads_only(&self) -> bool {
        matches!(self, MailboxCommand::Login { .. } | MailboxCommand::Show)
    }
}

impl IntakeCommand {
    pub fn reads_only(&self) -> bool {
        matches!(self, IntakeCommand::List { .. } | IntakeCommand::Show { .. })
    }
}

fn security_name(s: Security) -> &'static str {
    match s {
        Security::Tls => "tls",
        Security::Starttls => "starttls",
        Security::None => "none",
    }
}

fn describe(s: &MailboxSettings) -> String {
    let on_filed = match s.on_filed {
        OnFiled::Leave => "leave".to_string(),
        OnFiled::Flag => "flag".to_string(),
        OnFiled::Move => format!("move to {}", s.move_to.as_deref().unwrap_or("?")),
    };
    let login = match &s.oauth {
        None if s.username.is_some() => "password login".to_string(),
        None => "no username set".to_string(),
        Some(o) => format!(
            "OAuth 2.0 login ({}, {}; token endpoint {}){}",
            o.provider.as_str(),
            o.mechanism.name(),
            o.token_url(),
            if s.username.is_some() { "" } else { ", no username set" }
        ),
    };
    format!(
        "IMAP {} ({}), folder {}, {login}; filed messages: {on_filed}; suggested law {}{}",
        s.server(),
        security_name(s.security),
        s.folder,
        s.regime,
        if s.jurisdiction.is_empty() { String::new() } else { format!(" ({})", s.jurisdiction) },
    )
}

pub fn mailbox(db: &Db, command: MailboxCommand, out: &Output) -> Result<()> {
    mailbox_in(Store::from(db), command, &current_actor(), out)
}

/// `mailbox` on either store, as `actor`. On a team register any officer's workstation may
/// fetch (each message is filed once however many fetch at once); `set` is the admin's (the
/// server refuses anyone else), and the IMAP password stays in this workstation's keyring.
pub fn mailbox_in(db: Store<'_>, command: MailboxCommand, actor: &str, out: &Output) -> Result<()> {
    match command {
        MailboxCommand::Set(a) => {
            let a = *a;
            let stored = settings::load(db)?;
            let mut s = stored.clone().unwrap_or_default();
            set_oauth(&mut s, &a)?;
            if let Some(h) = a.host {
                s.host = h;
            }
            if let Some(p) = a.port {
                s.port = p;
            }
            if let Some(sec) = a.security {
                s.security = match sec.as_str() {
                    "tls" => Security::Tls,
                    "starttls" => Security::Starttls,
                    "none" => Security::None,
                    _ => return Err(Error::invalid("security", "is one of: tls, starttls, none")),
                };
            }
            if let Some(u) = a.username {
                s.username = Some(u);
            }
            if let Some(f) = a.folder {
                s.folder = f;
            }
            if let Some(path) = a.ca_file {
                s.extra_ca_pem =
                    Some(std::fs::read_to_string(&path).map_err(|_| Error::invalid("ca_file", "cannot be read as a PEM text file"))?);
            }
            if let Some(o) = a.on_filed {
                s.on_filed = OnFiled::parse(&o)?;
            }
            if let Some(m) = a.move_to {
                s.move_to = Some(m);
            }
            if let Some(r) = a.regime {
                s.regime = r;
            }
            if let Some(j) = a.jurisdiction {
                s.jurisdiction = j;
            }
            // Only the password (or the client secret) given: the settings stay as they are and
            // are not written, so an officer of a team register (whose settings are the admin's)
            // keeps the password in this workstation's keyring.
            let s = if stored.as_ref() == Some(&s) { s } else { settings::save(db, s)? };
            let mut note = String::new();
            if let Some(o) = &s.oauth {
                if a.client_secret_stdin {
                    let mut line = String::new();
                    std::io::stdin().lock().read_line(&mut line)?;
                    let secret = zeroize::Zeroizing::new(line.trim_end_matches(['\r', '\n']).to_string());
                    oauth::store_client_secret(o, &secret, &OsKeyring::default())?;
                    note.push_str("; the client secret is in the OS keyring");
                }
                note.push_str("; sign in with `rightsdesk mailbox login`");
            } else if a.password_stdin {
                let mut line = String::new();
                std::io::stdin().lock().read_line(&mut line)?;
                let password = zeroize::Zeroizing::new(line.trim_end_matches(['\r', '\n']).to_string());
                settings::store_password(&s, &password, &OsKeyring::default())?;
                note = "; the password is in the OS keyring".into();
            } else if std::env::var(PASSWORD_ENV).is_err() {
                note = format!("; give the password with --password-stdin or {PASSWORD_ENV}");
            }
            out.message(&format!("mailbox set: {}{note}", describe(&s)), &s)
        }
        MailboxCommand::Show => {
            let s = settings::require(db)?;
            out.message(&describe(&s), &s)
        }
        MailboxCommand::Test => {
            let s = settings::require(db)?;
            let check = fetch::test(&s, &OsKeyring::default())?;
            out.message(
                &format!(
                    "logged in to {}\ncapabilities: {}\nfolder {}: {} message(s)",
                    check.server,
                    check.capabilities.join(" "),
                    check.folder,
                    check.messages
                ),
                &check,
            )
        }
        MailboxCommand::Login { browser, refresh_token_stdin } => {
            let s = settings::require(db)?;
            let keyring = OsKeyring::default();
            let signed_in = if refresh_token_stdin {
                let mut line = String::new();
                std::io::stdin().lock().read_line(&mut line)?;
                let token = zeroize::Zeroizing::new(line.trim_end_matches(['\r', '\n']).to_string());
                oauth::store_refresh_token(&s, &token, &keyring)?
            } else if browser || s.oauth.as_ref().is_some_and(|o| o.provider == Provider::Google) {
                let json = out.json;
                oauth::browser_login(&s, &keyring, &mut |url| {
                    let text = format!("To sign in, open this address in the browser on this computer:\n{url}\nWaiting for the sign-in...");
                    if json {
                        eprintln!("{text}");
                    } else {
                        println!("{text}");
                        let _ = std::io::Write::flush(&mut std::io::stdout());
                    }
                })?
            } else {
                let json = out.json;
                oauth::device_login(&s, &keyring, &mut |code| {
                    let text = format!(
                        "To sign in, open {} and enter the code {} (valid for {} minutes). Waiting for the sign-in...",
                        code.verification_uri,
                        code.user_code,
                        code.expires_in.div_ceil(60)
                    );
                    // The officer needs this while the command waits: stdout in text mode, stderr beside --json.
                    if json {
                        eprintln!("{text}");
                    } else {
                        println!("{text}");
                        let _ = std::io::Write::flush(&mut std::io::stdout());
                    }
                })?
            };
            out.message(
                &format!("signed in; the refresh token is in the OS keyring (entry {})", signed_in.keyring_entry),
                &json!({ "signed_in": true, "keyring_entry": signed_in.keyring_entry }),
            )
        }
        MailboxCommand::Fetch => {
            let report = fetch::fetch(db, &SystemClock, &OsKeyring::default(), actor)?;
            let mut text = format!("{} new intake item(s), {} reply(ies) filed", report.new_items, report.replies);
            if report.warnings > 0 {
                text.push_str(&format!("; {} filed with a warning", report.warnings));
            }
            if report.uidvalidity_changed {
                text.push_str(&format!(
                    "; the folder was renumbered by the server, {} message(s) already filed skipped",
                    report.already_filed
                ));
            }
            out.message(&text, &report)
        }
    }
}

/// Applies the `--auth` and OAuth flags: `--auth oauth2` (or any OAuth flag on an OAuth mailbox)
/// sets up the OAuth side; `--auth password` drops it.
fn set_oauth(s: &mut MailboxSettings, a: &MailboxSetArgs) -> Result<()> {
    match a.auth.as_deref() {
        None => {}
        Some("password") => s.oauth = None,
        Some("oauth2") => {
            s.oauth.get_or_insert_with(OAuthSettings::default);
        }
        Some(_) => return Err(Error::invalid("auth", "is one of: password, oauth2")),
    }
    let any = a.provider.is_some()
        || a.tenant.is_some()
        || a.client_id.is_some()
        || a.token_endpoint.is_some()
        || a.device_endpoint.is_some()
        || a.authorization_endpoint.is_some()
        || a.scopes.is_some()
        || a.sasl.is_some()
        || a.client_secret_stdin;
    let Some(o) = s.oauth.as_mut() else {
        if any {
            return Err(Error::invalid("auth", "OAuth settings need --auth oauth2"));
        }
        return Ok(());
    };
    if let Some(p) = &a.provider {
        let provider = Provider::parse(p)?;
        if provider != o.provider {
            // Another provider: its own endpoints and scopes unless given again.
            o.token_endpoint = None;
            o.device_endpoint = None;
            o.authorization_endpoint = None;
            o.scopes = None;
        }
        o.provider = provider;
    }
    if let Some(t) = &a.tenant {
        o.tenant = t.clone();
    }
    if let Some(c) = &a.client_id {
        o.client_id = c.clone();
    }
    if let Some(u) = &a.token_endpoint {
        o.token_endpoint = Some(u.clone());
    }
    if let Some(u) = &a.device_endpoint {
        o.device_endpoint = Some(u.clone());
    }
    if let Some(u) = &a.authorization_endpoint {
        o.authorization_endpoint = Some(u.clone());
    }
    if let Some(sc) = &a.scopes {
        o.scopes = Some(sc.clone());
    }
    if let Some(m) = &a.sasl {
        o.mechanism = Mechanism::parse(m)?;
    }
    if a.password_stdin {
        return Err(Error::invalid(
            "password",
            "this mailbox logs in with OAuth 2.0, not a password; sign in with `rightsdesk mailbox login`",
        ));
    }
    Ok(())
}

fn item_line(item: &IntakeItem) -> String {
    let from = if item.from_name.is_empty() {
        shown(&item.from_address).to_string()
    } else {
        format!("{} <{}>", shown(&item.from_name), shown(&item.from_address))
    };
    let mut line = format!(
        "{}  {}  {}\n  subject: {}",
        item.id,
        item.received_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        from,
        shown(&item.subject)
    );
    if let Some(s) = &item.suggestion {
        match s.request_type {
            Some(t) => line.push_str(&format!("\n  suggested: {t} under {} ({})", s.regime, s.reason)),
            None => line.push_str(&format!("\n  suggested: no type ({})", s.reason)),
        }
    } else {
        line.push_str(&format!("\n  {}", item.state.as_str()));
    }
    if !item.attachments.is_empty() {
        let names: Vec<String> =
            item.attachments.iter().map(|a| format!("{} ({}, {} bytes)", shown(&a.name), a.content_type, a.size)).collect();
        line.push_str(&format!("\n  attachments: {}", names.join(", ")));
    }
    if !item.open_requests_from_sender.is_empty() {
        let refs: Vec<&str> = item.open_requests_from_sender.iter().map(|r| r.reference.as_str()).collect();
        line.push_str(&format!("\n  open request(s) from this sender: {}", refs.join(", ")));
    }
    if let Some(w) = &item.warning {
        line.push_str(&format!("\n  warning: {w}"));
    }
    line
}

pub fn intake(db: &Db, command: IntakeCommand, out: &Output) -> Result<()> {
    intake_in(Store::from(db), command, &|path, force| crate::destination(db, path, force), &current_actor(), out)
}

/// `intake` on either store, as `actor`; `destination` checks where `intake show --eml` may write.
pub fn intake_in(
    db: Store<'_>,
    command: IntakeCommand,
    destination: &dyn Fn(&std::path::Path, bool) -> Result<PathBuf>,
    actor: &str,
    out: &Output,
) -> Result<()> {
    let clock = SystemClock;
    match command {
        IntakeCommand::List { state } => {
            let state = match state.as_str() {
                "all" => None,
                s => {
                    Some(IntakeState::parse(s).ok_or_else(|| Error::invalid("state", "is one of: new, accepted, dismissed, linked, all"))?)
                }
            };
            let items = intake::list(db, state)?;
            let text = if items.is_empty() {
                "the intake is empty".to_string()
            } else {
                items.iter().map(item_line).collect::<Vec<_>>().join("\n")
            };
            out.message(&text, &items)
        }
        IntakeCommand::Show { item, eml, force } => {
            let item = intake::get(db, &item)?;
            if let Some(path) = eml {
                let target = destination(&path, force)?;
                let bytes = intake::eml(db, &item.id)?;
                atomic::write_bytes_as(&target, Overwrite::from_force(force), &bytes)?;
                return out.message(
                    &format!("saved the message of {} ({} bytes) to {}", item.id, bytes.len(), path.display()),
                    &json!({ "id": item.id, "size": bytes.len(), "sha256": item.sha256, "file": path.display().to_string() }),
                );
            }
            let mut text = item_line(&item);
            text.push_str(&format!(
                "
  state: {}",
                item.state.as_str()
            ));
            if let Some(reason) = &item.reason {
                text.push_str(&format!(
                    "
  reason: {}",
                    shown(reason)
                ));
            }
            text.push_str(&format!(
                "
  sha256: {}

{}",
                item.sha256,
                shown(&item.preview)
            ));
            out.message(&text, &item)
        }
        IntakeCommand::Accept { item, request_type, regime, jurisdiction } => {
            let options = AcceptOptions { request_type, regime, jurisdiction };
            let request = intake::accept(db, &clock, &item, &options, actor)?;
            out.request(&request)
        }
        IntakeCommand::Dismiss { item, reason } => {
            let item = intake::dismiss(db, &clock, &item, &reason, actor)?;
            out.message(&format!("dismissed {}", item.id), &json!({ "id": item.id, "state": item.state }))
        }
        IntakeCommand::Link { item, request } => {
            let item = intake::link(db, &clock, &item, &request, actor)?;
            out.message(
                &format!("linked {} to the request; the mail is on its timeline", item.id),
                &json!({ "id": item.id, "state": item.state, "request_id": item.request_id }),
            )
        }
    }
}
