import { describe, expect, it } from "vitest";
import { age, period, purgeSentence } from "./format";

describe("the safety screen's wording", () => {
  it("shows periods in years when whole", () => {
    expect(period(36)).toBe("3 years");
    expect(period(24)).toBe("2 years");
    expect(period(18)).toBe("18 months");
    expect(period(1)).toBe("1 month");
  });

  it("says how old the last backup is", () => {
    const now = new Date("2026-11-23T12:00:00Z");
    expect(age(null, now)).toBe("never");
    expect(age("2026-11-23T11:30:00Z", now)).toBe("less than an hour ago");
    expect(age("2026-11-22T12:00:00Z", now)).toBe("24 hours ago");
    expect(age("2026-11-13T12:00:00Z", now)).toBe("10 days ago");
  });

  it("names what the purge removes before the officer confirms", () => {
    const plan = {
      as_of: "2026-11-23",
      requests: [
        { id: "1", reference: "DSR-2022-0001", request_type: "access", regime: "eu-gdpr", status: "completed", closed_on: "2022-10-01", purge_from: "2025-10-01" },
      ],
      removes: [
        { purger: "subject-identity", what: "subject identity", items: 1 },
        { purger: "timeline-details", what: "timeline entries", items: 0 },
      ],
    };
    expect(purgeSentence(plan)).toBe(
      "Remove the personal data of 1 closed request (1 × subject identity). This cannot be undone; the anonymised record stays.",
    );
    expect(purgeSentence({ ...plan, requests: [] })).toMatch(/No closed request/);
  });
});
