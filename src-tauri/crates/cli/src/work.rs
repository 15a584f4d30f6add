//! `rightsdesk systems|task|identity|evidence|audit`: the data map, the work
//! behind each request, and the audit trail, from the command line.

use std::path::PathBuf;

use clap::Subcommand;
use rightsdesk_core::audit;
use rightsdesk_core::audit::anchor;
use rightsdesk_core::clock::Clock;
use rightsdesk_core::datamap;
use rightsdesk_core::datamap::io::{self as datamap_io, DataFormat};
use rightsdesk_core::datamap::starter;
use rightsdesk_core::domain::printable;
use rightsdesk_core::domain::RequestId;
use rightsdesk_core::evidence::{self, Attach, EvidenceKind};
use rightsdesk_core::files::destination::Overwrite;
use rightsdesk_core::identity::{self, IdentityInput};
use rightsdesk_core::store::{Db, Store};
use rightsdesk_core::tasks::{self, TaskStatus, TaskUpdate};
use rightsdesk_core::{Error, Result};
use serde::Serialize;

use crate::output::Output;

#[derive(Subcommand)]
pub enum WorkCommand {
    /// The data map: the organisation's systems and processors.
    #[command(subcommand)]
    Systems(SystemsCommand),
    /// The tasks of a request, generated from the data map.
    #[command(subcommand)]
    Task(TaskCommand),
    /// Identity verification of a request's subject.
    #[command(subcommand)]
    Identity(IdentityCommand),
    /// Evidence files on a request.
    #[command(subcommand)]
    Evidence(EvidenceCommand),
    /// The hash-chained audit trail.
    #[command(subcommand)]
    Audit(AuditCommand),
}

impl WorkCommand {
    /// Commands that only read the database (they may run while the app holds it).
    pub fn reads_only(&self) -> bool {
        matches!(
            self,
            WorkCommand::Systems(SystemsCommand::List | SystemsCommand::Export { .. })
                | WorkCommand::Task(
                    TaskCommand::List { .. }
                        | TaskCommand::Owners { .. }
                        | TaskCommand::OwnerSettings { lead_days: None, reminder_days: None }
                )
                | WorkCommand::Identity(IdentityCommand::List { .. })
                | WorkCommand::Evidence(EvidenceCommand::List { .. } | EvidenceCommand::Get { .. })
                | WorkCommand::Audit(AuditCommand::Verify { .. } | AuditCommand::Export { .. })
        )
    }

    /// Commands that may start a new register where no database is yet (a data map comes first).
    pub fn may_create(&self) -> bool {
        matches!(self, WorkCommand::Systems(SystemsCommand::Import { .. } | SystemsCommand::Starter))
    }
}

#[derive(Subcommand)]
pub enum SystemsCommand {
    /// List the data map.
    List,
    /// Import a CSV or JSON file (all or nothing; systems matched by name are updated).
    Import {
        file: PathBuf,
        /// csv or json (default: from the file's extension)
        #[arg(long)]
        format: Option<String>,
    },
    /// Export the data map as CSV or JSON (to stdout, or to --out FILE).
    Export {
        /// csv or json
        #[arg(long, default_value = "csv")]
        format: String,
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Replace --out if it exists (never the database or its data folders).
        #[arg(long)]
        force: bool,
    },
    /// Load the starter map (drawn from a real small company's sub-processor list) into an empty map.
    Starter,
}

