//! The task list of a request, generated from the data map and the request
//! type: access or portability → collect from each system; erasure → delete in
//! each, or record the exemption that keeps the data (the legal duty from the
//! map); rectification → correct; restriction → mark; objection → stop.
//!
//! A request cannot be completed while tasks are open unless the officer gives
//! a reason, which the timeline keeps ([`guard_completion`]).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::clock::Clock;
use crate::datamap;
use crate::domain::{RequestId, RequestType, Status};
use crate::error::{Error, Result};
use crate::store::events::{self, EventKind, NewEvent};
use crate::store::row;
use crate::store::{version, Conn, Row, Store, ToValue};

/// What must be done in a system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "kebab-case")]
pub enum TaskAction {
    /// Find and copy the subject's data (access, portability).
    Collect,
    /// Erase the subject's data, or record why it is kept.
    Delete,
    /// Correct the data (rectification).
    Correct,
    /// Mark the data as restricted (restriction, limit use of sensitive data).
    Restrict,
    /// Stop the processing objected to (objection, opt-out of sale/sharing).
    Stop,
}

impl TaskAction {
    pub const ALL: [TaskAction; 5] = [TaskAction::Collect, TaskAction::Delete, TaskAction::Correct, TaskAction::Restrict, TaskAction::Stop];

    pub fn as_str(self) -> &'static str {
        match self {
            TaskAction::Collect => "collect",
            TaskAction::Delete => "delete",
            TaskAction::Correct => "correct",
            TaskAction::Restrict => "restrict",
            TaskAction::Stop => "stop",
        }
    }

    fn parse(s: &str) -> Option<TaskAction> {
        TaskAction::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// The work a request type asks of each system; none for appeals, complaints and "other".
    pub fn for_request(t: RequestType) -> Option<TaskAction> {
        match t {
            RequestType::Access | RequestType::Portability => Some(TaskAction::Collect),
            RequestType::Erasure => Some(TaskAction::Delete),
            RequestType::Rectification => Some(TaskAction::Correct),
            RequestType::Restriction | RequestType::LimitSensitive => Some(TaskAction::Restrict),
            RequestType::Objection | RequestType::OptOutSaleSharing => Some(TaskAction::Stop),
            RequestType::Appeal | RequestType::Complaint | RequestType::Other => None,
        }
    }

    fn describe(self, system: &str) -> String {
        match self {
            TaskAction::Collect => format!("Collect the subject's data from {system}"),
            TaskAction::Delete => format!("Delete the subject's data in {system}, or record why it is kept"),
            TaskAction::Correct => format!("Correct the subject's data in {system}"),
            TaskAction::Restrict => format!("Mark the subject's data in {system} as restricted"),
            TaskAction::Stop => format!("Stop the processing objected to in {system}"),
        }
    }
}

/// Where a task stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "kebab-case")]
pub enum TaskStatus {
    Open,
    Done,
    /// The data is kept under an exemption (e.g. a legal duty to retain).
    Exempt,
    /// The system holds no data of this subject.
    NotHeld,
}

impl TaskStatus {
    pub const ALL: [TaskStatus; 4] = [TaskStatus::Open, TaskStatus::Done, TaskStatus::Exempt, TaskStatus::NotHeld];

    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Open => "open",
            TaskStatus::Done => "done",
            TaskStatus::Exempt => "exempt",
            TaskStatus::NotHeld => "not-held",
        }
    }

    pub fn parse(s: &str) -> Option<TaskStatus> {
        TaskStatus::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// A status typed by hand (the CLI): refused naming the field and the choices.
impl std::str::FromStr for TaskStatus {
    type Err = Error;
    fn from_str(s: &str) -> Result<TaskStatus> {
        TaskStatus::parse(s.trim()).ok_or_else(|| Error::invalid("status", "is one of: done, exempt, not-held, open"))
    }
}

/// One task of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Task {
    pub id: String,
    pub request_id: String,
    /// 1, 2, 3 … within the request; `DSR-2025-0001#2` names the second task.
    pub position: u32,
    pub system_id: Option<String>,
    pub system_name: String,
    pub action: TaskAction,
    pub description: String,
    /// The legal duty the data map records for the system, offered as the exemption when erasing.
    pub legal_duty: String,
    pub status: TaskStatus,
    pub note: String,
    pub exemption: Option<String>,
    pub closed_by: Option<String>,
    pub closed_at: Option<DateTime<Utc>>,
    /// The member of the team the task is assigned to (on a team register their login); `None`: nobody.
    pub assignee: Option<String>,
}

