import { useState } from "react";
import type { Task } from "../../ipc/types";
import { IpcFailure, messageOf } from "../../ipc/call";
import { taskStatusText } from "./format";
import { useGenerateTasks, useTasks, useUpdateTask } from "./queries";
import { Instant } from "../../i18n/Instant";

type Props = { requestId: string; closed: boolean };

/** The request's work list: one task per system of the data map. */
export function TasksPanel({ requestId, closed }: Props) {
  const tasks = useTasks(requestId);
  const generate = useGenerateTasks();

  return (
    <section data-testid="tasks-panel" aria-labelledby="tasks-heading">
      <h2 id="tasks-heading">Tasks</h2>
      {tasks.isPending && <p>Loading…</p>}
      {tasks.isError && (
        <p role="alert" className="error">
          {messageOf(tasks.error)}
        </p>
      )}
      {tasks.isSuccess && tasks.data.length === 0 && (
        <p className="muted" data-testid="no-tasks">
          No tasks. Tasks are created from the data map when a request is registered.
        </p>
      )}
      {tasks.isSuccess && tasks.data.length > 0 && (
        <ol className="tasks">
          {tasks.data.map((t) => (
            <TaskItem key={t.id} task={t} closed={closed} />
          ))}
        </ol>
      )}
      {!closed && (
        <div className="actions">
          <button type="button" data-testid="generate-tasks" disabled={generate.isPending} onClick={() => generate.mutate(requestId)}>
            Add tasks for systems added to the map since
          </button>
        </div>
      )}
      {generate.isError && (
        <p role="alert" className="error">
          {messageOf(generate.error)}
        </p>
      )}
    </section>
  );
}

function TaskItem({ task: t, closed }: { task: Task; closed: boolean }) {
  const update = useUpdateTask();
  const [note, setNote] = useState(t.note);
  const [exempting, setExempting] = useState(false);
  const [exemption, setExemption] = useState(t.legal_duty);
  const failure = update.error instanceof IpcFailure ? update.error : null;
  const set = (status: string, exemptionText: string | null = null) =>
    update.mutate(
      { taskId: t.id, change: { status, note, exemption: exemptionText } },
      { onSuccess: () => setExempting(false) },
    );

  return (
    <li data-testid="task" data-system={t.system_name} data-status={t.status} className={`task task-${t.status}`}>
      <div>
        <strong>#{t.position}</strong> {t.description}{" "}
        <span className={`status status-task-${t.status}`} data-testid="task-status">
          {taskStatusText(t.status)}
        </span>
      </div>
      {t.exemption && <div data-testid="task-exemption">Kept: {t.exemption}</div>}
      {t.status === "open" && t.legal_duty && <div className="muted">Legal duty on the map: {t.legal_duty}</div>}
      {t.note && t.status !== "open" && <div className="muted">Note: {t.note}</div>}
      {t.closed_by && t.closed_at && (
        <div className="muted">
          {taskStatusText(t.status)} by {t.closed_by}, <time dateTime={t.closed_at}><Instant at={t.closed_at} /></time>
        </div>
      )}
      {!closed && t.status === "open" && (
        <div className="task-actions">
          <label>
            Note
            <input name="task-note" value={note} onChange={(e) => setNote(e.target.value)} />
          </label>
          <button type="button" data-testid="task-done" disabled={update.isPending} onClick={() => set("done")}>
            Done
          </button>
          <button type="button" data-testid="task-not-held" disabled={update.isPending} onClick={() => set("not-held")}>
            No data held
          </button>
          {t.action === "delete" && !exempting && (
            <button type="button" data-testid="task-exempt" onClick={() => setExempting(true)}>
              Keep under an exemption…
            </button>
          )}
          {exempting && (
            <>
              <label>
                Why the data is kept
                <input
                  name="exemption"
                  value={exemption}
                  aria-invalid={failure?.field === "exemption"}
                  onChange={(e) => setExemption(e.target.value)}
                />
              </label>
              <button type="button" data-testid="task-exempt-save" disabled={update.isPending} onClick={() => set("exempt", exemption)}>
                Record the exemption
              </button>
            </>
          )}
        </div>
      )}
      {!closed && t.status !== "open" && (
        <div className="task-actions">
          <button type="button" className="link" data-testid="task-reopen" onClick={() => set("open")}>
            Reopen
          </button>
        </div>
      )}
      {update.isError && (
        <p role="alert" className="field-error" data-error-for={failure?.field ?? "task"}>
          {messageOf(update.error)}
        </p>
      )}
    </li>
  );
}
