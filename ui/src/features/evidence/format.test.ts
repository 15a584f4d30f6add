import { describe, expect, it } from "vitest";
import { makeI18n } from "../../i18n";
import { sizeText } from "./format";

describe("evidence wording", () => {
  it("shows file sizes in readable units", () => {
    expect(sizeText(512)).toBe("512 bytes");
    expect(sizeText(12_595)).toBe("12.3 KB");
    expect(sizeText(25 * 1024 * 1024)).toBe("25.0 MB");
    const de = makeI18n("de", "de-DE");
    expect(sizeText(12_595, de.t, de.locale)).toBe("12,3 KB");
    const fr = makeI18n("fr", "fr-FR");
    expect(sizeText(512, fr.t, fr.locale)).toBe("512 octets");
  });
});
