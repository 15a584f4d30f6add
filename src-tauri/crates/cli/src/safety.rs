//! `rightsdesk backup`, `restore`, `purge` and `retention`: the data kept safe.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use rightsdesk_core::backups as backup;
use rightsdesk_core::backups::restore;
use rightsdesk_core::clock::Clock;
use rightsdesk_core::domain::printable;
use rightsdesk_core::mailbox::purge as mail_purge;
use rightsdesk_core::retention;
use rightsdesk_core::secrets::OsKeyring;
use rightsdesk_core::store::key::PASSPHRASE_ENV;
use rightsdesk_core::store::pg::{self, PgUrl};
use rightsdesk_core::store::{Db, DbKey, PgDb, Store};
use rightsdesk_core::workspace::{current_actor, team_move};
use rightsdesk_core::{Error, Result};
use serde_json::json;

use crate::outln;
use crate::output::Output;

#[derive(Args)]
pub struct BackupArgs {
    /// Write the backup to this file (it must not exist yet).
    #[arg(long, value_name = "FILE", conflicts_with = "dir", required_unless_present = "dir")]
    out: Option<PathBuf>,
    /// Write a backup named by its time into this folder (for cron), keeping the newest --keep.
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
    /// How many backups to keep in --dir.
    #[arg(long, default_value_t = backup::DEFAULT_KEEP, requires = "dir")]
    keep: u32,
}

#[derive(Args)]
pub struct RestoreArgs {
    /// The backup file.
    file: PathBuf,
    /// Replace an existing database at the target path.
    #[arg(long)]
    force: bool,
    /// Only check that the backup is complete and decrypts with the key; write nothing.
    #[arg(long)]
    verify_only: bool,
    /// Restore into this team database instead of a register file: postgresql://USER@HOST:PORT/DBNAME?sslmode=verify-full.
    /// It must be empty (just set up by `team init`); run by the database administrator who ran it.
    #[arg(long, value_name = "URL", conflicts_with = "force")]
    to: Option<String>,
}

impl RestoreArgs {
    /// Whether the restore writes a register file (not a team database, not only a check).
    pub fn writes_a_file(&self) -> Result<bool> {
        Ok(!self.verify_only && self.team_target()?.is_none())
    }

    /// The team database given with --to, if any.
    pub fn team_target(&self) -> Result<Option<PgUrl>> {
        let Some(text) = &self.to else { return Ok(None) };
        if !pg::is_postgres_url(text) {
            return Err(Error::invalid(
                "to",
                "must be a team database's address: postgresql://USER@HOST:PORT/DBNAME?sslmode=verify-full \
                 (to restore to a register file, give it with --db FILE); nothing was written",
            ));
        }
        PgUrl::parse(text).map(Some)
    }
}

#[derive(Args)]
pub struct PurgeArgs {
    /// List what the purge would remove, and remove nothing.
    #[arg(long)]
    dry_run: bool,
}

impl PurgeArgs {
    /// A preview only reads.
    pub fn dry_run(&self) -> bool {
        self.dry_run
    }
}

impl RetentionCommand {
    pub fn reads_only(&self) -> bool {
        matches!(self, RetentionCommand::Show)
    }
}

#[derive(Subcommand)]
pub enum RetentionCommand {
    /// How long each regime's closed requests keep their personal data (months after closure).
    Show,
    /// Set a regime's period, e.g. `rightsdesk retention set eu-gdpr 36`.
    Set { regime: String, months: u32 },
    /// Set how many days after the dismissal a mail dismissed as not a request keeps its content (default 90),
    /// e.g. `rightsdesk retention set-dismissed 30`.
    SetDismissed { days: u32 },
}

pub fn backup(db: &Db, clock: &dyn Clock, a: &BackupArgs, out: &Output) -> Result<()> {
    let (summary, removed) = match (&a.out, &a.dir) {
        (Some(file), _) => {
            // The guard every export passes (never the database or its data folders); and a
            // backup never replaces a file, so there is no --force to offer.
            let target = crate::destination(db, file, true)?;
            if std::fs::symlink_metadata(&target).is_ok() {
                return Err(Error::invalid(
                    "out",
                    format!("{} already exists; a backup never replaces a file: choose another name", file.display()),
                ));
            }
            (backup::backup_to(db, clock, &target)?, Vec::new())
        }
        (None, Some(dir)) => backup::backup_rotating(db, clock, dir, a.keep)?,
        (None, None) => return Err(Error::invalid("out", "give --out FILE or --dir DIR")),
    };
    let text = format!(
        "backup written: {} ({} requests, {} evidence files, {} bytes){}",
        summary.path,
        summary.requests,
        summary.evidence_files,
        summary.bytes,
        if removed.is_empty() { String::new() } else { format!("; {} older backups removed", removed.len()) }
    );
    let removed: Vec<String> = removed.iter().map(|p| p.display().to_string()).collect();
    out.message(&text, &json!({ "backup": summary, "removed": removed }))
}

