import { describe, expect, it } from "vitest";
import { makeI18n } from "../../i18n";
import { methodKey, methodText, sizeText, taskStatusKey } from "./format";

describe("task and evidence wording", () => {
  it("says what a task's status means", () => {
    const en = makeI18n("en", "en");
    const de = makeI18n("de", "de-DE");
    expect(en.t(taskStatusKey("exempt"))).toBe("Kept (exemption)");
    expect(en.t(taskStatusKey("not-held"))).toBe("No data held");
    expect(de.t(taskStatusKey("not-held"))).toBe("Keine Daten vorhanden");
  });

  it("names identity methods in words and passes unknown ones through", () => {
    expect(methodText("document-seen")).toBe("Identity document seen");
    expect(methodText("telepathy")).toBe("telepathy");
    const key = methodKey("document-seen");
    expect(key && makeI18n("fr", "fr-FR").t(key)).toBe("Pièce d’identité examinée");
    expect(methodKey("telepathy")).toBeNull();
  });

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
