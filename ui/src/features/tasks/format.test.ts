import { describe, expect, it } from "vitest";
import { makeI18n } from "../../i18n";
import { taskStatusKey } from "./format";

describe("task wording", () => {
  it("says what a task's status means", () => {
    const en = makeI18n("en", "en");
    const de = makeI18n("de", "de-DE");
    expect(en.t(taskStatusKey("exempt"))).toBe("Kept (exemption)");
    expect(en.t(taskStatusKey("not-held"))).toBe("No data held");
    expect(de.t(taskStatusKey("not-held"))).toBe("Keine Daten vorhanden");
  });
});
