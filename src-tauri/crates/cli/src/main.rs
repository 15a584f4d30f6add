//! `rightsdesk`, the command line: the same core as the app, without WebKit.
//! For scripts, cron jobs and headless checks. Human output by default,
//! `--json` for scripts; any error goes to stderr with a non-zero exit status.

mod answer;
mod conversation;
mod deadline;
mod import;
mod log;
mod mail;
mod mailbox;
mod output;
mod package;
mod register;
mod safety;
mod security;
mod team;
mod team_register;
mod work;
mod workspace;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use rightsdesk_core::clock::SystemClock;
use rightsdesk_core::domain::RequestId;
use rightsdesk_core::domain::{Identifier, NewRequest, RequestType, Status};
use rightsdesk_core::requests;
use rightsdesk_core::requests::rows::{RequestFilter, SortOrder};
use rightsdesk_core::secrets::OsKeyring;
use rightsdesk_core::store::{Db, Store};
use rightsdesk_core::workspace::current_actor;
use rightsdesk_core::{Error, Result};

#[derive(Parser)]
#[command(name = "rightsdesk", version, about = "Data-subject requests, on time and on record.")]
struct Cli {
    /// The database file. Default: RIGHTSDESK_DB, else the one the app uses in the platform data directory.
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,

    /// Print JSON for scripts instead of text for people.
    #[arg(long, global = true)]
    json: bool,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Register, list, show requests and change their status.
    #[command(subcommand)]
    Request(RequestCommand),
    /// Load the demo data set into an empty database.
    #[command(subcommand)]
    Demo(DemoCommand),
    #[command(flatten)]
    Work(work::WorkCommand),
    /// Every date of a request under a law, with the explanation (no database needed).
    Deadline(Box<deadline::DeadlineArgs>),
    /// The public holidays the engine uses for a jurisdiction and year.
    Holidays(deadline::HolidaysArgs),
    /// Encrypt an unencrypted database in place (atomic; keeps every request). The key is
    /// RIGHTSDESK_PASSPHRASE if set, else a new random key kept in the OS keyring.
    Encrypt,
    /// Manage the database key.
    #[command(subcommand)]
    Key(KeyCommand),
    /// The mail server letters go through.
    #[command(subcommand)]
    Smtp(mail::SmtpCommand),
    /// Write a letter to a request's subject from a template; queues it and prints its id.
    Letter(Box<mail::LetterArgs>),
    /// The privacy mailbox (IMAP): set it up, test the login, fetch new messages.
    #[command(subcommand)]
    Mailbox(mailbox::MailboxCommand),
    /// Messages fetched from the mailbox: list them, accept one as a request, dismiss or link it.
    #[command(subcommand)]
    Intake(mailbox::IntakeCommand),
    /// A request's mails out and in: list them, record one as identity or clarification received, save an attachment.
    #[command(subcommand)]
    Mail(conversation::MailCommand),
    /// Letters waiting, sent, failed or unknown; send them.
    #[command(subcommand)]
    Outbox(mail::OutboxCommand),
    /// Requests due soon or overdue; --send mails the officer each reminder once (for cron).
    #[command(alias = "remind")]
    Reminders(mail::RemindersArgs),
    /// Export every open due date as an iCalendar file.
    Calendar {
        #[arg(long, value_name = "FILE.ics")]
        out: PathBuf,
        /// Replace the file if it exists (never the database or its data folders).
        #[arg(long)]
        force: bool,
    },
    /// Send the answer: the response letter, with the package attached when the mail server takes it;
    /// the request is completed on the day the server accepted it.
    Answer(Box<answer::AnswerArgs>),
    /// Build the answer package for an access or portability request (`package ID --out FILE`),
    /// or check one (`package verify FILE`).
    Package(package::PackageArgs),
    /// Import requests in bulk from a CSV file.
    #[command(subcommand)]
    Import(import::ImportCommand),
    /// Export the register.
    #[command(subcommand)]
    Export(register::ExportCommand),
    /// Yearly figures per request type: received, complied with, denied, days to respond (CCPA regulations §7102).
    Metrics(register::MetricsArgs),
    /// Back up the database and its evidence files into one encrypted file (online; the app may stay open).
    Backup(safety::BackupArgs),
    /// Restore a backup as the database (--db, or the default one); refuses to replace one unless --force.
    Restore(safety::RestoreArgs),
    /// Remove the personal data of requests closed longer than their retention period (--dry-run to preview).
    Purge(safety::PurgeArgs),
    /// The retention period per regime.
    #[command(subcommand)]
    Retention(safety::RetentionCommand),
    /// What is overdue, due soon and needs attention today; counts and the on-time rate.
    Dashboard,
    /// Change the status of, or mark as duplicates, many requests at once (all or nothing).
    #[command(subcommand)]
    Bulk(workspace::BulkCommand),
    /// A team register on PostgreSQL: create it, add people in roles, list them (--db postgresql://...);
    /// move a register file into it (migrate) and copy it back into a file (export).
    #[command(subcommand)]
    Team(team::TeamCommand),
}

