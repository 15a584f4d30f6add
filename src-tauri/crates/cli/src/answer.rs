//! Asking the systems' owners and sending the answer (issue 17, items 5 and 6):
//! `rightsdesk task send TASK`, `task owners ID`, `task close-from-reply TASK`,
//! `task remind-owners`, and `rightsdesk answer ID`.

use clap::Args;
use rightsdesk_core::clock::Clock;
use rightsdesk_core::letters::{Lang, Passwords};
use rightsdesk_core::mailbox::owners::{self, TaskOwner};
use rightsdesk_core::packages::{self, AnswerInput, AnswerState};
use rightsdesk_core::secrets::{MemorySecrets, OsKeyring};
use rightsdesk_core::store::Store;
use rightsdesk_core::{Error, Result};

use crate::output::Output;

/// `rightsdesk answer ID`: the response letter, with the package attached when the mail server takes it.
#[derive(Args)]
pub struct AnswerArgs {
    /// The request (ID or reference such as DSR-2026-0001).
    pub id: String,
    /// Encrypt a package built now with the passphrase in this environment variable (at least 12 characters).
    #[arg(long, value_name = "VAR", conflicts_with = "encrypt")]
    pub passphrase_env: Option<String>,
    /// Encrypt a package built now with a generated passphrase, printed once on stderr (or as `passphrase` in
    /// --json). Give it to the subject by another channel: it is never in the mail.
    #[arg(long)]
    pub encrypt: bool,
    /// Send the letter without the package when the package is too large to attach (it goes another way).
    #[arg(long)]
    pub without_package: bool,
    /// Answer although tasks are still open, for this reason (kept on the timeline).
    #[arg(long, value_name = "REASON")]
    pub open_tasks_reason: Option<String>,
    /// What the letter says was done (required for some answers, e.g. erasure).
    #[arg(long, default_value = "")]
    pub details: String,
    /// Erasure: what was kept, and under which legal duty.
    #[arg(long, default_value = "")]
    pub kept: String,
    /// The letter's language: en, de or fr (default: the mail settings').
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,
}

/// The CLI's SMTP password: `RIGHTSDESK_SMTP_PASSWORD`, else the OS keyring.
fn with_passwords<T>(f: impl FnOnce(&Passwords<'_>) -> Result<T>) -> Result<T> {
    f(&Passwords { keyring: &OsKeyring::default(), session: &MemorySecrets::default() })
}

pub fn answer<'a>(db: impl Into<Store<'a>>, clock: &dyn Clock, a: AnswerArgs, actor: &str, out: &Output) -> Result<()> {
    let db = db.into();
    let passphrase = match a.passphrase_env.as_deref() {
        None => None,
        Some(var) => match std::env::var(var) {
            Ok(p) if !p.is_empty() => Some(p),
            _ => return Err(Error::invalid("passphrase-env", format!("the environment variable {var} is not set or empty"))),
        },
    };
    let input = AnswerInput {
        encrypt: a.encrypt,
        passphrase,
        without_package: a.without_package,
        open_tasks_reason: a.open_tasks_reason,
        details: a.details,
        kept: a.kept,
        lang: a.lang.as_deref().map(Lang::parse).transpose()?,
    };
    let o = with_passwords(|p| packages::send_answer(db, clock, p, &a.id, None, &input, actor))?;
    if let (Some(phrase), false) = (&o.passphrase, out.json) {
        // Once, on stderr: not in a log of stdout, never stored, never in the mail.
        eprintln!("Passphrase (shown once; give it to the subject by another channel than the mail): {phrase}");
    }
    let package = o.package.as_ref().map(|p| format!("{} ({} bytes)", p.name, p.bytes));
    let text = match o.state {
        AnswerState::Sent => format!(
            "answer sent{}; the request is answered on {}",
            match (&package, o.attached) {
                (Some(p), true) => format!(" with the package {p} attached"),
                (Some(_), false) => " without the package (it goes another way)".to_string(),
                (None, _) => String::new(),
            },
            o.answered_on.map_or_else(|| "— (not completed)".to_string(), |d| d.to_string())
        ),
        AnswerState::Queued => {
            format!("answer queued, not sent yet: {}; the outbox retries it", o.problem.as_deref().unwrap_or("the server did not take it"))
        }
        AnswerState::NeedsConfirmation => format!(
            "nothing sent. {} To send the letter without it, run again with --without-package.",
            o.delivery.as_deref().unwrap_or_default()
        ),
    };
    out.message(&rightsdesk_core::domain::printable(&text), &o)?;
    if let (AnswerState::Sent, Some(problem)) = (o.state, &o.problem) {
        eprintln!("rightsdesk: the answer went out, but the request could not be completed: {}", crate::output::defused(problem, false));
    }
    Ok(())
}