#[derive(Subcommand)]
pub enum TaskCommand {
    /// List a request's tasks (ID or reference).
    List { id: String },
    /// Add tasks for systems added to the map since the request was registered.
    Generate { id: String },
    /// Close a task (its id, or REFERENCE#N such as DSR-2026-0001#2).
    Done {
        task: String,
        #[arg(long, default_value = "")]
        note: String,
        /// Keep the data under this exemption (e.g. the legal duty) instead of deleting it.
        #[arg(long, value_name = "REASON")]
        exempt: Option<String>,
        /// The system holds no data of this subject.
        #[arg(long, conflicts_with = "exempt")]
        not_held: bool,
    },
    /// Assign a task to a member of the team (on a team register their login), or to nobody
    /// with --nobody; the request's timeline records it. `request list --assigned-to-me` lists
    /// the requests with an open task assigned to you.
    Assign {
        task: String,
        /// Who does it.
        #[arg(required_unless_present = "nobody")]
        name: Option<String>,
        /// Assign it to nobody.
        #[arg(long, conflicts_with = "name")]
        nobody: bool,
        /// Change it only if the request is still at this version (`request show` prints it).
        #[arg(long, value_name = "N")]
        expect_version: Option<i64>,
    },
    /// Reopen a closed task.
    Reopen {
        task: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Mail the task's system owner (data map) the instructions, the subject's identifiers and the due date.
    Send { task: String },
    /// Each task of a request with its owner, the mails sent and the replies filed.
    Owners { id: String },
    /// Close a task as its owner's reply offers (DONE or NOT HELD): the task (or the reply's id).
    CloseFromReply { task: String },
    /// Remind the owners who have not answered (one mail per owner a day at most; for cron).
    RemindOwners,
    /// Show or change how owners are asked: the due date's lead before the internal target, the reminder interval.
    OwnerSettings {
        /// Working days between the owner's due date and the request's internal target (default 2).
        #[arg(long, value_name = "DAYS")]
        lead_days: Option<u32>,
        /// Working days between reminders to an owner who has not answered (default 3).
        #[arg(long, value_name = "DAYS")]
        reminder_days: Option<u32>,
    },
}

#[derive(Subcommand)]
pub enum IdentityCommand {
    /// Record an identity check.
    Verify {
        id: String,
        /// reply-from-address-on-file, account-data-match, document-seen, authorised-agent
        #[arg(long)]
        method: String,
        /// verified or failed
        #[arg(long, default_value = "verified")]
        outcome: String,
        #[arg(long, default_value = "")]
        note: String,
        /// The day of the check, YYYY-MM-DD (default: today).
        #[arg(long, default_value = "")]
        on: String,
    },
    /// Record that proof of identity was asked for (the deadline engine may pause the clock).
    Request {
        id: String,
        #[arg(long, default_value = "")]
        on: String,
    },
    /// List a request's identity checks.
    List { id: String },
    /// Keep identity documents DAYS days after verification (0: delete at verification, the default).
    KeepDocuments { days: u32 },
}

#[derive(Subcommand)]
pub enum EvidenceCommand {
    /// Attach a file to a request.
    Add {
        id: String,
        file: PathBuf,
        /// The data-map system whose task the file belongs to.
        #[arg(long)]
        system: Option<String>,
        /// The task (id or REFERENCE#N) the file belongs to.
        #[arg(long, conflicts_with = "system")]
        task: Option<String>,
        /// The file is an identity document (deleted when the identity is verified).
        #[arg(long)]
        identity_document: bool,
    },
    /// List a request's files.
    List { id: String },
    /// Write a stored file out (decrypted and checked against its SHA-256).
    Get {
        evidence_id: String,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Replace --out if it exists (never the database or its data folders).
        #[arg(long)]
        force: bool,
    },
    /// Remove a file from a request.
    Remove {
        evidence_id: String,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Delete identity documents whose period after verification has run out.
    Purge,
}

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Check the whole trail and every request row against it; exits non-zero and says where when it was tampered with.
    Verify {
        /// Also check it against the anchors mailed by `audit anchor`: an mbox file or a Maildir directory.
        #[arg(long, value_name = "FILE.mbox|DIR")]
        anchors: Option<PathBuf>,
    },
    /// Mail the trail's head (event number, hash, time) to the officer's own mailbox; at most once a day (for cron).
    Anchor,
    /// Export the trail for a regulator (identifiers, actions, hashes; no personal data).
    Export {
        #[arg(long, default_value = "csv")]
        format: String,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Replace --out if it exists (never the database or its data folders).
        #[arg(long)]
        force: bool,
    },
}

fn format_of(raw: Option<&str>, file: Option<&std::path::Path>) -> Result<DataFormat> {
    let hint = raw.map(str::to_string).or_else(|| file.and_then(|f| f.extension()).map(|e| e.to_string_lossy().to_string()));
    hint.as_deref().and_then(DataFormat::parse).ok_or_else(|| Error::invalid("format", "is csv or json"))
}

/// `audit verify --json`: the chain's report, since when the request rows are sealed, and the anchors checked.
#[derive(Serialize)]
struct Verified<'a> {
    #[serde(flatten)]
    report: &'a audit::AuditReport,
    rows_covered_since: Option<Covered<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    anchors: Option<&'a anchor::AnchorReport>,
}

