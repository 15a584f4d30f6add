// Wording for retention periods and the purge; no rules here (the core decides what is purged and when).
import type { I18n } from "../../i18n";
import type { PurgePlan } from "../../ipc/types";

/** "3 years" / "24 months" / "1 month", in the interface language. */
export function period(months: number, i18n: I18n): string {
  if (months % 12 === 0 && months >= 12) return i18n.t("period.years", { count: months / 12 });
  return i18n.t("period.months", { count: months });
}

/** What a purger of the core removes, in the interface language (the core's words for one this version does not know). */
export function purgedWhat(purger: string, what: string, i18n: I18n): string {
  return i18n.label("purger", purger, what);
}

/** The sentence the confirmation asks the officer to agree to. */
export function purgeSentence(plan: PurgePlan, i18n: I18n): string {
  const n = plan.requests.length;
  if (n === 0 && plan.dismissed_mails > 0) return i18n.t("purge.sentenceDismissed", { count: plan.dismissed_mails });
  if (n === 0) return i18n.t("purge.none");
  const what = plan.removes.filter((c) => c.items > 0).map((c) => `${i18n.number(c.items)} × ${purgedWhat(c.purger, c.what, i18n)}`);
  return i18n.t("purge.sentence", { count: n, what: what.join("; ") });
}
