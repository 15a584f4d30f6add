import { useState, type FormEvent } from "react";
import type { AppInfo, ClockEvent, RequestType } from "../../ipc/types";
import { IpcFailure, messageOf } from "../../ipc/call";
import { useWhatIf } from "./queries";
import { ScheduleView } from "./ScheduleView";
import { useI18n } from "../../i18n";
import { coreLabels } from "../../i18n/coreLabels";
import { DateField, invalidDateField } from "../../components/DateField";

const EVENT_FIELDS: { name: string; kind: ClockEvent["kind"] }[] = [
  { name: "id-requested", kind: "identity-requested" },
  { name: "id-received", kind: "identity-received" },
  { name: "clarification-requested", kind: "clarification-requested" },
  { name: "clarification-received", kind: "clarification-received" },
  { name: "fee-paid", kind: "fee-paid" },
  { name: "cost-notice", kind: "cost-notice" },
  { name: "extension-notified", kind: "extension-notice-sent" },
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
  const i18n = useI18n();
  const { t, label } = i18n;
  const labels = coreLabels(i18n, info);
  const current = info.regimes.find((r) => r.id === regime);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (invalidDateField(e.currentTarget)) return;
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
      <h1 id="calc-heading">{t("calc.title")}</h1>
      <p className="muted">{t("calc.intro")}</p>
      <form onSubmit={submit} noValidate>
        <div className="grid">
          <label>
            {t("new.regime")}
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
                  {labels.regime(r.id)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("new.jurisdiction")}
            <select name="calc-jurisdiction" value={jurisdiction} onChange={(e) => setJurisdiction(e.target.value)}>
              {(current?.jurisdictions ?? []).map((j) => (
                <option key={j.code} value={j.code}>
                  {i18n.jurisdiction(j.code, j.name)} ({j.code})
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("new.type")}
            <select name="calc-type" value={type} onChange={(e) => setType(e.target.value as RequestType)}>
              {info.request_types.map((x) => (
                <option key={x.value} value={x.value}>
                  {labels.type(x.value)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("new.received")}
            <DateField
              name="calc-received"
              label={t("new.received")}
              value={received}
              onChange={setReceived}
              placeholderDate={info.today}
            />
          </label>
          {EVENT_FIELDS.map((f) => (
            <label key={f.name}>
              {label("clock", f.kind)} <span className="muted">{t("calc.optional")}</span>
              <DateField
                name={`calc-${f.name}`}
                label={label("clock", f.kind)}
                value={dates[f.name] ?? ""}
                onChange={(on) => setDates((d) => ({ ...d, [f.name]: on }))}
                placeholderDate={info.today}
              />
            </label>
          ))}
        </div>
        <div className="actions">
          <button type="submit" className="primary" disabled={calc.isPending}>
            {t("calc.submit")}
          </button>
        </div>
      </form>
      {error && (
        <p role="alert" className="error" lang="en" data-error-for={error instanceof IpcFailure ? (error.field ?? "calc") : "calc"}>
          {messageOf(error)}
        </p>
      )}
      {calc.data && <ScheduleView schedule={calc.data} />}
    </section>
  );
}
