//! The outbox: every letter is stored whole before any attempt to send it, and
//! moves queued → sending → sent | failed | unknown, each move recorded on the
//! request's timeline in the same transaction.
//!
//! Why a letter is never lost nor sent twice:
//! - It is written (exact bytes, Message-ID decided) in the same transaction as
//!   its `letter-queued` event, before any network traffic: a crash before that
//!   commit means the officer saw an error and nothing was queued.
//! - A sender *claims* a letter (`sending`, with the time) in its own committed
//!   transaction before talking to the server, and records the server's answer
//!   in another. A crash or kill between the two leaves it `sending`.
//! - A letter still `sending` after [`LEASE_MINUTES`] has lost its sender. The
//!   server may or may not have accepted it — nobody can know from here — so it
//!   becomes `unknown` ("check before resending") and is never resent blindly:
//!   the officer looks (the recipient, their own copy, the server's log, by its
//!   Message-ID) and either confirms it was sent or resends it. A resend carries
//!   the same bytes and Message-ID, so a mail program that got the first copy
//!   can recognise the second as the same message.
//! - A restore brings back the outbox as it was when the backup was made, and
//!   a letter queued then may have been sent since. So the restore turns every
//!   letter that was queued, sending or unknown into `unknown`
//!   ([`flag_after_restore`]), in the same transaction as its own
//!   `backup-restored` event.
//! - Temporary failures (server down, 4xx) are retried with growing pauses; a
//!   refusal (5xx), a certificate the client does not trust or a wrong login
//!   fails at once with the server's reason, as retrying would not help.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::clock::{Clock, FixedClock};
use crate::deadlines::ClockEvent;
use crate::domain::lang::Lang;
use crate::error::{Error, Result};
use crate::letters::clock_events;
use crate::letters::compose::{AttachmentInfo, Composed};
use crate::letters::templates::TemplateName;
use crate::store::events::{self, EventKind, NewEvent};
use crate::store::interface::{Conn, Row, Store};
use crate::store::row;

/// How long a claim may last before the letter is taken to have lost its sender.
/// Far longer than a send can take (the SMTP timeout is one minute per step).
pub const LEASE_MINUTES: i64 = 10;
/// Attempts before a letter that keeps failing temporarily is given up.
pub const MAX_ATTEMPTS: u32 = 10;

/// Where a letter stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum LetterState {
    Queued,
    Sending,
    Sent,
    Failed,
    /// The sender stopped while talking to the server: check before resending.
    Unknown,
}

impl LetterState {
    pub fn as_str(self) -> &'static str {
        match self {
            LetterState::Queued => "queued",
            LetterState::Sending => "sending",
            LetterState::Sent => "sent",
            LetterState::Failed => "failed",
            LetterState::Unknown => "unknown",
        }
    }

    fn parse(s: &str) -> Option<LetterState> {
        Some(match s {
            "queued" => LetterState::Queued,
            "sending" => LetterState::Sending,
            "sent" => LetterState::Sent,
            "failed" => LetterState::Failed,
            "unknown" => LetterState::Unknown,
            _ => return None,
        })
    }
}

/// A letter as the outbox and the timeline show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Letter {
    pub id: String,
    pub request_id: Option<String>,
    /// The request's reference, e.g. DSR-2026-0004.
    pub reference: Option<String>,
    pub template: String,
    pub lang: Lang,
    pub message_id: String,
    pub to: String,
    pub subject: String,
    pub state: LetterState,
    pub attempts: u32,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    /// The server's final answer, verbatim.
    pub server_reply: Option<String>,
    pub queued_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub attachments: Vec<AttachmentInfo>,
    pub body_text: String,
    pub body_html: String,
}

/// What the store needs to queue a letter.
pub struct NewLetter<'a> {
    pub request_id: Option<&'a str>,
    pub template: TemplateName,
    pub lang: Lang,
    pub subject: &'a str,
    pub body_text: &'a str,
    pub body_html: &'a str,
    pub composed: &'a Composed,
    /// Recorded (dated the day it is sent) once the server accepts the letter.
    pub clock_event: Option<&'a ClockEvent>,
}

const COLUMNS: &str = "l.id, l.request_id, r.reference, l.template, l.lang, l.message_id, l.to_display, l.subject, l.state, \
    l.attempts, l.next_attempt_at, l.last_error, l.server_reply, l.queued_at, l.sent_at, l.attachments, l.body_text, l.body_html";

