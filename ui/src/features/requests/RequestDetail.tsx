import { useState } from "react";
import type { AppInfo, Status } from "../../ipc/types";
import { messageOf } from "../../ipc/call";
import { useI18n } from "../../i18n";
import { daysText, urgencyOf } from "./format";
import { TimelineEntry } from "./TimelineEntry";
import { useChangeStatus, useRequestDetail } from "./queries";
import { ClockEventForm } from "../deadlines/ClockEventForm";
import { ScheduleView } from "../deadlines/ScheduleView";
import { LetterPanel } from "../letters/LetterPanel";
import { WorkPanels } from "./WorkPanels";
import { PackagePanel } from "../packages/PackagePanel";

type Props = { info: AppInfo; id: string; onBack: () => void; onOpen?: (id: string) => void };

const NEEDS_REASON: Status[] = ["refused", "duplicate"];

export function RequestDetail({ info, id, onBack, onOpen }: Props) {
  const detail = useRequestDetail(id);
  const change = useChangeStatus();
  const [reason, setReason] = useState("");
  const i18n = useI18n();
  const { t, label } = i18n;

  if (detail.isPending) return <p>{t("list.loading")}</p>;
  if (detail.isError) {
    return (
      <section className="panel">
        <p role="alert" className="error">
          {t("error.notLoaded", { message: messageOf(detail.error) })}
        </p>
        <button type="button" data-testid="back-to-list" onClick={onBack}>
          {t("detail.back")}
        </button>
      </section>
    );
  }
  const { request: r, timeline, next_statuses, appeal_of, appeals } = detail.data;
  const link = (l: { id: string; reference: string }) => (
    <button key={l.id} type="button" className="link" data-testid="request-link" onClick={() => onOpen?.(l.id)}>
      {l.reference}
    </button>
  );
  const regime = info.regimes.find((x) => x.id === r.regime);
  const typeLabel = label("type", r.type, info.request_types.find((x) => x.value === r.type)?.label);
  const statusLabel = (s: Status) => label("status", s, info.statuses.find((x) => x.value === s)?.label);

  return (
    <section data-testid="request-detail" aria-labelledby="detail-heading" className="panel">
      <button type="button" data-testid="back-to-list" className="link" onClick={onBack}>
        {t("detail.backLink")}
      </button>
      <h1 id="detail-heading">
        {r.reference} · {typeLabel}
      </h1>
      <dl className="facts">
        <dt>{t("detail.subject")}</dt>
        <dd>
          {r.subject.name} {r.subject.email && <span className="muted">&lt;{r.subject.email}&gt;</span>}
          {r.subject.identifiers.map((i) => (
            <div key={`${i.kind}:${i.value}`} className="muted">
              {i.kind}: {i.value}
            </div>
          ))}
        </dd>
        <dt>{t("detail.law")}</dt>
        <dd>
          {label("regime", r.regime, regime?.name)} ({r.jurisdiction})
        </dd>
        <dt>{t("detail.received")}</dt>
        <dd>
          <time dateTime={r.received_on} data-testid="detail-received">
            {i18n.date(r.received_on)}
          </time>{" "}
          <span className="muted">({t("detail.receivedHow", { zone: r.time_zone, channel: label("channel", r.channel) })})</span>
        </dd>
        <dt>{t("detail.status")}</dt>
        <dd data-testid="detail-status">
          <span className={`status status-${r.status}`}>{statusLabel(r.status)}</span>
          {r.status_reason && <span className="muted"> — {r.status_reason}</span>}
        </dd>
        <dt>{t("detail.due")}</dt>
        <dd>
          <span data-testid="detail-due">{r.due ?? t("due.none")}</span>{" "}
          {r.due && (
            <time className="muted" dateTime={r.due}>
              {i18n.weekday(r.due)}
            </time>
          )}{" "}
          <span className={`urgency-${urgencyOf(r.days_left)}`}>{daysText(r.days_left, t)}</span>
        </dd>
        {appeal_of && (
          <>
            <dt>{t("detail.appealOf")}</dt>
            <dd data-testid="detail-appeal-of">{link(appeal_of)}</dd>
          </>
        )}
        {appeals.length > 0 && (
          <>
            <dt>{t("detail.appeals")}</dt>
            <dd data-testid="detail-appeals">{appeals.map(link)}</dd>
          </>
        )}
        {r.notes && (
          <>
            <dt>{t("detail.notes")}</dt>
            <dd className="notes">{r.notes}</dd>
          </>
        )}
      </dl>

      <h2>{t("detail.dates")}</h2>
      <ScheduleView schedule={r.schedule} />
      {next_statuses.length > 0 && (
        <>
          <h2>{t("detail.clock")}</h2>
          <ClockEventForm requestId={r.id} today={info.today} />
        </>
      )}

      <WorkPanels requestId={r.id} closed={next_statuses.length === 0} />

      {next_statuses.length > 0 && (
        <>
          <h2>{t("detail.changeStatus")}</h2>
          <div className="status-actions">
            <label>
              {t("detail.reason")}
              <input name="status-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
            </label>
            <div className="actions">
              {next_statuses.map((s) => (
                <button
                  key={s}
                  type="button"
                  data-status={s}
                  disabled={change.isPending}
                  onClick={() =>
                    change.mutate({ id: r.id, to: s, reason: reason.trim() === "" ? null : reason }, { onSuccess: () => setReason("") })
                  }
                >
                  {NEEDS_REASON.includes(s) ? `${statusLabel(s)}…` : statusLabel(s)}
                </button>
              ))}
            </div>
            {change.isError && (
              <p role="alert" className="error">
                {t("error.notSaved", { message: messageOf(change.error) })}
              </p>
            )}
          </div>
        </>
      )}

      <h2>{t("detail.letters")}</h2>
      <LetterPanel requestId={r.id} />
      {(r.type === "access" || r.type === "portability") && (
        <>
          <h2>{t("detail.package")}</h2>
          <PackagePanel request={r} />
        </>
      )}

      <h2>{t("detail.timeline")}</h2>
      <ol data-testid="timeline" className="timeline">
        {timeline.map((e) => (
          <TimelineEntry key={e.seq} event={e} statusLabel={statusLabel} />
        ))}
      </ol>
    </section>
  );
}