#[derive(Subcommand)]
enum KeyCommand {
    /// Re-encrypt the database under a new key: a passphrase read from the named
    /// environment variable, or (without the flag) a new random key kept in the OS keyring.
    Change {
        #[arg(long, value_name = "VAR")]
        new_passphrase_env: Option<String>,
    },
}

#[derive(Subcommand)]
enum DemoCommand {
    /// Load invented requests at every stage (only into an empty database).
    Load,
}

#[derive(Subcommand)]
enum RequestCommand {
    /// Register a new request; prints it with its due date.
    Add(Box<AddArgs>),
    /// List requests, by due date (soonest first).
    ///
    /// Reads only (it works while the app is open), so it writes nothing: dates computed under an
    /// older version's rules show as stored until a command that writes, or the app, opens the register.
    List(ListArgs),
    /// Show one request with its dates and timeline (ID or reference such as DSR-2025-0001).
    Show { id: String },
    /// Our contractual assistance period for requests handled as processor (the data
    /// processing agreements with the customers), in days; `none` tracks the controller's date only.
    ProcessorDays { days: String },
    /// Move a request to another status.
    Status {
        id: String,
        /// received, awaiting-identity, in-progress, paused, awaiting-clarification, completed, refused, withdrawn, duplicate
        status: String,
        /// Why (required for refused and duplicate).
        #[arg(long)]
        reason: Option<String>,
        /// Change it only if it is still at this version (`request show` prints it): refused
        /// with "changed by NAME at TIME — reload" if someone changed it since.
        #[arg(long, value_name = "N")]
        expect_version: Option<i64>,
    },
}

#[derive(Args)]
struct AddArgs {
    /// access, erasure, rectification, portability, restriction, objection, opt-out-sale-sharing, limit-sensitive, appeal, complaint (UK only), other
    #[arg(long = "type", value_name = "TYPE")]
    request_type: String,
    /// The law, e.g. eu-gdpr, uk-gdpr, ccpa.
    #[arg(long)]
    regime: String,
    /// Where it applies, e.g. DE, GB-ENG, US-CA (default: the regime's usual one).
    #[arg(long, default_value = "")]
    jurisdiction: String,
    /// Date of receipt (YYYY-MM-DD, organisation's local date) or an RFC 3339 instant.
    #[arg(long)]
    received: String,
    /// The subject's name.
    #[arg(long)]
    name: String,
    /// The subject's email address.
    #[arg(long, default_value = "")]
    email: String,
    /// Another identifier, KIND=VALUE (e.g. "customer id=C-1042"); repeatable.
    #[arg(long = "identifier", value_name = "KIND=VALUE")]
    identifiers: Vec<String>,
    /// email, web-form, letter, phone, in-person, via-customer
    #[arg(long, default_value = "email")]
    channel: String,
    /// IANA time zone of receipt (default: the organisation's).
    #[arg(long, default_value = "")]
    time_zone: String,
    #[arg(long, default_value = "")]
    notes: String,
    /// Names this registration: run again with the same KEY (say, after the command was
    /// killed before it printed), it prints the request already registered instead of a duplicate.
    #[arg(long, value_name = "KEY")]
    idempotency_key: Option<String>,
    /// For an appeal: the reference of the earlier request whose decision it appeals
    /// (required under a US state law).
    #[arg(long, value_name = "REFERENCE")]
    appeal_of: Option<String>,
    /// Received as a processor for this customer, the controller: the request is tracked against
    /// the controller's deadline (give --regime and --received as the controller's) and only the
    /// forward to the controller (processor-forward) and the notice to the subject (processor-notice) can be written.
    #[arg(long, value_name = "CONTROLLER")]
    processor_for: Option<String>,
    /// With --processor-for: the controller's privacy contact, where the request is forwarded.
    #[arg(long, value_name = "EMAIL", requires = "processor_for")]
    controller_email: Option<String>,
    /// With --processor-for: the day we received the request (default: --received).
    #[arg(long, value_name = "DATE", requires = "processor_for")]
    received_by_us: Option<String>,
}