pub fn restore(target: &Path, a: &RestoreArgs, out: &Output) -> Result<()> {
    let file = a.file.as_path();
    let passphrase = std::env::var(PASSPHRASE_ENV).ok().map(zeroize_string);
    let secrets = OsKeyring::default();
    let pass = passphrase.as_deref().map(String::as_str);
    if a.verify_only {
        let header = restore::inspect(file)?;
        let key = restore::key_for(&header, pass, &secrets)?;
        let s = restore::verify(file, &key)?;
        return out.message(
            &format!("backup ok: made {}, {} requests, {} evidence files", s.created_at, s.requests, s.evidence_files),
            &json!({ "verified": s }),
        );
    }
    if let Some(url) = a.team_target()? {
        return restore_team(&url, a, out);
    }
    let clock = rightsdesk_core::clock::SystemClock;
    let actor = current_actor();
    let by = restore::RestoredBy { clock: &clock, actor: &actor };
    let s = restore::restore(file, target, pass, &secrets, a.force, &by)?;
    let letters = match s.letters_to_check {
        0 => String::new(),
        n => format!(
            "\n{n} letter(s) queued or being sent when the backup was made are now \"unknown\" and will not be sent on their own: \
             check each (`rightsdesk outbox list`), then `outbox confirm ID` if it arrived or `outbox resend ID` if not"
        ),
    };
    out.message(
        &format!(
            "restored {} ({} requests, {} evidence files) from the backup made {}{letters}",
            s.db_path, s.requests, s.evidence_files, s.created_at
        ),
        &json!({ "restored": s }),
    )
}

/// `rightsdesk --db postgresql://… backup`: a team register's backup, made from one consistent
/// snapshot (`team export` into a private staging folder, removed whatever happens) and sealed
/// with RIGHTSDESK_PASSPHRASE, so that it restores without the server. Any member of the team
/// may make one: it only reads.
pub fn backup_team(url: &PgUrl, a: &BackupArgs, out: &Output) -> Result<()> {
    let passphrase = std::env::var(PASSPHRASE_ENV).ok().filter(|p| !p.is_empty()).map(zeroize_string).ok_or_else(|| {
        Error::invalid(
            "passphrase",
            format!(
                "a team register's backup is sealed with a passphrase you keep, so that it can be restored without the \
                 server: set {PASSPHRASE_ENV} (at least 8 characters) and keep it safe; nothing was written"
            ),
        )
    })?;
    let key = DbKey::passphrase(&passphrase)?;
    if let Some(file) = &a.out {
        if std::fs::symlink_metadata(file).is_ok() {
            return Err(Error::invalid(
                "out",
                format!("{} already exists; a backup never replaces a file: choose another name", file.display()),
            ));
        }
    }
    let team = PgDb::open(url, &OsKeyring::default())?;
    let clock = rightsdesk_core::clock::SystemClock;
    // The copy's refusals (a trail that does not verify, stored files) said as the backup's.
    let copy = |path: &Path| {
        team_move::export(&team, path, &key).map(|_| ()).map_err(|e| match e {
            Error::Invalid { reason, .. } => Error::invalid("db", format!("no backup was made: {reason}")),
            e => e,
        })
    };
    let (summary, removed) = match (&a.out, &a.dir) {
        (Some(file), _) => (backup::team::backup_to(&clock, file, &key, copy)?, Vec::new()),
        (None, Some(dir)) => backup::rotating(&clock, dir, a.keep, |o| backup::team::backup_to(&clock, o, &key, copy))?,
        (None, None) => return Err(Error::invalid("out", "give --out FILE or --dir DIR")),
    };
    let text = format!(
        "backup of the team register {} written: {} ({} requests, {} bytes){}; it opens with {PASSPHRASE_ENV} as set now",
        url.display(),
        summary.path,
        summary.requests,
        summary.bytes,
        if removed.is_empty() { String::new() } else { format!("; {} older backups removed", removed.len()) }
    );
    let removed: Vec<String> = removed.iter().map(|p| p.display().to_string()).collect();
    out.message(&text, &json!({ "backup": summary, "removed": removed }))
}

/// `rightsdesk --db postgresql://… restore FILE`: into that team database (or where --to says;
/// `--verify-only` checks the file and connects nowhere).
pub fn restore_into(url: &PgUrl, a: &RestoreArgs, out: &Output) -> Result<()> {
    if a.verify_only || a.to.is_some() {
        return restore(Path::new(""), a, out);
    }
    restore_team(url, a, out)
}

