import { useState } from "react";
import type { DataFormat, System, SystemInput } from "../../ipc/types";
import { IpcFailure, messageOf } from "../../ipc/call";
import { useI18n } from "../../i18n";
import { teamAdmin, type TeamInfo } from "../setup/team";
import { emptyInput, formatOfFileName, inputOf, ROLES, SYSTEM_FIELDS } from "./fields";
import { useDeleteSystem, useExportDatamap, useImportDatamap, useLoadStarterMap, useSaveSystem, useSystems } from "./queries";

type Editing = { id: string | null; input: SystemInput } | null;

/** The organisation's data map: systems and processors, editable, importable and exportable. On a team register
 * (`team`) it is the team's: everyone reads and exports it, only its admin changes it (read-only for the others and on
 * a read replica; the server refuses their writes regardless). */
export function DataMap({ team = null }: { team?: TeamInfo | null }) {
  const { t } = useI18n();
  const readOnly = !teamAdmin(team) || Boolean(team?.replica);
  const systems = useSystems();
  const [editing, setEditing] = useState<Editing>(null);

  if (systems.isPending) return <p>{t("list.loading")}</p>;
  if (systems.isError) {
    return (
      <p role="alert" className="error" lang="en">
        {messageOf(systems.error)}
      </p>
    );
  }
  const list = systems.data;

  return (
    <section className="panel wide-panel" data-testid="datamap" aria-labelledby="datamap-heading">
      <div className="toolbar">
        <h1 id="datamap-heading">{t("datamap.title")}</h1>
        {!readOnly && (
          <button type="button" className="primary" data-testid="add-system" onClick={() => setEditing({ id: null, input: emptyInput() })}>
            {t("datamap.add")}
          </button>
        )}
      </div>
      <p className="muted">{t("datamap.intro")}</p>
      {team && (
        <p className="notice" data-testid="team-datamap-note">
          {readOnly
            ? t(team.replica ? "datamap.teamReplica" : "datamap.teamReadOnly", {
                login: team.login,
                role: team.role || t("datamap.noRole"),
              })
            : t("datamap.teamAdmin")}
        </p>
      )}
      {list.length === 0 && (readOnly ? <p className="empty">{t("datamap.empty")}</p> : <StarterOffer />)}
      {editing && !readOnly && <SystemForm editing={editing} onDone={() => setEditing(null)} />}
      {list.length > 0 && (
        <table className="requests" data-testid="systems-table">
          <thead>
            <tr>
              <th scope="col">{t("datamap.col.name")}</th>
              <th scope="col">{t("datamap.col.role")}</th>
              <th scope="col">{t("datamap.col.purposes")}</th>
              <th scope="col">{t("datamap.col.location")}</th>
              <th scope="col">{t("datamap.col.retention")}</th>
              <th scope="col">{t("datamap.col.legalDuty")}</th>
              {!readOnly && (
                <th scope="col">
                  <span className="visually-hidden">{t("datamap.col.actions")}</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {list.map((s) => (
              <SystemRow key={s.id} system={s} onEdit={readOnly ? null : () => setEditing({ id: s.id, input: inputOf(s) })} />
            ))}
          </tbody>
        </table>
      )}
      <ImportExport readOnly={readOnly} />
    </section>
  );
}

/** `onEdit` null: read-only (no edit or remove). */
function SystemRow({ system: s, onEdit }: { system: System; onEdit: (() => void) | null }) {
  const { t, label } = useI18n();
  const remove = useDeleteSystem();
  // Asked in the window itself: window.confirm belongs to the dialog plugin, which the window may not call.
  const [confirming, setConfirming] = useState(false);
  return (
    <tr data-testid="system-row" data-system={s.name}>
      <td>
        <strong>{s.name}</strong>
        {s.vendor && <div className="muted">{s.vendor}</div>}
      </td>
      <td>{label("sysrole", s.role)}</td>
      <td>{s.purposes}</td>
      <td>{s.location}</td>
      <td>{s.retention}</td>
      <td>{s.legal_duty}</td>
      {onEdit && (
        <td className="row-actions">
          <button type="button" onClick={onEdit} data-testid="edit-system">
            {t("datamap.edit")}
          </button>
          {confirming ? (
            <span role="group" data-testid="confirm-remove-system">
              <span>{t("datamap.confirmRemove", { name: s.name })}</span>{" "}
              <button
                type="button"
                data-testid="remove-system-yes"
                onClick={() => remove.mutate(s.id, { onSettled: () => setConfirming(false) })}
              >
                {t("datamap.remove")}
              </button>{" "}
              <button type="button" onClick={() => setConfirming(false)}>
                {t("views.cancel")}
              </button>
            </span>
          ) : (
            <button type="button" data-testid="remove-system" onClick={() => setConfirming(true)}>
              {t("datamap.remove")}
            </button>
          )}
        </td>
      )}
    </tr>
  );
}

function StarterOffer() {
  const { t } = useI18n();
  const starter = useLoadStarterMap();
  return (
    <div className="callout" data-testid="starter-offer">
      <p>{t("datamap.starter")}</p>
      <button type="button" className="primary" data-testid="load-starter" disabled={starter.isPending} onClick={() => starter.mutate()}>
        {t("datamap.useStarter")}
      </button>
      {starter.isError && (
        <p role="alert" className="error" lang="en">
          {messageOf(starter.error)}
        </p>
      )}
    </div>
  );
}

function SystemForm({ editing, onDone }: { editing: NonNullable<Editing>; onDone: () => void }) {
  const { t, label } = useI18n();
  const [input, setInput] = useState<SystemInput>(editing.input);
  const save = useSaveSystem();
  const failure = save.error instanceof IpcFailure ? save.error : null;
  const errorFor = (field: string) =>
    failure?.field === field ? (
      <span className="field-error" data-error-for={field} lang="en">
        {failure.message}
      </span>
    ) : null;

  return (
    <form
      className="grid editor"
      data-testid="system-form"
      aria-label={editing.id ? t("datamap.editSystem") : t("datamap.newSystem")}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ id: editing.id, input }, { onSuccess: onDone });
      }}
    >
      {SYSTEM_FIELDS.map((f) => (
        <label key={f.key} className={f.wide ? "wide" : ""}>
          {t(`system.${f.key}`)}
          {f.key === "role" ? (
            <select name="role" value={input.role} onChange={(e) => setInput({ ...input, role: e.target.value })}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {label("sysrole", r)}
                </option>
              ))}
            </select>
          ) : (
            <input
              name={f.key}
              value={input[f.key]}
              aria-invalid={failure?.field === f.key}
              onChange={(e) => setInput({ ...input, [f.key]: e.target.value })}
            />
          )}
          {errorFor(f.key)}
        </label>
      ))}
      {save.isError && !failure?.field && (
        <p role="alert" className="error wide" lang="en">
          {messageOf(save.error)}
        </p>
      )}
      <div className="actions wide">
        <button type="submit" className="primary" data-testid="save-system" disabled={save.isPending}>
          {t("datamap.save")}
        </button>
        <button type="button" onClick={onDone}>
          {t("datamap.cancel")}
        </button>
      </div>
    </form>
  );
}