#[derive(Args)]
struct ListArgs {
    #[arg(long)]
    status: Option<String>,
    #[arg(long = "type", value_name = "TYPE")]
    request_type: Option<String>,
    /// Only requests still open.
    #[arg(long)]
    open: bool,
    /// Search subject names, emails, references, ids and notes.
    #[arg(long)]
    search: Option<String>,
    /// due (soonest first), due-desc, received (newest first), received-asc, reference, subject, status, target
    #[arg(long, default_value = "due")]
    sort: String,
    /// Only requests with an open task assigned to you (`task assign`): on a team register
    /// your login; on a register file the name you work under ($USER).
    #[arg(long)]
    assigned_to_me: bool,
    #[arg(long, default_value_t = 500)]
    limit: u32,
}

/// The exit status after the reader of stdout went away (`| head -1`): what a
/// shell reports for a process ended by SIGPIPE, which scripts already expect.
const CLOSED_STDOUT: u8 = 141;

fn main() -> ExitCode {
    // A panic's message may quote personal data being processed: print only where it happened.
    std::panic::set_hook(Box::new(|info| {
        // A `println!` not yet moved to `output::write_stdout` panics when stdout is gone: end as that does.
        let payload = info.payload();
        let message = payload.downcast_ref::<String>().map(String::as_str).or_else(|| payload.downcast_ref::<&str>().copied());
        let message = message.unwrap_or("");
        if let Some(reason) = message.strip_prefix("failed printing to stdout: ") {
            if reason.contains("(os error 32)") {
                std::process::exit(i32::from(CLOSED_STDOUT));
            }
            eprintln!("rightsdesk: could not write the output: {reason}");
            std::process::exit(1);
        }
        let at = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
        eprintln!("rightsdesk: internal error at {at} (details withheld: they may contain personal data)");
    }));
    let matches = <Cli as clap::CommandFactory>::command().get_matches();
    let cli = <Cli as clap::FromArgMatches>::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let needs_register = !matches!(cli.command, Command::Deadline(_) | Command::Holidays(_));
    let name = log::command_name(&matches);
    let log = log::Log::start(db_path(cli.db.clone()).ok().filter(|_| needs_register), name.clone());
    let result = run(cli, &name).and_then(|()| {
        use std::io::Write as _;
        std::io::stdout().flush().map_err(|e| output::StdoutFailed::wrap(&e))
    });
    log.finish(&result);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => match output::stdout_failure(&e) {
            // Nobody reads any more: nothing to say, and no one to say it to.
            Some((std::io::ErrorKind::BrokenPipe, _)) => ExitCode::from(CLOSED_STDOUT),
            Some((_, failed)) => {
                eprintln!("rightsdesk: {failed}");
                ExitCode::FAILURE
            }
            None => {
                eprintln!("rightsdesk: {}", output::defused(&e.to_string(), false));
                ExitCode::FAILURE
            }
        },
    }
}

fn db_path(db: Option<PathBuf>) -> Result<PathBuf> {
    db.or_else(rightsdesk_core::paths::default_db_path)
        .ok_or_else(|| Error::invalid("db", "no data directory found; give --db PATH or set RIGHTSDESK_DB"))
}

