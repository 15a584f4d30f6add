//! The register's running figures (migration 11): requests received and
//! answered per day, and requests per status, kept in step with `requests` by
//! triggers in the same transaction as every write, so the dashboard sums a
//! year of days and nine statuses instead of walking every request ever
//! received.
//!
//! An answer is a move to completed or refused, dated by `closed_on` (the
//! local date in the request's own zone); it is on time when that date is on
//! or before the legal due date in force (`due`); an answer without a legal
//! date counts as answered but neither on time nor late.

use chrono::NaiveDate;
use rusqlite::Connection;

use crate::error::Result;
use crate::store::Conn;

/// Received and answered figures summed over a span of days.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DayTotals {
    pub received: i64,
    pub answered: i64,
    pub answered_dated: i64,
    pub answered_on_time: i64,
}

/// Requests per status, most frequent first (statuses no request has are left out).
pub fn by_status<'a>(conn: impl Into<Conn<'a>>) -> Result<Vec<(String, i64)>> {
    conn.into().query_map("SELECT status, n FROM request_statuses WHERE n > 0 ORDER BY n DESC, status", &[], |r| {
        Ok((r.get::<String>(0)?, r.get::<i64>(1)?))
    })
}

/// Sums per calendar month (`YYYY-MM`) of the days `after < day <= until`.
pub fn by_month<'a>(conn: impl Into<Conn<'a>>, after: NaiveDate, until: NaiveDate) -> Result<Vec<(String, DayTotals)>> {
    // The sums are bigint on SQLite and numeric on PostgreSQL; both read as whole numbers.
    conn.into().query_map(
        "SELECT substr(day, 1, 7), sum(received), sum(answered), sum(answered_dated), sum(answered_on_time) \
         FROM request_days WHERE day > ?1 AND day <= ?2 GROUP BY 1 ORDER BY 1",
        &[&after.to_string(), &until.to_string()],
        |r| {
            Ok((
                r.get::<String>(0)?,
                DayTotals { received: r.get(1)?, answered: r.get(2)?, answered_dated: r.get(3)?, answered_on_time: r.get(4)? },
            ))
        },
    )
}

/// Open requests by type and regime (migration 20), each pair once.
pub fn open_kinds<'a>(conn: impl Into<Conn<'a>>) -> Result<Vec<(String, String, i64)>> {
    conn.into().query_map("SELECT request_type, regime, n FROM request_open_kinds WHERE n > 0", &[], |r| {
        Ok((r.get::<String>(0)?, r.get::<String>(1)?, r.get::<i64>(2)?))
    })
}

/// Open requests sharing their dates (`YYYY-MM-DD`, `""` for none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenDates {
    /// The legal due date in force.
    pub due: String,
    /// The internal target.
    pub target: String,
    /// The acknowledgement's due date, while the request is not yet triaged (status received).
    pub ack: String,
    pub n: i64,
}

/// Open requests by their dates (migration 20): one row per distinct
/// (due, target, acknowledgement) of the open requests, a few hundred rows
/// whatever the size of the register; the figures that move with today are
/// sums over them.
pub fn open_dates<'a>(conn: impl Into<Conn<'a>>) -> Result<Vec<OpenDates>> {
    conn.into().query_map("SELECT due, target, ack, n FROM request_open_dates WHERE n > 0", &[], |r| {
        Ok(OpenDates { due: r.get(0)?, target: r.get(1)?, ack: r.get(2)?, n: r.get(3)? })
    })
}

/// Open requests not yet extended, by the last day to notify an extension and
/// the legal due date in force (`""` for none; migration 21): `(notice, due, n)`.
pub fn open_notices<'a>(conn: impl Into<Conn<'a>>) -> Result<Vec<(String, String, i64)>> {
    conn.into().query_map("SELECT notice, due, n FROM request_open_notices WHERE n > 0", &[], |r| {
        Ok((r.get::<String>(0)?, r.get::<String>(1)?, r.get::<i64>(2)?))
    })
}

