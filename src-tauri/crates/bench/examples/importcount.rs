//! The pages a CSV import writes, by table and index (issue 21):
//! `cargo run --release -p rightsdesk-bench --example importcount -- NEW_FILE [N]` imports N
//! (100,000) requests into a new register at NEW_FILE as `bench-core --only import` does (files
//! of at most 50,000 rows, the import's limit), prints the time of each file, then the pages,
//! size and payload of every table and index of more than 50 pages (`dbstat`) and their total.
use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::import::{self, ImportOptions};
use rightsdesk_core::store::{Db, DbKey};
use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = Path::new(&args[1]);
    let n: u64 = args.get(2).map(|s| s.parse().unwrap()).unwrap_or(100_000);
    let pass = "rightsdesk-bench";
    let db = Db::open(path, &DbKey::passphrase(pass).unwrap()).unwrap();
    let clock = FixedClock::at(&rightsdesk_bench::dataset::default_today().to_string());
    let options = ImportOptions { skip_duplicates: true, ..Default::default() };
    let mut done = 0;
    let t0 = std::time::Instant::now();
    while done < n {
        let rows = 50_000.min(n - done);
        let bytes = rightsdesk_bench::suite::extras::csv(done, rows);
        let t = std::time::Instant::now();
        import::commit(&db, &clock, "r.csv", &bytes, &options, "bench").unwrap();
        println!("file of {rows}: {:.3} s", t.elapsed().as_secs_f64());
        done += rows;
    }
    println!("total {:.3} s", t0.elapsed().as_secs_f64());
    drop(db);
    let reader = rusqlite::Connection::open(path).unwrap();
    reader.execute_batch(&format!("PRAGMA key = '{pass}';")).unwrap();
    // A data set written by gen-dataset: in the format of new files.
    reader.execute_batch(&rightsdesk_core::store::PageHmac::NEW.pragma(None)).unwrap();
    let mut st = reader.prepare("SELECT name, count(*), sum(pgsize), sum(payload) FROM dbstat GROUP BY name ORDER BY 2 DESC").unwrap();
    let mut total = 0;
    // Every B-tree is counted in the total; only the larger ones are named.
    for r in st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?, r.get::<_, i64>(3)?))).unwrap() {
        let (name, pages, size, payload) = r.unwrap();
        total += pages;
        if pages > 50 {
            println!("{pages:>8} pages {:>7.1} MB payload {:>7.1} MB  {name}", size as f64 / 1e6, payload as f64 / 1e6);
        }
    }
    println!("{total} pages");
}
