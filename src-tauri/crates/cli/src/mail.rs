//! `rightsdesk smtp | letter | outbox | reminders | calendar`: letters and
//! reminders without the window, for scripts, cron and systemd timers.

use std::io::BufRead;
use std::path::PathBuf;

use clap::{Args, Subcommand};
use rightsdesk_core::clock::{Clock, SystemClock};
use rightsdesk_core::domain::RequestId;
use rightsdesk_core::files::destination::Overwrite;
use rightsdesk_core::letters::outbox::{self, Letter};
use rightsdesk_core::letters::reminders::DigestOutcome;
use rightsdesk_core::letters::sender::{self, SendReport, Smtp};
use rightsdesk_core::letters::{self as mail, Attachment, Lang, LetterInput, Passwords};
use rightsdesk_core::secrets::{MemorySecrets, OsKeyring};
use rightsdesk_core::settings::mail::MailSettings;
use rightsdesk_core::settings::mail::Security;
use rightsdesk_core::settings::mail::{self as settings, PasswordPlace, PASSWORD_ENV};
use rightsdesk_core::store::{Db, Store};
use rightsdesk_core::workspace::current_actor;
use rightsdesk_core::{Error, Result};
use serde::Serialize;
use serde_json::json;

use crate::output::Output;

#[derive(Subcommand)]
pub enum SmtpCommand {
    /// Set the mail server and the letters' sender (flags not given keep their value).
    /// The password: RIGHTSDESK_SMTP_PASSWORD or --password-stdin, stored in the OS keyring.
    Set(Box<SmtpSetArgs>),
    /// Show the mail settings (never the password).
    Show,
    /// Send a test message and print the server's answer verbatim.
    Test {
        #[arg(long, value_name = "ADDRESS")]
        to: String,
    },
}

#[derive(Args)]
pub struct SmtpSetArgs {
    #[arg(long)]
    host: Option<String>,
    #[arg(long)]
    port: Option<u16>,
    /// starttls (required), tls (implicit, port 465) or none (localhost only)
    #[arg(long)]
    security: Option<String>,
    #[arg(long)]
    username: Option<String>,
    /// The sender address of letters.
    #[arg(long = "from", value_name = "ADDRESS")]
    from: Option<String>,
    #[arg(long = "from-name", value_name = "NAME")]
    from_name: Option<String>,
    #[arg(long = "reply-to", value_name = "ADDRESS")]
    reply_to: Option<String>,
    /// The officer's own mailbox: a copy of every letter, and the reminders.
    #[arg(long = "officer", value_name = "ADDRESS")]
    officer: Option<String>,
    /// An extra CA certificate (PEM) for an internal relay with a private CA.
    #[arg(long = "ca-file", value_name = "PEM")]
    ca_file: Option<PathBuf>,
    #[arg(long = "org-name")]
    org_name: Option<String>,
    /// How to reach the DPO, as printed in letters.
    #[arg(long = "dpo-contact")]
    dpo_contact: Option<String>,
    /// Whether a data protection officer is appointed: yes (letters print the DPO line) or no (they print none).
    #[arg(long = "dpo-appointed", value_name = "yes|no")]
    dpo_appointed: Option<String>,
    /// The EU representative (GDPR Art. 27), name and address, printed in EU GDPR letters; "" removes it.
    #[arg(long = "eu-representative", value_name = "NAME, ADDRESS")]
    eu_representative: Option<String>,
    /// Days a subject under a US state law has to appeal a refusal (your appeal process); 0 removes it.
    #[arg(long = "appeal-days", value_name = "DAYS")]
    appeal_days: Option<u32>,
    /// The default language of letters: en, de, fr.
    #[arg(long)]
    lang: Option<String>,
    /// Reminder thresholds in days before the due date, e.g. 7,3,1.
    #[arg(long = "reminder-days", value_delimiter = ',')]
    reminder_days: Option<Vec<u32>>,
    /// Read the password from the first line of standard input.
    #[arg(long = "password-stdin")]
    password_stdin: bool,
}

#[derive(Args)]
pub struct LetterArgs {
    /// The request (id or reference such as DSR-2026-0001).
    id: String,
    /// acknowledgement, identity-request, clarification-request, extension-notice, response, refusal, appeal-decision
    #[arg(long)]
    template: String,
    /// en, de or fr (default: the mail settings' language).
    #[arg(long)]
    lang: Option<String>,
    /// Why (refusal, extension notice, appeal decision).
    #[arg(long, default_value = "")]
    reasons: String,
    /// What is asked or what was done.
    #[arg(long, default_value = "")]
    details: String,
    /// Erasure: what was kept, and under which legal duty.
    #[arg(long, default_value = "")]
    kept: String,
    /// A file to attach (repeatable).
    #[arg(long = "attach", value_name = "FILE")]
    attach: Vec<PathBuf>,
    /// Print the letter instead of queueing it.
    #[arg(long)]
    preview: bool,
    /// Send the outbox right after queueing.
    #[arg(long)]
    send: bool,
}

