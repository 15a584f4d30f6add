import { useState } from "react";
import { IpcFailure, messageOf } from "../../ipc/call";
import type { AppInfo, ImportField, ImportOptions } from "../../ipc/types";
import { FIELDS, fileBytes, remap } from "./mapping";
import { useCommitImport, usePreviewImport } from "./queries";

type Props = { info: AppInfo; onDone: () => void };

/** Bulk import: pick a CSV, check the column mapping, see a report per row, then register all rows or none. */
export function ImportScreen({ info, onDone }: Props) {
  const [file, setFile] = useState<{ name: string; content: number[] } | null>(null);
  const [mapping, setMapping] = useState<(ImportField | null)[] | null>(null);
  const [regime, setRegime] = useState("");
  const [channel, setChannel] = useState("");
  const [skipDuplicates, setSkipDuplicates] = useState(false);
  const preview = usePreviewImport();
  const commit = useCommitImport();

  const options = (m: (ImportField | null)[] | null): ImportOptions => ({
    mapping: m,
    default_regime: regime,
    default_channel: channel,
    skip_duplicates: skipDuplicates,
  });
  const check = (content: number[], m: (ImportField | null)[] | null) => {
    commit.reset();
    preview.mutate({ content, options: options(m) }, { onSuccess: (p) => setMapping(p.mapping) });
  };
  const p = preview.data;
  const fileError = preview.error instanceof IpcFailure ? preview.error : null;

  return (
    <section className="panel wide-panel" aria-labelledby="import-heading" data-testid="import-screen">
      <h1 id="import-heading">Import requests</h1>
      <p className="muted">
        A CSV file from a web form or another tracker: UTF-8 or Windows-1252, separated by commas, semicolons or tabs.
        The template <code>assets/import/requests-template.csv</code> shows the columns. Nothing is registered until
        every row is valid, and then all rows are registered together.
      </p>
      <div className="clock-form">
        <label>
          CSV file
          <input
            type="file"
            accept=".csv,.tsv,.txt,text/csv"
            data-testid="import-file"
            onChange={async (e) => {
              const f = e.target.files?.[0];
              if (!f) return;
              const content = await fileBytes(f);
              setFile({ name: f.name, content });
              setMapping(null);
              check(content, null);
            }}
          />
        </label>
        <label>
          Regime for rows without one
          <select value={regime} onChange={(e) => setRegime(e.target.value)} data-testid="import-regime">
            <option value="">— from the file —</option>
            {info.regimes.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Channel for rows without one
          <select value={channel} onChange={(e) => setChannel(e.target.value)}>
            <option value="">Email</option>
            {info.channels.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        <label className="check-inline">
          <input type="checkbox" checked={skipDuplicates} onChange={(e) => setSkipDuplicates(e.target.checked)} data-testid="import-skip-duplicates" />{" "}
          Leave out duplicates
        </label>
        <button type="button" disabled={!file || preview.isPending} onClick={() => file && check(file.content, mapping)} data-testid="import-check">
          Check again
        </button>
      </div>
      {fileError && (
        <p role="alert" className="error" data-error-for={fileError.field ?? "file"} data-testid="import-error">
          {messageOf(preview.error)}
        </p>
      )}
      {p && mapping && (
        <>
          <h2>Columns</h2>
          <table className="requests mapping" data-testid="import-mapping">
            <thead>
              <tr>
                <th>Column in the file</th>
                <th>Fills</th>
              </tr>
            </thead>
            <tbody>
              {p.headers.map((h, i) => (
                <tr key={`${i}-${h}`}>
                  <td>{h}</td>
                  <td>
                    <select
                      aria-label={`Field for column ${h}`}
                      data-column={i}
                      value={mapping[i] ?? ""}
                      onChange={(e) => {
                        const next = remap(mapping, i, (e.target.value || null) as ImportField | null);
                        setMapping(next);
                        if (file) check(file.content, next);
                      }}
                    >
                      <option value="">— ignore —</option>
                      {FIELDS.map((f) => (
                        <option key={f.value} value={f.value}>
                          {f.label}
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Rows</h2>
          <p data-testid="import-summary">
            Read as {p.encoding}, {p.delimiter}-separated: <strong>{p.ok}</strong> ready, <strong>{p.errors}</strong> with
            errors, <strong>{p.duplicates}</strong> duplicates.
          </p>
          <table className="requests" data-testid="import-rows">
            <thead>
              <tr>
                <th>Line</th>
                <th>Check</th>
                <th>Type</th>
                <th>Subject</th>
                <th>Received</th>
              </tr>
            </thead>
            <tbody>
              {p.rows.map((r) => (
                <tr key={r.line} data-outcome={r.outcome} data-line={r.line}>
                  <td>{r.line}</td>
                  <td className={r.outcome === "ok" ? "" : "error"}>
                    {r.outcome === "ok" ? "ready" : `${r.field ?? "row"}: ${r.message ?? ""}`}
                  </td>
                  <td>{r.request.request_type}</td>
                  <td>
                    {r.request.subject_name} <span className="muted">{r.request.subject_email}</span>
                  </td>
                  <td>{r.request.received}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="actions">
            <button
              type="button"
              className="primary"
              data-testid="import-commit"
              disabled={!p.can_commit || commit.isPending || !file}
              onClick={() => file && commit.mutate({ fileName: file.name, content: file.content, options: options(mapping) })}
            >
              Import {p.ok} requests
            </button>
            {!p.can_commit && <span className="muted">Fix the file (or leave out duplicates) to import.</span>}
          </div>
        </>
      )}
      {commit.isError && (
        <p role="alert" className="error" data-testid="import-commit-error">
          {messageOf(commit.error)}
        </p>
      )}
      {commit.data && (
        <div className="notice" data-testid="import-done">
          Imported {commit.data.imported} requests
          {commit.data.skipped_duplicates > 0 ? `, left out ${commit.data.skipped_duplicates} duplicates` : ""}.{" "}
          <button type="button" className="link" onClick={onDone}>
            See them in the list
          </button>
        </div>
      )}
    </section>
  );
}
