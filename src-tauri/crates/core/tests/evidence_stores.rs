//! Evidence files on both stores (issue 18 item 5): attached, listed, read back
//! byte for byte, removed, collected, stored once however often attached, and a
//! stored file changed behind the register's back refused when read. On the
//! local file the sealed bytes are files beside it; on a team register they are
//! rows of `stored_chunks` (about 1 MiB of the sealed stream each), written in
//! the transaction that adds the evidence row and its event.
//!
//! PostgreSQL only (the server enforces what the file cannot): an auditor's
//! attach is refused by the server, and a client killed midway through an
//! attach leaves no row and no stored bytes; a mail kept by the mailbox moves
//! into the team register and back with `team migrate`/`team export`'s moves.

#[path = "common/stores.rs"]
mod stores;

use std::io::{Read, Seek, SeekFrom};

use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::domain::{NewRequest, RequestType};
use rightsdesk_core::error::Error;
use rightsdesk_core::evidence::{self, Attach, EvidenceKind, NewEvidence};
use rightsdesk_core::requests;
use rightsdesk_core::store::pg::{team, PgUrl, TeamRole};
use rightsdesk_core::store::{PgDb, Store};
use stores::Fresh;

on_both_stores!(
    a_file_attached_is_listed_read_back_byte_for_byte_and_removed_with_its_bytes,
    the_same_content_attached_twice_is_stored_once_and_kept_while_a_row_refers_to_it,
    a_stored_file_changed_behind_the_registers_back_is_refused_when_read,
    garbage_collection_removes_only_bytes_nothing_refers_to,
    two_people_attaching_the_same_new_file_at_once_store_it_once_and_both_read_it,
);

fn clock() -> FixedClock {
    FixedClock::at("2026-11-23")
}

fn ada(name: &str) -> NewRequest {
    NewRequest {
        request_type: RequestType::Access,
        regime: "eu-gdpr".into(),
        jurisdiction: "DE".into(),
        subject_name: name.into(),
        subject_email: "ada@example.org".into(),
        received: "2026-11-20".into(),
        ..Default::default()
    }
}

/// `len` bytes of noise (no row of the sealed stream repeats another).
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

fn file<'a>(request: &'a str, name: &'a str, bytes: &'a [u8]) -> NewEvidence<'a> {
    NewEvidence { request, file_name: name, bytes, task: None, system: None, kind: EvidenceKind::Evidence }
}

/// The distinct stored files the register keeps: files in the folder beside the local
/// file, keyed names in `stored_chunks` on a team register.
fn stored_files(r: &Fresh) -> usize {
    match r {
        Fresh::Sqlite { db, .. } => {
            let dir = evidence::dir(db).unwrap();
            let Ok(shards) = std::fs::read_dir(&dir) else { return 0 };
            shards.flatten().filter(|s| s.path().is_dir()).map(|s| std::fs::read_dir(s.path()).unwrap().count()).sum()
        }
        Fresh::Postgres { pg, .. } => pg.admin_sql(stores::pg::DBNAME, "SELECT count(DISTINCT blob) FROM stored_chunks").parse().unwrap(),
    }
}

fn blob_of(store: Store<'_>, id: &str) -> String {
    store.read(|c| c.query_row("SELECT blob FROM evidence WHERE id = ?1", &[&id], |r| r.get(0))).unwrap()
}