fn from_row(r: &Row<'_>) -> Result<Letter> {
    let id: String = r.get(0)?;
    let opt_instant = |column, s: Option<String>| s.map(|s| row::instant("letters", column, &id, &s)).transpose();
    let lang: String = r.get(4)?;
    let attachments: String = r.get(15)?;
    Ok(Letter {
        lang: row::known("letters", "lang", &id, &lang, |s| Lang::parse(s).ok())?,
        state: row::known("letters", "state", &id, &r.get::<String>(8)?, LetterState::parse)?,
        next_attempt_at: opt_instant("next_attempt_at", r.get(10)?)?,
        queued_at: row::instant("letters", "queued_at", &id, &r.get::<String>(13)?)?,
        sent_at: opt_instant("sent_at", r.get(14)?)?,
        attachments: row::json("letters", "attachments", &id, &attachments)?,
        id,
        request_id: r.get(1)?,
        reference: r.get(2)?,
        template: r.get(3)?,
        message_id: r.get(5)?,
        to: r.get(6)?,
        subject: r.get(7)?,
        attempts: r.get(9)?,
        last_error: r.get(11)?,
        server_reply: r.get(12)?,
        body_text: r.get(16)?,
        body_html: r.get(17)?,
    })
}

/// Stores a letter and its `letter-queued` event (call inside `Db::write`).
pub fn insert<'a>(tx: impl Into<Conn<'a>>, letter: &NewLetter<'_>, now: DateTime<Utc>, actor: &str) -> Result<String> {
    let tx = tx.into();
    let id = uuid::Uuid::now_v7().to_string();
    let c = letter.composed;
    tx.execute(
        "INSERT INTO letters (id, request_id, template, lang, message_id, envelope_from, envelope_to, to_display, subject, \
         body_text, body_html, raw, attachments, clock_event, state, attempts, next_attempt_at, queued_at, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, 'queued', 0, ?15, ?15, ?15)",
        &[
            &id,
            &letter.request_id,
            &letter.template.as_str(),
            &letter.lang.as_str(),
            &c.message_id,
            &c.envelope_from,
            &json(&c.envelope_to)?,
            &c.to_display,
            &letter.subject,
            &letter.body_text,
            &letter.body_html,
            &c.raw,
            &json(&c.attachments)?,
            &letter.clock_event.map(json).transpose()?,
            &now.to_rfc3339(),
        ],
    )?;
    let attached = if c.attachments.is_empty() { String::new() } else { format!(" with {} attachment(s)", c.attachments.len()) };
    events::append(
        tx,
        letter.request_id,
        now,
        actor,
        NewEvent {
            kind: EventKind::LetterQueued,
            summary: format!("Letter queued: {} ({}) to {}{attached}", letter.template, letter.lang, c.to_display),
            data: json!({ "letter_id": id, "template": letter.template, "message_id": c.message_id }),
        },
    )?;
    Ok(id)
}

fn json<T: Serialize + ?Sized>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| Error::Internal(e.to_string()))
}

pub fn get<'a>(conn: impl Into<Conn<'a>>, id: &str) -> Result<Letter> {
    conn.into()
        .query_opt(
            &format!("SELECT {COLUMNS} FROM letters l LEFT JOIN requests r ON r.id = l.request_id WHERE l.id = ?1"),
            &[&id],
            from_row,
        )?
        .ok_or(Error::NotFound { entity: "letter" })
}

/// A letter as it stands now, read on its own snapshot.
pub fn load<'a>(store: impl Into<Store<'a>>, id: &str) -> Result<Letter> {
    store.into().read(|c| get(c, id))
}

/// The exact bytes of a letter as handed (or to be handed) to the server.
pub fn raw<'a>(store: impl Into<Store<'a>>, id: &str) -> Result<Vec<u8>> {
    store
        .into()
        .read(|c| c.query_opt("SELECT raw FROM letters WHERE id = ?1", &[&id], |r| r.get(0))?.ok_or(Error::NotFound { entity: "letter" }))
}

