//! gen-dataset: writes the benchmark data set into a new encrypted database file.
//!
//! `gen-dataset --requests 100000 --seed 42 --out target/bench/100k.sqlite3`
//! (key: `--passphrase` or `RIGHTSDESK_PASSPHRASE`, as the app and the CLI read it).

use std::path::PathBuf;
use std::time::Instant;

use clap::Parser;

use rightsdesk_bench::dataset::{self, Spec};
use rightsdesk_core::store::{Db, DbKey};

#[derive(Parser)]
#[command(name = "gen-dataset", about = "Writes a realistic, deterministic data set into a new encrypted database")]
struct Args {
    /// How many requests (about ten timeline events each).
    #[arg(long, default_value_t = 100_000)]
    requests: u64,
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// The database file to create.
    #[arg(long)]
    out: PathBuf,
    /// The database passphrase.
    #[arg(long, env = "RIGHTSDESK_PASSPHRASE", hide_env_values = true)]
    passphrase: String,
    /// The day the data set is "as of" (default 2026-11-23).
    #[arg(long)]
    today: Option<chrono::NaiveDate>,
    /// Evidence files' metadata (default: one per five requests).
    #[arg(long)]
    evidence: Option<u64>,
    /// Replace the file if it exists.
    #[arg(long)]
    force: bool,
    /// Only the requests and their timelines: no data map, tasks, evidence or
    /// letters (the 1,000,000-request set, which the reading benchmarks use).
    #[arg(long)]
    requests_only: bool,
}

fn main() {
    let args = Args::parse();
    if let Err(e) = run(&args) {
        eprintln!("gen-dataset: {e}");
        std::process::exit(1);
    }
}

fn run(args: &Args) -> Result<(), Box<dyn std::error::Error>> {
    if args.out.exists() {
        if !args.force {
            return Err(format!("{} exists (use --force to replace it)", args.out.display()).into());
        }
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", args.out.display()));
        }
    }
    let mut spec = Spec::new(args.requests, args.seed);
    if let Some(today) = args.today {
        spec.today = today;
    }
    if let Some(evidence) = args.evidence {
        spec.evidence = evidence;
    }
    spec.work = !args.requests_only;
    let started = Instant::now();
    // The app's own opening writes the schema (its migrations); the rows then go
    // in through a connection of this tool's own, without a journal (see
    // `dataset::generate_unjournaled`), keyed with the same passphrase.
    let key = DbKey::passphrase(&args.passphrase)?;
    drop(Db::open(&args.out, &key)?);
    let mut conn = rusqlite::Connection::open(&args.out)?;
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
    conn.execute_batch(&format!("PRAGMA key = '{}';", args.passphrase.replace('\'', "''")))?;
    // The app's opening just created the file, in the format of new files.
    conn.execute_batch(&rightsdesk_core::store::PageHmac::NEW.pragma(None))?;
    let summary = dataset::generate_unjournaled(&mut conn, &spec)?;
    drop(conn);
    // Opened again the app's way: the key and the schema are as the app finds them.
    drop(Db::open(&args.out, &key)?);
    eprintln!(
        "gen-dataset: {} requests, {} timeline events into {} in {:.1} s",
        summary.requests,
        summary.events,
        args.out.display(),
        started.elapsed().as_secs_f64()
    );
    println!("{}", serde_json::to_string_pretty(&summary)?);
    Ok(())
}
