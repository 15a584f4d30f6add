//! Counts the WAL pages that registering requests one by one writes, by B-tree (issue 21):
//! `RIGHTSDESK_PASSPHRASE=... cargo run --release -p rightsdesk-bench --example walcount -- COPY [N]`
//! registers N (1,000) requests as `bench-core --only register` does into COPY (a copy of a
//! data set: it is written to), holding a read transaction open on a second connection so that
//! no checkpoint empties the WAL meanwhile, then reads the page number of every frame the
//! registrations appended (frame headers are not encrypted) and names the B-tree each page
//! belongs to at the end (`dbstat`; "(free/other)": freed by then). Also prints the wall time
//! and the writer thread's CPU time. With `WALCOUNT_FAST` set it stops after the timing.
use std::collections::BTreeMap;
use std::path::Path;

use rightsdesk_bench::suite::register::inputs;
use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::requests;
use rightsdesk_core::store::{Db, DbKey};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = Path::new(&args[1]);
    let n: u64 = args.get(2).map(|s| s.parse().unwrap()).unwrap_or(1000);
    let pass = std::env::var("RIGHTSDESK_PASSPHRASE").unwrap();
    let db = Db::open(path, &DbKey::passphrase(&pass).unwrap()).unwrap();
    let reader = rusqlite::Connection::open(path).unwrap();
    reader.execute_batch(&format!("PRAGMA key = '{pass}';")).unwrap();
    // A data set written by gen-dataset: in the format of new files.
    reader.execute_batch(&rightsdesk_core::store::PageHmac::NEW.pragma(None)).unwrap();
    reader.execute_batch("BEGIN; SELECT count(*) FROM sqlite_master;").unwrap();
    let _: i64 = reader.query_row("SELECT max(number) FROM requests", [], |r| r.get(0)).unwrap();
    let wal = path.with_extension("sqlite3-wal");
    let before = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    let clock = FixedClock::at(&rightsdesk_bench::dataset::default_today().to_string());
    let inputs = inputs(7, n);
    let cpu0 = thread_cpu();
    let t0 = std::time::Instant::now();
    for input in &inputs {
        requests::register(&db, &clock, input, "bench").unwrap();
    }
    let wall = t0.elapsed();
    let cpu = thread_cpu() - cpu0;
    if std::env::var("WALCOUNT_FAST").is_ok() {
        println!("registrations {n}: wall {:.3} s, writer thread CPU {:.3} s", wall.as_secs_f64(), cpu);
        std::process::exit(0);
    }
    let bytes = std::fs::read(&wal).unwrap();
    reader.execute_batch("COMMIT").unwrap();
    let page_size: usize = 4096;
    let frame = 24 + page_size;
    let first = if before <= 32 { 0 } else { (before as usize - 32) / frame };
    let total = (bytes.len() - 32) / frame;
    let mut owner: BTreeMap<u32, String> = BTreeMap::new();
    let mut st = reader.prepare("SELECT pageno, name FROM dbstat").unwrap();
    for r in st.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))).unwrap() {
        let (p, name) = r.unwrap();
        owner.insert(p as u32, name);
    }
    let mut by: BTreeMap<String, (u64, std::collections::BTreeSet<u32>)> = BTreeMap::new();
    for i in first..total {
        let off = 32 + i * frame;
        let pg = u32::from_be_bytes(bytes[off..off + 4].try_into().unwrap());
        let name = if pg == 1 { "page1".to_string() } else { owner.get(&pg).cloned().unwrap_or_else(|| "(free/other)".into()) };
        let e = by.entry(name).or_default();
        e.0 += 1;
        e.1.insert(pg);
    }
    let frames = (total - first) as f64;
    println!(
        "registrations {n}: wall {:.3} s, writer thread CPU {:.3} s, WAL frames {} = {:.2} per registration",
        wall.as_secs_f64(),
        cpu,
        total - first,
        frames / n as f64
    );
    let mut v: Vec<_> = by.into_iter().collect();
    v.sort_by_key(|e| std::cmp::Reverse(e.1 .0));
    for (name, (f, pages)) in v {
        println!("{:>8.2} {:>7} distinct {:>6}  {name}", f as f64 / n as f64, f, pages.len());
    }
    drop(st);
    drop(reader);
    drop(db);
}

fn thread_cpu() -> f64 {
    let s = std::fs::read_to_string("/proc/thread-self/stat").unwrap();
    let rest = &s[s.rfind(')').unwrap() + 2..];
    let f: Vec<&str> = rest.split(' ').collect();
    let (u, k): (f64, f64) = (f[11].parse().unwrap(), f[12].parse().unwrap());
    (u + k) / 100.0
}
