import { describe, expect, it } from "vitest";
import { fileBytes, remap } from "./mapping";

describe("column mapping", () => {
  it("moves a field to the column it is given to", () => {
    expect(remap(["name", "email", null], 2, "email")).toEqual(["name", null, "email"]);
  });

  it("lets several columns be identifiers and a column be ignored", () => {
    expect(remap(["identifier", null], 1, "identifier")).toEqual(["identifier", "identifier"]);
    expect(remap(["name", "email"], 0, null)).toEqual([null, "email"]);
  });

  it("sends the file's bytes as they are, so the backend can tell UTF-8 from Windows-1252", async () => {
    const bytes = await fileBytes(new Blob([new Uint8Array([0xef, 0xbb, 0xbf, 0x41, 0xe9])]));
    expect(bytes).toEqual([0xef, 0xbb, 0xbf, 0x41, 0xe9]);
  });
});
