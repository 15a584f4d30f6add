//! Letters, the outbox, SMTP settings and reminders. The SMTP password lives in
//! the OS keyring; where none is reachable, in [`MailState`]'s memory for this
//! session only (never on disk). A background task sends due letters and
//! retries every minute while the window is open.

use std::sync::Arc;
use std::time::Duration;

use rightsdesk_core::letters::draft::{self as letters, LetterKind, LetterPreview};
use rightsdesk_core::letters::outbox::{self, Letter};
use rightsdesk_core::letters::reminders::{self, Reminder};
use rightsdesk_core::letters::sender::{self, SendReport, Smtp, TestOutcome};
use rightsdesk_core::letters::templates::{self, TemplateName, TemplateText};
use rightsdesk_core::letters::{Lang, LetterInput, Passwords};
use rightsdesk_core::secrets::{MemorySecrets, OsKeyring, SecretStore};
use rightsdesk_core::settings::mail::MailSettings;
use rightsdesk_core::settings::mail::{self as settings, PasswordPlace, PasswordStatus};
use rightsdesk_core::store::pg::TeamRole;
use rightsdesk_core::store::Store;
use rightsdesk_core::workspace::current_actor;
use serde::Serialize;
use tauri::{Manager, State};

use crate::error::IpcError;
use crate::state::{blocking, App, Register, Team};
use crate::status::BackgroundJob;

/// The keyring, and the passwords typed this session where no keyring is reachable.
#[derive(Clone)]
pub struct MailState {
    keyring: Arc<dyn SecretStore>,
    session: Arc<MemorySecrets>,
}

impl Default for MailState {
    fn default() -> Self {
        MailState { keyring: Arc::new(OsKeyring::default()), session: Arc::new(MemorySecrets::default()) }
    }
}

impl MailState {
    pub(crate) fn passwords(&self) -> Passwords<'_> {
        Passwords { keyring: &*self.keyring, session: &*self.session }
    }

    fn smtp(&self, store: Store<'_>) -> rightsdesk_core::Result<Smtp> {
        self.passwords().smtp(store)
    }
}

/// Who is named on what the officer does (letters, packages, tasks, evidence…): on a team
/// register the login the window works as (the server records the same `session_user` whatever
/// is sent); on the local file the officer's account name.
pub(crate) fn actor_on(register: &Register) -> String {
    match register {
        Register::File(_) => current_actor(),
        Register::Team(team) => team.url.user.clone(),
    }
}

/// On a team register the mail settings and the letter templates are the team's, changed by
/// an admin only (the server refuses anyone else, SQLSTATE 42501). The window's form is
/// read-only for the others; a write that reaches here anyway is refused before the server,
/// and the server's own refusal is said the same way, naming the login's role.
pub(crate) fn admin_only(register: &Register, what: &str) -> rightsdesk_core::Result<()> {
    match register {
        Register::Team(team) if team.role != Some(TeamRole::Admin) => Err(refused(team, what)),
        _ => Ok(()),
    }
}

fn refused(team: &Team, what: &str) -> rightsdesk_core::Error {
    let role = team.role.map(|r| format!("in the {} role", r.as_str())).unwrap_or_else(|| "in none of its roles".into());
    rightsdesk_core::Error::invalid(
        "db",
        format!("only an admin of the team register may change {what}; {} is {role}; nothing was saved", team.url.user),
    )
}

/// The server's refusal (42501) of an admin-only write, said as [`refused`].
pub(crate) fn said_by_role<T>(register: &Register, what: &str, result: rightsdesk_core::Result<T>) -> rightsdesk_core::Result<T> {
    match (register, result) {
        (Register::Team(team), Err(rightsdesk_core::Error::Postgres { sqlstate, .. })) if sqlstate == "42501" => Err(refused(team, what)),
        (_, result) => result,
    }
}

/// The mail settings screen's data.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct MailSettingsView {
    /// None before the first save.
    pub settings: Option<MailSettings>,
    pub defaults: MailSettings,
    pub password: Option<PasswordStatus>,
    /// Set after a save that could not reach the keyring: tell the officer.
    pub notice: Option<String>,
}

fn view(db: Store<'_>, mail: &MailState, notice: Option<String>) -> rightsdesk_core::Result<MailSettingsView> {
    let s = settings::load(db)?;
    let password = s.as_ref().map(|s| settings::password_status(s, &*mail.keyring, &*mail.session));
    Ok(MailSettingsView { settings: s, defaults: MailSettings::default(), password, notice })
}

#[tauri::command]
#[specta::specta]
pub async fn get_mail_settings(state: State<'_, App>, mail: State<'_, MailState>) -> Result<MailSettingsView, IpcError> {
    let (register, mail) = (state.register()?, mail.inner().clone());
    blocking(move || view(register.store(), &mail, None)).await
}

