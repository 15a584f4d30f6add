import { useState, type FormEvent } from "react";
import type { ClockEvent } from "../../ipc/types";
import { useQueryClient } from "@tanstack/react-query";
import { IpcFailure, isCode, messageOf } from "../../ipc/call";
import { useI18n } from "../../i18n";
import { useRecordClockEvent } from "./queries";
import { requestKeys, useRequestDetail } from "../requests/queries";
import { DateField, invalidDateField } from "../../components/DateField";

const KINDS: ClockEvent["kind"][] = [
  "identity-requested",
  "identity-received",
  "clarification-requested",
  "clarification-received",
  "fee-requested",
  "fee-paid",
  "cost-notice",
  "paused",
  "resumed",
  "extension-notice-sent",
];

function buildEvent(kind: ClockEvent["kind"], on: string, reason: string, until: string): ClockEvent {
  switch (kind) {
    case "paused":
      return { kind, on, reason };
    case "extension-notice-sent":
      return { kind, on, reason: reason.trim() === "" ? null : reason, until: until === "" ? null : until };
    default:
      return { kind, on };
  }
}

/** Records what moves the legal clock; the core recomputes the dates and says why. */
export function ClockEventForm({ requestId, today }: { requestId: string; today: string }) {
  const [kind, setKind] = useState<ClockEvent["kind"]>("identity-requested");
  const [on, setOn] = useState(today);
  const [reason, setReason] = useState("");
  const [until, setUntil] = useState("");
  const record = useRecordClockEvent();
  // The request's version as the page loaded it (the detail query's cached copy).
  const version = useRequestDetail(requestId).data?.version ?? null;
  const client = useQueryClient();
  const { t, label } = useI18n();
  const error = record.error;
  const at = (field: string) =>
    error instanceof IpcFailure && error.field === field ? (
      <span className="field-error" role="alert" data-error-for={field} lang="en">
        {error.message}
      </span>
    ) : null;
  const fieldless = error && !(error instanceof IpcFailure && ["on", "reason", "extension"].includes(error.field ?? ""));

  function submit(e: FormEvent) {
    e.preventDefault();
    if (invalidDateField(e.currentTarget)) return;
    record.mutate({ id: requestId, event: buildEvent(kind, on, reason, until), version }, { onSuccess: () => setReason("") });
  }

  return (
    <form className="clock-form" data-testid="clock-event-form" onSubmit={submit} noValidate>
      <label>
        {t("clockForm.what")}
        <select name="clock-kind" value={kind} onChange={(e) => setKind(e.target.value as ClockEvent["kind"])}>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {label("clock", k)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("clockForm.on")}
        <DateField name="clock-on" label={t("clockForm.on")} value={on} onChange={setOn} />
        {at("on")}
      </label>
      {(kind === "paused" || kind === "extension-notice-sent") && (
        <label>
          {t("clockForm.reason")}
          <input name="clock-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
          {at("reason")}
        </label>
      )}
      {kind === "extension-notice-sent" && (
        <label>
          {t("clockForm.until")}
          <DateField name="clock-until" label={t("clockForm.until")} value={until} onChange={setUntil} />
        </label>
      )}
      {at("extension")}
      {fieldless && (
        <p role="alert" className="error">
          {t("error.notSaved", { message: messageOf(error) })}
          {isCode(error, "conflict") && (
            <>
              {" "}
              <button
                type="button"
                data-testid="clock-reload"
                onClick={() => {
                  record.reset();
                  void client.invalidateQueries({ queryKey: requestKeys.all });
                }}
              >
                {t("detail.reload")}
              </button>
            </>
          )}
        </p>
      )}
      <div className="actions">
        <button type="submit" disabled={record.isPending}>
          {t("clockForm.record")}
        </button>
      </div>
    </form>
  );
}
