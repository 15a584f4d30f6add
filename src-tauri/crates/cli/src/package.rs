//! `rightsdesk package ID --out FILE [--passphrase-env VAR]` and
//! `rightsdesk package verify FILE [--passphrase-env VAR]`.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Subcommand};
use rightsdesk_core::clock::Clock;
use rightsdesk_core::domain::RequestId;
use rightsdesk_core::files::destination::Overwrite;
use rightsdesk_core::packages::{self, EvidenceFile, PackageOptions};
use rightsdesk_core::store::{Db, Store};
use rightsdesk_core::workspace::current_actor;
use rightsdesk_core::{Error, Result};

use crate::output::Output;

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct PackageArgs {
    #[command(subcommand)]
    pub command: Option<PackageCommand>,
    /// The access or portability request (ID or reference such as DSR-2025-0001).
    #[arg(required = true)]
    pub id: Option<String>,
    /// Where to write the ZIP (written whole or not at all).
    #[arg(long, value_name = "FILE", required = true)]
    pub out: Option<PathBuf>,
    /// Replace --out if it exists (never the database or its data folders).
    #[arg(long)]
    pub force: bool,
    /// Encrypt with AES-256 using the passphrase in this environment variable (at least 12 characters).
    #[arg(long, value_name = "VAR", conflicts_with = "generate_passphrase")]
    pub passphrase_env: Option<String>,
    /// Encrypt with a generated passphrase (six words, about 77 bits), printed once on stderr (or as
    /// `passphrase` in --json). Send it to the subject by another channel, never in the same mail.
    #[arg(long)]
    pub generate_passphrase: bool,
    /// Build even though tasks are open and no evidence would go in (refused without it, since such a
    /// package most likely misses what the systems hold).
    #[arg(long)]
    pub allow_open_tasks: bool,
    /// A further file collected from a system, as SYSTEM=PATH (repeatable); it goes under evidence/SYSTEM/
    /// beside the evidence stored on the request, which is always included.
    #[arg(long, value_name = "SYSTEM=PATH")]
    pub evidence: Vec<String>,
    /// The cover letter's language: en, de or fr (default: the mail settings' default language, else en).
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,
    /// State a fact the data map lacks for this request, as SYSTEM:FACT=STATEMENT (repeatable; FACT is
    /// automated_decisions or transfer_safeguard). The statement is recorded on the request's timeline.
    #[arg(long, value_name = "SYSTEM:FACT=STATEMENT")]
    pub state: Vec<String>,
}

#[derive(Subcommand)]
pub enum PackageCommand {
    /// Check a package: every file present and matching the SHA-256 in its manifest.
    Verify {
        file: PathBuf,
        /// The passphrase of an encrypted package, from this environment variable.
        #[arg(long, value_name = "VAR")]
        passphrase_env: Option<String>,
    },
}

fn passphrase(var: Option<&str>) -> Result<Option<String>> {
    let Some(var) = var else { return Ok(None) };
    match std::env::var(var) {
        Ok(p) if !p.is_empty() => Ok(Some(p)),
        _ => Err(Error::invalid("passphrase-env", format!("the environment variable {var} is not set or empty"))),
    }
}

/// `package verify` needs no database.
pub fn verify(file: &std::path::Path, passphrase_env: Option<&str>, out: &Output) -> Result<()> {
    let p = passphrase(passphrase_env)?;
    let report = packages::verify(file, p.as_deref())?;
    if out.json {
        crate::output::print_json(&report)?;
    } else if report.ok {
        crate::outln!(
            "{}: verified — {} files, {} bytes, every SHA-256 matches the manifest{}",
            rightsdesk_core::domain::printable(&report.reference),
            report.files_checked,
            report.bytes_checked,
            if report.encrypted { " (AES-256 encrypted)" } else { "" }
        );
    } else {
        for p in &report.problems {
            eprintln!("rightsdesk: {}", crate::output::defused(p, false));
        }
    }
    if report.ok {
        Ok(())
    } else {
        Err(Error::invalid("file", format!("the package failed verification ({} problems)", report.problems.len())))
    }
}

pub fn build(db: &Db, clock: &dyn Clock, a: PackageArgs, out: &Output) -> Result<()> {
    build_in(Store::from(db), clock, a, &|path, force| crate::destination(db, path, force), &current_actor(), out)
}

