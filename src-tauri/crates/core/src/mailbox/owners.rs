//! Asking the colleagues who hold the data (issue 17, item 5).
//!
//! **Send to owner** mails a task's system owner (the data map's `owner_contact`)
//! the data map's instructions for the work the request needs (search, export,
//! delete), only what is needed to find the subject (name, email address, the
//! identifiers recorded), and the task's due date: the request's internal target
//! less a number of working days (the organisation's setting, default
//! [`DEFAULT_LEAD_DAYS`]) under the request's own holiday calendar. The mail is
//! a letter in the outbox (queued with its `letter-queued` event and its
//! Message-ID before any network traffic: nothing lost or doubled), in the mail
//! settings' language, from the templates `owner-request` and `owner-reminder`.
//!
//! **The owner's reply** is filed by `fetch` like any reply (its In-Reply-To or
//! References names our mail); [`on_reply_in`] then files its attachments as
//! evidence on the task and, when its first word is DONE or NOT HELD
//! (ERLEDIGT / NICHT VORHANDEN, FAIT / AUCUNE DONNÉE), offers the officer to
//! close the task so. Closing is the officer's act: [`close_task_from_reply`].
//!
//! **Reminders** ([`remind_owners`]): an owner who has not answered gets one
//! reminder every N working days (setting, default [`DEFAULT_REMINDER_DAYS`]),
//! and no owner gets more than one mail of ours a day. Idempotent: the app
//! calls it on start and after a fetch, the CLI on `mailbox fetch` or
//! `task remind-owners`.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::parse::Parsed;
use crate::clock::Clock;
use crate::datamap;
use crate::domain::lang::Lang;
use crate::domain::Request;
use crate::error::{Error, Result};
use crate::evidence::stored::{self, Sealed};
use crate::letters::compose;
use crate::letters::outbox::{self, LetterState, NewLetter};
use crate::letters::render;
use crate::letters::sender::{self, SendReport};
use crate::letters::templates::{self, TemplateName};
use crate::letters::Passwords;
use crate::settings::{self, mail::MailSettings};
use crate::store::events::{self, EventKind, NewEvent};
use crate::store::row;
use crate::store::{Conn, Dialect, Row, Store};
use crate::tasks::{self, Task, TaskAction, TaskStatus};

/// The organisation's setting: how many working days before the internal target an owner is asked to answer.
pub const LEAD_DAYS_KEY: &str = "owners.lead_working_days";
/// The organisation's setting: working days between reminders to an owner who has not answered.
pub const REMINDER_DAYS_KEY: &str = "owners.reminder_working_days";
pub const DEFAULT_LEAD_DAYS: u32 = 2;
pub const DEFAULT_REMINDER_DAYS: u32 = 3;

/// How owners are asked: the due date's lead before the internal target, and the reminder interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct OwnerSettings {
    /// The task's due date is the request's internal target less this many working days.
    pub lead_working_days: u32,
    /// An owner who has not answered is reminded every this many working days.
    pub reminder_working_days: u32,
}

fn number(conn: Conn<'_>, key: &str, default: u32) -> Result<u32> {
    match settings::get(conn, key)? {
        Some(v) => v.parse().map_err(|_| Error::Internal(format!("the setting {key} is not a number"))),
        None => Ok(default),
    }
}

fn owner_settings_in(conn: Conn<'_>) -> Result<OwnerSettings> {
    Ok(OwnerSettings {
        lead_working_days: number(conn, LEAD_DAYS_KEY, DEFAULT_LEAD_DAYS)?,
        reminder_working_days: number(conn, REMINDER_DAYS_KEY, DEFAULT_REMINDER_DAYS)?,
    })
}

pub fn owner_settings<'a>(store: impl Into<Store<'a>>) -> Result<OwnerSettings> {
    store.into().read(owner_settings_in)
}

