import { describe, expect, it } from "vitest";
import { humanBytes, percentOf } from "./progress";

describe("package progress", () => {
  it("shows whole percents and 100 when done", () => {
    expect(percentOf(null)).toBe(0);
    expect(percentOf({ file: "a", bytes_done: 1, bytes_total: 3, done: false })).toBe(33);
    expect(percentOf({ file: "", bytes_done: 3, bytes_total: 3, done: true })).toBe(100);
    expect(percentOf({ file: "", bytes_done: 0, bytes_total: 0, done: false })).toBe(0);
  });

  it("reads sizes the way a person does", () => {
    expect(humanBytes(512)).toBe("512 B");
    expect(humanBytes(1536)).toBe("1.5 KiB");
    expect(humanBytes(5 * 1024 ** 3)).toBe("5.00 GiB");
  });
});
