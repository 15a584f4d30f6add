//! `rightsdesk team init | add | list | migrate | export`: a team register on PostgreSQL (issue 18).
//! `--db postgresql://USER@HOST:PORT/DBNAME?sslmode=verify-full` (or `RIGHTSDESK_DB`); the
//! password from RIGHTSDESK_DB_PASSWORD, PGPASSWORD, ~/.pgpass or the OS keyring.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use rightsdesk_core::secrets::OsKeyring;
use rightsdesk_core::store::pg::{self, team, PgUrl, TeamRole};
use rightsdesk_core::store::{key, PgDb};
use rightsdesk_core::workspace::team_move;
use rightsdesk_core::{Error, Result};

use crate::outln;
use crate::output::{shown, Output};

#[derive(Subcommand)]
pub enum TeamCommand {
    /// Create (or upgrade) the team register in a PostgreSQL database, with its roles
    /// (officer, auditor, admin) and their rights. Run once by a database administrator;
    /// running it again changes nothing that is already right.
    Init,
    /// Create a login for a team member in a role, with a one-time password printed once
    /// (it expires after 7 days; the member sets their own with ALTER ROLE ... PASSWORD).
    /// Run by a database administrator.
    Add {
        /// The member's login: lower-case letters, digits and _ (e.g. ana_lopez).
        name: String,
        /// officer (works on requests), auditor (reads, changes nothing) or admin
        /// (settings, data map, retention purge).
        #[arg(long)]
        role: String,
    },
    /// Who is in the team register, and in which role.
    List,
    /// Keep your password for this address in the OS keyring (read from standard input,
    /// one line), after checking that the server accepts it.
    Remember,
    /// Remove the password for this address from the OS keyring.
    Forget,
    /// Move a register file into an empty team database: every request, its timeline and
    /// audit trail, tasks, letters, settings and data map, in one transaction, verified
    /// before it commits. Run by the database administrator who ran `team init`. The
    /// file's key as for other commands (RIGHTSDESK_PASSPHRASE or the OS keyring).
    Migrate {
        /// The register file to move (it is only read).
        #[arg(long, value_name = "FILE.sqlite3")]
        from: PathBuf,
        /// The team database: postgresql://USER@HOST:PORT/DBNAME?sslmode=verify-full
        #[arg(long, value_name = "URL")]
        to: String,
    },
    /// Copy a team database into a new register file (encrypted with RIGHTSDESK_PASSPHRASE,
    /// or a new key kept in the OS keyring), verified before the file appears.
    Export {
        /// The team database: postgresql://USER@HOST:PORT/DBNAME?sslmode=verify-full
        /// (default: --db or RIGHTSDESK_DB).
        #[arg(long, value_name = "URL")]
        from: Option<String>,
        /// The new register file; an existing file is never replaced.
        #[arg(long, value_name = "FILE.sqlite3")]
        to: PathBuf,
    },
}

/// The team register's address from `--db` or `RIGHTSDESK_DB`: a `postgresql://` URL.
fn url(db: Option<PathBuf>) -> Result<PgUrl> {
    let db = db.or_else(|| std::env::var_os("RIGHTSDESK_DB").filter(|v| !v.is_empty()).map(PathBuf::from)).ok_or_else(|| {
        Error::invalid("db", "a team command needs the register's address: --db postgresql://USER@HOST:PORT/DBNAME?sslmode=verify-full")
    })?;
    let text = db.to_str().filter(|t| pg::is_postgres_url(t)).ok_or_else(|| {
        Error::invalid("db", "a team command works on a PostgreSQL database: --db postgresql://USER@HOST:PORT/DBNAME?sslmode=verify-full")
    })?;
    PgUrl::parse(text)
}