#[derive(Subcommand)]
pub enum OutboxCommand {
    /// Letters, newest first, with their state.
    List {
        /// Only the letters of this request.
        #[arg(long)]
        request: Option<String>,
    },
    /// Send every letter that is due (retries included).
    Send,
    /// One letter; --raw prints its exact bytes.
    Show {
        id: String,
        #[arg(long)]
        raw: bool,
    },
    /// Mark a letter in state unknown as sent, after checking it arrived.
    Confirm {
        id: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Queue a failed letter, or one in state unknown that did not arrive, again (same Message-ID).
    Resend { id: String },
}

#[derive(Args)]
pub struct RemindersArgs {
    /// Requests due within N days (default: the thresholds in the mail settings, 7,3,1).
    #[arg(long)]
    days: Option<u32>,
    /// Mail the officer a digest of the reminders not given before, and send it.
    #[arg(long)]
    send: bool,
    /// Take this date (YYYY-MM-DD) as today.
    #[arg(long)]
    today: Option<String>,
}

/// The CLI's SMTP password: `RIGHTSDESK_SMTP_PASSWORD`, else the OS keyring (no session of typed passwords).
fn with_passwords<T>(f: impl FnOnce(&Passwords<'_>) -> Result<T>) -> Result<T> {
    f(&Passwords { keyring: &OsKeyring::default(), session: &MemorySecrets::default() })
}

fn smtp_for<'a>(db: impl Into<Store<'a>>) -> Result<Smtp> {
    let db = db.into();
    with_passwords(|p| p.smtp(db))
}

/// A letter sent at once, and the run that sent it (`letter --send --json`).
#[derive(Serialize)]
struct LetterSent<'a> {
    letter: &'a Letter,
    report: &'a SendReport,
}

/// The reminders mailed to the officer, their digest letter, and the run that sent it (`reminders --send --json`).
#[derive(Serialize)]
struct DigestSent<'a> {
    #[serde(flatten)]
    digest: &'a DigestOutcome,
    report: &'a SendReport,
}

pub(crate) fn letter_line(l: &Letter) -> String {
    let when = l.sent_at.unwrap_or(l.queued_at).format("%Y-%m-%d %H:%M");
    let mut line =
        format!("{}  {:<8} {:<15} {:<22} {}  {}", l.id, l.state.as_str(), l.reference.as_deref().unwrap_or("—"), l.template, when, l.to);
    if let Some(e) = l.last_error.as_deref().filter(|_| l.state != outbox::LetterState::Sent) {
        line.push_str(&format!("\n    {e}"));
    }
    line
}

fn print_report(out: &Output, r: &SendReport) -> Result<()> {
    let text = format!(
        "sent {}, retrying {}, failed {}, unknown (check before resending) {}{}",
        r.sent,
        r.retrying,
        r.failed,
        r.unknown,
        r.details.iter().map(|d| format!("\n  {d}")).collect::<String>()
    );
    out.message(&text, r)
}

pub fn smtp(db: &Db, command: SmtpCommand, out: &Output) -> Result<()> {
    smtp_in(Store::from(db), command, out)
}

