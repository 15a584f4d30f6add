//! The privacy mailbox: its settings (the password in the OS keyring), the connection
//! test, "Fetch now" and the background fetch's status ([`crate::mailbox_watch`]), and
//! the Inbox: the intake's items, each accepted as a request, dismissed with a reason,
//! or linked to a request. Each command is one core call (`rightsdesk_core::mailbox`).
//!
//! OAuth (Microsoft 365, Google Workspace, another provider): "Sign in…" starts the provider's
//! sign-in on its own thread ([`start_mailbox_sign_in`] answers at once with the code and the
//! address to open), the window polls [`mailbox_sign_in_status`]; the refresh token goes to the
//! OS keyring (this session's memory where none is reachable) and never to the window or a log.

use rightsdesk_core::domain::Request;
use std::sync::{Arc, Mutex};

use rightsdesk_core::mailbox::fetch::{self as imap, FetchReport, ServerCheck};
use rightsdesk_core::mailbox::intake::{self, AcceptOptions};
use rightsdesk_core::mailbox::oauth::{self, Provider};
use rightsdesk_core::mailbox::settings::{self as mailbox_settings, MailboxSettings, PASSWORD_ENV};
use rightsdesk_core::mailbox::{IntakeItem, IntakeState};
use rightsdesk_core::secrets::{SecretError, SecretStore};
use rightsdesk_core::store::Store;
use rightsdesk_core::Error;
use serde::Serialize;
use tauri::State;

use crate::commands::mail::{actor_on, admin_only, said_by_role};
use crate::error::IpcError;
use crate::mailbox_watch::{self as watch, MailboxWatch, WatchStatus};
use crate::state::{blocking, App, Register};

/// Where the IMAP password for the login comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "kebab-case")]
pub enum ImapPassword {
    /// `RIGHTSDESK_IMAP_PASSWORD` is set for the app.
    Environment,
    /// The OS keyring holds it.
    Keyring,
    /// Typed this session; no keyring is reachable, so it is forgotten when the app closes.
    Session,
    /// None is known yet.
    Missing,
}

/// The mailbox section of the mail settings.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct MailboxSettingsView {
    /// None before the first save.
    pub settings: Option<MailboxSettings>,
    pub defaults: MailboxSettings,
    /// Where the password is; for an OAuth mailbox, where the sign-in (its refresh token) is
    /// (`environment`: `RIGHTSDESK_IMAP_ACCESS_TOKEN` is set for the app).
    pub password: Option<ImapPassword>,
    /// Minutes between background fetches.
    pub poll_minutes: u32,
    /// Set after a save that could not reach the keyring: tell the officer.
    pub notice: Option<String>,
}

fn password_of(settings: &MailboxSettings, watch: &MailboxWatch) -> ImapPassword {
    let (env, name) = match settings.oauth {
        None => (PASSWORD_ENV, settings.password_name()),
        Some(_) => (oauth::ACCESS_TOKEN_ENV, oauth::refresh_token_name(settings)),
    };
    if std::env::var(env).is_ok_and(|p| !p.is_empty()) {
        return ImapPassword::Environment;
    }
    if watch.secrets.session.get(&name).ok().flatten().is_some() {
        ImapPassword::Session
    } else if watch.secrets.keyring.get(&name).ok().flatten().is_some() {
        ImapPassword::Keyring
    } else {
        ImapPassword::Missing
    }
}

fn view(db: Store<'_>, watch: &MailboxWatch, notice: Option<String>) -> rightsdesk_core::Result<MailboxSettingsView> {
    let settings = mailbox_settings::load(db)?;
    let password = settings.as_ref().map(|s| password_of(s, watch));
    Ok(MailboxSettingsView { settings, defaults: MailboxSettings::default(), password, poll_minutes: watch::poll_minutes(db), notice })
}

#[tauri::command]
#[specta::specta]
pub async fn get_mailbox_settings(state: State<'_, App>, watch: State<'_, MailboxWatch>) -> Result<MailboxSettingsView, IpcError> {
    let (register, watch) = (state.register()?, watch.inner().clone());
    blocking(move || view(register.store(), &watch, None)).await
}

