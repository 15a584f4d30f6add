import { describe, expect, it } from "vitest";
import { dateMessages, formatDateInput, formatDateWords, parseDate, type DateLanguage } from "./dateEntry";

const ok = (iso: string) => ({ kind: "ok", iso });
const err = (reason: string) => ({ kind: "error", reason });

describe("dates typed in the language of the interface", () => {
  it("German reads DD.MM.YYYY: 02.10.2025 is 2 October, never 10 February", () => {
    expect(parseDate("02.10.2025", "de")).toEqual(ok("2025-10-02"));
    expect(parseDate("2.10.2025", "de")).toEqual(ok("2025-10-02"));
    expect(parseDate(" 29.02.2024 ", "de")).toEqual(ok("2024-02-29"));
    expect(parseDate("2. Oktober 2025", "de")).toEqual(ok("2025-10-02"));
    expect(parseDate("10. März 2025", "de")).toEqual(ok("2025-03-10"));
    expect(parseDate("02/10/2025", "de")).toEqual(err("format"));
  });

  it("French reads DD/MM/YYYY: 02/10/2025 is 2 October", () => {
    expect(parseDate("02/10/2025", "fr")).toEqual(ok("2025-10-02"));
    expect(parseDate("2 octobre 2025", "fr")).toEqual(ok("2025-10-02"));
    expect(parseDate("1er mars 2025", "fr")).toEqual(ok("2025-03-01"));
    expect(parseDate("10 févr. 2025", "fr")).toEqual(ok("2025-02-10"));
    expect(parseDate("10 août 2025", "fr")).toEqual(ok("2025-08-10"));
  });

  it("English takes the month in letters and refuses an all-numeric date, which reads two ways", () => {
    expect(parseDate("2 Oct 2025", "en")).toEqual(ok("2025-10-02"));
    expect(parseDate("10 February 2025", "en")).toEqual(ok("2025-02-10"));
    expect(parseDate("Feb 10, 2025", "en")).toEqual(ok("2025-02-10"));
    expect(parseDate("02/10/2025", "en")).toEqual(err("ambiguous"));
    expect(parseDate("10/02/2025", "en")).toEqual(err("ambiguous"));
  });

  it("ISO is accepted in every language", () => {
    for (const l of ["en", "de", "fr"] as DateLanguage[]) {
      expect(parseDate("2025-02-10", l)).toEqual(ok("2025-02-10"));
      expect(parseDate("2025-2-3", l)).toEqual(ok("2025-02-03"));
    }
  });

  it("refuses impossible days, two-digit years and words that are no month", () => {
    for (const [text, l] of [
      ["31.02.2025", "de"],
      ["29.02.2025", "de"],
      ["31/04/2025", "fr"],
      ["00.01.2025", "de"],
      ["01.13.2025", "de"],
      ["2025-02-30", "en"],
      ["31 Feb 2025", "en"],
    ] as [string, DateLanguage][]) {
      expect(parseDate(text, l), text).toEqual(err("impossible"));
    }
    expect(parseDate("02.10.25", "de")).toEqual(err("year"));
    expect(parseDate("02/10/25", "fr")).toEqual(err("year"));
    expect(parseDate("2 Oct 25", "en")).toEqual(err("year"));
    expect(parseDate("2 Brumaire 2025", "fr")).toEqual(err("format"));
    expect(parseDate("tomorrow", "en")).toEqual(err("format"));
    expect(parseDate("", "de")).toEqual({ kind: "empty" });
    expect(parseDate("   ", "fr")).toEqual({ kind: "empty" });
  });

  it("writes a date the way it is typed, and reads it back to the same day", () => {
    expect(formatDateInput("2025-02-10", "de")).toBe("10.02.2025");
    expect(formatDateInput("2025-02-10", "fr")).toBe("10/02/2025");
    expect(formatDateInput("2025-02-10", "en")).toBe("10 Feb 2025");
    expect(formatDateInput("", "en")).toBe("");
    for (const l of ["en", "de", "fr"] as DateLanguage[]) {
      for (const iso of ["2025-01-01", "2024-02-29", "2025-12-31", "2025-10-02"]) {
        expect(parseDate(formatDateInput(iso, l), l)).toEqual(ok(iso));
      }
    }
  });

  it("echoes the date in words with its weekday in the language, whatever the system's locale", () => {
    expect(formatDateWords("2025-02-10", "en", "en")).toMatch(/^Monday,? 10 February 2025$/);
    expect(formatDateWords("2025-02-10", "de", "de")).toBe("Montag, 10. Februar 2025");
    expect(formatDateWords("2025-02-10", "fr", "fr")).toBe("lundi 10 février 2025");
    // The German interface on an American system: still German words.
    expect(formatDateWords("2025-10-02", "de", "en-US")).toBe("Donnerstag, 2. Oktober 2025");
  });

  it("has every message in every language", () => {
    const keys = Object.keys(dateMessages.en).sort();
    expect(Object.keys(dateMessages.de).sort()).toEqual(keys);
    expect(Object.keys(dateMessages.fr).sort()).toEqual(keys);
  });
});