/// Changes the settings, with a `settings-changed` event. On a team register
/// settings are the admin's: the server refuses an officer's change.
pub fn set_owner_settings<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, new: &OwnerSettings, actor: &str) -> Result<OwnerSettings> {
    if new.lead_working_days > 60 {
        return Err(Error::invalid("lead_working_days", "must be at most 60 working days"));
    }
    if !(1..=60).contains(&new.reminder_working_days) {
        return Err(Error::invalid("reminder_working_days", "must be between 1 and 60 working days"));
    }
    store.into().write(|tx| {
        settings::set(tx, LEAD_DAYS_KEY, &new.lead_working_days.to_string())?;
        settings::set(tx, REMINDER_DAYS_KEY, &new.reminder_working_days.to_string())?;
        events::append(
            tx,
            None,
            clock.now(),
            actor,
            NewEvent {
                kind: EventKind::SettingsChanged,
                summary: format!(
                    "Owners are asked to answer {} working days before the internal target and reminded every {} working days",
                    new.lead_working_days, new.reminder_working_days
                ),
                data: json!({ "key": "owners", "lead_working_days": new.lead_working_days, "reminder_working_days": new.reminder_working_days }),
            },
        )?;
        owner_settings_in(tx)
    })
}

/// A mail of ours to a system's owner about a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct OwnerMail {
    pub id: String,
    pub task_id: String,
    pub letter_id: String,
    /// `request` (Send to owner) or `reminder`.
    pub kind: String,
    /// The owner's address.
    pub to: String,
    /// The date the owner is asked to answer by.
    pub due: Option<NaiveDate>,
    pub queued_at: DateTime<Utc>,
    /// The outbox's state of the mail.
    pub state: LetterState,
    pub sent_at: Option<DateTime<Utc>>,
    pub message_id: String,
}

/// Where an owner's reply stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "kebab-case")]
pub enum ReplyState {
    /// Its first word offers to close the task: waiting for the officer.
    Offered,
    /// The officer closed the task from it.
    Closed,
    /// It offers nothing (or the task was closed otherwise).
    None,
}

impl ReplyState {
    fn as_str(self) -> &'static str {
        match self {
            ReplyState::Offered => "offered",
            ReplyState::Closed => "closed",
            ReplyState::None => "none",
        }
    }

    fn parse(s: &str) -> Option<ReplyState> {
        [ReplyState::Offered, ReplyState::Closed, ReplyState::None].into_iter().find(|r| r.as_str() == s)
    }
}

/// An owner's reply filed on a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct OwnerReply {
    pub id: String,
    pub task_id: String,
    /// The filed message (intake item, state `linked`).
    pub intake_item: String,
    pub from: String,
    pub subject: String,
    /// The server's arrival time.
    pub received_at: DateTime<Utc>,
    /// What its first word offers: `done` or `not-held`.
    pub suggestion: Option<TaskStatus>,
    pub state: ReplyState,
    /// The evidence files made of its attachments (on the task).
    pub evidence: Vec<String>,
}

/// What the task list shows of a task's owner: whom we asked, when, and what came back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TaskOwner {
    pub task_id: String,
    /// The data map's owner address, when the system has a usable one.
    pub owner: Option<String>,
    /// Why the task cannot be sent to its owner (no system, no owner contact, …), for the button's hint.
    pub cannot_send: Option<String>,
    pub mails: Vec<OwnerMail>,
    pub replies: Vec<OwnerReply>,
}

impl TaskOwner {
    /// The newest reply that offers a close, if the officer has not acted on it.
    pub fn offer(&self) -> Option<&OwnerReply> {
        self.replies.iter().rev().find(|r| r.state == ReplyState::Offered)
    }
}

/// An owner contact from the data map as an address: `jane@x`, or `Jane Doe <jane@x>`.
fn owner_address(system: &str, contact: &str) -> Result<String> {
    let contact = contact.trim();
    if contact.is_empty() {
        return Err(Error::invalid(
            "owner_contact",
            format!("the data map names no owner for {system}; add the owner's email address to the system in the data map"),
        ));
    }
    let address = match (contact.find('<'), contact.rfind('>')) {
        (Some(a), Some(b)) if a < b => contact[a + 1..b].trim(),
        _ => contact,
    };
    settings::mail::valid_address("owner_contact", address).map_err(|_| {
        Error::invalid(
            "owner_contact",
            format!("the owner contact of {system} in the data map is not an email address; write it as name@example.org"),
        )
    })?;
    Ok(address.to_ascii_lowercase())
}

