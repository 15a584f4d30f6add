//! The retention purge of the mailbox's personal data (registered in
//! `retention::purgers::PURGERS`, after the evidence purger): a purged request's
//! mails — the item it came from, replies and mails linked to it — lose their
//! sender, subject, preview and attachment list, and their sealed .eml goes
//! (deleted after the purge commits, once no evidence or other mail refers to
//! the same bytes). What stays says that a mail arrived and when: the folder,
//! UID, the server's arrival time, the size, the state, the Message-ID and the
//! SHA-256 of the bytes that were received.
//!
//! Mails the officer dismissed as not a request belong to no request, so the
//! per-request purgers never reach them: [`purge_dismissed`] is the purge's own
//! step for them (run by `retention::purge` after the purgers). A dismissed
//! item keeps its sender, subject, preview and sealed .eml for the
//! organisation's period ([`DISMISSED_DAYS_KEY`], default
//! [`DEFAULT_DISMISSED_DAYS`] days after the dismissal); then they go, and the
//! dismissal's reason and date, the arrival, size and SHA-256 stay.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::purge::{PurgeScope, Purged, Purger, REMOVED};
use crate::settings;
use crate::store::events::{self, EventKind, NewEvent};
use crate::store::{Conn, Store};

/// The organisation's setting: days after its dismissal that a dismissed intake item keeps its content.
pub const DISMISSED_DAYS_KEY: &str = "retention.intake_dismissed_days";
/// 90 days: long enough to notice a mail dismissed by mistake (and to answer a sender who
/// writes again), short enough that mail which was never a request is not kept for years.
pub const DEFAULT_DISMISSED_DAYS: u32 = 90;
/// The longest period the setting accepts (ten years).
pub const MAX_DISMISSED_DAYS: u32 = 3650;
/// The name of the dismissed items' step in the preview's and the audit event's counts.
pub const DISMISSED_NAME: &str = "dismissed-mails";
/// What the step removes, in the officer's words.
pub const DISMISSED_WHAT: &str =
    "mails dismissed as not a request: senders, subjects, texts and stored messages; the reason, the dates, size and SHA-256 stay";

/// The days a dismissed item keeps its content, as set (or the default).
pub fn dismissed_days_in<'a>(conn: impl Into<Conn<'a>>) -> Result<u32> {
    match settings::get(conn, DISMISSED_DAYS_KEY)? {
        Some(v) => v.parse().map_err(|_| Error::Internal(format!("the setting {DISMISSED_DAYS_KEY} is not a number"))),
        None => Ok(DEFAULT_DISMISSED_DAYS),
    }
}

pub fn dismissed_days<'a>(store: impl Into<Store<'a>>) -> Result<u32> {
    store.into().read(|c| dismissed_days_in(c))
}

/// Sets the period (whole days after the dismissal, 1 to [`MAX_DISMISSED_DAYS`]), with a `settings-changed` event.
pub fn set_dismissed_days<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, actor: &str, days: u32) -> Result<u32> {
    if !(1..=MAX_DISMISSED_DAYS).contains(&days) {
        return Err(Error::invalid("intake_dismissed_days", format!("must be between 1 and {MAX_DISMISSED_DAYS} days")));
    }
    store.into().write(|tx| {
        let before = dismissed_days_in(tx)?;
        settings::set(tx, DISMISSED_DAYS_KEY, &days.to_string())?;
        events::append(
            tx,
            None,
            clock.now(),
            actor,
            NewEvent {
                kind: EventKind::SettingsChanged,
                summary: format!(
                    "Retention for mails dismissed as not a request: their content kept {days} days after the dismissal (was {before})"
                ),
                data: json!({ "key": DISMISSED_DAYS_KEY, "days": days, "before": before }),
            },
        )?;
        dismissed_days_in(tx)
    })
}

