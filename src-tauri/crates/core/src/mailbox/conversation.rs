//! A request's conversation (issue 17, items 4 and 7): the letters Rightsdesk
//! sent and the mails that came back, in one list in time order — the server's
//! acceptance for a letter, the server's arrival (IMAP INTERNALDATE) for a mail
//! in. Each mail shows its plain text (text/plain preferred; HTML only turned
//! into text, never rendered, its scripts and remote images dropped) and its
//! attachments listed, never opened.
//!
//! While the request awaits identity evidence or a clarification, a mail in is
//! offered as "identity received" / "clarification received":
//! [`record_received`] records that clock event dated by the mail's arrival in
//! the organisation's zone, with the mail and its evidence named, and the
//! deadline engine recomputes the dates in the same transaction.

use chrono::{DateTime, NaiveDate, Utc};
use mail_parser::{MessageParser, MimeHeaders};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::intake::{IntakeItem, IntakeState};
use super::parse::AttachmentInfo;
use super::store;
use crate::clock::Clock;
use crate::deadlines::ClockEvent;
use crate::domain::RequestDetail;
use crate::error::{Error, Result};
use crate::evidence::stored;
use crate::requests::schedules;
use crate::settings::org_time_zone;
use crate::store::events::EventKind;
use crate::store::{Conn, Store};

/// The longest body shown, in characters.
pub const BODY_CHARS: usize = 100_000;

/// Which way a mail went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// A letter Rightsdesk sent.
    Out,
    /// A mail read from the privacy mailbox.
    In,
}

/// What a mail in may be recorded as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum ReceivedAs {
    /// The identity evidence asked for.
    Identity,
    /// The clarification asked for.
    Clarification,
}

impl ReceivedAs {
    pub fn as_str(self) -> &'static str {
        match self {
            ReceivedAs::Identity => "identity",
            ReceivedAs::Clarification => "clarification",
        }
    }

    fn event(self, on: NaiveDate) -> ClockEvent {
        match self {
            ReceivedAs::Identity => ClockEvent::IdentityReceived { on },
            ReceivedAs::Clarification => ClockEvent::ClarificationReceived { on },
        }
    }

    fn awaited(self) -> &'static str {
        match self {
            ReceivedAs::Identity => "identity evidence",
            ReceivedAs::Clarification => "a clarification",
        }
    }
}

/// One mail of the conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ConversationMail {
    /// The letter's id (out) or the intake item's id (in).
    pub id: String,
    pub direction: Direction,
    /// Out: the letter's template (`acknowledgement`, …). In: `request` (the mail
    /// the request was registered from), `reply` (filed as a reply) or `linked`.
    pub kind: String,
    pub from: String,
    pub to: String,
    pub subject: String,
    /// Out: when the server accepted the letter. In: the server's arrival time.
    pub at: DateTime<Utc>,
    /// The plain text; HTML turned into text, never rendered.
    pub body: String,
    /// Listed, never opened.
    pub attachments: Vec<AttachmentInfo>,
    /// What this mail in may be recorded as now (one click).
    pub offers: Vec<ReceivedAs>,
    /// What this mail was recorded as.
    pub recorded: Vec<ReceivedAs>,
    /// The arrival day in the organisation's zone (mails in), the date a recording takes.
    pub arrived_on: Option<NaiveDate>,
    pub warning: Option<String>,
}

/// A request's mails out and in, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Conversation {
    pub request_id: String,
    pub reference: String,
    /// The day identity evidence was asked for, while it is awaited.
    pub awaiting_identity: Option<NaiveDate>,
    /// The day a clarification was asked for, while it is awaited.
    pub awaiting_clarification: Option<NaiveDate>,
    pub mails: Vec<ConversationMail>,
}

/// Text fit for display: control characters (but line breaks and tabs) and
/// direction overrides dropped, at most `max` characters, runs of blank lines cut.
fn displayable(s: &str, max: usize) -> String {
    let mut out = String::new();
    let mut newlines = 0;
    for c in s.chars().take(max) {
        match c {
            '\r' => {}
            '\n' => {
                newlines += 1;
                if newlines <= 2 {
                    out.push('\n');
                }
            }
            '\t' => out.push('\t'),
            c if c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}') => {}
            c => {
                if !c.is_whitespace() {
                    newlines = 0;
                }
                out.push(c);
            }
        }
    }
    out.trim().to_string()
}

