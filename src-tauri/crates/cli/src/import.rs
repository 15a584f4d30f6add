//! `rightsdesk import requests FILE [--dry-run]`: all rows or none.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use rightsdesk_core::clock::Clock;
use rightsdesk_core::import::{self, ImportField, ImportOptions, ImportPreview, RowOutcome};
use rightsdesk_core::store::{Db, Store};
use rightsdesk_core::workspace::current_actor;
use rightsdesk_core::{Error, Result};

use crate::output::{shown, Output};

#[derive(Subcommand)]
pub enum ImportCommand {
    /// Register requests from a CSV file (UTF-8 or Windows-1252, or --encoding; comma, semicolon or tab):
    /// every row is checked first, and either all are registered or none.
    Requests(ImportArgs),
}

#[derive(Args)]
pub struct ImportArgs {
    file: PathBuf,
    /// Check the file and show the report per row; register nothing.
    #[arg(long)]
    dry_run: bool,
    /// Leave out rows already in the register (same subject email, type and date) instead of refusing the file.
    #[arg(long)]
    skip_duplicates: bool,
    /// The regime for rows without a regime column, e.g. eu-gdpr.
    #[arg(long, default_value = "")]
    regime: String,
    /// The channel for rows without one, e.g. web-form.
    #[arg(long, default_value = "")]
    channel: String,
    /// Map a column by its header: "COLUMN=FIELD" (fields: type, regime, jurisdiction, name, email,
    /// identifier, channel, received, time_zone, notes; or "-" to ignore the column). Repeatable.
    #[arg(long = "map", value_name = "COLUMN=FIELD")]
    maps: Vec<String>,
    /// The file's encoding, e.g. utf-8, windows-1252, iso-8859-15 (default: detected; a UTF-8
    /// file with a stray byte is refused, naming the line, rather than read as Windows-1252).
    #[arg(long)]
    encoding: Option<String>,
}

fn print_report(p: &ImportPreview, to_stderr: bool) -> Result<()> {
    let line = |s: String| -> Result<()> {
        if to_stderr {
            eprintln!("{}", crate::output::defused(&s, false));
            Ok(())
        } else {
            crate::output::write_stdout(&s, false)
        }
    };
    line(format!("read as {}, {}-separated; {} ok, {} with errors, {} duplicates", p.encoding, p.delimiter, p.ok, p.errors, p.duplicates))?;
    for r in &p.rows {
        match r.outcome {
            RowOutcome::Ok => {
                if !to_stderr {
                    line(format!(
                        "  line {:>4}: ok         {} {} {}",
                        r.line,
                        shown(&r.request.request_type),
                        shown(&r.request.received),
                        shown(&r.request.subject_name)
                    ))?;
                }
            }
            RowOutcome::Error | RowOutcome::Duplicate => line(format!(
                "  line {:>4}: {:<10} {}: {}",
                r.line,
                if r.outcome == RowOutcome::Error { "error" } else { "duplicate" },
                r.field.as_deref().unwrap_or("row"),
                r.message.as_deref().unwrap_or("")
            ))?,
        }
    }
    Ok(())
}

pub fn run(db: &Db, clock: &dyn Clock, command: ImportCommand, out: &Output) -> Result<()> {
    run_in(Store::from(db), clock, command, &current_actor(), out)
}

/// `import requests` on either store; `actor` as on record (on a team register the server
/// records the login whatever is sent).
pub fn run_in(db: Store<'_>, clock: &dyn Clock, command: ImportCommand, actor: &str, out: &Output) -> Result<()> {
    let ImportCommand::Requests(a) = command;
    let bytes = std::fs::read(&a.file)
        .map_err(|e| Error::Io(std::io::Error::new(e.kind(), format!("{} could not be read: {e}", a.file.display()))))?;
    let mut options = ImportOptions {
        mapping: None,
        default_regime: a.regime,
        default_channel: a.channel,
        skip_duplicates: a.skip_duplicates,
        encoding: a.encoding.clone(),
    };
    if !a.maps.is_empty() {
        // Start from the headers' own mapping (read without checking it), then apply the overrides.
        let headers = import::headers(&bytes, a.encoding.as_deref())?;
        let mut mapping = import::auto_mapping(&headers);
        for raw in &a.maps {
            let (column, field) =
                raw.rsplit_once('=').ok_or_else(|| Error::invalid("map", "must be COLUMN=FIELD, e.g. \"E-mail=email\""))?;
            let at = headers
                .iter()
                .position(|h| h.eq_ignore_ascii_case(column.trim()))
                .ok_or_else(|| Error::invalid("map", "names a column that is not in the file's header row"))?;
            mapping[at] = match field.trim() {
                "-" | "" => None,
                f => Some(ImportField::parse(f).ok_or_else(|| Error::invalid("map", "names an unknown field"))?),
            };
        }
        options.mapping = Some(mapping);
    }
    let preview = import::preview(db, clock, &bytes, &options)?;
    if a.dry_run || !preview.can_commit {
        if out.json {
            crate::output::print_json(&preview)?;
        } else {
            print_report(&preview, !preview.can_commit)?;
        }
        if !preview.can_commit {
            let why = if preview.errors > 0 {
                format!("{} rows have errors", preview.errors)
            } else if preview.ok == 0 {
                "no row is new".to_string()
            } else {
                format!("{} rows are duplicates (use --skip-duplicates to leave them out)", preview.duplicates)
            };
            return Err(Error::invalid("file", format!("{why}; nothing was imported")));
        }
        return Ok(());
    }
    let name = a.file.file_name().and_then(|n| n.to_str()).unwrap_or("import.csv");
    let report = import::commit(db, clock, name, &bytes, &options, actor)?;
    out.message(
        &format!(
            "imported {} requests ({}){}",
            report.imported,
            match (report.references.first(), report.references.last()) {
                (Some(a), Some(b)) if a != b => format!("{a} to {b}"),
                (Some(a), _) => a.clone(),
                _ => String::new(),
            },
            if report.skipped_duplicates > 0 { format!("; {} duplicates left out", report.skipped_duplicates) } else { String::new() }
        ),
        &report,
    )
}