/// The dismissed items whose period has run out by `now` and that still hold their content.
/// The instants are compared here rather than in SQL (SQLite's `julianday`, which PostgreSQL
/// lacks): a `decided_at` that is not an RFC 3339 instant is never due, as `julianday` made it.
fn dismissed_due(conn: Conn<'_>, now: DateTime<Utc>) -> Result<Vec<(String, String)>> {
    let days = dismissed_days_in(conn)?;
    let cutoff = now - Duration::days(i64::from(days));
    let rows = conn.query_map(
        "SELECT id, blob, decided_at FROM intake_items WHERE state = 'dismissed' AND request_id IS NULL AND blob <> '' \
         AND decided_at IS NOT NULL ORDER BY decided_at, id",
        &[],
        |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?, r.get::<String>(2)?)),
    )?;
    Ok(rows
        .into_iter()
        .filter(|(_, _, at)| DateTime::parse_from_rfc3339(at).is_ok_and(|at| at.with_timezone(&Utc) <= cutoff))
        .map(|(id, blob, _)| (id, blob))
        .collect())
}

/// How many dismissed items the purge at `now` empties (the preview).
pub fn dismissed_count<'a>(conn: impl Into<Conn<'a>>, now: DateTime<Utc>) -> Result<u64> {
    Ok(dismissed_due(conn.into(), now)?.len() as u64)
}

/// The purge's step for dismissed items, inside its transaction: sender, subject,
/// preview, attachment list and warning go, and the sealed .eml (deleted after the
/// commit, once no evidence or other mail refers to the same bytes). Returns the
/// emptied items' ids (no personal data) with the files to delete.
pub fn purge_dismissed<'a>(conn: impl Into<Conn<'a>>, data_dir: &std::path::Path, now: DateTime<Utc>) -> Result<(Vec<String>, Purged)> {
    let conn = conn.into();
    let due = dismissed_due(conn, now)?;
    let mut purged = Purged::default();
    let mut ids = Vec::with_capacity(due.len());
    let mut blobs = Vec::with_capacity(due.len());
    for (id, blob) in due {
        purged.items += conn.execute(
            "UPDATE intake_items SET from_name = ?2, from_address = ?2, subject = ?2, preview = ?2, \
             attachments = '[]', warning = NULL, blob = '' WHERE id = ?1 AND state = 'dismissed' AND blob <> ''",
            &[&id, &REMOVED],
        )? as u64;
        ids.push(id);
        blobs.push(blob);
    }
    let scope = PurgeScope { request_ids: &[], data_dir, now };
    purged.files_after_commit.extend(crate::evidence::purge::unreferenced(conn, &scope, blobs)?);
    Ok((ids, purged))
}

pub struct Mails;

impl Purger for Mails {
    fn name(&self) -> &'static str {
        "mails"
    }
    fn what(&self) -> &'static str {
        "received mails' senders, subjects, texts and stored messages; their arrival time, size and state stay"
    }
    fn count(&self, conn: Conn<'_>, scope: &PurgeScope<'_>) -> Result<u64> {
        let mut n = 0u64;
        for id in scope.request_ids {
            n += conn.query_row("SELECT count(*) FROM intake_items WHERE request_id = ?1 AND blob <> ''", &[id], |r| r.get::<i64>(0))?
                as u64;
        }
        Ok(n)
    }
    fn purge(&self, conn: Conn<'_>, scope: &PurgeScope<'_>) -> Result<Purged> {
        let mut purged = Purged::default();
        let mut blobs = Vec::new();
        for id in scope.request_ids {
            blobs.extend(
                conn.query_map("SELECT blob FROM intake_items WHERE request_id = ?1 AND blob <> ''", &[id], |r| r.get::<String>(0))?,
            );
            purged.items += conn.execute(
                "UPDATE intake_items SET from_name = ?2, from_address = ?2, subject = ?2, preview = ?2, \
                 attachments = '[]', warning = NULL, blob = '' WHERE request_id = ?1 AND blob <> ''",
                &[id, &REMOVED],
            )? as u64;
        }
        purged.files_after_commit.extend(crate::evidence::purge::unreferenced(conn, scope, blobs)?);
        Ok(purged)
    }
}

#[cfg(test)]
mod tests {
    use crate::audit;
    use crate::clock::{Clock, FixedClock};
    use crate::domain::{NewRequest, RequestId, Status};
    use crate::evidence::{self, stored};
    use crate::requests;

    const MAIL: &[u8] = b"From: Ada Example <ada@example.org>\r\nSubject: My data, please\r\n\r\nAll you hold on me.\r\n";

