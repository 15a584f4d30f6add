import { useRef, useState } from "react";
import { IpcFailure, messageOf } from "../../ipc/call";
import { sizeText } from "./format";
import { useAddEvidence, useEvidence, useRemoveEvidence } from "./queries";
import { useTasks } from "../tasks/queries";
import { useI18n } from "../../i18n";

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
  const taskName = (id: string | null) => tasks.data?.find((x) => x.id === id)?.system_name;
  const i18n = useI18n();
  const { t } = i18n;

  return (
    <section data-testid="evidence-panel" aria-labelledby="evidence-heading">
      <h2 id="evidence-heading">{t("evidence.title")}</h2>
      {files.isSuccess && files.data.length === 0 && <p className="muted">{t("evidence.none")}</p>}
      {files.isSuccess && files.data.length > 0 && (
        <ul className="evidence" data-testid="evidence-list">
          {files.data.map((f) => (
            <li key={f.id} data-testid="evidence-item">
              <span className="file-name" data-testid="evidence-name">
                {f.name}
              </span>{" "}
              <span className="muted">
                {sizeText(f.size, t, i18n.locale)}, SHA-256 <code title={f.sha256}>{f.sha256.slice(0, 12)}…</code>
                {f.kind === "identity-document" && ` · ${t("evidence.identityDocument")}`}
                {f.task_id && ` · ${taskName(f.task_id) ?? t("evidence.task")}`}
                {f.delete_after && ` · ${t("evidence.deletedOn", { date: i18n.date(f.delete_after) })}`} · {f.added_by}
              </span>{" "}
              {!closed && (
                <button
                  type="button"
                  className="link"
                  onClick={() => {
                    const reason = window.prompt(t("evidence.whyRemove")) ?? null;
                    if (reason !== null) remove.mutate({ id: f.id, reason });
                  }}
                >
                  {t("evidence.remove")}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {files.isError && (
        <p role="alert" className="error">
          {t("error.notLoaded", { message: messageOf(files.error) })}
        </p>
      )}
      {!closed && (
        <form
          className="inline-form"
          aria-label={t("evidence.attachForm")}
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
            {t("evidence.file")}
            <input ref={input} type="file" name="file" data-testid="evidence-file" aria-invalid={failure?.field === "file"} />
          </label>
          <label>
            {t("evidence.forTask")}
            <select name="evidence-task" value={taskId} onChange={(e) => setTaskId(e.target.value)}>
              <option value="">{t("evidence.request")}</option>
              {tasks.data?.map((x) => (
                <option key={x.id} value={x.id}>
                  #{x.position} {x.system_name}
                </option>
              ))}
            </select>
          </label>
          <label className="checkbox">
            <input type="checkbox" checked={identityDocument} onChange={(e) => setIdentityDocument(e.target.checked)} />
            {t("evidence.identityCheckbox")}
          </label>
          <button type="submit" data-testid="attach-evidence" disabled={add.isPending}>
            {t("evidence.attach")}
          </button>
          {add.isError && (
            <p role="alert" className="field-error" lang="en" data-error-for={failure?.field ?? "file"}>
              {messageOf(add.error)}
            </p>
          )}
        </form>
      )}
    </section>
  );
}