/// Letters, newest first; of one request (by id or reference) when given.
pub fn list<'a>(store: impl Into<Store<'a>>, request_id: Option<&str>) -> Result<Vec<Letter>> {
    store.into().read(|c| {
        let sql = format!(
            "SELECT {COLUMNS} FROM letters l LEFT JOIN requests r ON r.id = l.request_id \
             WHERE CAST(?1 AS TEXT) IS NULL OR l.request_id = ?1 OR r.reference = ?1 ORDER BY l.queued_at DESC, l.id DESC LIMIT 1000"
        );
        c.query_map(&sql, &[&request_id], from_row)
    })
}

/// A letter taken by a sender: what it needs to send it.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: String,
    pub envelope_from: String,
    pub envelope_to: Vec<String>,
    pub raw: Vec<u8>,
}

/// Takes the oldest letter that is due, marking it `sending` (committed before any send).
///
/// The claim is one conditional statement: the row moves from `queued` to
/// `sending` only if it is still `queued` when the statement runs, and only
/// the client whose statement moved it gets it back (`RETURNING`). Two
/// officers' workstations sending the same outbox at once on a team register
/// therefore never both send one letter; on PostgreSQL the statement also
/// waits on the row lock of a claim not yet committed, then sees it.
pub fn claim_next<'a>(store: impl Into<Store<'a>>, now: DateTime<Utc>) -> Result<Option<Claimed>> {
    let claimed = store.into().write(|tx| {
        tx.query_opt(
            "UPDATE letters SET state = 'sending', claimed_at = ?1, attempts = attempts + 1, updated_at = ?1 \
             WHERE state = 'queued' AND id = (SELECT id FROM letters \
                 WHERE state = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= ?1) \
                 ORDER BY queued_at, id LIMIT 1) \
             RETURNING id, envelope_from, envelope_to, raw",
            &[&now.to_rfc3339()],
            |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?, r.get::<String>(2)?, r.get::<Vec<u8>>(3)?)),
        )
    })?;
    let Some((id, envelope_from, to, raw)) = claimed else { return Ok(None) };
    let envelope_to = serde_json::from_str(&to).map_err(|_| Error::Internal("a stored envelope is unreadable".into()))?;
    Ok(Some(Claimed { id, envelope_from, envelope_to, raw }))
}

struct Row2 {
    request_id: Option<String>,
    template: String,
    clock_event: Option<String>,
    attempts: u32,
    to: String,
}

fn row_for_update(tx: Conn<'_>, id: &str) -> Result<Row2> {
    tx.query_opt("SELECT request_id, template, clock_event, attempts, to_display FROM letters WHERE id = ?1", &[&id], |r| {
        Ok(Row2 { request_id: r.get(0)?, template: r.get(1)?, clock_event: r.get(2)?, attempts: r.get(3)?, to: r.get(4)? })
    })?
    .ok_or(Error::NotFound { entity: "letter" })
}

fn request_today(tx: Conn<'_>, request_id: &str, now: DateTime<Utc>) -> Result<NaiveDate> {
    let zone: Option<String> = tx.query_opt("SELECT time_zone FROM requests WHERE id = ?1", &[&request_id], |r| r.get(0))?;
    let tz: Tz = zone.map(|z| row::parse("requests", "time_zone", request_id, &z)).transpose()?.unwrap_or(Tz::UTC);
    Ok(now.with_timezone(&tz).date_naive())
}

/// The server accepted the letter: record its answer, and the clock event the
/// letter stands for, dated the day it was sent in the request's time zone.
pub fn record_sent<'a>(
    store: impl Into<Store<'a>>,
    id: &str,
    reply: &str,
    now: DateTime<Utc>,
    actor: &str,
    by_officer: bool,
) -> Result<()> {
    store.into().write(|tx| {
        let row = row_for_update(tx, id)?;
        tx.execute(
            "UPDATE letters SET state = 'sent', server_reply = ?2, sent_at = ?3, next_attempt_at = NULL, updated_at = ?3 WHERE id = ?1",
            &[&id, &reply, &now.to_rfc3339()],
        )?;
        let summary = if by_officer {
            format!("Letter confirmed as sent by the officer: {} to {} ({reply})", row.template, row.to)
        } else {
            format!("Letter sent: {} to {}; the server answered: {reply}", row.template, row.to)
        };
        events::append(
            tx,
            row.request_id.as_deref(),
            now,
            actor,
            NewEvent {
                kind: EventKind::LetterSent,
                summary,
                data: json!({ "letter_id": id, "template": row.template, "server_reply": reply, "confirmed_by_officer": by_officer }),
            },
        )?;
        if let Some(request_id) = row.request_id.as_deref() {
            let on = request_today(tx, request_id, now)?;
            if let Some(ev) = row.clock_event.as_deref() {
                let ev: ClockEvent = serde_json::from_str(ev).map_err(|_| Error::Internal("a stored clock event is unreadable".into()))?;
                crate::requests::schedules::record_in(tx, &FixedClock(now), request_id, &clock_events::dated(ev, on), actor)?;
            }
            if row.template == TemplateName::Acknowledgement.as_str() || row.template == TemplateName::AcknowledgementComplaint.as_str() {
                events::append(
                    tx,
                    Some(request_id),
                    now,
                    actor,
                    NewEvent {
                        kind: EventKind::Acknowledged,
                        summary: format!("Receipt acknowledged to the subject on {on}"),
                        data: json!({ "on": on, "letter_id": id }),
                    },
                )?;
            }
        }
        Ok(())
    })
}

