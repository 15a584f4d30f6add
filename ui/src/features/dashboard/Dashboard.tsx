import type { AppInfo, DueItem, MonthTally, Tally } from "../../ipc/types";
import { messageOf } from "../../ipc/call";
import { useI18n, type I18n } from "../../i18n";
import { daysText, urgencyOf } from "../requests/format";
import { useDashboard } from "./queries";
import { coreLabels } from "../../i18n/coreLabels";
import { NextStepButton, stepDate, stepText } from "../requests/NextStep";

type Props = {
  info: AppInfo;
  /** Opens a request; `step` takes its next step at once (the row's button). */
  onOpen: (id: string, step?: boolean) => void;
  onShowList: () => void;
};

/** What is late, what is due soon, what needs the officer today, and how the register is doing. */
export function Dashboard({ info, onOpen, onShowList }: Props) {
  const i = useI18n();
  const { t } = i;
  const dash = useDashboard();
  if (dash.isPending) return <p className="loading">{t("list.loading")}</p>;
  if (dash.isError)
    return (
      <p role="alert" className="error">
        {messageOf(dash.error)}
      </p>
    );
  const d = dash.data;
  const labels = coreLabels(i, info);
  const typeLabel = labels.type;
  const statusLabel = labels.status;
  const regimeLabel = labels.regime;
  const soonDays = 7;

  return (
    <section aria-labelledby="dashboard-heading" data-testid="dashboard" className="dashboard">
      <header className="toolbar">
        <h1 id="dashboard-heading">{t("dash.title")}</h1>
        <p className="muted" data-testid="dashboard-today">
          {t("dash.today", { date: i.date(d.today) })}
        </p>
      </header>

      <ul className="stats" aria-label={t("dash.title")}>
        <Stat
          testid="stat-overdue"
          label={t("dash.overdue")}
          value={i.number(d.overdue_count)}
          tone={d.overdue_count > 0 ? "overdue" : "ok"}
        />
        <Stat
          testid="stat-due-soon"
          label={t("dash.dueSoon", { days: soonDays })}
          value={i.number(d.due_soon_count)}
          tone={d.due_soon_count > 0 ? "soon" : "ok"}
        />
        <Stat testid="stat-open" label={t("dash.open")} value={i.number(d.open)} />
        <Stat
          testid="stat-on-time"
          label={t("dash.onTime")}
          value={d.on_time.rate === null ? "—" : i.percent(d.on_time.rate)}
          detail={
            d.on_time.answered === 0 ? t("dash.noAnswers") : t("dash.onTimeOf", { onTime: d.on_time.on_time, answered: d.on_time.answered })
          }
        />
      </ul>

      <div className="dash-grid">
        <section aria-labelledby="needs-heading" className="card" data-testid="needs-you">
          <h2 id="needs-heading">{t("dash.needs")}</h2>
          {d.needs_you.length === 0 ? (
            <p className="muted">{t("dash.needsNone")}</p>
          ) : (
            <ul className="needs">
              {d.needs_you.map((n) => (
                <li
                  key={`${n.kind}-${n.request_id}`}
                  data-testid="need"
                  data-kind={n.kind}
                  data-reference={n.reference}
                  className={`need-row need-row-${n.kind}`}
                >
                  <div className="need-main">
                    <div className="need-head">
                      <button type="button" className="link" onClick={() => onOpen(n.request_id)}>
                        {n.reference}
                      </button>{" "}
                      <span className="ellipsis need-subject" data-testid="need-subject" title={n.subject_name}>
                        {n.subject_name}
                      </span>
                    </div>
                    <div className="need-facts muted">
                      <span data-testid="need-type">{typeLabel(n.type)}</span> ·{" "}
                      <span data-testid="need-due">{n.due ? t("dash.needDue", { date: stepDate(n.due, i) }) : t("due.none")}</span>
                    </div>
                    <div className={`need need-${n.kind}`} data-testid="need-what">
                      {t(`need.${n.kind}`, { date: n.date ? stepDate(n.date, i) : "" })}
                      {n.step.kind !== "closed" && <span className="need-step muted"> — {stepText(n.step, i)}</span>}
                    </div>
                  </div>
                  {/* Each step's button leads to a part of the request page both registers have (letters, identity, clock events, tasks). */}
                  <NextStepButton step={n.step} onAct={() => onOpen(n.request_id, true)} testid="need-step-button" />
                </li>
              ))}
            </ul>
          )}
          {d.needs_count > d.needs_you.length && (
            <p className="muted">{t("dash.needsMore", { count: d.needs_count - d.needs_you.length })}</p>
          )}
        </section>

        <section aria-labelledby="overdue-heading" className="card wide">
          <h2 id="overdue-heading">{t("dash.overdueList")}</h2>
          <DueTable
            testid="overdue-list"
            items={d.overdue}
            empty={t("dash.noneOverdue")}
            i={i}
            typeLabel={typeLabel}
            regimeLabel={regimeLabel}
            onOpen={onOpen}
          />
          <h2 id="soon-heading">{t("dash.dueSoonList")}</h2>
          <DueTable
            testid="due-soon-list"
            items={d.due_soon}
            empty={t("dash.noneDueSoon", { days: soonDays })}
            i={i}
            typeLabel={typeLabel}
            regimeLabel={regimeLabel}
            onOpen={onOpen}
          />
          <button type="button" className="link" data-testid="dashboard-show-list" onClick={onShowList}>
            {t("dash.showAll")}
          </button>
        </section>

        <section aria-labelledby="months-heading" className="card wide">
          <h2 id="months-heading">{t("dash.perMonth")}</h2>
          <MonthChart months={d.per_month} i={i} />
        </section>

        <Breakdown testid="by-status" title={t("dash.byStatus")} tallies={d.by_status} label={statusLabel} i={i} />
        <Breakdown testid="by-type" title={t("dash.byType")} tallies={d.by_type} label={typeLabel} i={i} />
        <Breakdown testid="by-regime" title={t("dash.byRegime")} tallies={d.by_regime} label={regimeLabel} i={i} />
      </div>
    </section>
  );
}

