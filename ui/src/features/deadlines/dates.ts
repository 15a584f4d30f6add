// Presentation of dates the core computed: never a date computation.
import type { Schedule } from "../../ipc/types";

const WEEKDAY_DATE = new Intl.DateTimeFormat(undefined, {
  weekday: "short",
  day: "numeric",
  month: "short",
  year: "numeric",
  timeZone: "UTC",
});

/** "Fri 28 Feb 2025" in the officer's locale, for a YYYY-MM-DD the core sent. */
export function showDate(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? iso : WEEKDAY_DATE.format(date);
}

export type DateRow = { key: string; label: string; value: string | null; note?: string };

/** The rows of the dates table, in the order an officer reads them. */
export function dateRows(s: Schedule): DateRow[] {
  const rows: DateRow[] = [
    { key: "ack_due", label: "Acknowledge by", value: s.ack_due },
    { key: "due", label: "Legal due date", value: s.due, note: s.statutory ? undefined : "no statutory date" },
    { key: "extension_notice_due", label: "Extension notice by", value: s.extension_notice_due },
    { key: "extended_due", label: "Extended due date", value: s.extended_due },
    { key: "promised_due", label: "Our promise", value: s.promised_due },
    { key: "target", label: "Internal target", value: s.target, note: "internal, not a legal date" },
  ];
  return rows.filter((r) => r.value !== null || r.key === "due");
}