fn org_zone(conn: Conn<'_>) -> Result<Tz> {
    Ok(settings::get(conn, settings::ORG_TIME_ZONE)?.and_then(|z| z.parse().ok()).unwrap_or(Tz::UTC))
}

/// What the owner is asked to do, in the mail's language.
fn work(action: TaskAction, lang: Lang) -> &'static str {
    match (action, lang) {
        (TaskAction::Collect, Lang::En) => "find the person below and export their data",
        (TaskAction::Collect, Lang::De) => "suchen Sie die unten genannte Person und exportieren Sie ihre Daten",
        (TaskAction::Collect, Lang::Fr) => "retrouver la personne ci-dessous et exporter ses données",
        (TaskAction::Delete, Lang::En) => "find the person below and delete their data (or tell us what must be kept, and why)",
        (TaskAction::Delete, Lang::De) => {
            "suchen Sie die unten genannte Person und löschen Sie ihre Daten (oder sagen Sie uns, was aufbewahrt werden muss, und warum)"
        }
        (TaskAction::Delete, Lang::Fr) => {
            "retrouver la personne ci-dessous et effacer ses données (ou nous dire ce qui doit être conservé, et pourquoi)"
        }
        (TaskAction::Correct, Lang::En) => "find the person below and correct their data as we will tell you",
        (TaskAction::Correct, Lang::De) => {
            "suchen Sie die unten genannte Person und berichtigen Sie ihre Daten, wie wir es Ihnen mitteilen"
        }
        (TaskAction::Correct, Lang::Fr) => "retrouver la personne ci-dessous et rectifier ses données comme nous vous l'indiquerons",
        (TaskAction::Restrict, Lang::En) => "find the person below and mark their data as restricted",
        (TaskAction::Restrict, Lang::De) => "suchen Sie die unten genannte Person und schränken Sie die Verarbeitung ihrer Daten ein",
        (TaskAction::Restrict, Lang::Fr) => "retrouver la personne ci-dessous et limiter le traitement de ses données",
        (TaskAction::Stop, Lang::En) => "find the person below and stop the processing they objected to",
        (TaskAction::Stop, Lang::De) => "suchen Sie die unten genannte Person und beenden Sie die Verarbeitung, der sie widersprochen hat",
        (TaskAction::Stop, Lang::Fr) => "retrouver la personne ci-dessous et cesser le traitement auquel elle s'est opposée",
    }
}

/// The data map's instructions that fit the work: how to search, then how to export or delete.
fn instructions(system: &datamap::System, action: TaskAction, lang: Lang) -> String {
    let (search, export, delete) = match lang {
        Lang::En => ("Search", "Export", "Delete"),
        Lang::De => ("Suchen", "Exportieren", "Löschen"),
        Lang::Fr => ("Rechercher", "Exporter", "Effacer"),
    };
    let t = &system.text;
    let mut lines = vec![(search, t.how_to_search.trim())];
    match action {
        TaskAction::Collect => lines.push((export, t.how_to_export.trim())),
        TaskAction::Delete => lines.push((delete, t.how_to_delete.trim())),
        TaskAction::Correct | TaskAction::Restrict | TaskAction::Stop => {}
    }
    lines
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("- {k}: {}", v.split_whitespace().collect::<Vec<_>>().join(" ")))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Only what finds the subject: name, email address, the identifiers recorded.
fn identifiers(request: &Request, lang: Lang) -> String {
    let (name, email) = match lang {
        Lang::En => ("Name", "Email"),
        Lang::De => ("Name", "E-Mail"),
        Lang::Fr => ("Nom", "Courriel"),
    };
    let mut lines = vec![format!("- {name}: {}", request.subject.name)];
    if let Some(e) = request.subject.email.as_deref().filter(|e| !e.trim().is_empty()) {
        lines.push(format!("- {email}: {e}"));
    }
    for i in &request.subject.identifiers {
        lines.push(format!("- {}: {}", i.kind, i.value));
    }
    lines.join("\n")
}

/// The task's due date: the internal target (else the legal due date) less the lead, never before today.
fn task_due(request: &Request, lead: u32, today: NaiveDate) -> Result<Option<NaiveDate>> {
    let Some(target) = request.schedule.target.or(request.due) else { return Ok(None) };
    if target <= today {
        return Ok(Some(target.max(today)));
    }
    Ok(Some(crate::deadlines::working_days_before(&request.schedule.calendar, target, lead, today)?))
}