/// How an officer closes (or reopens) a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TaskUpdate {
    /// `done`, `exempt`, `not-held`, or `open` to reopen.
    pub status: TaskStatus,
    pub note: String,
    /// Why the data is kept; required when the status is `exempt`.
    pub exemption: Option<String>,
}

const COLUMNS: &str = "id, request_id, position, system_id, system_name, action, legal_duty, status, note, exemption, \
     closed_by, closed_at, assignee";

fn from_row(r: &Row<'_>) -> Result<Task> {
    let id: String = r.get(0)?;
    let action = row::known("tasks", "action", &id, &r.get::<String>(5)?, TaskAction::parse)?;
    let system_name: String = r.get(4)?;
    Ok(Task {
        status: row::known("tasks", "status", &id, &r.get::<String>(7)?, TaskStatus::parse)?,
        closed_at: r.get::<Option<String>>(11)?.map(|s| row::instant("tasks", "closed_at", &id, &s)).transpose()?,
        id,
        request_id: r.get(1)?,
        position: r.get(2)?,
        system_id: r.get(3)?,
        description: action.describe(&system_name),
        system_name,
        action,
        legal_duty: r.get(6)?,
        note: r.get(8)?,
        exemption: r.get(9)?,
        closed_by: r.get(10)?,
        assignee: r.get(12)?,
    })
}

/// The request's id, type and status, found by id or reference.
pub(crate) fn request_head<'a>(conn: impl Into<Conn<'a>>, id_or_reference: &str) -> Result<(String, RequestType, Status)> {
    conn.into()
        .query_opt("SELECT id, request_type, status FROM requests WHERE id = ?1 OR reference = ?1", &[&id_or_reference.trim()], |r| {
            Ok((r.get::<String>(0)?, r.get::<String>(1)?, r.get::<String>(2)?))
        })?
        .map(|(id, t, s)| -> Result<(String, RequestType, Status)> {
            let request_type = row::known("requests", "request_type", &id, &t, RequestType::parse)?;
            let status = row::parse("requests", "status", &id, &s)?;
            Ok((id, request_type, status))
        })
        .ok_or(Error::NotFound { entity: "request" })?
}

pub(crate) fn list_in<'a>(conn: impl Into<Conn<'a>>, request_id: &str) -> Result<Vec<Task>> {
    conn.into().query_map(&format!("SELECT {COLUMNS} FROM tasks WHERE request_id = ?1 ORDER BY position"), &[&request_id], from_row)
}

/// A task by id, or by `REFERENCE#N` (the request's reference and the task's position).
pub(crate) fn get<'a>(conn: impl Into<Conn<'a>>, task: &str) -> Result<Task> {
    let conn = conn.into();
    let task = task.trim();
    let found = match task.split_once('#') {
        Some((reference, n)) => {
            let n: u32 = n.parse().map_err(|_| Error::invalid("task", "is a task id or REFERENCE#NUMBER"))?;
            let (request_id, _, _) = request_head(conn, reference)?;
            conn.query_opt(&format!("SELECT {COLUMNS} FROM tasks WHERE request_id = ?1 AND position = ?2"), &[&request_id, &n], from_row)?
        }
        None => conn.query_opt(&format!("SELECT {COLUMNS} FROM tasks WHERE id = ?1"), &[&task], from_row)?,
    };
    found.ok_or(Error::NotFound { entity: "task" })
}