/// Keeps a secret in the OS keyring, or in this session's memory where none is reachable
/// (then says so: the notice the window shows).
fn keep_secret(w: &MailboxWatch, name: &str, value: &str, what: &str, env: &str) -> rightsdesk_core::Result<Option<String>> {
    match w.secrets.keyring.set(name, value) {
        Ok(()) => {
            let _ = w.secrets.session.delete(name);
            Ok(None)
        }
        Err(SecretError::Unavailable(_)) => {
            let _ = w.secrets.session.set(name, value);
            Ok(Some(format!(
                "No OS keyring is available here, so the {what} is kept in memory for this session only \
                 and was not stored. Enter it again next time, or set {env} for the app."
            )))
        }
        Err(SecretError::Failed(why)) => Err(Error::invalid("client_secret", format!("the OS keyring refused the {what} ({why})"))),
    }
}

/// Saves the settings (the same core call as `rightsdesk mailbox set`) and the password, or for
/// an OAuth mailbox the client secret, to the OS keyring (to this session's memory where none is
/// reachable), and wakes the background fetch so it reads with them now. On a team register
/// the settings and the poll interval are the team's, changed by its admin only (the server
/// refuses anyone else); an officer sends them back unchanged to keep the password (or client
/// secret) in this workstation's keyring.
#[tauri::command]
#[specta::specta]
pub async fn save_mailbox_settings(
    state: State<'_, App>,
    watch: State<'_, MailboxWatch>,
    settings: MailboxSettings,
    password: Option<String>,
    client_secret: Option<String>,
    poll_minutes: u32,
) -> Result<MailboxSettingsView, IpcError> {
    let (register, w) = (state.register()?, watch.inner().clone());
    let result = blocking(move || {
        let db = register.store();
        // All checked before anything is written: a bad value saves nothing.
        watch::check_poll_minutes(poll_minutes)?;
        let checked = settings.validated()?;
        let password = password.filter(|p| !p.is_empty());
        let client_secret = client_secret.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        match &checked.oauth {
            Some(_) if password.is_some() => {
                return Err(Error::invalid(
                    "password",
                    "this mailbox signs in with OAuth; no password is used (choose Password to use one)",
                ));
            }
            None if client_secret.is_some() => {
                return Err(Error::invalid("client_secret", "is only used with an OAuth sign-in"));
            }
            _ => {}
        }
        if client_secret.as_ref().is_some_and(|s| s.len() > 500 || s.chars().any(char::is_control)) {
            return Err(Error::invalid("client_secret", "is one line of up to 500 characters"));
        }
        let unchanged = matches!(register, Register::Team(_))
            && mailbox_settings::load(db)?.is_some_and(|stored| stored == checked)
            && watch::poll_minutes(db) == poll_minutes;
        let saved = if unchanged {
            checked
        } else {
            admin_only(&register, "the mailbox settings")?;
            let saved = said_by_role(&register, "the mailbox settings", mailbox_settings::save(db, checked))?;
            said_by_role(&register, "the mailbox settings", watch::save_poll_minutes(db, poll_minutes))?;
            saved
        };
        if let (Some(o), Some(secret)) = (&saved.oauth, &client_secret) {
            let notice = keep_secret(&w, &oauth::client_secret_name(o), secret, "client secret", oauth::CLIENT_SECRET_ENV)?;
            return view(db, &w, notice);
        }
        let notice = match password {
            Some(p) => match w.secrets.keyring.set(&saved.password_name(), &p) {
                Ok(()) => {
                    let _ = w.secrets.session.delete(&saved.password_name());
                    None
                }
                Err(SecretError::Unavailable(_)) => {
                    let _ = w.secrets.session.set(&saved.password_name(), &p);
                    Some(format!(
                        "No OS keyring is available here, so the IMAP password is kept in memory for this session only \
                         and was not stored. Enter it again next time, or set {PASSWORD_ENV} for the app."
                    ))
                }
                Err(SecretError::Failed(_)) => {
                    mailbox_settings::store_password(&saved, &p, &*w.secrets.keyring)?;
                    None
                }
            },
            None => None,
        };
        view(db, &w, notice)
    })
    .await?;
    watch.wake();
    Ok(result)
}

