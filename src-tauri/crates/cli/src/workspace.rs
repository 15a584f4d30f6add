//! `rightsdesk dashboard` (what is late, due soon, needs attention today) and
//! `rightsdesk bulk` (one status change or duplicate marking for many requests, all or nothing).

use clap::Subcommand;
use rightsdesk_core::clock::Clock;
use rightsdesk_core::register::dashboard::{self, DueItem};
use rightsdesk_core::requests::bulk::{self, BulkOutcome};
use rightsdesk_core::store::Store;
use rightsdesk_core::Result;

use crate::outln;
use crate::output::{print_json, Output};

#[derive(Subcommand)]
pub enum BulkCommand {
    /// Move every listed request (ids or references) to a status, or none if one cannot move.
    Status {
        /// The new status, e.g. in-progress, withdrawn, refused.
        #[arg(long)]
        to: String,
        /// Why (required for refused and duplicate).
        #[arg(long)]
        reason: Option<String>,
        #[arg(required = true)]
        ids: Vec<String>,
    },
    /// Mark every listed request a duplicate of another (all or none).
    Duplicate {
        /// The original request (id or reference).
        #[arg(long = "of", value_name = "REFERENCE")]
        original: String,
        #[arg(required = true)]
        ids: Vec<String>,
    },
}

fn line(r: &DueItem) -> String {
    let date = |d: Option<chrono::NaiveDate>| d.map_or_else(|| "—".to_string(), |d| d.to_string());
    let left = match r.days_left {
        None => "—".to_string(),
        Some(0) => "due today".to_string(),
        Some(d) if d > 0 => format!("{d} days left"),
        Some(d) => format!("{} days overdue", -d),
    };
    format!("  {:<14} legal {:<10}  target {:<10}  {left:<16} {} ({})", r.reference, date(r.due), date(r.target), r.regime, r.request_type)
}

/// The dashboard, on either store (on a team register an auditor may print it too).
pub fn show_dashboard<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, out: &Output) -> Result<()> {
    let d = dashboard::dashboard(store, clock)?;
    if out.json {
        return print_json(&d);
    }
    outln!("Today {}: {} open of {} requests", d.today, d.open, d.total);
    outln!("Overdue: {}", d.overdue_count);
    for r in &d.overdue {
        outln!("{}", line(r));
    }
    outln!("Due within {} days: {}", dashboard::SOON_DAYS, d.due_soon_count);
    for r in &d.due_soon {
        outln!("{}", line(r));
    }
    match d.on_time.rate {
        Some(rate) => outln!("On time over the last 12 months: {:.0}% ({} of {})", rate * 100.0, d.on_time.on_time, d.on_time.answered),
        None => outln!("On time over the last 12 months: no answers yet"),
    }
    outln!("Needs you today: {}", d.needs_count);
    for n in &d.needs_you {
        let kind = serde_json::to_value(n.kind).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
        outln!("  {:<14} {kind:<17} {}", n.reference, n.date.map(|d| d.to_string()).unwrap_or_default());
    }
    Ok(())
}

/// `bulk status | duplicate` on either store, all or nothing, under `actor` (on a team register the login).
pub fn run_bulk<'a>(db: impl Into<Store<'a>>, clock: &dyn Clock, command: BulkCommand, actor: &str, out: &Output) -> Result<()> {
    let outcome: BulkOutcome = match command {
        BulkCommand::Status { to, reason, ids } => {
            let to = crate::parse_status(&to)?;
            bulk::change_status(db, clock, &ids, None, to, reason.as_deref(), actor)?
        }
        BulkCommand::Duplicate { original, ids } => bulk::mark_duplicate(db, clock, &ids, None, &original, actor)?,
    };
    if out.json {
        return print_json(&outcome);
    }
    outln!("changed {} requests (batch {}): {}", outcome.changed, outcome.batch, outcome.references.join(", "));
    Ok(())
}
