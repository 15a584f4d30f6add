// Wording for the backups; no rules here (the core decides when a backup runs and which are kept).
import type { I18n } from "../../i18n";

/** How old a backup is, in words, relative to `now`. */
export function age(at: string | null, now: Date, i18n: I18n): string {
  if (!at) return i18n.t("backup.never");
  const hours = Math.floor((now.getTime() - new Date(at).getTime()) / 3_600_000);
  if (hours < 1) return i18n.t("backup.lessThanHour");
  if (hours < 48) return i18n.t("backup.hoursAgo", { count: hours });
  return i18n.t("backup.daysAgo", { count: Math.floor(hours / 24) });
}
