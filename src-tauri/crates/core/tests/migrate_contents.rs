//! What a move into a team register (`store::pg::migrate`) writes, on a real PostgreSQL 15:
//! each table goes in with one binary `COPY`, and the dashboard's tallies are counted once
//! after the requests rather than row by row.
//!
//! - The tallies on the team register hold exactly what the file's triggers counted (the
//!   dashboard's figures, from "received per day" to the extension notices due), and the
//!   trigger that keeps them is on again for the next registration.
//! - A value the team register refuses stops the move: the error names the table, never the
//!   value; nothing is written. A file edited by hand (or by another tool) is what would hold
//!   one: a name with a NUL character in it, which SQLite keeps and PostgreSQL's text cannot.

#[path = "common/stores.rs"]
mod stores;

use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::domain::{NewRequest, RequestType};
use rightsdesk_core::requests;
use rightsdesk_core::store::pg::migrate::{self, RECOMPUTED};
use rightsdesk_core::store::{Db, DbKey, Store};
use rightsdesk_core::workspace::demo;
use stores::pg;

/// Every row of a tally table, as text, in order.
fn tally(store: Store<'_>, table: &str) -> Vec<String> {
    store
        .read(|c| {
            let columns: Vec<String> = match table {
                "request_days" => vec!["day", "received", "answered", "answered_dated", "answered_on_time"],
                "request_statuses" => vec!["status", "n"],
                "request_open_kinds" => vec!["request_type", "regime", "n"],
                "request_open_dates" => vec!["due", "target", "ack", "n"],
                "request_open_notices" => vec!["notice", "due", "n"],
                other => panic!("a tally this test does not know: {other}"),
            }
            .into_iter()
            .map(String::from)
            .collect();
            let list = columns.join(", ");
            c.query_map(&format!("SELECT {list} FROM {table} ORDER BY {list}"), &[], |r| {
                (0..columns.len())
                    .map(|i| Ok(format!("{:?}", r.value(i)?)))
                    .collect::<rightsdesk_core::error::Result<Vec<_>>>()
                    .map(|v| v.join("|"))
            })
        })
        .unwrap()
}

#[test]
fn the_tallies_moved_in_are_the_files_and_the_next_registration_is_counted() {
    let dir = tempfile::tempdir().unwrap();
    let file = Db::open(&dir.path().join("demo.sqlite3"), &DbKey::passphrase("tallies test passphrase").unwrap()).unwrap();
    let clock = FixedClock::at("2026-11-20");
    // The demo set: open, paused, extended, closed on time and late, under GDPR, UK GDPR and the
    // CCPA (with its acknowledgement dates); then more on one day, so that tallies add up.
    demo::load(&file, &clock, "officer").unwrap();
    for i in 0..30 {
        let input = NewRequest {
            request_type: if i % 3 == 0 { RequestType::Erasure } else { RequestType::Access },
            regime: if i % 2 == 0 { "eu-gdpr".into() } else { "ccpa".into() },
            jurisdiction: if i % 2 == 0 { "DE".into() } else { "US-CA".into() },
            subject_name: format!("Person {i}"),
            subject_email: format!("p{i}@example.org"),
            received: "2026-11-18".into(),
            ..Default::default()
        };
        requests::register(&file, &clock, &input, "officer").unwrap();
    }
    let (_pg, team) = stores::empty_team_database();
    let indexes = |s: Store<'_>| {
        s.read(|c| {
            c.query_map(
                "SELECT indexname::text || ' ' || indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY 1",
                &[],
                |r| r.get::<String>(0),
            )
        })
        .unwrap()
    };
    let made_by_team_init = indexes(Store::from(&team));
    migrate::to_postgres(&file, &team, |_, _| Ok(())).unwrap();
    // The move drops the secondary indexes while the rows go in and makes them again after.
    assert!(made_by_team_init.len() > 40, "the team register has its indexes: {}", made_by_team_init.len());
    assert_eq!(indexes(Store::from(&team)), made_by_team_init, "every index is back, as team init made it");
    for table in RECOMPUTED {
        let (mine, theirs) = (tally(Store::from(&file), table), tally(Store::from(&team), table));
        assert!(!mine.is_empty(), "{table}: the demo set has rows to count");
        assert_eq!(theirs, mine, "{table} on the team register");
    }
    // The moved events and chain rows kept the actors they were recorded with (the triggers that
    // put the logged-in role on record are off during the copy).
    let actors = |s: Store<'_>, table: &str| {
        s.read(|c| c.query_map(&format!("SELECT actor FROM {table} ORDER BY seq"), &[], |r| r.get::<String>(0))).unwrap()
    };
    let moved: Vec<Vec<String>> = ["events", "audit_chain"].iter().map(|t| actors(Store::from(&file), t)).collect();
    for (table, rows) in ["events", "audit_chain"].iter().zip(&moved) {
        assert!(rows.iter().any(|a| a == "officer"), "{table}: the file's rows name the officer");
        assert_eq!(&actors(Store::from(&team), table), rows, "{table}: the moved rows keep their actors");
    }
    let statuses = |s: Store<'_>| tally(s, "request_statuses");
    let before = statuses(Store::from(&team));
    let input = NewRequest {
        regime: "eu-gdpr".into(),
        jurisdiction: "DE".into(),
        subject_name: "After The Move".into(),
        subject_email: "after@example.org".into(),
        received: "2026-11-19".into(),
        ..Default::default()
    };
    requests::register(&team, &clock, &input, "officer").unwrap();
    requests::register(&file, &clock, &input, "officer").unwrap();
    assert_ne!(statuses(Store::from(&team)), before, "the insert trigger counts again after the move");
    // Once moved in, those triggers are on again: what the next registration writes names the
    // role logged in, not the actor the client sent.
    let session: String = Store::from(&team).read(|c| c.query_row("SELECT session_user::text", &[], |r| r.get(0))).unwrap();
    assert_ne!(session, "officer", "the test's role must differ from the actor the client sends");
    for (table, before_it) in ["events", "audit_chain"].iter().zip(&moved) {
        let now = actors(Store::from(&team), table);
        assert!(now.len() > before_it.len(), "{table}: the registration after the move wrote rows");
        assert!(
            now[before_it.len()..].iter().all(|a| *a == session),
            "{table}: rows after the move name {session}: {:?}",
            &now[before_it.len()..]
        );
    }

    for table in RECOMPUTED {
        assert_eq!(tally(Store::from(&team), table), tally(Store::from(&file), table), "{table} after one more registration on each");
    }
}

