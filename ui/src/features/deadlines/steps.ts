// One step of "How the dates were reached" in the interface language, from the code and
// parameters the deadline engine sent (issue 21, item 3). Dates are written as the officer
// types them in that language (28.02.2025, 28/02/2025, 28 Feb 2025), never in the system's
// format. A step stored before steps had codes ("legacy") has only the engine's English.
import type { Step } from "../../ipc/types";
import type { StepPeriod } from "../../ipc/bindings";
import { formatDateInput } from "../../i18n/dateEntry";
import { formatMessage } from "../../i18n/format";
import type { Language } from "../../i18n";
import { stepMessages } from "./messages";

/** The step's sentence in `language`, or `null` for a legacy step (show its English `detail`). */
export function stepText(step: Pick<Step, "code" | "params" | "detail">, language: Language, locale: string): string | null {
  if (step.code === "legacy") return null;
  const words = stepMessages[language];
  const p = step.params;
  const date = (d: string | undefined | null) => (d ? formatDateInput(d, language) : "—");
  const period = (q: StepPeriod | undefined | null) => (q ? formatMessage(words.unit[q.unit], { count: q.count }, locale) : "—");
  const weekday = (d: string) => new Intl.DateTimeFormat(locale, { weekday: "long", timeZone: "UTC" }).format(new Date(`${d}T00:00:00Z`));
  const skipped = (p.skipped ?? [])
    .map((s) =>
      formatMessage(
        words.restDay,
        {
          date: date(s.date),
          why: s.holiday ? formatMessage(s.expected ? words.expectedHoliday : words.holiday, { name: s.holiday }, locale) : weekday(s.date),
        },
        locale,
      ),
    )
    .join(", ");
  const params = {
    date: date(p.date),
    from: date(p.from),
    on: date(p.on),
    by: date(p.by),
    until: date(p.until),
    period: period(p.period),
    count: p.count ?? 0,
    subject: p.subject ? words.subject[p.subject] : "",
    event: p.subject ? words.event[p.subject] : "",
    base: p.base ? words.base[p.base] : "",
    label: p.label ? words.label[p.label] : "",
    skipped,
    day: p.from ? Number(p.from.slice(8, 10)) : "",
    month: p.date
      ? new Intl.DateTimeFormat(locale, { month: language === "en" ? "short" : "long", timeZone: "UTC" }).format(
          new Date(`${p.date}T00:00:00Z`),
        )
      : "",
    detail: step.detail,
  };
  const text = formatMessage(words.sentence[step.code], params, locale);
  // A sentence begins with a capital, whatever word a placeholder put first.
  return text.charAt(0).toLocaleUpperCase(locale) + text.slice(1);
}