/// Recounts the tallies from `requests` and lists every figure that differs
/// from the kept one (empty when they agree). For tests and `doctor`-style checks;
/// SQLite's (the team register's tallies are the server's triggers, compared with a
/// recount by `core/tests/dashboard_stores.rs`).
pub fn check(conn: &Connection) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut days = conn.prepare(
        "WITH recount AS ( \
             SELECT day, sum(received) AS received, sum(answered) AS answered, sum(dated) AS dated, sum(on_time) AS on_time FROM ( \
                 SELECT received_on AS day, 1 AS received, 0 AS answered, 0 AS dated, 0 AS on_time FROM requests \
                 UNION ALL \
                 SELECT closed_on, 0, 1, due IS NOT NULL, COALESCE(closed_on <= due, 0) FROM requests \
                 WHERE closed_on IS NOT NULL AND status IN ('completed', 'refused')) GROUP BY day), \
         kept AS (SELECT day, received, answered, answered_dated AS dated, answered_on_time AS on_time FROM request_days \
                  WHERE received <> 0 OR answered <> 0 OR answered_dated <> 0 OR answered_on_time <> 0) \
         SELECT day, 'kept' FROM (SELECT * FROM kept EXCEPT SELECT * FROM recount) \
         UNION ALL SELECT day, 'recounted' FROM (SELECT * FROM recount EXCEPT SELECT * FROM kept)",
    )?;
    for row in days.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
        let (day, side) = row?;
        out.push(format!("day {day}: the {side} figures differ"));
    }
    let mut statuses = conn.prepare(
        "WITH recount AS (SELECT status, count(*) AS n FROM requests GROUP BY status), \
              kept AS (SELECT status, n FROM request_statuses WHERE n <> 0) \
         SELECT status FROM (SELECT * FROM kept EXCEPT SELECT * FROM recount) \
         UNION SELECT status FROM (SELECT * FROM recount EXCEPT SELECT * FROM kept)",
    )?;
    for row in statuses.query_map([], |r| r.get::<_, String>(0))? {
        out.push(format!("status {}: the kept count differs", row?));
    }
    let mut kinds = conn.prepare(
        "WITH recount AS (SELECT request_type, regime, count(*) AS n FROM requests \
                          WHERE status NOT IN ('completed', 'refused', 'withdrawn', 'duplicate') GROUP BY 1, 2), \
              kept AS (SELECT request_type, regime, n FROM request_open_kinds) \
         SELECT request_type, regime FROM (SELECT * FROM kept EXCEPT SELECT * FROM recount) \
         UNION SELECT request_type, regime FROM (SELECT * FROM recount EXCEPT SELECT * FROM kept)",
    )?;
    for row in kinds.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
        let (kind, regime) = row?;
        out.push(format!("open {kind} under {regime}: the kept count differs"));
    }
    let mut dates = conn.prepare(
        "WITH recount AS (SELECT coalesce(due, '') AS due, coalesce(target, '') AS target, \
                          CASE WHEN status = 'received' THEN coalesce(json_extract(schedule, '$.ack_due'), '') ELSE '' END AS ack, \
                          count(*) AS n FROM requests \
                          WHERE status NOT IN ('completed', 'refused', 'withdrawn', 'duplicate') GROUP BY 1, 2, 3), \
              kept AS (SELECT due, target, ack, n FROM request_open_dates) \
         SELECT due, target, ack FROM (SELECT * FROM kept EXCEPT SELECT * FROM recount) \
         UNION SELECT due, target, ack FROM (SELECT * FROM recount EXCEPT SELECT * FROM kept)",
    )?;
    for row in dates.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))? {
        let (due, target, ack) = row?;
        out.push(format!("open requests due {due:?}, target {target:?}, acknowledgement {ack:?}: the kept count differs"));
    }
    let mut notices = conn.prepare(
        "WITH recount AS (SELECT json_extract(schedule, '$.extension_notice_due') AS notice, coalesce(due, '') AS due, count(*) AS n \
                          FROM requests WHERE status NOT IN ('completed', 'refused', 'withdrawn', 'duplicate') \
                          AND json_extract(schedule, '$.extended_due') IS NULL \
                          AND json_extract(schedule, '$.extension_notice_due') IS NOT NULL GROUP BY 1, 2), \
              kept AS (SELECT notice, due, n FROM request_open_notices) \
         SELECT notice, due FROM (SELECT * FROM kept EXCEPT SELECT * FROM recount) \
         UNION SELECT notice, due FROM (SELECT * FROM recount EXCEPT SELECT * FROM kept)",
    )?;
    for row in notices.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
        let (notice, due) = row?;
        out.push(format!("open requests whose extension notice is due {notice:?}, due {due:?}: the kept count differs"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use crate::domain::RequestId;
    use crate::domain::{NewRequest, RequestType, Status};
    use crate::requests;
    use crate::store::Db;

    fn add(db: &Db, received: &str) -> String {
        let input = NewRequest {
            request_type: RequestType::Access,
            regime: "eu-gdpr".into(),
            jurisdiction: "DE".into(),
            subject_name: "Ada Example".into(),
            subject_email: "ada@example.org".into(),
            received: received.into(),
            time_zone: "Europe/Berlin".into(),
            ..Default::default()
        };
        requests::register(db, &FixedClock::at(received), &input, "t").unwrap().reference
    }

    fn month(db: &Db, m: &str) -> DayTotals {
        let rows = db.read(|c| by_month(c, "2024-12-31".parse().unwrap(), "2025-12-31".parse().unwrap())).unwrap();
        rows.into_iter().find(|(k, _)| k == m).map(|(_, t)| t).unwrap_or_default()
    }

    #[test]
    fn the_kept_figures_follow_every_registration_status_change_correction_and_deletion() {
        let db = Db::open_in_memory().unwrap();
        let on_time = add(&db, "2025-01-10"); // due 2025-02-10
        let late = add(&db, "2025-01-12"); // due 2025-02-12
        let withdrawn = add(&db, "2025-02-01");
        let open = add(&db, "2025-02-03");
        for (r, on) in [(&on_time, "2025-01-20"), (&late, "2025-01-20")] {
            requests::change_status(&db, &FixedClock::at(on), &RequestId::from(r), Status::InProgress, None, "t").unwrap();
        }
        requests::change_status(&db, &FixedClock::at("2025-02-05"), &RequestId::from(&on_time), Status::Completed, None, "t").unwrap();
        requests::change_status(&db, &FixedClock::at("2025-02-20"), &RequestId::from(&late), Status::Refused, Some("unfounded"), "t")
            .unwrap();
        requests::change_status(&db, &FixedClock::at("2025-02-21"), &RequestId::from(&withdrawn), Status::Withdrawn, None, "t").unwrap();

        assert_eq!(month(&db, "2025-01"), DayTotals { received: 2, answered: 0, answered_dated: 0, answered_on_time: 0 });
        assert_eq!(
            month(&db, "2025-02"),
            DayTotals { received: 2, answered: 2, answered_dated: 2, answered_on_time: 1 },
            "a withdrawal is no answer; the refusal came after its due date"
        );
        let statuses = db.read(|c| by_status(c)).unwrap();
        assert_eq!(statuses.iter().map(|(_, n)| n).sum::<i64>(), 4);
        assert!(statuses.contains(&("received".to_string(), 1)));
        assert!(db.read(check).unwrap().is_empty());

        // A corrected date of receipt, a moved due date, a deleted request: still in step.
        db.write(|tx| {
            tx.execute("UPDATE requests SET received_on = '2025-03-01' WHERE reference = ?1", [&open])?;
            tx.execute("UPDATE requests SET due = '2025-02-28' WHERE reference = ?1", [&late])?;
            tx.execute("DELETE FROM requests WHERE reference = ?1", [&on_time])?;
            Ok(())
        })
        .unwrap();
        assert_eq!(month(&db, "2025-02"), DayTotals { received: 1, answered: 1, answered_dated: 1, answered_on_time: 1 });
        assert_eq!(month(&db, "2025-03").received, 1);
        assert!(db.read(check).unwrap().is_empty());

        // The list's totals by status read these counts: they agree with the rows.
        for status in [None, Some(Status::Received), Some(Status::Refused), Some(Status::Withdrawn), Some(Status::Completed)] {
            for open_only in [false, true] {
                let filter = crate::requests::rows::RequestFilter { status, open_only, ..Default::default() };
                let total = db.read(|c| crate::requests::rows::count_matching(c, &filter)).unwrap();
                let rows = db.read(|c| crate::requests::rows::list(c, &filter, |_| "2025-06-01".parse().unwrap())).unwrap();
                assert_eq!(total, rows.len() as i64, "{status:?}, open only: {open_only}");
            }
        }
    }

    #[test]
    fn check_names_the_day_whose_kept_figure_drifted() {
        let db = Db::open_in_memory().unwrap();
        add(&db, "2025-01-10");
        db.write(|tx| {
            tx.execute("UPDATE request_days SET received = 5 WHERE day = '2025-01-10'", [])?;
            Ok(())
        })
        .unwrap();
        let found = db.read(check).unwrap();
        assert!(found.iter().any(|m| m.contains("2025-01-10")), "{found:?}");
    }
}