pub fn run(db: Option<PathBuf>, command: TeamCommand, out: &Output) -> Result<()> {
    let secrets = OsKeyring::default();
    let command = match command {
        TeamCommand::Migrate { from, to } => return migrate(&from, &to, &secrets, out),
        TeamCommand::Export { from, to } => return export(db, from, &to, &secrets, out),
        other => other,
    };
    let url = url(db)?;
    match command {
        TeamCommand::Migrate { .. } | TeamCommand::Export { .. } => Ok(()),
        TeamCommand::Init => {
            let password = pg::url::password(&url, &secrets)?;
            let mut client = pg::connect(&url, password.as_ref().map(|(p, _)| p.as_str()))?;
            let report = team::init(&mut client)?;
            if out.json {
                return crate::output::print_json(&report);
            }
            if report.from_version == report.to_version {
                outln!("The team register in {} is already at schema version {}.", url.dbname, report.to_version);
            } else if report.from_version == 0 {
                outln!("Created the team register in {} (schema version {}).", url.dbname, report.to_version);
            } else {
                outln!(
                    "Upgraded the team register in {} from schema version {} to {}.",
                    url.dbname,
                    report.from_version,
                    report.to_version
                );
            }
            for r in &report.roles {
                let state = if report.created.contains(r) { "created" } else { "already there" };
                outln!("  role {r}: {state}");
            }
            outln!("Rights granted. Add people with: rightsdesk team add NAME --role officer|auditor|admin");
            Ok(())
        }
        TeamCommand::Add { name, role } => {
            let role = TeamRole::parse(&role)?;
            let mut client = pg::connect(&url, pg::url::password(&url, &secrets)?.as_ref().map(|(p, _)| p.as_str()))?;
            let added = team::add(&mut client, &name, role, chrono::Utc::now())?;
            if out.json {
                return crate::output::print_json(&added);
            }
            outln!("Added {} as {} (member of {}).", added.name, role.as_str(), added.group);
            outln!("One-time password (shown only now): {}", added.password);
            outln!(
                "It expires at {}. Give it to {} in person or by another safe channel; they set their own with \
                 ALTER ROLE {} PASSWORD '...' (psql's \\password does it without showing it).",
                added.valid_until,
                added.name,
                added.name
            );
            Ok(())
        }
        TeamCommand::Remember => {
            use std::io::BufRead as _;
            let mut line = zeroize::Zeroizing::new(String::new());
            std::io::stdin().lock().read_line(&mut line)?;
            let password = line.trim_end_matches(['\r', '\n']);
            if password.is_empty() {
                return Err(Error::invalid(
                    "password",
                    "no password on standard input (one line: printf %s \"$PW\" | rightsdesk team remember)",
                ));
            }
            pg::url::remember(&url, password, &secrets)?;
            out.message(
                &format!("The password for {} is in the OS keyring.", url.display()),
                &serde_json::json!({ "remembered": url.keyring_name() }),
            )
        }
        TeamCommand::Forget => {
            let had = pg::url::forget(&url, &secrets)?;
            let text = if had { "Removed the password from the OS keyring." } else { "The OS keyring held no password for this address." };
            out.message(text, &serde_json::json!({ "removed": had }))
        }
        TeamCommand::List => {
            let mut client = pg::open(&url, &secrets)?;
            let members = team::list(&mut client)?;
            if out.json {
                return crate::output::print_json(&members);
            }
            if members.is_empty() {
                outln!("Nobody is in this team register yet: rightsdesk team add NAME --role officer|auditor|admin");
                return Ok(());
            }
            outln!("{:<24} {:<8} {:<10} PASSWORD EXPIRES", "NAME", "ROLE", "LOGIN");
            for m in &members {
                let login = if m.can_log_in { "yes" } else { "no" };
                outln!("{:<24} {:<8} {:<10} {}", shown(&m.name), m.role.as_str(), login, m.valid_until.as_deref().unwrap_or("never"));
            }
            Ok(())
        }
    }
}

/// A `--to`/`--from` that must be a team database's address.
fn pg_url(field: &'static str, text: &str) -> Result<PgUrl> {
    if !pg::is_postgres_url(text) {
        return Err(Error::invalid(
            field,
            "must be a team database's address: postgresql://USER@HOST:PORT/DBNAME?sslmode=verify-full (nothing was written)",
        ));
    }
    PgUrl::parse(text)
}

/// `team migrate --from FILE --to URL`.
fn migrate(from: &Path, to: &str, secrets: &OsKeyring, out: &Output) -> Result<()> {
    let url = pg_url("to", to)?;
    if !from.is_file() {
        return Err(Error::invalid("from", format!("no register file at {}; nothing was written", from.display())));
    }
    // The file's writer lock for the length of the move: nothing written to it meanwhile (by the
    // app, say) is left behind; while the app has it open the move is refused, naming it.
    let file = rightsdesk_core::store::unlock(from, secrets)?;
    let team = PgDb::open(&url, secrets)?;
    let moved = team_move::into_team(&file, &team)?;
    report(&moved, &from.display().to_string(), &url.display(), out)
}

/// `team export --from URL --to FILE`.
fn export(db: Option<PathBuf>, from: Option<String>, to: &Path, secrets: &OsKeyring, out: &Output) -> Result<()> {
    let url = match from {
        Some(text) => pg_url("from", &text)?,
        None => url(db)?,
    };
    team_move::refuse_existing(to)?;
    // The key's keyring entry is named by the absolute path, as when the file is opened later.
    let to = std::path::absolute(to).map_err(|e| Error::invalid("to", format!("{}: {e}", to.display())))?;
    let team = PgDb::open(&url, secrets)?;
    let (key, source) = key::resolve(&to, secrets)?;
    let moved = match team_move::export(&team, &to, &key) {
        Ok(m) => m,
        Err(e) => {
            if source == key::KeySource::NewInKeyring {
                let _ = rightsdesk_core::secrets::SecretStore::delete(secrets, &key::keyring_name(&to));
            }
            return Err(e);
        }
    };
    report(&moved, &url.display(), &to.display().to_string(), out)
}

/// The rows per table on both sides and the audit trail verified on both.
fn report(moved: &team_move::Moved, from: &str, to: &str, out: &Output) -> Result<()> {
    if out.json {
        return crate::output::print_json(moved);
    }
    outln!("Moved {} to {}.", shown(from), shown(to));
    outln!("{:<24} {:>10} {:>10}", "TABLE", "FROM", "TO");
    for t in &moved.tables {
        let note = if t.recomputed { "  (rebuilt by the target from the requests)" } else { "" };
        outln!("{:<24} {:>10} {:>10}{note}", t.table, t.source, t.target);
    }
    let f = &moved.stored_files;
    outln!("{:<24} {:>10} {:>10}  (evidence files and kept mails, {} bytes sealed)", "stored files", f.source, f.target, f.bytes);
    let p = &moved.packages;
    outln!("{:<24} {:>10} {:>10}  (built answer packages kept with the register)", "kept packages", p.source, p.target);
    let a = &moved.target_audit;
    outln!(
        "Audit trail verified on both sides: intact, {} seals checked, the same head hash {}.",
        a.checked,
        if a.head_hash.is_empty() { "(none yet)" } else { a.head_hash.as_str() }
    );
    Ok(())
}
