// Presentation only: words for values the core computed (never a date computation).

export type Urgency = "overdue" | "soon" | "ok" | "closed";

export function urgencyOf(daysLeft: number | null): Urgency {
  if (daysLeft === null) return "closed";
  if (daysLeft < 0) return "overdue";
  if (daysLeft <= 7) return "soon";
  return "ok";
}

/** Days left in the interface language (the count comes from the core). */
export function daysText(
  daysLeft: number | null,
  t: (key: "days.none" | "days.today" | "days.left" | "days.overdue", p?: { count: number }) => string,
): string {
  if (daysLeft === null) return t("days.none");
  if (daysLeft === 0) return t("days.today");
  if (daysLeft > 0) return t("days.left", { count: daysLeft });
  return t("days.overdue", { count: -daysLeft });
}