#[tauri::command]
#[specta::specta]
pub async fn save_mail_settings(
    state: State<'_, App>,
    mail: State<'_, MailState>,
    settings: MailSettings,
    password: Option<String>,
) -> Result<MailSettingsView, IpcError> {
    // On a team register the settings are the team's (an admin saves them; the server refuses
    // anyone else) and the password goes into this workstation's keyring.
    let (register, mail) = (state.register()?, mail.inner().clone());
    blocking(move || {
        let db = register.store();
        // An officer on a team register keeps the password on this workstation for the team's
        // unchanged settings (sent back as loaded); changing them is the admin's.
        let saved = match settings::load(db)? {
            Some(stored) if stored == settings && matches!(register, Register::Team(_)) => stored,
            _ => {
                admin_only(&register, "the mail settings")?;
                said_by_role(&register, "the mail settings", settings::save(db, settings))?
            }
        };
        let notice = match password.filter(|p| !p.is_empty()) {
            Some(p) => match settings::store_password(&saved, &p, &*mail.keyring, &*mail.session)? {
                PasswordPlace::Keyring => None,
                PasswordPlace::SessionOnly => Some(
                    "No OS keyring is available here, so the password is kept in memory for this session only \
                     and was not stored. You will be asked for it again next time."
                        .to_string(),
                ),
            },
            None => None,
        };
        view(db, &mail, notice)
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn send_test_message(state: State<'_, App>, mail: State<'_, MailState>, to: String) -> Result<TestOutcome, IpcError> {
    let (register, mail, clock) = (state.register()?, mail.inner().clone(), state.clock.clone());
    blocking(move || sender::send_test(&mail.smtp(register.store())?, &to, clock.now())).await
}

#[tauri::command]
#[specta::specta]
pub async fn letter_kinds() -> Result<Vec<LetterKind>, IpcError> {
    Ok(letters::kinds())
}

#[tauri::command]
#[specta::specta]
pub async fn preview_letter(state: State<'_, App>, request_id: String, input: LetterInput) -> Result<LetterPreview, IpcError> {
    let (register, clock) = (state.register()?, state.clock.clone());
    blocking(move || letters::preview(register.store(), &*clock, &request_id, &input)).await
}

/// A queued letter and, when it could not be sent at once, why.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct SendLetterOutcome {
    pub letter: Letter,
    pub send_error: Option<String>,
}

#[tauri::command]
#[specta::specta]
pub async fn send_letter(
    state: State<'_, App>,
    mail: State<'_, MailState>,
    built: State<'_, crate::commands::package::BuiltPackages>,
    request_id: String,
    input: LetterInput,
    attach_package: bool,
) -> Result<SendLetterOutcome, IpcError> {
    let (register, mail, clock) = (state.register()?, mail.inner().clone(), state.clock.clone());
    let known = built.get(&request_id);
    blocking(move || {
        let db = register.store();
        // The package the letter panel offered, through the same path as `rightsdesk letter --attach`;
        // its passphrase (if encrypted) is never part of the letter.
        let attachments = if attach_package {
            let id = rightsdesk_core::domain::RequestId::from(&request_id);
            let package = rightsdesk_core::packages::built_package(db, &*clock, &id, known.as_deref())?
                .ok_or_else(|| rightsdesk_core::Error::invalid("attachments", "no package of this request was found to attach"))?;
            vec![rightsdesk_core::packages::package_attachment_in(db, &package)?]
        } else {
            Vec::new()
        };
        // Stored first; sending now is a convenience — the outbox retries if this fails.
        let sent =
            rightsdesk_core::letters::send_now(db, &*clock, &mail.passwords(), &request_id, &input, &attachments, &actor_on(&register))?;
        Ok(SendLetterOutcome { letter: sent.letter, send_error: sent.report.err().map(|e| e.to_string()) })
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn list_outbox(state: State<'_, App>, request_id: Option<String>) -> Result<Vec<Letter>, IpcError> {
    let register = state.register()?;
    blocking(move || outbox::list(register.store(), request_id.as_deref())).await
}

#[tauri::command]
#[specta::specta]
pub async fn send_outbox(state: State<'_, App>, mail: State<'_, MailState>) -> Result<SendReport, IpcError> {
    let (register, mail, clock) = (state.register()?, mail.inner().clone(), state.clock.clone());
    blocking(move || sender::send_due(register.store(), &*clock, &mail.smtp(register.store())?, &actor_on(&register))).await
}

#[tauri::command]
#[specta::specta]
pub async fn confirm_letter_sent(state: State<'_, App>, id: String, note: String) -> Result<Letter, IpcError> {
    let (register, clock) = (state.register()?, state.clock.clone());
    blocking(move || outbox::confirm_sent(register.store(), &*clock, &id, &note, &actor_on(&register))).await
}

#[tauri::command]
#[specta::specta]
pub async fn resend_letter(state: State<'_, App>, id: String) -> Result<Letter, IpcError> {
    let (register, clock) = (state.register()?, state.clock.clone());
    blocking(move || outbox::resend(register.store(), &*clock, &id, &actor_on(&register))).await
}

/// The exact bytes of a letter, as text (the message is 7-bit: non-ASCII is encoded).
#[tauri::command]
#[specta::specta]
pub async fn letter_source(state: State<'_, App>, id: String) -> Result<String, IpcError> {
    let register = state.register()?;
    blocking(move || Ok(String::from_utf8_lossy(&outbox::raw(register.store(), &id)?).into_owned())).await
}

#[tauri::command]
#[specta::specta]
pub async fn list_reminders(state: State<'_, App>) -> Result<Vec<Reminder>, IpcError> {
    let (register, clock) = (state.register()?, state.clock.clone());
    blocking(move || {
        let thresholds = settings::load(register.store())?.unwrap_or_default().reminder_days;
        reminders::due(register.store(), &*clock, &thresholds, None)
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn get_letter_template(state: State<'_, App>, name: TemplateName, lang: Lang) -> Result<TemplateText, IpcError> {
    let register = state.register()?;
    blocking(move || templates::load(register.store(), name, lang)).await
}

#[tauri::command]
#[specta::specta]
pub async fn save_letter_template(state: State<'_, App>, name: TemplateName, lang: Lang, source: String) -> Result<TemplateText, IpcError> {
    let (register, clock) = (state.register()?, state.clock.clone());
    blocking(move || {
        admin_only(&register, "the letter templates")?;
        said_by_role(
            &register,
            "the letter templates",
            templates::save(register.store(), &*clock, name, lang, &source, &actor_on(&register)),
        )
    })
    .await
}

/// Sends due letters (and retries) every minute while the app runs. Quiet when
/// mail is not set up or no password is known: the outbox screen says why. A run
/// that fails, or in which letters could not be sent and none went through, is
/// shown on the status line until a letter next goes through (said once: the same
/// words again a minute later are not reported anew).
///
/// On a team register it runs in an officer's or an admin's window only (an auditor's would be
/// refused every minute; a read replica takes no change): each letter is claimed in the outbox
/// before it is sent ([`outbox::claim_next`]), so two windows of the team never send one twice.
pub fn start_outbox_worker(app: tauri::AppHandle) {
    tauri::async_runtime::spawn(async move {
        let last = Arc::new(std::sync::Mutex::new(None::<String>));
        loop {
            let (state, mail) = (app.state::<App>().inner().clone(), app.state::<MailState>().inner().clone());
            if let Some(register) = state.register().ok().filter(sends_in_background) {
                let (clock, status, last) = (state.clock.clone(), state.status.clone(), last.clone());
                let run = tauri::async_runtime::spawn_blocking(move || {
                    let db = register.store();
                    let Ok(smtp) = mail.smtp(db) else { return };
                    // Owners who have not answered: their reminder is queued here (idempotent: one
                    // every N working days, at most one mail per owner a day) and sent just below.
                    // The owners' mailbox runs on the local file only.
                    if let Register::File(file) = &register {
                        if let Err(e) = rightsdesk_core::mailbox::owners::remind_owners(file, &*clock, None, &current_actor()) {
                            tracing::warn!(job = "owner-reminders", code = ?e.code(), "owner reminders not queued");
                        }
                    }
                    let result = sender::send_due(db, &*clock, &smtp, &actor_on(&register));
                    let problem = match &result {
                        Ok(r) if r.sent == 0 && r.failed + r.retrying + r.unknown > 0 => Some(undelivered(r)),
                        Ok(_) => None,
                        Err(e) => Some(e.to_string()),
                    };
                    let mut last = last.lock().unwrap_or_else(|p| p.into_inner());
                    match (&result, problem) {
                        (Ok(r), None) if r.sent > 0 => {
                            status.clear(BackgroundJob::Outbox);
                            *last = None;
                        }
                        (_, None) => {}
                        (_, Some(words)) if last.as_deref() == Some(words.as_str()) => {}
                        (Ok(_), Some(words)) => {
                            status.report(BackgroundJob::Outbox, &*clock, words.clone());
                            *last = Some(words);
                        }
                        (Err(_), Some(words)) => {
                            status.record(BackgroundJob::Outbox, &*clock, &result);
                            *last = Some(words);
                        }
                    }
                })
                .await;
                if run.is_err() {
                    tracing::error!(job = "outbox", "the outbox run stopped unexpectedly (a panic)");
                }
            }
            tokio::time::sleep(Duration::from_secs(60)).await;
        }
    });
}

/// Whether this window sends queued letters by itself: always on the local file; on a team
/// register for an officer or an admin on the primary, never for an auditor (the server would
/// refuse every minute) or on a read replica.
fn sends_in_background(register: &Register) -> bool {
    match register {
        Register::File(_) => true,
        Register::Team(team) => !team.replica && matches!(team.role, Some(TeamRole::Officer | TeamRole::Admin)),
    }
}

/// The status line's words for a run in which no letter went through: counts only
/// (the server's words are on each letter in the outbox, and may quote the recipient).
fn undelivered(r: &SendReport) -> String {
    let letters = |n: u32| if n == 1 { "1 letter".to_string() } else { format!("{n} letters") };
    let mut parts = Vec::new();
    if r.failed > 0 {
        parts.push(format!("{} failed", letters(r.failed)));
    }
    if r.retrying > 0 {
        parts.push(format!("{} will be retried", letters(r.retrying)));
    }
    if r.unknown > 0 {
        parts.push(format!("{} may or may not have been sent", letters(r.unknown)));
    }
    format!("{}; see the outbox", parts.join(", "))
}
