import { messageOf } from "../../ipc/call";
import { useI18n } from "../../i18n";
import { rich } from "../../i18n/rich";
import { useAuditReport, useExportAudit } from "./queries";

/** Checks the hash-chained audit trail and exports it for a regulator, on either register. */
export function AuditTrail() {
  const { t } = useI18n();
  const report = useAuditReport();
  const exporting = useExportAudit();

  return (
    <section className="panel" data-testid="audit" aria-labelledby="audit-heading">
      <h1 id="audit-heading">{t("audit.title")}</h1>
      <p className="muted">{t("audit.intro")}</p>
      <div className="actions">
        <button type="button" data-testid="verify-audit" onClick={() => void report.refetch()}>
          {t("audit.checkAgain")}
        </button>
      </div>
      {report.isPending && <p>{t("audit.checking")}</p>}
      {report.isError && (
        <p role="alert" className="error" lang="en">
          {messageOf(report.error)}
        </p>
      )}
      {report.isSuccess && report.data.intact && (
        <p role="status" data-testid="audit-result" data-intact="true" className="urgency-ok">
          {rich(t("audit.intact", { count: report.data.checked }), { hash: <code>{report.data.head_hash}</code> })}
        </p>
      )}
      {report.isSuccess && !report.data.intact && (
        <div role="alert" data-testid="audit-result" data-intact="false">
          <p className="error">{t("audit.changed")}</p>
          <ul lang="en">
            {report.data.problems.map((p) => (
              <li key={`${p.seq}:${p.problem}`}>{p.problem}</li>
            ))}
          </ul>
        </div>
      )}
      <h2>{t("audit.export")}</h2>
      <p className="muted">{t("audit.exportIntro")}</p>
      <div className="actions">
        <button type="button" data-testid="export-audit-csv" onClick={() => exporting.mutate("csv")}>
          {t("audit.exportCsv")}
        </button>
        <button type="button" onClick={() => exporting.mutate("json")}>
          {t("audit.exportJson")}
        </button>
      </div>
      {exporting.isSuccess && (
        <label>
          {t("audit.exported")}
          <textarea readOnly rows={10} data-testid="audit-export" value={exporting.data} />
        </label>
      )}
    </section>
  );
}
