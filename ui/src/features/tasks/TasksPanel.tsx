import { useState } from "react";
import type { Task, TaskStatus } from "../../ipc/types";
import { IpcFailure, isCode, messageOf } from "../../ipc/call";
import { taskStatusKey } from "./format";
import { useI18n } from "../../i18n";
import { useAssignablePeople, useAssignTask, useGenerateTasks, useTaskOwners, useTasks, useUpdateTask } from "./queries";
import { useRequestDetail, useRequestWorkChanged } from "../requests/queries";
import { TaskOwner } from "./TaskOwner";
import type { TaskOwner as Owner } from "../../ipc/types";
import { Instant } from "../../i18n/Instant";

/** On a team register the row offers the team's members to assign (the datalist of logins). */
type Props = { requestId: string; closed: boolean };

/** The request's work list: one task per system of the data map. */
export function TasksPanel({ requestId, closed }: Props) {
  const tasks = useTasks(requestId);
  const generate = useGenerateTasks();
  const owners = useTaskOwners(requestId);
  const people = useAssignablePeople();
  const { t } = useI18n();

  return (
    <section data-testid="tasks-panel" aria-labelledby="tasks-heading">
      <h2 id="tasks-heading">{t("tasks.title")}</h2>
      {tasks.isPending && <p>{t("list.loading")}</p>}
      {tasks.isError && (
        <p role="alert" className="error">
          {t("error.notLoaded", { message: messageOf(tasks.error) })}
        </p>
      )}
      {tasks.isSuccess && tasks.data.length === 0 && (
        <p className="muted" data-testid="no-tasks">
          {t("tasks.none")}
        </p>
      )}
      {tasks.isSuccess && tasks.data.length > 0 && (
        <ol className="tasks">
          {tasks.data.map((task) => (
            <TaskItem key={task.id} task={task} closed={closed} owner={owners.data?.find((o) => o.task_id === task.id)} />
          ))}
        </ol>
      )}
      {people.data && people.data.length > 0 && (
        <datalist id="assignable-people" data-testid="assignable-people">
          {people.data.map((p) => (
            <option key={p} value={p} />
          ))}
        </datalist>
      )}
      {!closed && (
        <div className="actions">
          <button type="button" data-testid="generate-tasks" disabled={generate.isPending} onClick={() => generate.mutate(requestId)}>
            {t("tasks.generate")}
          </button>
        </div>
      )}
      {generate.isError && (
        <p role="alert" className="error">
          {t("error.notSaved", { message: messageOf(generate.error) })}
        </p>
      )}
    </section>
  );
}

function TaskItem({ task, closed, owner }: { task: Task; closed: boolean; owner: Owner | undefined }) {
  const update = useUpdateTask();
  const assign = useAssignTask();
  const reload = useRequestWorkChanged();
  // The request's version as the page loaded it (the detail query's cached copy).
  const version = useRequestDetail(task.request_id).data?.version ?? null;
  const [assignee, setAssignee] = useState(task.assignee ?? "");
  const { t, language } = useI18n();
  // The task's description was written by the core, in English.
  const lang = language === "en" ? undefined : "en";
  const [note, setNote] = useState(task.note);
  const [exempting, setExempting] = useState(false);
  const [exemption, setExemption] = useState(task.legal_duty);
  const failure = update.error instanceof IpcFailure ? update.error : null;
  const set = (status: TaskStatus, exemptionText: string | null = null) =>
    update.mutate(
      { taskId: task.id, change: { status, note, exemption: exemptionText }, version },
      { onSuccess: () => setExempting(false) },
    );

  return (
    <li data-testid="task" data-system={task.system_name} data-status={task.status} className={`task task-${task.status}`}>
      <div>
        <strong>#{task.position}</strong> <span lang={lang}>{task.description}</span>{" "}
        <span className={`status status-task-${task.status}`} data-testid="task-status">
          {t(taskStatusKey(task.status))}
        </span>
      </div>
      {task.exemption && <div data-testid="task-exemption">{t("tasks.kept", { exemption: task.exemption })}</div>}
      {task.status === "open" && task.legal_duty && <div className="muted">{t("tasks.duty", { duty: task.legal_duty })}</div>}
      {task.note && task.status !== "open" && <div className="muted">{t("tasks.noteShown", { note: task.note })}</div>}
      {task.closed_by && task.closed_at && (
        <div className="muted">
          {t(taskStatusKey(task.status))} {t("detail.byActor", { actor: task.closed_by })},{" "}
          <time dateTime={task.closed_at}>
            <Instant at={task.closed_at} />
          </time>
        </div>
      )}
      {task.assignee && <div data-testid="task-assignee">{t("tasks.assignedTo", { name: task.assignee })}</div>}
      <TaskOwner taskId={task.id} owner={owner} open={!closed && task.status === "open"} />
      {!closed && task.status === "open" && (
        <div className="task-actions">
          <label>
            {t("tasks.assignee")}
            <input name="task-assignee" list="assignable-people" value={assignee} onChange={(e) => setAssignee(e.target.value)} />
          </label>
          <button
            type="button"
            data-testid="task-assign"
            disabled={assign.isPending}
            onClick={() => assign.mutate({ taskId: task.id, assignee, version })}
          >
            {t("tasks.assign")}
          </button>
        </div>
      )}
      {assign.isError && (
        <p role="alert" className="field-error" lang="en" data-error-for="assignee" data-testid="task-assign-error">
          {messageOf(assign.error)}
          {isCode(assign.error, "conflict") && (
            <>
              {" "}
              <button
                type="button"
                data-testid="task-reload"
                onClick={() => {
                  assign.reset();
                  reload();
                }}
              >
                {t("tasks.reload")}
              </button>
            </>
          )}
        </p>
      )}
      {!closed && task.status === "open" && (
        <div className="task-actions">
          <label>
            {t("tasks.note")}
            <input name="task-note" value={note} onChange={(e) => setNote(e.target.value)} />
          </label>
          <button type="button" data-testid="task-done" disabled={update.isPending} onClick={() => set("done")}>
            {t("tasks.done")}
          </button>
          <button type="button" data-testid="task-not-held" disabled={update.isPending} onClick={() => set("not-held")}>
            {t("tasks.notHeld")}
          </button>
          {task.action === "delete" && !exempting && (
            <button type="button" data-testid="task-exempt" onClick={() => setExempting(true)}>
              {t("tasks.exempt")}
            </button>
          )}
          {exempting && (
            <>
              <label>
                {t("tasks.why")}
                <input
                  name="exemption"
                  value={exemption}
                  aria-invalid={failure?.field === "exemption"}
                  onChange={(e) => setExemption(e.target.value)}
                />
              </label>
              <button type="button" data-testid="task-exempt-save" disabled={update.isPending} onClick={() => set("exempt", exemption)}>
                {t("tasks.recordExemption")}
              </button>
            </>
          )}
        </div>
      )}
      {!closed && task.status !== "open" && (
        <div className="task-actions">
          <button type="button" className="link" data-testid="task-reopen" onClick={() => set("open")}>
            {t("tasks.reopen")}
          </button>
        </div>
      )}
      {update.isError && (
        <p role="alert" className="field-error" lang="en" data-error-for={failure?.field ?? "task"}>
          {messageOf(update.error)}
          {isCode(update.error, "conflict") && (
            <>
              {" "}
              <button
                type="button"
                data-testid="task-reload"
                onClick={() => {
                  update.reset();
                  reload();
                }}
              >
                {t("tasks.reload")}
              </button>
            </>
          )}
        </p>
      )}
    </li>
  );
}
