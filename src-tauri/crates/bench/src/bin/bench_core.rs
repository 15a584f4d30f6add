//! bench-core: the core benchmarks on one or more data sets; prints the figures
//! beside their targets and records them in `target/bench-results.{json,md}`.
//!
//! `bench-core --data target/bench/1000.sqlite3 --data target/bench/100000.sqlite3`

use std::path::PathBuf;

use clap::Parser;

use rightsdesk_bench::dataset::default_today;
use rightsdesk_bench::report::{self, Figure};
use rightsdesk_bench::suite::{self, pending, Effort, Target};
use rightsdesk_core::clock::FixedClock;

#[derive(Parser)]
#[command(name = "bench-core", about = "Core benchmarks on generated data sets")]
struct Args {
    /// A data set written by gen-dataset (repeat for several sizes).
    #[arg(long, required = true)]
    data: Vec<PathBuf>,
    /// A larger data set measured by the reading benchmarks only (list, one
    /// request, dashboard, opening), after the `--data` sets: the 1,000,000-request one.
    #[arg(long)]
    large: Vec<PathBuf>,
    #[arg(long, env = "RIGHTSDESK_PASSPHRASE", hide_env_values = true)]
    passphrase: String,
    /// Fewer samples (for a smoke run).
    #[arg(long)]
    quick: bool,
    /// Where to record the figures (JSON; a `.md` beside it).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Start a new results file instead of merging into it.
    #[arg(long)]
    fresh: bool,
    /// Skip the package of 1 GiB of evidence (it writes about 3 GB to the temporary folder).
    #[arg(long)]
    skip_package: bool,
    /// Skip fetching 1,000 mails from a Dovecot started for it (it needs dovecot-imapd and root).
    #[arg(long)]
    skip_mailbox: bool,
    /// Print each statement's query plan (on the first data set) and stop.
    #[arg(long)]
    explain: bool,
    /// Run one benchmark on the first data set, print its figure and stop (for a
    /// profiler, e.g. `valgrind --tool=callgrind`): `import`, `register` or `dashboard` (reads
    /// only: give it the 1,000,000 set in place); `mailbox` needs no data set.
    #[arg(long)]
    only: Option<String>,
}

fn main() {
    let args = Args::parse();
    if let Err(e) = run(&args) {
        eprintln!("bench-core: {e}");
        std::process::exit(1);
    }
}

fn run(args: &Args) -> Result<(), Box<dyn std::error::Error>> {
    if args.explain {
        let db = suite::open(&args.data[0], &args.passphrase)?;
        println!("{}", db.read(suite::plans::explain)?);
        return Ok(());
    }
    let effort = if args.quick { Effort::QUICK } else { Effort::NORMAL };
    let clock = FixedClock::at(&default_today().to_string());
    if args.only.as_deref() == Some("mailbox") {
        for f in suite::mailbox::run(&clock, effort)? {
            println!(
                "{}: {:.0} {} (target under {:.0} {}; {})",
                f.bench,
                f.value.unwrap_or(0.0),
                f.unit,
                f.target.unwrap_or(0.0),
                f.unit,
                f.note
            );
        }
        return Ok(());
    }
    if let Some(only) = &args.only {
        let db = suite::open(&args.data[0], &args.passphrase)?;
        let size = rightsdesk_core::requests::count(&db)? as u64;
        let target = Target { db: &db, path: &args.data[0], key: &args.passphrase, size, clock, effort };
        let figures = match only.as_str() {
            "import" => suite::extras::import_only(&target)?,
            "register" => suite::register::run(&target)?,
            "dashboard" => suite::dashboard::run(&target)?,
            other => return Err(format!("--only {other}: choose import, register, dashboard or mailbox").into()),
        };
        for f in figures {
            println!("{}: {:.3} {} ({})", f.bench, f.value.unwrap_or(0.0), f.unit, f.note);
        }
        return Ok(());
    }
    let mut figures: Vec<Figure> = Vec::new();
    let mut largest = 0;
    for path in &args.data {
        let db = suite::open(path, &args.passphrase)?;
        let size = rightsdesk_core::requests::count(&db)? as u64;
        eprintln!("bench-core: {} ({size} requests)", path.display());
        let target = Target { db: &db, path, key: &args.passphrase, size, clock, effort };
        figures.extend(suite::run(&target)?);
        if Some(path) == args.data.last() {
            figures.extend(suite::diagnose::run(&target)?);
        }
        largest = largest.max(size);
    }
    for path in &args.large {
        let db = suite::open(path, &args.passphrase)?;
        let size = rightsdesk_core::requests::count(&db)? as u64;
        eprintln!("bench-core: {} ({size} requests; reading benchmarks only)", path.display());
        let target = Target { db: &db, path, key: &args.passphrase, size, clock, effort };
        figures.extend(suite::run_reads(&target)?);
    }
    if !args.skip_package {
        eprintln!("bench-core: a package of 1 GiB of evidence beside cp");
        let dir = std::env::temp_dir().join(format!("rightsdesk-bench-package-{}", std::process::id()));
        figures.extend(suite::package::run(&dir, &clock)?);
    }
    if !args.skip_mailbox {
        eprintln!("bench-core: fetching and filing 1,000 new mails from Dovecot");
        figures.extend(suite::mailbox::run(&clock, effort)?);
    }
    figures.extend(pending::figures(largest));
    // Group by benchmark so growth with size reads down the table.
    let order: Vec<String> = figures.iter().fold(Vec::new(), |mut seen, f| {
        if !seen.contains(&f.bench) {
            seen.push(f.bench.clone());
        }
        seen
    });
    figures.sort_by_key(|f| (order.iter().position(|b| *b == f.bench), f.metric.clone(), f.size));
    let out = args.out.clone().unwrap_or_else(report::default_path);
    let report = report::record(&out, figures, args.fresh)?;
    println!("{}", report.table());
    eprintln!("bench-core: figures written to {} and {}", out.display(), out.with_extension("md").display());
    Ok(())
}
