import { describe, expect, it } from "vitest";
import { makeI18n } from "../../i18n";
import { timelineText } from "./TimelineEntry";

const statusChange = {
  kind: "status-changed" as const,
  summary: "Status: received → refused (reason: manifestly unfounded)",
  data: JSON.stringify({ from: "received", to: "refused", reason: "manifestly unfounded" }),
};
const clock = { kind: "clock" as const, summary: "Clarification received on 2025-09-09", data: "{}" };

describe("a timeline entry in the officer's language", () => {
  it("in English shows the audit record's own words", () => {
    const en = makeI18n("en", "en-GB");
    expect(timelineText(statusChange, en, (s) => en.label("status", s))).toEqual({ kind: null, text: statusChange.summary, english: true });
  });

  it("in German tells a status change from its data, with the translated statuses and the reason as typed", () => {
    const de = makeI18n("de", "de-DE");
    expect(timelineText(statusChange, de, (s) => de.label("status", s))).toEqual({
      kind: "Status geändert",
      text: "Eingegangen → Abgelehnt (Begründung: manifestly unfounded)",
      english: false,
    });
  });

  it("in French names the kind and keeps the engine's English words, marked as English", () => {
    const fr = makeI18n("fr", "fr-FR");
    expect(timelineText(clock, fr, (s) => fr.label("status", s))).toEqual({
      kind: "Événement de délai",
      text: "Clarification received on 2025-09-09",
      english: true,
    });
  });
});
