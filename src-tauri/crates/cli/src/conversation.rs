//! `rightsdesk mail`: a request's conversation without the window — the letters
//! sent and the mails received, the one-click "identity / clarification
//! received" for scripts, an attachment saved out; and the received mails that
//! `request show` lists.

use std::path::PathBuf;

use clap::Subcommand;
use rightsdesk_core::clock::Clock;
use rightsdesk_core::domain::RequestDetail;
use rightsdesk_core::files::atomic;
use rightsdesk_core::files::destination::Overwrite;
use rightsdesk_core::mailbox::conversation::{self, ConversationMail, Direction, ReceivedAs};
use rightsdesk_core::store::{Db, Store};
use rightsdesk_core::workspace::current_actor;
use rightsdesk_core::{Error, Result};
use serde::Serialize;
use serde_json::json;

use crate::outln;
use crate::output::{print_json, shown, Output};

#[derive(Subcommand)]
pub enum MailCommand {
    /// A request's mails out and in, oldest first (ID or reference), with their text and attachments.
    List { request: String },
    /// Record that a received mail brought the identity evidence or the clarification the request
    /// awaits, dated by the mail's arrival in the organisation's zone; the dates are recomputed.
    Received {
        /// The mail's id (as `mail list` or `request show` prints it).
        mail: String,
        /// The mail brought the identity evidence asked for.
        #[arg(long, conflicts_with = "clarification", required_unless_present = "clarification")]
        identity: bool,
        /// The mail brought the clarification asked for.
        #[arg(long)]
        clarification: bool,
    },
    /// Save an attachment of a received mail to a file (never opened by Rightsdesk).
    Save {
        mail: String,
        /// The attachment's number as `mail list` shows it (1 = the first).
        #[arg(long, default_value_t = 1)]
        attachment: usize,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Replace the file if it exists (never the database or its data folders).
        #[arg(long)]
        force: bool,
    },
}

impl MailCommand {
    pub fn reads_only(&self) -> bool {
        matches!(self, MailCommand::List { .. } | MailCommand::Save { .. })
    }
}

/// A received mail as `request show --json` lists it.
#[derive(Serialize)]
struct ReceivedMail<'a> {
    id: &'a str,
    /// `reply`, `linked` or `request` (the mail the request was registered from).
    kind: &'a str,
    from: &'a str,
    subject: &'a str,
    /// The server's arrival time, RFC 3339 UTC.
    received_at: String,
    attachments: &'a [rightsdesk_core::mailbox::AttachmentInfo],
    recorded_as: &'a [ReceivedAs],
    offers: &'a [ReceivedAs],
}

fn received_mails(mails: &[ConversationMail]) -> Vec<ReceivedMail<'_>> {
    mails
        .iter()
        .filter(|m| m.direction == Direction::In)
        .map(|m| ReceivedMail {
            id: &m.id,
            kind: &m.kind,
            from: &m.from,
            subject: &m.subject,
            received_at: m.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            attachments: &m.attachments,
            recorded_as: &m.recorded,
            offers: &m.offers,
        })
        .collect()
}

fn what(w: ReceivedAs) -> &'static str {
    match w {
        ReceivedAs::Identity => "identity received",
        ReceivedAs::Clarification => "clarification received",
    }
}

/// `request show`, on either store: the request with its dates and timeline, the mails
/// received on it, and the letters sent or queued on it, oldest first (the outbox's lines;
/// `letters` in JSON).
pub fn show_request<'a>(db: impl Into<Store<'a>>, clock: &dyn Clock, id: &str, out: &Output) -> Result<()> {
    let db = db.into();
    let detail = rightsdesk_core::requests::detail(db, clock, id)?;
    let mails = conversation::conversation(db, &detail.request.id)?.mails;
    let received = received_mails(&mails);
    let mut letters = rightsdesk_core::letters::outbox::list(db, Some(&detail.request.id))?;
    letters.reverse();
    if out.json {
        #[derive(Serialize)]
        struct Shown<'a> {
            #[serde(flatten)]
            detail: &'a RequestDetail,
            received_mails: Vec<ReceivedMail<'a>>,
            letters: &'a [rightsdesk_core::letters::outbox::Letter],
        }
        return print_json(&Shown { detail: &detail, received_mails: received, letters: &letters });
    }
    out.detail(&detail)?;
    if !received.is_empty() {
        outln!("  received mails:");
        for m in &received {
            outln!("    {}  {}  {}  {}", m.received_at, m.id, shown(m.from), shown(m.subject));
        }
    }
    if !letters.is_empty() {
        outln!("  letters:");
        for l in &letters {
            for line in crate::mail::letter_line(l).lines() {
                outln!("    {line}");
            }
        }
    }
    Ok(())
}

