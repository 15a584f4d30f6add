//! The audit trail's checks and its export for a regulator.
//!
//! Every timeline event is sealed when written (`store::events::seal`): a row
//! of `audit_chain` with its identifiers and actions, the SHA-256 of its words
//! and a hash chained to the row before. [`verify`] recomputes the chain and
//! compares it with the events, and says where it breaks: an edited event or
//! seal, a deleted one, one inserted behind Rightsdesk's back, two swapped, or
//! the newest ones cut off. The retention purge may redact an event's words
//! once; a later sealed `personal-data-purged` event on the request accounts
//! for that.

pub mod anchor;

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::datamap::io::DataFormat;
use crate::error::{Error, Result};
use crate::store::events::{self, chain_hash, ChainRow, EventKind, RequestState, GENESIS_HASH};
use crate::store::{Conn, Db, Store};

/// One place where the trail does not hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AuditProblem {
    /// The event number where the chain breaks.
    #[cfg_attr(feature = "specta", specta(type = i32))]
    pub seq: i64,
    pub problem: String,
}

/// The result of checking the whole trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AuditReport {
    pub intact: bool,
    /// How many sealed events were checked.
    pub checked: u32,
    /// The hash of the newest seal: write it down to prove later that nothing after it was cut off.
    pub head_hash: String,
    /// Where the chain breaks, in order (at most 100).
    pub problems: Vec<AuditProblem>,
}

const MAX_PROBLEMS: usize = 100;

/// Checks the whole audit trail: the chain, every event against its seal,
/// and every request row against the state sealed last for it.
/// On either store: one consistent snapshot.
pub fn verify<'a>(store: impl Into<Store<'a>>) -> Result<AuditReport> {
    store.into().read(verify_in)
}

/// [`verify`] inside the caller's transaction: what a move between stores
/// (`workspace::team_move`) checks on the target before it commits.
pub fn verify_in(c: Conn<'_>) -> Result<AuditReport> {
    let chain = events::chain(c)?;
    let raw = events::raw_events(c)?;
    let issued = events::highest_seq_issued(c)?;
    let live = events::request_states(c)?;
    let sealed = events::sealed_states(c)?;
    let found: HashMap<i64, String> = c
        .query_map("SELECT seq, data FROM events WHERE kind = ?1", &[&events::MISMATCH_KIND.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))?
        .into_iter()
        .collect();
    let mut report = check(&chain, &raw, issued, &live, &sealed, &found);
    // A schedule's explanation is kept once and named in each request's schedule by its
    // SHA-256 (migration 29): the sealed states cover the name, this the text.
    let at = chain.last().map_or(1, |r| r.seq + 1);
    let short = |hash: &str| hash[..hash.len().min(12)].to_string();
    let mut explanation_problems = Vec::new();
    for hash in crate::requests::explanations::altered(c)? {
        explanation_problems.push(format!(
            "the explanation of the dates kept as {} was changed after it was recorded: it no longer matches the hash \
             its requests' sealed schedules name; restore the register from a backup",
            short(&hash)
        ));
    }
    for (hash, reference) in crate::requests::explanations::missing(c)? {
        explanation_problems.push(format!(
            "the explanation of the dates kept as {} was removed (request {reference} and any others that name it); \
             restore the register from a backup",
            short(&hash)
        ));
    }
    for problem in explanation_problems {
        report.intact = false;
        report.problems.push(AuditProblem { seq: at, problem });
    }
    if !events::issued_recorded(c)? {
        report.intact = false;
        report.problems.push(AuditProblem {
            seq: issued,
            problem: "the team register's record of the highest event number issued (events_issued) is missing, so \
                      events removed from the end of the trail could not be noticed; restore the register from a backup"
                .into(),
        });
    }
    Ok(report)
}

/// When the trail began to cover the request rows of a register that had
/// requests before (migration 13): the baseline's event number and time.
pub fn state_baseline(db: &Db) -> Result<Option<(i64, String)>> {
    db.read(|c| events::baseline(c))
}

