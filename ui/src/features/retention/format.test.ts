import { describe, expect, it } from "vitest";
import { makeI18n } from "../../i18n";
import { period, purgeSentence } from "./format";

const en = makeI18n("en", "en-GB");
const de = makeI18n("de", "de-DE");
const fr = makeI18n("fr", "fr-FR");

const plan = {
  as_of: "2026-11-23",
  requests: [
    {
      id: "1",
      reference: "DSR-2022-0001",
      request_type: "access",
      regime: "eu-gdpr",
      status: "completed",
      closed_on: "2022-10-01",
      purge_from: "2025-10-01",
    },
  ],
  removes: [
    { purger: "subject-identity", what: "subject identity", items: 1 },
    { purger: "timeline-details", what: "timeline entries", items: 0 },
    { purger: "from-a-later-version", what: "something new", items: 2 },
  ],
  dismissed_mails: 0,
};

describe("the retention and purge wording", () => {
  it("shows periods in years when whole", () => {
    expect(period(36, en)).toBe("3 years");
    expect(period(24, en)).toBe("2 years");
    expect(period(18, en)).toBe("18 months");
    expect(period(1, en)).toBe("1 month");
    expect(period(12, de)).toBe("1 Jahr");
    expect(period(18, fr)).toBe("18 mois");
  });

  it("names what the purge removes before the officer confirms, in the officer's language", () => {
    expect(purgeSentence(plan, en)).toBe(
      "Remove the personal data of 1 closed request (1 × subject name, email and identifiers, notes and status reasons of the request; 2 × something new). This cannot be undone; the anonymised record stays.",
    );
    expect(purgeSentence(plan, de)).toMatch(/^Die personenbezogenen Daten von 1 abgeschlossenen Anfrage entfernen \(1 × Name, E-Mail/);
    expect(purgeSentence(plan, fr)).toContain("2 × something new");
    expect(purgeSentence({ ...plan, requests: [] }, en)).toMatch(/No closed request/);
  });
});
