import { messageOf } from "../../ipc/call";
import { useI18n } from "../../i18n";
import { rich } from "../../i18n/rich";
import { daysText } from "../requests/format";
import { useReminders, useSaveCalendar } from "./queries";

type Props = { onOpen: (id: string) => void };

/** Requests due soon or overdue (thresholds from the mail settings), and the .ics export. */
export function Reminders({ onOpen }: Props) {
  const { t, date, label } = useI18n();
  const reminders = useReminders();
  const ics = useSaveCalendar();
  const download = () => ics.mutate(t("reminders.saveTitle"));

  return (
    <section className="panel" aria-labelledby="reminders-heading" data-testid="reminders">
      <div className="toolbar">
        <h1 id="reminders-heading">{t("reminders.title")}</h1>
        <button type="button" data-testid="export-ics" onClick={download} disabled={ics.isPending}>
          {t("reminders.exportIcs")}
        </button>
      </div>
      <p className="muted">{rich(t("reminders.intro"), { command: <code>rightsdesk reminders --send</code> })}</p>
      {ics.data && (
        <p role="status" className="notice" data-testid="ics-saved">
          {rich(t("reminders.saved", { count: ics.data.events }), { path: <code>{ics.data.path}</code> })}
        </p>
      )}
      {(reminders.error ?? ics.error) && (
        <p role="alert" className="error" lang="en">
          {messageOf(reminders.error ?? ics.error)}
        </p>
      )}
      {reminders.data?.length === 0 && <p className="empty">{t("reminders.none")}</p>}
      {reminders.data && reminders.data.length > 0 && (
        <ul className="reminder-list">
          {reminders.data.map((r) => (
            <li key={r.request_id} data-threshold={r.threshold}>
              <button type="button" className="link" onClick={() => onOpen(r.request_id)}>
                {r.reference}
              </button>{" "}
              {label("type", r.request_type)} · {label("regime", r.regime)} ·{" "}
              {rich(t("reminders.due"), { date: <time dateTime={r.due}>{date(r.due)}</time> })} —{" "}
              <span className={r.days_left < 0 ? "urgency-overdue" : "urgency-soon"}>{daysText(r.days_left, t)}</span>
              {r.already_given && <span className="muted"> {t("reminders.mailed")}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
