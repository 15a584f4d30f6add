import { useState, type FormEvent } from "react";
import type { AppInfo, ClockEvent, RequestType } from "../../ipc/types";
import { IpcFailure, messageOf } from "../../ipc/call";
import { useWhatIf } from "./queries";
import { ScheduleView } from "./ScheduleView";

const EVENT_FIELDS: { name: string; label: string; kind: ClockEvent["kind"] }[] = [
  { name: "id-requested", label: "Identity requested", kind: "identity-requested" },
  { name: "id-received", label: "Identity received", kind: "identity-received" },
  { name: "clarification-requested", label: "Clarification requested", kind: "clarification-requested" },
  { name: "clarification-received", label: "Clarification received", kind: "clarification-received" },
  { name: "fee-paid", label: "Fee paid", kind: "fee-paid" },
  { name: "cost-notice", label: "Cost notice (CH)", kind: "cost-notice" },
  { name: "extension-notified", label: "Extension notified", kind: "extension-notice-sent" },
];

/** "What if": every date for a hypothetical request, with the explanation. Nothing is saved. */
export function Calculator({ info }: { info: AppInfo }) {
  const first = info.regimes[0];
  const [regime, setRegime] = useState(first?.id ?? "");
  const [jurisdiction, setJurisdiction] = useState(first?.default_jurisdiction ?? "");
  const [type, setType] = useState<RequestType>("access");
  const [received, setReceived] = useState(info.today);
  const [dates, setDates] = useState<Record<string, string>>({});
  const calc = useWhatIf();
  const current = info.regimes.find((r) => r.id === regime);

  function submit(e: FormEvent) {
    e.preventDefault();
    const events: ClockEvent[] = EVENT_FIELDS.filter((f) => dates[f.name]).map((f) => {
      const on = dates[f.name] ?? "";
      return f.kind === "extension-notice-sent" ? { kind: f.kind, on, reason: null, until: null } : ({ kind: f.kind, on } as ClockEvent);
    });
    events.sort((a, b) => a.on.localeCompare(b.on));
    calc.mutate({ regime, jurisdiction, request_type: type, received, events, options: null, today: info.today });
  }

  const error = calc.error;
  return (
    <section className="panel" aria-labelledby="calc-heading" data-testid="calculator">
      <h1 id="calc-heading">Deadline calculator</h1>
      <p className="muted">What if a request arrived on a given day? Every date, and how it was reached. Nothing is saved.</p>
      <form onSubmit={submit} noValidate>
        <div className="grid">
          <label>
            Law (regime)
            <select
              name="calc-regime"
              value={regime}
              onChange={(e) => {
                setRegime(e.target.value);
                setJurisdiction(info.regimes.find((r) => r.id === e.target.value)?.default_jurisdiction ?? "");
              }}
            >
              {info.regimes.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Jurisdiction
            <select name="calc-jurisdiction" value={jurisdiction} onChange={(e) => setJurisdiction(e.target.value)}>
              {(current?.jurisdictions ?? []).map((j) => (
                <option key={j.code} value={j.code}>
                  {j.name} ({j.code})
                </option>
              ))}
            </select>
          </label>
          <label>
            Request type
            <select name="calc-type" value={type} onChange={(e) => setType(e.target.value as RequestType)}>
              {info.request_types.map((t) => (
                <option key={t.value} value={t.value}>
                  {t.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            Received on
            <input name="calc-received" type="date" value={received} onChange={(e) => setReceived(e.target.value)} />
          </label>
          {EVENT_FIELDS.map((f) => (
            <label key={f.name}>
              {f.label} <span className="muted">(optional)</span>
              <input
                name={`calc-${f.name}`}
                type="date"
                value={dates[f.name] ?? ""}
                onChange={(e) => setDates((d) => ({ ...d, [f.name]: e.target.value }))}
              />
            </label>
          ))}
        </div>
        <div className="actions">
          <button type="submit" className="primary" disabled={calc.isPending}>
            Calculate
          </button>
        </div>
      </form>
      {error && (
        <p role="alert" className="error" data-error-for={error instanceof IpcFailure ? (error.field ?? "calc") : "calc"}>
          {messageOf(error)}
        </p>
      )}
      {calc.data && <ScheduleView schedule={calc.data} />}
    </section>
  );
}
