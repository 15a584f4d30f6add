//! Times the list's pages as the app reads them (`requests::rows::page`: a page of 100 and its
//! total) under filters and orders the benchmarks do not cover (by type, by subject, rare
//! statuses), the retention purge's candidates and a reference typed in lower case, on COPY (a
//! copy of a data set), best of three each, with the plan of the last two; with the indexes
//! named in DROP (comma-separated) dropped inside a savepoint that is rolled back afterwards,
//! to see what an index does for the readers before a migration drops it (issue 21):
//! `RIGHTSDESK_PASSPHRASE=... cargo run --release -p rightsdesk-bench --example readtime -- COPY [DROP]`
use std::time::Instant;

use rightsdesk_core::domain::{RequestType, Status};
use rightsdesk_core::requests::rows::{self, RequestFilter, SortOrder};
use rightsdesk_core::store::{Db, DbKey};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = std::path::Path::new(&args[1]);
    let drop: Vec<String> = args.get(2).map(|s| s.split(',').filter(|s| !s.is_empty()).map(String::from).collect()).unwrap_or_default();
    let pass = std::env::var("RIGHTSDESK_PASSPHRASE").unwrap();
    let db = Db::open(path, &DbKey::passphrase(&pass).unwrap()).unwrap();
    let today = |_: &str| chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let t = Some(RequestType::Erasure);
    let mut filters: Vec<(String, RequestFilter)> = Vec::new();
    for sort in [SortOrder::DueAsc, SortOrder::ReceivedDesc, SortOrder::TypeAsc, SortOrder::ReferenceDesc, SortOrder::SubjectAsc] {
        filters.push((format!("type {sort:?}"), RequestFilter { request_type: t, sort, limit: Some(100), ..Default::default() }));
        filters.push((
            format!("type+open {sort:?}"),
            RequestFilter { request_type: t, open_only: true, sort, limit: Some(100), ..Default::default() },
        ));
        filters.push((
            format!("type+in-progress {sort:?}"),
            RequestFilter { request_type: t, status: Some(Status::InProgress), sort, limit: Some(100), ..Default::default() },
        ));
        filters.push((format!("none {sort:?}"), RequestFilter { sort, limit: Some(100), ..Default::default() }));
        filters.push((format!("open {sort:?}"), RequestFilter { open_only: true, sort, limit: Some(100), ..Default::default() }));
        filters.push((
            format!("paused {sort:?}"),
            RequestFilter { status: Some(Status::Paused), sort, limit: Some(100), ..Default::default() },
        ));
    }
    filters.push((
        "type search 'ab'".into(),
        RequestFilter { request_type: t, search: Some("ab".into()), limit: Some(100), ..Default::default() },
    ));
    filters.push((
        "type search 'example'".into(),
        RequestFilter { request_type: t, search: Some("example".into()), limit: Some(100), ..Default::default() },
    ));
    filters
        .push(("type offset 5000".into(), RequestFilter { request_type: t, offset: Some(5000), limit: Some(100), ..Default::default() }));
    db.read(|c| {
        c.execute_batch("SAVEPOINT readtime;")?;
        for i in &drop {
            c.execute_batch(&format!("DROP INDEX {i};"))?;
        }
        for (name, f) in &filters {
            let mut best = f64::MAX;
            let mut total = 0;
            for _ in 0..3 {
                let t0 = Instant::now();
                let (n, page) = rows::page(c, f, today)?;
                best = best.min(t0.elapsed().as_secs_f64() * 1e3);
                total = n;
                assert!(page.len() <= 100);
            }
            println!("{best:>9.2} ms  {name} ({total})");
        }
        // As `retention::candidates` and `requests::rows::get` write them on SQLite.
        let candidates = format!(
            "SELECT r.id, r.reference, r.request_type, r.regime, r.status, \
                COALESCE((SELECT max(e.at) FROM events e WHERE e.request_id = r.id AND e.kind = 'status-changed'), r.updated_at) \
             FROM requests r INDEXED BY requests_closed_unpurged \
             WHERE r.purged_at IS NULL AND {} ORDER BY r.number",
            rightsdesk_core::domain::closed_sql_of("r.status")
        );
        let sqls = [
            ("retention: the purge's candidates", candidates),
            (
                "detail: a reference typed in lower case",
                "SELECT id FROM requests WHERE id = 'dsr-2026-0042' OR reference = upper('dsr-2026-0042')".into(),
            ),
        ];
        for (name, sql) in &sqls {
            let plan: Vec<String> =
                c.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?.query_map([], |r| r.get::<_, String>(3))?.collect::<Result<_, _>>()?;
            let mut best = f64::MAX;
            let mut n = 0;
            for _ in 0..3 {
                let t0 = Instant::now();
                n = c.prepare(sql)?.query_map([], |_| Ok(()))?.count();
                best = best.min(t0.elapsed().as_secs_f64() * 1e3);
            }
            println!("{best:>9.2} ms  {name} ({n}) {plan:?}");
        }
        c.execute_batch("ROLLBACK TO readtime; RELEASE readtime;")?;
        Ok(())
    })
    .unwrap();
}
