import { useState } from "react";
import { IpcFailure, messageOf } from "../../ipc/call";
import { IDENTITY_METHODS, methodKey, methodText } from "./format";
import { useI18n } from "../../i18n";
import { useIdentityChecks, useRequestIdentity, useVerifyIdentity } from "./queries";
import { ConflictReload } from "../requests/ConflictReload";
import { DateField, invalidDateField } from "../../components/DateField";
import type { IdentityMethod, IdentityOutcome } from "../../ipc/types";

type Props = { requestId: string; closed: boolean };

/** How the subject's identity was checked; a verification restarts the clock where the law says so. */
export function IdentityPanel({ requestId, closed }: Props) {
  const checks = useIdentityChecks(requestId);
  const verify = useVerifyIdentity();
  const ask = useRequestIdentity();
  const [method, setMethod] = useState<IdentityMethod>(IDENTITY_METHODS[0].value);
  const [outcome, setOutcome] = useState<IdentityOutcome>("verified");
  const [note, setNote] = useState("");
  const [on, setOn] = useState("");
  const failure = verify.error instanceof IpcFailure ? verify.error : null;
  const askFailure = ask.error instanceof IpcFailure ? ask.error : null;
  const i18n = useI18n();
  const { t } = i18n;
  const method_ = (m: string) => {
    const key = methodKey(m);
    return key ? t(key) : methodText(m);
  };

  return (
    <section data-testid="identity-panel" aria-labelledby="identity-heading">
      <h2 id="identity-heading">{t("identity.title")}</h2>
      {checks.isSuccess && checks.data.length === 0 && <p className="muted">{t("identity.none")}</p>}
      {checks.isSuccess && checks.data.length > 0 && (
        <ul data-testid="identity-checks">
          {checks.data.map((c) => (
            <li key={c.id} data-outcome={c.outcome}>
              <strong>{c.outcome === "verified" ? t("identity.verified") : t("identity.failed")}</strong> — {method_(c.method)},{" "}
              <time dateTime={c.checked_on}>{i18n.date(c.checked_on)}</time>{" "}
              <span className="muted">{t("detail.byActor", { actor: c.checked_by })}</span>
              {c.note && <div className="muted">{c.note}</div>}
            </li>
          ))}
        </ul>
      )}
      {checks.isError && (
        <p role="alert" className="error">
          {t("error.notLoaded", { message: messageOf(checks.error) })}
        </p>
      )}
      {!closed && (
        <form
          className="inline-form"
          aria-label={t("identity.form")}
          onSubmit={(e) => {
            e.preventDefault();
            if (invalidDateField(e.currentTarget)) return;
            verify.mutate({ requestId, input: { method, outcome, note, on } }, { onSuccess: () => setNote("") });
          }}
        >
          <label>
            {t("identity.method")}
            <select name="identity-method" value={method} onChange={(e) => setMethod(e.target.value as IdentityMethod)}>
              {IDENTITY_METHODS.map((m) => (
                <option key={m.value} value={m.value}>
                  {method_(m.value)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("identity.outcome")}
            <select name="identity-outcome" value={outcome} onChange={(e) => setOutcome(e.target.value as IdentityOutcome)}>
              <option value="verified">{t("identity.verified")}</option>
              <option value="failed">{t("identity.failed")}</option>
            </select>
          </label>
          <label>
            {t("identity.on")}
            <DateField name="identity-on" label={t("identity.on")} value={on} onChange={setOn} aria-invalid={failure?.field === "on"} />
          </label>
          <label>
            {t("identity.note")}
            <input name="identity-note" value={note} onChange={(e) => setNote(e.target.value)} />
          </label>
          <button type="submit" data-testid="record-identity" disabled={verify.isPending}>
            {t("identity.record")}
          </button>
          <button
            type="button"
            data-testid="request-identity"
            disabled={ask.isPending}
            onClick={(e) => !invalidDateField(e.currentTarget.form) && ask.mutate({ requestId, on })}
          >
            {t("identity.ask")}
          </button>
          {verify.isError && (
            <p role="alert" className="field-error" lang="en" data-error-for={failure?.field ?? "identity"}>
              {messageOf(verify.error)}
              <ConflictReload error={verify.error} onReset={verify.reset} />
            </p>
          )}
          {ask.isError && (
            <p role="alert" className="field-error" lang="en" data-error-for={askFailure?.field ?? "identity"}>
              {messageOf(ask.error)}
              <ConflictReload error={ask.error} onReset={ask.reset} />
            </p>
          )}
        </form>
      )}
      <p className="muted">{t("identity.documents")}</p>
    </section>
  );
}
