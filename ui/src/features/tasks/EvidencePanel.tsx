import { useRef, useState } from "react";
import { IpcFailure, messageOf } from "../../ipc/call";
import { sizeText } from "./format";
import { useAddEvidence, useEvidence, useRemoveEvidence, useTasks } from "./queries";

type Props = { requestId: string; closed: boolean };

/** Files on the request: exports from systems, letters, identity documents. Names are shown as text, never used as paths. */
export function EvidencePanel({ requestId, closed }: Props) {
  const files = useEvidence(requestId);
  const tasks = useTasks(requestId);
  const add = useAddEvidence();
  const remove = useRemoveEvidence();
  const input = useRef<HTMLInputElement>(null);
  const [taskId, setTaskId] = useState("");
  const [identityDocument, setIdentityDocument] = useState(false);
  const failure = add.error instanceof IpcFailure ? add.error : null;
  const taskName = (id: string | null) => tasks.data?.find((t) => t.id === id)?.system_name;

  return (
    <section data-testid="evidence-panel" aria-labelledby="evidence-heading">
      <h2 id="evidence-heading">Evidence</h2>
      {files.isSuccess && files.data.length === 0 && <p className="muted">No files.</p>}
      {files.isSuccess && files.data.length > 0 && (
        <ul className="evidence" data-testid="evidence-list">
          {files.data.map((f) => (
            <li key={f.id} data-testid="evidence-item">
              <span className="file-name" data-testid="evidence-name">
                {f.name}
              </span>{" "}
              <span className="muted">
                {sizeText(f.size)}, SHA-256 <code title={f.sha256}>{f.sha256.slice(0, 12)}…</code>
                {f.kind === "identity-document" && " · identity document"}
                {f.task_id && ` · ${taskName(f.task_id) ?? "task"}`}
                {f.delete_after && ` · deleted on ${f.delete_after}`} · {f.added_by}
              </span>{" "}
              {!closed && (
                <button
                  type="button"
                  className="link"
                  onClick={() => {
                    const reason = window.prompt("Why is this file removed?") ?? null;
                    if (reason !== null) remove.mutate({ id: f.id, reason });
                  }}
                >
                  Remove
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {files.isError && (
        <p role="alert" className="error">
          {messageOf(files.error)}
        </p>
      )}
      {!closed && (
        <form
          className="inline-form"
          aria-label="Attach a file"
          onSubmit={(e) => {
            e.preventDefault();
            const file = input.current?.files?.[0];
            if (!file) return;
            add.mutate(
              { requestId, file, taskId: taskId === "" ? null : taskId, identityDocument },
              {
                onSuccess: () => {
                  if (input.current) input.current.value = "";
                },
              },
            );
          }}
        >
          <label>
            File
            <input ref={input} type="file" name="file" data-testid="evidence-file" aria-invalid={failure?.field === "file"} />
          </label>
          <label>
            For the task
            <select name="evidence-task" value={taskId} onChange={(e) => setTaskId(e.target.value)}>
              <option value="">(the request)</option>
              {tasks.data?.map((t) => (
                <option key={t.id} value={t.id}>
                  #{t.position} {t.system_name}
                </option>
              ))}
            </select>
          </label>
          <label className="checkbox">
            <input type="checkbox" checked={identityDocument} onChange={(e) => setIdentityDocument(e.target.checked)} />
            Identity document
          </label>
          <button type="submit" data-testid="attach-evidence" disabled={add.isPending}>
            Attach
          </button>
          {add.isError && (
            <p role="alert" className="field-error" data-error-for={failure?.field ?? "file"}>
              {messageOf(add.error)}
            </p>
          )}
        </form>
      )}
    </section>
  );
}