/// The plain text of a message (every text body part; an HTML part turned into
/// text) and its To header.
fn body_of(bytes: &[u8]) -> Option<(String, String)> {
    let message = MessageParser::default().parse(bytes)?;
    let mut text = String::new();
    let mut i = 0;
    while let Some(part) = message.body_text(i) {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(&part);
        i += 1;
        if text.len() > BODY_CHARS * 4 {
            break;
        }
    }
    let to = message.to().map(|a| a.iter().filter_map(|x| x.address()).collect::<Vec<_>>().join(", ")).unwrap_or_default();
    Some((displayable(&text, BODY_CHARS), displayable(&to, 1000).replace('\n', " ")))
}

/// What the request awaits: the day identity evidence and a clarification were asked for.
/// The engine's own reading: awaited while no arrival is recorded on or after the last request.
fn awaiting(events: &[ClockEvent]) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let awaited = |requested: fn(&ClockEvent) -> bool, arrived: fn(&ClockEvent) -> bool| {
        let last = events.iter().filter(|e| requested(e)).map(ClockEvent::on).max()?;
        (!events.iter().any(|e| arrived(e) && e.on() >= last)).then_some(last)
    };
    (
        awaited(|e| matches!(e, ClockEvent::IdentityRequested { .. }), |e| matches!(e, ClockEvent::IdentityReceived { .. })),
        awaited(|e| matches!(e, ClockEvent::ClarificationRequested { .. }), |e| matches!(e, ClockEvent::ClarificationReceived { .. })),
    )
}

/// The mails in that clock events were recorded from: (mail id, what).
fn recorded_from_mails(conn: Conn<'_>, request_id: &str) -> Result<Vec<(String, ReceivedAs)>> {
    let rows = conn.query_map(
        "SELECT data FROM events WHERE request_id = ?1 AND kind = ?2 ORDER BY seq",
        &[&request_id, &EventKind::Clock.as_str()],
        |r| r.get::<String>(0),
    )?;
    let mut out = Vec::new();
    for data in rows {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(&data) else { continue };
        let Some(mail) = value["because"]["mail"].as_str() else { continue };
        let what = match value["event"]["kind"].as_str() {
            Some("identity-received") => ReceivedAs::Identity,
            Some("clarification-received") => ReceivedAs::Clarification,
            _ => continue,
        };
        out.push((mail.to_string(), what));
    }
    Ok(out)
}

fn items_of(conn: Conn<'_>, request_id: &str) -> Result<Vec<IntakeItem>> {
    conn.query_map(
        &format!(
            "SELECT {} FROM intake_items WHERE request_id = ?1 AND state IN ('accepted', 'linked') ORDER BY internal_date, id",
            store::COLUMNS
        ),
        &[&request_id],
        store::from_row,
    )
}

fn kind_of(item: &IntakeItem) -> &'static str {
    match (item.state, item.reason.as_deref()) {
        (IntakeState::Accepted, _) => "request",
        (_, Some("reply")) => "reply",
        _ => "linked",
    }
}

/// The letters sent on a request (accepted by the server), as mails out.
fn letters_of(conn: Conn<'_>, request_id: &str) -> Result<Vec<ConversationMail>> {
    let rows = conn.query_map(
        "SELECT id, template, envelope_from, to_display, subject, body_text, attachments, sent_at FROM letters \
         WHERE request_id = ?1 AND state = 'sent' AND sent_at IS NOT NULL ORDER BY sent_at, id",
        &[&request_id],
        |r| {
            Ok((
                r.get::<String>(0)?,
                r.get::<String>(1)?,
                r.get::<String>(2)?,
                r.get::<String>(3)?,
                r.get::<String>(4)?,
                r.get::<String>(5)?,
                r.get::<String>(6)?,
                r.get::<String>(7)?,
            ))
        },
    )?;
    let mut out = Vec::new();
    for (id, template, from, to, subject, body, attachments, sent_at) in rows {
        let at = crate::store::row::instant("letters", "sent_at", &id, &sent_at)?;
        let listed: Vec<crate::letters::compose::AttachmentInfo> = serde_json::from_str(&attachments).unwrap_or_default();
        out.push(ConversationMail {
            direction: Direction::Out,
            kind: template,
            from: displayable(&from, 400),
            to: displayable(&to, 1000).replace('\n', " "),
            subject: displayable(&subject, 500).replace('\n', " "),
            at,
            body: displayable(&body, BODY_CHARS),
            attachments: listed.into_iter().map(|a| AttachmentInfo { name: a.name, content_type: a.content_type, size: a.size }).collect(),
            offers: Vec::new(),
            recorded: Vec::new(),
            arrived_on: None,
            warning: None,
            id,
        });
    }
    Ok(out)
}

