// Message formatting and locale-aware dates and numbers, with the platform's Intl (no library).
// Messages use a small subset of ICU: {name} and {name, plural, one {...} other {...}} with #.

export type Params = Record<string, string | number>;

const PLURAL = /\{(\w+), plural, ((?:[=\w]+ \{[^{}]*\}\s*)+)\}/g;
const OPTION = /([=\w]+) \{([^{}]*)\}/g;

export function formatMessage(template: string, params: Params, locale: string): string {
  const withPlurals = template.replace(PLURAL, (_all, name: string, body: string) => {
    const n = Number(params[name] ?? 0);
    const options = new Map<string, string>();
    for (const m of body.matchAll(OPTION)) options.set(m[1], m[2]);
    const category = new Intl.PluralRules(locale).select(n);
    const chosen = options.get(`=${n}`) ?? options.get(category) ?? options.get("other") ?? "";
    return chosen.replace(/#/g, formatNumber(n, locale));
  });
  return withPlurals.replace(/\{(\w+)\}/g, (all, name: string) => {
    const v = params[name];
    if (v === undefined) return all;
    return typeof v === "number" ? formatNumber(v, locale) : v;
  });
}

/** A number in the locale; `fractionDigits` fixes the digits after the decimal sign ("12,5"). */
export function formatNumber(n: number, locale: string, fractionDigits?: number): string {
  const digits = fractionDigits === undefined ? {} : { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits };
  return new Intl.NumberFormat(locale, digits).format(n);
}

export function formatPercent(ratio: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 }).format(ratio);
}

/** A calendar date `YYYY-MM-DD` the core computed, shown in the officer's locale (never shifted by a zone). */
export function formatDate(date: string | null | undefined, locale: string): string {
  if (!date) return "";
  const d = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return date;
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }).format(d);
}

/** A month `YYYY-MM`, e.g. "Mar 2025" / "März 2025". */
export function formatMonth(month: string, locale: string): string {
  const d = new Date(`${month}-01T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return month;
  return new Intl.DateTimeFormat(locale, { month: "short", year: "numeric", timeZone: "UTC" }).format(d);
}

/** The short name of the month of `YYYY-MM`, e.g. "Mar" / "März" / "mars", for a chart's axis. */
export function formatMonthName(month: string, locale: string): string {
  const d = new Date(`${month}-01T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return month;
  return new Intl.DateTimeFormat(locale, { month: "short", timeZone: "UTC" }).format(d);
}

/** A calendar date with its weekday, "Fri, 28 Feb 2025" / "Fr., 28. Feb. 2025", never shifted by a zone. */
export function formatWeekdayDate(date: string | null | undefined, locale: string): string {
  if (!date) return "—";
  const d = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return date;
  return new Intl.DateTimeFormat(locale, { weekday: "short", day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }).format(d);
}

/** An instant (RFC 3339) in the officer's locale and time zone, date and time. */
export function formatInstant(at: string | null | undefined, locale: string): string {
  if (!at) return "";
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return at;
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(d);
}
