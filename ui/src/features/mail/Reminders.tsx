import { messageOf } from "../../ipc/call";
import { daysText } from "./format";
import { useCalendarIcs, useReminders } from "./queries";

type Props = { onOpen: (id: string) => void };

/** Requests due soon or overdue (thresholds from the mail settings), and the .ics export. */
export function Reminders({ onOpen }: Props) {
  const reminders = useReminders();
  const ics = useCalendarIcs();

  const download = () =>
    ics.mutate(undefined, {
      onSuccess: (text) => {
        const url = URL.createObjectURL(new Blob([text], { type: "text/calendar" }));
        const a = document.createElement("a");
        a.href = url;
        a.download = "rightsdesk-deadlines.ics";
        a.click();
        URL.revokeObjectURL(url);
      },
    });

  return (
    <section className="panel" aria-labelledby="reminders-heading" data-testid="reminders">
      <div className="toolbar">
        <h1 id="reminders-heading">Reminders</h1>
        <button type="button" data-testid="export-ics" onClick={download} disabled={ics.isPending}>
          Export deadlines (.ics)
        </button>
      </div>
      <p className="muted">
        For a daily mail when the window is closed, run <code>rightsdesk reminders --send</code> from cron or a systemd timer: each reminder
        is mailed to your mailbox once.
      </p>
      {(reminders.error ?? ics.error) && (
        <p role="alert" className="error">
          {messageOf(reminders.error ?? ics.error)}
        </p>
      )}
      {reminders.data?.length === 0 && <p className="empty">Nothing is due soon or overdue.</p>}
      {reminders.data && reminders.data.length > 0 && (
        <ul className="reminder-list">
          {reminders.data.map((r) => (
            <li key={r.request_id} data-threshold={r.threshold}>
              <button type="button" className="link" onClick={() => onOpen(r.request_id)}>
                {r.reference}
              </button>{" "}
              {r.request_type} · {r.regime} · due {r.due} —{" "}
              <span className={r.days_left < 0 ? "urgency-overdue" : "urgency-soon"}>{daysText(r.days_left)}</span>
              {r.already_given && <span className="muted"> (mailed)</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
