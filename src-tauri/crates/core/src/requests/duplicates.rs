//! Duplicates: a request from a subject who already has an open request is
//! flagged (same email address, or the same name), and the officer links the
//! two or marks the new one a duplicate of the other. Both are recorded.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::clock::Clock;
use crate::domain::{closed_sql_of, Request, RequestDetail, RequestId, RequestType, Status};
use crate::error::{Error, Result};
use crate::requests::rows;
use crate::requests::{self, StatusChange};
use crate::store::events::{self, EventKind, NewEvent};
use crate::store::{Conn, Dialect, Store};
use crate::tasks;

/// Another open request of the same subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PossibleDuplicate {
    pub id: String,
    pub reference: String,
    #[serde(rename = "type")]
    pub request_type: RequestType,
    pub status: Status,
    pub received_on: NaiveDate,
    /// `email` or `name`: what matched.
    pub matched_on: String,
    /// Whether the officer already linked the two.
    pub linked: bool,
}

/// The other open requests of this request's subject.
pub fn possible_duplicates<'a>(store: impl Into<Store<'a>>, request: &str) -> Result<Vec<PossibleDuplicate>> {
    store.into().read(|c| {
        let (id, _, _) = tasks::request_head(c, request)?;
        let other_id = match c.dialect() {
            Dialect::Sqlite => "json_extract(e.data, '$.other_id')",
            Dialect::Postgres => "(e.data::jsonb ->> 'other_id')",
        };
        let sql = format!(
            "SELECT o.id, o.reference, o.request_type, o.status, o.received_on, \
                    CASE WHEN r.subject_email IS NOT NULL AND r.subject_email <> '' \
                              AND lower(o.subject_email) = lower(r.subject_email) THEN 'email' ELSE 'name' END, \
                    EXISTS (SELECT 1 FROM events e WHERE e.request_id = r.id AND e.kind = ?2 \
                            AND {other_id} = o.id) \
             FROM requests r JOIN requests o ON o.id <> r.id \
             WHERE r.id = ?1 \
               AND NOT {open_closed} \
               AND ((r.subject_email IS NOT NULL AND r.subject_email <> '' AND lower(o.subject_email) = lower(r.subject_email)) \
                    OR lower(trim(o.subject_name)) = lower(trim(r.subject_name))) \
             ORDER BY o.number",
            open_closed = closed_sql_of("o.status")
        );
        c.query_map(&sql, &[&id, &EventKind::RequestsLinked.as_str()], |r| {
            Ok(PossibleDuplicate {
                id: r.get(0)?,
                reference: r.get(1)?,
                request_type: RequestType::parse(&r.get::<String>(2)?).unwrap_or(RequestType::Other),
                status: r.get::<String>(3)?.parse().unwrap_or(Status::Received),
                received_on: r.get::<String>(4)?.parse().unwrap_or_default(),
                matched_on: r.get(5)?,
                linked: r.get(6)?,
            })
        })
    })
}

/// Links two requests of the same subject (each timeline records the other).
pub fn link<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, request: &RequestId, other: &RequestId, actor: &str) -> Result<()> {
    let now = clock.now();
    store.into().write(|tx| {
        let (a, _, _) = tasks::request_head(tx, request.as_str())?;
        let (b, _, _) = tasks::request_head(tx, other.as_str())?;
        if a == b {
            return Err(Error::invalid("other", "is the same request"));
        }
        let reference = |id: &str| -> Result<String> { tx.query_row("SELECT reference FROM requests WHERE id = ?1", &[&id], |r| r.get(0)) };
        let (ra, rb) = (reference(&a)?, reference(&b)?);
        for (this, that, that_ref) in [(&a, &b, &rb), (&b, &a, &ra)] {
            events::append(
                tx,
                Some(this),
                now,
                actor,
                NewEvent {
                    kind: EventKind::RequestsLinked,
                    summary: format!("Linked with {that_ref} (same subject)"),
                    data: json!({ "other_id": that, "other_reference": that_ref }),
                },
            )?;
        }
        Ok(())
    })
}

/// Marks `request` a duplicate of `of` (a status change whose reason names the other).
pub fn mark_duplicate<'a>(
    store: impl Into<Store<'a>>,
    clock: &dyn Clock,
    request: &RequestId,
    of: &RequestId,
    actor: &str,
) -> Result<RequestDetail> {
    let store = store.into();
    let id = store.write(|tx| mark_duplicate_in(tx, clock, request, of, None, actor).map(|r| r.id))?;
    requests::detail(store, clock, &id)
}

/// Marks one request a duplicate of another inside an open transaction: the
/// one way a duplicate is recorded, for the single action and the bulk one
/// (`batch`: the bulk action's id and size). The status change goes through
/// [`requests::change_status_in`], its reason and event naming the original.
/// Returns the request as it was before.
pub fn mark_duplicate_in<'a>(
    tx: impl Into<Conn<'a>>,
    clock: &dyn Clock,
    request: &RequestId,
    of: &RequestId,
    batch: Option<(&str, usize)>,
    actor: &str,
) -> Result<Request> {
    let tx = tx.into();
    let of = of.as_str().trim();
    if of.is_empty() {
        return Err(Error::invalid("original", "name the request this duplicates"));
    }
    let original = rows::get(tx, of, requests::today_in(clock)).map_err(|e| match e {
        Error::NotFound { .. } => Error::invalid("original", "no request has that reference"),
        other => other,
    })?;
    let this = rows::get(tx, request.as_str(), requests::today_in(clock))?;
    if this.id == original.id {
        return Err(Error::invalid("original", format!("{} cannot be a duplicate of itself", this.reference)));
    }
    let reason = format!("duplicate of {}", original.reference);
    let change = StatusChange { to: Status::Duplicate, reason: Some(&reason), duplicate_of: Some(&original.reference), batch };
    requests::change_status_in(tx, clock, &RequestId::from(&this.id), &change, actor)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use crate::domain::NewRequest;
    use crate::store::Db;

    fn add(db: &Db, clock: &FixedClock, name: &str, email: &str) -> String {
        let input = NewRequest {
            request_type: RequestType::Access,
            regime: "eu-gdpr".into(),
            jurisdiction: "DE".into(),
            subject_name: name.into(),
            subject_email: email.into(),
            received: "2026-11-20".into(),
            ..Default::default()
        };
        requests::register(db, clock, &input, "o").unwrap().id
    }

    #[test]
    fn a_second_request_from_the_same_subject_is_flagged_and_can_be_linked_or_marked_duplicate() {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::testutil::test_db(&dir.path().join("r.sqlite3"));
        let clock = FixedClock::at("2026-11-23");
        let first = add(&db, &clock, "Ada Example", "ada@example.org");
        let _other = add(&db, &clock, "Bob Sample", "bob@example.com");
        let second = add(&db, &clock, "A. Example", "ADA@example.org");
        let found = possible_duplicates(&db, &second).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].id, first);
        assert_eq!(found[0].matched_on, "email");
        assert!(!found[0].linked);
        link(&db, &clock, &RequestId::from(&second), &RequestId::from(&first), "o").unwrap();
        assert!(possible_duplicates(&db, &second).unwrap()[0].linked);
        let d = mark_duplicate(&db, &clock, &RequestId::from(&second), &RequestId::from(&first), "o").unwrap();
        assert_eq!(d.request.status, Status::Duplicate);
        assert_eq!(d.request.status_reason.as_deref(), Some("duplicate of DSR-2026-0001"));
        assert!(possible_duplicates(&db, &first).unwrap().is_empty(), "a closed duplicate no longer flags the first");
    }
}