/// Opens the register for work as the app does ([`rightsdesk_core::open`]): its key from
/// RIGHTSDESK_PASSPHRASE or the OS keyring, then open requests' dates brought up to this
/// version's rules. When that fails, stderr says so and the command runs on the stored dates.
fn open(db: Option<PathBuf>) -> Result<Db> {
    let opened = rightsdesk_core::open(&db_path(db)?, &OsKeyring::default())?;
    if let Some(e) = &opened.refresh_failed {
        eprintln!(
            "rightsdesk: warning: the dates of open requests could not be brought up to this version's rules ({}); they stay as stored",
            output::defused(&e.to_string(), false)
        );
    }
    Ok(opened.db)
}

/// Opens the database for reading only (no writer lock; see `store::lock`). It writes nothing,
/// so dates computed under older rules are shown as stored until a command that writes runs.
fn open_read_only(db: Option<PathBuf>) -> Result<Db> {
    rightsdesk_core::workspace::open_read_only(&db_path(db)?, &OsKeyring::default())
}

/// Where a command may write `path`: never over the database, its companion files, its evidence,
/// the app's data directory or the backup folder; over an existing file only with `--force`
/// (see `rightsdesk_core::files::destination`). Returns the path to write.
fn destination(db: &Db, path: &std::path::Path, force: bool) -> Result<PathBuf> {
    use rightsdesk_core::files::destination::{self, Overwrite};
    destination::check(path, &rightsdesk_core::backups::protected(db)?, Overwrite::from_force(force))
}

/// Commands that may start a new register where no database is yet; every other command
/// refuses a path with no database (`no database at PATH`) and creates nothing there.
fn may_create(command: &Command) -> bool {
    match command {
        Command::Request(RequestCommand::Add(_)) | Command::Demo(_) | Command::Import(_) => true,
        Command::Smtp(mail::SmtpCommand::Set(_)) => true,
        Command::Mailbox(c) => c.may_create(),
        Command::Retention(c) => !c.reads_only(),
        Command::Work(c) => c.may_create(),
        _ => false,
    }
}

/// Commands that only read the database (they may write files elsewhere, such as an export or a backup).
fn reads_only(command: &Command) -> bool {
    match command {
        Command::Request(RequestCommand::List(_) | RequestCommand::Show { .. }) => true,
        Command::Dashboard | Command::Export(_) | Command::Metrics(_) | Command::Calendar { .. } | Command::Backup(_) => true,
        Command::Purge(a) => a.dry_run(),
        Command::Retention(c) => c.reads_only(),
        Command::Work(c) => c.reads_only(),
        Command::Intake(c) => c.reads_only(),
        Command::Mail(c) => c.reads_only(),
        Command::Mailbox(c) => c.reads_only(),
        _ => false,
    }
}

fn parse_status(s: &str) -> Result<Status> {
    s.parse().map_err(|_| {
        let names: Vec<_> = Status::ALL.iter().map(|s| s.as_str()).collect();
        Error::invalid("status", format!("is not a known status (one of: {})", names.join(", ")))
    })
}

