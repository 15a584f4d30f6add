import { describe, expect, it } from "vitest";
import { dateRows } from "./dates";
import { makeI18n } from "../../i18n";
import type { Schedule } from "../../ipc/types";

const base: Schedule = {
  rule_set: "eu-gdpr@2025.1",
  legal_due: "2025-02-28",
  steps: [],
  regime: "eu-gdpr",
  jurisdiction: "DE",
  calendar: "DE",
  received: "2025-01-31",
  clock_start: "2025-01-31",
  statutory: true,
  ack_due: null,
  due: "2025-02-28",
  extension_notice_due: "2025-02-28",
  extended_due: null,
  promised_due: null,
  target: "2025-02-21",
  paused_days: 0,
  clock_paused: false,
  today: null,
  days_left: null,
  duties: [],
  warnings: [],
  readings: [],
};

describe("the dates table", () => {
  it("shows only the dates the law gives, the legal date always", () => {
    const keys = dateRows(base).map((r) => r.key);
    expect(keys).toEqual(["due", "extension_notice_due", "target"]);
  });

  it("says so when the law sets no date", () => {
    const rows = dateRows({ ...base, statutory: false, due: null, legal_due: null });
    const note = rows.find((r) => r.key === "due")?.note;
    expect(note && makeI18n("en", "en").t(note)).toBe("no statutory date");
    expect(note && makeI18n("de", "de-DE").t(note)).toBe(makeI18n("de", "de-DE").t("due.none"));
  });

  it("shows a core date with its weekday in the officer's locale, without shifting it across time zones", () => {
    expect(makeI18n("en", "en-GB").weekday("2025-02-28")).toBe("Fri, 28 Feb 2025");
    expect(makeI18n("de", "de-DE").weekday("2025-02-28")).toBe("Fr., 28. Feb. 2025");
    expect(makeI18n("fr", "fr-FR").weekday("2025-02-28")).toBe("ven. 28 févr. 2025");
    expect(makeI18n("en", "en-GB").weekday(null)).toBe("—");
  });
});
