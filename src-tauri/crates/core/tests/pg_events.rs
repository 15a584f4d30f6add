//! The team register's own event bookkeeping (PostgreSQL migration 5, issue 18), tested on
//! PostgreSQL only because SQLite has neither: `events_issued`, the highest event number
//! issued by a committed write (SQLite keeps it in `sqlite_sequence`, which rolls back with
//! its transaction; PostgreSQL's identity sequence does not), and the change notices on
//! `store::pg::CHANGES_CHANNEL` that other windows LISTEN for.

#[path = "common/stores.rs"]
mod stores;

use std::time::Duration;

use postgres::fallible_iterator::FallibleIterator;

use rightsdesk_core::audit;
use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::domain::{NewRequest, RequestId, RequestType, Status};
use rightsdesk_core::error::Error;
use rightsdesk_core::requests;
use rightsdesk_core::store::pg::{self as store_pg, migrate, team, PgUrl, CHANGES_CHANNEL};
use rightsdesk_core::store::{events, Db, DbKey, PgDb};
use stores::Fresh;

fn clock() -> FixedClock {
    FixedClock::at("2025-02-10")
}

fn ada() -> NewRequest {
    NewRequest {
        request_type: RequestType::Access,
        regime: "eu-gdpr".into(),
        jurisdiction: "DE".into(),
        subject_name: "Ada Example".into(),
        subject_email: "ada@example.org".into(),
        received: "2025-01-31".into(),
        ..Default::default()
    }
}

fn admin_client(pg: &stores::pg::Pg) -> postgres::Client {
    store_pg::connect(&PgUrl::parse(&pg.admin_url()).unwrap(), Some(pg.admin_password())).unwrap()
}

/// The notices a LISTENing client gets within `wait` of the last one.
fn notices(listener: &mut postgres::Client, wait: Duration) -> Vec<String> {
    let mut n = listener.notifications();
    let got: Vec<_> = n.timeout_iter(wait).collect().unwrap();
    got.into_iter()
        .map(|n| {
            assert_eq!(n.channel(), CHANGES_CHANNEL);
            n.payload().to_string()
        })
        .collect()
}

/// Fails on the schema before migration 5: right after a client is killed inside a
/// registration (its events appended, the session ended before COMMIT, as when the process
/// dies), `audit verify` reported "events N to M were removed from the end of the trail",
/// because it read the identity sequence, which no rollback gives back.
#[test]
fn postgres_a_registration_killed_mid_transaction_leaves_the_trail_intact_at_once() {
    let r = Fresh::postgres();
    let Fresh::Postgres { pg, .. } = &r else { unreachable!() };
    let first = requests::register(r.store(), &clock(), &ada(), "officer").unwrap();
    let before: i64 = pg.admin_sql(stores::pg::DBNAME, "SELECT max(seq) FROM events").parse().unwrap();
    let victim = r.client();
    let valid = requests::validate_new_request(&ada(), &clock(), chrono_tz::Tz::UTC).unwrap();
    let result = victim.store().write(|tx| {
        requests::register_in(tx, &clock(), &valid, "officer", None)?;
        let pid: i32 = tx.query_row("SELECT pg_backend_pid()", &[], |r| r.get(0))?;
        pg.admin_sql(stores::pg::DBNAME, &format!("SELECT pg_terminate_backend({pid})"));
        Ok(())
    });
    assert!(result.is_err(), "the killed client's registration did not commit");
    assert_eq!(requests::count(r.store()).unwrap(), 1, "only the first request");
    let sequence: i64 =
        pg.admin_sql(stores::pg::DBNAME, "SELECT pg_sequence_last_value(pg_get_serial_sequence('events', 'seq'))").parse().unwrap();
    assert!(sequence > before, "the killed write took event numbers ({before} -> {sequence}) that no rollback gives back");
    assert_eq!(pg.admin_sql(stores::pg::DBNAME, "SELECT seq FROM events_issued"), before.to_string());
    let report = audit::verify(r.store()).unwrap();
    assert!(report.intact, "{:?}", report.problems);
    assert!(report.checked > 0);
    // A write that fails after appending (an error, not a kill) is rolled back the same way.
    let failed: Result<(), Error> = r.store().write(|tx| {
        requests::register_in(tx, &clock(), &valid, "officer", None)?;
        Err(Error::invalid("test", "refused after the events were appended"))
    });
    assert!(failed.is_err());
    let report = audit::verify(r.store()).unwrap();
    assert!(report.intact, "{:?}", report.problems);
    // The next registration skips the lost numbers and the trail still holds.
    let next = requests::register(r.store(), &clock(), &ada(), "officer").unwrap();
    assert_ne!(next.id, first.id);
    let top: i64 = pg.admin_sql(stores::pg::DBNAME, "SELECT max(seq) FROM events").parse().unwrap();
    assert!(top > sequence);
    assert_eq!(pg.admin_sql(stores::pg::DBNAME, "SELECT seq FROM events_issued"), top.to_string());
    let report = audit::verify(r.store()).unwrap();
    assert!(report.intact, "{:?}", report.problems);
}

