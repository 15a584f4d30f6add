import { useEffect, useRef, useState } from "react";
import type { AppInfo, NextStep, Status, TemplateName } from "../../ipc/types";
import { isCode, messageOf } from "../../ipc/call";
import { useI18n } from "../../i18n";
import { daysText, urgencyOf } from "./format";
import { TimelineEntry } from "./TimelineEntry";
import { useChangeStatus, useNextStep, useRequestDetail } from "./queries";
import { NextStepCard } from "./NextStep";
import { ClockEventForm } from "../deadlines/ClockEventForm";
import { ScheduleView } from "../deadlines/ScheduleView";
import { LetterPanel } from "../letters/LetterPanel";
import { WorkPanels } from "./WorkPanels";
import { ProcessorRoleRows } from "./ProcessorRole";
import { PackagePanel } from "../packages/PackagePanel";
import { SendAnswer } from "../packages/SendAnswer";
import { Conversation } from "../conversation/Conversation";
import { teamWriter } from "../setup/team";

type Props = {
  info: AppInfo;
  id: string;
  /** Take the next step as soon as the page opens (the dashboard's button). */
  startStep?: boolean;
  onBack: () => void;
  onOpen?: (id: string) => void;
};

const NEEDS_REASON: Status[] = ["refused", "duplicate"];

/** The page's sections, in order, with the anchors the jump bar goes to. */
const SECTIONS = [
  { id: "section-dates", label: "detail.dates" },
  { id: "section-identity", label: "detail.identity" },
  { id: "section-tasks", label: "detail.tasks" },
  { id: "section-letters", label: "detail.letters" },
  { id: "conversation", label: "conversation.title" },
  { id: "section-package", label: "detail.package" },
  { id: "section-timeline", label: "detail.timeline" },
] as const;

/** Scrolls to a section of the page and puts the focus on what the officer fills in there. */
function goTo(sectionId: string, focus?: string) {
  const section = document.getElementById(sectionId);
  if (!section) return;
  section.scrollIntoView({ block: "start" });
  const target = (focus && section.querySelector<HTMLElement>(focus)) || section.querySelector<HTMLElement>("h2");
  target?.focus({ preventScroll: true });
}

/** Where each next step takes the officer: the section, and what gets the focus there. */
function stepTarget(step: NextStep): [string, string] {
  switch (step.kind) {
    case "identity_awaited":
      return ["section-identity", "select[name=identity-method]"];
    case "clarification_awaited":
    case "paused":
      return ["section-dates", "form select, form input"];
    case "tasks_open":
      return ["section-tasks", "[data-testid=task] button, button"];
    default:
      return ["section-letters", "select[name=letter-template]"];
  }
}

