//! Identity verification: how the subject's identity was checked, the outcome,
//! who and when. A verification (or a request for proof) is also a clock event
//! for the deadline engine: a timeline event of kind `clock` with data
//! `{"event": {"kind": "identity-received" | "identity-requested", "on": "YYYY-MM-DD"}}`.
//!
//! Identity documents are kept no longer than needed (data minimisation, GDPR
//! Art. 5(1)(c) and 5(1)(e)): by default they are deleted when the identity is
//! verified, or a configured short period after.
//!
//! Runs on both stores (the local file and a team register): on a team register the
//! documents' bytes go from `stored_chunks` in the same transaction.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::clock::Clock;
use crate::deadlines::ClockEvent;
use crate::domain::RequestId;
use crate::error::{Error, Result};
use crate::evidence;
use crate::evidence::place::Place;
use crate::settings;
use crate::store::events::{self, EventKind, NewEvent};
use crate::store::row;
use crate::store::{Conn, Row, Store};
use crate::tasks;

/// The setting: days an identity document is kept after verification (0 = deleted at once).
pub const DOCUMENT_DAYS_KEY: &str = "identity.document_days";
/// The longest period an identity document may be kept after verification.
pub const MAX_DOCUMENT_DAYS: u32 = 30;

/// How the identity was checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "kebab-case")]
pub enum IdentityMethod {
    /// The subject replied from the email address on file.
    ReplyFromAddressOnFile,
    /// Details given match the account data.
    AccountDataMatch,
    /// An identity document was seen.
    DocumentSeen,
    /// An authorised agent acts for the subject, with proof of authority.
    AuthorisedAgent,
}

impl IdentityMethod {
    pub const ALL: [IdentityMethod; 4] = [
        IdentityMethod::ReplyFromAddressOnFile,
        IdentityMethod::AccountDataMatch,
        IdentityMethod::DocumentSeen,
        IdentityMethod::AuthorisedAgent,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            IdentityMethod::ReplyFromAddressOnFile => "reply-from-address-on-file",
            IdentityMethod::AccountDataMatch => "account-data-match",
            IdentityMethod::DocumentSeen => "document-seen",
            IdentityMethod::AuthorisedAgent => "authorised-agent",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            IdentityMethod::ReplyFromAddressOnFile => "reply from the address on file",
            IdentityMethod::AccountDataMatch => "match with account data",
            IdentityMethod::DocumentSeen => "identity document seen",
            IdentityMethod::AuthorisedAgent => "authorised agent",
        }
    }

    pub fn parse(s: &str) -> Option<IdentityMethod> {
        IdentityMethod::ALL.into_iter().find(|m| m.as_str() == s.trim())
    }
}

/// A method typed by hand (the CLI): refused naming the field and the choices.
impl std::str::FromStr for IdentityMethod {
    type Err = Error;
    fn from_str(s: &str) -> Result<IdentityMethod> {
        IdentityMethod::parse(s).ok_or_else(|| {
            let names: Vec<_> = IdentityMethod::ALL.iter().map(|m| m.as_str()).collect();
            Error::invalid("method", format!("is one of: {}", names.join(", ")))
        })
    }
}

/// Whether the check succeeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "kebab-case")]
pub enum IdentityOutcome {
    Verified,
    Failed,
}

/// An outcome typed by hand (the CLI): `verified` or `failed`.
impl std::str::FromStr for IdentityOutcome {
    type Err = Error;
    fn from_str(s: &str) -> Result<IdentityOutcome> {
        match s.trim() {
            "verified" => Ok(IdentityOutcome::Verified),
            "failed" => Ok(IdentityOutcome::Failed),
            _ => Err(Error::invalid("outcome", "is verified or failed")),
        }
    }
}

/// One identity check of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct IdentityCheck {
    pub id: String,
    pub request_id: String,
    pub method: IdentityMethod,
    pub outcome: IdentityOutcome,
    pub note: String,
    /// The day of the check (organisation's zone): the clock restarts from it.
    pub checked_on: NaiveDate,
    pub checked_by: String,
    pub checked_at: DateTime<Utc>,
}

/// What the officer records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct IdentityInput {
    pub method: IdentityMethod,
    pub outcome: IdentityOutcome,
    pub note: String,
    /// `YYYY-MM-DD`; empty means today.
    pub on: String,
}

