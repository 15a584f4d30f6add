import { describe, expect, it } from "vitest";
import { makeI18n } from "../../i18n";
import { daysText, urgencyOf } from "./format";

describe("days left", () => {
  const en = makeI18n("en", "en-GB");
  it.each([
    [18, "18 days left"],
    [1, "1 day left"],
    [0, "due today"],
    [-1, "1 day overdue"],
    [-3, "3 days overdue"],
    [null, "—"],
  ])("%s reads as %s", (days, text) => {
    expect(daysText(days, en.t)).toBe(text);
  });

  it("reads in the officer's language", () => {
    expect(daysText(-3, makeI18n("de", "de-DE").t)).toBe("3 Tage überfällig");
    expect(daysText(1, makeI18n("fr", "fr-FR").t)).toBe("1 jour restant");
  });

  it("flags overdue and due-within-a-week requests", () => {
    expect(urgencyOf(-1)).toBe("overdue");
    expect(urgencyOf(7)).toBe("soon");
    expect(urgencyOf(8)).toBe("ok");
    expect(urgencyOf(null)).toBe("closed");
  });
});