fn mail_text(m: &ConversationMail) -> String {
    let arrow = match m.direction {
        Direction::Out => "sent",
        Direction::In => "received",
    };
    let mut text = format!(
        "{}  {arrow} ({})  {}\n  from: {}\n  to: {}\n  subject: {}",
        m.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        m.kind,
        m.id,
        shown(&m.from),
        shown(&m.to),
        shown(&m.subject)
    );
    for (i, a) in m.attachments.iter().enumerate() {
        text.push_str(&format!("\n  attachment {}: {} ({}, {} bytes)", i + 1, shown(&a.name), a.content_type, a.size));
    }
    for r in &m.recorded {
        text.push_str(&format!("\n  recorded: {}", what(*r)));
    }
    for o in &m.offers {
        text.push_str(&format!("\n  may be recorded: {} (rightsdesk mail received {} --{})", what(*o), m.id, o.as_str()));
    }
    if let Some(w) = &m.warning {
        text.push_str(&format!("\n  warning: {w}"));
    }
    for line in m.body.lines() {
        text.push_str(&format!("\n  | {}", shown(line)));
    }
    text
}

pub fn run(db: &Db, clock: &dyn Clock, command: MailCommand, out: &Output) -> Result<()> {
    run_in(Store::from(db), clock, command, &|path, force| crate::destination(db, path, force), &current_actor(), out)
}

/// `mail` on either store, as `actor`; `destination` checks where `mail save` may write.
pub fn run_in(
    db: Store<'_>,
    clock: &dyn Clock,
    command: MailCommand,
    destination: &dyn Fn(&std::path::Path, bool) -> Result<std::path::PathBuf>,
    actor: &str,
    out: &Output,
) -> Result<()> {
    match command {
        MailCommand::List { request } => {
            let c = conversation::conversation(db, &request)?;
            let text = if c.mails.is_empty() {
                format!("{}: no mails sent or received yet", c.reference)
            } else {
                c.mails.iter().map(mail_text).collect::<Vec<_>>().join("\n\n")
            };
            out.message(&text, &c)
        }
        MailCommand::Received { mail, identity, clarification } => {
            let which = match (identity, clarification) {
                (true, false) => ReceivedAs::Identity,
                (false, true) => ReceivedAs::Clarification,
                _ => return Err(Error::invalid("identity", "give one of --identity or --clarification")),
            };
            let detail = conversation::record_received(db, clock, &mail, which, actor)?;
            if out.json {
                return print_json(&detail);
            }
            let r = &detail.request;
            outln!(
                "{}: {} recorded by mail; the clock runs from {}, due {}",
                r.reference,
                what(which),
                r.schedule.clock_start,
                r.due.map_or_else(|| "—".to_string(), |d| d.to_string())
            );
            Ok(())
        }
        MailCommand::Save { mail, attachment, out: path, force } => {
            let index = attachment.checked_sub(1).ok_or_else(|| Error::invalid("attachment", "counts from 1"))?;
            let target = destination(&path, force)?;
            let (name, bytes) = conversation::attachment(db, &mail, index)?;
            atomic::write_bytes_as(&target, Overwrite::from_force(force), &bytes)?;
            out.message(
                &format!("saved {} ({} bytes) to {}", shown(&name), bytes.len(), path.display()),
                &json!({ "name": name, "size": bytes.len(), "file": path.display().to_string() }),
            )
        }
    }
}