/// The pause before the next try after `attempts` tries: 1, 2, 4 … minutes, at most an hour.
pub fn backoff(attempts: u32) -> Duration {
    Duration::minutes((1i64 << attempts.saturating_sub(1).min(6)).min(60))
}

/// A temporary failure: try again later, or give up after [`MAX_ATTEMPTS`].
pub fn record_retry<'a>(store: impl Into<Store<'a>>, id: &str, reason: &str, now: DateTime<Utc>, actor: &str) -> Result<LetterState> {
    store.into().write(|tx| {
        let row = row_for_update(tx, id)?;
        if row.attempts >= MAX_ATTEMPTS {
            fail(tx, id, &row, &format!("gave up after {} attempts; last: {reason}", row.attempts), now, actor)?;
            return Ok(LetterState::Failed);
        }
        let next = now + backoff(row.attempts);
        tx.execute(
            "UPDATE letters SET state = 'queued', last_error = ?2, next_attempt_at = ?3, claimed_at = NULL, updated_at = ?4 WHERE id = ?1",
            &[&id, &reason, &next.to_rfc3339(), &now.to_rfc3339()],
        )?;
        events::append(
            tx,
            row.request_id.as_deref(),
            now,
            actor,
            NewEvent {
                kind: EventKind::LetterRetry,
                summary: format!(
                    "Letter not sent yet ({}; attempt {}); next try at {}",
                    reason,
                    row.attempts,
                    next.format("%Y-%m-%d %H:%M UTC")
                ),
                data: json!({ "letter_id": id, "reason": reason, "next_attempt_at": next }),
            },
        )?;
        Ok(LetterState::Queued)
    })
}

fn fail(tx: Conn<'_>, id: &str, row: &Row2, reason: &str, now: DateTime<Utc>, actor: &str) -> Result<()> {
    tx.execute(
        "UPDATE letters SET state = 'failed', last_error = ?2, next_attempt_at = NULL, claimed_at = NULL, updated_at = ?3 WHERE id = ?1",
        &[&id, &reason, &now.to_rfc3339()],
    )?;
    events::append(
        tx,
        row.request_id.as_deref(),
        now,
        actor,
        NewEvent {
            kind: EventKind::LetterFailed,
            summary: format!("Letter not sent: {} to {}: {reason}", row.template, row.to),
            data: json!({ "letter_id": id, "reason": reason }),
        },
    )?;
    Ok(())
}

/// A definite failure (refused by the server, untrusted certificate, wrong login): not retried.
pub fn record_failed<'a>(store: impl Into<Store<'a>>, id: &str, reason: &str, now: DateTime<Utc>, actor: &str) -> Result<()> {
    store.into().write(|tx| {
        let row = row_for_update(tx, id)?;
        fail(tx, id, &row, reason, now, actor)
    })
}

fn mark_unknown(tx: Conn<'_>, id: &str, reason: &str, now: DateTime<Utc>, actor: &str) -> Result<()> {
    let row = row_for_update(tx, id)?;
    tx.execute(
        "UPDATE letters SET state = 'unknown', last_error = ?2, claimed_at = NULL, updated_at = ?3 WHERE id = ?1",
        &[&id, &reason, &now.to_rfc3339()],
    )?;
    events::append(
        tx,
        row.request_id.as_deref(),
        now,
        actor,
        NewEvent {
            kind: EventKind::LetterUnknown,
            summary: format!("Letter may or may not have been sent ({reason}): {} to {}; check before resending", row.template, row.to),
            data: json!({ "letter_id": id, "reason": reason }),
        },
    )?;
    Ok(())
}