fn from_row(r: &Row<'_>) -> Result<IdentityCheck> {
    let id: String = r.get(0)?;
    let outcome = |s: &str| match s {
        "verified" => Some(IdentityOutcome::Verified),
        "failed" => Some(IdentityOutcome::Failed),
        _ => None,
    };
    Ok(IdentityCheck {
        request_id: r.get(1)?,
        method: row::known("identity_checks", "method", &id, &r.get::<String>(2)?, IdentityMethod::parse)?,
        outcome: row::known("identity_checks", "outcome", &id, &r.get::<String>(3)?, outcome)?,
        note: r.get(4)?,
        checked_on: row::parse("identity_checks", "checked_on", &id, &r.get::<String>(5)?)?,
        checked_by: r.get(6)?,
        checked_at: row::instant("identity_checks", "checked_at", &id, &r.get::<String>(7)?)?,
        id,
    })
}

/// The request's local "today" and its date of receipt.
fn request_dates(conn: Conn<'_>, request_id: &str, clock: &dyn Clock) -> Result<(NaiveDate, NaiveDate)> {
    let (zone, received): (String, String) =
        conn.query_row("SELECT time_zone, received_on FROM requests WHERE id = ?1", &[&request_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let today = clock.today(row::parse::<Tz>("requests", "time_zone", request_id, &zone)?);
    Ok((today, row::parse("requests", "received_on", request_id, &received)?))
}

fn day(field: &'static str, raw: &str, today: NaiveDate, received: NaiveDate) -> Result<NaiveDate> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(today);
    }
    let d: NaiveDate = raw.parse().map_err(|_| Error::invalid(field, "is a date YYYY-MM-DD"))?;
    if d > today {
        return Err(Error::invalid(field, "is in the future"));
    }
    if d < received {
        return Err(Error::invalid(field, "is before the request was received"));
    }
    Ok(d)
}

/// Hands the day to the deadline engine, which records the `clock` event and
/// recomputes the request's dates in the same transaction.
fn clock_event(conn: Conn<'_>, clock: &dyn Clock, request_id: &str, actor: &str, event: ClockEvent) -> Result<()> {
    crate::requests::schedules::record_clock_event_in(conn, clock, request_id, event, actor)?;
    Ok(())
}

/// Records that proof of identity was asked for (a clock event for the deadline engine).
pub fn request_proof<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, request: &RequestId, on: &str, actor: &str) -> Result<()> {
    request_proof_expecting(store, clock, request, on, actor, None)
}

/// [`request_proof`] made on a loaded copy of the request: refused with [`Error::Conflict`],
/// writing nothing, if its version is no longer `expected` (`store::version`).
pub fn request_proof_expecting<'a>(
    store: impl Into<Store<'a>>,
    clock: &dyn Clock,
    request: &RequestId,
    on: &str,
    actor: &str,
    expected: Option<i64>,
) -> Result<()> {
    store.into().write(|tx| {
        let (id, _, status) = tasks::request_head(tx, request.as_str())?;
        crate::store::version::ensure_unchanged(tx, &id, expected)?;
        if status.is_closed() {
            return Err(Error::invalid("on", format!("the request is {status}")));
        }
        let (today, received) = request_dates(tx, &id, clock)?;
        let on = day("on", on, today, received)?;
        clock_event(tx, clock, &id, actor, ClockEvent::IdentityRequested { on })
    })
}

/// Records an identity check. A verified identity is a clock event, and sets
/// the identity documents of the request to be deleted (at once by default).
pub fn verify<'a>(
    store: impl Into<Store<'a>>,
    clock: &dyn Clock,
    request: &RequestId,
    input: &IdentityInput,
    actor: &str,
) -> Result<IdentityCheck> {
    verify_expecting(store, clock, request, input, actor, None)
}

