//! The team register's pool of sessions (`store::interface::pg`, issue 18 item 1), on a real
//! PostgreSQL 15. PostgreSQL only: a SQLite file has one connection per process and no
//! sessions to pool (its readers and writer are `store::db`'s own, tested there).
//!
//! What a person would notice: the app's threads do not queue behind one another's reads, a
//! session the server cut (a restart, a network drop, an administrator) costs no failed click,
//! and a client that dies inside a transaction leaves nothing behind and its register goes on.

#[path = "common/stores.rs"]
mod stores;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rightsdesk_core::settings;
use rightsdesk_core::store::pg::PgUrl;
use rightsdesk_core::store::{PgDb, Store, SESSIONS};
use stores::{Fresh, PERSON};

fn backend(db: &PgDb) -> i64 {
    Store::from(db).read(|c| c.query_row("SELECT pg_backend_pid()::bigint", &[], |r| r.get::<i64>(0))).unwrap()
}

fn pieces(r: &Fresh) -> (&PgDb, &stores::pg::Pg) {
    match r {
        Fresh::Postgres { db, pg, .. } => (db, pg),
        Fresh::Sqlite { .. } => unreachable!("a PostgreSQL register"),
    }
}

/// How many sessions the person has open on the server.
fn sessions_on_server(pg: &stores::pg::Pg) -> usize {
    let out = pg.admin_sql(
        stores::pg::DBNAME,
        &format!("SELECT count(*) FROM pg_stat_activity WHERE usename = '{PERSON}' AND application_name = 'rightsdesk'"),
    );
    out.trim().parse().unwrap_or_else(|_| panic!("a count, not {out:?}"))
}

/// Threads of one register read side by side, each on its own session; a writer commits while
/// another thread's read is still open (one session shared by all would make it wait for that
/// read to end, which here waits for the write: the test would time out). The pool never opens
/// more than its size, whatever the number of threads.
#[test]
fn postgres_only_threads_read_side_by_side_and_a_write_does_not_wait_for_a_read() {
    let r = Fresh::postgres();
    let (db, pg) = pieces(&r);
    let size = usize::try_from(SESSIONS).unwrap();
    let inside = AtomicUsize::new(0);
    let seen: Vec<(i64, usize)> = std::thread::scope(|s| {
        let readers: Vec<_> = (0..size)
            .map(|_| {
                s.spawn(|| {
                    Store::from(db)
                        .read(|c| {
                            let pid = c.query_row("SELECT pg_backend_pid()::bigint", &[], |r| r.get::<i64>(0))?;
                            // Every reader is inside its transaction at once (with one session for
                            // all, the first would wait here for the others, which wait for it).
                            inside.fetch_add(1, Ordering::SeqCst);
                            let until = Instant::now() + Duration::from_secs(20);
                            while inside.load(Ordering::SeqCst) < size && Instant::now() < until {
                                std::thread::sleep(Duration::from_millis(5));
                            }
                            Ok((pid, inside.load(Ordering::SeqCst)))
                        })
                        .unwrap()
                })
            })
            .collect();
        readers.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(seen.iter().all(|(_, n)| *n == size), "{size} reads inside their transactions at once: {seen:?}");
    let pids: Vec<i64> = seen.iter().map(|(pid, _)| *pid).collect();
    let mut distinct = pids.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), size, "{size} reads at once, each on its own session: {pids:?}");

    let (wrote, written) = mpsc::channel();
    std::thread::scope(|s| {
        s.spawn(move || {
            Store::from(db)
                .read(|_| {
                    let seen = written.recv_timeout(Duration::from_secs(20));
                    assert!(seen.is_ok(), "the write committed while this read was open");
                    Ok(())
                })
                .unwrap();
        });
        s.spawn(move || {
            Store::from(db).write(|c| settings::set(c, settings::ORG_NAME, "Side By Side Ltd")).unwrap();
            wrote.send(()).unwrap();
        });
    });
    assert_eq!(Store::from(db).read(|c| settings::get(c, settings::ORG_NAME)).unwrap().as_deref(), Some("Side By Side Ltd"));

    std::thread::scope(|s| {
        for _ in 0..3 * size {
            s.spawn(|| {
                Store::from(db)
                    .read(|c| {
                        c.execute_batch("SELECT pg_sleep(0.05)")?;
                        settings::get(c, settings::ORG_NAME)
                    })
                    .unwrap();
            });
        }
    });
    let open = sessions_on_server(pg);
    assert!((1..=size).contains(&open), "{open} sessions open on the server; the pool keeps at most {size}");
}