fn check(
    chain: &[ChainRow],
    raw: &[events::RawEvent],
    issued: i64,
    live: &[RequestState],
    sealed_states: &[(i64, RequestState)],
    mismatches_found: &HashMap<i64, String>,
) -> AuditReport {
    let live_requests: HashSet<&str> = live.iter().map(|s| s.request_id.as_str()).collect();
    let mut problems = Vec::new();
    let mut say = |seq: i64, problem: String| problems.push(AuditProblem { seq, problem });

    // 1. The chain itself: each seal's hash, and each link to the one before;
    //    and the request states each seal vouches for.
    let mut states_at: HashMap<i64, Vec<&RequestState>> = HashMap::new();
    for (seq, state) in sealed_states {
        states_at.entry(*seq).or_default().push(state);
    }
    let mut prev = GENESIS_HASH.to_string();
    for row in chain {
        let expected = chain_hash(
            &row.prev_hash,
            row.seq,
            row.request_id.as_deref(),
            &row.at,
            &row.kind,
            &row.actor,
            &row.content_sha256,
            row.state_sha256.as_deref(),
        );
        let states = states_at.remove(&row.seq);
        let states_hash = states.as_ref().map(|s| events::states_hash(s.iter().copied()));
        if row.hash != expected {
            say(row.seq, format!("the seal of event {} was changed", row.seq));
        } else if row.prev_hash != prev {
            say(row.seq, format!("the chain breaks before event {}: a seal was removed, inserted or moved", row.seq));
        } else if states_hash != row.state_sha256 {
            say(row.seq, format!("the request states sealed with event {} were changed", row.seq));
        }
        prev = row.hash.clone();
    }
    // States whose seal is missing: added behind Rightsdesk's back (to make a
    // changed row look sealed), or left behind by a removed seal. Never trusted.
    let unsealed_states: HashSet<i64> = states_at.keys().copied().collect();
    for seq in &unsealed_states {
        say(
            *seq,
            format!("request states recorded at event {seq} have no seal (added behind Rightsdesk's back, or their seal was removed)"),
        );
    }

    // 2. Each event against its seal.
    let removed: HashSet<&str> =
        chain.iter().filter(|r| r.kind == EventKind::RequestRemoved.as_str()).filter_map(|r| r.request_id.as_deref()).collect();
    let by_seq: HashMap<i64, &events::RawEvent> = raw.iter().map(|e| (e.seq, e)).collect();
    let sealed: HashSet<i64> = chain.iter().map(|r| r.seq).collect();
    let max_sealed = chain.last().map_or(0, |r| r.seq);
    for row in chain {
        match by_seq.get(&row.seq) {
            None => {
                let purged = row.request_id.as_deref().is_some_and(|r| removed.contains(r) && !live_requests.contains(r));
                if !purged {
                    say(row.seq, format!("event {} was deleted", row.seq));
                }
            }
            Some(e) => {
                // The retention purge may redact an event's words once, after which a
                // sealed `personal-data-purged` event on the same request says so.
                let redacted_by_purge = e.redacted
                    && e.summary_tail_is_redaction
                    && row.request_id.as_deref().is_some_and(|r| {
                        chain.iter().any(|p| {
                            p.seq > row.seq && p.kind == EventKind::PersonalDataPurged.as_str() && p.request_id.as_deref() == Some(r)
                        })
                    });
                if (e.content_sha256 != row.content_sha256 && !redacted_by_purge)
                    || e.kind != row.kind
                    || e.at != row.at
                    || e.actor != row.actor
                    || e.chained_request_id != row.request_id
                {
                    say(row.seq, format!("event {} was changed after it was recorded", row.seq));
                }
            }
        }
    }
    for e in raw {
        if !sealed.contains(&e.seq) {
            say(e.seq, format!("event {} was not recorded by Rightsdesk (inserted behind its back)", e.seq));
        }
    }

    // 3. The newest events cut off together with their seals.
    let newest = raw.last().map_or(0, |e| e.seq).max(max_sealed);
    if issued > newest {
        say(newest + 1, format!("events {} to {issued} were removed from the end of the trail", newest + 1));
    }

    // 4. The register against the states sealed for it: each live request as
    //    sealed last, and no request gone without a sealed removal. Named by
    //    reference and id, never by anything personal.
    let mut last: HashMap<&str, (i64, &RequestState)> = HashMap::new();
    for (seq, state) in sealed_states.iter().filter(|(seq, _)| !unsealed_states.contains(seq)) {
        last.insert(state.request_id.as_str(), (*seq, state));
    }
    for now in live {
        match last.get(now.request_id.as_str()) {
            None => say(
                max_sealed + 1,
                format!(
                    "request {} ({}) is not in the audit trail: it was inserted behind Rightsdesk's back",
                    now.reference, now.request_id
                ),
            ),
            Some((seq, then)) if then.digest != now.digest => {
                let fields = now.differing_fields(then);
                let what = if fields.is_empty() { "a field (not identified)".to_string() } else { fields.join(", ") };
                say(
                    *seq,
                    format!(
                        "request {} ({}) no longer matches the audit trail (sealed at event {seq}): {what} changed behind Rightsdesk's back",
                        then.reference, now.request_id
                    ),
                );
            }
            Some(_) => {}
        }
    }
    for (id, (seq, then)) in &last {
        if !live_requests.contains(id) && !removed.contains(id) {
            say(
                *seq,
                format!(
                    "request {} ({id}) was deleted behind Rightsdesk's back: its row is gone and no removal is recorded",
                    then.reference
                ),
            );
        }
    }

    // 5. Rows Rightsdesk found changed behind its back just before it changed
    //    them itself (`events::check_before_change`): recorded for good.
    for row in chain.iter().filter(|r| r.kind == events::MISMATCH_KIND.as_str()) {
        let data: serde_json::Value = mismatches_found.get(&row.seq).and_then(|d| serde_json::from_str(d).ok()).unwrap_or_default();
        let reference = data["reference"].as_str().unwrap_or("?");
        let fields: Vec<&str> = data["fields"].as_array().map(|f| f.iter().filter_map(|v| v.as_str()).collect()).unwrap_or_default();
        let what = if fields.is_empty() { "a field".to_string() } else { fields.join(", ") };
        say(
            row.seq,
            format!(
                "request {reference} ({}) had been changed behind Rightsdesk's back before event {}: {what} no longer matched the audit trail",
                row.request_id.as_deref().unwrap_or("?"),
                row.seq
            ),
        );
    }

    problems.sort_by_key(|p| p.seq);
    problems.truncate(MAX_PROBLEMS);
    AuditReport {
        intact: problems.is_empty(),
        checked: chain.len() as u32,
        head_hash: chain.last().map_or_else(|| GENESIS_HASH.to_string(), |r| r.hash.clone()),
        problems,
    }
}

