//! Bulk actions on selected requests: all or nothing.
//!
//! Every request in the selection is checked first; if any one cannot make the
//! move, nothing is written and the error names that request's reference (a
//! reference is not personal data). Each request moves through the very step a
//! single change uses (`requests::change_status_in`, `duplicates::mark_duplicate_in`),
//! inside the batch's one transaction, so no guard is skipped; its
//! `status-changed` event also carries the batch id, so the batch can be traced.

use chrono_tz::Tz;

use crate::clock::Clock;
use crate::domain::RequestId;
use crate::domain::{Request, Status};
use crate::error::{Error, Result};
use crate::requests::duplicates;
use crate::requests::rows;
use crate::requests::{self, StatusChange};
use crate::store::{version, Conn, Store};

/// The most requests one bulk action may touch.
pub const MAX_SELECTION: usize = 5_000;

/// What a bulk action did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BulkOutcome {
    /// Traces the batch in every timeline event it wrote.
    pub batch: String,
    pub changed: u32,
    /// The references of the changed requests, in the order given.
    pub references: Vec<String>,
}

/// Moves every selected request (ids or references) to `to`, or none of them.
/// Each request goes through [`requests::change_status_in`], the same step as a
/// single change: completing one with open tasks needs the reason and records
/// its `tasks-overridden` event.
pub fn change_status<'a>(
    store: impl Into<Store<'a>>,
    clock: &dyn Clock,
    ids: &[String],
    as_of: Option<i64>,
    to: Status,
    reason: Option<&str>,
    actor: &str,
) -> Result<BulkOutcome> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if Status::needs_reason(to) && reason.is_none() {
        return Err(Error::invalid("reason", format!("a reason is required to mark requests {to}")));
    }
    let reason = requests::checked_reason(to, reason)?;
    apply(store.into(), clock, ids, as_of, |tx, id, batch| {
        let change = StatusChange { to, reason, duplicate_of: None, batch: Some(batch) };
        requests::change_status_in(tx, clock, &RequestId::from(id), &change, actor)
    })
}

/// Marks every selected request a duplicate of `original` (id or reference), or
/// none of them, each exactly as [`duplicates::mark_duplicate`] marks one.
pub fn mark_duplicate<'a>(
    store: impl Into<Store<'a>>,
    clock: &dyn Clock,
    ids: &[String],
    as_of: Option<i64>,
    original: &str,
    actor: &str,
) -> Result<BulkOutcome> {
    if original.trim().is_empty() {
        return Err(Error::invalid("original", "name the request these duplicate"));
    }
    apply(store.into(), clock, ids, as_of, |tx, id, batch| {
        duplicates::mark_duplicate_in(tx, clock, &RequestId::from(id), &RequestId::from(original), Some(batch), actor)
    })
}