/// Adds a task for each system of the map that the request has none for yet.
/// Called when a request is registered (inside its transaction) and when the
/// officer asks again after the map has grown. Returns how many were added.
pub fn generate_in<'a>(
    conn: impl Into<Conn<'a>>,
    request_id: &str,
    request_type: RequestType,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<u32> {
    let conn = conn.into();
    if TaskAction::for_request(request_type).is_none() {
        return Ok(0);
    }
    let existing = list_in(conn, request_id)?;
    let systems = datamap::all(conn)?;
    let Some((added, event)) = insert_tasks(conn, request_id, request_type, &existing, &systems, now)? else { return Ok(0) };
    events::append(conn, Some(request_id), now, actor, event)?;
    Ok(added)
}

/// The tasks of a request being registered in this transaction (which has none yet), one per
/// system of `systems` (the data map), not yet written: the registration writes them with its
/// request's row ([`NewTasks::insert_sql`]) or after it ([`NewTasks::write`]). `None`: no task for
/// this type of request, or an empty map.
pub(crate) fn plan_for_new<'s>(
    request_id: &str,
    request_type: RequestType,
    systems: &'s [datamap::System],
    now: DateTime<Utc>,
) -> Option<NewTasks<'s>> {
    plan(request_id, request_type, &[], systems, now)
}

/// Tasks added per statement: 8 values each, well under either store's limit of parameters.
const TASKS_PER_INSERT: usize = 100;

/// New tasks of one request, planned (ids and positions given), with the event that records them.
pub(crate) struct NewTasks<'s> {
    request_id: String,
    action: &'static str,
    created_at: String,
    rows: Vec<(String, &'s datamap::System, u32)>,
    event: NewEvent,
}

impl<'s> NewTasks<'s> {
    /// The `tasks_created` event, for the caller to append with the request's others.
    pub(crate) fn event(&self) -> NewEvent {
        self.event.clone()
    }

    /// Whether [`NewTasks::insert_sql`] writes them all in one statement.
    pub(crate) fn fit_one_statement(&self) -> bool {
        self.rows.len() <= TASKS_PER_INSERT
    }

    /// The INSERT of `rows` with its parameters numbered from `?{first}` on, and the parameters.
    fn insert_of<'a>(&'a self, rows: &'a [(String, &'s datamap::System, u32)], first: usize) -> (String, Vec<&'a dyn ToValue>) {
        let values: Vec<String> = (0..rows.len())
            .map(|k| {
                let n = first - 1 + 8 * k;
                format!("(?{}, ?{}, ?{}, ?{}, ?{}, ?{}, ?{}, 'open', ?{})", n + 1, n + 2, n + 3, n + 4, n + 5, n + 6, n + 7, n + 8)
            })
            .collect();
        let mut params: Vec<&dyn ToValue> = Vec::with_capacity(8 * rows.len());
        for (id, system, position) in rows {
            params.extend([
                id as &dyn ToValue,
                &self.request_id,
                &system.id,
                &system.name,
                &self.action,
                &system.text.legal_duty,
                position,
                &self.created_at,
            ]);
        }
        let sql = format!(
            "INSERT INTO tasks (id, request_id, system_id, system_name, action, legal_duty, position, status, created_at) VALUES {}",
            values.join(", ")
        );
        (sql, params)
    }

    /// All of them as one INSERT (when [`NewTasks::fit_one_statement`]), its parameters numbered
    /// from `?{first}` on: for a statement that writes them with something else.
    pub(crate) fn insert_sql(&self, first: usize) -> (String, Vec<&dyn ToValue>) {
        self.insert_of(&self.rows, first)
    }

    /// Writes them: a few statements (one for a data map of up to 100 systems), not one per system.
    pub(crate) fn write(&self, conn: Conn<'_>) -> Result<()> {
        for chunk in self.rows.chunks(TASKS_PER_INSERT) {
            let (sql, params) = self.insert_of(chunk, 1);
            conn.execute(&sql, &params)?;
        }
        Ok(())
    }
}

/// Writes a task for each of `systems` that `existing` has none for; returns how many and the
/// event that records them, or `None` when none was added.
fn insert_tasks(
    conn: Conn<'_>,
    request_id: &str,
    request_type: RequestType,
    existing: &[Task],
    systems: &[datamap::System],
    now: DateTime<Utc>,
) -> Result<Option<(u32, NewEvent)>> {
    let Some(tasks) = plan(request_id, request_type, existing, systems, now) else { return Ok(None) };
    tasks.write(conn)?;
    Ok(Some((tasks.rows.len() as u32, tasks.event())))
}