/// Logs in and reports the server's capabilities and the folder's message count.
#[tauri::command]
#[specta::specta]
pub async fn test_mailbox(state: State<'_, App>, watch: State<'_, MailboxWatch>) -> Result<ServerCheck, IpcError> {
    let (register, secrets) = (state.register()?, watch.secrets.clone());
    blocking(move || imap::test(&mailbox_settings::require(register.store())?, &secrets)).await
}

/// Reads the mailbox now (after a background run that is under way has ended). On a team
/// register an officer's or admin's window reads it (each message is filed once however many
/// workstations fetch); an auditor's is refused (the server would refuse its writes).
#[tauri::command]
#[specta::specta]
pub async fn fetch_mailbox(state: State<'_, App>, watch: State<'_, MailboxWatch>) -> Result<FetchReport, IpcError> {
    let register = state.register()?;
    watch::may_fetch(&register)?;
    blocking(move || mailbox_settings::require(register.store()).map(|_| ())).await?;
    match watch.run_once(&state).await {
        Ok(report) => Ok(report.unwrap_or_default()),
        Err(e) => Err(e.into()),
    }
}

/// The background fetch: running or not, its last result or error, when it runs next.
///
/// Whether a mailbox is set up is read from the register here, not only from the background
/// fetch's last run: at start the window asks before that run has read the settings, and the
/// Inbox must not say "no mailbox is set up" for a moment when one is.
#[tauri::command]
#[specta::specta]
pub async fn mailbox_status(state: State<'_, App>, watch: State<'_, MailboxWatch>) -> Result<WatchStatus, IpcError> {
    let mut status = watch.status();
    if let Some(register) = watch::fetching_register(&state) {
        if let Ok(Ok(configured)) =
            tauri::async_runtime::spawn_blocking(move || mailbox_settings::load(register.store()).map(|s| s.is_some())).await
        {
            status.configured = configured;
        }
    }
    Ok(status)
}

/// The intake's items in `state` (all when none), newest first as the core lists them.
#[tauri::command]
#[specta::specta]
pub async fn list_intake(state: State<'_, App>, filter: Option<IntakeState>) -> Result<Vec<IntakeItem>, IpcError> {
    let register = state.register()?;
    blocking(move || intake::list(register.store(), filter)).await
}

/// One item with its suggestion and the open requests from the same sender.
#[tauri::command]
#[specta::specta]
pub async fn get_intake_item(state: State<'_, App>, id: String) -> Result<IntakeItem, IpcError> {
    let register = state.register()?;
    blocking(move || intake::get(register.store(), &id)).await
}

/// Registers the request the mail asks for, received at the server's arrival time.
#[tauri::command]
#[specta::specta]
pub async fn accept_intake(state: State<'_, App>, id: String, options: AcceptOptions) -> Result<Request, IpcError> {
    let (register, clock) = (state.register()?, state.clock.clone());
    blocking(move || intake::accept(register.store(), &*clock, &id, &options, &actor_on(&register))).await
}

#[tauri::command]
#[specta::specta]
pub async fn dismiss_intake(state: State<'_, App>, id: String, reason: String) -> Result<IntakeItem, IpcError> {
    let (register, clock) = (state.register()?, state.clock.clone());
    blocking(move || intake::dismiss(register.store(), &*clock, &id, &reason, &actor_on(&register))).await
}

/// Files the mail on an existing request, chosen by its reference (or id).
#[tauri::command]
#[specta::specta]
pub async fn link_intake(state: State<'_, App>, id: String, request: String) -> Result<IntakeItem, IpcError> {
    let (register, clock) = (state.register()?, state.clock.clone());
    blocking(move || intake::link(register.store(), &*clock, &id, request.trim(), &actor_on(&register))).await
}

// ---------------------------------------------------------------------------
// OAuth sign-in from the window.

/// Where a sign-in started from the window is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, specta::Type)]
#[serde(rename_all = "kebab-case")]
pub enum SignInState {
    /// None started since the window opened.
    #[default]
    Idle,
    /// Asking the provider, or waiting for the officer to sign in at the address shown.
    Waiting,
    SignedIn,
    Failed,
    Cancelled,
}

