import { describe, expect, it } from "vitest";
import { daysLeftText, statusText, urgencyOf } from "./format";

describe("days left", () => {
  it.each([
    [18, "18 days left"],
    [1, "1 day left"],
    [0, "due today"],
    [-1, "1 day overdue"],
    [-3, "3 days overdue"],
    [null, "—"],
  ])("%s reads as %s", (days, text) => {
    expect(daysLeftText(days)).toBe(text);
  });

  it("flags overdue and due-within-a-week requests", () => {
    expect(urgencyOf(-1)).toBe("overdue");
    expect(urgencyOf(7)).toBe("soon");
    expect(urgencyOf(8)).toBe("ok");
    expect(urgencyOf(null)).toBe("closed");
  });

  it("spells statuses as words", () => {
    expect(statusText("awaiting-identity")).toBe("Awaiting identity");
  });
});