/// [`verify`] made on a loaded copy of the request: refused with [`Error::Conflict`], writing
/// nothing, if its version is no longer `expected` (`store::version`).
pub fn verify_expecting<'a>(
    store: impl Into<Store<'a>>,
    clock: &dyn Clock,
    request: &RequestId,
    input: &IdentityInput,
    actor: &str,
    expected: Option<i64>,
) -> Result<IdentityCheck> {
    let store = store.into();
    let (method, outcome) = (input.method, input.outcome);
    let note = crate::domain::text("note", &input.note, 2000)?;
    let now = clock.now();
    let place = Place::of(store).ok();
    store.write(|tx| {
        let (request_id, _, status) = tasks::request_head(tx, request.as_str())?;
        crate::store::version::ensure_unchanged(tx, &request_id, expected)?;
        if status.is_closed() {
            return Err(Error::invalid("method", format!("the request is {status}")));
        }
        let (today, received) = request_dates(tx, &request_id, clock)?;
        let on = day("on", &input.on, today, received)?;
        let id = uuid::Uuid::now_v7().to_string();
        let verdict_key = if outcome == IdentityOutcome::Verified { "verified" } else { "failed" };
        let (on_text, at_text) = (on.to_string(), now.to_rfc3339());
        tx.execute(
            "INSERT INTO identity_checks (id, request_id, method, outcome, note, checked_on, checked_by, checked_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            &[&id, &request_id, &method.as_str(), &verdict_key, &note, &on_text, &actor, &at_text],
        )?;
        let verdict = if outcome == IdentityOutcome::Verified { "verified" } else { "not verified" };
        events::append(
            tx,
            Some(&request_id),
            now,
            actor,
            NewEvent {
                kind: EventKind::IdentityChecked,
                summary: format!("Identity {verdict} ({}) on {on}", method.label()),
                data: json!({ "check_id": id, "method": method, "outcome": outcome, "on": on.to_string() }),
            },
        )?;
        if outcome == IdentityOutcome::Verified {
            clock_event(tx, clock, &request_id, actor, ClockEvent::IdentityReceived { on })?;
            let days = document_days_in(tx)?;
            let delete_after = (today + Duration::days(i64::from(days))).to_string();
            tx.execute(
                "UPDATE evidence SET delete_after = ?2 WHERE request_id = ?1 AND kind = 'identity-document' \
                 AND (delete_after IS NULL OR delete_after > ?2)",
                &[&request_id, &delete_after],
            )?;
            purge_due_in(tx, today, now, actor, place.as_ref())?;
        }
        tx.query_row(
            "SELECT id, request_id, method, outcome, note, checked_on, checked_by, checked_at FROM identity_checks WHERE id = ?1",
            &[&id],
            from_row,
        )
    })
}

/// The identity checks of a request, oldest first.
pub fn list<'a>(store: impl Into<Store<'a>>, request: &str) -> Result<Vec<IdentityCheck>> {
    store.into().read(|c| {
        let (id, _, _) = tasks::request_head(c, request)?;
        c.query_map(
            "SELECT id, request_id, method, outcome, note, checked_on, checked_by, checked_at FROM identity_checks \
             WHERE request_id = ?1 ORDER BY checked_at, id",
            &[&id],
            from_row,
        )
    })
}

fn document_days_in(conn: Conn<'_>) -> Result<u32> {
    Ok(settings::get(conn, DOCUMENT_DAYS_KEY)?.and_then(|v| v.parse().ok()).unwrap_or(0))
}

/// Days an identity document is kept after verification (0: deleted at verification).
pub fn document_days<'a>(store: impl Into<Store<'a>>) -> Result<u32> {
    store.into().read(document_days_in)
}

pub fn set_document_days<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, days: u32, actor: &str) -> Result<u32> {
    if days > MAX_DOCUMENT_DAYS {
        return Err(Error::invalid("days", format!("is at most {MAX_DOCUMENT_DAYS}: identity documents are kept only briefly")));
    }
    let now = clock.now();
    store.into().write(|tx| {
        settings::set(tx, DOCUMENT_DAYS_KEY, &days.to_string())?;
        events::append(
            tx,
            None,
            now,
            actor,
            NewEvent {
                kind: EventKind::SettingsChanged,
                summary: format!("Identity documents are deleted {days} days after verification"),
                data: json!({ "key": DOCUMENT_DAYS_KEY, "value": days }),
            },
        )?;
        Ok(days)
    })
}

