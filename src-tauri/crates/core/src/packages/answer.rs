//! Send answer (issue 17, item 6): the response letter goes out from the
//! request, with the answer package attached when the mail server takes it.
//!
//! The package is built first if none is on disk (the default
//! `packages/<reference>-package.zip` beside the database). Whether it fits is
//! decided by the server's own limit (the SIZE extension of its EHLO answer,
//! RFC 1870, against the message the attachment makes: base64 adds a third)
//! and the mail settings' attachment limit; a package that does not fit is not
//! attached, nothing is sent, and the officer is told how it will be delivered —
//! the letter goes without it only when the officer confirms
//! ([`AnswerInput::without_package`]). An encrypted package built here gets a
//! generated passphrase, returned once for the officer to give by another
//! channel: it is never in the mail.
//!
//! The letter goes through the outbox ([`crate::letters::send_now`]). Once
//! the server has accepted it, the request is completed as of that moment, so
//! its closing day (`closed_on`, the answered date the on-time figures count)
//! is the day the server accepted the answer, in the request's time zone.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::clock::{Clock, FixedClock};
use crate::domain::lang::Lang;
use crate::domain::{RequestId, RequestType, Status};
use crate::error::{Error, Result};
use crate::files::destination::Overwrite;
use crate::letters::sender;
use crate::letters::{Attachment, Letter, LetterInput, LetterState, Passwords};
use crate::packages::{built_package, package_attachment_in, BuiltPackage, PackageOptions};
use crate::requests::{self, StatusChange};
use crate::store::Store;

/// Room for the letter, headers and MIME framing around the attachment.
const LETTER_ROOM: u64 = 256 * 1024;

/// What the officer chooses for Send answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct AnswerInput {
    /// Encrypt a package built now (AES-256) with a generated passphrase, shown once.
    pub encrypt: bool,
    /// A passphrase of the officer's own for a package built now (the CLI's `--passphrase-env`).
    #[serde(skip)]
    pub passphrase: Option<String>,
    /// Send the letter without the package when it is too large to attach (the officer confirmed).
    pub without_package: bool,
    /// Complete the request although tasks are still open, for this reason (kept on the timeline).
    pub open_tasks_reason: Option<String>,
    /// What the response letter says was done (required for some types, e.g. erasure).
    pub details: String,
    /// Erasure: what was kept, and under which legal duty.
    pub kept: String,
    /// The letter's language; none means the mail settings' default.
    pub lang: Option<Lang>,
}

/// Where Send answer ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "kebab-case")]
pub enum AnswerState {
    /// The server accepted the answer; the request is completed as of then.
    Sent,
    /// The letter waits in the outbox (the server could not be reached or refused for now).
    Queued,
    /// Nothing was sent: the package is too large to attach; the officer confirms sending without it.
    NeedsConfirmation,
}

/// What Send answer did.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AnswerOutcome {
    pub state: AnswerState,
    /// The response letter, when one was queued.
    pub letter: Option<Letter>,
    /// The answer package, for an access or portability request.
    pub package: Option<BuiltPackage>,
    /// Whether the package went with the letter.
    pub attached: bool,
    /// The largest package that can be attached, in bytes, and where that limit comes from
    /// (`server`: its SIZE extension; `settings`: the mail settings).
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub limit_bytes: u64,
    pub limit_source: String,
    /// The generated passphrase of a package encrypted now: give it to the subject by another
    /// channel (a call, a text message). Shown once; never stored, never in the mail.
    pub passphrase: Option<String>,
    /// How the package reaches the subject when it is not attached.
    pub delivery: Option<String>,
    /// The request's answered date: the day the server accepted the letter.
    pub answered_on: Option<NaiveDate>,
    /// Why the letter is not sent yet, or why the request could not be completed after it was.
    pub problem: Option<String>,
}

fn mb(n: u64) -> String {
    format!("{:.1} MB", n as f64 / 1_048_576.0)
}

