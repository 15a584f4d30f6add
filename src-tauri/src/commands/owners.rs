//! Asking the systems' owners and sending the answer (issue 17, items 5 and 6):
//! Send to owner on a task, the owner's reply and the close it offers, reminders,
//! and Send answer on a request. Mail goes through the outbox with the
//! passwords of [`MailState`].

use rightsdesk_core::mailbox::owners::{self, OwnerMailSent, OwnerReminders, OwnerSettings, TaskOwner};
use rightsdesk_core::packages::{self, AnswerInput, AnswerOutcome};
use rightsdesk_core::tasks::Task;
use tauri::State;

use crate::commands::mail::{actor_on, admin_only, said_by_role, MailState};
use crate::commands::package::BuiltPackages;
use crate::error::IpcError;
use crate::state::{blocking, App};

/// Each task of request `id` with its owner, the mails sent and the replies filed.
#[tauri::command]
#[specta::specta]
pub async fn task_owners(state: State<'_, App>, id: String) -> Result<Vec<TaskOwner>, IpcError> {
    let register = state.register()?;
    blocking(move || owners::task_owners(register.store(), &id)).await
}

/// Send to owner: the data map's instructions, the subject's identifiers and the due date, to the system's owner.
#[tauri::command]
#[specta::specta]
pub async fn send_to_owner(state: State<'_, App>, mail: State<'_, MailState>, task: String) -> Result<OwnerMailSent, IpcError> {
    let (register, mail, clock) = (state.register()?, mail.inner().clone(), state.clock.clone());
    blocking(move || owners::send_to_owner(register.store(), &*clock, &mail.passwords(), &task, &actor_on(&register))).await
}

/// Closes a task as its owner's reply offers (done or not held): the officer's act.
#[tauri::command]
#[specta::specta]
pub async fn close_task_from_reply(state: State<'_, App>, reply: String) -> Result<Task, IpcError> {
    let (register, clock) = (state.register()?, state.clock.clone());
    blocking(move || owners::close_task_from_reply(register.store(), &*clock, &reply, &actor_on(&register))).await
}

/// Reminds the owners who have not answered (at most one mail per owner a day; idempotent).
#[tauri::command]
#[specta::specta]
pub async fn remind_owners(state: State<'_, App>, mail: State<'_, MailState>) -> Result<OwnerReminders, IpcError> {
    let (register, mail, clock) = (state.register()?, mail.inner().clone(), state.clock.clone());
    blocking(move || owners::remind_owners(register.store(), &*clock, Some(&mail.passwords()), &actor_on(&register))).await
}

#[tauri::command]
#[specta::specta]
pub async fn owner_settings(state: State<'_, App>) -> Result<OwnerSettings, IpcError> {
    let register = state.register()?;
    blocking(move || owners::owner_settings(register.store())).await
}

/// On a team register the owner settings are the team's: its admin changes them (the server
/// refuses anyone else; so is an officer's change here, before the server).
#[tauri::command]
#[specta::specta]
pub async fn set_owner_settings(state: State<'_, App>, settings: OwnerSettings) -> Result<OwnerSettings, IpcError> {
    let (register, clock) = (state.register()?, state.clock.clone());
    blocking(move || {
        admin_only(&register, "the owner settings")?;
        let set = owners::set_owner_settings(register.store(), &*clock, &settings, &actor_on(&register));
        said_by_role(&register, "the owner settings", set)
    })
    .await
}

/// Send answer: the response letter with the package attached when the mail server takes it.
#[tauri::command]
#[specta::specta]
pub async fn send_answer(
    state: State<'_, App>,
    mail: State<'_, MailState>,
    built: State<'_, BuiltPackages>,
    id: String,
    input: AnswerInput,
) -> Result<AnswerOutcome, IpcError> {
    let (register, mail, clock) = (state.register()?, mail.inner().clone(), state.clock.clone());
    let known = built.get(&id);
    blocking(move || {
        packages::send_answer(register.store(), &*clock, &mail.passwords(), &id, known.as_deref(), &input, &actor_on(&register))
    })
    .await
}
