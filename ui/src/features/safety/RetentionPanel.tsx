import { useState } from "react";
import { IpcFailure, messageOf } from "../../ipc/call";
import type { RetentionPolicy } from "../../ipc/types";
import { period } from "./format";
import { useRetentionPolicies, useSetRetention } from "./queries";

function PolicyRow({ policy }: { policy: RetentionPolicy }) {
  const save = useSetRetention();
  const [months, setMonths] = useState(String(policy.months));
  const error = save.error;
  return (
    <tr data-testid={`retention-${policy.regime}`}>
      <th scope="row">{policy.regime_name}</th>
      <td>
        <form
          className="inline"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate({ regime: policy.regime, months: Number(months) });
          }}
        >
          <label>
            <span className="visually-hidden">Months after closure for {policy.regime_name}</span>
            <input name="months" type="number" min={1} max={240} value={months} onChange={(e) => setMonths(e.target.value)} />
          </label>
          <button type="submit" disabled={save.isPending || months === String(policy.months)}>
            Save
          </button>
          {error instanceof IpcFailure && error.field === "months" && (
            <span className="field-error" role="alert" data-error-for="months">
              {error.message}
            </span>
          )}
          {error && !(error instanceof IpcFailure && error.field === "months") && <span role="alert">{messageOf(error)}</span>}
        </form>
      </td>
      <td>
        {period(policy.default_months)}
        {policy.months !== policy.default_months && <span className="muted"> (changed)</span>}
      </td>
      <td className="muted">{policy.basis}</td>
    </tr>
  );
}

/** How long each regime's closed requests keep their personal data, with the default and why. */
export function RetentionPanel() {
  const policies = useRetentionPolicies();
  if (policies.isError) return <p role="alert">{messageOf(policies.error)}</p>;
  if (!policies.data) return <p>Loading…</p>;
  return (
    <section className="panel" aria-labelledby="retention-heading" data-testid="retention-panel">
      <h2 id="retention-heading">Retention of closed requests</h2>
      <p className="muted">
        After this many months from closure, a request&apos;s personal data is removed by the purge (its preview lists
        exactly what). Its anonymised record (type, law, dates, status, outcome) stays for the yearly figures and the
        audit trail.
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">Law</th>
            <th scope="col">Months after closure</th>
            <th scope="col">Default</th>
            <th scope="col">Why the default</th>
          </tr>
        </thead>
        <tbody>
          {policies.data.map((p) => (
            <PolicyRow key={`${p.regime}-${p.months}`} policy={p} />
          ))}
        </tbody>
      </table>
    </section>
  );
}
