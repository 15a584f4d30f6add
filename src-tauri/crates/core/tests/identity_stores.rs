//! Identity checks on both stores (issue 18): asking for proof and recording a check are
//! clock events the deadline engine hears in the same transaction; the checks list oldest
//! first; a failed check is not a clock event; bad input is refused naming the field and
//! writes nothing; identity documents go at verification (by default) or when the configured
//! short period ends, their stored bytes with them: files beside the local file, rows of
//! `stored_chunks` on a team register. The audit trail stays intact.

#[path = "common/stores.rs"]
mod stores;

use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::domain::{NewRequest, RequestId, RequestType};
use rightsdesk_core::evidence::{self, EvidenceKind, NewEvidence};
use rightsdesk_core::identity::{self, IdentityInput, IdentityMethod, IdentityOutcome};
use rightsdesk_core::requests;
use stores::Fresh;

on_both_stores!(
    asking_for_proof_and_a_verification_are_clock_events_and_the_checks_list,
    bad_input_is_refused_naming_the_field_and_writes_nothing,
    identity_documents_go_at_verification_or_when_the_short_period_ends_with_their_bytes,
);

fn clock() -> FixedClock {
    FixedClock::at("2026-11-23")
}

fn ada() -> NewRequest {
    NewRequest {
        request_type: RequestType::Access,
        regime: "eu-gdpr".into(),
        jurisdiction: "DE".into(),
        subject_name: "Ada Example".into(),
        subject_email: "ada@example.org".into(),
        received: "2026-11-20".into(),
        ..Default::default()
    }
}

fn check(method: IdentityMethod, outcome: IdentityOutcome, on: &str) -> IdentityInput {
    IdentityInput { method, outcome, note: String::new(), on: on.into() }
}

/// The distinct stored files the register keeps (the folder's files, or `stored_chunks`' blobs).
fn stored_files(r: &Fresh) -> usize {
    match r {
        Fresh::Sqlite { db, .. } => {
            let Ok(shards) = std::fs::read_dir(evidence::dir(db).unwrap()) else { return 0 };
            shards.flatten().filter(|s| s.path().is_dir()).map(|s| std::fs::read_dir(s.path()).unwrap().count()).sum()
        }
        Fresh::Postgres { pg, .. } => pg.admin_sql(stores::pg::DBNAME, "SELECT count(DISTINCT blob) FROM stored_chunks").parse().unwrap(),
    }
}

fn clock_events(r: &Fresh, request_id: &str) -> Vec<serde_json::Value> {
    let data: Vec<String> = r
        .store()
        .read(|c| {
            c.query_map("SELECT data FROM events WHERE request_id = ?1 AND kind = 'clock' ORDER BY seq", &[&request_id], |r| r.get(0))
        })
        .unwrap();
    data.iter().map(|d| serde_json::from_str(d).unwrap()).collect()
}

fn asking_for_proof_and_a_verification_are_clock_events_and_the_checks_list(r: &Fresh) {
    let store = r.store();
    let request = requests::register(store, &clock(), &ada(), "officer").unwrap();
    let id = RequestId::from(&request.reference);
    identity::request_proof(store, &clock(), &id, "2026-11-21", "olga").unwrap();
    let failed =
        identity::verify(store, &clock(), &id, &check(IdentityMethod::AccountDataMatch, IdentityOutcome::Failed, "2026-11-21"), "olga")
            .unwrap();
    assert_eq!(failed.outcome, IdentityOutcome::Failed);
    let verified =
        identity::verify(store, &clock(), &id, &check(IdentityMethod::DocumentSeen, IdentityOutcome::Verified, "2026-11-22"), "olga")
            .unwrap();
    assert_eq!((verified.method, verified.checked_by.as_str()), (IdentityMethod::DocumentSeen, "olga"));
    assert_eq!(verified.checked_on.to_string(), "2026-11-22");

    let listed = identity::list(store, &request.reference).unwrap();
    assert_eq!(listed, vec![failed, verified], "oldest first, as recorded");
    assert_eq!(
        clock_events(r, &request.id),
        [
            serde_json::json!({ "event": { "kind": "identity-requested", "on": "2026-11-21" } }),
            serde_json::json!({ "event": { "kind": "identity-received", "on": "2026-11-22" } }),
        ],
        "a failed check is no clock event"
    );
    let shown = requests::detail(store, &clock(), &request.id).unwrap();
    assert!(shown.timeline.iter().any(|e| e.summary == "Identity verified (identity document seen) on 2026-11-22"), "{:?}", shown.timeline);
    let audit = rightsdesk_core::audit::verify(store).unwrap();
    assert!(audit.intact, "{:?}", audit.problems);
}