/// The server ends the register's sessions (as a restart or an administrator would): the next
/// transaction runs on a new session, with no error for the person; nothing is asked again.
#[test]
fn postgres_only_a_session_the_server_ended_is_replaced_without_a_failed_transaction() {
    let r = Fresh::postgres();
    let (db, pg) = pieces(&r);
    Store::from(db).write(|c| settings::set(c, settings::ORG_NAME, "Before Ltd")).unwrap();
    let before = backend(db);
    let ended = pg.admin_sql(
        stores::pg::DBNAME,
        &format!("SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{PERSON}') t"),
    );
    assert_ne!(ended.trim(), "0", "the person's sessions were ended");
    // Both kinds of transaction go on: a read, then a write.
    assert_eq!(Store::from(db).read(|c| settings::get(c, settings::ORG_NAME)).unwrap().as_deref(), Some("Before Ltd"));
    Store::from(db).write(|c| settings::set(c, settings::ORG_NAME, "After Ltd")).unwrap();
    assert_ne!(backend(db), before, "a new session");
    assert_eq!(Store::from(db).read(|c| settings::get(c, settings::ORG_NAME)).unwrap().as_deref(), Some("After Ltd"));
}

/// A thread that panics inside a write leaves nothing of it; its session is not handed out
/// again (it would still be inside that transaction); the register's other threads go on.
/// A register made on one client of its own (`PgDb::new`) has no other session to open, and says so.
#[test]
fn postgres_only_a_session_left_inside_a_transaction_is_never_handed_out_again() {
    let r = Fresh::postgres();
    let (db, _) = pieces(&r);
    let before = backend(db);
    let died = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        Store::from(db).write(|c| -> rightsdesk_core::error::Result<()> {
            settings::set(c, settings::ORG_NAME, "Half Written Ltd")?;
            panic!("the thread dies inside its transaction");
        })
    }));
    assert!(died.is_err());
    // Whichever session the pool hands out now, none is the one that died.
    for _ in 0..2 * SESSIONS {
        assert_ne!(backend(db), before, "the session left inside its transaction is gone");
    }
    assert_eq!(Store::from(db).read(|c| settings::get(c, settings::ORG_NAME)).unwrap(), None, "nothing was committed");
    Store::from(db).write(|c| settings::set(c, settings::ORG_NAME, "After Ltd")).unwrap();

    let (url, password) = match &r {
        Fresh::Postgres { url, password, .. } => (PgUrl::parse(url).unwrap(), password.clone()),
        Fresh::Sqlite { .. } => unreachable!(),
    };
    let own = Arc::new(PgDb::new(rightsdesk_core::store::pg::connect(&url, Some(&password)).unwrap()));
    let died = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        Store::from(&own).write(|c| -> rightsdesk_core::error::Result<()> {
            settings::set(c, settings::ORG_NAME, "Half Written Again Ltd")?;
            panic!("the thread dies inside its transaction");
        })
    }));
    assert!(died.is_err());
    let e = Store::from(&own).read(|c| settings::get(c, settings::ORG_NAME)).unwrap_err();
    assert!(e.to_string().contains("connect again"), "{e}");
    assert_eq!(Store::from(db).read(|c| settings::get(c, settings::ORG_NAME)).unwrap().as_deref(), Some("After Ltd"));
}

/// The team database goes down while the app is open: a click fails within seconds and says
/// why (before, a transaction waited the pool's whole minute for a session that could not be
/// opened, the window frozen on it); nothing of a refused write is kept; once the server is
/// back the register goes on, with nothing to connect again by hand.
#[test]
fn postgres_only_a_server_that_is_down_fails_a_click_at_once_and_the_register_goes_on_when_it_is_back() {
    let r = Fresh::postgres();
    let (db, pg) = pieces(&r);
    Store::from(db).write(|c| settings::set(c, settings::ORG_NAME, "Before Ltd")).unwrap();
    pg.stop();
    for attempt in 0..3 {
        let started = Instant::now();
        let e = if attempt == 1 {
            Store::from(db).write(|c| settings::set(c, settings::ORG_NAME, "While Down Ltd")).unwrap_err()
        } else {
            Store::from(db).read(|c| settings::get(c, settings::ORG_NAME)).unwrap_err()
        };
        let took = started.elapsed();
        assert!(took < Duration::from_secs(5), "attempt {attempt} failed after {took:?}, not at once: {e}");
        assert!(e.to_string().contains("cannot reach the PostgreSQL server"), "attempt {attempt} says why: {e}");
    }
    pg.run();
    // The pool tries again in the background; the first click after the server is back may come
    // before its next try, and so opens a session itself.
    let until = Instant::now() + Duration::from_secs(10);
    let back = loop {
        match Store::from(db).read(|c| settings::get(c, settings::ORG_NAME)) {
            Ok(name) => break name,
            Err(e) => assert!(Instant::now() < until, "the register is not back 10 s after the server: {e}"),
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(back.as_deref(), Some("Before Ltd"), "the write refused while the server was down left nothing");
    Store::from(db).write(|c| settings::set(c, settings::ORG_NAME, "After Ltd")).unwrap();
    assert_eq!(Store::from(db).read(|c| settings::get(c, settings::ORG_NAME)).unwrap().as_deref(), Some("After Ltd"));
}
