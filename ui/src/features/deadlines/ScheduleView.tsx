import type { Schedule } from "../../ipc/types";
import { dateRows, showDate } from "./dates";

/** Every date of a schedule, with the explanation of each step and its source. */
export function ScheduleView({ schedule }: { schedule: Schedule }) {
  return (
    <div className="schedule" data-testid="schedule">
      {!schedule.statutory && (
        <p className="notice" data-testid="no-statutory-date">
          This law sets no statutory date (“without delay” or “a reasonable period”): Rightsdesk shows an internal target
          only.
        </p>
      )}
      <table className="dates">
        <tbody>
          {dateRows(schedule).map((row) => (
            <tr key={row.key} data-date={row.key}>
              <th scope="row">{row.label}</th>
              <td>
                <span data-testid={`date-${row.key}`}>{row.value ?? "—"}</span>{" "}
                <span className="muted">{row.value ? showDate(row.value) : ""}</span>
                {row.note && <span className="muted"> ({row.note})</span>}
              </td>
            </tr>
          ))}
          {schedule.duties.map((duty) => (
            <tr key={duty.id} data-date={`duty-${duty.id}`}>
              <th scope="row">{duty.label}</th>
              <td>
                {duty.due} <span className="muted">{showDate(duty.due)} · {duty.source}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {schedule.warnings.length > 0 && (
        <ul className="warnings" data-testid="warnings">
          {schedule.warnings.map((w) => (
            <li key={w.code} data-code={w.code}>
              ⚠ {w.message}
            </li>
          ))}
        </ul>
      )}
      <h3>How the dates were reached</h3>
      <ol data-testid="explanation" className="explanation">
        {schedule.steps.map((s, i) => (
          <li key={i}>
            <strong>{s.rule}</strong>: {s.detail} <span className="muted">({s.source})</span>
          </li>
        ))}
      </ol>
      {schedule.readings.length > 0 && (
        <details>
          <summary>Readings used where the sources disagree</summary>
          <ul>
            {schedule.readings.map((r) => (
              <li key={r.id}>
                {r.chosen} <span className="muted">— {r.consequence}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
      <p className="muted">Rule set {schedule.rule_set}</p>
    </div>
  );
}