fn a_file_attached_is_listed_read_back_byte_for_byte_and_removed_with_its_bytes(r: &Fresh) {
    let store = r.store();
    let request = requests::register(store, &clock(), &ada("Ada Example"), "officer").unwrap();
    // Two and a half rows of the team register's table.
    let bytes = noise(5 * (1 << 19) + 123, 7);
    let e = evidence::add(store, &clock(), &file(&request.id, "crm export.csv", &bytes), "officer").unwrap();
    assert_eq!((e.name.as_str(), e.size as usize), ("crm export.csv", bytes.len()));
    assert_eq!(stored_files(r), 1);
    if let Fresh::Postgres { pg, .. } = r {
        let rows: i64 = pg.admin_sql(stores::pg::DBNAME, "SELECT count(*) FROM stored_chunks").parse().unwrap();
        assert_eq!(rows, 3, "the sealed stream in rows of 1 MiB");
        // The server holds no plain byte of the file.
        let plain_seen: bool = pg
            .admin_sql(
                stores::pg::DBNAME,
                &format!("SELECT bool_or(position('\\x{}'::bytea IN bytes) > 0) FROM stored_chunks", hex::encode(&bytes[1000..1032])),
            )
            .eq("t");
        assert!(!plain_seen);
    }

    let listed = evidence::list(store, &request.reference).unwrap();
    assert_eq!(listed, vec![e.clone()]);
    let (again, back) = evidence::read(store, &e.id).unwrap();
    assert_eq!(again, e);
    assert!(back == bytes, "read back byte for byte");
    let (_, mut reader) = evidence::open(store, &e.id).unwrap();
    let mut streamed = Vec::new();
    reader.read_to_end(&mut streamed).unwrap();
    assert!(streamed == bytes, "streamed back byte for byte");

    evidence::remove(store, &clock(), &e.id, "attached to the wrong request", "officer").unwrap();
    assert!(evidence::list(store, &request.id).unwrap().is_empty());
    assert_eq!(stored_files(r), 0, "the bytes went with the last row referring to them");
    assert!(matches!(evidence::read(store, &e.id).unwrap_err(), Error::NotFound { .. }));
    let trail: Vec<String> =
        store.read(|c| c.query_map("SELECT summary FROM events WHERE request_id = ?1 ORDER BY seq", &[&request.id], |r| r.get(0))).unwrap();
    assert!(trail.iter().any(|s| s.starts_with("Evidence added: crm export.csv")), "{trail:?}");
    assert!(trail.iter().any(|s| s == "File removed: crm export.csv (attached to the wrong request)"), "{trail:?}");
    let check = rightsdesk_core::audit::verify(store).unwrap();
    assert!(check.intact, "{:?}", check.problems);
}

fn the_same_content_attached_twice_is_stored_once_and_kept_while_a_row_refers_to_it(r: &Fresh) {
    let store = r.store();
    let first = requests::register(store, &clock(), &ada("Ada Example"), "officer").unwrap();
    let second = requests::register(store, &clock(), &ada("Bea Example"), "officer").unwrap();
    let bytes = noise((1 << 20) + 5, 11);
    let a = evidence::add(store, &clock(), &file(&first.id, "letter.pdf", &bytes), "officer").unwrap();
    let b = evidence::add(store, &clock(), &file(&second.id, "same letter.pdf", &bytes), "officer").unwrap();
    assert_ne!(a.id, b.id);
    assert_eq!(blob_of(store, &a.id), blob_of(store, &b.id));
    assert_eq!(stored_files(r), 1, "the same content is stored once");
    evidence::remove(store, &clock(), &a.id, "", "officer").unwrap();
    assert_eq!(stored_files(r), 1, "kept while the other row refers to it");
    assert!(evidence::read(store, &b.id).unwrap().1 == bytes);
    assert_eq!(evidence::collect_garbage(store).unwrap(), 0);
    evidence::remove(store, &clock(), &b.id, "", "officer").unwrap();
    assert_eq!(stored_files(r), 0);
}