/// Deletes the identity documents due by `today`; their stored bytes go from `place` (the
/// folder or `stored_chunks`) once nothing refers to them.
fn purge_due_in(conn: Conn<'_>, today: NaiveDate, now: DateTime<Utc>, actor: &str, place: Option<&Place>) -> Result<u32> {
    let today = today.to_string();
    let due: Vec<(String, String, String)> = conn.query_map(
        "SELECT id, request_id, name FROM evidence WHERE kind = 'identity-document' AND delete_after IS NOT NULL \
         AND delete_after <= ?1 ORDER BY request_id, added_at",
        &[&today],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    for (id, request_id, name) in &due {
        evidence::delete_rows(conn, std::slice::from_ref(id))?;
        events::append(
            conn,
            Some(request_id),
            now,
            actor,
            NewEvent {
                kind: EventKind::EvidenceRemoved,
                summary: format!("Identity document deleted after verification: {name}"),
                data: json!({ "evidence_id": id, "reason": "identity-verified" }),
            },
        )?;
    }
    if let Some(place) = place.filter(|_| !due.is_empty()) {
        place.collect_garbage(conn)?;
    }
    Ok(due.len() as u32)
}

/// Deletes the identity documents whose period after verification has run out.
pub fn purge_due_documents<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, actor: &str) -> Result<u32> {
    let store = store.into();
    let now = clock.now();
    let place = Place::of(store).ok();
    store.write(|tx| purge_due_in(tx, clock.today(Tz::UTC), now, actor, place.as_ref()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use crate::evidence::{EvidenceKind, NewEvidence};
    use crate::requests;
    use crate::store::Db;

    /// A verified check by `method`, today, without a note.
    fn checked(method: IdentityMethod) -> IdentityInput {
        IdentityInput { method, outcome: IdentityOutcome::Verified, note: String::new(), on: String::new() }
    }

    fn setup() -> (tempfile::TempDir, Db, FixedClock, String) {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::testutil::test_db(&dir.path().join("r.sqlite3"));
        let clock = FixedClock::at("2026-11-23");
        let input = crate::testutil::ada_access_request();
        let r = requests::register(&db, &clock, &input, "o").unwrap();
        (dir, db, clock, r.id)
    }

    fn passport<'a>(id: &'a str) -> NewEvidence<'a> {
        NewEvidence {
            request: id,
            file_name: "passport.jpg",
            bytes: b"JPEG",
            task: None,
            system: None,
            kind: EvidenceKind::IdentityDocument,
        }
    }

    #[test]
    fn a_verification_is_recorded_and_tells_the_deadline_engine_the_day_identity_arrived() {
        let (_dir, db, clock, id) = setup();
        request_proof(&db, &clock, &RequestId::from(&id), "2026-11-21", "o").unwrap();
        let input = IdentityInput { on: "2026-11-22".into(), ..checked(IdentityMethod::DocumentSeen) };
        let check = verify(&db, &clock, &RequestId::from(&id), &input, "officer").unwrap();
        assert_eq!(check.method, IdentityMethod::DocumentSeen);
        assert_eq!(check.checked_by, "officer");
        let timeline = requests::detail(&db, &clock, &id).unwrap().timeline;
        let clock_events: Vec<serde_json::Value> =
            timeline.iter().filter(|e| e.kind == "clock").map(|e| serde_json::from_str(&e.data).unwrap()).collect();
        assert_eq!(
            clock_events,
            [
                json!({ "event": { "kind": "identity-requested", "on": "2026-11-21" } }),
                json!({ "event": { "kind": "identity-received", "on": "2026-11-22" } }),
            ]
        );
        assert_eq!(list(&db, &id).unwrap().len(), 1);
    }

    #[test]
    fn a_bad_method_or_a_future_date_is_refused() {
        let (_dir, db, clock, id) = setup();
        assert_eq!("vibes".parse::<IdentityMethod>().unwrap_err().field(), Some("method"));
        assert_eq!("maybe".parse::<IdentityOutcome>().unwrap_err().field(), Some("outcome"));
        let bad: serde_json::Result<IdentityInput> =
            serde_json::from_value(json!({ "method": "vibes", "outcome": "verified", "note": "", "on": "" }));
        assert!(bad.unwrap_err().to_string().contains("unknown variant `vibes`"), "the IPC boundary refuses it too");
        let future = IdentityInput { on: "2026-12-01".into(), ..checked(IdentityMethod::AccountDataMatch) };
        assert_eq!(verify(&db, &clock, &RequestId::from(&id), &future, "o").unwrap_err().field(), Some("on"));
        assert!(list(&db, &id).unwrap().is_empty());
    }

    #[test]
    fn identity_documents_are_deleted_at_verification_by_default() {
        let (tmp, db, clock, id) = setup();
        let doc = evidence::add(&db, &clock, &passport(&id), "o").unwrap();
        let blob = crate::evidence::tests::stored_path(&db, &doc.id);
        assert!(blob.starts_with(tmp.path().join("evidence")));
        assert!(blob.exists());
        verify(&db, &clock, &RequestId::from(&id), &checked(IdentityMethod::DocumentSeen), "o").unwrap();
        assert!(evidence::list(&db, &id).unwrap().is_empty());
        assert!(!blob.exists(), "the document's bytes are gone from the disk");
    }

    #[test]
    fn with_a_short_period_configured_the_document_goes_when_it_ends() {
        let (_tmp, db, clock, id) = setup();
        set_document_days(&db, &clock, 7, "o").unwrap();
        assert_eq!(set_document_days(&db, &clock, 365, "o").unwrap_err().field(), Some("days"));
        evidence::add(&db, &clock, &passport(&id), "o").unwrap();
        verify(&db, &clock, &RequestId::from(&id), &checked(IdentityMethod::DocumentSeen), "o").unwrap();
        let kept = evidence::list(&db, &id).unwrap();
        assert_eq!(kept[0].delete_after.unwrap().to_string(), "2026-11-30");
        assert_eq!(purge_due_documents(&db, &FixedClock::at("2026-11-29"), "o").unwrap(), 0);
        assert_eq!(purge_due_documents(&db, &FixedClock::at("2026-11-30"), "o").unwrap(), 1);
        assert!(evidence::list(&db, &id).unwrap().is_empty());
    }
}