/// What went wrong, for a message in the officer's language (the core's words come beside it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "kebab-case")]
pub enum SignInFailure {
    /// The officer (or the organisation's policy) declined at the provider.
    Declined,
    /// The code expired before the sign-in was completed.
    Expired,
    /// The provider refused (a wrong client ID or tenant, a flow not allowed, no refresh token).
    Refused,
    /// The provider could not be reached.
    Network,
    /// The refresh token could not be kept.
    Keyring,
    Other,
}

impl SignInFailure {
    /// From the core's message (`rightsdesk_core::mailbox::oauth`), which names what happened.
    fn of(message: &str) -> SignInFailure {
        let m = message.to_ascii_lowercase();
        if m.contains("declined") || m.contains("was not completed") {
            SignInFailure::Declined
        } else if m.contains("expired") || m.contains("in time;") && m.contains("browser") {
            SignInFailure::Expired
        } else if m.contains("cannot reach the sign-in service") {
            SignInFailure::Network
        } else if m.contains("keyring") {
            SignInFailure::Keyring
        } else if m.contains("refused") || m.contains("no refresh token") || m.contains("oauth") {
            SignInFailure::Refused
        } else {
            SignInFailure::Other
        }
    }
}

/// The window's view of the sign-in: never a token.
#[derive(Debug, Clone, Default, Serialize, specta::Type)]
pub struct SignInStatus {
    /// Counts the sign-ins started; a result of an older one is not taken.
    pub attempt: u32,
    pub state: SignInState,
    /// The device-code flow (Microsoft 365, other providers): the code to type at `address`.
    pub user_code: Option<String>,
    /// The page to open: the provider's device page, or (Google: `user_code` is none) the
    /// sign-in page that sends the browser back to Rightsdesk on this machine.
    pub address: Option<String>,
    /// When the code expires (RFC 3339, UTC).
    pub expires_at: Option<String>,
    /// The account signed in (the mailbox's user name).
    pub account: Option<String>,
    /// Where the refresh token is kept: `keyring`, or `session` (no keyring: memory only).
    pub kept: Option<ImapPassword>,
    pub failure: Option<SignInFailure>,
    /// The core's message (English).
    pub error: Option<String>,
}

/// The sign-in started from the window (one at a time; a new one supersedes the last).
#[derive(Clone, Default)]
pub struct SignIn(Arc<Mutex<SignInStatus>>);

impl SignIn {
    fn lock(&self) -> std::sync::MutexGuard<'_, SignInStatus> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Applies `f` if `attempt` is still the current one and waiting; whether it was.
    fn update(&self, attempt: u32, f: impl FnOnce(&mut SignInStatus)) -> bool {
        let mut s = self.lock();
        if s.attempt != attempt || s.state != SignInState::Waiting {
            return false;
        }
        f(&mut s);
        true
    }
}

/// The keyring the core's sign-in writes to: it reads through to the app's secrets (the client
/// secret) and holds the new refresh token until the sign-in is known to be still wanted (not
/// cancelled, not superseded); only then is it kept.
struct Staging {
    secrets: watch::Secrets,
    held: Mutex<Option<(String, String)>>,
}

impl SecretStore for Staging {
    fn get(&self, name: &str) -> Result<Option<String>, SecretError> {
        if let Some((n, v)) = &*self.held.lock().unwrap_or_else(|p| p.into_inner()) {
            if n == name {
                return Ok(Some(v.clone()));
            }
        }
        self.secrets.get(name)
    }
    fn set(&self, name: &str, value: &str) -> Result<(), SecretError> {
        *self.held.lock().unwrap_or_else(|p| p.into_inner()) = Some((name.to_string(), value.to_string()));
        Ok(())
    }
    fn delete(&self, _name: &str) -> Result<(), SecretError> {
        Ok(())
    }
}

fn oauth_settings(db: Store<'_>) -> rightsdesk_core::Result<MailboxSettings> {
    let settings = mailbox_settings::require(db)?;
    if settings.oauth.is_none() {
        return Err(Error::invalid(
            "auth",
            "this mailbox logs in with a password; choose Microsoft 365, Google Workspace or another OAuth provider and save first",
        ));
    }
    Ok(settings)
}

