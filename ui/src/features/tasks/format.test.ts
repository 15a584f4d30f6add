import { describe, expect, it } from "vitest";
import { methodText, sizeText, taskStatusText } from "./format";

describe("task and evidence wording", () => {
  it("says what a task's status means", () => {
    expect(taskStatusText("exempt")).toBe("Kept (exemption)");
    expect(taskStatusText("not-held")).toBe("No data held");
  });

  it("names identity methods in words and passes unknown ones through", () => {
    expect(methodText("document-seen")).toBe("Identity document seen");
    expect(methodText("telepathy")).toBe("telepathy");
  });

  it("shows file sizes in readable units", () => {
    expect(sizeText(512)).toBe("512 bytes");
    expect(sizeText(12_595)).toBe("12.3 KB");
    expect(sizeText(25 * 1024 * 1024)).toBe("25.0 MB");
  });
});