/// The server's answer to the message itself was lost: it may have been accepted.
pub fn record_unknown<'a>(store: impl Into<Store<'a>>, id: &str, reason: &str, now: DateTime<Utc>, actor: &str) -> Result<()> {
    store.into().write(|tx| mark_unknown(tx, id, reason, now, actor))
}

/// Letters whose sender stopped mid-send (claimed more than [`LEASE_MINUTES`] ago)
/// become `unknown`; returns how many.
pub fn flag_abandoned<'a>(store: impl Into<Store<'a>>, now: DateTime<Utc>, actor: &str) -> Result<usize> {
    let cutoff = now - Duration::minutes(LEASE_MINUTES);
    store.into().write(|tx| {
        let ids: Vec<String> =
            tx.query_map("SELECT id FROM letters WHERE state = 'sending' AND claimed_at <= ?1", &[&cutoff.to_rfc3339()], |r| r.get(0))?;
        for id in &ids {
            mark_unknown(tx, id, "the sending program stopped before the server's answer was recorded", now, actor)?;
        }
        Ok(ids.len())
    })
}

/// After a restore (call inside the restored database's write): every letter
/// that was queued, sending or unknown when the backup was made becomes
/// `unknown`, each with a `letter-unknown` event. The backup cannot know what
/// happened after it was made: a letter queued in it may have gone out since
/// (the reproduced double send), so none is sent again without the officer's
/// check ("confirm" or "resend"). Returns how many.
pub fn flag_after_restore<'a>(tx: impl Into<Conn<'a>>, backup_made: &str, now: DateTime<Utc>, actor: &str) -> Result<usize> {
    let tx = tx.into();
    let ids: Vec<String> =
        tx.query_map("SELECT id FROM letters WHERE state IN ('queued', 'sending', 'unknown') ORDER BY queued_at, id", &[], |r| r.get(0))?;
    let reason = format!("the database was restored from a backup made {backup_made}; it may have been sent after that backup");
    for id in &ids {
        mark_unknown(tx, id, &reason, now, actor)?;
    }
    Ok(ids.len())
}

/// The officer checked and found the letter arrived: mark it sent.
pub fn confirm_sent<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, id: &str, note: &str, actor: &str) -> Result<Letter> {
    let store = store.into();
    let state = store.read(|c| get(c, id))?.state;
    if state != LetterState::Unknown {
        return Err(Error::invalid("letter", format!("only a letter in state unknown can be confirmed (this one is {})", state.as_str())));
    }
    let note = note.trim();
    let reply = if note.is_empty() { "confirmed by the officer".to_string() } else { format!("confirmed by the officer: {note}") };
    record_sent(store, id, &reply, clock.now(), actor, true)?;
    store.read(|c| get(c, id))
}

/// The officer checked and found the letter did not arrive (or it failed): queue it
/// again, with the same bytes and Message-ID.
pub fn resend<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, id: &str, actor: &str) -> Result<Letter> {
    let now = clock.now();
    let store = store.into();
    store.write(|tx| {
        let letter = get(tx, id)?;
        if !matches!(letter.state, LetterState::Unknown | LetterState::Failed) {
            return Err(Error::invalid(
                "letter",
                format!("only a failed letter or one in state unknown can be sent again (this one is {})", letter.state.as_str()),
            ));
        }
        tx.execute(
            "UPDATE letters SET state = 'queued', attempts = 0, next_attempt_at = ?2, updated_at = ?2 WHERE id = ?1",
            &[&id, &now.to_rfc3339()],
        )?;
        events::append(
            tx,
            letter.request_id.as_deref(),
            now,
            actor,
            NewEvent {
                kind: EventKind::LetterResend,
                summary: format!("Letter queued again by the officer: {} to {} (same Message-ID)", letter.template, letter.to),
                data: json!({ "letter_id": id, "previous_state": letter.state }),
            },
        )?;
        Ok(())
    })?;
    store.read(|c| get(c, id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_longer_each_time_but_never_more_than_an_hour() {
        let waits: Vec<i64> = (1..=9).map(|n| backoff(n).num_minutes()).collect();
        assert_eq!(waits, vec![1, 2, 4, 8, 16, 32, 60, 60, 60]);
    }
}