/// One owner mail, ready for the outbox.
struct Prepared {
    task: Task,
    owner: String,
    due: Option<NaiveDate>,
    lang: Lang,
    template: TemplateName,
    rendered: render::Rendered,
    composed: compose::Composed,
}

fn prepare(conn: Conn<'_>, clock: &dyn Clock, mail: &MailSettings, task: &str, template: TemplateName) -> Result<Prepared> {
    let task = tasks::get(conn, task)?;
    if task.status != TaskStatus::Open {
        return Err(Error::invalid("task", format!("task {} ({}) is closed; reopen it to ask its owner", task.position, task.system_name)));
    }
    let (_, _, status) = tasks::request_head(conn, &task.request_id)?;
    if status.is_closed() {
        return Err(Error::invalid("task", format!("the request is {status}; its tasks can no longer change")));
    }
    let system = match task.system_id.as_deref() {
        Some(id) => datamap::all(conn)?.into_iter().find(|s| s.id == id),
        None => None,
    }
    .ok_or_else(|| {
        Error::invalid(
            "system",
            format!("the data map no longer has the system {}; add it again with its owner to ask them", task.system_name),
        )
    })?;
    let owner = owner_address(&system.name, &system.text.owner_contact)?;
    let request = crate::requests::rows::get(conn, &task.request_id, crate::requests::today_in(clock))?;
    let zone: Tz = request.time_zone.parse().unwrap_or(Tz::UTC);
    let today = clock.today(zone);
    let lead = owner_settings_in(conn)?.lead_working_days;
    let due = task_due(&request, lead, today)?;
    let lang = mail.default_lang;
    let values: HashMap<&str, String> = HashMap::from([
        ("request.reference", request.reference.clone()),
        ("request.type", lang.request_type(request.request_type).to_string()),
        ("org.name", mail.org_name.clone()),
        ("system.name", system.name.clone()),
        ("task.work", work(task.action, lang).to_string()),
        ("task.due", due.map(|d| lang.date(d)).unwrap_or_else(|| "—".into())),
        ("task.instructions", instructions(&system, task.action, lang)),
        ("task.identifiers", identifiers(&request, lang)),
        ("today", lang.date(today)),
    ]);
    let source = templates::parse(&templates::source(conn, template, lang)?)?;
    let rendered = render::render(&source, &values, lang);
    let composed = compose::compose(mail, ("", &owner), &rendered, &[], clock.now(), false)?;
    Ok(Prepared { task, owner, due, lang, template, rendered, composed })
}

/// Queues the mail with its `letter-queued` event and its owner-mail row, in the caller's transaction.
fn queue_in(tx: Conn<'_>, clock: &dyn Clock, p: &Prepared, actor: &str) -> Result<String> {
    let now = clock.now();
    let letter_id = outbox::insert(
        tx,
        &NewLetter {
            request_id: Some(&p.task.request_id),
            template: p.template,
            lang: p.lang,
            subject: &p.rendered.subject,
            body_text: &p.rendered.text,
            body_html: &p.rendered.html,
            composed: &p.composed,
            clock_event: None,
        },
        now,
        actor,
    )?;
    let id = uuid::Uuid::now_v7().to_string();
    let kind = if p.template == TemplateName::OwnerReminder { "reminder" } else { "request" };
    let queued_on = now.with_timezone(&org_zone(tx)?).date_naive();
    tx.execute(
        "INSERT INTO owner_mails (id, task_id, letter_id, kind, owner, due, queued_on, queued_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        &[&id, &p.task.id, &letter_id, &kind, &p.owner, &p.due.map(|d| d.to_string()), &queued_on.to_string(), &now.to_rfc3339()],
    )?;
    tracing::info!(task = %p.task.id, letter = %letter_id, kind, "owner mail queued");
    Ok(id)
}

const MAIL_COLUMNS: &str = "m.id, m.task_id, m.letter_id, m.kind, m.owner, m.due, m.queued_at, l.state, l.sent_at, l.message_id";

