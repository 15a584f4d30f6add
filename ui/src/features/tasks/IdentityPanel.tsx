import { useState } from "react";
import { IpcFailure, messageOf } from "../../ipc/call";
import { IDENTITY_METHODS, methodText } from "./format";
import { useIdentityChecks, useRequestIdentity, useVerifyIdentity } from "./queries";

type Props = { requestId: string; closed: boolean };

/** How the subject's identity was checked; a verification restarts the clock where the law says so. */
export function IdentityPanel({ requestId, closed }: Props) {
  const checks = useIdentityChecks(requestId);
  const verify = useVerifyIdentity();
  const ask = useRequestIdentity();
  const [method, setMethod] = useState(IDENTITY_METHODS[0].value);
  const [outcome, setOutcome] = useState("verified");
  const [note, setNote] = useState("");
  const [on, setOn] = useState("");
  const failure = verify.error instanceof IpcFailure ? verify.error : null;
  const askFailure = ask.error instanceof IpcFailure ? ask.error : null;

  return (
    <section data-testid="identity-panel" aria-labelledby="identity-heading">
      <h2 id="identity-heading">Identity</h2>
      {checks.isSuccess && checks.data.length === 0 && <p className="muted">Not checked yet.</p>}
      {checks.isSuccess && checks.data.length > 0 && (
        <ul data-testid="identity-checks">
          {checks.data.map((c) => (
            <li key={c.id} data-outcome={c.outcome}>
              <strong>{c.outcome === "verified" ? "Verified" : "Not verified"}</strong> — {methodText(c.method)}, {c.checked_on}{" "}
              <span className="muted">by {c.checked_by}</span>
              {c.note && <div className="muted">{c.note}</div>}
            </li>
          ))}
        </ul>
      )}
      {checks.isError && (
        <p role="alert" className="error">
          {messageOf(checks.error)}
        </p>
      )}
      {!closed && (
        <form
          className="inline-form"
          aria-label="Record an identity check"
          onSubmit={(e) => {
            e.preventDefault();
            verify.mutate({ requestId, input: { method, outcome, note, on } }, { onSuccess: () => setNote("") });
          }}
        >
          <label>
            Method
            <select name="identity-method" value={method} onChange={(e) => setMethod(e.target.value)}>
              {IDENTITY_METHODS.map((m) => (
                <option key={m.value} value={m.value}>
                  {m.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            Outcome
            <select name="identity-outcome" value={outcome} onChange={(e) => setOutcome(e.target.value)}>
              <option value="verified">Verified</option>
              <option value="failed">Not verified</option>
            </select>
          </label>
          <label>
            On (empty: today)
            <input name="identity-on" type="date" value={on} aria-invalid={failure?.field === "on"} onChange={(e) => setOn(e.target.value)} />
          </label>
          <label>
            Note
            <input name="identity-note" value={note} onChange={(e) => setNote(e.target.value)} />
          </label>
          <button type="submit" data-testid="record-identity" disabled={verify.isPending}>
            Record the check
          </button>
          <button type="button" data-testid="request-identity" disabled={ask.isPending} onClick={() => ask.mutate({ requestId, on })}>
            Proof requested…
          </button>
          {verify.isError && (
            <p role="alert" className="field-error" data-error-for={failure?.field ?? "identity"}>
              {messageOf(verify.error)}
            </p>
          )}
          {ask.isError && (
            <p role="alert" className="field-error" data-error-for={askFailure?.field ?? "identity"}>
              {messageOf(ask.error)}
            </p>
          )}
        </form>
      )}
      <p className="muted">Identity documents attached below are deleted when the identity is verified.</p>
    </section>
  );
}