/// One line of the exported trail: identifiers and actions, no personal data.
#[derive(Debug, Clone, Serialize)]
struct ExportRow<'a> {
    seq: i64,
    at: &'a str,
    actor: &'a str,
    action: &'a str,
    request_id: &'a str,
    request_reference: &'a str,
    content_sha256: &'a str,
    prev_hash: &'a str,
    hash: &'a str,
}

/// The trail for a regulator: CSV (one row per event) or JSON (the check's
/// result and the rows). Holds identifiers, actions, actors, times and hashes;
/// the words of each event stay in the app and are proven by their hash.
pub fn export<'a>(store: impl Into<Store<'a>>, format: DataFormat) -> Result<String> {
    let store = store.into();
    let report = verify(store)?;
    let (chain, references) = store.read(|c| {
        let chain = events::chain(c)?;
        let refs: HashMap<String, String> =
            c.query_map("SELECT id, reference FROM requests", &[], |r| Ok((r.get(0)?, r.get(1)?)))?.into_iter().collect();
        Ok((chain, refs))
    })?;
    let rows: Vec<ExportRow<'_>> = chain
        .iter()
        .map(|r| {
            let request_id = r.request_id.as_deref().unwrap_or("");
            ExportRow {
                seq: r.seq,
                at: &r.at,
                actor: &r.actor,
                action: &r.kind,
                request_id,
                request_reference: references.get(request_id).map_or("", String::as_str),
                content_sha256: &r.content_sha256,
                prev_hash: &r.prev_hash,
                hash: &r.hash,
            }
        })
        .collect();
    match format {
        DataFormat::Json => serde_json::to_string_pretty(&serde_json::json!({
            "format": "rightsdesk-audit-trail/1",
            "hash": "SHA-256 over: previous hash, seq, request id, at, action, actor, content SHA-256 (one per line)",
            "verification": report,
            "events": rows,
        }))
        .map_err(crate::error::json_err),
        DataFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            for row in &rows {
                w.serialize(row).map_err(|e| Error::Internal(e.to_string()))?;
            }
            if rows.is_empty() {
                w.write_record(["seq", "at", "actor", "action", "request_id", "request_reference", "content_sha256", "prev_hash", "hash"])
                    .map_err(|e| Error::Internal(e.to_string()))?;
            }
            let bytes = w.into_inner().map_err(|e| Error::Internal(e.to_string()))?;
            String::from_utf8(bytes).map_err(|e| Error::Internal(e.to_string()))
        }
    }
}