/// A task for each of `systems` that `existing` has none for, planned, with the event that
/// records them; `None` when none would be added.
fn plan<'s>(
    request_id: &str,
    request_type: RequestType,
    existing: &[Task],
    systems: &'s [datamap::System],
    now: DateTime<Utc>,
) -> Option<NewTasks<'s>> {
    let action = TaskAction::for_request(request_type)?;
    let mut position = existing.iter().map(|t| t.position).max().unwrap_or(0);
    let mut rows = Vec::new();
    for system in systems {
        let has =
            existing.iter().any(|t| t.system_id.as_deref() == Some(system.id.as_str()) || t.system_name.eq_ignore_ascii_case(&system.name));
        if has {
            continue;
        }
        position += 1;
        rows.push((uuid::Uuid::now_v7().to_string(), system, position));
    }
    if rows.is_empty() {
        return None;
    }
    let added: Vec<&str> = rows.iter().map(|(id, _, _)| id.as_str()).collect();
    let count = added.len();
    let event = NewEvent {
        kind: EventKind::TasksCreated,
        summary: format!("{count} tasks created from the data map ({})", action.as_str()),
        data: json!({ "tasks": added, "action": action }),
    };
    Some(NewTasks { request_id: request_id.to_string(), action: action.as_str(), created_at: now.to_rfc3339(), rows, event })
}

/// The tasks of a request (by id or reference).
pub fn list<'a>(store: impl Into<Store<'a>>, request: &str) -> Result<Vec<Task>> {
    store.into().read(|c| {
        let (id, _, _) = request_head(c, request)?;
        list_in(c, &id)
    })
}

/// Adds tasks for systems added to the map since the request was registered.
pub fn generate<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, request: &RequestId, actor: &str) -> Result<Vec<Task>> {
    let now = clock.now();
    store.into().write(|tx| {
        let (id, request_type, status) = request_head(tx, request.as_str())?;
        if status.is_closed() {
            return Err(Error::invalid("tasks", format!("the request is {status}; its tasks are closed")));
        }
        if TaskAction::for_request(request_type).is_none() {
            return Err(Error::invalid("tasks", format!("a {} request has no per-system tasks", request_type.label())));
        }
        generate_in(tx, &id, request_type, now, actor)?;
        list_in(tx, &id)
    })
}

/// Closes a task as done, exempt (with the reason the data is kept) or not
/// held, or reopens it. The note and who and when are recorded.
pub fn update<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, task: &str, change: &TaskUpdate, actor: &str) -> Result<Task> {
    update_expecting(store, clock, task, change, actor, None)
}

/// [`update`] made on a loaded copy of the request: refused with [`Error::Conflict`], writing
/// nothing, if the request's version is no longer `expected` (`store::version`).
pub fn update_expecting<'a>(
    store: impl Into<Store<'a>>,
    clock: &dyn Clock,
    task: &str,
    change: &TaskUpdate,
    actor: &str,
    expected: Option<i64>,
) -> Result<Task> {
    let status = change.status;
    let note = crate::domain::text("note", &change.note, 4000)?;
    let exemption = crate::domain::text("exemption", change.exemption.as_deref().unwrap_or(""), 2000)?;
    let exemption = match status {
        TaskStatus::Exempt if exemption.is_empty() => {
            return Err(Error::invalid("exemption", "say why the data is kept (e.g. the legal duty)"))
        }
        TaskStatus::Exempt => Some(exemption),
        _ => None,
    };
    let now = clock.now();
    store.into().write(|tx| {
        if expected.is_some() {
            version::ensure_unchanged(tx, &get(tx, task)?.request_id, expected)?;
        }
        update_in(tx, now, task, status, &note, exemption.as_deref(), actor)
    })
}

