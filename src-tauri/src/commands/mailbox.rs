//! The privacy mailbox: its settings (the password in the OS keyring), the connection
//! test, "Fetch now" and the background fetch's status ([`crate::mailbox_watch`]), and
//! the Inbox: the intake's items, each accepted as a request, dismissed with a reason,
//! or linked to a request. Each command is one core call (`rightsdesk_core::mailbox`).

use rightsdesk_core::domain::Request;
use rightsdesk_core::mailbox::fetch::{self as imap, FetchReport, ServerCheck};
use rightsdesk_core::mailbox::intake::{self, AcceptOptions};
use rightsdesk_core::mailbox::settings::{self as mailbox_settings, MailboxSettings, PASSWORD_ENV};
use rightsdesk_core::mailbox::{IntakeItem, IntakeState};
use rightsdesk_core::secrets::{SecretError, SecretStore};
use rightsdesk_core::workspace::current_actor;
use serde::Serialize;
use tauri::State;

use crate::error::IpcError;
use crate::mailbox_watch::{self as watch, MailboxWatch, WatchStatus};
use crate::state::{blocking, App};

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
    pub password: Option<ImapPassword>,
    /// Minutes between background fetches.
    pub poll_minutes: u32,
    /// Set after a save that could not reach the keyring: tell the officer.
    pub notice: Option<String>,
}

fn password_of(settings: &MailboxSettings, watch: &MailboxWatch) -> ImapPassword {
    if std::env::var(PASSWORD_ENV).is_ok_and(|p| !p.is_empty()) {
        return ImapPassword::Environment;
    }
    let name = settings.password_name();
    if watch.secrets.session.get(&name).ok().flatten().is_some() {
        ImapPassword::Session
    } else if watch.secrets.keyring.get(&name).ok().flatten().is_some() {
        ImapPassword::Keyring
    } else {
        ImapPassword::Missing
    }
}

fn view(db: &rightsdesk_core::store::Db, watch: &MailboxWatch, notice: Option<String>) -> rightsdesk_core::Result<MailboxSettingsView> {
    let settings = mailbox_settings::load(db)?;
    let password = settings.as_ref().map(|s| password_of(s, watch));
    Ok(MailboxSettingsView { settings, defaults: MailboxSettings::default(), password, poll_minutes: watch::poll_minutes(db), notice })
}

#[tauri::command]
#[specta::specta]
pub async fn get_mailbox_settings(state: State<'_, App>, watch: State<'_, MailboxWatch>) -> Result<MailboxSettingsView, IpcError> {
    let (db, watch) = (state.db()?, watch.inner().clone());
    blocking(move || view(&db, &watch, None)).await
}

/// Saves the settings (and the password, to the OS keyring; to this session's memory where
/// none is reachable) and wakes the background fetch so it reads with them now.
#[tauri::command]
#[specta::specta]
pub async fn save_mailbox_settings(
    state: State<'_, App>,
    watch: State<'_, MailboxWatch>,
    settings: MailboxSettings,
    password: Option<String>,
    poll_minutes: u32,
) -> Result<MailboxSettingsView, IpcError> {
    let (db, w) = (state.db()?, watch.inner().clone());
    let result = blocking(move || {
        // Both checked before either is written: a bad value saves nothing.
        watch::check_poll_minutes(poll_minutes)?;
        let saved = mailbox_settings::save(&db, settings)?;
        watch::save_poll_minutes(&db, poll_minutes)?;
        let notice = match password.filter(|p| !p.is_empty()) {
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
        view(&db, &w, notice)
    })
    .await?;
    watch.wake();
    Ok(result)
}

/// Logs in and reports the server's capabilities and the folder's message count.
#[tauri::command]
#[specta::specta]
pub async fn test_mailbox(state: State<'_, App>, watch: State<'_, MailboxWatch>) -> Result<ServerCheck, IpcError> {
    let (db, secrets) = (state.db()?, watch.secrets.clone());
    blocking(move || imap::test(&mailbox_settings::require(&db)?, &secrets)).await
}

/// Reads the mailbox now (after a background run that is under way has ended).
#[tauri::command]
#[specta::specta]
pub async fn fetch_mailbox(state: State<'_, App>, watch: State<'_, MailboxWatch>) -> Result<FetchReport, IpcError> {
    let db = state.db()?;
    blocking(move || mailbox_settings::require(&db).map(|_| ())).await?;
    match watch.run_once(&state).await {
        Ok(report) => Ok(report.unwrap_or_default()),
        Err(e) => Err(e.into()),
    }
}

/// The background fetch: running or not, its last result or error, when it runs next.
#[tauri::command]
#[specta::specta]
pub async fn mailbox_status(watch: State<'_, MailboxWatch>) -> Result<WatchStatus, IpcError> {
    Ok(watch.status())
}

/// The intake's items in `state` (all when none), newest first as the core lists them.
#[tauri::command]
#[specta::specta]
pub async fn list_intake(state: State<'_, App>, filter: Option<IntakeState>) -> Result<Vec<IntakeItem>, IpcError> {
    let db = state.db()?;
    blocking(move || intake::list(&db, filter)).await
}

/// One item with its suggestion and the open requests from the same sender.
#[tauri::command]
#[specta::specta]
pub async fn get_intake_item(state: State<'_, App>, id: String) -> Result<IntakeItem, IpcError> {
    let db = state.db()?;
    blocking(move || intake::get(&db, &id)).await
}

/// Registers the request the mail asks for, received at the server's arrival time.
#[tauri::command]
#[specta::specta]
pub async fn accept_intake(state: State<'_, App>, id: String, options: AcceptOptions) -> Result<Request, IpcError> {
    let (db, clock) = (state.db()?, state.clock.clone());
    blocking(move || intake::accept(&db, &*clock, &id, &options, &current_actor())).await
}

#[tauri::command]
#[specta::specta]
pub async fn dismiss_intake(state: State<'_, App>, id: String, reason: String) -> Result<IntakeItem, IpcError> {
    let (db, clock) = (state.db()?, state.clock.clone());
    blocking(move || intake::dismiss(&db, &*clock, &id, &reason, &current_actor())).await
}

/// Files the mail on an existing request, chosen by its reference (or id).
#[tauri::command]
#[specta::specta]
pub async fn link_intake(state: State<'_, App>, id: String, request: String) -> Result<IntakeItem, IpcError> {
    let (db, clock) = (state.db()?, state.clock.clone());
    blocking(move || intake::link(&db, &*clock, &id, request.trim(), &current_actor())).await
}
