import { describe, expect, it } from "vitest";
import { daysText, letterStateText, passwordStatusText, templateText } from "./format";

describe("mail words", () => {
  it("tells the officer to check an unknown letter before resending it", () => {
    expect(letterStateText("unknown")).toMatch(/check before resending/);
    expect(letterStateText("sent")).toBe("Sent");
  });

  it("says plainly when the password cannot be stored", () => {
    expect(passwordStatusText("keyring-unavailable")).toMatch(/will not be stored/);
    expect(passwordStatusText("session-only")).toMatch(/this session only/);
  });

  it("names templates and days in words", () => {
    expect(templateText("extension-notice")).toBe("Extension notice");
    expect(daysText(-1)).toBe("1 day overdue");
    expect(daysText(0)).toBe("due today");
    expect(daysText(3)).toBe("3 days left");
  });
});
