//! The store interface itself (`store::Conn`) on both stores: parameters and
//! columns of every kind, aggregates, `RETURNING`, placeholders out of order, a
//! value of the wrong kind refused with nothing written. What a service being
//! moved onto the interface can count on (`docs/design/store-interface.md`).

#[path = "common/stores.rs"]
mod stores;

use rightsdesk_core::error::ErrorCode;
use stores::Fresh;

on_both_stores!(values_of_every_kind_and_aggregates_read_alike, a_value_of_the_wrong_kind_is_refused_and_nothing_is_written,);

/// The same columns on both: integer (BIGINT on PostgreSQL), flag as 0/1, bytes,
/// real, text. A table of the test's own, made by the database administrator on
/// PostgreSQL (a team member may not create tables, not even temporary ones).
fn create_kinds(r: &Fresh) {
    r.set_up(
        "CREATE TABLE kinds (id TEXT PRIMARY KEY, n INTEGER, flag INTEGER NOT NULL, bytes BLOB, x REAL) STRICT",
        "CREATE TABLE kinds (id TEXT PRIMARY KEY, n BIGINT, flag BIGINT NOT NULL, bytes BYTEA, x DOUBLE PRECISION); \
         GRANT SELECT, INSERT ON kinds TO {person}",
    );
}

type Kinds = (String, Option<i64>, bool, Option<Vec<u8>>, Option<f64>);

fn values_of_every_kind_and_aggregates_read_alike(r: &Fresh) {
    create_kinds(r);
    let big: i64 = 9_000_000_000_123;
    let none_n: Option<i64> = None;
    let none_bytes: Option<Vec<u8>> = None;
    let returned = r
        .store()
        .write(|c| {
            let sql = "INSERT INTO kinds (id, n, flag, bytes, x) VALUES (?1, ?2, ?3, ?4, ?5)";
            c.execute(sql, &[&"a", &big, &true, &vec![0u8, 1, 254, 255], &1.5f64])?;
            c.execute(sql, &[&"b", &-3i64, &false, &none_bytes, &None::<f64>])?;
            c.query_row(
                "INSERT INTO kinds (id, n, flag, bytes, x) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id, flag",
                &[&"c", &none_n, &true, &Vec::<u8>::new(), &-0.25f64],
                |r| Ok((r.get::<String>(0)?, r.get::<bool>("flag")?)),
            )
        })
        .unwrap();
    assert_eq!(returned, ("c".to_string(), true), "RETURNING gives the row back");

    let rows: Vec<Kinds> = r
        .store()
        .read(|c| {
            c.query_map("SELECT id, n, flag, bytes, x FROM kinds ORDER BY id", &[], |r| {
                Ok((r.get("id")?, r.get("n")?, r.get("flag")?, r.get("bytes")?, r.get("x")?))
            })
        })
        .unwrap();
    assert_eq!(
        rows,
        vec![
            ("a".into(), Some(big), true, Some(vec![0, 1, 254, 255]), Some(1.5)),
            ("b".into(), Some(-3), false, None, None),
            ("c".into(), None, true, Some(vec![]), Some(-0.25)),
        ]
    );

    // Raw values, as the audit seal hashes them: the same kinds on both stores.
    let raw: Vec<String> = r
        .store()
        .read(|c| {
            c.query_row("SELECT id, n, flag, bytes, x FROM kinds WHERE id = ?1", &[&"a"], |r| {
                (0..5).map(|i| Ok(format!("{:?}", r.value(i)?))).collect()
            })
        })
        .unwrap();
    assert_eq!(raw, ["Text(\"a\")", "Integer(9000000000123)", "Integer(1)", "Blob([0, 1, 254, 255])", "Real(1.5)"]);

    // count is int8 on PostgreSQL, sum of a bigint numeric, avg numeric, IS NULL boolean:
    // each reads as on SQLite.
    let (count, counted, sum, avg, small_avg): (i64, i64, i64, f64, f64) = r
        .store()
        .read(|c| {
            c.query_row(
                "SELECT count(*), count(n), sum(n), avg(n), (SELECT avg(n) FROM kinds WHERE n < 0 OR n IS NULL) FROM kinds",
                &[],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
        })
        .unwrap();
    assert_eq!((count, counted, sum), (3, 2, big - 3));
    assert_eq!(avg, (big - 3) as f64 / 2.0);
    assert_eq!(small_avg, -3.0);
    let negative: i64 = r.store().read(|c| c.query_row("SELECT sum(n) FROM kinds WHERE n < 0", &[], |r| r.get(0))).unwrap();
    assert_eq!(negative, -3);
    // A fraction (numeric on PostgreSQL, real on SQLite).
    let two_thirds: f64 = r.store().read(|c| c.query_row("SELECT avg(flag) FROM kinds", &[], |r| r.get(0))).unwrap();
    assert!((two_thirds - 2.0 / 3.0).abs() < 1e-12, "{two_thirds}");
    let nulls: Vec<bool> = r.store().read(|c| c.query_map("SELECT n IS NULL FROM kinds ORDER BY id", &[], |r| r.get(0))).unwrap();
    assert_eq!(nulls, [false, false, true]);

    // Placeholders out of order and repeated, and a question mark inside a literal.
    let text: String = r
        .store()
        .read(|c| c.query_row("SELECT CAST(?2 AS TEXT) || '?' || CAST(?1 AS TEXT) || CAST(?2 AS TEXT)", &[&"one", &"two"], |r| r.get(0)))
        .unwrap();
    assert_eq!(text, "two?onetwo");

    // A column read as what it is not: named, the value never.
    let e = r.store().read(|c| c.query_row("SELECT id FROM kinds WHERE id = ?1", &[&"a"], |r| r.get::<i64>("id"))).unwrap_err();
    assert_eq!(e.to_string(), "internal error: column id holds text, read as integer");
}

fn a_value_of_the_wrong_kind_is_refused_and_nothing_is_written(r: &Fresh) {
    create_kinds(r);
    let e = r
        .store()
        .write(|c| {
            c.execute("INSERT INTO kinds (id, n, flag) VALUES (?1, ?2, ?3)", &[&"ok", &1i64, &true])?;
            c.execute("INSERT INTO kinds (id, n, flag) VALUES (?1, ?2, ?3)", &[&"bad", &"Ada Example", &true])
        })
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::Database, "{e}");
    assert!(!e.to_string().contains("Ada"), "never the value: {e}");
    let n: i64 = r.store().read(|c| c.query_row("SELECT count(*) FROM kinds", &[], |r| r.get(0))).unwrap();
    assert_eq!(n, 0, "the first insert of the failed transaction is gone too");
}