fn mail_from_row(r: &Row<'_>) -> Result<OwnerMail> {
    let id: String = r.get(0)?;
    let state: String = r.get(7)?;
    Ok(OwnerMail {
        due: r.get::<Option<String>>(5)?.map(|d| row::parse("owner_mails", "due", &id, &d)).transpose()?,
        queued_at: row::instant("owner_mails", "queued_at", &id, &r.get::<String>(6)?)?,
        state: row::known("letters", "state", &id, &state, |s| serde_json::from_value(json!(s)).ok())?,
        sent_at: r.get::<Option<String>>(8)?.map(|s| row::instant("letters", "sent_at", &id, &s)).transpose()?,
        task_id: r.get(1)?,
        letter_id: r.get(2)?,
        kind: r.get(3)?,
        to: r.get(4)?,
        message_id: r.get(9)?,
        id,
    })
}

fn mails_of(conn: Conn<'_>, task_id: &str) -> Result<Vec<OwnerMail>> {
    conn.query_map(
        &format!(
            "SELECT {MAIL_COLUMNS} FROM owner_mails m JOIN letters l ON l.id = m.letter_id WHERE m.task_id = ?1 ORDER BY m.queued_at, m.id"
        ),
        &[&task_id],
        mail_from_row,
    )
}

fn replies_of(conn: Conn<'_>, task_id: &str) -> Result<Vec<OwnerReply>> {
    conn.query_map(
        "SELECT o.id, o.task_id, o.intake_item, i.from_address, i.subject, o.received_at, o.suggestion, o.state, o.evidence \
         FROM owner_replies o JOIN intake_items i ON i.id = o.intake_item WHERE o.task_id = ?1 ORDER BY o.received_at, o.id",
        &[&task_id],
        |r| {
            let id: String = r.get(0)?;
            Ok(OwnerReply {
                task_id: r.get(1)?,
                intake_item: r.get(2)?,
                from: r.get(3)?,
                subject: r.get(4)?,
                received_at: row::instant("owner_replies", "received_at", &id, &r.get::<String>(5)?)?,
                suggestion: r
                    .get::<Option<String>>(6)?
                    .map(|s| row::known("owner_replies", "suggestion", &id, &s, TaskStatus::parse))
                    .transpose()?,
                state: row::known("owner_replies", "state", &id, &r.get::<String>(7)?, ReplyState::parse)?,
                evidence: row::json("owner_replies", "evidence", &id, &r.get::<String>(8)?)?,
                id,
            })
        },
    )
}

/// Each task of a request with its owner, the mails we sent and the replies filed (for the task list).
pub fn task_owners<'a>(store: impl Into<Store<'a>>, request: &str) -> Result<Vec<TaskOwner>> {
    store.into().read(|c| {
        let (id, _, _) = tasks::request_head(c, request)?;
        let systems = datamap::all(c)?;
        let mut out = Vec::new();
        for t in tasks::list_in(c, &id)? {
            let system = t.system_id.as_deref().and_then(|sid| systems.iter().find(|s| s.id == sid));
            let (owner, cannot_send) = match system {
                None => (None, Some(format!("the data map no longer has the system {}", t.system_name))),
                Some(s) => match owner_address(&s.name, &s.text.owner_contact) {
                    Ok(a) => (Some(a), None),
                    Err(e) => (None, Some(e.to_string())),
                },
            };
            out.push(TaskOwner { owner, cannot_send, mails: mails_of(c, &t.id)?, replies: replies_of(c, &t.id)?, task_id: t.id });
        }
        Ok(out)
    })
}

/// What Send to owner did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct OwnerMailSent {
    pub mail: OwnerMail,
    /// Why the mail was not sent at once (it stays in the outbox, which retries it), if so.
    pub send_error: Option<String>,
}

fn sent_report(db: Store<'_>, clock: &dyn Clock, passwords: &Passwords<'_>, actor: &str) -> Result<SendReport> {
    passwords.smtp(db).and_then(|smtp| sender::send_due(db, clock, &smtp, actor))
}

fn mail_by_id(conn: Conn<'_>, id: &str) -> Result<OwnerMail> {
    conn.query_opt(
        &format!("SELECT {MAIL_COLUMNS} FROM owner_mails m JOIN letters l ON l.id = m.letter_id WHERE m.id = ?1"),
        &[&id],
        mail_from_row,
    )?
    .ok_or(Error::NotFound { entity: "owner mail" })
}

