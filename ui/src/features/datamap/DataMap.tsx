import { useState } from "react";
import type { DataFormat, System, SystemInput } from "../../ipc/types";
import { IpcFailure, messageOf } from "../../ipc/call";
import { emptyInput, formatOfFileName, inputOf, ROLES, SYSTEM_FIELDS } from "./fields";
import {
  useDeleteSystem,
  useExportDatamap,
  useImportDatamap,
  useLoadStarterMap,
  useSaveSystem,
  useSystems,
} from "./queries";

type Editing = { id: string | null; input: SystemInput } | null;

/** The organisation's data map: systems and processors, editable, importable and exportable. */
export function DataMap() {
  const systems = useSystems();
  const [editing, setEditing] = useState<Editing>(null);

  if (systems.isPending) return <p>Loading…</p>;
  if (systems.isError) {
    return (
      <p role="alert" className="error">
        {messageOf(systems.error)}
      </p>
    );
  }
  const list = systems.data;

  return (
    <section className="panel wide-panel" data-testid="datamap" aria-labelledby="datamap-heading">
      <div className="toolbar">
        <h1 id="datamap-heading">Data map</h1>
        <button type="button" className="primary" data-testid="add-system" onClick={() => setEditing({ id: null, input: emptyInput() })}>
          Add a system
        </button>
      </div>
      <p className="muted">
        Every system and processor that holds personal data. Each new request gets a task per system; an erasure offers the
        legal duty recorded here as the reason to keep data.
      </p>
      {list.length === 0 && <StarterOffer />}
      {editing && <SystemForm editing={editing} onDone={() => setEditing(null)} />}
      {list.length > 0 && (
        <table className="requests" data-testid="systems-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Purposes</th>
              <th scope="col">Location</th>
              <th scope="col">Retention</th>
              <th scope="col">Legal duty</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((s) => (
              <SystemRow key={s.id} system={s} onEdit={() => setEditing({ id: s.id, input: inputOf(s) })} />
            ))}
          </tbody>
        </table>
      )}
      <ImportExport />
    </section>
  );
}

function SystemRow({ system: s, onEdit }: { system: System; onEdit: () => void }) {
  const remove = useDeleteSystem();
  return (
    <tr data-testid="system-row" data-system={s.name}>
      <td>
        <strong>{s.name}</strong>
        {s.vendor && <div className="muted">{s.vendor}</div>}
      </td>
      <td>{ROLES.find((r) => r.value === s.role)?.label ?? s.role}</td>
      <td>{s.purposes}</td>
      <td>{s.location}</td>
      <td>{s.retention}</td>
      <td>{s.legal_duty}</td>
      <td className="row-actions">
        <button type="button" onClick={onEdit} data-testid="edit-system">
          Edit
        </button>
        <button
          type="button"
          onClick={() => {
            if (window.confirm(`Remove ${s.name} from the data map? Tasks already created keep its name.`)) remove.mutate(s.id);
          }}
        >
          Remove
        </button>
      </td>
    </tr>
  );
}

function StarterOffer() {
  const starter = useLoadStarterMap();
  return (
    <div className="callout" data-testid="starter-offer">
      <p>
        The data map is empty. Start from a starter map drawn from a real small software company's published sub-processors
        and retention periods (Stripe, hosting, email, AI inference; payment records kept 7 years), then edit it to fit.
      </p>
      <button type="button" className="primary" data-testid="load-starter" disabled={starter.isPending} onClick={() => starter.mutate()}>
        Use the starter map
      </button>
      {starter.isError && (
        <p role="alert" className="error">
          {messageOf(starter.error)}
        </p>
      )}
    </div>
  );
}

function SystemForm({ editing, onDone }: { editing: NonNullable<Editing>; onDone: () => void }) {
  const [input, setInput] = useState<SystemInput>(editing.input);
  const save = useSaveSystem();
  const failure = save.error instanceof IpcFailure ? save.error : null;
  const errorFor = (field: string) =>
    failure?.field === field ? (
      <span className="field-error" data-error-for={field}>
        {failure.message}
      </span>
    ) : null;

  return (
    <form
      className="grid editor"
      data-testid="system-form"
      aria-label={editing.id ? "Edit system" : "New system"}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ id: editing.id, input }, { onSuccess: onDone });
      }}
    >
      {SYSTEM_FIELDS.map((f) => (
        <label key={f.key} className={f.wide ? "wide" : ""}>
          {f.label}
          {f.key === "role" ? (
            <select name="role" value={input.role} onChange={(e) => setInput({ ...input, role: e.target.value })}>
              {ROLES.map((r) => (
                <option key={r.value} value={r.value}>
                  {r.label}
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
        <p role="alert" className="error wide">
          {messageOf(save.error)}
        </p>
      )}
      <div className="actions wide">
        <button type="submit" className="primary" data-testid="save-system" disabled={save.isPending}>
          Save
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function ImportExport() {
  const [text, setText] = useState("");
  const [format, setFormat] = useState<DataFormat>("csv");
  const importing = useImportDatamap();
  const exporting = useExportDatamap();
  const failure = importing.error instanceof IpcFailure ? importing.error : null;

  return (
    <>
      <h2>Import</h2>
      <p className="muted">
        CSV with a header row (columns: {SYSTEM_FIELDS.map((f) => f.key).join(", ")}) or a JSON array of objects with those
        fields. Systems are matched by name; a file with any bad row is refused whole.
      </p>
      <div className="import">
        <label>
          File
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
          Format
          <select name="format" value={format} onChange={(e) => setFormat(e.target.value as DataFormat)}>
            <option value="csv">CSV</option>
            <option value="json">JSON</option>
          </select>
        </label>
        <label className="wide">
          Or paste the file here
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
          <p role="alert" className="field-error" data-error-for={failure?.field ?? "import"}>
            {messageOf(importing.error)}
          </p>
        )}
        {importing.isSuccess && (
          <p role="status" data-testid="import-result">
            Imported: {importing.data.added} added, {importing.data.updated} updated.
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
            Import
          </button>
        </div>
      </div>

      <h2>Export</h2>
      <div className="actions">
        <button type="button" data-testid="export-csv" onClick={() => exporting.mutate("csv")}>
          Export as CSV
        </button>
        <button type="button" data-testid="export-json" onClick={() => exporting.mutate("json")}>
          Export as JSON
        </button>
      </div>
      {exporting.isError && (
        <p role="alert" className="error">
          {messageOf(exporting.error)}
        </p>
      )}
      {exporting.isSuccess && (
        <label>
          The data map (copy it into a file)
          <textarea readOnly rows={8} data-testid="datamap-export" value={exporting.data} />
        </label>
      )}
    </>
  );
}
