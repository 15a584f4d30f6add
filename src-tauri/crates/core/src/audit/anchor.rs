//! Anchors of the audit trail outside the file: once a day, the chain's head
//! (event number, hash, time) mailed to the officer's own mailbox, and the
//! check of a chain against the anchors found in a mailbox (mbox file or
//! Maildir directory).
//!
//! A chain kept in the same file cannot prove that the file was not rewritten
//! whole: anyone with the key can recompute every hash. An anchor is a copy of
//! the head held by someone else (the mail server, the officer's mailbox), so a
//! rewrite of any part of the history up to an anchored event no longer
//! matches it. What it does not prove: anything after the newest anchor, or
//! that the mailbox itself was not edited by someone who controls it too.
//!
//! An anchor is no letter: it is sent straight through the SMTP sender, not
//! queued in the outbox. Losing one costs nothing (the next run sends another)
//! and a second one the same day is harmless, so it needs neither the outbox's
//! states nor the officer's confirmation. A sent anchor is an `audit-anchored`
//! event, so the trail itself records which heads left the file and when.
//!
//! Both stores: a team register's chain is anchored and checked the same way (the
//! server's copy can be rewritten by whoever runs it, which an anchor held elsewhere shows).

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::letters::compose;
use crate::letters::render::{escape_html, Rendered};
use crate::letters::sender::{self, Delivery, Smtp};
use crate::secrets::SecretStore;
use crate::settings::mail::{self as settings, MailSettings};
use crate::store::events::{self, EventKind, NewEvent};
use crate::store::Store;

/// The mark that starts an anchor line in a message's text: `rightsdesk-audit-anchor/1 seq=N hash=H at=T`.
pub const MARK: &str = "rightsdesk-audit-anchor/1";

/// The timeline kind of a sent anchor.
pub const ANCHORED_KIND: EventKind = EventKind::AuditAnchored;

/// One anchor: the head of the chain at a moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anchor {
    pub seq: i64,
    pub hash: String,
    /// When the anchor was taken (RFC 3339 UTC).
    pub at: String,
}

impl Anchor {
    /// The line an anchor message carries.
    pub fn line(&self) -> String {
        format!("{MARK} seq={} hash={} at={}", self.seq, self.hash, self.at)
    }

    /// Reads an anchor line; `None` for anything else.
    pub fn parse(line: &str) -> Option<Anchor> {
        let rest = line.trim().strip_prefix(MARK)?;
        let (mut seq, mut hash, mut at) = (None, None, None);
        for part in rest.split_whitespace() {
            match part.split_once('=') {
                Some(("seq", v)) => seq = v.parse::<i64>().ok(),
                Some(("hash", v)) if v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()) => hash = Some(v.to_ascii_lowercase()),
                Some(("at", v)) => at = Some(v.to_string()),
                _ => {}
            }
        }
        Some(Anchor { seq: seq?, hash: hash?, at: at.unwrap_or_default() })
    }
}

/// What a run of [`send_if_due`] did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum AnchorOutcome {
    /// The head was mailed to the officer; the server's answer.
    Sent { anchor: Anchor, to: String, reply: String },
    /// One was already sent today (UTC).
    AlreadySentToday { at: String },
    /// Mail is not set up, or has no officer address: nothing to send to.
    NotSetUp { why: String },
    /// The trail is empty: nothing to anchor yet.
    NothingToAnchor,
}

/// The newest seal: the head of the chain (on either store).
pub fn head<'a>(store: impl Into<Store<'a>>, now: DateTime<Utc>) -> Result<Option<Anchor>> {
    store.into().read(|c| {
        c.query_opt("SELECT seq, hash FROM audit_chain ORDER BY seq DESC LIMIT 1", &[], |r| {
            Ok(Anchor { seq: r.get(0)?, hash: r.get(1)?, at: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true) })
        })
    })
}

/// When the last anchor was sent, from the trail.
fn last_sent(store: Store<'_>) -> Result<Option<String>> {
    store.read(|c| c.query_row("SELECT max(at) FROM audit_chain WHERE kind = ?1", &[&ANCHORED_KIND.as_str()], |r| r.get(0)))
}