fn a_stored_file_changed_behind_the_registers_back_is_refused_when_read(r: &Fresh) {
    let store = r.store();
    let request = requests::register(store, &clock(), &ada("Ada Example"), "officer").unwrap();
    let bytes = noise(3 * (1 << 20) + 9, 13);
    let e = evidence::add(store, &clock(), &file(&request.id, "passport.pdf", &bytes), "officer").unwrap();
    let blob = blob_of(store, &e.id);
    let refused = |why: &str| {
        let err = evidence::read(store, &e.id).unwrap_err();
        assert_eq!(err.field(), Some("evidence"), "{why}: {err}");
        assert!(err.to_string().contains("damaged or was changed"), "{why}: {err}");
    };
    match r {
        Fresh::Sqlite { db, .. } => {
            let path = evidence::dir(db).unwrap().join(&blob[..2]).join(&blob);
            let mut sealed = std::fs::read(&path).unwrap();
            sealed[(1 << 20) + 500] ^= 1;
            std::fs::write(&path, sealed).unwrap();
            refused("one bit changed in the file");
        }
        Fresh::Postgres { pg, .. } => {
            // The database administrator changes one byte with plain SQL.
            let flip =
                format!("UPDATE stored_chunks SET bytes = set_byte(bytes, 500, get_byte(bytes, 500) # 1) WHERE blob = '{blob}' AND n = 1");
            pg.admin_sql(stores::pg::DBNAME, &flip);
            refused("one bit changed in a row");
            pg.admin_sql(stores::pg::DBNAME, &flip);
            assert!(evidence::read(store, &e.id).unwrap().1 == bytes, "changed back, it reads again");
            // A row dropped, two rows swapped, a row appended: each refused. (Moved one at a
            // time: the key is checked row by row.)
            let renumber = |moves: &[(i32, i32)]| {
                for (from, to) in moves {
                    pg.admin_sql(stores::pg::DBNAME, &format!("UPDATE stored_chunks SET n = {to} WHERE blob = '{blob}' AND n = {from}"));
                }
            };
            renumber(&[(1, 101)]);
            refused("a row missing");
            renumber(&[(2, 1), (101, 2)]);
            refused("two rows swapped");
            renumber(&[(1, 101), (2, 1), (101, 2)]);
            assert!(evidence::read(store, &e.id).unwrap().1 == bytes, "put back in order, it reads again");
            pg.admin_sql(stores::pg::DBNAME, &format!("INSERT INTO stored_chunks (blob, n, bytes) VALUES ('{blob}', 4, '\\x00')"));
            refused("a row appended");
        }
    }
    // Attaching the same content again replaces the damaged copy.
    let again = evidence::add(store, &clock(), &file(&request.id, "passport again.pdf", &bytes), "officer").unwrap();
    assert!(evidence::read(store, &again.id).unwrap().1 == bytes);
    assert!(evidence::read(store, &e.id).unwrap().1 == bytes);
}

fn garbage_collection_removes_only_bytes_nothing_refers_to(r: &Fresh) {
    let store = r.store();
    let request = requests::register(store, &clock(), &ada("Ada Example"), "officer").unwrap();
    let bytes = noise(4096, 17);
    let kept = evidence::add(store, &clock(), &file(&request.id, "kept.txt", &bytes), "officer").unwrap();
    let orphan = "ab".repeat(32);
    match r {
        Fresh::Sqlite { db, .. } => {
            let shard = evidence::dir(db).unwrap().join("ab");
            std::fs::create_dir_all(&shard).unwrap();
            std::fs::write(shard.join(&orphan), b"left behind").unwrap();
        }
        Fresh::Postgres { pg, .. } => {
            pg.admin_sql(
                stores::pg::DBNAME,
                &format!("INSERT INTO stored_chunks (blob, n, bytes) VALUES ('{orphan}', 0, '\\x01'), ('{orphan}', 1, '\\x02')"),
            );
        }
    }
    assert_eq!(stored_files(r), 2);
    assert_eq!(evidence::collect_garbage(store).unwrap(), 1);
    assert_eq!(stored_files(r), 1);
    assert!(evidence::read(store, &kept.id).unwrap().1 == bytes);
}

