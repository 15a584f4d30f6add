//! The data map, the tasks, identity checks and evidence of a request, and the audit trail.

use rightsdesk_core::audit::{self, AuditReport};
use rightsdesk_core::backups;
use rightsdesk_core::datamap::io::{self as datamap_io, DataFormat, ImportSummary};
use rightsdesk_core::datamap::starter;
use rightsdesk_core::datamap::{self, System, SystemInput};
use rightsdesk_core::domain::RequestDetail;
use rightsdesk_core::domain::RequestId;
use rightsdesk_core::evidence::{self, Attach, Evidence, EvidenceKind};
use rightsdesk_core::files::atomic;
use rightsdesk_core::files::destination::{self, Overwrite, Protected};
use rightsdesk_core::identity::{self, IdentityCheck, IdentityInput};
use rightsdesk_core::paths;
use rightsdesk_core::requests::duplicates::{self, PossibleDuplicate};
use rightsdesk_core::tasks::{self, Task, TaskUpdate};
use rightsdesk_core::workspace::current_actor;
use rightsdesk_core::Error;
use tauri::State;

use crate::commands::mail::{actor_on, admin_only, said_by_role};
use crate::error::IpcError;
use crate::grants::{Grants, OpenPurpose, SavePurpose};
use crate::state::{blocking, App, Register};

// The data map, on either register (everyone on a team reads it).
#[tauri::command]
#[specta::specta]
pub async fn list_systems(state: State<'_, App>) -> Result<Vec<System>, IpcError> {
    let register = state.register()?;
    blocking(move || datamap::list(register.store())).await
}

/// On a team register the data map is the admin's to change (the server refuses anyone else).
const DATA_MAP: &str = "the data map";