/// Send to owner: queues the mail to the task's system owner and sends the outbox at once.
/// An error means nothing was queued; a failed send is in [`OwnerMailSent::send_error`].
pub fn send_to_owner<'a>(
    store: impl Into<Store<'a>>,
    clock: &dyn Clock,
    passwords: &Passwords<'_>,
    task: &str,
    actor: &str,
) -> Result<OwnerMailSent> {
    let db = store.into();
    let mail = settings::mail::require(db)?;
    let id = db.write(|tx| {
        let p = prepare(tx, clock, &mail, task, TemplateName::OwnerRequest)?;
        queue_in(tx, clock, &p, actor)
    })?;
    let report = sent_report(db, clock, passwords, actor);
    let mail = db.read(|c| mail_by_id(c, &id))?;
    let send_error = match report {
        Err(e) => Some(e.to_string()),
        Ok(_) if mail.state != LetterState::Sent => {
            Some(db.read(|c| outbox::get(c, &mail.letter_id))?.last_error.unwrap_or_else(|| "not sent yet".into()))
        }
        Ok(_) => None,
    };
    Ok(OwnerMailSent { mail, send_error })
}

/// The words an owner's reply may start with, and the close each offers.
const FIRST_WORDS: [(&str, TaskStatus); 6] = [
    ("NOT HELD", TaskStatus::NotHeld),
    ("NICHT VORHANDEN", TaskStatus::NotHeld),
    ("AUCUNE DONNÉE", TaskStatus::NotHeld),
    ("DONE", TaskStatus::Done),
    ("ERLEDIGT", TaskStatus::Done),
    ("FAIT", TaskStatus::Done),
];

/// The close a reply's first word offers: `DONE`, `Not held.`, `erledigt!` …
pub fn suggestion(text: &str) -> Option<TaskStatus> {
    let words: Vec<String> = text
        .split_whitespace()
        .take(2)
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_uppercase())
        .filter(|w| !w.is_empty())
        .collect();
    let first = words.first()?;
    let two = words.join(" ");
    FIRST_WORDS.iter().find(|(w, _)| if w.contains(' ') { two == *w } else { first == w }).map(|(_, s)| *s)
}

/// Called by `fetch` for a reply it filed on `request_id`: when the reply answers one of
/// our owner mails, its attachments (and the message) become evidence on that task and,
/// when its first word says so, the officer is offered to close the task. Returns
/// whether it was an owner's reply. Runs inside the filing transaction.
#[allow(clippy::too_many_arguments)]
pub(crate) fn on_reply_in(
    tx: Conn<'_>,
    dir: &Path,
    now: DateTime<Utc>,
    request_id: &str,
    intake_item: &str,
    message_evidence: &str,
    p: &Parsed,
    sealed: &Sealed,
    arrived: DateTime<Utc>,
    actor: &str,
) -> Result<bool> {
    let by_mail = match tx.dialect() {
        Dialect::Sqlite => {
            "SELECT m.task_id FROM owner_mails m JOIN letters l ON l.id = m.letter_id \
             WHERE trim(l.message_id, '<>') = ?1 AND l.request_id = ?2"
        }
        Dialect::Postgres => {
            "SELECT m.task_id FROM owner_mails m JOIN letters l ON l.id = m.letter_id \
             WHERE btrim(l.message_id, '<>') = ?1 AND l.request_id = ?2"
        }
    };
    let mut task_id = None;
    for id in &p.replied_ids {
        if let Some(t) = tx.query_opt(by_mail, &[&id.trim_matches(['<', '>']), &request_id], |r| r.get::<String>(0))? {
            task_id = Some(t);
            break;
        }
    }
    let Some(task_id) = task_id else { return Ok(false) };
    let task = tasks::get(tx, &task_id)?;
    // The message itself is the first evidence on the task (fetch attached it to the request).
    tx.execute("UPDATE evidence SET task_id = ?1 WHERE id = ?2", &[&task.id, &message_evidence])?;
    let mut evidence = Vec::new();
    let bytes = stored::read(tx, dir, &sealed.blob, &sealed.sha256)?;
    if let Some(message) = mail_parser::MessageParser::default().parse(&bytes[..]) {
        use mail_parser::MimeHeaders;
        for part in message.attachments().take(100) {
            let content = part.contents();
            if content.is_empty() {
                continue;
            }
            let name = part.attachment_name().map(str::to_string).unwrap_or_else(|| {
                if part.is_message() {
                    "forwarded message.eml".into()
                } else {
                    "attachment".into()
                }
            });
            let sealed = stored::seal_in(tx, dir, content)?;
            let e = stored::attach_in(tx, now, request_id, &name, &sealed, actor)?;
            tx.execute("UPDATE evidence SET task_id = ?1 WHERE id = ?2", &[&task.id, &e.id])?;
            evidence.push(e.id);
        }
    }
    let offered = suggestion(&p.preview).filter(|_| task.status == TaskStatus::Open);
    let state = if offered.is_some() { ReplyState::Offered } else { ReplyState::None };
    tx.execute(
        "INSERT INTO owner_replies (id, task_id, intake_item, received_at, suggestion, state, evidence) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        &[
            &uuid::Uuid::now_v7().to_string(),
            &task.id,
            &intake_item,
            &arrived.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            &offered.map(TaskStatus::as_str),
            &state.as_str(),
            &serde_json::to_string(&evidence).map_err(|e| Error::Internal(e.to_string()))?,
        ],
    )?;
    tracing::info!(task = %task.id, files = evidence.len(), offered = offered.is_some(), "owner reply filed on its task");
    Ok(true)
}