/// `smtp` on either store. On a team register the settings are the team's (an admin sets
/// them; the server refuses anyone else) and the password is in each workstation's keyring.
pub fn smtp_in(db: Store<'_>, command: SmtpCommand, out: &Output) -> Result<()> {
    let clock = SystemClock;
    match command {
        SmtpCommand::Show => {
            let s = settings::load(db)?.unwrap_or_default();
            let text = format!(
                "{}:{} ({:?}), user {}, from {} <{}>, officer {}",
                s.host,
                s.port,
                s.security,
                s.username.as_deref().unwrap_or("—"),
                s.from_name,
                s.from_address,
                s.officer_address.as_deref().unwrap_or("—")
            );
            out.message(&text, &s)
        }
        SmtpCommand::Test { to } => {
            let outcome = sender::send_test(&smtp_for(db)?, &to, clock.now())?;
            out.message(&outcome.reply, &outcome)?;
            if outcome.ok {
                Ok(())
            } else {
                Err(Error::invalid("smtp", "the server did not take the test message (its answer is above)"))
            }
        }
        SmtpCommand::Set(a) => {
            let a = *a;
            let mut s = settings::load(db)?.unwrap_or_default();
            let set = |target: &mut String, v: Option<String>| {
                if let Some(v) = v {
                    *target = v;
                }
            };
            set(&mut s.host, a.host);
            if let Some(p) = a.port {
                s.port = p;
            }
            if let Some(sec) = a.security {
                s.security = Security::parse(&sec)?;
            }
            if let Some(u) = a.username {
                s.username = Some(u).filter(|u| !u.is_empty());
            }
            set(&mut s.from_address, a.from);
            set(&mut s.from_name, a.from_name);
            if let Some(r) = a.reply_to {
                s.reply_to = Some(r);
            }
            if let Some(o) = a.officer {
                s.officer_address = Some(o);
            }
            if let Some(path) = a.ca_file {
                let pem = std::fs::read_to_string(&path).map_err(|e| Error::invalid("ca-file", format!("cannot be read ({e})")))?;
                s.extra_ca_pem = Some(pem);
            }
            set(&mut s.org_name, a.org_name);
            set(&mut s.dpo_contact, a.dpo_contact);
            if let Some(v) = a.dpo_appointed {
                s.dpo_appointed = Some(match v.trim() {
                    "yes" => true,
                    "no" => false,
                    _ => return Err(Error::invalid("dpo-appointed", "is yes or no")),
                });
            }
            if let Some(r) = a.eu_representative {
                s.eu_representative = Some(r).filter(|r| !r.trim().is_empty());
            }
            if let Some(d) = a.appeal_days {
                s.appeal_days = Some(d).filter(|d| *d > 0);
            }
            if let Some(l) = a.lang {
                s.default_lang = Lang::parse(&l)?;
            }
            if let Some(d) = a.reminder_days {
                s.reminder_days = d;
            }
            let s = settings::save(db, s)?;
            let password = if a.password_stdin {
                let mut line = String::new();
                std::io::stdin().lock().read_line(&mut line)?;
                Some(line.trim_end_matches(['\r', '\n']).to_string())
            } else {
                std::env::var(PASSWORD_ENV).ok()
            };
            let mut note = String::new();
            if let Some(p) = password.filter(|p| !p.is_empty()) {
                match settings::store_password(&s, &p, &OsKeyring::default(), &MemorySecrets::default())? {
                    PasswordPlace::Keyring => note = "; the password is in the OS keyring".into(),
                    PasswordPlace::SessionOnly => {
                        note = format!("; no OS keyring is available, so the password was NOT stored — set {PASSWORD_ENV} for each run")
                    }
                }
            }
            out.message(&format!("mail settings saved ({}:{}){note}", s.host, s.port), &s)
        }
    }
}

fn read_attachments(paths: &[PathBuf]) -> Result<Vec<Attachment>> {
    paths
        .iter()
        .map(|p| {
            let bytes = std::fs::read(p).map_err(|e| Error::invalid("attach", format!("{} cannot be read ({e})", p.display())))?;
            let name = p.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "attachment".into());
            let content_type = match p.extension().and_then(|e| e.to_str()).unwrap_or("") {
                "zip" => "application/zip",
                "pdf" => "application/pdf",
                "json" => "application/json",
                "csv" => "text/csv",
                "txt" => "text/plain",
                _ => "application/octet-stream",
            };
            Ok(Attachment { name, content_type: content_type.into(), bytes })
        })
        .collect()
}

pub fn letter(db: &Db, a: LetterArgs, out: &Output) -> Result<()> {
    letter_in(Store::from(db), a, &current_actor(), out)
}

/// `letter` on either store, as `actor` (on a team register the login, which the server records).
pub fn letter_in(db: Store<'_>, a: LetterArgs, actor: &str, out: &Output) -> Result<()> {
    let clock = SystemClock;
    let input = LetterInput {
        template: a.template,
        lang: a.lang.as_deref().map(Lang::parse).transpose()?,
        reasons: a.reasons,
        details: a.details,
        kept: a.kept,
    };
    if a.preview {
        let p = mail::draft::preview(db, &clock, &a.id, &input)?;
        return out.message(&format!("To: {}\nSubject: {}\n\n{}", p.to, p.subject, p.text), &p);
    }
    let attachments = read_attachments(&a.attach)?;
    if a.send {
        let sent = with_passwords(|p| mail::send_now(db, &clock, p, &a.id, &input, &attachments, actor))?;
        // Queued but not sent (no mail server, no password, a failed run): the command fails; the outbox keeps the letter.
        let report = sent.report?;
        return out.message(&letter_line(&sent.letter), &LetterSent { letter: &sent.letter, report: &report });
    }
    let letter = mail::draft::queue(db, &clock, &RequestId::from(&a.id), &input, &attachments, actor)?;
    out.message(&letter.id, &letter)
}