    #[test]
    fn a_purged_request_takes_its_mails_sender_subject_text_and_stored_message_with_it() {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::testutil::test_db(&dir.path().join("r.sqlite3"));
        let clock = FixedClock::at("2026-11-23");
        let input = NewRequest {
            regime: "eu-gdpr".into(),
            jurisdiction: "DE".into(),
            subject_name: "Ada Example".into(),
            subject_email: "ada@example.org".into(),
            received: "2026-11-20".into(),
            ..Default::default()
        };
        let r = requests::register(&db, &clock, &input, "o").unwrap();
        let other = requests::register(&db, &clock, &NewRequest { received: "2026-11-21".into(), ..input.clone() }, "o").unwrap();
        let evidence_dir = evidence::dir(&db).unwrap();
        // The request's mail (also its evidence), and the same bytes filed again for another request
        // (kept while that one is).
        let blob = db
            .write(|tx| {
                let sealed = stored::seal_in(tx, &evidence_dir, MAIL)?;
                for (uid, request) in [(1, &r.id), (2, &other.id)] {
                    tx.execute(
                        "INSERT INTO intake_items (id, folder, uidvalidity, uid, from_name, from_address, subject, internal_date, \
                         size, preview, attachments, state, request_id, blob, sha256, fetched_at) \
                         VALUES (?1, 'INBOX', 7, ?2, 'Ada Example', 'ada@example.org', 'My data, please', '2026-11-20T08:00:00Z', \
                         ?3, 'All you hold on me.', '[{\"name\":\"passport.pdf\"}]', 'accepted', ?4, ?5, ?6, '2026-11-20T08:01:00Z')",
                        rusqlite::params![format!("item-{uid}"), uid, MAIL.len() as i64, request, sealed.blob, sealed.sha256],
                    )?;
                }
                // Accepting a mail also keeps its .eml as evidence on the request: the same bytes.
                stored::attach_in(tx, clock.now(), &r.id, "request.eml", &sealed, "o")?;
                Ok(sealed.blob)
            })
            .unwrap();
        let file = evidence::blob_path(&evidence_dir, &blob);
        assert!(file.exists());
        for id in [&r.id, &other.id] {
            requests::change_status(&db, &clock, &RequestId::from(id), Status::InProgress, None, "o").unwrap();
        }
        requests::change_status(&db, &clock, &RequestId::from(&r.id), Status::Completed, None, "o").unwrap();

        crate::retention::purge(&db, &FixedClock::at("2035-01-01"), "o", None).unwrap();
        let row = |id: &str| {
            db.read(|c| {
                Ok(c.query_row(
                    "SELECT from_address, subject, preview, attachments, blob, sha256, internal_date FROM intake_items WHERE id = ?1",
                    [id],
                    |r| {
                        Ok((
                            r.get::<_, String>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, String>(2)?,
                            r.get::<_, String>(3)?,
                            r.get::<_, String>(4)?,
                            r.get::<_, String>(5)?,
                            r.get::<_, String>(6)?,
                        ))
                    },
                )?)
            })
            .unwrap()
        };
        let (from, subject, preview, attachments, purged_blob, sha, arrived) = row("item-1");
        assert_eq!((from.as_str(), subject.as_str(), preview.as_str()), (super::REMOVED, super::REMOVED, super::REMOVED));
        assert_eq!((attachments.as_str(), purged_blob.as_str()), ("[]", ""));
        assert_eq!(arrived, "2026-11-20T08:00:00Z", "that a mail arrived, and when, stays");
        assert!(!sha.is_empty());
        assert!(file.exists(), "the same bytes are still the other (open) request's mail");
        assert_eq!(row("item-2").1, "My data, please", "the open request's mail is untouched");

        // Once the other request is purged too, the stored message goes from the disk.
        requests::change_status(&db, &clock, &RequestId::from(&other.id), Status::Completed, None, "o").unwrap();
        crate::retention::purge(&db, &FixedClock::at("2035-01-01"), "o", None).unwrap();
        assert!(!file.exists(), "the sealed .eml is gone");
        let check = audit::verify(&db).unwrap();
        assert!(check.intact, "{:?}", check.problems);
    }
}
