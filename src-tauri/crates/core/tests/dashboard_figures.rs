//! The dashboard's figures come from kept tallies (migrations 11 and 20: open
//! requests by type, regime and dates; every request by status and day), not
//! from a walk of the register (issue 21, item 6: 1,000,000 requests). Each
//! figure must equal a direct count over `requests` after every kind of write:
//! registrations, status changes, clock events, imports, purges, deletions;
//! on several days, since overdue and due soon move with today.

use chrono::NaiveDate;
use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::deadlines::ClockEvent;
use rightsdesk_core::domain::{NewRequest, RequestId, Status};
use rightsdesk_core::import::{self, ImportOptions};
use rightsdesk_core::register::dashboard::{dashboard, Tally, LIST_LIMIT, SOON_DAYS};
use rightsdesk_core::register::tally;
use rightsdesk_core::store::Db;
use rightsdesk_core::{requests, retention};

fn add(db: &Db, clock: &FixedClock, kind: &str, regime: &str, jurisdiction: &str, received: &str) -> String {
    let input = NewRequest {
        request_type: kind.parse().unwrap(),
        regime: regime.into(),
        jurisdiction: jurisdiction.into(),
        subject_name: "Ada Example".into(),
        subject_email: "ada@example.org".into(),
        received: received.into(),
        time_zone: "UTC".into(),
        ..Default::default()
    };
    requests::register(db, clock, &input, "t").unwrap().reference
}

/// The dashboard's figures as a direct count over `requests` (no tally, no partial index).
fn recounted(db: &Db, today: &str) -> (u32, u32, u32, u32, Vec<Tally>, Vec<Tally>, Vec<Tally>) {
    let day = |n: i64| (today.parse::<NaiveDate>().unwrap() + chrono::Duration::days(n)).to_string();
    db.read(|c| {
        let n = |sql: &str, p: &[&dyn rusqlite::ToSql]| -> rusqlite::Result<u32> { c.query_row(sql, p, |r| r.get(0)) };
        let open = "status NOT IN ('completed', 'refused', 'withdrawn', 'duplicate')";
        let overdue = n(&format!("SELECT count(*) FROM requests NOT INDEXED WHERE {open} AND due < ?1"), &[&today])?;
        let soon =
            n(&format!("SELECT count(*) FROM requests NOT INDEXED WHERE {open} AND due >= ?1 AND due <= ?2"), &[&today, &day(SOON_DAYS)])?;
        let needs = n(
            &format!(
                "SELECT (SELECT count(*) FROM requests NOT INDEXED WHERE {open} AND due <= ?1) \
                 + (SELECT count(*) FROM requests NOT INDEXED WHERE {open} AND target < ?1 AND (due IS NULL OR due > ?1)) \
                 + (SELECT count(*) FROM requests NOT INDEXED WHERE status = 'received' AND json_extract(schedule, '$.ack_due') <= ?2) \
                 + (SELECT count(*) FROM requests NOT INDEXED WHERE {open} AND json_extract(schedule, '$.extended_due') IS NULL \
                    AND json_extract(schedule, '$.extension_notice_due') BETWEEN ?1 AND ?3 AND (due IS NULL OR due > ?1)) \
                 + (SELECT count(*) FROM requests NOT INDEXED WHERE status = 'received')"
            ),
            &[&today, &day(2), &day(3)],
        )?;
        let total = n("SELECT count(*) FROM requests NOT INDEXED", &[])?;
        let group = |sql: &str| -> rusqlite::Result<Vec<Tally>> {
            let mut stmt = c.prepare(sql)?;
            let rows = stmt.query_map([], |r| Ok(Tally { key: r.get(0)?, count: r.get(1)? }))?;
            let mut v = rows.collect::<rusqlite::Result<Vec<_>>>()?;
            v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
            Ok(v)
        };
        let by_status = group("SELECT status, count(*) FROM requests NOT INDEXED GROUP BY 1")?;
        let by_type = group(&format!("SELECT request_type, count(*) FROM requests NOT INDEXED WHERE {open} GROUP BY 1"))?;
        let by_regime = group(&format!("SELECT regime, count(*) FROM requests NOT INDEXED WHERE {open} GROUP BY 1"))?;
        Ok((total, overdue, soon, needs, by_status, by_type, by_regime))
    })
    .unwrap()
}