/// Runs the command `name` (as typed, without its arguments: `request list`).
fn run(cli: Cli, name: &str) -> Result<()> {
    let clock = SystemClock;
    let out = output::Output { json: cli.json };
    match &cli.command {
        Command::Deadline(a) => return deadline::deadline(a, &out),
        Command::Holidays(a) => return deadline::holidays(a, &out),
        _ => {}
    }
    // A team register is a PostgreSQL database, not a file: its own connection and rules.
    let cli = match cli.command {
        Command::Team(c) => return team::run(cli.db, c, &out),
        command => Cli { command, ..cli },
    };
    // A team register's address (--db or RIGHTSDESK_DB postgresql://…): the commands that
    // work on one run there; every other is refused before anything is opened.
    if let Some(url) = team_register::address(cli.db.as_deref())? {
        return team_register::run(&url, cli.command, name, &out);
    }
    if let Command::Encrypt = cli.command {
        let path = db_path(cli.db)?;
        rightsdesk_core::store::require_existing(&path)?;
        return security::encrypt(&path, &out);
    }
    if let Command::Key(KeyCommand::Change { new_passphrase_env }) = cli.command {
        let path = db_path(cli.db)?;
        rightsdesk_core::store::require_existing(&path)?;
        return security::change_key(&path, new_passphrase_env.as_deref(), &out);
    }
    if let Command::Package(package::PackageArgs { command: Some(package::PackageCommand::Verify { file, passphrase_env }), .. }) =
        &cli.command
    {
        return package::verify(file, passphrase_env.as_deref(), &out);
    }
    if let Command::Restore(a) = &cli.command {
        // Into a team database (--to) or only checked: no register file is involved.
        if !a.writes_a_file()? {
            return safety::restore(std::path::Path::new(""), a, &out);
        }
        return safety::restore(&db_path(cli.db.clone())?, a, &out);
    }
    // Reading commands open the database read-only and without the writer lock, so they
    // work while the app (or another writer) has it open; every other command takes the lock.
    if !may_create(&cli.command) {
        rightsdesk_core::store::require_existing(&db_path(cli.db.clone())?)?;
    }
    let db = if reads_only(&cli.command) { open_read_only(cli.db)? } else { open(cli.db)? };
    match cli.command {
        Command::Work(cmd) => work::run(cmd, &db, &clock, &current_actor(), &out),
        Command::Encrypt | Command::Key(_) | Command::Deadline(_) | Command::Holidays(_) | Command::Restore(_) | Command::Team(_) => Ok(()),
        Command::Smtp(c) => mail::smtp(&db, c, &out),
        Command::Mailbox(c) => mailbox::mailbox(&db, c, &out),
        Command::Intake(c) => mailbox::intake(&db, c, &out),
        Command::Mail(c) => conversation::run(&db, &clock, c, &out),
        Command::Letter(a) => mail::letter(&db, *a, &out),
        Command::Outbox(c) => mail::outbox_command(&db, c, &out),
        Command::Reminders(a) => mail::reminders(&db, a, &out),
        Command::Calendar { out: path, force } => mail::calendar(&db, &path, force, &out),
        Command::Package(a) => package::build(&db, &clock, a, &out),
        Command::Answer(a) => answer::answer(&db, &clock, *a, &current_actor(), &out),
        Command::Import(c) => import::run(&db, &clock, c, &out),
        Command::Export(c) => register::export(&db, c, &out),
        Command::Metrics(a) => register::metrics(&db, &clock, a, &out),
        Command::Backup(a) => safety::backup(&db, &clock, &a, &out),
        Command::Purge(a) => safety::purge(&db, &clock, &a, &out),
        Command::Retention(c) => safety::retention(&db, &clock, &c, &out),
        Command::Demo(DemoCommand::Load) => {
            let n = rightsdesk_core::workspace::demo::load(&db, &clock, &current_actor())?;
            out.message(&format!("loaded {n} demo requests"), &serde_json::json!({ "loaded": n }))
        }
        Command::Request(RequestCommand::Add(a)) => request_add(&db, &clock, *a, &current_actor(), &out),
        Command::Request(RequestCommand::ProcessorDays { days }) => processor_days(&db, &clock, &days, &current_actor(), &out),
        Command::Request(RequestCommand::List(a)) => request_list(&db, &clock, a, &out),
        Command::Dashboard => workspace::show_dashboard(&db, &clock, &out),
        Command::Bulk(c) => workspace::run_bulk(&db, &clock, c, &current_actor(), &out),
        Command::Request(RequestCommand::Show { id }) => conversation::show_request(&db, &clock, &id, &out),
        Command::Request(RequestCommand::Status { id, status, reason, expect_version }) => {
            request_status(&db, &clock, &id, &status, reason.as_deref(), expect_version, &current_actor(), &out)
        }
    }
}

