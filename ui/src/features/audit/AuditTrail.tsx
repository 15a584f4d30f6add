import { messageOf } from "../../ipc/call";
import { useAuditReport, useExportAudit } from "./queries";

/** Checks the hash-chained audit trail and exports it for a regulator. */
export function AuditTrail() {
  const report = useAuditReport();
  const exporting = useExportAudit();

  return (
    <section className="panel" data-testid="audit" aria-labelledby="audit-heading">
      <h1 id="audit-heading">Audit trail</h1>
      <p className="muted">
        Every event is sealed with a hash chained to the one before. The check recomputes the chain and compares it with the
        events: any edit, deletion, insertion or reordering shows where it happened.
      </p>
      <div className="actions">
        <button type="button" data-testid="verify-audit" onClick={() => void report.refetch()}>
          Check again
        </button>
      </div>
      {report.isPending && <p>Checking…</p>}
      {report.isError && (
        <p role="alert" className="error">
          {messageOf(report.error)}
        </p>
      )}
      {report.isSuccess && report.data.intact && (
        <p role="status" data-testid="audit-result" data-intact="true" className="urgency-ok">
          Intact: {report.data.checked} events checked. Head hash <code>{report.data.head_hash}</code>
        </p>
      )}
      {report.isSuccess && !report.data.intact && (
        <div role="alert" data-testid="audit-result" data-intact="false">
          <p className="error">The trail was changed outside Rightsdesk:</p>
          <ul>
            {report.data.problems.map((p) => (
              <li key={`${p.seq}:${p.problem}`}>{p.problem}</li>
            ))}
          </ul>
        </div>
      )}
      <h2>Export for a regulator</h2>
      <p className="muted">Identifiers, actions, who and when, and the hashes; no personal data in clear.</p>
      <div className="actions">
        <button type="button" data-testid="export-audit-csv" onClick={() => exporting.mutate("csv")}>
          Export as CSV
        </button>
        <button type="button" onClick={() => exporting.mutate("json")}>
          Export as JSON
        </button>
      </div>
      {exporting.isSuccess && (
        <label>
          The audit trail (copy it into a file)
          <textarea readOnly rows={10} data-testid="audit-export" value={exporting.data} />
        </label>
      )}
    </section>
  );
}
