//! The request commands on a team register (issue 18): `--db postgresql://USER@HOST:PORT/DB?sslmode=verify-full`
//! (or `RIGHTSDESK_DB` set to one) with `request add | list | show | status | processor-days`, `bulk`,
//! `systems`, `task` (but `generate`), `identity`, `evidence`, `audit verify` (`--anchors` too), `audit export`,
//! `audit anchor` (not by an auditor: it records an event), `dashboard`,
//! `metrics`, `calendar`, `smtp`, `letter`, `outbox`, `reminders`, `package`, `answer`, `purge`, `retention`,
//! `import`, `export`, and the privacy mailbox's `mailbox`, `intake` and `mail`.
//! The same services as on the local file, through the store interface. The password comes
//! from the sources `team` uses (`store::pg::connect`). The actor on record is the login:
//! the server sets it from `session_user` whatever a client sends, and these commands send
//! it too. Every other command given such an address is refused, naming it, before
//! anything is opened or written.

use std::path::Path;

use rightsdesk_core::audit::{self, anchor};
use rightsdesk_core::clock::SystemClock;
use rightsdesk_core::secrets::OsKeyring;
use rightsdesk_core::store::pg::{self, team, PgUrl, TeamRole};
use rightsdesk_core::store::{events, PgDb, Store};
use rightsdesk_core::{Error, Result};

use crate::output::Output;
use crate::work::{AuditCommand, WorkCommand};
use crate::{Command, RequestCommand};

/// What works on a team register so far, for the refusal's message.
const PORTED: &str = "request add, request list, request show, request status, request processor-days, bulk, systems, \
     task, identity, evidence, smtp, letter, outbox, reminders, mailbox, intake, mail, package, answer, \
     audit verify (with --anchors), audit export, audit anchor, dashboard, metrics, calendar, purge, retention, import, export, backup, restore and the team commands";

/// The team register's address when `--db` (else `RIGHTSDESK_DB`) is a `postgresql://` URL;
/// `None` for a register file.
pub fn address(db: Option<&Path>) -> Result<Option<PgUrl>> {
    let from_env = std::env::var_os("RIGHTSDESK_DB").filter(|v| !v.is_empty());
    let Some(text) = db.map(|p| p.as_os_str().to_owned()).or(from_env) else { return Ok(None) };
    match text.to_str() {
        Some(t) if pg::is_postgres_url(t) => PgUrl::parse(t).map(Some),
        _ => Ok(None),
    }
}