/// `rightsdesk restore FILE --to postgresql://…` (or `--db postgresql://… restore FILE`): a
/// backup, of a team register or of a register file without stored files, moved into an
/// empty team database with `team migrate`'s move (all or nothing, the audit trail verified
/// on both sides), the restore recorded on its trail.
pub fn restore_team(url: &PgUrl, a: &RestoreArgs, out: &Output) -> Result<()> {
    let passphrase = std::env::var(PASSPHRASE_ENV).ok().map(zeroize_string);
    let secrets = OsKeyring::default();
    let team = PgDb::open(url, &secrets)?;
    let clock = rightsdesk_core::clock::SystemClock;
    let by = restore::RestoredBy { clock: &clock, actor: &url.user };
    let staged = backup::team::stage_register(&a.file, passphrase.as_deref().map(String::as_str), &secrets, &by)?;
    let file = staged.open()?;
    let moved = team_move::into_team(&file, &team)?;
    drop(file);
    let letters = match staged.letters_to_check {
        0 => String::new(),
        n => format!("\n{n} letter(s) queued or being sent when the backup was made are now \"unknown\": check each before resending"),
    };
    let audit = &moved.target_audit;
    out.message(
        &format!(
            "restored the team register {} ({} requests) from the backup made {}; audit trail verified: intact, {} seals checked{letters}",
            url.display(),
            staged.requests,
            staged.created_at,
            audit.checked
        ),
        &json!({ "restored": { "db": url.display(), "created_at": staged.created_at, "requests": staged.requests,
            "letters_to_check": staged.letters_to_check }, "moved": moved }),
    )
}

fn zeroize_string(s: String) -> zeroize::Zeroizing<String> {
    zeroize::Zeroizing::new(s)
}

pub fn purge(db: &Db, clock: &dyn Clock, a: &PurgeArgs, out: &Output) -> Result<()> {
    purge_in(Store::from(db), clock, a, &current_actor(), out)
}

/// `purge` on either store (a team register's: the admin's, refused by the server to anyone else).
pub fn purge_in(db: Store<'_>, clock: &dyn Clock, a: &PurgeArgs, actor: &str, out: &Output) -> Result<()> {
    if a.dry_run {
        let plan = retention::preview(db, clock)?;
        if out.json {
            return out.message("", &plan);
        }
        if plan.requests.is_empty() {
            outln!("as of {}: no closed request has reached the end of its retention period", plan.as_of);
            if plan.dismissed_mails > 0 {
                outln!("the next purge removes the content of {} mails dismissed as not a request", plan.dismissed_mails);
            }
            return Ok(());
        }
        outln!("as of {}, the next purge removes the personal data of {} closed requests:", plan.as_of, plan.requests.len());
        for r in &plan.requests {
            outln!(
                "  {}  {} {} ({}), closed {}, due for purge since {}",
                printable(&r.reference),
                r.request_type,
                r.regime,
                r.status,
                r.closed_on,
                r.purge_from
            );
        }
        outln!("it removes:");
        for c in &plan.removes {
            outln!("  {:>5}  {}", c.items, c.what);
        }
        return Ok(());
    }
    let report = retention::purge(db, clock, actor, None)?;
    let counts: Vec<String> = report.removed.iter().map(|c| format!("{} {}", c.items, c.purger)).collect();
    out.message(
        &format!(
            "purged the personal data of {} closed requests and the content of {} mails dismissed as not a request ({})",
            report.requests,
            report.dismissed_mails,
            counts.join(", ")
        ),
        &json!({ "purged": report }),
    )
}

pub fn retention(db: &Db, clock: &dyn Clock, cmd: &RetentionCommand, out: &Output) -> Result<()> {
    retention_in(Store::from(db), clock, cmd, &current_actor(), out)
}

/// `retention` on either store (a team register's settings: the admin's).
pub fn retention_in(db: Store<'_>, clock: &dyn Clock, cmd: &RetentionCommand, actor: &str, out: &Output) -> Result<()> {
    match cmd {
        RetentionCommand::Show => {
            let policies = retention::policies(db)?;
            if out.json {
                return out.message("", &policies);
            }
            outln!("{:<18} {:>7} {:>8}  BASIS", "REGIME", "MONTHS", "DEFAULT");
            for p in &policies {
                outln!("{:<18} {:>7} {:>8}  {}", p.regime, p.months, p.default_months, printable(&p.basis));
            }
            outln!(
                "mails dismissed as not a request keep their content {} days after the dismissal (default {})",
                mail_purge::dismissed_days(db)?,
                mail_purge::DEFAULT_DISMISSED_DAYS
            );
            Ok(())
        }
        RetentionCommand::SetDismissed { days } => {
            let days = mail_purge::set_dismissed_days(db, clock, actor, *days)?;
            out.message(
                &format!(
                    "mails dismissed as not a request keep their content {days} days after the dismissal (default {})",
                    mail_purge::DEFAULT_DISMISSED_DAYS
                ),
                &json!({ "intake_dismissed_days": days, "default": mail_purge::DEFAULT_DISMISSED_DAYS }),
            )
        }
        RetentionCommand::Set { regime, months } => {
            let p = retention::set_months(db, clock, actor, regime, *months)?;
            out.message(
                &format!(
                    "{}: personal data of closed requests kept {} months after closure (default {})",
                    p.regime_name, p.months, p.default_months
                ),
                &p,
            )
        }
    }
}