/// Keeps a new refresh token in the OS keyring, or in this session's memory where none is reachable.
fn keep_sign_in(w: &MailboxWatch, name: &str, token: &str) -> rightsdesk_core::Result<ImapPassword> {
    match w.secrets.keyring.set(name, token) {
        Ok(()) => {
            let _ = w.secrets.session.delete(name);
            Ok(ImapPassword::Keyring)
        }
        Err(SecretError::Unavailable(_)) => {
            let _ = w.secrets.session.set(name, token);
            Ok(ImapPassword::Session)
        }
        Err(SecretError::Failed(why)) => {
            Err(Error::invalid("oauth", format!("the OS keyring refused the sign-in ({why}); nothing was stored")))
        }
    }
}

/// Starts the provider's sign-in for the saved mailbox on its own thread and answers as soon
/// as there is something to show: the code and the address (device-code flow; for Google, whose
/// device flow does not give the mail scope, the browser sign-in's address), or the error.
#[tauri::command]
#[specta::specta]
pub async fn start_mailbox_sign_in(
    state: State<'_, App>,
    watch: State<'_, MailboxWatch>,
    sign_in: State<'_, SignIn>,
) -> Result<SignInStatus, IpcError> {
    let (register, w, sign_in, clock) = (state.register()?, watch.inner().clone(), sign_in.inner().clone(), state.clock.clone());
    blocking(move || {
        let settings = oauth_settings(register.store())?;
        let attempt = {
            let mut s = sign_in.lock();
            *s = SignInStatus { attempt: s.attempt.wrapping_add(1), state: SignInState::Waiting, ..SignInStatus::default() };
            s.attempt
        };
        let (shown_tx, shown_rx) = std::sync::mpsc::channel::<()>();
        let thread_sign_in = sign_in.clone();
        std::thread::Builder::new()
            .name("mailbox-sign-in".into())
            .spawn(move || {
                let sign_in = thread_sign_in;
                let staging = Staging { secrets: w.secrets.clone(), held: Mutex::new(None) };
                let browser = settings.oauth.as_ref().is_some_and(|o| o.provider == Provider::Google);
                let result = if browser {
                    oauth::browser_login(&settings, &staging, &mut |url| {
                        sign_in.update(attempt, |s| s.address = Some(url.to_string()));
                        let _ = shown_tx.send(());
                    })
                } else {
                    oauth::device_login(&settings, &staging, &mut |code| {
                        let expires = clock.now() + std::time::Duration::from_secs(code.expires_in.min(86_400));
                        sign_in.update(attempt, |s| {
                            s.user_code = Some(code.user_code.clone());
                            s.address = Some(code.verification_uri.clone());
                            s.expires_at = Some(expires.to_rfc3339());
                        });
                        let _ = shown_tx.send(());
                    })
                };
                let held = staging.held.lock().unwrap_or_else(|p| p.into_inner()).take();
                let succeeded = result.is_ok();
                let signed_in = {
                    // One lock from the check to the outcome: a Cancel cannot come in between.
                    let mut s = sign_in.lock();
                    let current = s.attempt == attempt && s.state == SignInState::Waiting;
                    let outcome = match (result, held) {
                        _ if !current => None,
                        (Ok(_), Some((name, token))) => Some(keep_sign_in(&w, &name, &token)),
                        (Ok(_), None) => Some(Err(Error::Internal("the sign-in gave nothing to keep".into()))),
                        (Err(e), _) => Some(Err(e)),
                    };
                    match outcome {
                        Some(Ok(kept)) => {
                            s.state = SignInState::SignedIn;
                            s.account = settings.username.clone();
                            s.kept = Some(kept);
                            s.user_code = None;
                            s.expires_at = None;
                            true
                        }
                        Some(Err(e)) => {
                            tracing::warn!(error = %e, "mailbox sign-in did not complete");
                            s.state = SignInState::Failed;
                            s.failure = Some(SignInFailure::of(&e.to_string()));
                            s.error = Some(e.to_string());
                            false
                        }
                        None => false,
                    }
                };
                if signed_in {
                    tracing::info!("mailbox signed in from the window");
                    // The background fetch starts with the new sign-in ("after new settings").
                    w.wake();
                } else if succeeded {
                    // Cancelled, superseded or not kept: not even the access token stays in memory.
                    oauth::forget(&settings);
                }
                let _ = shown_tx.send(());
            })
            .map_err(|e| Error::Internal(format!("the sign-in could not start: {e}")))?;
        // Something to show (or the sign-in ended first): answer with the status.
        let _ = shown_rx.recv();
        Ok(sign_in.lock().clone())
    })
    .await
}

