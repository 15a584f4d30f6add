import { useState, type FormEvent } from "react";
import type { AppInfo, NewRequest, ProcessorInput, RequestChannel, RequestType } from "../../ipc/types";
import { IpcFailure, messageOf } from "../../ipc/call";
import { useI18n } from "../../i18n";
import { useRegisterProcessorRequest, useRegisterRequest } from "./queries";
import { DateField, invalidDateField } from "../../components/DateField";

type Props = {
  info: AppInfo;
  onCreated: (id: string) => void;
  onCancel: () => void;
};

/** A message shown under the control the core named in its error. */
function FieldError({ field, error }: { field: string; error: unknown }) {
  if (!(error instanceof IpcFailure) || error.field !== field) return null;
  return (
    <span className="field-error" id={`error-${field}`} data-error-for={field} role="alert" lang="en">
      {error.message}
    </span>
  );
}

/** A random key naming one form's submission (randomUUID needs a secure context; the fallback does not). */
function newSubmissionKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

export function NewRequestForm({ info, onCreated, onCancel }: Props) {
  const firstRegime = info.regimes[0];
  const [form, setForm] = useState<NewRequest>({
    request_type: "access",
    regime: firstRegime?.id ?? "",
    jurisdiction: firstRegime?.default_jurisdiction ?? "",
    subject_name: "",
    subject_email: "",
    identifiers: [],
    channel: "email",
    received: info.today,
    time_zone: "",
    notes: "",
    appeal_of: "",
  });
  // One key per form: a submission sent again (a retry after a lost answer) returns the request
  // it already registered instead of a duplicate; a new form is a new submission.
  const [idempotencyKey] = useState(newSubmissionKey);
  const register = useRegisterRequest();
  // Received as processor for a customer: the customer is the controller and answers the subject (issue 19 item 12).
  const [asProcessor, setAsProcessor] = useState(false);
  const [role, setRole] = useState<ProcessorInput>({ controller: "", controller_email: "", received_by_us: "" });
  const registerAsProcessor = useRegisterProcessorRequest();
  const { t, label, jurisdiction } = useI18n();
  const regime = info.regimes.find((r) => r.id === form.regime);
  const set = (key: "jurisdiction" | "subject_name" | "subject_email" | "appeal_of" | "notes") => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: e.target.value }));
  const error = asProcessor ? registerAsProcessor.error : register.error;
  const fieldError = error instanceof IpcFailure && error.field !== null;
  const invalid = (field: string) => (error instanceof IpcFailure && error.field === field) || undefined;

  function submit(e: FormEvent) {
    e.preventDefault();
    if (invalidDateField(e.currentTarget)) return;
    // Only an appeal refers to an earlier request.
    const appeal_of = form.request_type === "appeal" ? form.appeal_of : null;
    const input = { ...form, appeal_of, idempotency_key: idempotencyKey };
    if (asProcessor) {
      const received_by_us = role.received_by_us ? role.received_by_us : null;
      registerAsProcessor.mutate({ input, role: { ...role, received_by_us } }, { onSuccess: (r) => onCreated(r.request_id) });
      return;
    }
    register.mutate(input, { onSuccess: (request) => onCreated(request.id) });
  }

  return (
    <section aria-labelledby="new-heading" className="panel">
      <h1 id="new-heading">{t("new.title")}</h1>
      <form data-testid="new-request-form" onSubmit={submit} noValidate>
        <div className="grid">
          <label>
            {t("new.type")}
            <select
              name="type"
              value={form.request_type}
              // The options are the core's own names (AppInfo lists them), so the value is a RequestType.
              onChange={(e) => setForm((f) => ({ ...f, request_type: e.target.value as RequestType }))}
              aria-invalid={invalid("type")}
            >
              {info.request_types.map((x) => (
                <option key={x.value} value={x.value}>
                  {label("type", x.value, x.label)}
                </option>
              ))}
            </select>
            <FieldError field="type" error={error} />
          </label>
          <label>
            {t("new.regime")}
            <select
              name="regime"
              value={form.regime}
              aria-invalid={invalid("regime")}
              onChange={(e) => {
                const next = info.regimes.find((r) => r.id === e.target.value);
                setForm((f) => ({ ...f, regime: e.target.value, jurisdiction: next?.default_jurisdiction ?? "" }));
              }}
            >
              {info.regimes.map((r) => (
                <option key={r.id} value={r.id}>
                  {label("regime", r.id, r.name)}
                </option>
              ))}
            </select>
            <FieldError field="regime" error={error} />
          </label>
          <label>
            {t("new.jurisdiction")}
            <select name="jurisdiction" value={form.jurisdiction} onChange={set("jurisdiction")} aria-invalid={invalid("jurisdiction")}>
              {(regime?.jurisdictions ?? []).map((j) => (
                <option key={j.code} value={j.code}>
                  {jurisdiction(j.code, j.name)} ({j.code})
                </option>
              ))}
            </select>
            <FieldError field="jurisdiction" error={error} />
          </label>
          <label>
            {t("new.name")}
            <input
              name="subject_name"
              value={form.subject_name}
              onChange={set("subject_name")}
              autoComplete="off"
              aria-invalid={invalid("name")}
              aria-describedby="error-name"
            />
            <FieldError field="name" error={error} />
          </label>
          <label>
            {t("new.email")}
            <input
              name="subject_email"
              type="email"
              value={form.subject_email}
              onChange={set("subject_email")}
              autoComplete="off"
              aria-invalid={invalid("email")}
              aria-describedby="error-email"
            />
            <FieldError field="email" error={error} />
          </label>
          <label>
            {t("new.received")}
            <DateField
              name="received"
              label={t("new.received")}
              value={form.received}
              onChange={(received) => setForm((f) => ({ ...f, received }))}
              aria-invalid={invalid("received")}
              aria-describedby="error-received"
            />
            <FieldError field="received" error={error} />
          </label>
          <label>
            {t("new.channel")}
            <select
              name="channel"
              value={form.channel ?? ""}
              // The core's names, or none (the default channel, email) when nothing is chosen.
              onChange={(e) => setForm((f) => ({ ...f, channel: e.target.value === "" ? null : (e.target.value as RequestChannel) }))}
              aria-invalid={invalid("channel")}
            >
              {info.channels.map((c) => (
                <option key={c.value} value={c.value}>
                  {label("channel", c.value, c.label)}
                </option>
              ))}
            </select>
            <FieldError field="channel" error={error} />
          </label>
          {form.request_type === "appeal" && (
            <label>
              {t("new.appealOf")}
              <input
                name="appeal_of"
                value={form.appeal_of ?? ""}
                onChange={set("appeal_of")}
                autoComplete="off"
                placeholder="DSR-…"
                aria-invalid={invalid("appeal_of")}
                aria-describedby="error-appeal_of"
              />
              <FieldError field="appeal_of" error={error} />
            </label>
          )}
          <label className="wide checkbox">
            <input type="checkbox" name="as_processor" checked={asProcessor} onChange={(e) => setAsProcessor(e.target.checked)} />
            {t("new.asProcessor")}
          </label>
          {asProcessor && (
            <>
              <p className="muted wide">{t("new.processorHelp")}</p>
              <label>
                {t("new.controller")}
                <input
                  name="controller"
                  value={role.controller}
                  onChange={(e) => setRole((r) => ({ ...r, controller: e.target.value }))}
                  autoComplete="off"
                  aria-invalid={invalid("controller")}
                  aria-describedby="error-controller"
                />
                <FieldError field="controller" error={error} />
              </label>
              <label>
                {t("new.controllerEmail")}
                <input
                  name="controller_email"
                  type="email"
                  value={role.controller_email}
                  onChange={(e) => setRole((r) => ({ ...r, controller_email: e.target.value }))}
                  autoComplete="off"
                  aria-invalid={invalid("controller_email")}
                  aria-describedby="error-controller_email"
                />
                <FieldError field="controller_email" error={error} />
              </label>
              <label>
                {t("new.receivedByUs")}
                <DateField
                  name="received_by_us"
                  label={t("new.receivedByUs")}
                  value={role.received_by_us ?? ""}
                  onChange={(received_by_us) => setRole((r) => ({ ...r, received_by_us }))}
                  aria-invalid={invalid("received_by_us")}
                  aria-describedby="error-received_by_us"
                />
                <FieldError field="received_by_us" error={error} />
              </label>
            </>
          )}
          <label className="wide">
            {t("new.notes")}
            <textarea name="notes" rows={3} value={form.notes} onChange={set("notes")} aria-invalid={invalid("notes")} />
            <FieldError field="notes" error={error} />
          </label>
        </div>
        <p className="muted">{t("new.zone", { zone: info.time_zone })}</p>
        {error && !fieldError && (
          <p role="alert" className="error">
            {t("error.notSaved", { message: messageOf(error) })}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={register.isPending || registerAsProcessor.isPending}>
            {t("new.submit")}
          </button>
          <button type="button" onClick={onCancel}>
            {t("new.cancel")}
          </button>
        </div>
      </form>
    </section>
  );
}