/// The officer closes a task as its owner's reply offers (done or not held):
/// the task is closed with a note naming the reply, in one transaction with the reply's state.
/// `reply` is the reply's id, or a task (id or `REFERENCE#N`): then its newest reply offering a close.
pub fn close_task_from_reply<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, reply: &str, actor: &str) -> Result<Task> {
    let now = clock.now();
    store.into().write(|tx| {
        let known: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM owner_replies WHERE id = ?1)", &[&reply.trim()], |r| r.get(0))?;
        let reply = if known {
            reply.trim().to_string()
        } else {
            let task = tasks::get(tx, reply)?;
            replies_of(tx, &task.id)?.into_iter().rev().find(|r| r.state == ReplyState::Offered).map(|r| r.id).ok_or_else(|| {
                Error::invalid(
                    "reply",
                    format!("no reply of the owner of task {} ({}) offers to close it", task.position, task.system_name),
                )
            })?
        };
        let reply = reply.as_str();
        let found = tx.query_opt("SELECT task_id, suggestion, state, received_at FROM owner_replies WHERE id = ?1", &[&reply], |r| {
            Ok((r.get::<String>(0)?, r.get::<Option<String>>(1)?, r.get::<String>(2)?, r.get::<String>(3)?))
        })?;
        let (task_id, suggestion, state, received_at) = found.ok_or(Error::NotFound { entity: "owner reply" })?;
        if state != ReplyState::Offered.as_str() {
            return Err(Error::invalid(
                "reply",
                if state == ReplyState::Closed.as_str() {
                    "the task was already closed from this reply"
                } else {
                    "this reply does not start with DONE or NOT HELD, so it offers no close; close the task yourself"
                },
            ));
        }
        let status =
            suggestion.as_deref().and_then(TaskStatus::parse).ok_or_else(|| Error::Internal("an owner reply offers no status".into()))?;
        let task = tasks::get(tx, &task_id)?;
        if task.status != TaskStatus::Open {
            return Err(Error::invalid("task", format!("task {} ({}) is already closed", task.position, task.system_name)));
        }
        let zone: Tz = tx
            .query_row("SELECT time_zone FROM requests WHERE id = ?1", &[&task.request_id], |r| r.get::<String>(0))?
            .parse()
            .unwrap_or(Tz::UTC);
        let on = row::instant("owner_replies", "received_at", reply, &received_at)?.with_timezone(&zone).date_naive();
        let note = format!("Closed from the owner's reply of {on} ({})", if status == TaskStatus::Done { "DONE" } else { "NOT HELD" });
        let closed = tasks::update_in(tx, now, &task.id, status, &note, None, actor)?;
        tx.execute("UPDATE owner_replies SET state = 'closed' WHERE id = ?1", &[&reply])?;
        Ok(closed)
    })
}

