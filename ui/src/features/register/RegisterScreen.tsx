import { useState } from "react";
import { useI18n } from "../../i18n";
import { rich } from "../../i18n/rich";
import { messageOf } from "../../ipc/call";
import type { AppInfo, ExportFormat, MonthFigures, TypeFigures } from "../../ipc/types";
import { CHART, type Bar, days, onTimeBars, receivedBars } from "./charts";
import { useExportMetrics, useExportRegister, useYearMetrics } from "./queries";

type Props = { info: AppInfo };

function BarChart({ title, bars, max, unit, testid }: { title: string; bars: Bar[]; max: number; unit: string; testid: string }) {
  const { t, number } = useI18n();
  const base = CHART.height - CHART.bottom;
  return (
    <figure className="chart" data-testid={testid}>
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${CHART.width} ${CHART.height}`} role="img" aria-label={title} width="100%">
        <line x1={CHART.left} y1={base} x2={CHART.width} y2={base} stroke="currentColor" strokeOpacity={0.4} />
        <text x={CHART.left - 4} y={CHART.top + 4} textAnchor="end" fontSize="10">
          {number(max)}
          {unit}
        </text>
        <text x={CHART.left - 4} y={base} textAnchor="end" fontSize="10">
          0
        </text>
        {bars.map((b) => (
          <g key={b.label}>
            <rect x={b.x} y={b.y} width={b.width} height={b.height} className="chart-bar">
              <title>
                {b.label}: {b.value === null ? t("register.nothingAnswered") : `${number(b.value)}${unit}`}
              </title>
            </rect>
            <text x={b.x + b.width / 2} y={CHART.height - 8} textAnchor="middle" fontSize="10">
              {b.label}
            </text>
            {b.value !== null && (
              <text x={b.x + b.width / 2} y={b.y - 3} textAnchor="middle" fontSize="9">
                {number(b.value)}
              </text>
            )}
          </g>
        ))}
      </svg>
    </figure>
  );
}

function FiguresRow({ f }: { f: TypeFigures }) {
  const { t, label, number, locale } = useI18n();
  return (
    <tr data-type={f.request_type}>
      <th scope="row">{f.request_type === "all" ? t("register.all") : label("type", f.request_type, f.label)}</th>
      <td>{number(f.received)}</td>
      <td>{number(f.complied_in_whole_or_in_part)}</td>
      <td>{number(f.denied)}</td>
      <td>{number(f.withdrawn_or_duplicate)}</td>
      <td>{number(f.still_open)}</td>
      <td>{days(f.median_days_to_respond, locale)}</td>
      <td>{days(f.mean_days_to_respond, locale)}</td>
    </tr>
  );
}

function Charts({ months }: { months: MonthFigures[] }) {
  const { t, locale } = useI18n();
  const received = receivedBars(months, locale);
  return (
    <div className="charts">
      <BarChart title={t("register.chartReceived")} bars={received.bars} max={received.max} unit="" testid="chart-received" />
      <BarChart title={t("register.chartOnTime")} bars={onTimeBars(months, locale)} max={100} unit="%" testid="chart-on-time" />
    </div>
  );
}

/** The register's exports and the yearly figures (CCPA regulations §7102), printable. */
export function RegisterScreen({ info }: Props) {
  const { t, date } = useI18n();
  const thisYear = Number(info.today.slice(0, 4)) || new Date().getFullYear();
  const [year, setYear] = useState(thisYear);
  const [format, setFormat] = useState<ExportFormat>("csv");
  const exporter = useExportRegister();
  const metrics = useYearMetrics(year);
  const metricsCsv = useExportMetrics();
  const years = Array.from({ length: 6 }, (_, i) => thisYear - i);

  return (
    <section className="panel wide-panel" aria-labelledby="register-heading" data-testid="register-screen">
      <div className="no-print">
        <h1 id="register-heading">{t("register.title")}</h1>
        <h2>{t("register.export")}</h2>
        <p className="muted">{t("register.exportIntro")}</p>
        <form
          className="clock-form"
          onSubmit={(e) => {
            e.preventDefault();
            exporter.mutate({ format, suggestedName: `register-${info.today}.${format}`, title: t("register.saveTitle") });
          }}
        >
          <label>
            {t("register.format")}
            <select value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)} data-testid="export-format">
              <option value="csv">CSV</option>
              <option value="json">JSON</option>
            </select>
          </label>
          <button type="submit" className="primary" disabled={exporter.isPending} data-testid="export-register">
            {t("register.exportButton")}
          </button>
        </form>
        {exporter.isError && (
          <p role="alert" className="error" data-error-for="out" lang="en">
            {messageOf(exporter.error)}
          </p>
        )}
        {exporter.data && (
          <p className="notice" data-testid="export-done">
            {rich(t("register.exported", { count: exporter.data.requests }), { path: <code>{exporter.data.path}</code> })}
          </p>
        )}
      </div>

      <div className="toolbar">
        <h2>{t("register.receivedIn", { year: String(year) })}</h2>
        <div className="no-print actions">
          <label>
            {t("register.year")}{" "}
            <select value={year} onChange={(e) => setYear(Number(e.target.value))} data-testid="metrics-year">
              {years.map((y) => (
                <option key={y} value={y}>
                  {y}
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={() => metricsCsv.mutate({ year, title: t("register.figuresTitle") })} data-testid="metrics-csv">
            {t("register.saveCsv")}
          </button>
          <button type="button" onClick={() => window.print()} data-testid="metrics-print">
            {t("register.print")}
          </button>
        </div>
      </div>
      {metricsCsv.data && (
        <p className="notice no-print" data-testid="metrics-csv-done">
          {rich(t("register.figuresSaved", { year: String(year) }), { path: <code>{metricsCsv.data.path}</code> })}
        </p>
      )}
      {metricsCsv.isError && (
        <p role="alert" className="error no-print" lang="en">
          {messageOf(metricsCsv.error)}
        </p>
      )}
      {metrics.isError && (
        <p role="alert" className="error" lang="en">
          {messageOf(metrics.error)}
        </p>
      )}
      {metrics.data && (
        <>
          <p className="muted">
            {rich(t("register.intro"), { date: <time dateTime={metrics.data.as_of}>{date(metrics.data.as_of)}</time> })}
          </p>
          <table className="requests metrics" data-testid="metrics-table">
            <thead>
              <tr>
                <th scope="col">{t("register.col.type")}</th>
                <th scope="col">{t("register.col.received")}</th>
                <th scope="col">{t("register.col.complied")}</th>
                <th scope="col">{t("register.col.denied")}</th>
                <th scope="col">{t("register.col.withdrawn")}</th>
                <th scope="col">{t("register.col.open")}</th>
                <th scope="col">{t("register.col.median")}</th>
                <th scope="col">{t("register.col.mean")}</th>
              </tr>
            </thead>
            <tbody>
              {metrics.data.by_type.map((f) => (
                <FiguresRow key={f.request_type} f={f} />
              ))}
            </tbody>
            <tfoot>
              <FiguresRow f={metrics.data.total} />
            </tfoot>
          </table>
          <Charts months={metrics.data.months} />
        </>
      )}
    </section>
  );
}