#[derive(Serialize)]
struct Covered<'a> {
    seq: i64,
    at: &'a str,
}

/// The task commands, on either store: the local file or a team register.
pub(crate) fn run_store_task(db: Store<'_>, clock: &dyn Clock, command: TaskCommand, actor: &str, out: &Output) -> Result<()> {
    match command {
        TaskCommand::List { id } => {
            let list = tasks::list(db, &id)?;
            show(out, &list, || task_lines(&list))
        }
        TaskCommand::Done { task, note, exempt, not_held } => {
            let status = if exempt.is_some() {
                TaskStatus::Exempt
            } else if not_held {
                TaskStatus::NotHeld
            } else {
                TaskStatus::Done
            };
            let t = tasks::update(db, clock, &task, &TaskUpdate { status, note, exemption: exempt }, actor)?;
            show(out, &t, || task_lines(std::slice::from_ref(&t)))
        }
        TaskCommand::Assign { task, name, nobody, expect_version } => {
            let name = if nobody { None } else { name };
            let t = tasks::assign(db, clock, &task, name.as_deref(), actor, expect_version)?;
            show(out, &t, || task_lines(std::slice::from_ref(&t)))
        }
        TaskCommand::Reopen { task, note } => {
            let t = tasks::update(db, clock, &task, &TaskUpdate { status: TaskStatus::Open, note, exemption: None }, actor)?;
            show(out, &t, || task_lines(std::slice::from_ref(&t)))
        }
        // The owner's mail goes out through the SMTP settings of the register, with this
        // workstation's SMTP password (keyring or RIGHTSDESK_SMTP_PASSWORD).
        TaskCommand::Send { task } => crate::answer::send(db, clock, &task, actor, out),
        TaskCommand::Owners { id } => crate::answer::list(db, &id, out),
        TaskCommand::CloseFromReply { task } => crate::answer::close_from_reply(db, clock, &task, actor, out),
        TaskCommand::RemindOwners => crate::answer::remind(db, clock, actor, out),
        // Changing them is a setting: on a team register the admin's.
        TaskCommand::OwnerSettings { lead_days, reminder_days } => {
            crate::answer::owner_settings(db, clock, lead_days, reminder_days, actor, out)
        }
        TaskCommand::Generate { id } => {
            let list = tasks::generate(db, clock, &RequestId::from(&id), actor)?;
            show(out, &list, || task_lines(&list))
        }
    }
}

/// The identity commands, on either store: `identity request | verify | list`, and
/// `identity keep-documents` (a setting: on a team register the admin's).
pub(crate) fn run_store_identity(db: Store<'_>, clock: &dyn Clock, command: IdentityCommand, actor: &str, out: &Output) -> Result<()> {
    match command {
        IdentityCommand::Verify { id, method, outcome, note, on } => {
            let input = IdentityInput { method: method.parse()?, outcome: outcome.parse()?, note, on };
            let c = identity::verify(db, clock, &RequestId::from(&id), &input, actor)?;
            show(out, &c, || format!("identity {:?} ({}) on {}", c.outcome, c.method.label(), c.checked_on).to_lowercase())
        }
        IdentityCommand::Request { id, on } => {
            identity::request_proof(db, clock, &RequestId::from(&id), &on, actor)?;
            out.message("recorded: proof of identity requested", &serde_json::json!({ "recorded": true }))
        }
        IdentityCommand::List { id } => {
            let list = identity::list(db, &id)?;
            show(out, &list, || {
                if list.is_empty() {
                    return "no identity checks".into();
                }
                list.iter()
                    .map(|c| format!("{}  {:?}  {}  by {}\n", c.checked_on, c.outcome, c.method.label(), printable(&c.checked_by)))
                    .collect()
            })
        }
        IdentityCommand::KeepDocuments { days } => {
            let d = identity::set_document_days(db, clock, days, actor)?;
            out.message(&format!("identity documents are deleted {d} days after verification"), &serde_json::json!({ "days": d }))
        }
    }
}

