//! bench-stores: both stores side by side at 100,000 requests (issue 18) — the
//! local encrypted file and a team register on PostgreSQL — each figure
//! beside its store's target, as "store | measure | p50/total | target | met?".
//!
//! `scripts/bench.sh --stores` starts a throwaway PostgreSQL 15 (loopback, TLS
//! with a generated CA, scram) and runs it:
//! `bench-stores --data target/bench/100000.sqlite3 --pg-url 'postgresql://{user}@localhost:PORT/rightsdesk?sslmode=verify-full&sslrootcert=CA' --pg-admin pgadmin`
//!
//! 1. copies the data set (it stays as generated) and drops the copy's evidence
//!    rows: the generator writes their metadata without files, and `team
//!    migrate` refuses a register holding stored files (issue 18, item 5); both
//!    stores then hold the same requests, timelines, tasks and letters;
//! 2. `team init` and four officers added as the database administrator, then
//!    the copy moved in as `team migrate` moves it (`team_move::into_team`: one
//!    transaction, the audit trail verified on both sides before it commits),
//!    and `VACUUM (ANALYZE)` (what a DBA runs after a bulk load: without it, autovacuum
//!    starts on the million-row tables during the measurement, as it did in the runs before);
//! 3. on each store: the list's first page and one request (p50), 1,000
//!    registrations one after another, 1,000 from four clients at once (checked);
//!    then, for information, the four clients once more on PostgreSQL with commits
//!    that do not wait for their flush (`synchronous_commit = off`): what the
//!    fsync of each commit, inside the writer lock, costs.

use std::path::{Path, PathBuf};

use clap::Parser;

use rightsdesk_bench::dataset::default_today;
use rightsdesk_bench::suite::stores::{self, Client, Line};
use rightsdesk_bench::suite::{self, Effort};
use rightsdesk_bench::timing::once;
use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::store::pg::{self, team, PgUrl, TeamRole};
use rightsdesk_core::store::{events, Conn, PgDb, Store};
use rightsdesk_core::workspace::team_move;

#[derive(Parser)]
#[command(name = "bench-stores", about = "Both stores side by side at 100,000 requests")]
struct Args {
    /// The data set written by gen-dataset (it is copied, never changed).
    #[arg(long)]
    data: PathBuf,
    #[arg(long, env = "RIGHTSDESK_PASSPHRASE", hide_env_values = true)]
    passphrase: String,
    /// The team database's address with `{user}` where the login goes.
    #[arg(long)]
    pg_url: String,
    /// The database administrator's login (a superuser of an empty database).
    #[arg(long)]
    pg_admin: String,
    #[arg(long, env = "RIGHTSDESK_BENCH_PG_PASSWORD", hide_env_values = true)]
    pg_admin_password: String,
    /// Fewer samples (for a smoke run).
    #[arg(long)]
    quick: bool,
    /// Only the team register's registrations (one after another, then four clients), on a
    /// team database a run before filled and kept: four new officers are added for it, nothing
    /// is copied or moved. For comparing two builds back to back (A B A B) while the machine's
    /// load changes, without the minutes of the move before each.
    #[arg(long)]
    reuse_team: bool,
    /// Where to write the table (Markdown).
    #[arg(long, default_value = "target/bench-stores.md")]
    out: PathBuf,
}

fn main() {
    let args = Args::parse();
    if let Err(e) = run(&args) {
        eprintln!("bench-stores: FAILED: {e}");
        std::process::exit(1);
    }
}

fn step(what: &str) {
    static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    let t = STARTED.get_or_init(std::time::Instant::now).elapsed().as_secs();
    eprintln!("bench-stores [{t:>4} s]: {what}");
}

fn connect(args: &Args, user: &str, password: &str) -> Result<PgDb, Box<dyn std::error::Error>> {
    let url = PgUrl::parse(&args.pg_url.replace("{user}", user))?;
    Ok(PgDb::connect(&url, Some(password))?)
}

