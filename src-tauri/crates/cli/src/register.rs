//! `rightsdesk export requests --format csv|json [--out FILE]` and
//! `rightsdesk metrics --year Y [--format text|csv|json]` (on the local file and on a team
//! register), and `rightsdesk calendar --out FILE.ics` on a team register.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Subcommand};
use rightsdesk_core::clock::Clock;
use rightsdesk_core::domain::printable;
use rightsdesk_core::files::atomic;
use rightsdesk_core::files::destination::Overwrite;
use rightsdesk_core::register::{self, ExportFormat};
use rightsdesk_core::store::{Db, PgDb, Store};
use rightsdesk_core::{Error, Result};

use crate::outln;
use crate::output::Output;

#[derive(Subcommand)]
pub enum ExportCommand {
    /// The register: every request, as CSV (formula-safe) or JSON. Standard output unless --out.
    Requests {
        #[arg(long, value_name = "csv|json")]
        format: String,
        /// Write to this file instead (whole or not at all, readable by you only).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Replace --out if it exists (never the database or its data folders).
        #[arg(long)]
        force: bool,
    },
}

#[derive(Args)]
pub struct MetricsArgs {
    /// The year requests were received in.
    #[arg(long)]
    year: i32,
    /// text (default), csv or json.
    #[arg(long, default_value = "text")]
    format: String,
}

pub fn export(db: &Db, command: ExportCommand, out: &Output) -> Result<()> {
    export_in(Store::from(db), command, &|path, force| crate::destination(db, path, force), out)
}

/// `export requests` on either store; `destination` checks where `--out` may write
/// (never over the register file, or on a team register the one kept on this computer).
pub fn export_in(
    db: Store<'_>,
    command: ExportCommand,
    destination: &dyn Fn(&std::path::Path, bool) -> Result<PathBuf>,
    out: &Output,
) -> Result<()> {
    let ExportCommand::Requests { format, out: target, force } = command;
    let format = ExportFormat::parse(&format)?;
    match target {
        None => {
            // Whole, then through the safe writer: a closed or full stdout ends as every command's does.
            let mut text = Vec::new();
            register::export(db, format, &mut text)?;
            crate::output::write_stdout_document(&String::from_utf8_lossy(&text), format == ExportFormat::Json)
        }
        Some(path) => {
            let target = destination(&path, force)?;
            let mut n = 0;
            // No-clobber unless --force: a file created since the check is kept, not replaced.
            atomic::write_as(&target, Overwrite::from_force(force), |f| {
                let mut w = std::io::BufWriter::new(f);
                n = register::export(db, format, &mut w)?;
                w.flush().map_err(|e| atomic::write_error(&path, &e))?;
                Ok(())
            })?;
            out.message(
                &format!("{n} requests written to {}", path.display()),
                &serde_json::json!({ "requests": n, "path": path.display().to_string() }),
            )
        }
    }
}

fn days(v: Option<f64>) -> String {
    v.map_or_else(|| "—".into(), |d| format!("{d:.1}"))
}

/// The year's figures, on either store (an auditor of a team register may print them too).
pub fn metrics<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, a: MetricsArgs, out: &Output) -> Result<()> {
    let m = register::year_metrics(store, clock, a.year)?;
    let format = if out.json { "json" } else { a.format.as_str() };
    match format {
        "json" => crate::output::print_json(&m)?,
        "csv" => {
            let mut text = Vec::new();
            register::metrics_csv(&m, &mut text)?;
            crate::output::write_stdout_document(&String::from_utf8_lossy(&text), false)?;
        }
        "text" => {
            outln!("Requests received in {} (as of {}; CCPA regulations §7102)", m.year, m.as_of);
            outln!(
                "{:<30} {:>8} {:>9} {:>7} {:>6} {:>12} {:>10}",
                "TYPE",
                "RECEIVED",
                "COMPLIED",
                "DENIED",
                "OPEN",
                "MEDIAN DAYS",
                "MEAN DAYS"
            );
            for f in m.by_type.iter().chain(std::iter::once(&m.total)) {
                outln!(
                    "{:<30} {:>8} {:>9} {:>7} {:>6} {:>12} {:>10}",
                    printable(&f.label),
                    f.received,
                    f.complied_in_whole_or_in_part,
                    f.denied,
                    f.still_open,
                    days(f.median_days_to_respond),
                    days(f.mean_days_to_respond)
                );
            }
        }
        _ => return Err(Error::invalid("format", "is text, csv or json")),
    }
    Ok(())
}

/// `rightsdesk calendar --out FILE.ics` on a team register: the team's open due dates. No
/// file of the team register is on this computer, but the register file kept here (the
/// default one) and the app's data folder are still never written over.
pub fn team_calendar(db: &PgDb, clock: &dyn Clock, path: &std::path::Path, force: bool, out: &Output) -> Result<()> {
    let local = crate::db_path(None)?;
    let target = rightsdesk_core::files::destination::check(
        path,
        &rightsdesk_core::files::destination::Protected::for_database(&local),
        Overwrite::from_force(force),
    )?;
    let n = register::calendar::write(db, clock, &target, Overwrite::from_force(force))?;
    out.message(
        &format!("wrote {} with {n} due date(s)", path.display()),
        &serde_json::json!({ "file": path.display().to_string(), "requests": n }),
    )
}
