import { useState } from "react";
import { messageOf } from "../../ipc/call";
import { useI18n } from "../../i18n";
import { rich } from "../../i18n/rich";
import { purgeSentence } from "./format";
import { usePurgePreview, useRunPurge } from "./queries";

import { teamAdmin, type TeamInfo } from "../setup/team";

/** The sentence saying why the preview and the periods are read-only for this login on a team register. */
export function TeamRetentionNote({ team }: { team: TeamInfo }) {
  const { t } = useI18n();
  return (
    <p className="notice" data-testid="team-retention-note">
      {t("retention.teamReadOnly", { login: team.login, role: team.role || t("retention.noRole") })}
    </p>
  );
}

/** The preview of the next purge, and the purge itself behind an explicit confirmation; on a team register (`team`)
 * the purge is the admin's, the others see the preview only. */
export function PurgePanel({ team = null }: { team?: TeamInfo | null }) {
  const i18n = useI18n();
  const { t, date, label } = i18n;
  const readOnly = !teamAdmin(team);
  const preview = usePurgePreview();
  const run = useRunPurge();
  const [confirming, setConfirming] = useState(false);
  const [agreed, setAgreed] = useState(false);

  if (preview.isError)
    return (
      <p role="alert" lang="en">
        {messageOf(preview.error)}
      </p>
    );
  if (!preview.data) return <p>{t("list.loading")}</p>;
  const plan = preview.data;
  const n = plan.requests.length;
  // Mails dismissed as not a request belong to no request: they have their own period and line.
  const mails = plan.dismissed_mails;

  return (
    <section className="panel" aria-labelledby="purge-heading" data-testid="purge-panel">
      <h2 id="purge-heading">{t("purge.title")}</h2>
      {team && readOnly && <TeamRetentionNote team={team} />}
      <p data-testid="purge-summary">
        {rich(t("purge.asOf"), { date: <time dateTime={plan.as_of}>{date(plan.as_of)}</time> })}{" "}
        {n === 0 && mails === 0 ? purgeSentence(plan, i18n) : n > 0 ? t("purge.reached", { count: n }) : null}
        {mails > 0 && (
          <>
            {" "}
            <span data-testid="purge-dismissed">{t("purge.dismissedDue", { count: mails })}</span>
          </>
        )}
      </p>
      {n > 0 && (
        <table className="data" data-testid="purge-preview">
          <thead>
            <tr>
              <th scope="col">{t("purge.col.reference")}</th>
              <th scope="col">{t("purge.col.type")}</th>
              <th scope="col">{t("purge.col.law")}</th>
              <th scope="col">{t("purge.col.outcome")}</th>
              <th scope="col">{t("purge.col.closed")}</th>
              <th scope="col">{t("purge.col.from")}</th>
            </tr>
          </thead>
          <tbody>
            {plan.requests.map((r) => (
              <tr key={r.id}>
                <td>{r.reference}</td>
                <td>{label("type", r.request_type)}</td>
                <td>{label("regime", r.regime)}</td>
                <td>{label("status", r.status)}</td>
                <td>
                  <time dateTime={r.closed_on}>{date(r.closed_on)}</time>
                </td>
                <td>
                  <time dateTime={r.purge_from}>{date(r.purge_from)}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {!readOnly && (n > 0 || mails > 0) && !confirming && (
        <button type="button" onClick={() => setConfirming(true)} data-testid="purge-start">
          {t("purge.start")}
        </button>
      )}
      {!readOnly && confirming && (
        <div role="group" aria-labelledby="purge-confirm-heading" className="confirm" data-testid="purge-confirm">
          <h3 id="purge-confirm-heading">{t("purge.confirm")}</h3>
          <label className="check">
            <input type="checkbox" checked={agreed} onChange={(e) => setAgreed(e.target.checked)} name="agree" />
            {purgeSentence(plan, i18n)}
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
              {n > 0 ? t("purge.run", { count: n }) : t("purge.runDismissed", { count: mails })}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              {t("purge.cancel")}
            </button>
          </div>
        </div>
      )}
      {run.data && (
        <p role="status" data-testid="purge-done">
          {[
            run.data.requests > 0 || run.data.dismissed_mails === 0 ? t("purge.done", { count: run.data.requests }) : "",
            run.data.dismissed_mails > 0 ? t("purge.doneDismissed", { count: run.data.dismissed_mails }) : "",
          ]
            .filter((s) => s !== "")
            .join(" ")}
        </p>
      )}
      {run.error && (
        <p role="alert" lang="en">
          {messageOf(run.error)}
        </p>
      )}
      <p className="muted">
        {rich(t("purge.cli"), { dryRun: <code>rightsdesk purge --dry-run</code>, run: <code>rightsdesk purge</code> })}
      </p>
    </section>
  );
}
