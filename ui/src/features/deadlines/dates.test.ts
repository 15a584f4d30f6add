import { describe, expect, it } from "vitest";
import { dateRows, showDate } from "./dates";
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
    expect(rows.find((r) => r.key === "due")?.note).toBe("no statutory date");
  });

  it("formats a core date without shifting it across time zones", () => {
    expect(showDate("2025-02-28")).toContain("28");
    expect(showDate(null)).toBe("—");
  });
});
