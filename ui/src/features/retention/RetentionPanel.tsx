import { useState } from "react";
import { IpcFailure, messageOf } from "../../ipc/call";
import type { RetentionPolicy } from "../../ipc/types";
import { teamAdmin, type TeamInfo } from "../setup/team";
import { useI18n } from "../../i18n";
import { period } from "./format";
import { useDismissedDays, useRetentionPolicies, useSetDismissedDays, useSetRetention } from "./queries";

/** How long a mail dismissed as not a request keeps its content (days after the dismissal); the core checks the number. */
function DismissedMails({ readOnly }: { readOnly: boolean }) {
  const { t } = useI18n();
  const saved = useDismissedDays();
  const save = useSetDismissedDays();
  const [days, setDays] = useState<string | null>(null);
  const [notWhole, setNotWhole] = useState(false);
  if (saved.data !== undefined && days === null) setDays(String(saved.data));
  if (saved.isError)
    return (
      <p role="alert" lang="en">
        {messageOf(saved.error)}
      </p>
    );
  if (days === null) return <p>{t("list.loading")}</p>;
  const error = save.error;
  const fieldError = error instanceof IpcFailure && error.field === "intake_dismissed_days";
  return (
    <div data-testid="retention-dismissed">
      <h3>{t("retention.dismissed")}</h3>
      <p className="muted">{t("retention.dismissedHelp")}</p>
      <form
        className="inline"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (readOnly) return;
          const whole = /^\d{1,6}$/.test(days.trim());
          setNotWhole(!whole);
          if (!whole) {
            save.reset();
            return;
          }
          save.mutate(Number(days.trim()));
        }}
      >
        <label>
          {t("retention.dismissedDays")}
          <input
            name="intake_dismissed_days"
            type="number"
            min={1}
            step={1}
            value={days}
            onChange={(e) => setDays(e.target.value)}
            aria-invalid={notWhole || fieldError}
            readOnly={readOnly}
          />
        </label>
        {!readOnly && (
          <button type="submit" disabled={save.isPending || (saved.data !== undefined && days === String(saved.data))}>
            {t("retention.save")}
          </button>
        )}
        {notWhole && (
          <span className="field-error" role="alert" data-error-for="intake_dismissed_days">
            {t("retention.wholeDays")}
          </span>
        )}
        {!notWhole && fieldError && (
          <span className="field-error" role="alert" data-error-for="intake_dismissed_days" lang="en">
            {error.message}
          </span>
        )}
        {!notWhole && error && !fieldError && (
          <span role="alert" lang="en">
            {messageOf(error)}
          </span>
        )}
      </form>
    </div>
  );
}

function PolicyRow({ policy, readOnly }: { policy: RetentionPolicy; readOnly: boolean }) {
  const i18n = useI18n();
  const { t, label } = i18n;
  const regimeName = label("regime", policy.regime, policy.regime_name);
  const save = useSetRetention();
  const [months, setMonths] = useState(String(policy.months));
  const error = save.error;
  return (
    <tr data-testid={`retention-${policy.regime}`}>
      <th scope="row">{regimeName}</th>
      <td>
        <form
          className="inline"
          onSubmit={(e) => {
            e.preventDefault();
            if (!readOnly) save.mutate({ regime: policy.regime, months: Number(months) });
          }}
        >
          <label>
            <span className="visually-hidden">{t("retention.monthsFor", { regime: regimeName })}</span>
            <input
              name="months"
              type="number"
              min={1}
              max={240}
              value={months}
              onChange={(e) => setMonths(e.target.value)}
              readOnly={readOnly}
            />
          </label>
          {!readOnly && (
            <button type="submit" disabled={save.isPending || months === String(policy.months)}>
              {t("retention.save")}
            </button>
          )}
          {error instanceof IpcFailure && error.field === "months" && (
            <span className="field-error" role="alert" data-error-for="months" lang="en">
              {error.message}
            </span>
          )}
          {error && !(error instanceof IpcFailure && error.field === "months") && (
            <span role="alert" lang="en">
              {messageOf(error)}
            </span>
          )}
        </form>
      </td>
      <td>
        {period(policy.default_months, i18n)}
        {policy.months !== policy.default_months && <span className="muted"> {t("retention.changed")}</span>}
      </td>
      <td className="muted" lang="en">
        {policy.basis}
      </td>
    </tr>
  );
}

/** How long each regime's closed requests keep their personal data, with the default and why; on a team register
 * (`team`) only its admin changes them, the others see them read-only. */
export function RetentionPanel({ team = null }: { team?: TeamInfo | null }) {
  const { t } = useI18n();
  const readOnly = !teamAdmin(team);
  const policies = useRetentionPolicies();
  if (policies.isError)
    return (
      <p role="alert" lang="en">
        {messageOf(policies.error)}
      </p>
    );
  if (!policies.data) return <p>{t("list.loading")}</p>;
  return (
    <section className="panel" aria-labelledby="retention-heading" data-testid="retention-panel">
      <h2 id="retention-heading">{t("retention.title")}</h2>
      <p className="muted">{t("retention.intro")}</p>
      <table className="data">
        <thead>
          <tr>
            <th scope="col">{t("retention.col.law")}</th>
            <th scope="col">{t("retention.col.months")}</th>
            <th scope="col">{t("retention.col.default")}</th>
            <th scope="col">{t("retention.col.why")}</th>
          </tr>
        </thead>
        <tbody>
          {policies.data.map((p) => (
            <PolicyRow key={`${p.regime}-${p.months}`} policy={p} readOnly={readOnly} />
          ))}
        </tbody>
      </table>
      <DismissedMails readOnly={readOnly} />
    </section>
  );
}