fn bad_input_is_refused_naming_the_field_and_writes_nothing(r: &Fresh) {
    let store = r.store();
    let request = requests::register(store, &clock(), &ada(), "officer").unwrap();
    let id = RequestId::from(&request.id);
    let future = check(IdentityMethod::AccountDataMatch, IdentityOutcome::Verified, "2026-12-01");
    assert_eq!(identity::verify(store, &clock(), &id, &future, "o").unwrap_err().field(), Some("on"));
    let early = check(IdentityMethod::AccountDataMatch, IdentityOutcome::Verified, "2026-11-19");
    assert_eq!(identity::verify(store, &clock(), &id, &early, "o").unwrap_err().field(), Some("on"));
    assert_eq!(identity::request_proof(store, &clock(), &id, "someday", "o").unwrap_err().field(), Some("on"));
    assert!(identity::list(store, &request.id).unwrap().is_empty());
    assert!(clock_events(r, &request.id).is_empty(), "nothing written");
    assert!(identity::list(store, "DSR-1999-0001").is_err(), "an unknown request is refused");
}

fn identity_documents_go_at_verification_or_when_the_short_period_ends_with_their_bytes(r: &Fresh) {
    let store = r.store();
    let passport = |request: &str, bytes: &'static [u8]| {
        let new = NewEvidence { request, file_name: "passport.jpg", bytes, task: None, system: None, kind: EvidenceKind::IdentityDocument };
        evidence::add(store, &clock(), &new, "olga").unwrap()
    };
    let verified = check(IdentityMethod::DocumentSeen, IdentityOutcome::Verified, "");

    // By default: deleted at verification, bytes and all.
    let first = requests::register(store, &clock(), &ada(), "officer").unwrap();
    passport(&first.id, b"JPEG of the first passport");
    assert_eq!(stored_files(r), 1);
    identity::verify(store, &clock(), &RequestId::from(&first.id), &verified, "olga").unwrap();
    assert!(evidence::list(store, &first.id).unwrap().is_empty());
    assert_eq!(stored_files(r), 0, "the document's bytes went with it");

    // With 7 days configured: kept until then, then purged.
    assert_eq!(identity::set_document_days(store, &clock(), 365, "admin").unwrap_err().field(), Some("days"));
    identity::set_document_days(store, &clock(), 7, "admin").unwrap();
    assert_eq!(identity::document_days(store).unwrap(), 7);
    let second = requests::register(store, &clock(), &ada(), "officer").unwrap();
    passport(&second.id, b"JPEG of the second passport");
    identity::verify(store, &clock(), &RequestId::from(&second.id), &verified, "olga").unwrap();
    let kept = evidence::list(store, &second.id).unwrap();
    assert_eq!(kept[0].delete_after.unwrap().to_string(), "2026-11-30");
    assert_eq!(identity::purge_due_documents(store, &FixedClock::at("2026-11-29"), "olga").unwrap(), 0);
    assert_eq!(stored_files(r), 1);
    assert_eq!(identity::purge_due_documents(store, &FixedClock::at("2026-11-30"), "olga").unwrap(), 1);
    assert!(evidence::list(store, &second.id).unwrap().is_empty());
    assert_eq!(stored_files(r), 0);
    let audit = rightsdesk_core::audit::verify(store).unwrap();
    assert!(audit.intact, "{:?}", audit.problems);
}
