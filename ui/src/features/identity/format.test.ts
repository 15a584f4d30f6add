import { describe, expect, it } from "vitest";
import { makeI18n } from "../../i18n";
import { methodKey, methodText } from "./format";

describe("identity wording", () => {
  it("names identity methods in words and passes unknown ones through", () => {
    expect(methodText("document-seen")).toBe("Identity document seen");
    expect(methodText("telepathy")).toBe("telepathy");
    const key = methodKey("document-seen");
    expect(key && makeI18n("fr", "fr-FR").t(key)).toBe("Pièce d’identité examinée");
    expect(methodKey("telepathy")).toBeNull();
  });
});