/// The newest events removed behind Rightsdesk's back (by the database administrator, past
/// the append-only trigger) are still noticed: `events_issued` remembers the number.
#[test]
fn postgres_the_newest_events_cut_off_are_still_noticed() {
    let r = Fresh::postgres();
    let Fresh::Postgres { pg, .. } = &r else { unreachable!() };
    requests::register(r.store(), &clock(), &ada(), "officer").unwrap();
    let top = pg.admin_sql(stores::pg::DBNAME, "SELECT max(seq) FROM events");
    pg.admin_sql(
        stores::pg::DBNAME,
        &format!(
            "SET session_replication_role = replica; DELETE FROM audit_states WHERE seq = {top}; \
             DELETE FROM audit_chain WHERE seq = {top}; DELETE FROM events WHERE seq = {top}"
        ),
    );
    let report = audit::verify(r.store()).unwrap();
    assert!(!report.intact);
    assert!(report.problems.iter().any(|p| p.problem.contains("removed from the end")), "{:?}", report.problems);
}

/// The record of the highest event number removed (past Rightsdesk, by a superuser) is not
/// taken for "nothing was issued": the trail is reported as not intact, naming it, even with
/// the newest events cut off at the same time.
#[test]
fn postgres_a_missing_record_of_the_highest_event_number_is_reported() {
    let r = Fresh::postgres();
    let Fresh::Postgres { pg, .. } = &r else { unreachable!() };
    requests::register(r.store(), &clock(), &ada(), "officer").unwrap();
    assert!(audit::verify(r.store()).unwrap().intact);
    let top = pg.admin_sql(stores::pg::DBNAME, "SELECT max(seq) FROM events");
    pg.admin_sql(
        stores::pg::DBNAME,
        &format!(
            "SET session_replication_role = replica; DELETE FROM events_issued; DELETE FROM audit_states WHERE seq = {top}; \
             DELETE FROM audit_chain WHERE seq = {top}; DELETE FROM events WHERE seq = {top}"
        ),
    );
    let report = audit::verify(r.store()).unwrap();
    assert!(!report.intact);
    assert!(
        report.problems.iter().any(|p| p.problem.contains("events_issued") && p.problem.contains("is missing")),
        "{:?}",
        report.problems
    );
}

/// A plain client that LISTENs on the change channel gets the request's id once its
/// registration commits, and nothing for one that is rolled back.
#[test]
fn postgres_a_listening_client_hears_a_committed_registration_and_not_a_rolled_back_one() {
    let r = Fresh::postgres();
    let Fresh::Postgres { pg, .. } = &r else { unreachable!() };
    let mut listener = admin_client(pg);
    listener.batch_execute(&format!("LISTEN {CHANGES_CHANNEL}")).unwrap();
    let registered = requests::register(r.store(), &clock(), &ada(), "officer").unwrap();
    assert_eq!(notices(&mut listener, Duration::from_secs(2)), vec![registered.id.to_string()], "one notice per request and commit");

    let valid = requests::validate_new_request(&ada(), &clock(), chrono_tz::Tz::UTC).unwrap();
    let failed: Result<(), Error> = r.store().write(|tx| {
        requests::register_in(tx, &clock(), &valid, "officer", None)?;
        Err(Error::invalid("test", "refused after the events were appended"))
    });
    assert!(failed.is_err());
    assert_eq!(notices(&mut listener, Duration::from_secs(1)), Vec::<String>::new(), "nothing after a rollback");

    // A status change is heard too.
    let id = RequestId::from(&registered.id);
    requests::change_status(r.store(), &clock(), &id, Status::InProgress, None, "officer").unwrap();
    assert_eq!(notices(&mut listener, Duration::from_secs(2)), vec![registered.id.to_string()]);
}

/// `team migrate`'s move leaves `events_issued` at the moved trail's highest number, and
/// the moved trail verifies on the team register.
#[test]
fn postgres_a_moved_register_keeps_its_highest_event_number() {
    let dir = tempfile::tempdir().unwrap();
    let file = Db::open(&dir.path().join("r.sqlite3"), &DbKey::passphrase("pg events passphrase").unwrap()).unwrap();
    for _ in 0..3 {
        requests::register(&file, &clock(), &ada(), "officer").unwrap();
    }
    let issued = file.read(|c| events::highest_seq_issued(c)).unwrap();
    assert!(issued >= 3);
    let pg = stores::pg::Pg::start();
    let mut admin = admin_client(&pg);
    team::init(&mut admin).unwrap();
    let target = PgDb::new(admin);
    let (_, report) = migrate::to_postgres(&file, &target, |_, t| audit::verify_in(t)).unwrap();
    assert!(report.intact, "{:?}", report.problems);
    assert_eq!(pg.admin_sql(stores::pg::DBNAME, "SELECT seq FROM events_issued"), issued.to_string());
    assert_eq!(pg.admin_sql(stores::pg::DBNAME, "SELECT max(seq) FROM events"), issued.to_string());
    assert!(audit::verify(&target).unwrap().intact);
}
