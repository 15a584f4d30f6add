// Wording for the safety screen; no rules here (the core decides what is purged and when).
import type { PurgePlan } from "../../ipc/types";

/** "3 years" / "24 months" / "1 month". */
export function period(months: number): string {
  if (months % 12 === 0 && months >= 12) {
    const years = months / 12;
    return `${years} year${years === 1 ? "" : "s"}`;
  }
  return `${months} month${months === 1 ? "" : "s"}`;
}

/** How old a backup is, in words, relative to `now`. */
export function age(at: string | null, now: Date): string {
  if (!at) return "never";
  const hours = Math.floor((now.getTime() - new Date(at).getTime()) / 3_600_000);
  if (hours < 1) return "less than an hour ago";
  if (hours < 48) return `${hours} hour${hours === 1 ? "" : "s"} ago`;
  return `${Math.floor(hours / 24)} days ago`;
}

/** The sentence the confirmation asks the officer to agree to. */
export function purgeSentence(plan: PurgePlan): string {
  const n = plan.requests.length;
  if (n === 0) return "No closed request has reached the end of its retention period.";
  const what = plan.removes.filter((c) => c.items > 0).map((c) => `${c.items} × ${c.what}`);
  return `Remove the personal data of ${n} closed request${n === 1 ? "" : "s"} (${what.join("; ")}). This cannot be undone; the anonymised record stays.`;
}
