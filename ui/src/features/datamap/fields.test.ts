import { describe, expect, it } from "vitest";
import { emptyInput, formatOfFileName, inputOf, SYSTEM_FIELDS } from "./fields";

describe("data map fields", () => {
  it("picks the import format from the file name", () => {
    expect(formatOfFileName("map.JSON")).toBe("json");
    expect(formatOfFileName("map.csv")).toBe("csv");
    expect(formatOfFileName("export")).toBe("csv");
  });

  it("turns a stored system back into an editable input without its ids and dates", () => {
    const stored = {
      ...emptyInput(),
      name: "Stripe",
      role: "sub-processor" as const,
      legal_duty: "Tax law: 7 years",
      id: "0193",
      created_at: "2026-11-23T10:00:00Z",
      updated_at: "2026-11-23T10:00:00Z",
    };
    const input = inputOf(stored);
    expect(input.name).toBe("Stripe");
    expect(input.legal_duty).toBe("Tax law: 7 years");
    expect(Object.keys(input).sort()).toEqual(SYSTEM_FIELDS.map((f) => f.key).sort());
  });
});
