import { useState } from "react";
import { useI18n } from "../../i18n";
import { rich } from "../../i18n/rich";
import { IpcFailure, messageOf } from "../../ipc/call";
import type { AppInfo, ImportField, ImportOptions } from "../../ipc/types";
import { FIELDS, fileBytes, remap } from "./mapping";
import { useCommitImport, usePreviewImport } from "./queries";

type Props = { info: AppInfo; onDone: () => void };

/** Bulk import: pick a CSV, check the column mapping, see a report per row, then register all rows or none. */
export function ImportScreen({ info, onDone }: Props) {
  const { t, label, date, number } = useI18n();
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
  const separated = (d: string) => (d === "comma" || d === "semicolon" || d === "tab" ? t(`import.sep.${d}`) : `${d}-separated`);

  return (
    <section className="panel wide-panel" aria-labelledby="import-heading" data-testid="import-screen">
      <h1 id="import-heading">{t("import.title")}</h1>
      <p className="muted">{rich(t("import.intro"), { template: <code>assets/import/requests-template.csv</code> })}</p>
      <div className="clock-form">
        <label>
          {t("import.file")}
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
          {t("import.regime")}
          <select value={regime} onChange={(e) => setRegime(e.target.value)} data-testid="import-regime">
            <option value="">{t("import.fromFile")}</option>
            {info.regimes.map((r) => (
              <option key={r.id} value={r.id}>
                {label("regime", r.id, r.name)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("import.channel")}
          <select value={channel} onChange={(e) => setChannel(e.target.value)}>
            <option value="">{label("channel", "email", "Email")}</option>
            {info.channels.map((c) => (
              <option key={c.value} value={c.value}>
                {label("channel", c.value, c.label)}
              </option>
            ))}
          </select>
        </label>
        <label className="check-inline">
          <input
            type="checkbox"
            checked={skipDuplicates}
            onChange={(e) => setSkipDuplicates(e.target.checked)}
            data-testid="import-skip-duplicates"
          />{" "}
          {t("import.skipDuplicates")}
        </label>
        <button
          type="button"
          disabled={!file || preview.isPending}
          onClick={() => file && check(file.content, mapping)}
          data-testid="import-check"
        >
          {t("import.checkAgain")}
        </button>
      </div>
      {fileError && (
        <p role="alert" className="error" data-error-for={fileError.field ?? "file"} data-testid="import-error" lang="en">
          {messageOf(preview.error)}
        </p>
      )}
      {p && mapping && (
        <>
          <h2>{t("import.columns")}</h2>
          <table className="requests mapping" data-testid="import-mapping">
            <thead>
              <tr>
                <th>{t("import.column")}</th>
                <th>{t("import.fills")}</th>
              </tr>
            </thead>
            <tbody>
              {p.headers.map((h, i) => (
                <tr key={`${i}-${h}`}>
                  <td>{h}</td>
                  <td>
                    <select
                      aria-label={t("import.fieldFor", { column: h })}
                      data-column={i}
                      value={mapping[i] ?? ""}
                      onChange={(e) => {
                        const next = remap(mapping, i, (e.target.value || null) as ImportField | null);
                        setMapping(next);
                        if (file) check(file.content, next);
                      }}
                    >
                      <option value="">{t("import.ignore")}</option>
                      {FIELDS.map((f) => (
                        <option key={f.value} value={f.value}>
                          {t(`importField.${f.value}`)}
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>{t("import.rows")}</h2>
          <p data-testid="import-summary">
            {rich(t("import.summary", { encoding: p.encoding, separated: separated(p.delimiter) }), {
              ok: <strong>{number(p.ok)}</strong>,
              errors: <strong>{number(p.errors)}</strong>,
              duplicates: <strong>{number(p.duplicates)}</strong>,
            })}
          </p>
          <table className="requests" data-testid="import-rows">
            <thead>
              <tr>
                <th>{t("import.line")}</th>
                <th>{t("import.check")}</th>
                <th>{t("import.type")}</th>
                <th>{t("import.subject")}</th>
                <th>{t("import.received")}</th>
              </tr>
            </thead>
            <tbody>
              {p.rows.map((r) => (
                <tr key={r.line} data-outcome={r.outcome} data-line={r.line}>
                  <td>{r.line}</td>
                  <td className={r.outcome === "ok" ? "" : "error"} lang={r.outcome === "ok" ? undefined : "en"}>
                    {r.outcome === "ok" ? t("import.ready") : `${r.field ?? t("import.row")}: ${r.message ?? ""}`}
                  </td>
                  <td>{label("type", r.request.request_type)}</td>
                  <td>
                    {r.request.subject_name} <span className="muted">{r.request.subject_email}</span>
                  </td>
                  <td>{date(r.request.received)}</td>
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
              {t("import.commit", { count: p.ok })}
            </button>
            {!p.can_commit && <span className="muted">{t("import.fixFirst")}</span>}
          </div>
        </>
      )}
      {commit.isError && (
        <p role="alert" className="error" data-testid="import-commit-error" lang="en">
          {messageOf(commit.error)}
        </p>
      )}
      {commit.data && (
        <div className="notice" data-testid="import-done">
          {commit.data.skipped_duplicates > 0
            ? t("import.doneSkipped", { count: commit.data.imported, skipped: commit.data.skipped_duplicates })
            : t("import.done", { count: commit.data.imported })}
          .{" "}
          <button type="button" className="link" onClick={onDone}>
            {t("import.seeList")}
          </button>
        </div>
      )}
    </section>
  );
}
