import { useState } from "react";
import type { AppInfo, Status } from "../../ipc/types";
import { messageOf } from "../../ipc/call";
import { daysLeftText, statusText, urgencyOf } from "./format";
import { useChangeStatus, useRequestDetail } from "./queries";
import { ClockEventForm } from "../deadlines/ClockEventForm";
import { ScheduleView } from "../deadlines/ScheduleView";
import { LetterPanel } from "../mail/LetterPanel";
import { WorkPanels } from "../tasks/WorkPanels";
import { PackagePanel } from "../package/PackagePanel";

type Props = { info: AppInfo; id: string; onBack: () => void };

const NEEDS_REASON: Status[] = ["refused", "duplicate"];

export function RequestDetail({ info, id, onBack }: Props) {
  const detail = useRequestDetail(id);
  const change = useChangeStatus();
  const [reason, setReason] = useState("");

  if (detail.isPending) return <p>Loading…</p>;
  if (detail.isError) {
    return (
      <section className="panel">
        <p role="alert" className="error">
          {messageOf(detail.error)}
        </p>
        <button type="button" data-testid="back-to-list" onClick={onBack}>
          Back to the list
        </button>
      </section>
    );
  }
  const { request: r, timeline, next_statuses } = detail.data;
  const regime = info.regimes.find((x) => x.id === r.regime);
  const typeLabel = info.request_types.find((t) => t.value === r.type)?.label ?? r.type;

  return (
    <section data-testid="request-detail" aria-labelledby="detail-heading" className="panel">
      <button type="button" data-testid="back-to-list" className="link" onClick={onBack}>
        ← Requests
      </button>
      <h1 id="detail-heading">
        {r.reference} · {typeLabel}
      </h1>
      <dl className="facts">
        <dt>Subject</dt>
        <dd>
          {r.subject.name} {r.subject.email && <span className="muted">&lt;{r.subject.email}&gt;</span>}
          {r.subject.identifiers.map((i) => (
            <div key={`${i.kind}:${i.value}`} className="muted">
              {i.kind}: {i.value}
            </div>
          ))}
        </dd>
        <dt>Law</dt>
        <dd>
          {regime?.name ?? r.regime} ({r.jurisdiction})
        </dd>
        <dt>Received</dt>
        <dd>
          {r.received_on} <span className="muted">({r.time_zone}, by {r.channel.replace(/-/g, " ")})</span>
        </dd>
        <dt>Status</dt>
        <dd data-testid="detail-status">
          <span className={`status status-${r.status}`}>{statusText(r.status)}</span>
          {r.status_reason && <span className="muted"> — {r.status_reason}</span>}
        </dd>
        <dt>Legal due date</dt>
        <dd>
          <span data-testid="detail-due">{r.due ?? "no statutory date"}</span>{" "}
          <span className={`urgency-${urgencyOf(r.days_left)}`}>{daysLeftText(r.days_left)}</span>
        </dd>
        {r.notes && (
          <>
            <dt>Notes</dt>
            <dd className="notes">{r.notes}</dd>
          </>
        )}
      </dl>

      <h2>Dates</h2>
      <ScheduleView schedule={r.schedule} />
      {next_statuses.length > 0 && (
        <>
          <h2>Record what moves the clock</h2>
          <ClockEventForm requestId={r.id} today={info.today} />
        </>
      )}

      <WorkPanels requestId={r.id} closed={next_statuses.length === 0} />

      {next_statuses.length > 0 && (
        <>
          <h2>Change status</h2>
          <div className="status-actions">
            <label>
              Reason (required to refuse, mark duplicate, or complete with tasks open)
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
                    change.mutate(
                      { id: r.id, to: s, reason: reason.trim() === "" ? null : reason },
                      { onSuccess: () => setReason("") },
                    )
                  }
                >
                  {NEEDS_REASON.includes(s) ? `${statusText(s)}…` : statusText(s)}
                </button>
              ))}
            </div>
            {change.isError && (
              <p role="alert" className="error">
                {messageOf(change.error)}
              </p>
            )}
          </div>
        </>
      )}

      <h2>Letters</h2>
      <LetterPanel requestId={r.id} />
      {(r.type === "access" || r.type === "portability") && (
        <>
          <h2>Answer package</h2>
          <PackagePanel request={r} />
        </>
      )}

      <h2>Timeline</h2>
      <ol data-testid="timeline" className="timeline">
        {timeline.map((e) => (
          <li key={e.seq}>
            <time dateTime={e.at}>{new Date(e.at).toLocaleString()}</time> <span>{e.summary}</span>{" "}
            <span className="muted">— {e.actor}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