/// Writes the export to a file, whole or not at all.
pub fn export_to<'a>(store: impl Into<Store<'a>>, format: DataFormat, path: &std::path::Path) -> Result<()> {
    let text = export(store, format)?;
    crate::files::atomic::write_bytes(path, text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use crate::domain::RequestId;
    use crate::domain::Status;
    use crate::requests;
    use rusqlite::Connection;

    /// A database with a few events: registered, status changes, a note of the data map.
    fn setup() -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.sqlite3");
        let db = crate::testutil::test_db(&path);
        let clock = FixedClock::at("2026-11-23");
        let input = crate::testutil::ada_access_request();
        let r = requests::register(&db, &clock, &input, "o").unwrap();
        requests::change_status(&db, &clock, &RequestId::from(&r.id), Status::InProgress, None, "o").unwrap();
        requests::change_status(&db, &clock, &RequestId::from(&r.id), Status::Paused, None, "o").unwrap();
        requests::change_status(&db, &clock, &RequestId::from(&r.id), Status::InProgress, None, "o").unwrap();
        (dir, path)
    }

    /// Changes the file behind the app's back, as someone with the file and sqlite3 could.
    fn tamper(path: &std::path::Path, sql: &str) {
        let c = Connection::open(path).unwrap();
        c.pragma_update(None, "key", crate::testutil::TEST_PASSPHRASE).unwrap();
        c.execute_batch(&crate::store::PageHmac::NEW.pragma(None)).unwrap();
        c.execute_batch(sql).unwrap();
    }

    fn problems(path: &std::path::Path) -> Vec<(i64, String)> {
        let report = verify(&crate::testutil::test_db(path)).unwrap();
        assert_eq!(report.intact, report.problems.is_empty());
        report.problems.into_iter().map(|p| (p.seq, p.problem)).collect()
    }

    #[test]
    fn an_untouched_trail_verifies() {
        let (_dir, path) = setup();
        let report = verify(&crate::testutil::test_db(&path)).unwrap();
        assert!(report.intact, "{:?}", report.problems);
        assert_eq!(report.checked, 4);
        assert_eq!(report.head_hash.len(), 64);
    }

    #[test]
    fn an_edited_event_is_found_at_its_place() {
        let (_dir, path) = setup();
        tamper(
            &path,
            "DROP TRIGGER events_are_append_only_update; UPDATE events SET summary = 'Status: received → refused' WHERE seq = 2;",
        );
        assert_eq!(problems(&path), [(2, "event 2 was changed after it was recorded".to_string())]);
    }

    #[test]
    fn a_deleted_event_is_found() {
        let (_dir, path) = setup();
        tamper(&path, "DELETE FROM events WHERE seq = 3;");
        assert_eq!(problems(&path), [(3, "event 3 was deleted".to_string())]);
    }

    #[test]
    fn a_deleted_event_and_its_seal_break_the_chain_after_it() {
        let (_dir, path) = setup();
        tamper(&path, "DROP TRIGGER audit_chain_no_delete; DELETE FROM events WHERE seq = 2; DELETE FROM audit_chain WHERE seq = 2;");
        let found = problems(&path);
        assert!(found.contains(&(3, "the chain breaks before event 3: a seal was removed, inserted or moved".to_string())), "{found:?}");
        assert!(found.iter().all(|p| p.0 >= 2), "{found:?}");
    }

    #[test]
    fn two_swapped_events_are_both_found() {
        let (_dir, path) = setup();
        tamper(
            &path,
            "DROP TRIGGER events_are_append_only_update;
             UPDATE events SET seq = -2 WHERE seq = 2;
             UPDATE events SET seq = 2 WHERE seq = 3;
             UPDATE events SET seq = 3 WHERE seq = -2;",
        );
        let found = problems(&path);
        assert_eq!(found.iter().map(|p| p.0).collect::<Vec<_>>(), [2, 3], "{found:?}");
    }

    #[test]
    fn an_event_inserted_behind_the_apps_back_is_found() {
        let (_dir, path) = setup();
        tamper(
            &path,
            "INSERT INTO events (request_id, at, kind, summary, data, actor) \
             SELECT request_id, at, 'status-changed', 'Status: in-progress → completed', '{}', actor FROM events WHERE seq = 4;",
        );
        assert_eq!(problems(&path), [(5, "event 5 was not recorded by Rightsdesk (inserted behind its back)".to_string())]);
    }

    #[test]
    fn an_edited_seal_is_found() {
        let (_dir, path) = setup();
        tamper(&path, "DROP TRIGGER audit_chain_no_update; UPDATE audit_chain SET actor = 'someone else' WHERE seq = 1;");
        let found = problems(&path);
        assert_eq!(found[0], (1, "the seal of event 1 was changed".to_string()));
    }

    #[test]
    fn the_newest_events_cut_off_with_their_seals_are_noticed() {
        let (_dir, path) = setup();
        tamper(&path, "DROP TRIGGER audit_chain_no_delete; DELETE FROM events WHERE seq = 4; DELETE FROM audit_chain WHERE seq = 4;");
        let found = problems(&path);
        assert!(found.contains(&(4, "events 4 to 4 were removed from the end of the trail".to_string())), "{found:?}");
        // The row still says "in progress", which only the removed event had sealed.
        assert!(found.iter().any(|p| p.1.contains("DSR-2026-0001") && p.1.contains("status changed")), "{found:?}");
    }

    #[test]
    fn the_export_is_csv_a_parser_reads_with_no_personal_data() {
        let (_dir, path) = setup();
        let db = crate::testutil::test_db(&path);
        let csv_text = export(&db, DataFormat::Csv).unwrap();
        assert!(!csv_text.contains("Ada") && !csv_text.contains("ada@example.org"));
        let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
        assert_eq!(
            reader.headers().unwrap().iter().collect::<Vec<_>>(),
            ["seq", "at", "actor", "action", "request_id", "request_reference", "content_sha256", "prev_hash", "hash"]
        );
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), 4);
        assert_eq!(&rows[0][3], "registered");
        assert_eq!(&rows[0][5], "DSR-2026-0001");
        assert_eq!(&rows[1][7], &rows[0][8], "each row carries the hash of the one before");
        let json: serde_json::Value = serde_json::from_str(&export(&db, DataFormat::Json).unwrap()).unwrap();
        assert_eq!(json["verification"]["intact"], true);
        assert_eq!(json["events"].as_array().unwrap().len(), 4);
    }
}