/// Runs `command` (typed as `name`) on the team register at `url`.
pub fn run(url: &PgUrl, command: Command, name: &str, out: &Output) -> Result<()> {
    // A backup reads its own snapshot and a restore writes into an empty database: each connects itself.
    match &command {
        Command::Backup(a) => return crate::safety::backup_team(url, a, out),
        Command::Restore(a) => return crate::safety::restore_into(url, a, out),
        // `package verify FILE` reads the ZIP only.
        Command::Package(crate::package::PackageArgs {
            command: Some(crate::package::PackageCommand::Verify { file, passphrase_env }),
            ..
        }) => return crate::package::verify(file, passphrase_env.as_deref(), out),
        _ => {}
    }
    let ported = matches!(
        &command,
        Command::Request(RequestCommand::Add(_) | RequestCommand::List(_) | RequestCommand::Show { .. } | RequestCommand::Status { .. })
            | Command::Work(WorkCommand::Audit(AuditCommand::Verify { .. } | AuditCommand::Export { .. } | AuditCommand::Anchor))
            | Command::Dashboard
            | Command::Smtp(_)
            | Command::Letter(_)
            | Command::Outbox(_)
            | Command::Reminders(_)
            | Command::Mailbox(_)
            | Command::Intake(_)
            | Command::Mail(_)
            | Command::Package(_)
            | Command::Answer(_)
            | Command::Metrics(_)
            | Command::Calendar { .. }
            | Command::Purge(_)
            | Command::Retention(_)
            | Command::Import(_)
            | Command::Export(_)
            | Command::Request(RequestCommand::ProcessorDays { .. })
            | Command::Bulk(_)
            | Command::Work(WorkCommand::Systems(_))
            | Command::Work(WorkCommand::Identity(_))
            | Command::Work(WorkCommand::Evidence(_))
            | Command::Work(WorkCommand::Task(_))
    );
    if !ported {
        // A demo register, the file's encryption and its key belong to a register file by nature.
        if matches!(&command, Command::Demo(_) | Command::Encrypt | Command::Key(_)) {
            return Err(Error::invalid(
                "db",
                format!(
                    "`rightsdesk {name}` is for a register file, not a team register ({}): a team register is \
                     encrypted with the team's data key in the database and its access is the server's roles; \
                     nothing was opened or written",
                    url.display()
                ),
            ));
        }
        return Err(Error::invalid(
            "db",
            format!(
                "`rightsdesk {name}` is not yet available on a team register ({}): on one, {PORTED} work; \
                 nothing was opened or written",
                url.display()
            ),
        ));
    }
    let db = PgDb::open(url, &OsKeyring::default())?;
    let clock = SystemClock;
    // Who the server records (the trigger's `session_user`), sent as the actor too.
    let login: String = Store::from(&db).read(|c| c.query_row("SELECT session_user::text", &[], |r| r.get(0)))?;
    let done = match command {
        Command::Request(RequestCommand::Add(a)) => crate::request_add(&db, &clock, *a, &login, out),
        Command::Request(RequestCommand::List(a)) => crate::request_list(&db, &clock, a, out),
        Command::Request(RequestCommand::Show { id }) => crate::conversation::show_request(&db, &clock, &id, out),
        Command::Request(RequestCommand::Status { id, status, reason, expect_version }) => {
            crate::request_status(&db, &clock, &id, &status, reason.as_deref(), expect_version, &login, out)
        }
        Command::Work(WorkCommand::Task(task)) => crate::work::run_store_task(Store::from(&db), &clock, task, &login, out),
        Command::Work(WorkCommand::Evidence(e)) => {
            crate::work::run_store_evidence(Store::from(&db), &clock, e, &local_destination, &login, out)
        }
        // The chain's head to the officer's mailbox: recorded as an event, which an auditor may
        // not write, so an auditor is told before anything is mailed.
        Command::Work(WorkCommand::Audit(AuditCommand::Anchor)) => {
            if team::role_of(&db).ok().flatten() == Some(TeamRole::Auditor) {
                return Err(Error::invalid(
                    "db",
                    format!(
                        "`rightsdesk audit anchor` records an event, and {login} is in the auditor role, which changes \
                         nothing: an officer or an admin sends the anchors (`audit verify --anchors` checks them); \
                         nothing was mailed or written"
                    ),
                ));
            }
            crate::work::audit_anchor(Store::from(&db), &clock, &login, out)
        }
        // The trail for a regulator: identifiers, actions and hashes, no personal data; an auditor may too.
        Command::Work(WorkCommand::Audit(AuditCommand::Export { format, out: file, force })) => {
            crate::work::audit_export(Store::from(&db), &format, &file, force, &local_destination, out)
        }
        // Everyone may read the data map and record identity checks; changing the map and
        // the document days are the admin's.
        Command::Work(WorkCommand::Systems(c)) => {
            crate::work::run_store_systems(Store::from(&db), &clock, c, &local_destination, &login, out)
        }
        Command::Work(WorkCommand::Identity(c)) => crate::work::run_store_identity(Store::from(&db), &clock, c, &login, out),
        Command::Bulk(c) => crate::workspace::run_bulk(&db, &clock, c, &login, out),
        // The processor assistance period is a setting: the admin's.
        Command::Request(RequestCommand::ProcessorDays { days }) => crate::processor_days(&db, &clock, &days, &login, out),
        Command::Dashboard => crate::workspace::show_dashboard(&db, &clock, out),
        // The SMTP password comes from this workstation's keyring (or RIGHTSDESK_SMTP_PASSWORD), as on the file.
        Command::Smtp(c) => crate::mail::smtp_in(Store::from(&db), c, out),
        Command::Letter(a) => crate::mail::letter_in(Store::from(&db), *a, &login, out),
        Command::Outbox(c) => crate::mail::outbox_in(Store::from(&db), c, &login, out),
        Command::Reminders(a) => crate::mail::reminders_in(Store::from(&db), a, &login, out),
        // Any officer's workstation may fetch (each message is filed once); `mailbox set` is the admin's,
        // and the IMAP password (or OAuth token) stays in this workstation's keyring.
        Command::Mailbox(c) => crate::mailbox::mailbox_in(Store::from(&db), c, &login, out),
        Command::Intake(c) => crate::mailbox::intake_in(Store::from(&db), c, &local_destination, &login, out),
        Command::Mail(c) => crate::conversation::run_in(Store::from(&db), &clock, c, &local_destination, &login, out),
        Command::Package(a) => crate::package::build_in(Store::from(&db), &clock, a, &local_destination, &login, out),
        Command::Answer(a) => crate::answer::answer(&db, &clock, *a, &login, out),
        Command::Metrics(a) => crate::register::metrics(&db, &clock, a, out),
        Command::Calendar { out: path, force } => crate::register::team_calendar(&db, &clock, &path, force, out),
        // The retention purge and its settings are the admin's: the server refuses anyone else.
        Command::Purge(a) => crate::safety::purge_in(Store::from(&db), &clock, &a, &login, out),
        Command::Retention(c) => crate::safety::retention_in(Store::from(&db), &clock, &c, &login, out),
        // All rows or none, in one writing transaction; the server refuses an auditor's import.
        Command::Import(c) => crate::import::run_in(Store::from(&db), &clock, c, &login, out),
        Command::Export(c) => crate::register::export_in(Store::from(&db), c, &local_destination, out),
        Command::Work(WorkCommand::Audit(AuditCommand::Verify { anchors })) => {
            let report = audit::verify(&db)?;
            let baseline = Store::from(&db).read(|c| events::baseline(c))?;
            let anchored = anchors.as_deref().map(|source| anchor::check(&db, source)).transpose()?;
            crate::work::verified(out, &report, baseline, anchored, anchors.as_deref())
        }
        _ => Err(Error::Internal("a command counted as available on a team register has no arm here".into())),
    };
    done.map_err(|e| {
        // A read replica (or a database set read-only) refuses every change: said plainly.
        let e = pg::connect::read_only_refusal(url, e, || {
            Store::from(&db).read(|c| c.query_row("SELECT pg_is_in_recovery()", &[], |r| r.get::<bool>(0))).ok()
        });
        refused_by_role(&db, &login, e)
    })
}