/// The data map's commands, on either store: `systems list` (everyone reads it) and
/// `systems import | export | starter` (changing it is, on a team register, the admin's);
/// `destination` says where `export --out` may write.
pub(crate) fn run_store_systems(
    db: Store<'_>,
    clock: &dyn Clock,
    command: SystemsCommand,
    destination: &dyn Fn(&std::path::Path, bool) -> Result<std::path::PathBuf>,
    actor: &str,
    out: &Output,
) -> Result<()> {
    match command {
        SystemsCommand::List => systems_list(db, out),
        SystemsCommand::Import { file, format } => {
            let format = format_of(format.as_deref(), Some(&file))?;
            let bytes = read_file(&file, 10 * 1024 * 1024)?;
            let text = String::from_utf8(bytes).map_err(|_| Error::invalid("import", "the file is not UTF-8 text"))?;
            let s = datamap_io::import(db, clock, &text, format, actor)?;
            show(out, &s, || format!("imported: {} added, {} updated", s.added, s.updated))
        }
        SystemsCommand::Export { format, out: file, force } => {
            let format = format_of(Some(&format), None)?;
            let target = file.as_deref().map(|path| destination(path, force)).transpose()?;
            let text = datamap_io::export(db, format)?;
            match file.zip(target) {
                Some((path, target)) => {
                    rightsdesk_core::files::atomic::write_bytes_as(&target, Overwrite::from_force(force), text.as_bytes())?;
                    out.message(&format!("wrote {}", path.display()), &serde_json::json!({ "written": path }))
                }
                None => crate::output::write_stdout_document(&text, matches!(format, DataFormat::Json)),
            }
        }
        SystemsCommand::Starter => {
            let s = starter::load(db, clock, actor)?;
            show(out, &s, || format!("loaded the starter map: {} systems to edit", s.added))
        }
    }
}

/// `systems list` on either store (everyone may read the data map).
fn systems_list(db: Store<'_>, out: &Output) -> Result<()> {
    let map = datamap::list(db)?;
    show(out, &map, || {
        if map.is_empty() {
            return "the data map is empty (rightsdesk systems starter, or rightsdesk systems import FILE)".into();
        }
        map.iter()
            .map(|s| {
                format!(
                    "{:<32} {:<14} {:<24} {}\n",
                    printable(&s.name),
                    s.role.as_str(),
                    printable(&s.text.location),
                    printable(&s.text.legal_duty)
                )
            })
            .collect()
    })
}

/// The evidence commands that run on either store, the local file or a team register:
/// `evidence add | list | get | remove | purge`. A file goes in and comes out streamed, never held
/// whole; `destination` says where `get` may write (`--out`, `--force`).
pub(crate) fn run_store_evidence(
    db: Store<'_>,
    clock: &dyn Clock,
    command: EvidenceCommand,
    destination: &dyn Fn(&std::path::Path, bool) -> Result<std::path::PathBuf>,
    actor: &str,
    out: &Output,
) -> Result<()> {
    match command {
        EvidenceCommand::Add { id, file, system, task, identity_document } => {
            let name = file.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
            let about = Attach {
                request: &id,
                file_name: &name,
                task: task.as_deref(),
                system: system.as_deref(),
                kind: if identity_document { EvidenceKind::IdentityDocument } else { EvidenceKind::Evidence },
            };
            // Streamed from disk into the store, never read whole.
            let e = evidence::add_file(db, clock, &about, &file, actor)?;
            show(out, &e, || format!("stored {} ({} bytes, SHA-256 {})  id {}", printable(&e.name), e.size, e.sha256, e.id))
        }
        EvidenceCommand::List { id } => {
            let list = evidence::list(db, &id)?;
            show(out, &list, || {
                if list.is_empty() {
                    return "no files".into();
                }
                list.iter().map(|e| format!("{}  {:>10} bytes  {}  {}\n", &e.sha256[..12], e.size, printable(&e.name), e.id)).collect()
            })
        }
        EvidenceCommand::Get { evidence_id, out: file, force } => {
            let target = destination(&file, force)?;
            // Decrypted and checked as it is written: a file that does not match its SHA-256 is never put in place.
            let (e, mut reader) = evidence::open(db, &evidence_id)?;
            rightsdesk_core::files::atomic::write_as(&target, Overwrite::from_force(force), |f| {
                std::io::copy(&mut reader, f).map(|_| ()).map_err(|e| match e.kind() {
                    std::io::ErrorKind::InvalidData => Error::invalid("evidence", e.to_string()),
                    _ => Error::Io(e),
                })
            })?;
            out.message(
                &format!("wrote {} ({} bytes) to {}", printable(&e.name), e.size, file.display()),
                &serde_json::json!({ "written": file }),
            )
        }
        EvidenceCommand::Remove { evidence_id, reason } => {
            evidence::remove(db, clock, &evidence_id, &reason, actor)?;
            out.message("removed", &serde_json::json!({ "removed": evidence_id }))
        }
        // The identity documents whose period after verification has run out.
        EvidenceCommand::Purge => {
            let n = identity::purge_due_documents(db, clock, actor)?;
            out.message(&format!("deleted {n} identity documents"), &serde_json::json!({ "deleted": n }))
        }
    }
}