/// Runs `act` on every selected request in one transaction: the first refusal
/// rolls back the whole batch, and its message names that request's reference.
/// With `as_of` (the list page's), a request changed since is refused first
/// ([`Error::Conflict`], naming who changed it and when).
fn apply(
    store: Store<'_>,
    clock: &dyn Clock,
    ids: &[String],
    as_of: Option<i64>,
    act: impl Fn(Conn<'_>, &str, (&str, usize)) -> Result<Request>,
) -> Result<BulkOutcome> {
    if ids.is_empty() {
        return Err(Error::invalid("ids", "select at least one request"));
    }
    if ids.len() > MAX_SELECTION {
        return Err(Error::invalid("ids", format!("select at most {MAX_SELECTION} requests at once")));
    }
    let batch = uuid::Uuid::now_v7().to_string();
    store.write(|tx| {
        let mut seen = std::collections::HashSet::new();
        let mut selected = Vec::with_capacity(ids.len());
        for id in ids {
            let r = rows::get(tx, id, |_| clock.today(Tz::UTC))?;
            if seen.insert(r.id.clone()) {
                selected.push((r.id, r.reference));
            }
        }
        // A selected request changed after the officer's list was read: refuse the whole batch.
        for (id, _) in &selected {
            version::ensure_unchanged_since(tx, id, as_of)?;
        }
        for (id, reference) in &selected {
            act(tx, id, (&batch, selected.len())).map_err(|e| match e {
                Error::InvalidTransition { from, to } => {
                    Error::invalid("ids", format!("{reference} cannot go from {from} to {to}; nothing was changed"))
                }
                // The original is the same for the whole batch: its error needs no reference.
                Error::Invalid { field: "original", reason } => Error::invalid("original", reason),
                Error::Invalid { field, reason } if !reason.starts_with(reference.as_str()) => {
                    Error::invalid(field, format!("{reference}: {reason}; nothing was changed"))
                }
                Error::Invalid { field, reason } => Error::invalid(field, format!("{reason}; nothing was changed")),
                other => other,
            })?;
        }
        let references: Vec<String> = selected.into_iter().map(|(_, reference)| reference).collect();
        Ok(BulkOutcome { batch: batch.clone(), changed: u32::try_from(references.len()).unwrap_or(u32::MAX), references })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use crate::domain::{NewRequest, RequestType};
    use crate::requests;
    use crate::store::Db;

    fn register(db: &Db, clock: &FixedClock, name: &str) -> String {
        let input = NewRequest {
            request_type: RequestType::Access,
            regime: "eu-gdpr".into(),
            jurisdiction: "DE".into(),
            subject_name: name.into(),
            subject_email: format!("{}@example.org", name.to_lowercase()),
            received: "2025-02-01".into(),
            ..Default::default()
        };
        requests::register(db, clock, &input, "t").unwrap().reference
    }

    #[test]
    fn starting_work_on_three_requests_moves_all_three_and_audits_each() {
        let db = Db::open_in_memory().unwrap();
        let clock = FixedClock::at("2025-02-10");
        let refs: Vec<String> = ["Ada", "Bob", "Cy"].iter().map(|n| register(&db, &clock, n)).collect();
        let out = change_status(&db, &clock, &refs, None, Status::InProgress, None, "officer").unwrap();
        assert_eq!(out.changed, 3);
        for r in &refs {
            let d = requests::detail(&db, &clock, r).unwrap();
            assert_eq!(d.request.status, Status::InProgress);
            let last = d.timeline.last().unwrap();
            assert_eq!(last.kind, "status-changed");
            assert_eq!(last.actor, "officer");
            assert!(last.data.contains(&out.batch), "the event names its batch");
        }
    }

    #[test]
    fn one_request_that_cannot_move_stops_the_whole_batch() {
        let db = Db::open_in_memory().unwrap();
        let clock = FixedClock::at("2025-02-10");
        let a = register(&db, &clock, "Ada");
        let b = register(&db, &clock, "Bob");
        requests::change_status(&db, &clock, &RequestId::from(&b), Status::Withdrawn, None, "t").unwrap();
        let err = change_status(&db, &clock, &[a.clone(), b.clone()], None, Status::InProgress, None, "t").unwrap_err();
        assert_eq!(err.field(), Some("ids"));
        assert!(err.to_string().contains(&b), "the error names the request that blocked: {err}");
        let d = requests::detail(&db, &clock, &a).unwrap();
        assert_eq!(d.request.status, Status::Received, "nothing was written");
        assert_eq!(d.timeline.len(), 1);
    }

    #[test]
    fn marking_duplicates_records_the_original_and_refuses_the_original_itself() {
        let db = Db::open_in_memory().unwrap();
        let clock = FixedClock::at("2025-02-10");
        let original = register(&db, &clock, "Ada");
        let copy1 = register(&db, &clock, "Ada");
        let copy2 = register(&db, &clock, "Ada");
        let err = mark_duplicate(&db, &clock, &[copy1.clone(), original.clone()], None, &original, "t").unwrap_err();
        assert!(err.to_string().contains("itself"));
        let out = mark_duplicate(&db, &clock, &[copy1.clone(), copy2.clone()], None, &original, "t").unwrap();
        assert_eq!(out.references, vec![copy1.clone(), copy2]);
        let d = requests::detail(&db, &clock, &copy1).unwrap();
        assert_eq!(d.request.status, Status::Duplicate);
        assert_eq!(d.request.status_reason.as_deref(), Some(format!("duplicate of {original}").as_str()));
        assert_eq!(mark_duplicate(&db, &clock, &[copy1], None, "DSR-1999-0001", "t").unwrap_err().field(), Some("original"));
    }

    #[test]
    fn refusing_in_bulk_needs_a_reason() {
        let db = Db::open_in_memory().unwrap();
        let clock = FixedClock::at("2025-02-10");
        let a = register(&db, &clock, "Ada");
        assert_eq!(change_status(&db, &clock, &[a], None, Status::Refused, None, "t").unwrap_err().field(), Some("reason"));
        assert_eq!(change_status(&db, &clock, &[], None, Status::InProgress, None, "t").unwrap_err().field(), Some("ids"));
    }
}