function Stat({ testid, label, value, detail, tone }: { testid: string; label: string; value: string; detail?: string; tone?: string }) {
  return (
    <li className={`stat ${tone ? `tone-${tone}` : ""}`} data-testid={testid}>
      <span className="stat-label">{label}</span>
      <span className="stat-value" data-value>
        {value}
      </span>
      {detail && <span className="stat-detail muted">{detail}</span>}
    </li>
  );
}

type DueTableProps = {
  testid: string;
  items: DueItem[];
  empty: string;
  i: I18n;
  typeLabel: (v: string) => string;
  regimeLabel: (v: string) => string;
  onOpen: (id: string) => void;
};

function DueTable({ testid, items, empty, i, typeLabel, regimeLabel, onOpen }: DueTableProps) {
  const { t } = i;
  if (items.length === 0)
    return (
      <p className="muted" data-testid={`${testid}-empty`}>
        {empty}
      </p>
    );
  return (
    <table className="requests compact" data-testid={testid}>
      <thead>
        <tr>
          <th scope="col">{t("col.reference")}</th>
          <th scope="col">{t("col.subject")}</th>
          <th scope="col">{t("col.type")}</th>
          <th scope="col">{t("col.regime")}</th>
          <th scope="col">{t("col.target")}</th>
          <th scope="col">{t("col.due")}</th>
          <th scope="col">{t("col.daysLeft")}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((r) => (
          <tr key={r.id} data-testid="due-row" data-reference={r.reference}>
            <td>
              <button type="button" className="link" onClick={() => onOpen(r.id)}>
                {r.reference}
              </button>
            </td>
            <td data-col="subject">
              <div className="ellipsis" title={r.subject_name}>
                {r.subject_name}
              </div>
            </td>
            <td>{typeLabel(r.type)}</td>
            <td data-col="regime">
              {regimeLabel(r.regime)} <span className="muted">{r.jurisdiction}</span>
            </td>
            <td className={r.target_passed ? "target-missed" : ""} data-col="target">
              {r.target ? <time dateTime={r.target}>{i.date(r.target)}</time> : "—"}
            </td>
            <td data-col="due">{r.due ? <time dateTime={r.due}>{i.date(r.due)}</time> : t("due.none")}</td>
            <td className={`urgency-${urgencyOf(r.days_left)}`} data-col="days-left">
              {daysText(r.days_left, t)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Breakdown({
  testid,
  title,
  tallies,
  label,
  i,
}: {
  testid: string;
  title: string;
  tallies: Tally[];
  label: (v: string) => string;
  i: I18n;
}) {
  const max = Math.max(1, ...tallies.map((x) => x.count));
  const id = `${testid}-heading`;
  return (
    <section aria-labelledby={id} className="card" data-testid={testid}>
      <h2 id={id}>{title}</h2>
      <ul className="bars">
        {tallies.map((x) => (
          <li key={x.key} data-key={x.key}>
            <span className="bar-label">{label(x.key)}</span>
            <span className="bar-track" aria-hidden="true">
              <span className="dash-bar" style={{ width: `${(100 * x.count) / max}%` }} />
            </span>
            <span className="bar-count">{i.number(x.count)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function MonthChart({ months, i }: { months: MonthTally[]; i: I18n }) {
  const { t } = i;
  const max = Math.max(1, ...months.flatMap((m) => [m.received, m.answered]));
  const received = months.reduce((n, m) => n + m.received, 0);
  const answered = months.reduce((n, m) => n + m.answered, 0);
  const w = 720;
  const h = 160;
  const slot = w / Math.max(1, months.length);
  const bar = Math.max(4, slot / 3);
  const y = (n: number) => h - 20 - ((h - 30) * n) / max;
  return (
    <figure className="month-chart" data-testid="per-month">
      <svg viewBox={`0 0 ${w} ${h}`} role="img" aria-label={t("dash.chartSummary", { received, answered })}>
        {months.map((m, k) => (
          <g key={m.month}>
            <rect className="bar-received" x={k * slot + slot / 2 - bar} y={y(m.received)} width={bar} height={h - 20 - y(m.received)} />
            <rect className="bar-answered" x={k * slot + slot / 2} y={y(m.answered)} width={bar} height={h - 20 - y(m.answered)} />
            <text x={k * slot + slot / 2} y={h - 5} textAnchor="middle" className="axis">
              {i.month(m.month)}
            </text>
          </g>
        ))}
      </svg>
      <figcaption>
        <span className="legend legend-received">{t("dash.received")}</span>{" "}
        <span className="legend legend-answered">{t("dash.answered")}</span>
      </figcaption>
      <table className="sr-only">
        <caption>{t("dash.perMonth")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("dash.month")}</th>
            <th scope="col">{t("dash.received")}</th>
            <th scope="col">{t("dash.answered")}</th>
          </tr>
        </thead>
        <tbody>
          {months.map((m) => (
            <tr key={m.month}>
              <th scope="row">{i.month(m.month)}</th>
              <td>{i.number(m.received)}</td>
              <td>{i.number(m.answered)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
