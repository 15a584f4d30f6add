// Presentation of dates the core computed: never a date computation.
import type { MessageKey } from "../../i18n";
import type { Schedule } from "../../ipc/types";

export type DateRow = { key: string; label: MessageKey; value: string | null; note?: MessageKey };

/** The rows of the dates table, in the order an officer reads them. */
export function dateRows(s: Schedule): DateRow[] {
  const rows: DateRow[] = [
    { key: "ack_due", label: "schedule.ack_due", value: s.ack_due },
    { key: "due", label: "schedule.due", value: s.due, note: s.statutory ? undefined : "due.none" },
    { key: "extension_notice_due", label: "schedule.extension_notice_due", value: s.extension_notice_due },
    { key: "extended_due", label: "schedule.extended_due", value: s.extended_due },
    { key: "promised_due", label: "schedule.promised_due", value: s.promised_due },
    { key: "target", label: "schedule.target", value: s.target, note: "schedule.targetNote" },
  ];
  return rows.filter((r) => r.value !== null || r.key === "due");
}