fn owner_lines(list: &[TaskOwner]) -> String {
    let mut lines = Vec::new();
    for t in list {
        let who = t.owner.clone().unwrap_or_else(|| format!("cannot send ({})", t.cannot_send.clone().unwrap_or_default()));
        let mut line = format!("{}  owner: {who}", t.task_id);
        if let Some(m) = t.mails.last() {
            line.push_str(&format!("; last mail {} {} ({})", m.kind, m.queued_at.format("%Y-%m-%d"), m.state.as_str()));
        }
        if let Some(r) = t.replies.last() {
            line.push_str(&format!("; replied {}", r.received_at.format("%Y-%m-%d %H:%M")));
        }
        if let Some(r) = t.offer() {
            line.push_str(&format!("; offers to close as {} (task close-from-reply {})", r.suggestion.map_or("?", |s| s.as_str()), r.id));
        }
        lines.push(rightsdesk_core::domain::printable(&line).to_string());
    }
    lines.join("\n")
}

/// `task send TASK`
pub fn send<'a>(db: impl Into<Store<'a>>, clock: &dyn Clock, task: &str, actor: &str, out: &Output) -> Result<()> {
    let sent = with_passwords(|p| owners::send_to_owner(db, clock, p, task, actor))?;
    let due = sent.mail.due.map_or_else(|| "—".to_string(), |d| d.to_string());
    let text = match &sent.send_error {
        None => format!("sent to {} (answer by {due}); Message-ID {}", sent.mail.to, sent.mail.message_id),
        Some(e) => format!("queued to {} (answer by {due}), not sent yet: {e}; the outbox retries it", sent.mail.to),
    };
    out.message(&rightsdesk_core::domain::printable(&text), &sent)
}

/// `task owners ID`
pub fn list<'a>(db: impl Into<Store<'a>>, request: &str, out: &Output) -> Result<()> {
    let list = owners::task_owners(db, request)?;
    if out.json {
        return crate::output::print_json(&list);
    }
    out.message(&owner_lines(&list), &list)
}

/// `task close-from-reply TASK|REPLY`
pub fn close_from_reply<'a>(db: impl Into<Store<'a>>, clock: &dyn Clock, reply: &str, actor: &str, out: &Output) -> Result<()> {
    let t = owners::close_task_from_reply(db, clock, reply, actor)?;
    let text = format!("task {} ({}) closed as {}: {}", t.position, t.system_name, t.status.as_str(), t.note);
    out.message(&rightsdesk_core::domain::printable(&text), &t)
}

/// `task remind-owners`
pub fn remind<'a>(db: impl Into<Store<'a>>, clock: &dyn Clock, actor: &str, out: &Output) -> Result<()> {
    let r = with_passwords(|p| owners::remind_owners(db, clock, Some(p), actor))?;
    let mut text = format!("{} reminder(s) to owners; {} held back (their owner had a mail today)", r.reminded, r.held_back);
    if let Some(e) = &r.send_error {
        text.push_str(&format!("; not sent yet: {e}"));
    }
    out.message(&text, &r)
}

/// `task owner-settings [--lead-days N] [--reminder-days N]`
pub fn owner_settings<'a>(
    db: impl Into<Store<'a>>,
    clock: &dyn Clock,
    lead: Option<u32>,
    reminder: Option<u32>,
    actor: &str,
    out: &Output,
) -> Result<()> {
    let db = db.into();
    let mut s = owners::owner_settings(db)?;
    if lead.is_some() || reminder.is_some() {
        s.lead_working_days = lead.unwrap_or(s.lead_working_days);
        s.reminder_working_days = reminder.unwrap_or(s.reminder_working_days);
        s = owners::set_owner_settings(db, clock, &s, actor)?;
    }
    let text = format!(
        "owners answer {} working days before the internal target; reminded every {} working days",
        s.lead_working_days, s.reminder_working_days
    );
    out.message(&text, &s)
}
