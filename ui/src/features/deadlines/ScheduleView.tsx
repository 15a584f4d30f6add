import type { Schedule } from "../../ipc/types";
import { useI18n } from "../../i18n";
import { dateRows } from "./dates";
import { stepRule } from "../../i18n/coreLabels";
import { stepText } from "./steps";

/** Every date of a schedule, with the explanation of each step and its source. */
export function ScheduleView({ schedule }: { schedule: Schedule }) {
  const i18n = useI18n();
  const { t, weekday, language, locale } = i18n;
  // The engine's words (duty names, warnings, readings, a step stored before steps had codes)
  // are its English record; each coded step is written in the interface language.
  const engine = language === "en" ? undefined : "en";
  const legacy = schedule.steps.some((s) => s.code === "legacy");
  return (
    <div className="schedule" data-testid="schedule">
      {!schedule.statutory && (
        <p className="notice" data-testid="no-statutory-date">
          {t("schedule.noStatutory")}
        </p>
      )}
      <table className="dates">
        <tbody>
          {dateRows(schedule).map((row) => (
            <tr key={row.key} data-date={row.key}>
              <th scope="row">{t(row.label)}</th>
              <td>
                <span data-testid={`date-${row.key}`}>{row.value ?? "—"}</span>{" "}
                {row.value && (
                  <time className="muted" dateTime={row.value}>
                    {weekday(row.value)}
                  </time>
                )}
                {row.note && <span className="muted"> ({t(row.note)})</span>}
              </td>
            </tr>
          ))}
          {schedule.duties.map((duty) => (
            <tr key={duty.id} data-date={`duty-${duty.id}`}>
              <th scope="row" lang={engine}>
                {duty.label}
              </th>
              <td>
                {duty.due}{" "}
                <span className="muted">
                  <time dateTime={duty.due}>{weekday(duty.due)}</time> · <span lang={engine}>{duty.source}</span>
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {schedule.warnings.length > 0 && (
        <ul className="warnings" data-testid="warnings">
          {schedule.warnings.map((w) => (
            <li key={w.code} data-code={w.code} lang={engine}>
              ⚠ {w.message}
            </li>
          ))}
        </ul>
      )}
      <h3>{t("schedule.how")}</h3>
      {engine && legacy && <p className="muted">{t("schedule.english")}</p>}
      <ol data-testid="explanation" className="explanation">
        {schedule.steps.map((s, i) => {
          const text = stepText(s, language, locale);
          return (
            <li key={i} data-rule={s.rule} data-code={s.code}>
              <strong>{stepRule(i18n, s.rule)}</strong>: <span lang={text === null ? engine : undefined}>{text ?? s.detail}</span>{" "}
              <cite className="muted" data-testid="step-source" lang={engine}>
                ({s.source})
              </cite>
            </li>
          );
        })}
      </ol>
      {schedule.readings.length > 0 && (
        <details>
          <summary>{t("schedule.readings")}</summary>
          <ul lang={engine}>
            {schedule.readings.map((r) => (
              <li key={r.id}>
                {r.chosen} <span className="muted">— {r.consequence}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
      <p className="muted">{t("schedule.ruleSet", { ruleSet: schedule.rule_set })}</p>
    </div>
  );
}