/// The conversation of a request (id or reference): letters sent and mails received, oldest first.
pub fn conversation<'a>(store: impl Into<Store<'a>>, request: &str) -> Result<Conversation> {
    let db = store.into();
    let zone = org_time_zone(db)?;
    let dir = super::intake::evidence_dir(db)?;
    db.read(|c| {
        let (request_id, _, status) = crate::tasks::request_head(c, request)?;
        let reference: String = c.query_row("SELECT reference FROM requests WHERE id = ?1", &[&request_id], |r| r.get(0))?;
        let events = schedules::clock_events(c, &request_id)?;
        let (awaiting_identity, awaiting_clarification) = if status.is_closed() { (None, None) } else { awaiting(&events) };
        let recorded = recorded_from_mails(c, &request_id)?;
        let mut mails = letters_of(c, &request_id)?;
        for item in items_of(c, &request_id)? {
            let arrived_on = item.received_at.with_timezone(&zone).date_naive();
            let mut warning = item.warning.clone();
            let (body, to) = match stored::read(c, &dir, &item.blob, &item.sha256).ok().and_then(|bytes| body_of(&bytes)) {
                Some(read) => read,
                None => {
                    warning.get_or_insert_with(|| "the stored message could not be read; its preview is shown".into());
                    (item.preview.clone(), String::new())
                }
            };
            let mut offers = Vec::new();
            for (what, since) in [(ReceivedAs::Identity, awaiting_identity), (ReceivedAs::Clarification, awaiting_clarification)] {
                if since.is_some_and(|since| arrived_on >= since) {
                    offers.push(what);
                }
            }
            let from =
                if item.from_name.is_empty() { item.from_address.clone() } else { format!("{} <{}>", item.from_name, item.from_address) };
            mails.push(ConversationMail {
                direction: Direction::In,
                kind: kind_of(&item).to_string(),
                from,
                to,
                subject: item.subject.clone(),
                at: item.received_at,
                body,
                attachments: item.attachments.clone(),
                offers,
                recorded: recorded.iter().filter(|(m, _)| *m == item.id).map(|(_, w)| *w).collect(),
                arrived_on: Some(arrived_on),
                warning,
                id: item.id,
            });
        }
        mails.sort_by(|a, b| a.at.cmp(&b.at).then(a.id.cmp(&b.id)));
        Ok(Conversation { request_id, reference, awaiting_identity, awaiting_clarification, mails })
    })
}