fn two_people_attaching_the_same_new_file_at_once_store_it_once_and_both_read_it(r: &Fresh) {
    let request = requests::register(r.store(), &clock(), &ada("Ada Example"), "officer").unwrap();
    let bytes = noise(2 * (1 << 20) + 3, 23);
    let other = noise(1 << 20, 29);
    let (ana, ben) = (r.client(), r.client());
    let start = std::sync::Barrier::new(2);
    let added: Vec<_> = std::thread::scope(|s| {
        let runs: Vec<_> = [(&ana, "ana.pdf"), (&ben, "ben.pdf")]
            .into_iter()
            .map(|(client, name)| {
                let (start, bytes, other, request) = (&start, &bytes, &other, &request.id);
                s.spawn(move || {
                    start.wait();
                    let same = evidence::add(client.store(), &clock(), &file(request, name, bytes), "officer").unwrap();
                    let own = evidence::add(client.store(), &clock(), &file(request, "other.bin", other), "officer").unwrap();
                    (same, own)
                })
            })
            .collect();
        runs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(evidence::list(r.store(), &request.id).unwrap().len(), 4);
    assert_eq!(stored_files(r), 2, "each content stored once");
    for (same, own) in &added {
        assert!(evidence::read(r.store(), &same.id).unwrap().1 == bytes);
        assert!(evidence::read(r.store(), &own.id).unwrap().1 == other);
    }
    let check = rightsdesk_core::audit::verify(r.store()).unwrap();
    assert!(check.intact, "{:?}", check.problems);
}

/// A team register with one request holding one file, an auditor's login, and the auditor connected.
fn with_an_auditor() -> (Fresh, PgDb, String, String) {
    let r = Fresh::postgres();
    let (request, e) = {
        let store = r.store();
        let request = requests::register(store, &clock(), &ada("Ada Example"), "officer").unwrap();
        let e = evidence::add(store, &clock(), &file(&request.id, "export.csv", b"id,name\n1,Ada\n"), "officer").unwrap();
        (request.id, e.id)
    };
    let Fresh::Postgres { pg, .. } = &r else { unreachable!() };
    let mut admin = rightsdesk_core::store::pg::connect(&PgUrl::parse(&pg.admin_url()).unwrap(), Some(pg.admin_password())).unwrap();
    let added = team::add(&mut admin, "carl_auditor", TeamRole::Auditor, chrono::Utc::now()).unwrap();
    let auditor = PgDb::connect(&PgUrl::parse(&pg.url("carl_auditor")).unwrap(), Some(&added.password)).unwrap();
    (r, auditor, request, e)
}

#[test]
fn postgres_only_an_auditor_reads_the_files_but_the_server_refuses_the_auditors_attach() {
    let (r, auditor, request, e) = with_an_auditor();
    assert_eq!(evidence::list(&auditor, &request).unwrap().len(), 1);
    assert_eq!(evidence::read(&auditor, &e).unwrap().1, b"id,name\n1,Ada\n");
    let before = stored_files(&r);
    for bytes in [&b"id,name\n1,Ada\n"[..], b"a new file the auditor brings"] {
        let err = evidence::add(&auditor, &clock(), &file(&request, "mine.csv", bytes), "carl_auditor").unwrap_err();
        assert!(matches!(&err, Error::Postgres { sqlstate, .. } if sqlstate == "42501"), "refused by the server: {err:?}");
    }
    let err = evidence::remove(&auditor, &clock(), &e, "", "carl_auditor").unwrap_err();
    assert!(matches!(&err, Error::Postgres { sqlstate, .. } if sqlstate == "42501"), "{err:?}");
    assert_eq!(evidence::list(r.store(), &request).unwrap().len(), 1);
    assert_eq!(stored_files(&r), before);
}

#[test]
fn postgres_only_the_first_file_of_a_register_makes_its_key_for_an_officer_not_the_auditor_and_no_one_outside_the_team_reads_it() {
    // `team init` makes no key; an officer (who may not write settings) stores the first file.
    let r = Fresh::postgres_as(TeamRole::Officer);
    let Fresh::Postgres { pg, .. } = &r else { unreachable!() };
    assert_eq!(pg.admin_sql(stores::pg::DBNAME, "SELECT count(*) FROM settings WHERE key = 'evidence.key'"), "0");
    let store = r.store();
    let request = requests::register(store, &clock(), &ada("Ada Example"), "officer").unwrap();
    // The auditor may not make it: the server refuses the function.
    let mut admin = rightsdesk_core::store::pg::connect(&PgUrl::parse(&pg.admin_url()).unwrap(), Some(pg.admin_password())).unwrap();
    let carl = team::add(&mut admin, "carl_auditor", TeamRole::Auditor, chrono::Utc::now()).unwrap();
    let auditor = PgDb::connect(&PgUrl::parse(&pg.url("carl_auditor")).unwrap(), Some(&carl.password)).unwrap();
    let err = evidence::add(&auditor, &clock(), &file(&request.id, "a.txt", b"first"), "carl_auditor").unwrap_err();
    assert!(matches!(&err, Error::Postgres { sqlstate, .. } if sqlstate == "42501"), "{err:?}");
    assert_eq!(pg.admin_sql(stores::pg::DBNAME, "SELECT count(*) FROM settings WHERE key = 'evidence.key'"), "0");
    let e = evidence::add(store, &clock(), &file(&request.id, "a.txt", b"first"), "officer").unwrap();
    let key = pg.admin_sql(stores::pg::DBNAME, "SELECT value FROM settings WHERE key = 'evidence.key'");
    assert_eq!(key.len(), 64);
    evidence::add(store, &clock(), &file(&request.id, "b.txt", b"second"), "officer").unwrap();
    assert_eq!(pg.admin_sql(stores::pg::DBNAME, "SELECT value FROM settings WHERE key = 'evidence.key'"), key, "kept");
    assert_eq!(evidence::read(store, &e.id).unwrap().1, b"first");
    // Nobody but the three groups may run the function or read the key.
    let outsider = "CREATE ROLE mallory LOGIN PASSWORD 'mallory-pw'; GRANT CONNECT ON DATABASE rightsdesk TO mallory; \
                    GRANT USAGE ON SCHEMA public TO mallory;";
    pg.admin_sql(stores::pg::DBNAME, outsider);
    for sql in [
        "SELECT value FROM settings",
        "SELECT count(*) FROM stored_chunks",
        &format!("SELECT rightsdesk_evidence_key('{}')", "0".repeat(64)),
    ] {
        let refused = pg.psql("mallory", "mallory-pw", stores::pg::DBNAME, sql).unwrap_err();
        assert!(refused.contains("permission denied"), "{sql}: {refused}");
    }
}

/// Content read from memory; on its second reading (the sealing) it stops after `pause_at`
/// bytes until told to go on, so the attach is caught midway with rows already sent.
struct Paused {
    bytes: std::io::Cursor<Vec<u8>>,
    rewinds: u32,
    pause_at: u64,
    paused: bool,
    reached: std::sync::mpsc::Sender<()>,
    go_on: std::sync::mpsc::Receiver<()>,
}

impl Read for Paused {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.rewinds >= 2 && !self.paused && self.bytes.position() >= self.pause_at {
            self.paused = true;
            self.reached.send(()).unwrap();
            self.go_on.recv().unwrap();
        }
        self.bytes.read(buf)
    }
}

impl Seek for Paused {
    fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
        if to == SeekFrom::Start(0) {
            self.rewinds += 1;
        }
        self.bytes.seek(to)
    }
}