#[test]
fn a_value_the_team_register_refuses_stops_the_move_naming_its_table_with_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    let file = Db::open(&dir.path().join("edited.sqlite3"), &DbKey::passphrase("values test passphrase").unwrap()).unwrap();
    file.write(|tx| {
        tx.execute_batch(
            "INSERT INTO requests (id, number, reference, request_type, regime, jurisdiction, subject_name, channel,
                 received_at, received_on, time_zone, status, rule_set, schedule, created_at, updated_at)
             VALUES ('req-1', 1, 'DSR-2026-0001', 'access', 'eu-gdpr', 'DE', 'Secret Person', 'email',
                 '2026-01-31T09:00:00Z', '2026-01-31', 'Europe/Berlin', 'received', 'x', '{}',
                 '2026-01-31T09:00:00Z', '2026-01-31T09:00:00Z');
             INSERT INTO imports (id, file_name, file_sha256, encoding, delimiter, imported, skipped_duplicates, created_at, actor)
             VALUES ('imp-1', 'people.csv', 'ab', 'utf-8', ',', 1, 0, '2026-01-31T09:00:00Z', 'ada');",
        )?;
        tx.execute("UPDATE requests SET subject_name = ?1", ["Secret\0Person"])?;
        Ok(())
    })
    .unwrap();

    let (pg, team) = stores::empty_team_database();
    let e = migrate::to_postgres(&file, &team, |_, _| Ok(())).unwrap_err().to_string();
    assert!(e.contains("requests: a value was refused by the server"), "names the table: {e}");
    assert!(!e.contains("Secret"), "never the value: {e}");
    for table in ["requests", "imports", "events"] {
        assert_eq!(pg.admin_sql(pg::DBNAME, &format!("SELECT count(*) FROM {table}")), "0", "nothing written to {table}");
    }
    // The file is as it was, and moves once the value is put right.
    file.write(|tx| Ok(tx.execute_batch("UPDATE requests SET subject_name = 'Secret Person'")?)).unwrap();
    let (counts, ()) = migrate::to_postgres(&file, &team, |_, _| Ok(())).unwrap();
    assert!(counts.iter().any(|t| t.table == "imports" && t.target == 1), "{counts:?}");
    assert_eq!(pg.admin_sql(pg::DBNAME, "SELECT subject_name FROM requests"), "Secret Person");
}