pub fn outbox_command(db: &Db, command: OutboxCommand, out: &Output) -> Result<()> {
    outbox_in(Store::from(db), command, &current_actor(), out)
}

/// `outbox` on either store, as `actor`.
pub fn outbox_in(db: Store<'_>, command: OutboxCommand, actor: &str, out: &Output) -> Result<()> {
    let clock = SystemClock;
    match command {
        OutboxCommand::List { request } => {
            let letters = outbox::list(db, request.as_deref())?;
            let text = if letters.is_empty() {
                "the outbox is empty".to_string()
            } else {
                letters.iter().map(letter_line).collect::<Vec<_>>().join("\n")
            };
            out.message(&text, &letters)
        }
        OutboxCommand::Send => print_report(out, &sender::send_due(db, &clock, &smtp_for(db)?, actor)?),
        OutboxCommand::Show { id, raw } => {
            if raw {
                use std::io::Write;
                let bytes = outbox::raw(db, &id)?;
                std::io::stdout().write_all(&bytes)?;
                return Ok(());
            }
            let l = outbox::load(db, &id)?;
            let text = format!(
                "{}\n  Message-ID: {}\n  Subject: {}\n  attempts: {}, server: {}\n\n{}",
                letter_line(&l),
                l.message_id,
                l.subject,
                l.attempts,
                l.server_reply.as_deref().unwrap_or("—"),
                l.body_text
            );
            out.message(&text, &l)
        }
        OutboxCommand::Confirm { id, note } => {
            let l = outbox::confirm_sent(db, &clock, &id, &note, actor)?;
            out.message(&letter_line(&l), &l)
        }
        OutboxCommand::Resend { id } => {
            let l = outbox::resend(db, &clock, &id, actor)?;
            out.message(&letter_line(&l), &l)
        }
    }
}

pub fn reminders(db: &Db, a: RemindersArgs, out: &Output) -> Result<()> {
    reminders_in(Store::from(db), a, &current_actor(), out)
}

/// `reminders` on either store, as `actor`.
pub fn reminders_in(db: Store<'_>, a: RemindersArgs, actor: &str, out: &Output) -> Result<()> {
    let clock = SystemClock;
    let today = a.today.as_deref().map(|d| d.parse().map_err(|_| Error::invalid("today", "must be a date YYYY-MM-DD"))).transpose()?;
    let thresholds = match a.days {
        Some(d) => vec![d],
        None => settings::load(db)?.unwrap_or_else(MailSettings::default).reminder_days,
    };
    if a.send {
        let digest = mail::reminders::queue_digest(db, &clock, &thresholds, today, actor)?;
        if digest.letter.is_none() {
            return out.message("no new reminders", &digest);
        }
        let report = sender::send_due(db, &clock, &smtp_for(db)?, actor)?;
        let text =
            format!("{} reminder(s) mailed to the officer; sent {}, retrying {}", digest.reminders.len(), report.sent, report.retrying);
        return out.message(&text, &DigestSent { digest: &digest, report: &report });
    }
    let due = mail::reminders::due(db, &clock, &thresholds, today)?;
    let text = if due.is_empty() {
        "nothing due soon or overdue".to_string()
    } else {
        due.iter()
            .map(|r| {
                let when = if r.days_left < 0 { format!("{} days overdue", -r.days_left) } else { format!("{} days left", r.days_left) };
                format!(
                    "{:<15} {:<22} {:<10} due {} ({when}){}",
                    r.reference,
                    r.request_type,
                    r.regime,
                    r.due,
                    if r.already_given { "  [reminded]" } else { "" }
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    out.message(&text, &due)
}

pub fn calendar(db: &Db, path: &std::path::Path, force: bool, out: &Output) -> Result<()> {
    let target = crate::destination(db, path, force)?;
    let n = rightsdesk_core::register::calendar::write(db, &SystemClock, &target, Overwrite::from_force(force))?;
    out.message(&format!("wrote {} with {n} due date(s)", path.display()), &json!({ "file": path.display().to_string(), "requests": n }))
}