/// Where `evidence get --out` may write on a team register: no file of the team register is
/// on this computer, but the register file kept here (the default one) and the app's data
/// folder are still never written over (as `calendar`).
fn local_destination(path: &Path, force: bool) -> Result<std::path::PathBuf> {
    let local = crate::db_path(None)?;
    rightsdesk_core::files::destination::check(
        path,
        &rightsdesk_core::files::destination::Protected::for_database(&local),
        rightsdesk_core::files::destination::Overwrite::from_force(force),
    )
}

/// The server's refusal of a write (SQLSTATE 42501) said with the login's role: what that
/// role may do, and that nothing was written (the transaction rolled back).
fn refused_by_role(db: &PgDb, login: &str, e: Error) -> Error {
    let Error::Postgres { sqlstate, message } = &e else { return e };
    if sqlstate != "42501" {
        return e;
    }
    let role = team::role_of(db).ok().flatten();
    let may = match role {
        Some(TeamRole::Auditor) => "the auditor role, which reads everything and verifies the audit trail but changes nothing",
        Some(TeamRole::Officer) => "the officer role, which works on requests but may not change settings, the data map or templates",
        Some(TeamRole::Admin) => "the admin role",
        None => "none of this register's roles",
    };
    Error::invalid(
        "db",
        format!("the team register's server refused this change: {login} is in {may}; nothing was written (server: {message})"),
    )
}