/// The message: the anchor line in the plain text, with a few words on what it is for.
fn message(settings: &MailSettings, anchor: &Anchor) -> Rendered {
    let org = if settings.org_name.trim().is_empty() { "the register" } else { settings.org_name.trim() };
    let subject = format!("Rightsdesk audit anchor: event {} ({})", anchor.seq, &anchor.at[..10.min(anchor.at.len())]);
    let paragraphs = [
        format!("This message records where the audit trail of {org}'s Rightsdesk register stood. Keep it."),
        "`rightsdesk audit verify --anchors <this mailbox>` checks the register against every anchor it finds: \
         a history rewritten up to an anchored event no longer matches it."
            .to_string(),
        anchor.line(),
    ];
    let text = paragraphs.join("\n\n") + "\n";
    let html = format!(
        "<!DOCTYPE html><html><body>{}</body></html>",
        paragraphs.iter().map(|p| format!("<p>{}</p>", escape_html(p))).collect::<String>()
    );
    Rendered { subject, text, html }
}

/// Mails the chain's head to the officer's own address, unless one was sent
/// today (UTC) already. Records an `audit-anchored` event when the server took it.
pub fn send_if_due<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, smtp: &Smtp, actor: &str) -> Result<AnchorOutcome> {
    let store = store.into();
    let now = clock.now();
    let Some(officer) = smtp.settings.officer_address.clone().filter(|a| !a.trim().is_empty()) else {
        return Ok(AnchorOutcome::NotSetUp { why: "the mail settings have no officer address (the officer's own mailbox)".into() });
    };
    if let Some(at) = last_sent(store)? {
        if events::parse_instant(&at).date_naive() == now.date_naive() {
            return Ok(AnchorOutcome::AlreadySentToday { at });
        }
    }
    let Some(anchor) = head(store, now)? else { return Ok(AnchorOutcome::NothingToAnchor) };
    let composed = compose::compose(&smtp.settings, ("", &officer), &message(&smtp.settings, &anchor), &[], now, false)?;
    match sender::deliver(smtp, &composed.envelope_from, &composed.envelope_to, &composed.raw) {
        Delivery::Accepted(reply) => {
            store.write(|tx| {
                events::append(
                    tx,
                    None,
                    clock.now(),
                    actor,
                    NewEvent {
                        kind: ANCHORED_KIND,
                        summary: format!("Audit trail anchored: event {} mailed to the officer's mailbox", anchor.seq),
                        data: json!({ "seq": anchor.seq, "hash": anchor.hash, "at": anchor.at, "message_id": composed.message_id }),
                    },
                )
            })?;
            tracing::info!(seq = anchor.seq, "audit anchor mailed to the officer's mailbox");
            Ok(AnchorOutcome::Sent { anchor, to: officer, reply })
        }
        Delivery::Refused(why) | Delivery::TryLater(why) | Delivery::Unknown(why) => {
            // Not the server's words: they may quote the address.
            tracing::warn!(seq = anchor.seq, "audit anchor not accepted by the mail server");
            Err(Error::invalid("mail", format!("the audit anchor was not sent (the next run tries again): {why}")))
        }
    }
}

/// [`send_if_due`] with the stored mail settings and the password from
/// `keyring` (or the environment): what cron and the app's daily run call.
pub fn run_if_due<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, keyring: &dyn SecretStore, actor: &str) -> Result<AnchorOutcome> {
    let store = store.into();
    let Some(settings) = settings::load(store)? else {
        return Ok(AnchorOutcome::NotSetUp { why: "mail is not set up".into() });
    };
    if settings.officer_address.as_deref().is_none_or(|a| a.trim().is_empty()) {
        return Ok(AnchorOutcome::NotSetUp { why: "the mail settings have no officer address (the officer's own mailbox)".into() });
    }
    let password = settings::resolve_password(&settings, keyring, &crate::secrets::MemorySecrets::default())?;
    send_if_due(store, clock, &Smtp { settings, password }, actor)
}