fn show<T: Serialize>(out: &Output, value: &T, text: impl FnOnce() -> String) -> Result<()> {
    out.message(text().trim_end(), value)
}

fn read_file(path: &std::path::Path, max: u64) -> Result<Vec<u8>> {
    let meta = std::fs::metadata(path).map_err(|_| Error::invalid("file", "cannot be read"))?;
    if !meta.is_file() {
        return Err(Error::invalid("file", "is not a regular file"));
    }
    if meta.len() > max {
        return Err(Error::invalid("file", format!("is larger than {} MiB", max / (1024 * 1024))));
    }
    std::fs::read(path).map_err(|_| Error::invalid("file", "cannot be read"))
}

fn task_lines(list: &[tasks::Task]) -> String {
    if list.is_empty() {
        return "no tasks".into();
    }
    let mut s = String::new();
    for t in list {
        s.push_str(&format!("#{:<3} {:<9} {}\n", t.position, t.status.as_str(), printable(&t.description)));
        if let Some(e) = &t.exemption {
            s.push_str(&format!("      kept: {}\n", printable(&e.to_string())));
        } else if t.status == tasks::TaskStatus::Open && !t.legal_duty.is_empty() {
            if datamap::duty_cites_law(&t.legal_duty) {
                s.push_str(&format!("      legal duty on the map: {}\n", printable(&t.legal_duty)));
            } else {
                s.push_str(&format!("      own policy on the map (cites no law, not a legal obligation): {}\n", printable(&t.legal_duty)));
            }
        }
        if let Some(who) = &t.assignee {
            s.push_str(&format!("      assigned to {}\n", printable(who)));
        }
        if !t.note.is_empty() {
            s.push_str(&format!("      note: {}\n", printable(&t.note)));
        }
        if let (Some(by), Some(at)) = (&t.closed_by, t.closed_at) {
            s.push_str(&format!("      by {} at {}\n", printable(&by.to_string()), at.format("%Y-%m-%d %H:%M UTC")));
        }
    }
    s
}

pub fn run(cmd: WorkCommand, db: &Db, clock: &dyn Clock, actor: &str, out: &Output) -> Result<()> {
    match cmd {
        WorkCommand::Systems(cmd) => {
            run_store_systems(db.into(), clock, cmd, &|path, force| crate::destination(db, path, force), actor, out)
        }
        WorkCommand::Task(cmd) => run_store_task(db.into(), clock, cmd, actor, out),
        WorkCommand::Identity(cmd) => run_store_identity(db.into(), clock, cmd, actor, out),
        WorkCommand::Evidence(e) => {
            run_store_evidence(Store::from(db), clock, e, &|path, force| crate::destination(db, path, force), actor, out)
        }
        WorkCommand::Audit(AuditCommand::Verify { anchors }) => {
            let report = audit::verify(db)?;
            let baseline = audit::state_baseline(db)?;
            let anchored = anchors.as_deref().map(|source| anchor::check(db, source)).transpose()?;
            verified(out, &report, baseline, anchored, anchors.as_deref())
        }
        WorkCommand::Audit(AuditCommand::Anchor) => audit_anchor(db.into(), clock, actor, out),
        WorkCommand::Audit(AuditCommand::Export { format, out: file, force }) => {
            audit_export(db.into(), &format, &file, force, &|path, force| crate::destination(db, path, force), out)
        }
    }
}

