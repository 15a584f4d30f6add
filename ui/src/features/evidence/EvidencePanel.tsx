import { useState } from "react";
import { IpcFailure, isCode, messageOf } from "../../ipc/call";
import { sizeText } from "./format";
import { useAddEvidence, useChooseEvidenceFile, useEvidence, useRemoveEvidence, useSaveEvidence } from "./queries";
import { useTasks } from "../tasks/queries";
import { useRequestWorkChanged } from "../requests/queries";
import { useI18n } from "../../i18n";

type Props = { requestId: string; closed: boolean };

/**
 * Files on the request: exports from systems, letters, identity documents. The file is picked in the OS dialog the
 * backend opens, which streams it from disk (no size cap but the disk's). Names are shown as text, never used as paths.
 */
export function EvidencePanel({ requestId, closed }: Props) {
  const files = useEvidence(requestId);
  const tasks = useTasks(requestId);
  const add = useAddEvidence();
  const remove = useRemoveEvidence();
  const choose = useChooseEvidenceFile();
  const save = useSaveEvidence();
  // A change made on a stale page is refused ("changed by NAME at TIME — reload"): reload offers the current one.
  const reload = useRequestWorkChanged();
  const [picked, setPicked] = useState<string | null>(null);
  const [taskId, setTaskId] = useState("");
  const [identityDocument, setIdentityDocument] = useState(false);
  const error = add.error ?? choose.error;
  const failure = error instanceof IpcFailure ? error : null;
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
              <button
                type="button"
                className="link"
                data-testid="evidence-save"
                disabled={save.isPending}
                onClick={() => save.mutate({ id: f.id, name: f.name, title: t("evidence.saveTitle") })}
              >
                {t("evidence.save")}
              </button>{" "}
              {!closed && (
                <button
                  type="button"
                  className="link"
                  data-testid="evidence-remove"
                  onClick={() => {
                    const reason = window.prompt(t("evidence.whyRemove")) ?? null;
                    if (reason !== null) remove.mutate({ id: f.id, requestId, reason });
                  }}
                >
                  {t("evidence.remove")}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {save.isSuccess && save.data !== null && (
        <p role="status" className="muted" data-testid="evidence-saved">
          {t("evidence.saved", { size: sizeText(save.data, t, i18n.locale) })}
        </p>
      )}
      {save.isError && (
        <p role="alert" className="error" lang="en">
          {messageOf(save.error)}
        </p>
      )}
      {remove.isError && (
        <p role="alert" className="error" lang="en" data-testid="evidence-remove-error">
          {messageOf(remove.error)}
          {isCode(remove.error, "conflict") && (
            <>
              {" "}
              <button
                type="button"
                data-testid="evidence-reload"
                onClick={() => {
                  remove.reset();
                  reload();
                }}
              >
                {t("evidence.reload")}
              </button>
            </>
          )}
        </p>
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
            if (picked === null) return;
            add.mutate(
              { requestId, path: picked, taskId: taskId === "" ? null : taskId, identityDocument },
              { onSuccess: () => setPicked(null) },
            );
          }}
        >
          <div className="field">
            <span id="evidence-file-label">{t("evidence.file")}</span>{" "}
            <code
              aria-labelledby="evidence-file-label"
              data-testid="evidence-chosen"
              title={picked ?? undefined}
              aria-invalid={failure?.field === "file" || failure?.field === "path"}
            >
              {picked === null ? t("evidence.noneChosen") : baseName(picked)}
            </code>{" "}
            <button
              type="button"
              data-testid="evidence-choose"
              disabled={choose.isPending || add.isPending}
              onClick={() => {
                add.reset();
                choose.mutate(t("evidence.chooseTitle"), { onSuccess: (path) => path !== null && setPicked(path) });
              }}
            >
              {t("evidence.choose")}
            </button>
          </div>
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
          <button type="submit" data-testid="attach-evidence" disabled={add.isPending || picked === null}>
            {t("evidence.attach")}
          </button>
          {error && (
            <p role="alert" className="field-error" lang="en" data-error-for={failure?.field ?? "file"}>
              {messageOf(error)}
              {isCode(error, "conflict") && (
                <>
                  {" "}
                  <button
                    type="button"
                    data-testid="evidence-reload"
                    onClick={() => {
                      add.reset();
                      reload();
                    }}
                  >
                    {t("evidence.reload")}
                  </button>
                </>
              )}
            </p>
          )}
        </form>
      )}
    </section>
  );
}

/** The last part of a path, as the officer sees the file in the dialog (a path uses / on Linux and macOS, \\ on Windows). */
function baseName(path: string): string {
  return path.split(/[/\\]/).pop() || path;
}