/// Records that the mail `mail` (an intake item filed on a request) brought the
/// identity evidence or the clarification the request awaits: the clock event
/// is dated by the mail's arrival in the organisation's zone, names the mail and
/// its evidence, and the dates are recomputed in the same transaction (the
/// timeline says "… by mail of <date>"). Refused, writing nothing, when the mail
/// is on no request, or the request is closed or does not await it.
pub fn record_received<'a>(
    store: impl Into<Store<'a>>,
    clock: &dyn Clock,
    mail: &str,
    what: ReceivedAs,
    actor: &str,
) -> Result<RequestDetail> {
    let db = store.into();
    let zone = org_time_zone(db)?;
    let request_id = db.write(|tx| {
        let item = store::get(tx, mail).map_err(|e| match e {
            Error::NotFound { .. } => Error::NotFound { entity: "mail" },
            e => e,
        })?;
        let request_id = match (item.state, item.request_id.as_deref()) {
            (IntakeState::Accepted | IntakeState::Linked, Some(r)) => r.to_string(),
            _ => return Err(Error::invalid("mail", "is not filed on a request; accept or link it first")),
        };
        let (_, _, status) = crate::tasks::request_head(tx, &request_id)?;
        if status.is_closed() {
            return Err(Error::invalid("mail", format!("the request is {status} and its dates are final")));
        }
        let events = schedules::clock_events(tx, &request_id)?;
        let (identity, clarification) = awaiting(&events);
        let since = match what {
            ReceivedAs::Identity => identity,
            ReceivedAs::Clarification => clarification,
        }
        .ok_or_else(|| Error::invalid("mail", format!("the request is not awaiting {}", what.awaited())))?;
        let on = item.received_at.with_timezone(&zone).date_naive();
        if on < since {
            return Err(Error::invalid("mail", format!("arrived on {on}, before {} was asked for on {since}", what.awaited())));
        }
        let evidence_id: Option<String> = tx.query_opt(
            "SELECT id FROM evidence WHERE request_id = ?1 AND sha256 = ?2 ORDER BY added_at, id LIMIT 1",
            &[&request_id, &item.sha256],
            |r| r.get(0),
        )?;
        let words = format!("by mail of {on}");
        let link = json!({
            "mail": item.id,
            "received_at": item.received_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "evidence_id": evidence_id,
            "sha256": item.sha256,
        });
        schedules::record_clock_event_because_in(tx, clock, &request_id, what.event(on), actor, Some((&words, link)))?;
        tracing::info!(mail = %item.id, request = %request_id, what = what.as_str(), "mail recorded as received");
        Ok(request_id)
    })?;
    crate::requests::detail(db, clock, &request_id)
}

/// One attachment of a mail in (by its position in the listed attachments): its
/// safe name and bytes, for the officer to save out. Never opened here. The part
/// is found again by the name it was listed with, so a listing made another way
/// (a large mail is listed by a streaming scan) never hands out another file.
pub fn attachment<'a>(store: impl Into<Store<'a>>, mail: &str, index: usize) -> Result<(String, Vec<u8>)> {
    let db = store.into();
    let dir = super::intake::evidence_dir(db)?;
    let (listed, bytes) = db.read(|c| {
        let item = store::get(c, mail).map_err(|_| Error::NotFound { entity: "mail" })?;
        if item.request_id.is_none() {
            return Err(Error::invalid("mail", "is not filed on a request"));
        }
        let listed = item.attachments.get(index).cloned().ok_or(Error::NotFound { entity: "attachment" })?;
        Ok((listed, stored::read(c, &dir, &item.blob, &item.sha256)?))
    })?;
    let message = MessageParser::default().parse(&bytes).ok_or_else(|| Error::invalid("mail", "cannot be read as an email"))?;
    let name_of = |part: &mail_parser::MessagePart<'_>| match part.attachment_name() {
        Some(n) => crate::evidence::safe_name(n),
        None if part.is_message() => "forwarded message.eml".to_string(),
        None => "unnamed".to_string(),
    };
    let parts: Vec<_> = message.attachments().collect();
    let same = |i: usize| parts.get(i).is_some_and(|p| name_of(p) == listed.name);
    let found = if same(index) { Some(index) } else { (0..parts.len()).find(|&i| same(i)) };
    let part = found.and_then(|i| parts.get(i)).ok_or_else(|| Error::invalid("attachment", "cannot be found in the stored message"))?;
    Ok((listed.name, part.contents().to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_only_mail_is_text_without_script_or_image() {
        let raw = b"From: a@example.org\r\nTo: privacy@example.com\r\nSubject: hi\r\nContent-Type: text/html\r\n\r\n<html><head><style>p{}</style></head><body><p>Hello <b>there</b></p><script>alert('x')</script><img src=\"https://tracker.example/p.gif\"></body></html>\r\n";
        let (body, to) = body_of(raw).unwrap();
        assert!(body.contains("Hello there"), "{body}");
        assert!(!body.contains("alert") && !body.contains("tracker") && !body.contains('<'), "{body}");
        assert_eq!(to, "privacy@example.com");
    }

    #[test]
    fn awaited_until_an_arrival_on_or_after_the_request() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let asked = ClockEvent::IdentityRequested { on: d("2026-02-02") };
        assert_eq!(awaiting(std::slice::from_ref(&asked)).0, Some(d("2026-02-02")));
        assert_eq!(awaiting(&[asked, ClockEvent::IdentityReceived { on: d("2026-02-03") }]).0, None);
    }
}