/// The sign-in's state, polled by the window while it waits.
#[tauri::command]
#[specta::specta]
pub async fn mailbox_sign_in_status(sign_in: State<'_, SignIn>) -> Result<SignInStatus, IpcError> {
    Ok(sign_in.lock().clone())
}

/// Stops waiting: whatever the provider says afterwards, nothing is kept.
#[tauri::command]
#[specta::specta]
pub async fn cancel_mailbox_sign_in(sign_in: State<'_, SignIn>) -> Result<SignInStatus, IpcError> {
    let mut s = sign_in.lock();
    if s.state == SignInState::Waiting {
        *s = SignInStatus { attempt: s.attempt, state: SignInState::Cancelled, ..SignInStatus::default() };
    }
    Ok(s.clone())
}

/// Signs out: deletes the refresh token (keyring and this session's memory) and forgets the
/// access token; the mailbox is not read again until the next sign-in.
#[tauri::command]
#[specta::specta]
pub async fn sign_out_mailbox(
    state: State<'_, App>,
    watch: State<'_, MailboxWatch>,
    sign_in: State<'_, SignIn>,
) -> Result<MailboxSettingsView, IpcError> {
    let (register, w, sign_in) = (state.register()?, watch.inner().clone(), sign_in.inner().clone());
    blocking(move || {
        let settings = oauth_settings(register.store())?;
        let name = oauth::refresh_token_name(&settings);
        let _ = w.secrets.session.delete(&name);
        match w.secrets.keyring.delete(&name) {
            Ok(()) | Err(SecretError::Unavailable(_)) => {}
            Err(SecretError::Failed(why)) => {
                return Err(Error::invalid("keyring", format!("the OS keyring did not delete the sign-in ({why})")));
            }
        }
        oauth::forget(&settings);
        {
            let mut s = sign_in.lock();
            *s = SignInStatus { attempt: s.attempt.wrapping_add(1), ..SignInStatus::default() };
        }
        tracing::info!("mailbox signed out");
        view(register.store(), &w, None)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_core_s_sign_in_errors_are_told_apart_for_the_window() {
        assert_eq!(SignInFailure::of("oauth: the sign-in was declined; nothing was stored"), SignInFailure::Declined);
        assert_eq!(
            SignInFailure::of("oauth: the code expired before the sign-in was completed; sign in again (Mail settings → Sign in… in the app, or `rightsdesk mailbox login`)"),
            SignInFailure::Expired
        );
        assert_eq!(
            SignInFailure::of("oauth: cannot reach the sign-in service at idp.example: the connection failed; try again later"),
            SignInFailure::Network
        );
        assert_eq!(
            SignInFailure::of("oauth: the provider refused to start a device sign-in (invalid_client); check the client ID"),
            SignInFailure::Refused
        );
        assert_eq!(SignInFailure::of("oauth: the OS keyring refused the sign-in (locked); nothing was stored"), SignInFailure::Keyring);
    }

    #[test]
    fn a_staged_sign_in_is_held_not_written_until_it_is_kept() {
        let secrets = watch::Secrets {
            keyring: Arc::new(rightsdesk_core::secrets::MemorySecrets::default()),
            session: Arc::new(rightsdesk_core::secrets::MemorySecrets::default()),
        };
        secrets.keyring.set("imap-oauth-client-secret:c", "s").unwrap();
        let staging = Staging { secrets: secrets.clone(), held: Mutex::new(None) };
        staging.set("imap-oauth-refresh:a@h:993", "r").unwrap();
        assert_eq!(staging.get("imap-oauth-refresh:a@h:993").unwrap().as_deref(), Some("r"));
        assert_eq!(staging.get("imap-oauth-client-secret:c").unwrap().as_deref(), Some("s"), "reads through");
        assert_eq!(secrets.get("imap-oauth-refresh:a@h:993").unwrap(), None, "nothing written yet");
    }
}
