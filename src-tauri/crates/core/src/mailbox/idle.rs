//! Waiting for new mail with IMAP IDLE (RFC 2177), so the app fetches when a
//! mail arrives instead of at the next poll.
//!
//! [`wait_for_new_mail`] logs in as [`fetch`](super::fetch) does (password or
//! OAuth, TLS, STARTTLS), opens the folder read-only (`EXAMINE`) and, when the
//! server advertises `IDLE`, waits until the server reports more messages than
//! the folder held (`* n EXISTS`) or `max_wait` has passed. IDLE is ended and
//! issued again every [`REISSUE`] (servers may drop a client idle for 30
//! minutes). It reads and files nothing: the caller fetches when woken, and on a
//! timeout too. Given the folder's last UID filed ([`last_filed`]), a mail that
//! arrived between the caller's fetch and the IDLE wakes it at once (`UID SEARCH`
//! after that UID). A server without IDLE answers [`Woken::NoIdle`]: the caller polls.
//!
//! Errors are fetch's: they name the server (`host:port`), never the account.

use std::time::Duration;

use async_imap::extensions::idle::IdleResponse;
use async_imap::imap_proto::{MailboxDatum, Response};
use async_imap::types::UnsolicitedResponse;
use serde::Serialize;
use tokio::time::Instant;

use super::fetch::{imap_error, login, runtime, Session};
use super::oauth;
use super::settings::MailboxSettings;
use crate::error::Result;
use crate::secrets::SecretStore;
use crate::store::Store;

/// IDLE is ended and issued again this often (RFC 2177: at least every 29 minutes).
pub const REISSUE: Duration = Duration::from_secs(28 * 60);

/// Why [`wait_for_new_mail`] returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Woken {
    /// The server reported a new message in the folder: fetch now.
    NewMail,
    /// `max_wait` passed without a new message.
    Timeout,
    /// The server does not offer IDLE: poll instead.
    NoIdle,
}

/// The folder's UIDVALIDITY and the last UID filed from it (none before the first fetch).
pub fn last_filed<'a>(store: impl Into<Store<'a>>, folder: &str) -> Result<Option<(u32, u32)>> {
    store.into().read(|c| super::store::folder_state(c, folder))
}

/// Waits (blocking) until the mailbox's folder receives a message or `max_wait` passes.
/// `after` ([`last_filed`]): a message there already after that UID (or a changed
/// UIDVALIDITY) wakes it at once.
pub fn wait_for_new_mail(
    settings: &MailboxSettings,
    keyring: &dyn SecretStore,
    max_wait: Duration,
    after: Option<(u32, u32)>,
) -> Result<Woken> {
    runtime()?.block_on(wait(settings, keyring, max_wait, after))
}

/// [`wait_for_new_mail`] on the caller's tokio runtime; dropping the future closes the connection
/// (the app cancels a wait this way when the settings change or the window closes).
pub async fn wait(settings: &MailboxSettings, keyring: &dyn SecretStore, max_wait: Duration, after: Option<(u32, u32)>) -> Result<Woken> {
    let deadline = Instant::now() + max_wait;
    let credential = oauth::credential(settings, keyring).await?;
    let mut session = login(settings, &credential).await?;
    let caps = session.capabilities().await.map_err(|e| imap_error(settings, "listing its capabilities", &e))?;
    if !caps.has_str("IDLE") {
        let _ = session.logout().await;
        return Ok(Woken::NoIdle);
    }
    let mailbox = session.examine(&settings.folder).await.map_err(|e| imap_error(settings, "opening the folder", &e))?;
    if let Some((uidvalidity, last)) = after {
        // Arrived since the caller's fetch, before this connection: not news to IDLE, but unread.
        let unread = mailbox.uid_validity != Some(uidvalidity)
            || session
                .uid_search(format!("UID {}:*", last.saturating_add(1)))
                .await
                .map_err(|e| imap_error(settings, "searching for new messages", &e))?
                .iter()
                .any(|uid| *uid > last);
        if unread {
            let _ = session.logout().await;
            return Ok(Woken::NewMail);
        }
    }
    let mut exists = mailbox.exists;
    let mut new = drain(&mut session, &mut exists);
    while !new && Instant::now() < deadline {
        let round_end = deadline.min(Instant::now() + REISSUE);
        let mut idle = session.idle();
        idle.init().await.map_err(|e| imap_error(settings, "starting IDLE", &e))?;
        loop {
            let left = round_end.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            // The crate's own timeout restarts with every keep-alive (`* OK Still here`); this one does not.
            let (listen, _stop) = idle.wait_with_timeout(left);
            let Ok(heard) = tokio::time::timeout(left, listen).await else { break };
            match heard.map_err(|e| imap_error(settings, "waiting for new mail", &e))? {
                IdleResponse::NewData(data) => {
                    if is_new(data.parsed(), &mut exists) {
                        new = true;
                        break;
                    }
                }
                IdleResponse::Timeout | IdleResponse::ManualInterrupt => break,
            }
        }
        session = idle.done().await.map_err(|e| imap_error(settings, "ending IDLE", &e))?;
        // What the server said while IDLE ended.
        new |= drain(&mut session, &mut exists);
    }
    let _ = session.logout().await;
    tracing::debug!(new, "mailbox IDLE ended");
    Ok(if new { Woken::NewMail } else { Woken::Timeout })
}

/// Whether a response announces more messages than `exists`; keeps `exists` current.
fn is_new(response: &Response<'_>, exists: &mut u32) -> bool {
    match response {
        Response::MailboxData(MailboxDatum::Exists(n)) => note_exists(*n, exists),
        Response::Expunge(_) => {
            *exists = exists.saturating_sub(1);
            false
        }
        _ => false,
    }
}

fn note_exists(n: u32, exists: &mut u32) -> bool {
    let grew = n > *exists;
    *exists = n;
    grew
}

/// Reads the responses the session set aside (sent outside a command's answer).
fn drain(session: &mut Session, exists: &mut u32) -> bool {
    let mut new = false;
    while let Ok(response) = session.unsolicited_responses.try_recv() {
        match response {
            UnsolicitedResponse::Exists(n) => new |= note_exists(n, exists),
            UnsolicitedResponse::Expunge(_) => *exists = exists.saturating_sub(1),
            _ => {}
        }
    }
    new
}
