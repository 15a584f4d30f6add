import { describe, expect, it } from "vitest";
import { de } from "./de";
import { en } from "./en";
import { fr } from "./fr";
import { formatDate, formatMessage } from "./format";
import { localeFor, makeI18n, pickLanguage } from "./index";

describe("the interface languages", () => {
  it("German and French translate every English message and keep its placeholders", () => {
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)[,}]/g)].map((m) => m[1]).sort();
    for (const dict of [de, fr]) {
      expect(Object.keys(dict).sort()).toEqual(Object.keys(en).sort());
      for (const key of Object.keys(en) as (keyof typeof en)[]) {
        expect(placeholders(dict[key]), key).toEqual(placeholders(en[key]));
      }
    }
  });

  it("counts read naturally in each language", () => {
    expect(makeI18n("en", "en-GB").t("days.overdue", { count: 1 })).toBe("1 day overdue");
    expect(makeI18n("en", "en-GB").t("list.count", { count: 100000 })).toBe("100,000 requests");
    expect(makeI18n("de", "de-DE").t("list.count", { count: 100000 })).toBe("100.000 Anfragen");
    expect(makeI18n("fr", "fr-FR").t("days.left", { count: 2 })).toBe("2 jours restants");
    expect(formatMessage("{n} of {m}", { n: 3, m: "x" }, "en")).toBe("3 of x");
  });

  it("a legal date is shown in the officer's locale without moving a day", () => {
    expect(formatDate("2025-02-28", "en-GB")).toBe("28 Feb 2025");
    expect(formatDate("2025-02-28", "de-DE")).toBe("28.02.2025");
    expect(formatDate("2025-02-28", "fr-FR")).toBe("28 févr. 2025");
  });

  it("the override beats the officer's choice, which beats the system language", () => {
    expect(pickLanguage("fr", "de", ["en-US"])).toBe("fr");
    expect(pickLanguage(null, "de", ["en-US"])).toBe("de");
    expect(pickLanguage(null, null, ["it-IT", "fr-CH"])).toBe("fr");
    expect(pickLanguage(null, null, ["ja-JP"])).toBe("en");
    expect(localeFor("de", ["en-US", "de-AT"])).toBe("de-AT");
    expect(localeFor("fr", ["en-US"])).toBe("fr");
  });
});
