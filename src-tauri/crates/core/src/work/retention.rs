//! Removing a closed request when its retention has run out: the request, its
//! timeline, tasks, identity checks and evidence rows go in one transaction,
//! then the evidence files nothing else refers to. The audit trail keeps its
//! seals (identifiers and hashes only) and a `request-removed` seal accounts
//! for the events that went.

use serde_json::json;

use super::{evidence, tasks};
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::store::events::{self, NewEvent};
use crate::store::Db;

pub fn remove_request(db: &Db, clock: &dyn Clock, request: &str, actor: &str) -> Result<()> {
    let now = clock.now();
    let dir = evidence::dir(db).ok();
    db.write(|tx| {
        let (id, _, status) = tasks::request_head(tx, request)?;
        if !status.is_closed() {
            return Err(Error::invalid("request", "is still open; close it before removing it"));
        }
        let reference: String = tx.query_row("SELECT reference FROM requests WHERE id = ?1", [&id], |r| r.get(0))?;
        tx.execute("DELETE FROM requests WHERE id = ?1", [&id])?;
        events::append(
            tx,
            None,
            now,
            actor,
            NewEvent {
                kind: "request-removed",
                summary: format!("Request {reference} removed under its retention period"),
                data: json!({ "request_id": id, "reference": reference }),
            },
        )?;
        if let Some(dir) = &dir {
            evidence::collect_garbage_in(tx, dir)?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use crate::domain::{NewRequest, Status};
    use crate::services::requests;
    use crate::work::audit;
    use crate::work::evidence::{EvidenceKind, NewEvidence};

    #[test]
    fn a_removed_request_takes_its_files_and_the_trail_still_verifies() {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::work::test_db(&dir.path().join("r.sqlite3"));
        let clock = FixedClock::at("2026-11-23");
        let input = NewRequest {
            request_type: "access".into(),
            regime: "eu-gdpr".into(),
            jurisdiction: "DE".into(),
            subject_name: "Ada Example".into(),
            subject_email: "ada@example.org".into(),
            received: "2026-11-20".into(),
            ..Default::default()
        };
        let r = requests::register(&db, &clock, &input, "o").unwrap();
        let file = NewEvidence { request: &r.id, file_name: "export.json", bytes: b"{}", task: None, system: None, kind: EvidenceKind::Evidence };
        let e = evidence::add(&db, &clock, &file, "o").unwrap();
        let stored = crate::work::evidence::tests::stored_path(&db, &e.id);
        assert!(stored.exists());
        assert_eq!(remove_request(&db, &clock, &r.id, "o").unwrap_err().field(), Some("request"));
        requests::change_status(&db, &clock, &r.id, Status::InProgress, None, "o").unwrap();
        requests::change_status(&db, &clock, &r.id, Status::Completed, None, "o").unwrap();
        remove_request(&db, &clock, &r.reference, "o").unwrap();
        assert!(!stored.exists());
        let report = audit::verify(&db).unwrap();
        assert!(report.intact, "{:?}", report.problems);
        assert_eq!(report.checked, 5);
    }
}