/// What a reminder run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct OwnerReminders {
    /// Reminders queued.
    pub reminded: u32,
    /// Tasks due a reminder whose owner already had a mail of ours today (reminded on a later day).
    pub held_back: u32,
    /// Why the outbox was not sent at once, if so (the reminders wait in it).
    pub send_error: Option<String>,
}

/// Queues one reminder per owner who has not answered a task's mail for
/// the reminder interval (working days, the request's calendar), at most one mail
/// of ours per owner a day, then sends the outbox. Idempotent within a day.
pub fn remind_owners<'a>(
    store: impl Into<Store<'a>>,
    clock: &dyn Clock,
    passwords: Option<&Passwords<'_>>,
    actor: &str,
) -> Result<OwnerReminders> {
    let db = store.into();
    let mut out = OwnerReminders::default();
    let due: Vec<(String, String)> = db.read(|c| {
        let every = owner_settings_in(c)?.reminder_working_days;
        let today = clock.now().with_timezone(&org_zone(c)?).date_naive();
        // Open tasks of open requests asked by mail, with no reply yet: the owner (of the newest
        // mail) and the last day we wrote.
        let rows = c.query_map(
            "SELECT m.task_id, (SELECT n.owner FROM owner_mails n WHERE n.task_id = m.task_id ORDER BY n.queued_at DESC, n.id DESC LIMIT 1), \
                    max(m.queued_on), r.schedule FROM owner_mails m \
             JOIN tasks t ON t.id = m.task_id JOIN requests r ON r.id = t.request_id \
             WHERE t.status = 'open' AND NOT EXISTS (SELECT 1 FROM owner_replies o WHERE o.task_id = m.task_id) \
             GROUP BY m.task_id, r.schedule ORDER BY 3, m.task_id",
            &[],
            |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?, r.get::<String>(2)?, r.get::<String>(3)?)),
        )?;
        let mut by_owner: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (task, owner, last, schedule) in rows {
            let (_, _, status) = tasks::request_head(c, &tasks::get(c, &task)?.request_id)?;
            if status.is_closed() {
                continue;
            }
            let last: NaiveDate = row::parse("owner_mails", "queued_on", &task, &last)?;
            let calendar = serde_json::from_str::<serde_json::Value>(&schedule)
                .ok()
                .and_then(|s| s.get("calendar").and_then(|v| v.as_str()).map(str::to_string))
                .unwrap_or_default();
            // A schedule without a holiday calendar counts weekdays only as calendar days.
            let next =
                crate::deadlines::working_days_after(&calendar, last, every).unwrap_or(last + chrono::Duration::days(i64::from(every)));
            if next <= today {
                by_owner.entry(owner).or_default().push(task);
            }
        }
        let mut picked = Vec::new();
        for (owner, tasks) in by_owner {
            let mailed_today: bool = c.query_row(
                "SELECT EXISTS (SELECT 1 FROM owner_mails WHERE owner = ?1 AND queued_on = ?2)",
                &[&owner, &today.to_string()],
                |r| r.get(0),
            )?;
            let mut tasks = tasks.into_iter();
            if mailed_today {
                out.held_back += tasks.len() as u32;
                continue;
            }
            if let Some(first) = tasks.next() {
                picked.push((owner, first));
            }
            out.held_back += tasks.len() as u32;
        }
        Ok(picked)
    })?;
    if due.is_empty() {
        return Ok(out);
    }
    let mail = settings::mail::require(db)?;
    for (_, task) in &due {
        let queued = db.write(|tx| {
            let p = prepare(tx, clock, &mail, task, TemplateName::OwnerReminder)?;
            queue_in(tx, clock, &p, actor)
        });
        match queued {
            Ok(_) => out.reminded += 1,
            // A system whose owner was removed from the data map since: nothing to remind.
            Err(e) if e.field().is_some() => tracing::warn!(task = %task, field = e.field(), "owner reminder skipped"),
            Err(e) => return Err(e),
        }
    }
    if out.reminded > 0 {
        if let Some(p) = passwords {
            if let Err(e) = sent_report(db, clock, p, actor) {
                out.send_error = Some(e.to_string());
            }
        }
    }
    tracing::info!(reminded = out.reminded, held_back = out.held_back, "owner reminders");
    Ok(out)
}