/// The check of a chain against the anchors of a mailbox.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnchorReport {
    /// Messages read from the mailbox.
    pub messages: u32,
    /// Anchors found in them.
    pub found: u32,
    /// Anchors whose event and hash are on this chain.
    pub matched: u32,
    /// The newest anchored event that matched: the history up to it is as it was mailed.
    pub newest_matched_seq: Option<i64>,
    /// Anchors not on this chain, one line each.
    pub problems: Vec<String>,
}

/// The text parts of every message in `source`: a Maildir directory (its
/// `new/` and `cur/`) or an mbox file.
fn messages(source: &Path) -> Result<Vec<Vec<u8>>> {
    let unreadable = |_: std::io::Error| Error::invalid("anchors", format!("{} cannot be read as a mailbox", source.display()));
    if source.is_dir() {
        let iter = mail_parser::mailbox::maildir::MessageIterator::new(source).map_err(unreadable)?;
        iter.map(|m| m.map(|m| m.unwrap_contents()).map_err(unreadable)).collect()
    } else {
        let file = std::fs::File::open(source).map_err(unreadable)?;
        let iter = mail_parser::mailbox::mbox::MessageIterator::new(std::io::BufReader::new(file));
        iter.map(|m| {
            m.map(|m| m.unwrap_contents()).map_err(|_| Error::invalid("anchors", format!("{} is not an mbox file", source.display())))
        })
        .collect()
    }
}

/// The anchors in one message's plain-text parts (MIME decoded by mail-parser).
fn anchors_in(raw: &[u8]) -> Vec<Anchor> {
    let Some(message) = mail_parser::MessageParser::default().parse(raw) else { return Vec::new() };
    let mut out = Vec::new();
    for i in 0..message.text_body_count() {
        if let Some(text) = message.body_text(i) {
            out.extend(text.lines().filter_map(Anchor::parse));
        }
    }
    out
}

/// Checks the chain against every anchor in `source`. An anchor whose event is
/// not on the chain with the same hash means the history up to it was
/// rewritten (or the anchor belongs to another register).
pub fn check<'a>(store: impl Into<Store<'a>>, source: &Path) -> Result<AnchorReport> {
    if !source.exists() {
        return Err(Error::invalid("anchors", format!("there is no mailbox at {}", source.display())));
    }
    let chain: std::collections::HashMap<i64, String> =
        store.into().read(|c| Ok(events::chain(c)?.into_iter().map(|r| (r.seq, r.hash)).collect()))?;
    let newest = chain.keys().max().copied().unwrap_or(0);
    let mut report = AnchorReport::default();
    let mut anchors = Vec::new();
    for raw in messages(source)? {
        report.messages += 1;
        anchors.extend(anchors_in(&raw));
    }
    anchors.sort_by_key(|a| a.seq);
    anchors.dedup();
    for a in anchors {
        report.found += 1;
        let short = &a.hash[..12];
        match chain.get(&a.seq) {
            Some(h) if *h == a.hash => {
                report.matched += 1;
                report.newest_matched_seq = Some(a.seq.max(report.newest_matched_seq.unwrap_or(0)));
            }
            Some(_) => report.problems.push(format!(
                "the anchor of event {} (hash {short}…, taken {}) is not on this chain: the history up to event {} was rewritten, \
                 or the anchor belongs to another register",
                a.seq, a.at, a.seq
            )),
            None if a.seq > newest => report.problems.push(format!(
                "the anchor of event {} (hash {short}…, taken {}) is beyond the end of this chain (event {newest}): \
                 events were cut off or the register was replaced",
                a.seq, a.at
            )),
            None => report.problems.push(format!(
                "the anchor of event {} (hash {short}…, taken {}) names an event this chain does not have: the history was rewritten",
                a.seq, a.at
            )),
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_anchor_line_reads_back_and_nothing_else_does() {
        let a = Anchor { seq: 42, hash: "ab".repeat(32), at: "2026-12-02T05:00:00Z".into() };
        assert_eq!(Anchor::parse(&a.line()), Some(a.clone()));
        assert_eq!(Anchor::parse(&format!("  {}  ", a.line())), Some(a));
        assert_eq!(Anchor::parse("rightsdesk-audit-anchor/1 seq=x hash=00"), None);
        assert_eq!(Anchor::parse("Hello"), None);
    }
}