export function RequestDetail({ info, id, startStep, onBack, onOpen }: Props) {
  const detail = useRequestDetail(id);
  const next = useNextStep(id);
  const change = useChangeStatus();
  const [reason, setReason] = useState("");
  // The letter a next step chose; a new choice remounts the letter panel with it preselected.
  const [letter, setLetter] = useState<{ template: TemplateName; n: number } | null>(null);
  // The step last taken (n counts, so taking the same step again scrolls again).
  const [taken, setTaken] = useState<{ step: NextStep; n: number } | null>(null);
  const started = useRef(false);
  const i18n = useI18n();
  const { t, label } = i18n;

  const act = (step: NextStep) => {
    if (step.letter) setLetter((l) => ({ template: step.letter as TemplateName, n: (l?.n ?? 0) + 1 }));
    setTaken((x) => ({ step, n: (x?.n ?? 0) + 1 }));
  };
  // After the render that mounted the chosen letter: scroll there and focus it.
  useEffect(() => {
    if (!taken) return;
    const [section, focus] = stepTarget(taken.step);
    goTo(section, focus);
  }, [taken]);
  // From the dashboard: take the step once, as soon as the page and its step are loaded.
  useEffect(() => {
    if (startStep && !started.current && next.data && detail.data) {
      started.current = true;
      act(next.data);
    }
  });

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
  const { request: r, timeline, next_statuses, appeal_of, appeals, version } = detail.data;
  // Someone changed the request since this copy was loaded: nothing was saved; Reload shows their change.
  const reload = () => {
    change.reset();
    void detail.refetch();
    void next.refetch();
  };
  const link = (l: { id: string; reference: string }) => (
    <button key={l.id} type="button" className="link" data-testid="request-link" onClick={() => onOpen?.(l.id)}>
      {l.reference}
    </button>
  );
  const regime = info.regimes.find((x) => x.id === r.regime);
  const typeLabel = label("type", r.type, info.request_types.find((x) => x.value === r.type)?.label);
  const statusLabel = (s: Status) => label("status", s, info.statuses.find((x) => x.value === s)?.label);
  const hasPackage = r.type === "access" || r.type === "portability";
  // A team register's page has every section a register file's has.
  const team = Boolean(info.team);
  const shown = SECTIONS.filter((s) => s.id !== "section-package" || hasPackage);

  return (
    <section data-testid="request-detail" aria-labelledby="detail-heading" className="panel">
      <button type="button" data-testid="back-to-list" className="link" onClick={onBack}>
        {t("detail.backLink")}
      </button>
      <h1 id="detail-heading">
        {r.reference} · {typeLabel}
      </h1>
      {next.data && <NextStepCard step={next.data} onAct={act} />}
      <nav className="jump-bar" aria-label={t("detail.jump")} data-testid="jump-bar">
        {shown.map((s) => (
          <a
            key={s.id}
            href={`#${s.id}`}
            data-section={s.id}
            onClick={(e) => {
              e.preventDefault();
              goTo(s.id);
            }}
          >
            {t(s.label)}
          </a>
        ))}
      </nav>
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
        <ProcessorRoleRows id={r.id} />
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

      <section id="section-dates" className="detail-section" aria-labelledby="dates-heading">
        <h2 id="dates-heading" tabIndex={-1}>
          {t("detail.dates")}
        </h2>
        <ScheduleView schedule={r.schedule} />
        {next_statuses.length > 0 && (
          <>
            <h2>{t("detail.clock")}</h2>
            <ClockEventForm requestId={r.id} today={info.today} />
          </>
        )}
      </section>

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
                    change.mutate(
                      { id: r.id, to: s, reason: reason.trim() === "" ? null : reason, version },
                      { onSuccess: () => setReason("") },
                    )
                  }
                >
                  {NEEDS_REASON.includes(s) ? `${statusLabel(s)}…` : statusLabel(s)}
                </button>
              ))}
            </div>
            {change.isError && isCode(change.error, "conflict") && (
              <p role="alert" className="error" data-testid="conflict">
                {t("detail.conflict", { message: messageOf(change.error) })}{" "}
                <button type="button" data-testid="conflict-reload" onClick={reload}>
                  {t("detail.reload")}
                </button>
              </p>
            )}
            {change.isError && !isCode(change.error, "conflict") && (
              <p role="alert" className="error">
                {t("error.notSaved", { message: messageOf(change.error) })}
              </p>
            )}
          </div>
        </>
      )}

      <section id="section-letters" className="detail-section" aria-labelledby="letters-heading">
        <h2 id="letters-heading" tabIndex={-1}>
          {t("detail.letters")}
        </h2>
        <LetterPanel key={letter?.n ?? 0} requestId={r.id} initialTemplate={letter?.template} />
        {teamWriter(info.team) && <SendAnswer request={r} />}
      </section>
      <Conversation requestId={r.id} zone={info.time_zone} readOnly={!teamWriter(info.team)} />
      {hasPackage && (
        <section id="section-package" className="detail-section" aria-labelledby="package-heading">
          <h2 id="package-heading" tabIndex={-1}>
            {t("detail.package")}
          </h2>
          <PackagePanel request={r} team={team} />
        </section>
      )}

      <section id="section-timeline" className="detail-section" aria-labelledby="timeline-heading">
        <h2 id="timeline-heading" tabIndex={-1}>
          {t("detail.timeline")}
        </h2>
        <ol data-testid="timeline" className="timeline">
          {timeline.map((e) => (
            <TimelineEntry key={e.seq} event={e} statusLabel={statusLabel} />
          ))}
        </ol>
      </section>
    </section>
  );
}
