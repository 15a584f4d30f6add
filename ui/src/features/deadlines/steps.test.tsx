import { cleanup, render } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { I18nProvider } from "../../i18n";
import type { Schedule, StepCode } from "../../ipc/types";
import { ScheduleView } from "./ScheduleView";
import { stepMessages } from "./messages";
import { stepText } from "./steps";
// The deadline engine's own schedule for a GDPR access request received in Germany on Fri
// 31 Jan 2025 and extended on 20 Feb (the engine's JSON, as `compute` returns it): the month
// ends on 28 Feb (there is no 31 Feb), the extension on 28 Apr, the target on 17 Apr.
import fixture from "./fixtures/gdpr-de-31-jan-2025.json";

const gdpr = fixture as Schedule;

afterEach(cleanup);

function explanation(lang: string, schedule: Schedule = gdpr) {
  const view = render(
    <I18nProvider override={lang}>
      <ScheduleView schedule={schedule} />
    </I18nProvider>,
  );
  return view.getByTestId("explanation");
}

describe("the explanation of the dates, in the interface language", () => {
  it("says a date rests on an expected holiday in each language, without the calendar's English marker", () => {
    const step = {
      code: "rolled" as const,
      params: {
        date: "2026-11-05",
        label: "due" as const,
        skipped: [{ date: "2026-11-04", holiday: "Local Government Elections", expected: true }],
      },
      detail: "",
    };
    expect(stepText(step, "de", "de")).toContain("angenommen als erwarteter Feiertag Local Government Elections");
    expect(stepText(step, "fr", "fr")).toContain("en supposant le jour férié attendu Local Government Elections");
    expect(stepText(step, "en", "en")).toContain("assuming the expected public holiday Local Government Elections");
    const proclaimed = { ...step, params: { ...step.params, skipped: [{ date: "2026-11-04", holiday: "Local Government Elections" }] } };
    expect(stepText(proclaimed, "de", "de")).not.toContain("erwartet");
  });

  it("reads in German with German dates, the law cited as it is", () => {
    const list = explanation("de");
    const text = list.textContent ?? "";
    expect(text).toContain("Eingegangen am 31.01.2025");
    expect(text).toContain("Ein Kalendermonat ab 31.01.2025 → 28.02.2025 (kein 31. Februar: der letzte Tag des Monats)");
    expect(text).toContain("Der 28.02.2025 ist ein Arbeitstag → gesetzliche Frist: 28.02.2025");
    expect(text).toContain("Mitteilung am 20.02.2025 (rechtzeitig, Frist 28.02.2025): 2 Kalendermonate ab Ende des ersten Monats");
    expect(text).toContain("5 Arbeitstage vor dem 28.04.2025 → Ziel 17.04.2025");
    // No English words of the engine, no English dates (outside the citations).
    const words = [...list.querySelectorAll("li")]
      .map((li) => li.textContent!.replace(li.querySelector("cite")!.textContent!, ""))
      .join(" ");
    for (const english of ["Received", "working day", "Notice sent", "Feb 2025", "calendar month"]) expect(words).not.toContain(english);
    // The citation is the law's, untranslated.
    const sources = [...list.querySelectorAll("[data-testid=step-source]")].map((s) => s.textContent);
    expect(sources[1]).toBe("(GDPR Art. 12(3); month rule: Reg. 1182/71 Art. 3(2)(c))");
    expect(sources).toHaveLength(gdpr.steps.length);
  });

  it("reads in French with French dates", () => {
    const text = explanation("fr").textContent ?? "";
    expect(text).toContain("Reçue le 31/01/2025");
    expect(text).toContain("Un mois civil à compter du 31/01/2025 → 28/02/2025");
    expect(text).toContain("objectif 17/04/2025");
    expect(text).not.toContain("Received");
  });

  it("reads in English with unambiguous dates", () => {
    const text = explanation("en").textContent ?? "";
    expect(text).toContain("Received 31 Jan 2025");
    expect(text).toContain("One calendar month from 31 Jan 2025 → 28 Feb 2025 (no 31 Feb: the month’s last day)");
    expect(text).toContain(
      "Notice sent 20 Feb 2025 (on time, by 28 Feb 2025): 2 calendar months from the end of the first month (28 Feb 2025) → 28 Apr 2025",
    );
  });

  it("shows a step stored before steps had codes in the engine's English, and says so", () => {
    const old: Schedule = { ...gdpr, steps: [{ ...gdpr.steps[0], code: "legacy", params: {}, detail: "Received Fri 31 Jan 2025" }] };
    const list = explanation("de", old);
    expect(list.textContent).toContain("Received Fri 31 Jan 2025");
    expect(list.querySelector("[lang=en]")?.textContent).toBe("Received Fri 31 Jan 2025");
    expect(document.body.textContent).toContain("frühere Version");
  });

  it("every code the engine sends has a sentence in every language that fills all its blanks", () => {
    // The type checker holds every language to every code (`Record<StepCode, string>`); this
    // checks that each renders with every parameter present and leaves no placeholder behind.
    const params = {
      date: "2025-02-28",
      from: "2025-01-31",
      on: "2025-02-20",
      by: "2025-02-28",
      until: "2025-02-10",
      period: { count: 2, unit: "months" as const },
      count: 3,
      subject: "identity" as const,
      base: "receipt" as const,
      label: "due" as const,
      skipped: [{ date: "2025-03-01" }, { date: "2025-04-21", holiday: "Easter Monday" }],
    };
    for (const lang of ["en", "de", "fr"] as const) {
      for (const code of Object.keys(stepMessages.en.sentence) as StepCode[]) {
        if (code === "legacy") continue;
        const text = stepText({ code, params, detail: "" }, lang, lang);
        expect(text, `${lang} ${code}`).toBeTruthy();
        expect(text, `${lang} ${code}`).not.toMatch(/[{}]|—|undefined/);
      }
    }
  });
});