/// `audit export` on either store: the trail for a regulator written to `file` (where
/// `destination` allows: never over the register's own files), the chain verified first.
pub(crate) fn audit_export(
    store: Store<'_>,
    format: &str,
    file: &std::path::Path,
    force: bool,
    destination: &dyn Fn(&std::path::Path, bool) -> Result<std::path::PathBuf>,
    out: &Output,
) -> Result<()> {
    let format = format_of(Some(format), None)?;
    let target = destination(file, force)?;
    let text = audit::export(store, format)?;
    rightsdesk_core::files::atomic::write_bytes_as(&target, Overwrite::from_force(force), text.as_bytes())?;
    out.message(&format!("wrote {}", file.display()), &serde_json::json!({ "written": file }))
}

/// `audit anchor` on either store: the chain's head mailed to the officer's own mailbox, at
/// most once a day, and what happened said.
pub fn audit_anchor(store: Store<'_>, clock: &dyn Clock, actor: &str, out: &Output) -> Result<()> {
    let outcome = anchor::run_if_due(store, clock, &rightsdesk_core::secrets::OsKeyring::default(), actor)?;
    let text = match &outcome {
        anchor::AnchorOutcome::Sent { anchor, to, .. } => {
            format!("anchored event {} (hash {}) in a message to {to}", anchor.seq, anchor.hash)
        }
        anchor::AnchorOutcome::AlreadySentToday { at } => format!("not sent: an anchor already went out today ({at})"),
        anchor::AnchorOutcome::NotSetUp { why } => format!("not sent: {why}"),
        anchor::AnchorOutcome::NothingToAnchor => "not sent: the audit trail is still empty".to_string(),
    };
    out.message(&text, &outcome)
}

/// Prints `audit verify`'s result (the chain's report, since when the request rows are
/// sealed, the anchors checked from `anchors`) on either store; an error when it does not hold.
pub fn verified(
    out: &Output,
    report: &audit::AuditReport,
    baseline: Option<(i64, String)>,
    anchored: Option<anchor::AnchorReport>,
    anchors: Option<&std::path::Path>,
) -> Result<()> {
    let json =
        Verified { report, rows_covered_since: baseline.as_ref().map(|(seq, at)| Covered { seq: *seq, at }), anchors: anchored.as_ref() };
    let mut text: String = if report.intact {
        let mut t = format!("the audit trail is intact: {} events checked\nhead hash: {}", report.checked, report.head_hash);
        if let Some((seq, at)) = &baseline {
            t.push_str(&format!(
                "\nrequest rows covered since event {seq} ({}), when this version sealed them as they stood",
                &at[..10.min(at.len())]
            ));
        }
        t
    } else {
        report.problems.iter().map(|p| format!("event {}: {}", p.seq, p.problem)).collect::<Vec<_>>().join("\n")
    };
    if let (Some(a), Some(source)) = (&anchored, anchors) {
        text.push_str(&format!(
            "\nanchors: {} found in {} ({} messages), {} on this chain; newest anchored event: {}",
            a.found,
            source.display(),
            a.messages,
            a.matched,
            a.newest_matched_seq.map_or_else(|| "none".to_string(), |s| s.to_string())
        ));
        for p in &a.problems {
            text.push_str(&format!("\nanchor: {p}"));
        }
    }
    out.message(&text, &json)?;
    if !report.intact {
        let first = &report.problems[0];
        return Err(Error::invalid("audit", format!("the trail was tampered with; it first breaks at event {}", first.seq)));
    }
    match &anchored {
        Some(a) if !a.problems.is_empty() => {
            Err(Error::invalid("anchors", format!("{} anchor(s) are not on this chain: its history was rewritten", a.problems.len())))
        }
        Some(a) if a.found == 0 => Err(Error::invalid("anchors", "no Rightsdesk audit anchor was found in that mailbox")),
        _ => Ok(()),
    }
}
