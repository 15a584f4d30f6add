import { cleanup, fireEvent, render } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { I18nProvider } from "../../i18n";
import type { NextStep, NextStepKind } from "../../ipc/types";
import { NextStepCard } from "./NextStep";

afterEach(cleanup);

const step = (kind: NextStepKind, more: Partial<NextStep> = {}): NextStep => ({
  kind,
  date: null,
  days_left: null,
  count: null,
  letter: null,
  ...more,
});

function card(lang: string, s: NextStep, onAct = vi.fn()) {
  const view = render(
    <I18nProvider override={lang}>
      <NextStepCard step={s} onAct={onAct} />
    </I18nProvider>,
  );
  const text = view.getByTestId("next-step").textContent ?? "";
  return { view, text, button: view.queryByTestId("next-step-button"), onAct };
}

// One case per kind: what the core sends, and the sentence and button in each language.
const CASES: { s: NextStep; en: [string, string | null]; de: [string, string | null]; fr: [string, string | null] }[] = [
  {
    s: step("acknowledge", { date: "2025-03-17", days_left: 12, letter: "acknowledgement" }),
    en: ["Acknowledge by 17 Mar 2025", "Write acknowledgement"],
    de: ["Eingang bestätigen bis 17.03.2025", "Eingangsbestätigung schreiben"],
    fr: ["Accuser réception d’ici le 17/03/2025", "Rédiger l’accusé de réception"],
  },
  {
    s: step("acknowledge", { letter: "acknowledgement" }),
    en: ["Acknowledge receipt (the law sets no date for it)", "Write acknowledgement"],
    de: ["Eingang bestätigen (das Gesetz setzt dafür keine Frist)", "Eingangsbestätigung schreiben"],
    fr: ["Accuser réception (la loi ne fixe pas de délai)", "Rédiger l’accusé de réception"],
  },
  {
    s: step("identity_awaited", { date: "2025-03-04" }),
    en: ["Identity evidence awaited since 4 Mar 2025", "Record identity received"],
    de: ["Identitätsnachweis erwartet seit 04.03.2025", "Identitätsnachweis erfassen"],
    fr: ["Justificatif d’identité attendu depuis le 04/03/2025", "Consigner le justificatif reçu"],
  },
  {
    s: step("clarification_awaited", { date: "2025-03-05" }),
    en: ["Clarification awaited since 5 Mar 2025", "Record clarification received"],
    de: ["Rückfrage offen seit 05.03.2025", "Antwort auf Rückfrage erfassen"],
    fr: ["Précisions attendues depuis le 05/03/2025", "Consigner les précisions reçues"],
  },
  {
    s: step("paused", { date: "2025-03-06" }),
    en: ["Clock paused since 6 Mar 2025", "Resume the clock"],
    de: ["Frist angehalten seit 06.03.2025", "Frist fortsetzen"],
    fr: ["Délai suspendu depuis le 06/03/2025", "Reprendre le délai"],
  },
  {
    s: step("tasks_open", { date: "2025-04-16", days_left: 30, count: 3 }),
    en: ["3 tasks open (due 16 Apr 2025)", "Go to tasks"],
    de: ["3 Aufgaben offen (fällig am 16.04.2025)", "Zu den Aufgaben"],
    fr: ["3 tâches ouvertes (échéance le 16/04/2025)", "Aller aux tâches"],
  },
  {
    s: step("answer_due", { date: "2025-03-14", days_left: 4, letter: "response-access" }),
    en: ["Answer due in 4 days (due 14 Mar 2025)", "Send answer"],
    de: ["Antwort fällig in 4 Tagen (fällig am 14.03.2025)", "Antwort senden"],
    fr: ["Réponse due dans 4 jours (échéance le 14/03/2025)", "Envoyer la réponse"],
  },
  {
    s: step("extension_possible", { date: "2025-04-16", days_left: 2, letter: "extension-notice" }),
    en: ["Extension notice possible until 16 Apr 2025", "Write extension notice"],
    de: ["Mitteilung einer Fristverlängerung möglich bis 16.04.2025", "Fristverlängerung mitteilen"],
    fr: ["Notification de prolongation possible jusqu’au 16/04/2025", "Rédiger la notification de prolongation"],
  },
  {
    s: step("overdue", { date: "2025-03-01", days_left: -9, letter: "response-access" }),
    en: ["Answer overdue by 9 days (due 1 Mar 2025)", "Send answer"],
    de: ["Antwort seit 9 Tagen überfällig (fällig am 01.03.2025)", "Antwort senden"],
    fr: ["Réponse en retard de 9 jours (échéance le 01/03/2025)", "Envoyer la réponse"],
  },
  {
    s: step("forward_to_controller", { date: "2026-12-16", days_left: 42, letter: "processor-forward" }),
    en: ["Forward to the controller by 16 Dec 2026", "Write the forward to the controller"],
    de: ["Bis 16.12.2026 an den Verantwortlichen weiterleiten", "Weiterleitung an den Verantwortlichen schreiben"],
    fr: ["Transmettre au responsable du traitement avant le 16/12/2026", "Rédiger la transmission au responsable du traitement"],
  },
  {
    s: step("forwarded_to_controller", { date: "2026-11-04" }),
    en: ["Forwarded to the controller on 4 Nov 2026; the controller answers", null],
    de: ["Am 04.11.2026 an den Verantwortlichen weitergeleitet; der Verantwortliche antwortet", null],
    fr: ["Transmise au responsable du traitement le 04/11/2026 ; le responsable répond", null],
  },
  {
    s: step("closed"),
    en: ["Closed: nothing left to do", null],
    de: ["Abgeschlossen: nichts mehr zu tun", null],
    fr: ["Clôturée : plus rien à faire", null],
  },
];

describe("the next step, in the interface language, with its date and one button", () => {
  for (const c of CASES) {
    for (const lang of ["en", "de", "fr"] as const) {
      it(`${c.s.kind}${c.s.date ? "" : " (no date)"} in ${lang}`, () => {
        const [sentence, action] = c[lang];
        const { text, button } = card(lang, c.s);
        expect(text.replace(/\u202f|\u00a0/g, " ")).toContain(sentence);
        if (action === null) expect(button).toBeNull();
        else expect(button?.textContent).toBe(action);
      });
    }
  }

  it("hands the step to the page when its button is pressed", () => {
    const s = step("answer_due", { date: "2025-03-14", days_left: 4, letter: "response-access" });
    const { button, onAct } = card("en", s);
    fireEvent.click(button!);
    expect(onAct).toHaveBeenCalledWith(s);
  });

  it("says one day, and today, as the language says it", () => {
    expect(card("en", step("answer_due", { date: "2025-03-11", days_left: 1 })).text).toContain("Answer due in 1 day");
    cleanup();
    expect(card("de", step("answer_due", { date: "2025-03-10", days_left: 0 })).text).toContain("Antwort heute fällig");
    cleanup();
    expect(card("fr", step("tasks_open", { date: "2025-03-10", count: 1 })).text).toContain("1 tâche ouverte");
  });
});
