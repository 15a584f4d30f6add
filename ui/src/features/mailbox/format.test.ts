import { describe, expect, it } from "vitest";
import { formatArrival, formatReceiptDate } from "./format";

describe("the arrival of a mail", () => {
  it("is shown in the organisation's zone, so 22:30 UTC on 31 January is 23:30 on 31 January in Berlin", () => {
    expect(formatArrival("2026-01-31T22:30:00Z", "en-GB", "Europe/Berlin")).toBe("31 Jan 2026, 23:30 (Europe/Berlin)");
    expect(formatReceiptDate("2026-01-31T22:30:00Z", "en-GB", "Europe/Berlin")).toBe("31 January 2026");
    expect(formatReceiptDate("2026-01-31T23:30:00Z", "de-DE", "Europe/Berlin")).toBe("1. Februar 2026");
  });
});
