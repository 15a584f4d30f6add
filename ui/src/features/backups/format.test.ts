import { describe, expect, it } from "vitest";
import { makeI18n } from "../../i18n";
import { age } from "./format";

const en = makeI18n("en", "en-GB");
const de = makeI18n("de", "de-DE");
const fr = makeI18n("fr", "fr-FR");

describe("the backups' wording", () => {
  it("says how old the last backup is", () => {
    const now = new Date("2026-11-23T12:00:00Z");
    expect(age(null, now, en)).toBe("never");
    expect(age("2026-11-23T11:30:00Z", now, en)).toBe("less than an hour ago");
    expect(age("2026-11-22T12:00:00Z", now, en)).toBe("24 hours ago");
    expect(age("2026-11-13T12:00:00Z", now, en)).toBe("10 days ago");
    expect(age("2026-11-13T12:00:00Z", now, de)).toBe("vor 10 Tagen");
    expect(age(null, now, fr)).toBe("jamais");
  });
});
