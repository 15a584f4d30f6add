import { useState } from "react";
import { messageOf } from "../../ipc/call";
import { purgeSentence } from "./format";
import { usePurgePreview, useRunPurge } from "./queries";

/** The preview of the next purge, and the purge itself behind an explicit confirmation. */
export function PurgePanel() {
  const preview = usePurgePreview();
  const run = useRunPurge();
  const [confirming, setConfirming] = useState(false);
  const [agreed, setAgreed] = useState(false);

  if (preview.isError) return <p role="alert">{messageOf(preview.error)}</p>;
  if (!preview.data) return <p>Loading…</p>;
  const plan = preview.data;
  const n = plan.requests.length;

  return (
    <section className="panel" aria-labelledby="purge-heading" data-testid="purge-panel">
      <h2 id="purge-heading">Next purge</h2>
      <p data-testid="purge-summary">
        As of {plan.as_of}:{" "}
        {n === 0
          ? purgeSentence(plan)
          : `${n} closed request${n === 1 ? " has" : "s have"} reached the end of the retention period; the purge removes their personal data.`}
      </p>
      {n > 0 && (
        <table data-testid="purge-preview">
          <thead>
            <tr>
              <th scope="col">Reference</th>
              <th scope="col">Type</th>
              <th scope="col">Law</th>
              <th scope="col">Outcome</th>
              <th scope="col">Closed</th>
              <th scope="col">Due for purge since</th>
            </tr>
          </thead>
          <tbody>
            {plan.requests.map((r) => (
              <tr key={r.id}>
                <td>{r.reference}</td>
                <td>{r.request_type}</td>
                <td>{r.regime}</td>
                <td>{r.status}</td>
                <td>{r.closed_on}</td>
                <td>{r.purge_from}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {n > 0 && !confirming && (
        <button type="button" onClick={() => setConfirming(true)} data-testid="purge-start">
          Purge…
        </button>
      )}
      {confirming && (
        <div role="group" aria-labelledby="purge-confirm-heading" className="confirm" data-testid="purge-confirm">
          <h3 id="purge-confirm-heading">Confirm the purge</h3>
          <label className="check">
            <input type="checkbox" checked={agreed} onChange={(e) => setAgreed(e.target.checked)} name="agree" />
            {purgeSentence(plan)}
          </label>
          <div className="actions">
            <button
              type="button"
              disabled={!agreed || run.isPending}
              onClick={() =>
                run.mutate(n, {
                  onSettled: () => {
                    setConfirming(false);
                    setAgreed(false);
                  },
                })
              }
              data-testid="purge-run"
            >
              Remove the personal data of {n} request{n === 1 ? "" : "s"}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {run.data && (
        <p role="status" data-testid="purge-done">
          Purged the personal data of {run.data.requests} request{run.data.requests === 1 ? "" : "s"}; the purge is on the
          audit trail.
        </p>
      )}
      {run.error && <p role="alert">{messageOf(run.error)}</p>}
      <p className="muted">
        From the command line: <code>rightsdesk purge --dry-run</code> lists the same, <code>rightsdesk purge</code> runs it.
      </p>
    </section>
  );
}
