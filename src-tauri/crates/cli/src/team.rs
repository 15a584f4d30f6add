//! `rightsdesk team init | add | list`: a team register on PostgreSQL (issue 18, first part).
//! `--db postgresql://USER@HOST:PORT/DBNAME?sslmode=verify-full` (or `RIGHTSDESK_DB`); the
//! password from RIGHTSDESK_DB_PASSWORD, PGPASSWORD, ~/.pgpass or the OS keyring.

use std::path::PathBuf;

use clap::Subcommand;
use rightsdesk_core::secrets::OsKeyring;
use rightsdesk_core::store::pg::{self, team, PgUrl, TeamRole};
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
    let url = url(db)?;
    let secrets = OsKeyring::default();
    match command {
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