/// [`update`] inside the caller's transaction, with the note and exemption already checked.
pub(crate) fn update_in<'a>(
    tx: impl Into<Conn<'a>>,
    now: DateTime<Utc>,
    task: &str,
    status: TaskStatus,
    note: &str,
    exemption: Option<&str>,
    actor: &str,
) -> Result<Task> {
    let tx = tx.into();
    let current = get(tx, task)?;
    let (_, _, request_status) = request_head(tx, &current.request_id)?;
    if request_status.is_closed() {
        return Err(Error::invalid("task", format!("the request is {request_status}; its tasks can no longer change")));
    }
    let (closed_by, closed_at) = match status {
        TaskStatus::Open => (None, None),
        _ => (Some(actor), Some(now.to_rfc3339())),
    };
    tx.execute(
        "UPDATE tasks SET status = ?2, note = ?3, exemption = ?4, closed_by = ?5, closed_at = ?6 WHERE id = ?1",
        &[&current.id, &status.as_str(), &note, &exemption, &closed_by, &closed_at],
    )?;
    let summary = match (&status, exemption) {
        (TaskStatus::Exempt, Some(why)) => format!("Task {} ({}): kept under exemption: {why}", current.position, current.system_name),
        (TaskStatus::Open, _) => format!("Task {} ({}): reopened", current.position, current.system_name),
        _ => format!("Task {} ({}): {}", current.position, current.system_name, status.as_str()),
    };
    events::append(
        tx,
        Some(&current.request_id),
        now,
        actor,
        NewEvent {
            kind: EventKind::TaskUpdated,
            summary,
            data: json!({ "task_id": current.id, "status": status, "has_note": !note.is_empty() }),
        },
    )?;
    get(tx, &current.id)
}

/// Assigns a task (by id or `REFERENCE#N`) to a member of the team, or to nobody (`None` or
/// blank), on either store. The assignee is the name the register records actors by: on a team
/// register the person's login, on the local file a free name. The change is an event on the
/// request's timeline; assigning the one already assigned changes nothing. `expected` is the
/// request's version the officer loaded: a stale copy is refused ([`Error::Conflict`]).
pub fn assign<'a>(
    store: impl Into<Store<'a>>,
    clock: &dyn Clock,
    task: &str,
    assignee: Option<&str>,
    actor: &str,
    expected: Option<i64>,
) -> Result<Task> {
    let assignee = crate::domain::text("assignee", assignee.unwrap_or(""), 100)?;
    crate::domain::one_line("assignee", &assignee)?;
    let assignee = Some(assignee).filter(|a| !a.is_empty());
    let now = clock.now();
    store.into().write(|tx| {
        let current = get(tx, task)?;
        version::ensure_unchanged(tx, &current.request_id, expected)?;
        let (_, _, request_status) = request_head(tx, &current.request_id)?;
        if request_status.is_closed() {
            return Err(Error::invalid("task", format!("the request is {request_status}; its tasks can no longer change")));
        }
        if current.assignee == assignee {
            return Ok(current);
        }
        tx.execute("UPDATE tasks SET assignee = ?2 WHERE id = ?1", &[&current.id, &assignee])?;
        let summary = match &assignee {
            Some(who) => format!("Task {} ({}): assigned to {who}", current.position, current.system_name),
            None => format!("Task {} ({}): unassigned", current.position, current.system_name),
        };
        events::append(
            tx,
            Some(&current.request_id),
            now,
            actor,
            NewEvent {
                kind: EventKind::TaskUpdated,
                summary,
                data: json!({ "task_id": current.id, "assignee": assignee, "previous_assignee": current.assignee }),
            },
        )?;
        get(tx, &current.id)
    })
}