/// `request add` on either store: `actor` is who the timeline names (on a team register the
/// server records its login whatever is sent).
fn request_add<'a>(
    store: impl Into<Store<'a>>,
    clock: &dyn rightsdesk_core::clock::Clock,
    a: AddArgs,
    actor: &str,
    out: &output::Output,
) -> Result<()> {
    let store = store.into();
    let mut identifiers = Vec::new();
    for raw in &a.identifiers {
        let (kind, value) =
            raw.split_once('=').ok_or_else(|| Error::invalid("identifier", "must be KIND=VALUE, e.g. \"customer id=C-1042\""))?;
        identifiers.push(Identifier { kind: kind.into(), value: value.into() });
    }
    let input = NewRequest {
        request_type: a.request_type.parse()?,
        regime: a.regime,
        jurisdiction: a.jurisdiction,
        subject_name: a.name,
        subject_email: a.email,
        identifiers,
        channel: if a.channel.trim().is_empty() { None } else { Some(a.channel.parse()?) },
        received: a.received,
        time_zone: a.time_zone,
        notes: a.notes,
        idempotency_key: a.idempotency_key,
        appeal_of: a.appeal_of,
    };
    if let Some(controller) = a.processor_for {
        let role = requests::processor::ProcessorInput {
            controller,
            controller_email: a.controller_email.unwrap_or_default(),
            received_by_us: a.received_by_us,
        };
        let (request, role) = requests::processor::register(store, clock, &input, &role, actor)?;
        return out.processor_request(&request, &role);
    }
    let request = requests::register(store, clock, &input, actor)?;
    out.request(&request)
}

/// `request list` on either store.
fn request_list<'a>(
    store: impl Into<Store<'a>>,
    clock: &dyn rightsdesk_core::clock::Clock,
    a: ListArgs,
    out: &output::Output,
) -> Result<()> {
    let store = store.into();
    let filter = RequestFilter {
        status: a.status.as_deref().map(parse_status).transpose()?,
        request_type: a.request_type.as_deref().map(str::parse::<RequestType>).transpose()?,
        open_only: a.open,
        search: a.search,
        sort: match a.sort.as_str() {
            "due" => SortOrder::DueAsc,
            "due-desc" => SortOrder::DueDesc,
            "received" => SortOrder::ReceivedDesc,
            "received-asc" => SortOrder::ReceivedAsc,
            "reference" => SortOrder::ReferenceAsc,
            "subject" => SortOrder::SubjectAsc,
            "status" => SortOrder::StatusAsc,
            "target" => SortOrder::TargetAsc,
            _ => {
                return Err(Error::invalid("sort", "is one of: due, due-desc, received, received-asc, reference, subject, status, target"))
            }
        },
        limit: Some(a.limit),
        offset: None,
        assigned_to_me: a.assigned_to_me,
        me: Some(current_actor()),
    };
    out.list(&requests::list(store, clock, &filter)?)
}

/// `request status` on either store.
#[allow(clippy::too_many_arguments)]
fn request_status<'a>(
    store: impl Into<Store<'a>>,
    clock: &dyn rightsdesk_core::clock::Clock,
    id: &str,
    status: &str,
    reason: Option<&str>,
    expect_version: Option<i64>,
    actor: &str,
    out: &output::Output,
) -> Result<()> {
    let to = parse_status(status)?;
    let id = RequestId::from(id);
    let detail = requests::change_status_expecting(store, clock, &id, to, reason, actor, expect_version)?;
    out.detail(&detail)
}

/// `request processor-days DAYS|none` on either store (a setting: on a team register the admin's).
fn processor_days<'a>(
    store: impl Into<Store<'a>>,
    clock: &dyn rightsdesk_core::clock::Clock,
    days: &str,
    actor: &str,
    out: &output::Output,
) -> Result<()> {
    let days = match days.trim() {
        "none" => None,
        d => Some(d.parse().map_err(|_| Error::invalid("days", "is a number of days (1–365), or none"))?),
    };
    requests::processor::set_assistance_days(store, clock, days, actor)?;
    let text = match days {
        Some(d) => format!("processor requests: our assistance period is {d} days from our receipt"),
        None => "processor requests: no assistance period; the controller's date is tracked".into(),
    };
    out.message(&text, &serde_json::json!({ "assistance_days": days }))
}
