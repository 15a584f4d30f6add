import { useEffect, useState, type FormEvent } from "react";
import type { EngineOptions } from "../../ipc/types";
import { IpcFailure, messageOf } from "../../ipc/call";
import { useDeadlineOptions, useSetDeadlineOptions } from "../deadlines/queries";

/** The organisation's promise, the internal target, and the readings where sources disagree. */
export function DeadlineSettings() {
  const saved = useDeadlineOptions();
  const save = useSetDeadlineOptions();
  const [form, setForm] = useState<EngineOptions | null>(null);
  useEffect(() => {
    if (saved.data) setForm(saved.data);
  }, [saved.data]);

  if (saved.isError) return <p role="alert">{messageOf(saved.error)}</p>;
  if (!form) return <p>Loading…</p>;
  const set = <K extends keyof EngineOptions>(key: K, value: EngineOptions[K]) => setForm({ ...form, [key]: value });
  const error = save.error;
  const at = (field: string) =>
    error instanceof IpcFailure && error.field === field ? (
      <span className="field-error" role="alert" data-error-for={field}>
        {error.message}
      </span>
    ) : null;

  function submit(e: FormEvent) {
    e.preventDefault();
    if (form) save.mutate(form);
  }

  return (
    <section className="panel" aria-labelledby="settings-heading" data-testid="deadline-settings">
      <h1 id="settings-heading">Deadline settings</h1>
      <p className="muted">
        Changing these recomputes the dates of every open request; each change is recorded on its timeline. Closed
        requests keep their dates.
      </p>
      <form onSubmit={submit} noValidate className="settings">
        <label>
          Our promise: we answer within (calendar days, empty for none)
          <input
            name="promise_days"
            type="number"
            min={1}
            value={form.promise_days ?? ""}
            onChange={(e) => set("promise_days", e.target.value === "" ? null : Number(e.target.value))}
          />
          <span className="muted">Shown beside the legal date; it can only make a date earlier, never later.</span>
          {at("promise_days")}
        </label>
        <label>
          Internal target: working days before the legal date
          <input
            name="target_working_days"
            type="number"
            min={0}
            value={form.target_working_days}
            onChange={(e) => set("target_working_days", Number(e.target.value))}
          />
          {at("target_working_days")}
        </label>
        <fieldset>
          <legend>Readings where the sources disagree</legend>
          <label className="check">
            <input type="checkbox" name="eu_identity_pause" checked={form.eu_identity_pause} onChange={(e) => set("eu_identity_pause", e.target.checked)} />
            EU GDPR: pause the month while identity evidence is awaited
            <span className="muted">Off (default): the earlier, safe date. On: some DPAs' reading of Art. 12(6); dates move later.</span>
          </label>
          <label className="check">
            <input type="checkbox" name="uk_day_after_receipt" checked={form.uk_day_after_receipt} onChange={(e) => set("uk_day_after_receipt", e.target.checked)} />
            UK: count from the day after receipt
            <span className="muted">Off (default): the current ICO rule, the day of receipt counts. On: the pre-2019 reading, one day later.</span>
          </label>
          <label className="check">
            <input type="checkbox" name="ccpa_receipt_is_day_one" checked={form.ccpa_receipt_is_day_one} onChange={(e) => set("ccpa_receipt_is_day_one", e.target.checked)} />
            CCPA: the day of receipt is day 1
            <span className="muted">Off (default): first day excluded (CCP § 12), received 1 Mar → due 15 Apr. On: one day earlier.</span>
          </label>
          <label className="check">
            <input type="checkbox" name="ccpa_roll_holidays" checked={form.ccpa_roll_holidays} onChange={(e) => set("ccpa_roll_holidays", e.target.checked)} />
            CCPA: move a deadline that ends on a weekend or holiday
            <span className="muted">Off (default): the regulation counts calendar days. On: CCP § 12a; dates may move later.</span>
          </label>
          <label>
            CCPA business days follow
            <select name="ccpa_calendar" value={form.ccpa_calendar} onChange={(e) => set("ccpa_calendar", e.target.value as EngineOptions["ccpa_calendar"])}>
              <option value="us-federal">US federal holidays (default)</option>
              <option value="california">California state holidays</option>
            </select>
          </label>
        </fieldset>
        {error && !(error instanceof IpcFailure && error.field) && (
          <p role="alert" className="error">
            {messageOf(error)}
          </p>
        )}
        {save.isSuccess && <p role="status">Saved; open requests were recomputed.</p>}
        <div className="actions">
          <button type="submit" className="primary" disabled={save.isPending}>
            Save
          </button>
        </div>
      </form>
    </section>
  );
}