/// `rightsdesk package ID --out FILE` on either store: `destination` checks where the ZIP may
/// go (never over the register's own files); `actor` is who is on record (on a team register,
/// the login). On a team register the package is also kept in the database, for every officer.
pub fn build_in(
    db: Store<'_>,
    clock: &dyn Clock,
    a: PackageArgs,
    destination: &dyn Fn(&std::path::Path, bool) -> Result<PathBuf>,
    actor: &str,
    out: &Output,
) -> Result<()> {
    let (Some(id), Some(target)) = (a.id, a.out) else {
        return Err(Error::invalid("out", "give the request and --out FILE"));
    };
    let target = destination(&target, a.force)?;
    let p = if a.generate_passphrase { Some(packages::generate_passphrase()?) } else { passphrase(a.passphrase_env.as_deref())? };
    let lang = a.lang.as_deref().map(rightsdesk_core::domain::Lang::parse).transpose()?;
    for raw in &a.state {
        let (head, statement) = raw.split_once('=').unwrap_or((raw.as_str(), ""));
        let (system, fact) = head
            .rsplit_once(':')
            .ok_or_else(|| Error::invalid("state", "must be SYSTEM:FACT=STATEMENT, e.g. \"CRM:automated_decisions=none\""))?;
        let fact = packages::FactStatement { system: system.trim().into(), fact: fact.trim().into(), statement: statement.trim().into() };
        packages::state_fact(db, clock, &RequestId::from(&id), &fact, actor)?;
    }
    // What the workspace holds (the data map's systems, the evidence collected on the request), plus --evidence.
    let mut sources = packages::sources_from_workspace(db, &id)?;
    for raw in &a.evidence {
        let (system, path) =
            raw.split_once('=').ok_or_else(|| Error::invalid("evidence", "must be SYSTEM=PATH, e.g. \"CRM=exports/crm.csv\""))?;
        sources.evidence.push(EvidenceFile::file(system.trim(), path));
    }
    // Safer to refuse than to warn: a package sent without the systems' data is an incomplete answer.
    let planned = packages::contents(db, clock, &id, sources.clone())?;
    if let (Some(warning), false) = (planned.open_tasks_warning(), a.allow_open_tasks) {
        return Err(Error::invalid(
            "tasks",
            format!(
                "{warning}. Attach the evidence (--evidence SYSTEM=PATH or on the request), close the tasks, or give --allow-open-tasks"
            ),
        ));
    }
    let show_progress = !out.json && std::io::IsTerminal::is_terminal(&std::io::stderr());
    let mut progress = |p: &packages::PackageProgress| {
        if show_progress && p.bytes_total > 0 {
            eprint!("\r{:>3}% {}", p.bytes_done * 100 / p.bytes_total, p.file);
            // The progress line only; the package is written whether or not the terminal shows it.
            let _ = std::io::stderr().flush();
        }
    };
    let report = packages::build_in(
        db,
        clock,
        &RequestId::from(&id),
        sources,
        &PackageOptions { out: &target, passphrase: p.as_deref(), overwrite: Overwrite::from_force(a.force) },
        lang,
        actor,
        &mut progress,
    )?;
    if show_progress {
        eprintln!();
    }
    if a.generate_passphrase && !out.json {
        // Once, on stderr: not in a log of stdout, and never stored.
        eprintln!("Passphrase (shown once; send it by another channel than the package): {}", p.as_deref().unwrap_or_default());
    }
    #[derive(serde::Serialize)]
    struct Built<'a> {
        #[serde(flatten)]
        report: &'a packages::PackageReport,
        #[serde(skip_serializing_if = "Option::is_none")]
        passphrase: Option<&'a str>,
    }
    let generated = if a.generate_passphrase { p.as_deref() } else { None };
    let value = Built { report: &report, passphrase: generated };
    out.message(
        &format!(
            "{}: package written to {} ({} files, {} bytes{}){}; manifest SHA-256 {}",
            report.reference,
            report.path,
            report.files,
            report.bytes,
            if report.encrypted { ", AES-256 encrypted" } else { "" },
            if matches!(db, Store::Postgres(_)) { " and kept in the team register" } else { "" },
            report.manifest_sha256
        ),
        &value,
    )
}