function ImportExport({ readOnly }: { readOnly: boolean }) {
  const { t } = useI18n();
  const [text, setText] = useState("");
  const [format, setFormat] = useState<DataFormat>("csv");
  const importing = useImportDatamap();
  const exporting = useExportDatamap();
  const failure = importing.error instanceof IpcFailure ? importing.error : null;

  return (
    <>
      {!readOnly && (
        <>
          <h2>{t("datamap.import")}</h2>
          <p className="muted">{t("datamap.importIntro", { columns: SYSTEM_FIELDS.map((f) => f.key).join(", ") })}</p>
          <div className="import">
            <label>
              {t("datamap.file")}
              <input
                type="file"
                accept=".csv,.json,text/csv,application/json"
                data-testid="datamap-file"
                onChange={async (e) => {
                  const file = e.target.files?.[0];
                  if (!file) return;
                  setFormat(formatOfFileName(file.name));
                  setText(await file.text());
                }}
              />
            </label>
            <label>
              {t("datamap.format")}
              <select name="format" value={format} onChange={(e) => setFormat(e.target.value as DataFormat)}>
                <option value="csv">CSV</option>
                <option value="json">JSON</option>
              </select>
            </label>
            <label className="wide">
              {t("datamap.paste")}
              <textarea
                name="import"
                rows={6}
                data-testid="datamap-import-text"
                value={text}
                aria-invalid={failure?.field === "import"}
                onChange={(e) => setText(e.target.value)}
              />
            </label>
            {importing.isError && (
              <p role="alert" className="field-error" data-error-for={failure?.field ?? "import"} lang="en">
                {messageOf(importing.error)}
              </p>
            )}
            {importing.isSuccess && (
              <p role="status" data-testid="import-result">
                {t("datamap.imported", { added: importing.data.added, updated: importing.data.updated })}
              </p>
            )}
            <div className="actions">
              <button
                type="button"
                className="primary"
                data-testid="import-datamap"
                disabled={importing.isPending || text.trim() === ""}
                onClick={() => importing.mutate({ text, format }, { onSuccess: () => setText("") })}
              >
                {t("datamap.import")}
              </button>
            </div>
          </div>
        </>
      )}

      <h2>{t("datamap.export")}</h2>
      <div className="actions">
        <button type="button" data-testid="export-csv" onClick={() => exporting.mutate("csv")}>
          {t("datamap.exportCsv")}
        </button>
        <button type="button" data-testid="export-json" onClick={() => exporting.mutate("json")}>
          {t("datamap.exportJson")}
        </button>
      </div>
      {exporting.isError && (
        <p role="alert" className="error" lang="en">
          {messageOf(exporting.error)}
        </p>
      )}
      {exporting.isSuccess && (
        <label>
          {t("datamap.exported")}
          <textarea readOnly rows={8} data-testid="datamap-export" value={exporting.data} />
        </label>
      )}
    </>
  );
}
