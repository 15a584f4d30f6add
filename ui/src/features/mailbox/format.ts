// The server's arrival time of a mail, shown in the organisation's time zone (the zone that
// decides the date of receipt), in the officer's language.

/** "31 Jan 2026, 23:30 CET": date, time and zone name in `zone`. */
export function formatArrival(at: string, locale: string, zone: string): string {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return at;
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: zone }).format(d) + ` (${zone})`;
  } catch {
    return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(d) + " (UTC)";
  }
}

/** The calendar date of `at` in `zone`: the date of receipt of a request received then. */
export function formatReceiptDate(at: string, locale: string, zone: string): string {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return at;
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: zone }).format(d);
  } catch {
    return new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" }).format(d);
  }
}

/** A size in bytes as "12 KB" / "3.4 MB". */
export function formatSize(bytes: number, locale: string): string {
  const n = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  if (bytes < 1024) return `${n.format(bytes)} B`;
  if (bytes < 1024 * 1024) return `${n.format(bytes / 1024)} KB`;
  return `${n.format(bytes / (1024 * 1024))} MB`;
}