#[test]
fn postgres_only_a_client_killed_midway_through_an_attach_leaves_no_row_and_no_stored_bytes() {
    let r = Fresh::postgres();
    let Fresh::Postgres { pg, .. } = &r else { unreachable!() };
    let request = requests::register(r.store(), &clock(), &ada("Ada Example"), "officer").unwrap();
    // The key exists before: the killed attach is not the one that makes it.
    evidence::add(r.store(), &clock(), &file(&request.id, "first.txt", b"first"), "officer").unwrap();
    let before = pg.admin_sql(
        stores::pg::DBNAME,
        "SELECT (SELECT count(*) FROM evidence) || '/' || (SELECT count(*) FROM stored_chunks) || '/' || (SELECT seq FROM events_issued)",
    );
    let inserted = || -> i64 {
        pg.admin_sql(stores::pg::DBNAME, "SELECT n_tup_ins FROM pg_stat_user_tables WHERE relname = 'stored_chunks'").parse().unwrap()
    };
    let inserted_before = inserted();

    let client = r.client();
    let (reached_tx, reached) = std::sync::mpsc::channel();
    let (go_on, go_on_rx) = std::sync::mpsc::channel();
    let content = Paused {
        bytes: std::io::Cursor::new(noise(8 << 20, 19)),
        rewinds: 0,
        pause_at: 5 << 20,
        paused: false,
        reached: reached_tx,
        go_on: go_on_rx,
    };
    std::thread::scope(|s| {
        let attach = s.spawn(|| {
            let about = Attach { request: &request.id, file_name: "big.bin", task: None, system: None, kind: EvidenceKind::Evidence };
            evidence::add_from(client.store(), &clock(), &about, content, "officer")
        });
        reached.recv_timeout(std::time::Duration::from_secs(60)).expect("the attach reaches its middle");
        let killed = pg.admin_sql(
            stores::pg::DBNAME,
            &format!(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE usename = '{}' AND state = 'idle in transaction'",
                stores::PERSON
            ),
        );
        assert_eq!(killed, "1", "the attaching client, inside its transaction");
        go_on.send(()).unwrap();
        assert!(attach.join().unwrap().is_err(), "the killed attach fails");
    });
    // Rows were sent before the kill (the server counts inserts of aborted transactions too).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while inserted() < inserted_before + 4 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    assert!(inserted() >= inserted_before + 4, "rows of the sealed stream were written before the kill");
    let after = pg.admin_sql(
        stores::pg::DBNAME,
        "SELECT (SELECT count(*) FROM evidence) || '/' || (SELECT count(*) FROM stored_chunks) || '/' || (SELECT seq FROM events_issued)",
    );
    assert_eq!(after, before, "no evidence row, no stored bytes, no event of the killed attach");
    assert_eq!(evidence::list(r.store(), &request.id).unwrap().len(), 1);
    let check = rightsdesk_core::audit::verify(r.store()).unwrap();
    assert!(check.intact, "{:?}", check.problems);
}

