//! Bulk actions on selected requests: all or nothing.
//!
//! Every request in the selection is checked first; if any one cannot make the
//! move, nothing is written and the error names that request's reference (a
//! reference is not personal data). Each changed request gets its own
//! `status-changed` timeline event carrying the batch id, so the audit trail
//! reads the same as for a single change and the batch can be traced.

use chrono_tz::Tz;
use serde_json::json;

use crate::clock::Clock;
use crate::domain::Status;
use crate::error::{Error, Result};
use crate::store::events::{self, NewEvent};
use crate::store::requests as rows;
use crate::store::Db;

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
pub fn change_status(
    db: &Db,
    clock: &dyn Clock,
    ids: &[String],
    to: Status,
    reason: Option<&str>,
    actor: &str,
) -> Result<BulkOutcome> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if Status::needs_reason(to) && reason.is_none() {
        return Err(Error::invalid("reason", format!("a reason is required to mark requests {to}")));
    }
    apply(db, clock, ids, to, reason.map(str::to_string), None, actor)
}

/// Marks every selected request a duplicate of `original` (id or reference), or none of them.
pub fn mark_duplicate(db: &Db, clock: &dyn Clock, ids: &[String], original: &str, actor: &str) -> Result<BulkOutcome> {
    let original = original.trim();
    if original.is_empty() {
        return Err(Error::invalid("original", "name the request these duplicate"));
    }
    let found = db.read(|c| rows::get(c, original, |_| clock.today(Tz::UTC))).map_err(|e| match e {
        Error::NotFound { .. } => Error::invalid("original", "no request has that reference"),
        other => other,
    })?;
    let reason = format!("duplicate of {}", found.reference);
    apply(db, clock, ids, Status::Duplicate, Some(reason), Some((found.id, found.reference)), actor)
}

fn apply(
    db: &Db,
    clock: &dyn Clock,
    ids: &[String],
    to: Status,
    reason: Option<String>,
    original: Option<(String, String)>,
    actor: &str,
) -> Result<BulkOutcome> {
    if ids.is_empty() {
        return Err(Error::invalid("ids", "select at least one request"));
    }
    if ids.len() > MAX_SELECTION {
        return Err(Error::invalid("ids", format!("select at most {MAX_SELECTION} requests at once")));
    }
    if reason.as_deref().is_some_and(|r| r.chars().count() > 2000) {
        return Err(Error::invalid("reason", "is longer than 2,000 characters"));
    }
    let now = clock.now();
    let batch = uuid::Uuid::now_v7().to_string();
    db.write(|tx| {
        let mut seen = std::collections::HashSet::new();
        let mut requests = Vec::with_capacity(ids.len());
        for id in ids {
            let r = rows::get(tx, id, |_| clock.today(Tz::UTC))?;
            if !seen.insert(r.id.clone()) {
                continue;
            }
            if let Some((original_id, _)) = &original {
                if *original_id == r.id {
                    return Err(Error::invalid("ids", format!("{} cannot be a duplicate of itself", r.reference)));
                }
            }
            if !r.status.can_move_to(to) {
                return Err(Error::invalid(
                    "ids",
                    format!("{} cannot go from {} to {to}; nothing was changed", r.reference, r.status),
                ));
            }
            requests.push(r);
        }
        let mut references = Vec::with_capacity(requests.len());
        for r in &requests {
            rows::set_status(tx, &r.id, to, reason.as_deref(), now)?;
            let summary = match &reason {
                Some(reason) => format!("Status: {} → {to} (reason: {reason}; bulk action on {} requests)", r.status, requests.len()),
                None => format!("Status: {} → {to} (bulk action on {} requests)", r.status, requests.len()),
            };
            events::append(
                tx,
                Some(&r.id),
                now,
                actor,
                NewEvent {
                    kind: "status-changed",
                    summary,
                    data: json!({
                        "from": r.status, "to": to, "reason": reason, "batch": batch,
                        "duplicate_of": original.as_ref().map(|(_, reference)| reference),
                    }),
                },
            )?;
            references.push(r.reference.clone());
        }
        Ok(BulkOutcome { batch: batch.clone(), changed: u32::try_from(references.len()).unwrap_or(u32::MAX), references })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use crate::domain::NewRequest;
    use crate::services::requests;

    fn register(db: &Db, clock: &FixedClock, name: &str) -> String {
        let input = NewRequest {
            request_type: "access".into(),
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
        let out = change_status(&db, &clock, &refs, Status::InProgress, None, "officer").unwrap();
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
        requests::change_status(&db, &clock, &b, Status::Withdrawn, None, "t").unwrap();
        let err = change_status(&db, &clock, &[a.clone(), b.clone()], Status::InProgress, None, "t").unwrap_err();
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
        let err = mark_duplicate(&db, &clock, &[copy1.clone(), original.clone()], &original, "t").unwrap_err();
        assert!(err.to_string().contains("itself"));
        let out = mark_duplicate(&db, &clock, &[copy1.clone(), copy2.clone()], &original, "t").unwrap();
        assert_eq!(out.references, vec![copy1.clone(), copy2]);
        let d = requests::detail(&db, &clock, &copy1).unwrap();
        assert_eq!(d.request.status, Status::Duplicate);
        assert_eq!(d.request.status_reason.as_deref(), Some(format!("duplicate of {original}").as_str()));
        assert_eq!(mark_duplicate(&db, &clock, &[copy1], "DSR-1999-0001", "t").unwrap_err().field(), Some("original"));
    }

    #[test]
    fn refusing_in_bulk_needs_a_reason() {
        let db = Db::open_in_memory().unwrap();
        let clock = FixedClock::at("2025-02-10");
        let a = register(&db, &clock, "Ada");
        assert_eq!(change_status(&db, &clock, &[a], Status::Refused, None, "t").unwrap_err().field(), Some("reason"));
        assert_eq!(change_status(&db, &clock, &[], Status::InProgress, None, "t").unwrap_err().field(), Some("ids"));
    }
}