/// Removes a register file and its companions.
fn remove(path: &Path) {
    for suffix in ["", "-wal", "-shm", ".lock"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}

fn run(args: &Args) -> Result<(), Box<dyn std::error::Error>> {
    let effort = if args.quick { Effort::QUICK } else { Effort::NORMAL };
    let clock = FixedClock::at(&default_today().to_string());
    let lines = if args.reuse_team {
        team_registrations(args, &clock)?
    } else {
        let copy = args.data.with_file_name("stores-copy.sqlite3");
        remove(&copy);
        let result = compare(args, &copy, effort, &clock);
        remove(&copy);
        result?
    };
    let table = stores::table(&lines);
    println!("{table}");
    std::fs::write(&args.out, &table)?;
    step(&format!("table written to {}", args.out.display()));
    Ok(())
}

/// `--reuse-team`: the registrations on a team register filled before, by four officers added now.
fn team_registrations(args: &Args, clock: &FixedClock) -> Result<Vec<Line>, Box<dyn std::error::Error>> {
    let mut admin = pg::connect(&PgUrl::parse(&args.pg_url.replace("{user}", &args.pg_admin))?, Some(&args.pg_admin_password))?;
    let run = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs();
    let officers: Vec<String> = (1..=stores::CLIENTS).map(|k| format!("officer_{k}_{run}")).collect();
    let mut passwords = Vec::new();
    for name in &officers {
        passwords.push(team::add(&mut admin, name, TeamRole::Officer, chrono::Utc::now())?.password);
    }
    drop(admin);
    let team: Vec<PgDb> = officers.iter().zip(&passwords).map(|(n, p)| connect(args, n, p)).collect::<Result<_, _>>()?;
    let name = "team (PostgreSQL 15)";
    step(&format!("{name}: registering 1,000 one after another"));
    let mut lines = vec![stores::register_one_by_one(name, Store::from(&team[0]), clock, &officers[0], &stores::TEAM)?];
    step(&format!("{name}: 1,000 registrations from 4 clients"));
    let clients: Vec<Client<'_>> = team.iter().map(|db| Client { store: Store::from(db), sent: "bench".into() }).collect();
    lines.push(stores::four_clients(
        name,
        &clients,
        &officers,
        Store::from(&team[0]),
        clock,
        &stores::TEAM,
        "4 connections, each a different officer",
    )?);
    Ok(lines)
}

fn compare(args: &Args, copy: &Path, effort: Effort, clock: &FixedClock) -> Result<Vec<Line>, Box<dyn std::error::Error>> {
    step(&format!("copying {}", args.data.display()));
    std::fs::copy(&args.data, copy)?;
    let db = suite::open(copy, &args.passphrase)?;
    db.write(|tx| Ok(tx.execute_batch("DELETE FROM evidence; DELETE FROM intake_items WHERE blob <> '';")?))?;
    let size = rightsdesk_core::requests::count(&db)?;
    step("sealing the copy's timelines into the audit chain, as Rightsdesk seals each event it writes");
    // In one pass (`events::seal_pending`): the same chain rows and states as sealing each event
    // in turn, each request's state read once rather than once per event.
    let sealed = db.write(|tx| events::seal_pending(Conn::from(tx)))?;
    step(&format!("{sealed} events sealed"));

    step("team init, four officers added");
    let mut admin = pg::connect(&PgUrl::parse(&args.pg_url.replace("{user}", &args.pg_admin))?, Some(&args.pg_admin_password))?;
    team::init(&mut admin)?;
    let officers: Vec<String> = (1..=stores::CLIENTS).map(|k| format!("officer_{k}")).collect();
    let mut passwords = Vec::new();
    for name in &officers {
        passwords.push(team::add(&mut admin, name, TeamRole::Officer, chrono::Utc::now())?.password);
    }
    step(&format!("moving the {size} requests into the team register (as team migrate does)"));
    let installer = PgDb::new(admin);
    let (ms, moved) = once(|| team_move::into_team(&db, &installer));
    let moved = moved?;
    let events = moved.tables.iter().find(|t| t.table == "events").map(|t| t.target).unwrap_or(0);
    step(&format!("moved in {:.0} s: {size} requests, {events} events, audit trail intact on both sides", ms / 1e3));
    drop(installer);
    let mut admin = pg::connect(&PgUrl::parse(&args.pg_url.replace("{user}", &args.pg_admin))?, Some(&args.pg_admin_password))?;
    // What a DBA does after a bulk load (and what `team migrate`'s output advises): VACUUM sets
    // the new rows' visibility and hint bits and resets the insert counts that would otherwise
    // start autovacuum on the million-row tables in the middle of the measurement; ANALYZE gives
    // the planner its statistics.
    step("VACUUM (ANALYZE) after the bulk load, as a DBA runs it");
    admin.batch_execute("VACUUM (ANALYZE)")?;
    drop(admin);

    let team: Vec<PgDb> = officers.iter().zip(&passwords).map(|(n, p)| connect(args, n, p)).collect::<Result<_, _>>()?;
    let mut lines = Vec::new();
    for (name, store, targets) in
        [("local file (SQLite)", Store::from(&db), &stores::FILE), ("team (PostgreSQL 15)", Store::from(&team[0]), &stores::TEAM)]
    {
        step(&format!("{name}: list and one request"));
        lines.extend(stores::reads(name, store, clock, effort, targets)?);
        step(&format!("{name}: registering 1,000 one after another"));
        lines.push(stores::register_one_by_one(name, store, clock, &officers[0], targets)?);
        step(&format!("{name}: 1,000 registrations from 4 clients"));
        let line = match store {
            Store::Sqlite(db) => {
                let clients: Vec<Client<'_>> = officers.iter().map(|o| Client { store: Store::from(db), sent: o.clone() }).collect();
                stores::four_clients(name, &clients, &officers, store, clock, targets, "4 threads sharing the file's one writer")?
            }
            Store::Postgres(_) => {
                // Each client sends another name: the server records the login, whatever is sent.
                let clients: Vec<Client<'_>> = team.iter().map(|db| Client { store: Store::from(db), sent: "bench".into() }).collect();
                stores::four_clients(name, &clients, &officers, store, clock, targets, "4 connections, each a different officer")?
            }
        };
        lines.push(line);
    }
    // What the commits' flush costs: the writer lock is held until each commit is on disk
    // (PostgreSQL releases a transaction's locks after its commit record is flushed), so
    // the writers' fsyncs add up one after another. The same four clients once more with
    // commits that do not wait for the flush (the server stays consistent; a crash of the
    // server's machine may lose the last fraction of a second of commits, as SQLite's WAL
    // with synchronous=NORMAL may).
    step("team (PostgreSQL 15): 1,000 from 4 clients again, commits not waiting for their flush (info)");
    let admin_url = PgUrl::parse(&args.pg_url.replace("{user}", &args.pg_admin))?;
    let mut admin = pg::connect(&admin_url, Some(&args.pg_admin_password))?;
    let dbname = format!("\"{}\"", admin_url.dbname.replace('"', "\"\""));
    admin.batch_execute(&format!("ALTER DATABASE {dbname} SET synchronous_commit = off"))?;
    let unflushed: Vec<PgDb> = officers.iter().zip(&passwords).map(|(n, p)| connect(args, n, p)).collect::<Result<_, _>>()?;
    let clients: Vec<Client<'_>> = unflushed.iter().map(|db| Client { store: Store::from(db), sent: "bench".into() }).collect();
    let mut line = stores::four_clients(
        "team (PostgreSQL 15)",
        &clients,
        &officers,
        Store::from(&unflushed[0]),
        clock,
        &stores::TEAM,
        "info: synchronous_commit=off, what each commit's flush under the writer lock costs",
    )?;
    line.measure = "1,000 from 4 clients, no flush wait (info)";
    line.target = None;
    lines.push(line);
    admin.batch_execute(&format!("ALTER DATABASE {dbname} RESET synchronous_commit"))?;
    Ok(lines)
}
