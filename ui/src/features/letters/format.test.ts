import { describe, expect, it } from "vitest";
import { makeI18n } from "../../i18n";
import { passwordStatusText, templateLabel, templateText } from "./format";

const en = makeI18n("en", "en-GB");
const de = makeI18n("de", "de-DE");
const fr = makeI18n("fr", "fr-FR");

describe("the mail screens' wording", () => {
  it("says where the password comes from, in the officer's language", () => {
    expect(passwordStatusText("keyring-unavailable", en.t)).toMatch(/will not be stored/);
    expect(passwordStatusText("session-only", en.t)).toMatch(/this session only/);
    expect(passwordStatusText(null, en.t)).toBe("No login needed.");
    expect(passwordStatusText("keyring", de.t)).toBe("Im Schlüsselbund des Betriebssystems gespeichert.");
    expect(passwordStatusText("missing", fr.t)).toMatch(/^Aucun mot de passe/);
  });

  it("names a letter template in the officer's language, and one it does not know readably", () => {
    expect(templateText("extension-notice")).toBe("Extension notice");
    expect(templateLabel("extension-notice", en)).toBe("Extension notice");
    expect(templateLabel("reminder-digest", fr)).not.toBe("Reminder digest");
    expect(templateLabel("a-later-letter", de)).toBe("A later letter");
  });
});