/// Checks every figure against the recount, on several days around `on`.
fn agrees_with_the_rows(db: &Db, step: &str) {
    assert!(db.read(tally::check).unwrap().is_empty(), "{step}: {:?}", db.read(tally::check).unwrap());
    for today in ["2025-01-15", "2025-02-28", "2025-03-03", "2025-03-10", "2025-03-21", "2025-06-30"] {
        let d = dashboard(db, &FixedClock::at(today)).unwrap();
        let (total, overdue, soon, needs, by_status, by_type, by_regime) = recounted(db, today);
        let mut kept_status = d.by_status.clone();
        kept_status.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
        assert_eq!(
            (d.total, d.overdue_count, d.due_soon_count, d.needs_count),
            (total, overdue, soon, needs),
            "{step}, today {today}: total, overdue, due soon, needs"
        );
        assert_eq!((kept_status, d.by_type, d.by_regime), (by_status, by_type, by_regime), "{step}, today {today}");
        assert_eq!(d.overdue.len(), (overdue as usize).min(LIST_LIMIT as usize), "{step}, today {today}: the overdue list");
    }
}

#[test]
fn the_kept_figures_equal_a_count_over_the_requests_after_every_kind_of_write() {
    let db = Db::open_in_memory().unwrap();
    let clock = FixedClock::at("2025-03-10");
    let laws =
        [("access", "eu-gdpr", "DE"), ("erasure", "uk-gdpr", "GB-ENG"), ("access", "ccpa", "US-CA"), ("portability", "eu-gdpr", "FR")];
    let mut refs = Vec::new();
    for i in 0..24 {
        let (kind, regime, jurisdiction) = laws[i % laws.len()];
        refs.push(add(
            &db,
            &clock,
            kind,
            regime,
            jurisdiction,
            &format!("2025-0{}-{:02}", 1 + i % 3, if i % 3 == 2 { 1 + i % 9 } else { 1 + (i * 5) % 28 }),
        ));
    }
    agrees_with_the_rows(&db, "registered");
    let id = |i: usize| RequestId::from(refs[i].as_str());
    for i in 0..12 {
        requests::change_status(&db, &clock, &id(i), Status::InProgress, None, "t").unwrap();
    }
    requests::change_status(&db, &clock, &id(0), Status::Completed, None, "t").unwrap();
    requests::change_status(&db, &clock, &id(1), Status::Refused, Some("unfounded"), "t").unwrap();
    requests::change_status(&db, &clock, &id(13), Status::Withdrawn, None, "t").unwrap();
    requests::change_status(&db, &clock, &id(14), Status::Duplicate, Some("the same subject asked twice"), "t").unwrap();
    requests::change_status(&db, &clock, &id(2), Status::Paused, None, "t").unwrap();
    agrees_with_the_rows(&db, "status changes");
    // A clock event moves the dates (the schedule, due and target are written again).
    requests::schedules::record_clock_event(&db, &clock, &id(15), ClockEvent::IdentityRequested { on: "2025-03-10".parse().unwrap() }, "t")
        .unwrap();
    agrees_with_the_rows(&db, "a clock event");
    // An import of many rows.
    let mut csv = String::from("type,regime,jurisdiction,name,email,received\n");
    for i in 0..30 {
        let (kind, regime, jurisdiction) = laws[i % laws.len()];
        csv.push_str(&format!("{kind},{regime},{jurisdiction},Subject {i},s{i}@example.org,2025-02-{:02}\n", 1 + i % 28));
    }
    let report = import::commit(&db, &clock, "rows.csv", csv.as_bytes(), &ImportOptions::default(), "t").unwrap();
    assert_eq!(report.imported, 30);
    agrees_with_the_rows(&db, "an import");
    // The retention purge of the closed requests, years later; and a request deleted outright.
    let purged = retention::purge(&db, &FixedClock::at("2031-01-01"), "t", None).unwrap();
    assert!(purged.requests > 0, "the set-up needs a purge that removes something");
    agrees_with_the_rows(&db, "a purge");
    db.write(|tx| {
        tx.execute("DELETE FROM requests WHERE reference = ?1", [&refs[20]])?;
        Ok(())
    })
    .unwrap();
    agrees_with_the_rows(&db, "a deletion");
}
