import { useState } from "react";
import { messageOf } from "../../ipc/call";
import type { AppInfo, ExportFormat, MonthFigures, TypeFigures } from "../../ipc/types";
import { CHART, type Bar, days, onTimeBars, receivedBars } from "./charts";
import { useExportMetrics, useExportRegister, useYearMetrics } from "./queries";

type Props = { info: AppInfo };

function BarChart({ title, bars, max, unit, testid }: { title: string; bars: Bar[]; max: number; unit: string; testid: string }) {
  const base = CHART.height - CHART.bottom;
  return (
    <figure className="chart" data-testid={testid}>
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${CHART.width} ${CHART.height}`} role="img" aria-label={title} width="100%">
        <line x1={CHART.left} y1={base} x2={CHART.width} y2={base} stroke="currentColor" strokeOpacity={0.4} />
        <text x={CHART.left - 4} y={CHART.top + 4} textAnchor="end" fontSize="10">
          {max}
          {unit}
        </text>
        <text x={CHART.left - 4} y={base} textAnchor="end" fontSize="10">
          0
        </text>
        {bars.map((b) => (
          <g key={b.label}>
            <rect x={b.x} y={b.y} width={b.width} height={b.height} className="bar">
              <title>
                {b.label}: {b.value === null ? "nothing answered" : `${b.value}${unit}`}
              </title>
            </rect>
            <text x={b.x + b.width / 2} y={CHART.height - 8} textAnchor="middle" fontSize="10">
              {b.label}
            </text>
            {b.value !== null && (
              <text x={b.x + b.width / 2} y={b.y - 3} textAnchor="middle" fontSize="9">
                {b.value}
              </text>
            )}
          </g>
        ))}
      </svg>
    </figure>
  );
}

function FiguresRow({ f }: { f: TypeFigures }) {
  return (
    <tr data-type={f.request_type}>
      <th scope="row">{f.label}</th>
      <td>{f.received}</td>
      <td>{f.complied_in_whole_or_in_part}</td>
      <td>{f.denied}</td>
      <td>{f.withdrawn_or_duplicate}</td>
      <td>{f.still_open}</td>
      <td>{days(f.median_days_to_respond)}</td>
      <td>{days(f.mean_days_to_respond)}</td>
    </tr>
  );
}

function Charts({ months }: { months: MonthFigures[] }) {
  const received = receivedBars(months);
  return (
    <div className="charts">
      <BarChart title="Requests received per month" bars={received.bars} max={received.max} unit="" testid="chart-received" />
      <BarChart title="Answered on time (% of those answered)" bars={onTimeBars(months)} max={100} unit="%" testid="chart-on-time" />
    </div>
  );
}

/** The register's exports and the yearly figures (CCPA regulations §7102), printable. */
export function RegisterScreen({ info }: Props) {
  const thisYear = Number(info.today.slice(0, 4)) || new Date().getFullYear();
  const [year, setYear] = useState(thisYear);
  const [format, setFormat] = useState<ExportFormat>("csv");
  const [out, setOut] = useState("");
  const exporter = useExportRegister();
  const metrics = useYearMetrics(year);
  const metricsCsv = useExportMetrics();
  const years = Array.from({ length: 6 }, (_, i) => thisYear - i);

  return (
    <section className="panel wide-panel" aria-labelledby="register-heading" data-testid="register-screen">
      <div className="no-print">
        <h1 id="register-heading">Register and figures</h1>
        <h2>Export the register</h2>
        <p className="muted">
          Every request, as CSV (cells a spreadsheet would run as formulas are neutralised) or JSON.
        </p>
        <form
          className="clock-form"
          onSubmit={(e) => {
            e.preventDefault();
            exporter.mutate({ format, out });
          }}
        >
          <label>
            Format
            <select value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)} data-testid="export-format">
              <option value="csv">CSV</option>
              <option value="json">JSON</option>
            </select>
          </label>
          <label>
            Save to (empty: the exports folder beside the database)
            <input value={out} onChange={(e) => setOut(e.target.value)} size={48} data-testid="export-out" />
          </label>
          <button type="submit" className="primary" disabled={exporter.isPending} data-testid="export-register">
            Export
          </button>
        </form>
        {exporter.isError && (
          <p role="alert" className="error" data-error-for="out">
            {messageOf(exporter.error)}
          </p>
        )}
        {exporter.data && (
          <p className="notice" data-testid="export-done">
            {exporter.data.requests} requests written to <code>{exporter.data.path}</code>.
          </p>
        )}
      </div>

      <div className="toolbar">
        <h2>Requests received in {year}</h2>
        <div className="no-print actions">
          <label>
            Year{" "}
            <select value={year} onChange={(e) => setYear(Number(e.target.value))} data-testid="metrics-year">
              {years.map((y) => (
                <option key={y} value={y}>
                  {y}
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={() => metricsCsv.mutate({ year, out: "" })} data-testid="metrics-csv">
            Save as CSV
          </button>
          <button type="button" onClick={() => window.print()} data-testid="metrics-print">
            Print
          </button>
        </div>
      </div>
      {metricsCsv.data && (
        <p className="notice no-print" data-testid="metrics-csv-done">
          Figures for {year} written to <code>{metricsCsv.data.path}</code>.
        </p>
      )}
      {metricsCsv.isError && (
        <p role="alert" className="error no-print">
          {messageOf(metricsCsv.error)}
        </p>
      )}
      {metrics.isError && (
        <p role="alert" className="error">
          {messageOf(metrics.error)}
        </p>
      )}
      {metrics.data && (
        <>
          <p className="muted">
            Per type of request: received, complied with in whole or in part, denied, and the median and mean number of
            days to respond (calendar days from receipt to the answer) — the figures CCPA regulations §7102 ask a large
            business to publish. As of {metrics.data.as_of}.
          </p>
          <table className="requests metrics" data-testid="metrics-table">
            <thead>
              <tr>
                <th scope="col">Type</th>
                <th scope="col">Received</th>
                <th scope="col">Complied (in whole or part)</th>
                <th scope="col">Denied</th>
                <th scope="col">Withdrawn / duplicate</th>
                <th scope="col">Still open</th>
                <th scope="col">Median days</th>
                <th scope="col">Mean days</th>
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