/// PostgreSQL only (a move between the two stores): a mail the privacy mailbox keeps (an
/// intake item's sealed .eml, no evidence file) moves into the team register's
/// `stored_chunks` with `team migrate`'s move and back into the folder beside a new file
/// with `team export`'s, and reads back byte for byte on each.
#[test]
fn postgres_only_a_mail_kept_by_the_mailbox_moves_in_and_out_with_its_register() {
    use rightsdesk_core::evidence::stored;
    use rightsdesk_core::store::{Db, DbKey};
    use rightsdesk_core::workspace::team_move;
    const MAIL: &[u8] = b"From: Ada Example <ada@example.org>\r\nSubject: My data, please\r\n\r\nAll you hold on me.\r\n";

    let dir = tempfile::tempdir().unwrap();
    let key = DbKey::passphrase("stores test passphrase").unwrap();
    let file = Db::open(&dir.path().join("r.sqlite3"), &key).unwrap();
    let request = requests::register(&file, &clock(), &ada("Ada Example"), "officer").unwrap();
    let folder = evidence::dir(&file).unwrap();
    let sealed = file
        .write(|tx| {
            let sealed = stored::seal_in(tx, &folder, MAIL)?;
            tx.execute(
                "INSERT INTO intake_items (id, folder, uidvalidity, uid, from_name, from_address, subject, internal_date, \
                 size, preview, attachments, state, request_id, blob, sha256, fetched_at) \
                 VALUES ('item-1', 'INBOX', 7, 1, 'Ada Example', 'ada@example.org', 'My data, please', '2026-11-20T08:00:00Z', \
                 ?1, 'All you hold on me.', '[]', 'accepted', ?2, ?3, ?4, '2026-11-20T08:01:00Z')",
                rusqlite::params![MAIL.len() as i64, request.id, sealed.blob, sealed.sha256],
            )?;
            Ok(sealed)
        })
        .unwrap();
    assert!(evidence::list(&file, &request.id).unwrap().is_empty(), "a kept mail, not an evidence file");

    let pg = stores::pg::Pg::start();
    let mut admin = rightsdesk_core::store::pg::connect(&PgUrl::parse(&pg.admin_url()).unwrap(), Some(pg.admin_password())).unwrap();
    team::init(&mut admin).unwrap();
    let team = PgDb::new(admin);
    let moved = team_move::into_team(&file, &team).unwrap();
    assert_eq!((moved.stored_files.source, moved.stored_files.target), (1, 1));
    assert_eq!(pg.admin_sql(stores::pg::DBNAME, "SELECT count(DISTINCT blob) FROM stored_chunks"), "1");
    let on_team = Store::from(&team).read(|c| stored::read(c, std::path::Path::new(""), &sealed.blob, &sealed.sha256)).unwrap();
    assert_eq!(on_team, MAIL);

    let elsewhere = tempfile::tempdir().unwrap();
    let back = elsewhere.path().join("back.sqlite3");
    let exported = team_move::export(&team, &back, &key).unwrap();
    assert_eq!((exported.stored_files.source, exported.stored_files.target), (1, 1));
    let back = Db::open(&back, &key).unwrap();
    let back_folder = evidence::dir(&back).unwrap();
    assert!(back_folder.starts_with(elsewhere.path()));
    let again = back.read(|c| stored::read(c, &back_folder, &sealed.blob, &sealed.sha256)).unwrap();
    assert_eq!(again, MAIL);
}