/// The line the letter carries when the package goes another way.
fn delivery_line(lang: Lang, name: &str) -> String {
    match lang {
        Lang::En => format!("Your data package ({name}) is too large to send by email. It reaches you separately, by a secure download link or an encrypted storage medium; we will tell you how to open it."),
        Lang::De => format!("Ihr Datenpaket ({name}) ist zu groß für den Versand per E-Mail. Sie erhalten es gesondert, über einen sicheren Download-Link oder auf einem verschlüsselten Datenträger; wie Sie es öffnen, teilen wir Ihnen mit."),
        Lang::Fr => format!("Votre paquet de données ({name}) est trop volumineux pour être envoyé par courriel. Il vous parvient séparément, par un lien de téléchargement sécurisé ou sur un support chiffré ; nous vous indiquerons comment l'ouvrir."),
    }
}

/// Sends the response letter of request `id`, with its package attached when it fits.
/// `known` is where the officer saved the package this session (the app), if not in the default folder.
pub fn send_answer<'a>(
    store: impl Into<Store<'a>>,
    clock: &dyn Clock,
    passwords: &Passwords<'_>,
    id: &str,
    known: Option<&std::path::Path>,
    input: &AnswerInput,
    actor: &str,
) -> Result<AnswerOutcome> {
    let db = store.into();
    let request = requests::detail(db, clock, id)?.request;
    let rid = RequestId::from(&request.id);
    if request.status.is_closed() {
        return Err(Error::invalid("request", format!("{} is already {}; its answer was given", request.reference, request.status)));
    }
    if !matches!(request.status, Status::InProgress | Status::Received) {
        return Err(Error::invalid(
            "status",
            format!("{} is {}; it can be answered once it is in progress", request.reference, request.status),
        ));
    }
    let reason = input.open_tasks_reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
    let open: Vec<String> = crate::tasks::list(db, &request.id)?
        .into_iter()
        .filter(|t| t.status == crate::tasks::TaskStatus::Open)
        .map(|t| t.system_name)
        .collect();
    if !open.is_empty() && reason.is_none() {
        return Err(Error::invalid(
            "tasks",
            format!(
                "{} task{} still open ({}); close {} first, or give a reason to answer anyway",
                open.len(),
                if open.len() == 1 { " is" } else { "s are" },
                open.join(", "),
                if open.len() == 1 { "it" } else { "them" }
            ),
        ));
    }
    // The mail server: needed to send, and to ask its size limit.
    let smtp = passwords.smtp(db)?;
    let lang = input.lang.unwrap_or(smtp.settings.default_lang);
    let settings_limit = u64::from(smtp.settings.max_attachment_bytes);
    let server_limit = sender::size_limit(&smtp);

    // The package: the one on disk, else built now.
    let mut passphrase = None;
    let package = if matches!(request.request_type, RequestType::Access | RequestType::Portability) {
        match built_package(db, clock, &rid, known)? {
            Some(p) => Some(p),
            None => {
                let phrase = match (&input.passphrase, input.encrypt) {
                    (Some(p), _) => Some(p.clone()),
                    (None, true) => Some(crate::packages::generate_passphrase()?),
                    (None, false) => None,
                };
                // On the file: `packages/` beside it. On a team register the package is kept in
                // the database, so the ZIP is only written to a temporary folder on the way.
                let mut scratch = None;
                let out = match db {
                    Store::Sqlite(file) => crate::packages::out_path(file, clock, &rid, "")?,
                    Store::Postgres(_) => {
                        scratch.insert(tempfile::tempdir()?).path().join(crate::packages::default_file_name(&request.reference))
                    }
                };
                let sources = crate::packages::sources_from_workspace(db, &request.id)?;
                crate::packages::build_in(
                    db,
                    clock,
                    &rid,
                    sources,
                    &PackageOptions { out: &out, passphrase: phrase.as_deref(), overwrite: Overwrite::Refuse },
                    Some(lang),
                    actor,
                    &mut |_| {},
                )?;
                // Only a passphrase generated here is shown; the officer knows their own.
                passphrase = phrase.filter(|_| input.passphrase.is_none());
                built_package(db, clock, &rid, Some(&out))?
            }
        }
    } else {
        None
    };

    // What fits: the settings' limit on the file, the server's on the whole message.
    let (limit_bytes, limit_source) = match server_limit {
        Some(s) => {
            let room = s.saturating_sub(LETTER_ROOM) / 4 * 3;
            (room.min(settings_limit), if room < settings_limit { "server" } else { "settings" })
        }
        None => (settings_limit, "settings"),
    };
    let fits = package.as_ref().is_some_and(|p| p.bytes <= limit_bytes);
    let mut package = package;
    if let Some(p) = package.as_mut() {
        p.limit_bytes = limit_bytes;
        p.fits = fits;
    }
    let delivery = package.as_ref().filter(|_| !fits).map(|p| {
        format!(
            "The package {} is {}; the mail server takes at most {} ({}). It will not be attached: deliver it by another \
             channel (a secure download link, or an encrypted storage medium by registered post) and give the subject the passphrase \
             separately if it is encrypted. The letter then tells the subject the package follows separately.",
            p.name,
            mb(p.bytes),
            mb(limit_bytes),
            if limit_source == "server" { "the server's SIZE limit" } else { "the mail settings' attachment limit" }
        )
    });
    let outcome = |state, letter, attached, answered_on, problem| AnswerOutcome {
        state,
        letter,
        package: package.clone(),
        attached,
        limit_bytes,
        limit_source: limit_source.to_string(),
        passphrase: passphrase.clone(),
        delivery: delivery.clone(),
        answered_on,
        problem,
    };
    if package.is_some() && !fits && !input.without_package {
        return Ok(outcome(AnswerState::NeedsConfirmation, None, false, None, None));
    }

    let attachments: Vec<Attachment> = match package.as_ref().filter(|_| fits) {
        Some(p) => vec![package_attachment_in(db, p)?],
        None => Vec::new(),
    };
    let mut details = input.details.trim().to_string();
    if let Some(p) = package.as_ref().filter(|_| !fits) {
        let line = delivery_line(lang, &p.name);
        details = if details.is_empty() { line } else { format!("{details}\n\n{line}") };
    }
    let letter_input =
        LetterInput { template: "response".into(), lang: Some(lang), reasons: String::new(), details, kept: input.kept.clone() };
    let sent = crate::letters::send_now(db, clock, passwords, &request.id, &letter_input, &attachments, actor)?;
    let letter = sent.letter;
    let attached = !attachments.is_empty();
    if letter.state != LetterState::Sent {
        let problem = match sent.report {
            Err(e) => e.to_string(),
            Ok(_) => letter.last_error.clone().unwrap_or_else(|| format!("the letter is {}", letter.state.as_str())),
        };
        return Ok(outcome(AnswerState::Queued, Some(letter), attached, None, Some(problem)));
    }
    // Answered when the server accepted it: the closing day is that moment's date in the request's zone.
    let accepted = letter.sent_at.unwrap_or_else(|| clock.now());
    let at = FixedClock(accepted);
    let completed = db.write(|tx| {
        let now = requests::rows::get(tx, &request.id, requests::today_in(&at))?;
        if now.status == Status::Received {
            requests::change_status_in(tx, &at, &rid, &StatusChange::to(Status::InProgress, None), actor)?;
        }
        requests::change_status_in(tx, &at, &rid, &StatusChange::to(Status::Completed, reason), actor)?;
        Ok(())
    });
    let closed_on = requests::detail(db, clock, &request.id)?.request;
    let answered_on = (closed_on.status == Status::Completed).then(|| crate::clock::local_date(accepted, &closed_on.time_zone));
    tracing::info!(request = %request.id, attached, completed = completed.is_ok(), "answer sent");
    Ok(outcome(AnswerState::Sent, Some(letter), attached, answered_on, completed.err().map(|e| e.to_string())))
}