/// Who a task can be assigned to, as the window offers them: on a team register the logins
/// in the register's officer and admin groups that may log in (an auditor changes nothing),
/// by name; on a register file nobody is listed (the name is typed freely).
pub fn assignable<'a>(store: impl Into<Store<'a>>) -> Result<Vec<String>> {
    let store = store.into();
    store.read(|c| {
        if c.dialect() == crate::store::Dialect::Sqlite {
            return Ok(Vec::new());
        }
        let dbname: String = c.query_row("SELECT CAST(current_database() AS TEXT)", &[], |r| r.get(0))?;
        let officer = crate::store::pg::team::group_role(&dbname, crate::store::pg::TeamRole::Officer);
        let admin = crate::store::pg::team::group_role(&dbname, crate::store::pg::TeamRole::Admin);
        c.query_map(
            "SELECT DISTINCT CAST(m.rolname AS TEXT) FROM pg_auth_members a JOIN pg_roles g ON g.oid = a.roleid \
             JOIN pg_roles m ON m.oid = a.member \
             WHERE CAST(g.rolname AS TEXT) IN (?1, ?2) AND m.rolcanlogin ORDER BY 1",
            &[&officer, &admin],
            |r| r.get(0),
        )
    })
}

/// Refuses to complete a request whose tasks are still open, unless a reason
/// is given; with a reason, records which tasks were left open and why.
/// Called by `requests::change_status` inside its transaction.
pub fn guard_completion<'a>(
    conn: impl Into<Conn<'a>>,
    request_id: &RequestId,
    reason: Option<&str>,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<()> {
    let conn = conn.into();
    let open: Vec<Task> = list_in(conn, request_id.as_str())?.into_iter().filter(|t| t.status == TaskStatus::Open).collect();
    if open.is_empty() {
        return Ok(());
    }
    let names: Vec<&str> = open.iter().map(|t| t.system_name.as_str()).collect();
    let Some(reason) = reason else {
        return Err(Error::invalid(
            "tasks",
            format!(
                "{} task{} still open ({}); finish {} or give a reason to complete anyway",
                open.len(),
                if open.len() == 1 { " is" } else { "s are" },
                names.join(", "),
                if open.len() == 1 { "it" } else { "them" },
            ),
        ));
    };
    events::append(
        conn,
        Some(request_id.as_str()),
        now,
        actor,
        NewEvent {
            kind: EventKind::TasksOverridden,
            summary: format!("Completed with {} open tasks ({}); reason: {reason}", open.len(), names.join(", ")),
            data: json!({ "open_tasks": open.iter().map(|t| &t.id).collect::<Vec<_>>(), "reason": reason }),
        },
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use crate::datamap::io::{import, DataFormat};
    use crate::domain::NewRequest;
    use crate::requests;
    use crate::store::Db;

    const MAP: &str = "name,role,legal_duty\nStripe,sub-processor,Tax law: payment records 7 years\nCRM,own,\n";

    fn setup(kind: &str) -> (tempfile::TempDir, Db, FixedClock, String) {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::testutil::test_db(&dir.path().join("r.sqlite3"));
        let clock = FixedClock::at("2026-11-23");
        import(&db, &clock, MAP, DataFormat::Csv, "o").unwrap();
        let input = NewRequest {
            request_type: kind.parse().unwrap(),
            regime: "eu-gdpr".into(),
            jurisdiction: "DE".into(),
            subject_name: "Ada Example".into(),
            subject_email: "ada@example.org".into(),
            received: "2026-11-20".into(),
            ..Default::default()
        };
        let r = requests::register(&db, &clock, &input, "o").unwrap();
        (dir, db, clock, r.id)
    }

    #[test]
    fn an_erasure_request_gets_a_delete_task_per_system_with_the_legal_duty_offered() {
        let (_dir, db, _clock, id) = setup("erasure");
        let tasks = list(&db, &id).unwrap();
        assert_eq!(tasks.len(), 2);
        assert!(tasks.iter().all(|t| t.action == TaskAction::Delete && t.status == TaskStatus::Open));
        let stripe = tasks.iter().find(|t| t.system_name == "Stripe").unwrap();
        assert_eq!(stripe.legal_duty, "Tax law: payment records 7 years");
    }

    #[test]
    fn each_request_type_gets_its_kind_of_work() {
        for (kind, action) in [
            ("access", Some(TaskAction::Collect)),
            ("portability", Some(TaskAction::Collect)),
            ("rectification", Some(TaskAction::Correct)),
            ("restriction", Some(TaskAction::Restrict)),
            ("objection", Some(TaskAction::Stop)),
            ("other", None),
        ] {
            let (_dir, db, _clock, id) = setup(kind);
            let tasks = list(&db, &id).unwrap();
            assert_eq!(tasks.first().map(|t| t.action), action, "{kind}");
        }
    }

    #[test]
    fn a_request_cannot_be_completed_while_tasks_are_open_unless_a_reason_is_recorded() {
        let (_dir, db, clock, id) = setup("erasure");
        requests::change_status(&db, &clock, &RequestId::from(&id), Status::InProgress, None, "o").unwrap();
        let err = requests::change_status(&db, &clock, &RequestId::from(&id), Status::Completed, None, "o").unwrap_err();
        assert_eq!(err.field(), Some("tasks"));
        assert!(err.to_string().contains("2 tasks are still open (CRM, Stripe)"), "{err}");
        assert_eq!(requests::detail(&db, &clock, &id).unwrap().request.status, Status::InProgress);

        let reference = requests::detail(&db, &clock, &id).unwrap().request.reference;
        let t1 = update(
            &db,
            &clock,
            &format!("{reference}#1"),
            &TaskUpdate { status: TaskStatus::Done, note: String::new(), exemption: None },
            "o",
        )
        .unwrap();
        assert_eq!(t1.system_name, "CRM");
        assert_eq!(t1.closed_by.as_deref(), Some("o"));
        let err = update(
            &db,
            &clock,
            &format!("{reference}#2"),
            &TaskUpdate { status: TaskStatus::Exempt, note: String::new(), exemption: None },
            "o",
        )
        .unwrap_err();
        assert_eq!(err.field(), Some("exemption"));
        let err = requests::change_status(&db, &clock, &RequestId::from(&id), Status::Completed, None, "o").unwrap_err();
        assert!(err.to_string().contains("1 task is still open (Stripe)"), "{err}");

        let d = requests::change_status(&db, &clock, &RequestId::from(&id), Status::Completed, Some("Stripe support ticket pending"), "o")
            .unwrap();
        assert_eq!(d.request.status, Status::Completed);
        let overridden = d.timeline.iter().find(|e| e.kind == "tasks-overridden").unwrap();
        assert!(overridden.summary.contains("Stripe support ticket pending"));
    }

    #[test]
    fn completing_with_all_tasks_closed_needs_no_reason() {
        let (_dir, db, clock, id) = setup("erasure");
        requests::change_status(&db, &clock, &RequestId::from(&id), Status::InProgress, None, "o").unwrap();
        for t in list(&db, &id).unwrap() {
            let change = if t.legal_duty.is_empty() {
                TaskUpdate { status: TaskStatus::Done, note: "deleted in the admin console".into(), exemption: None }
            } else {
                TaskUpdate { status: TaskStatus::Exempt, note: String::new(), exemption: Some(t.legal_duty.clone()) }
            };
            update(&db, &clock, &t.id, &change, "o").unwrap();
        }
        let d = requests::change_status(&db, &clock, &RequestId::from(&id), Status::Completed, None, "o").unwrap();
        assert_eq!(d.request.status, Status::Completed);
        let tasks = list(&db, &id).unwrap();
        assert_eq!(tasks[1].exemption.as_deref(), Some("Tax law: payment records 7 years"));
        let err = update(&db, &clock, &tasks[1].id, &TaskUpdate { status: TaskStatus::Open, note: String::new(), exemption: None }, "o")
            .unwrap_err();
        assert_eq!(err.field(), Some("task"));
    }

    #[test]
    fn systems_added_later_get_tasks_on_request_and_old_tasks_stay() {
        let (_dir, db, clock, id) = setup("access");
        import(&db, &clock, "name\nResend\n", DataFormat::Csv, "o").unwrap();
        let tasks = generate(&db, &clock, &RequestId::from(&id), "o").unwrap();
        assert_eq!(tasks.iter().map(|t| t.system_name.as_str()).collect::<Vec<_>>(), ["CRM", "Stripe", "Resend"]);
        assert_eq!(tasks[2].position, 3);
    }
}
