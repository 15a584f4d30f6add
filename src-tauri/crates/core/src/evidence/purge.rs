//! The retention purge of this feature's personal data (registered in
//! `retention::purgers::PURGERS`): a purged request's evidence files go (the
//! stored bytes once no other request refers to them, deleted after the purge
//! commits), and the free-text notes of its tasks and identity checks are
//! emptied. The tasks themselves (system, action, outcome, exemption) stay:
//! they are what the answer was, without whose data it was.

use crate::error::Result;
use crate::evidence;
use crate::purge::{PurgeScope, Purged, Purger};
use crate::store::{Conn, Dialect};

pub struct WorkData;

impl Purger for WorkData {
    fn name(&self) -> &'static str {
        "evidence-and-notes"
    }
    fn what(&self) -> &'static str {
        "evidence files, and the notes of tasks and identity checks"
    }
    fn count(&self, conn: Conn<'_>, scope: &PurgeScope<'_>) -> Result<u64> {
        let mut n = 0u64;
        for id in scope.request_ids {
            n += conn.query_row(
                "SELECT (SELECT count(*) FROM evidence WHERE request_id = ?1) \
                      + (SELECT count(*) FROM tasks WHERE request_id = ?1 AND note <> '') \
                      + (SELECT count(*) FROM identity_checks WHERE request_id = ?1 AND note <> '')",
                &[id],
                |r| r.get::<i64>(0),
            )? as u64;
        }
        Ok(n)
    }
    fn purge(&self, conn: Conn<'_>, scope: &PurgeScope<'_>) -> Result<Purged> {
        let mut purged = Purged::default();
        let mut blobs = Vec::new();
        for id in scope.request_ids {
            blobs.extend(conn.query_map("SELECT blob FROM evidence WHERE request_id = ?1", &[id], |r| r.get::<String>(0))?);
            purged.items += conn.execute("DELETE FROM evidence WHERE request_id = ?1", &[id])? as u64;
            purged.items += conn.execute("UPDATE tasks SET note = '' WHERE request_id = ?1 AND note <> ''", &[id])? as u64;
            purged.items += conn.execute("UPDATE identity_checks SET note = '' WHERE request_id = ?1 AND note <> ''", &[id])? as u64;
        }
        purged.files_after_commit.extend(unreferenced(conn, scope, blobs)?);
        Ok(purged)
    }
}

/// The files of `blobs` that no evidence and no received mail refers to any more: what a
/// purger deletes once its transaction commits. The same bytes may be evidence and a received
/// mail's stored message at once (the mailbox's purger, which runs after this one, calls this too).
/// On a team register the stored bytes are rows of `stored_chunks`: they are deleted here, inside
/// the purge's transaction, and no file is returned.
pub(crate) fn unreferenced(conn: Conn<'_>, scope: &PurgeScope<'_>, mut blobs: Vec<String>) -> Result<Vec<std::path::PathBuf>> {
    blobs.sort();
    blobs.dedup();
    let dir = scope.data_dir.join("evidence");
    let mut files = Vec::new();
    for blob in blobs {
        let still_used: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM evidence WHERE blob = ?1) OR EXISTS (SELECT 1 FROM intake_items WHERE blob = ?1)",
            &[&blob],
            |r| r.get(0),
        )?;
        if still_used {
            continue;
        }
        match conn.dialect() {
            Dialect::Sqlite => files.push(evidence::blob_path(&dir, &blob)),
            Dialect::Postgres => {
                conn.execute("DELETE FROM stored_chunks WHERE blob = ?1", &[&blob])?;
            }
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use crate::audit;
    use crate::clock::FixedClock;
    use crate::domain::RequestId;
    use crate::domain::{NewRequest, RequestType, Status};
    use crate::evidence::{self, EvidenceKind, NewEvidence};
    use crate::requests;
    use crate::tasks;

    #[test]
    fn the_retention_purge_takes_the_evidence_files_and_the_trail_still_verifies() {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::testutil::test_db(&dir.path().join("r.sqlite3"));
        let clock = FixedClock::at("2026-11-23");
        crate::datamap::io::import(&db, &clock, "name\nCRM\n", crate::datamap::io::DataFormat::Csv, "o").unwrap();
        let input = NewRequest {
            request_type: RequestType::Erasure,
            regime: "eu-gdpr".into(),
            jurisdiction: "DE".into(),
            subject_name: "Ada Example".into(),
            subject_email: "ada@example.org".into(),
            received: "2026-11-20".into(),
            ..Default::default()
        };
        let r = requests::register(&db, &clock, &input, "o").unwrap();
        let file = NewEvidence {
            request: &r.id,
            file_name: "ada-export.json",
            bytes: b"{}",
            task: None,
            system: None,
            kind: EvidenceKind::Evidence,
        };
        let e = evidence::add(&db, &clock, &file, "o").unwrap();
        let stored = evidence::tests::stored_path(&db, &e.id);
        let task = &tasks::list(&db, &r.id).unwrap()[0];
        let done = tasks::TaskUpdate { status: tasks::TaskStatus::Done, note: "deleted Ada's row".into(), exemption: None };
        tasks::update(&db, &clock, &task.id, &done, "o").unwrap();
        requests::change_status(&db, &clock, &RequestId::from(&r.id), Status::InProgress, None, "o").unwrap();
        requests::change_status(&db, &clock, &RequestId::from(&r.id), Status::Completed, None, "o").unwrap();

        crate::retention::purge(&db, &FixedClock::at("2035-01-01"), "o", None).unwrap();
        assert!(!stored.exists(), "the evidence file is gone from the disk");
        assert!(evidence::list(&db, &r.id).unwrap().is_empty());
        assert_eq!(tasks::list(&db, &r.id).unwrap()[0].note, "");
        let check = audit::verify(&db).unwrap();
        assert!(check.intact, "{:?}", check.problems);
    }
}
