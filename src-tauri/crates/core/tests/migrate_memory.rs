//! Moving a register into a team database and back streams its rows
//! (`store::pg::migrate`): the process's peak resident memory grows by a few
//! batches, not by the register's size. A register of 160 MB of rows (timeline
//! events with 4 KB of data each, letters with 32 KB composed mails) is moved
//! into a real PostgreSQL 15 and exported back into a new file; the peak
//! (VmHWM, reset through `/proc/self/clear_refs` before each) must stay well
//! under the data moved. Alone in its own test binary so the peak is this
//! test's. The audit trail is not verified here (the rows are written directly,
//! with no seals): `cli/tests/team_migrate.rs` moves a real register with its
//! trail verified on both sides.

#[path = "common/stores.rs"]
mod stores;

use rightsdesk_core::store::pg::migrate::{self, TableCount};
use rightsdesk_core::store::{Db, DbKey};
use stores::pg;

fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("Linux /proc");
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("{field} in /proc/self/status"))
}

/// Resets the peak (VmHWM) to the current resident size and returns that size.
fn reset_peak() -> u64 {
    std::fs::write("/proc/self/clear_refs", "5").expect("reset the peak resident size (Linux clear_refs)");
    status_kib("VmRSS:")
}

const REQUESTS: i64 = 500;
const EVENTS: i64 = 25_000;
const EVENT_DATA: i64 = 2_000; // random bytes, written as 4,000 hex digits
const LETTERS: i64 = 2_000;
const LETTER_RAW: i64 = 32 * 1024;
/// What the rows weigh, roughly: 100 MB of events and 64 MB of letters.
const MOVED_MIB: u64 = ((EVENTS * EVENT_DATA * 2 + LETTERS * LETTER_RAW) >> 20) as u64;
const _: () = assert!(MOVED_MIB >= 150, "far more than the peak may grow by");

fn fill(db: &Db) {
    db.write(|tx| {
        tx.execute_batch(&format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {REQUESTS})
             INSERT INTO requests (id, number, reference, request_type, regime, jurisdiction, subject_name, channel,
                 received_at, received_on, time_zone, status, rule_set, schedule, created_at, updated_at)
             SELECT printf('req-%06d', i), i, printf('DSR-2026-%04d', i), 'access', 'eu-gdpr', 'DE', 'Person ' || i, 'email',
                 '2026-01-31T09:00:00Z', '2026-01-31', 'Europe/Berlin', 'received', 'x', '{{\"ack_due\":\"2026-02-03\"}}',
                 '2026-01-31T09:00:00Z', '2026-01-31T09:00:00Z' FROM n;
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {EVENTS})
             INSERT INTO events (seq, request_id, at, kind, summary, data, actor)
             SELECT i, printf('req-%06d', 1 + i % {REQUESTS}), '2026-01-31T09:00:00Z', 'note', 'a note',
                 '{{\"x\":\"' || hex(randomblob({EVENT_DATA})) || '\"}}', 'ada' FROM n;
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {LETTERS})
             INSERT INTO letters (id, request_id, template, lang, message_id, envelope_from, envelope_to, to_display, subject,
                 body_text, body_html, raw, state, queued_at, updated_at)
             SELECT printf('letter-%06d', i), printf('req-%06d', 1 + i % {REQUESTS}), 'acknowledgement', 'en',
                 printf('<%d@move.example>', i), 'privacy@move.example', 'p@example.org', 'P', 'Your request', 'text', '<p>html</p>',
                 randomblob({LETTER_RAW}), 'queued', '2026-01-31T09:00:00Z', '2026-01-31T09:00:00Z' FROM n;"
        ))?;
        Ok(())
    })
    .unwrap();
}

fn row<'a>(counts: &'a [TableCount], table: &str) -> &'a TableCount {
    counts.iter().find(|t| t.table == table).unwrap_or_else(|| panic!("{table} in {counts:?}"))
}

#[test]
fn a_register_moves_into_a_team_database_and_back_with_memory_staying_flat() {
    let dir = tempfile::tempdir().unwrap();
    let key = DbKey::passphrase("memory test passphrase").unwrap();
    let file = Db::open(&dir.path().join("big.sqlite3"), &key).unwrap();
    fill(&file);

    let (pg, team) = stores::empty_team_database();

    let before = reset_peak();
    let (counts, ()) = migrate::to_postgres(&file, &team, |_, _| Ok(())).unwrap();
    let grew_in = status_kib("VmHWM:").saturating_sub(before) / 1024;
    eprintln!("moving {MOVED_MIB} MiB of rows into PostgreSQL: peak resident memory grew by {grew_in} MiB");
    assert_eq!(row(&counts, "events").target, EVENTS as u64);
    assert_eq!(row(&counts, "letters").target, LETTERS as u64);
    assert_eq!(row(&counts, "requests").target, REQUESTS as u64);
    assert_eq!(pg.admin_sql(pg::DBNAME, "SELECT sum(length(raw)) FROM letters"), (LETTERS * LETTER_RAW).to_string());

    let back = Db::open(&dir.path().join("back.sqlite3"), &key).unwrap();
    let before = reset_peak();
    let (counts, ()) = migrate::to_sqlite(&team, &back, |_, _| Ok(())).unwrap();
    let grew_out = status_kib("VmHWM:").saturating_sub(before) / 1024;
    eprintln!("copying them back into a new file: peak resident memory grew by {grew_out} MiB");
    assert_eq!(row(&counts, "events").target, EVENTS as u64);
    assert_eq!(row(&counts, "letters").target, LETTERS as u64);
    let same = |sql: &str| {
        let a: String = file.read(|c| Ok(c.query_row(sql, [], |r| r.get(0))?)).unwrap();
        let b: String = back.read(|c| Ok(c.query_row(sql, [], |r| r.get(0))?)).unwrap();
        assert_eq!(a, b, "{sql}");
    };
    same("SELECT group_concat(hex(raw), '') FROM (SELECT raw FROM letters WHERE id <= 'letter-000010' ORDER BY id)");
    same("SELECT group_concat(seq || data, '') FROM (SELECT seq, data FROM events WHERE seq % 997 = 0 ORDER BY seq)");

    assert!(grew_in < 64, "moving {MOVED_MIB} MiB in grew the peak by {grew_in} MiB");
    assert!(grew_out < 64, "copying {MOVED_MIB} MiB back grew the peak by {grew_out} MiB");
}