#[tauri::command]
#[specta::specta]
pub async fn save_system(state: State<'_, App>, id: Option<String>, input: SystemInput) -> Result<System, IpcError> {
    let (register, clock) = (state.register()?, state.clock.clone());
    blocking(move || {
        admin_only(&register, DATA_MAP)?;
        said_by_role(&register, DATA_MAP, datamap::save(register.store(), &*clock, id.as_deref(), &input, &actor_on(&register)))
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn delete_system(state: State<'_, App>, id: String) -> Result<(), IpcError> {
    let (register, clock) = (state.register()?, state.clock.clone());
    blocking(move || {
        admin_only(&register, DATA_MAP)?;
        said_by_role(&register, DATA_MAP, datamap::delete(register.store(), &*clock, &id, &actor_on(&register)))
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn import_datamap(state: State<'_, App>, text: String, format: DataFormat) -> Result<ImportSummary, IpcError> {
    let (register, clock) = (state.register()?, state.clock.clone());
    blocking(move || {
        admin_only(&register, DATA_MAP)?;
        said_by_role(&register, DATA_MAP, datamap_io::import(register.store(), &*clock, &text, format, &actor_on(&register)))
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn export_datamap(state: State<'_, App>, format: DataFormat) -> Result<String, IpcError> {
    let register = state.register()?;
    blocking(move || datamap_io::export(register.store(), format)).await
}

#[tauri::command]
#[specta::specta]
pub async fn load_starter_map(state: State<'_, App>) -> Result<ImportSummary, IpcError> {
    let (register, clock) = (state.register()?, state.clock.clone());
    blocking(move || {
        admin_only(&register, DATA_MAP)?;
        said_by_role(&register, DATA_MAP, starter::load(register.store(), &*clock, &actor_on(&register)))
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn list_tasks(state: State<'_, App>, request_id: String) -> Result<Vec<Task>, IpcError> {
    let register = state.register()?;
    blocking(move || tasks::list(register.store(), &request_id)).await
}

/// Who a task can be assigned to: on a team register its officers and admins, by login;
/// none on the local file (the name is typed).
#[tauri::command]
#[specta::specta]
pub async fn assignable_people(state: State<'_, App>) -> Result<Vec<String>, IpcError> {
    let register = state.register()?;
    blocking(move || tasks::assignable(register.store())).await
}

#[tauri::command]
#[specta::specta]
pub async fn generate_tasks(state: State<'_, App>, request_id: String) -> Result<Vec<Task>, IpcError> {
    let (register, clock) = (state.register()?, state.clock.clone());
    blocking(move || tasks::generate(register.store(), &*clock, &RequestId::from(&request_id), &actor_on(&register))).await
}

#[tauri::command]
#[specta::specta]
pub async fn update_task(
    state: State<'_, App>,
    task_id: String,
    change: TaskUpdate,
    expected_version: Option<i32>,
) -> Result<Task, IpcError> {
    let (register, clock) = (state.register()?, state.clock.clone());
    // The request's `version` the page loaded: a stale page is refused (`conflict`), nothing written.
    let expected = expected_version.map(i64::from);
    blocking(move || tasks::update_expecting(register.store(), &*clock, &task_id, &change, &current_actor(), expected)).await
}

/// Assigns the task to a member of the team (`None` or blank: nobody), on either register;
/// `expected_version` is the request's `version` the page loaded (a stale page is refused, `conflict`).
#[tauri::command]
#[specta::specta]
pub async fn assign_task(
    state: State<'_, App>,
    task_id: String,
    assignee: Option<String>,
    expected_version: Option<i32>,
) -> Result<Task, IpcError> {
    let (register, clock) = (state.register()?, state.clock.clone());
    let expected = expected_version.map(i64::from);
    blocking(move || tasks::assign(register.store(), &*clock, &task_id, assignee.as_deref(), &current_actor(), expected)).await
}

#[tauri::command]
#[specta::specta]
pub async fn list_identity_checks(state: State<'_, App>, request_id: String) -> Result<Vec<IdentityCheck>, IpcError> {
    let register = state.register()?;
    blocking(move || identity::list(register.store(), &request_id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn verify_identity(
    state: State<'_, App>,
    request_id: String,
    input: IdentityInput,
    expected_version: Option<i32>,
) -> Result<IdentityCheck, IpcError> {
    let (register, clock) = (state.register()?, state.clock.clone());
    // The request's `version` the page loaded: a stale page is refused (`conflict`), nothing written.
    let expected = expected_version.map(i64::from);
    blocking(move || {
        identity::verify_expecting(register.store(), &*clock, &RequestId::from(&request_id), &input, &actor_on(&register), expected)
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn request_identity(
    state: State<'_, App>,
    request_id: String,
    on: String,
    expected_version: Option<i32>,
) -> Result<(), IpcError> {
    let (register, clock) = (state.register()?, state.clock.clone());
    let expected = expected_version.map(i64::from);
    blocking(move || {
        identity::request_proof_expecting(register.store(), &*clock, &RequestId::from(&request_id), &on, &actor_on(&register), expected)
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn list_evidence(state: State<'_, App>, request_id: String) -> Result<Vec<Evidence>, IpcError> {
    let register = state.register()?;
    blocking(move || evidence::list(register.store(), &request_id)).await
}

/// Attaches the file the officer picked with `choose_open_path(evidence)`, streamed from disk
/// into the evidence store (never whole in memory, so no size cap but the disk's). Its name is the
/// picked file's; any path not picked in that dialog is refused (`not_chosen`).
/// `expected_version` is the request's `version` the page loaded (a stale page is refused, `conflict`).
#[tauri::command]
#[specta::specta]
pub async fn add_evidence(
    state: State<'_, App>,
    grants: State<'_, Grants>,
    request_id: String,
    path: String,
    task_id: Option<String>,
    identity_document: bool,
    expected_version: Option<i32>,
) -> Result<Evidence, IpcError> {
    let expected = expected_version.map(i64::from);
    let path = grants.open(OpenPurpose::Evidence, &path, "path")?;
    let (register, clock) = (state.register()?, state.clock.clone());
    blocking(move || {
        let kind = if identity_document { EvidenceKind::IdentityDocument } else { EvidenceKind::Evidence };
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let about = Attach { request: &request_id, file_name: &name, task: task_id.as_deref(), system: None, kind };
        evidence::add_file_expecting(register.store(), &*clock, &about, &path, &actor_on(&register), expected)
    })
    .await
}

/// Writes a copy of a stored file to the file the officer picked with
/// `choose_save_path(evidence)`: streamed, decrypted and checked against its SHA-256 as it is
/// written (a copy that does not match is never put in place), on either register. Returns
/// the bytes written.
#[tauri::command]
#[specta::specta]
pub async fn save_evidence(state: State<'_, App>, grants: State<'_, Grants>, id: String, out: String) -> Result<u32, IpcError> {
    let out = grants.take_save(SavePurpose::Evidence, &out, "out")?;
    let register = state.register()?;
    blocking(move || {
        let protected = match &register {
            Register::File(db) => backups::protected(db)?,
            // No register file here; the local register's place and the app's data folder stay off limits.
            Register::Team(_) => Protected::for_database(&paths::default_db_path().unwrap_or_default()),
        };
        let out = destination::check(&out, &protected, Overwrite::Allowed)?;
        let (e, mut reader) = evidence::open(register.store(), &id)?;
        atomic::write_as(&out, Overwrite::Allowed, |f| {
            std::io::copy(&mut reader, f).map(|_| ()).map_err(|e| match e.kind() {
                std::io::ErrorKind::InvalidData => Error::invalid("evidence", e.to_string()),
                _ => Error::Io(e),
            })
        })?;
        Ok(e.size)
    })
    .await
}

/// `expected_version` is the request's `version` the page loaded (a stale page is refused, `conflict`).
#[tauri::command]
#[specta::specta]
pub async fn remove_evidence(state: State<'_, App>, id: String, reason: String, expected_version: Option<i32>) -> Result<(), IpcError> {
    let (register, clock) = (state.register()?, state.clock.clone());
    let expected = expected_version.map(i64::from);
    blocking(move || evidence::remove_expecting(register.store(), &*clock, &id, &reason, &actor_on(&register), expected)).await
}

#[tauri::command]
#[specta::specta]
pub async fn verify_audit(state: State<'_, App>) -> Result<AuditReport, IpcError> {
    let register = state.register()?;
    blocking(move || audit::verify(register.store())).await
}

#[tauri::command]
#[specta::specta]
pub async fn export_audit(state: State<'_, App>, format: DataFormat) -> Result<String, IpcError> {
    let register = state.register()?;
    blocking(move || audit::export(register.store(), format)).await
}

#[tauri::command]
#[specta::specta]
pub async fn possible_duplicates(state: State<'_, App>, request_id: String) -> Result<Vec<PossibleDuplicate>, IpcError> {
    let register = state.register()?;
    blocking(move || duplicates::possible_duplicates(register.store(), &request_id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn link_requests(state: State<'_, App>, request_id: String, other_id: String) -> Result<(), IpcError> {
    let (register, clock) = (state.register()?, state.clock.clone());
    blocking(move || {
        duplicates::link(register.store(), &*clock, &RequestId::from(&request_id), &RequestId::from(&other_id), &actor_on(&register))
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn mark_duplicate(state: State<'_, App>, request_id: String, of_id: String) -> Result<RequestDetail, IpcError> {
    let (register, clock) = (state.register()?, state.clock.clone());
    blocking(move || {
        duplicates::mark_duplicate(register.store(), &*clock, &RequestId::from(&request_id), &RequestId::from(&of_id), &actor_on(&register))
    })
    .await
}
