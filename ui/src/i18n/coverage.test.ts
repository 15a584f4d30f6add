import { describe, expect, it } from "vitest";
import type { ClockEvent, EventKind, RequestType, Status } from "../ipc/types";
import type { RequestChannel } from "../ipc/bindings";
import { de } from "./de";
import { en, SECTIONS, type MessageKey } from "./en";
import { fr } from "./fr";
import { makeI18n } from "./index";
import { stepRule } from "./coreLabels";
import type { StepCode } from "../ipc/types";
import { stepMessages } from "../features/deadlines/messages";

// Every value of the core's closed lists (the type checker keeps these complete).
const TYPES: Record<RequestType, true> = {
  access: true,
  erasure: true,
  rectification: true,
  portability: true,
  restriction: true,
  objection: true,
  "opt-out-sale-sharing": true,
  "limit-sensitive": true,
  appeal: true,
  complaint: true,
  other: true,
};
const STATUSES: Record<Status, true> = {
  received: true,
  "awaiting-identity": true,
  "in-progress": true,
  paused: true,
  "awaiting-clarification": true,
  completed: true,
  refused: true,
  withdrawn: true,
  duplicate: true,
};
const CHANNELS: Record<RequestChannel, true> = {
  email: true,
  "web-form": true,
  letter: true,
  phone: true,
  "in-person": true,
  "via-customer": true,
};
const CLOCK: Record<ClockEvent["kind"], true> = {
  "identity-requested": true,
  "identity-received": true,
  "clarification-requested": true,
  "clarification-received": true,
  "fee-requested": true,
  "fee-paid": true,
  "cost-notice": true,
  paused: true,
  resumed: true,
  "extension-notice-sent": true,
};

// The timeline event kinds: the core's `EventKind`, every one it writes or once wrote.
const EVENT_KINDS: Record<EventKind, true> = {
  registered: true,
  imported: true,
  "status-changed": true,
  clock: true,
  "dates-recomputed": true,
  "requests-linked": true,
  "identity-checked": true,
  "evidence-added": true,
  "evidence-removed": true,
  "tasks-created": true,
  "task-updated": true,
  "tasks-overridden": true,
  "package-built": true,
  "package-fact-stated": true,
  acknowledged: true,
  "letter-queued": true,
  "letter-sent": true,
  "letter-retry": true,
  "letter-failed": true,
  "letter-unknown": true,
  "letter-resend": true,
  "template-changed": true,
  "settings-changed": true,
  "filter-saved": true,
  "filter-deleted": true,
  "datamap-imported": true,
  "system-added": true,
  "system-changed": true,
  "system-removed": true,
  "personal-data-purged": true,
  "retention-purge": true,
  "backup-restored": true,
  "request-removed": true,
  "audit-anchored": true,
  "audit-baseline": true,
  "request-state-mismatch": true,
  "mail-received": true,
  "intake-linked": true,
  "intake-dismissed": true,
};

// The core's source, for the names it does not export as types.
const coreSources = import.meta.glob("../../../src-tauri/crates/core/src/**/*.rs", {
  query: "?raw",
  import: "default",
  eager: true,
}) as Record<string, string>;

// The names of the deadline engine's steps (`x.step(code, params, "…", …)`), and its periods.
const STEP_RULES = [
  ...new Set(
    Object.values(coreSources).flatMap((src) =>
      [...src.matchAll(/\.step\(\s*[\w:]+,\s*(?:\w+|StepParams::default\(\)|StepParams \{[^}]*\}),\s*"([^"]+)"/g)].map((m) => m[1]),
    ),
  ),
].sort();

// The purgers the core runs (`fn name(&self) -> &'static str { "…" }` beside `fn what`).
const PURGERS = [
  ...new Set(
    Object.values(coreSources).flatMap((src) =>
      // …and the purge's own step for mails dismissed as not a request (`mailbox/purge.rs`).
      [...src.matchAll(/(?:fn name\(&self\) -> &'static str \{\s*|DISMISSED_NAME: &str = )"([a-z-]+)"/g)].map((m) => m[1]),
    ),
  ),
].sort();

// Words that are the same in a translation on purpose (names, codes, loanwords).
const SAME_IN_GERMAN = new Set([
  "col.status",
  "list.status",
  "detail.status",
  "nav.import",
  "event.statusChange",
  "regime.uk-gdpr",
  "regime.jp-appi",
  "calc.optional",
  "unlock.passphrase",
  "mail.port",
  "datamap.col.name",
  "system.name",
]);
const SAME_IN_FRENCH = new Set([
  "col.type",
  "list.type",
  "type.rectification",
  "nav.import",
  "event.statusChange",
  "regime.uk-gdpr",
  "new.notes",
  "detail.notes",
  "detail.dates",
  "settings.interface",
  "identity.note",
  "tasks.note",
]);

describe("the translations of every screen and the core's labels", () => {
  it("every request type, status, channel and clock event has a label in every language", () => {
    const keys = [
      ...Object.keys(TYPES).map((v) => `type.${v}`),
      ...Object.keys(STATUSES).map((v) => `status.${v}`),
      ...Object.keys(CHANNELS).map((v) => `channel.${v}`),
      ...Object.keys(CLOCK).map((v) => `clock.${v}`),
    ];
    for (const dict of [en, de, fr]) {
      for (const key of keys) expect(dict[key as MessageKey], key).toBeTruthy();
    }
  });

  it("every timeline event kind the core writes has a label in every language", () => {
    for (const dict of [en, de, fr]) {
      for (const kind of Object.keys(EVENT_KINDS)) expect(dict[`event.${kind}` as MessageKey], `event.${kind}`).toBeTruthy();
    }
  });

  it("every step name of the deadline engine reads in German and French, one calendar month included", () => {
    expect(STEP_RULES.length, "step names found in the core's source").toBeGreaterThan(10);
    const de_ = makeI18n("de", "de-DE");
    const fr_ = makeI18n("fr", "fr-FR");
    for (const rule of STEP_RULES) {
      expect(stepRule(de_, rule), rule).not.toBe(rule);
      expect(stepRule(fr_, rule), rule).not.toBe(rule);
    }
    expect(stepRule(de_, "one calendar month")).toBe("ein Kalendermonat");
    expect(stepRule(fr_, "one calendar month")).toBe("un mois civil");
    expect(stepRule(de_, "3 calendar months")).toBe("3 Kalendermonate");
    expect(stepRule(fr_, "45 calendar days")).toBe("45 jours calendaires");
    expect(stepRule(de_, "10 business days")).toBe("10 Geschäftstage");
    expect(stepRule(makeI18n("en", "en"), "one calendar month")).toBe("one calendar month");
    expect(stepRule(de_, "a rule from a later version")).toBe("a rule from a later version");
  });

  it("every step code of the deadline engine has its sentence in English, German and French", () => {
    // The codes the engine emits (`StepCode::Name` in the core's source), in their wire form.
    const emitted = [
      ...new Set(
        Object.values(coreSources).flatMap((src) =>
          [...src.matchAll(/StepCode::([A-Z]\w+)/g)].map((m) => m[1].replace(/(?<=[a-z])(?=[A-Z])/g, "-").toLowerCase()),
        ),
      ),
    ].filter((c) => c !== "legacy" && c !== "emitted");
    expect(emitted.length, "step codes found in the core's source").toBeGreaterThan(20);
    for (const code of emitted) {
      expect(code in stepMessages.en.sentence, code).toBe(true);
      const key = code as StepCode;
      for (const lang of ["en", "de", "fr"] as const) expect(stepMessages[lang].sentence[key], `${lang} ${code}`).toBeTruthy();
      expect(stepMessages.de.sentence[key], code).not.toBe(stepMessages.en.sentence[key]);
      expect(stepMessages.fr.sentence[key], code).not.toBe(stepMessages.en.sentence[key]);
    }
  });

  it("what each purger of the core removes reads in every language", () => {
    expect(PURGERS.length, "purgers found in the core's source").toBeGreaterThanOrEqual(4);
    expect(PURGERS).toContain("subject-identity");
    for (const dict of [en, de, fr]) {
      for (const purger of PURGERS) expect(dict[`purger.${purger}` as MessageKey], `purger.${purger}`).toBeTruthy();
    }
  });

  it("each section (the app shell, the labels, every feature's messages) has the same keys in English, German and French, none left empty", () => {
    expect(Object.keys(SECTIONS).length).toBeGreaterThan(15);
    for (const [name, section] of Object.entries(SECTIONS)) {
      const keys = Object.keys(section.en).sort();
      expect(Object.keys(section.de).sort(), `${name}: German`).toEqual(keys);
      expect(Object.keys(section.fr).sort(), `${name}: French`).toEqual(keys);
      for (const dict of [section.en, section.de, section.fr] as Record<string, string>[]) {
        for (const key of keys) expect(dict[key]?.trim(), `${name}: ${key}`).toBeTruthy();
      }
    }
  });

  it("the assembled dictionaries hold every section's keys, each key in one section only", () => {
    const keys = Object.keys(en).sort();
    expect(Object.keys(de).sort()).toEqual(keys);
    expect(Object.keys(fr).sort()).toEqual(keys);
    const owners = new Map<string, string[]>();
    for (const [name, section] of Object.entries(SECTIONS))
      for (const key of Object.keys(section.en)) owners.set(key, [...(owners.get(key) ?? []), name]);
    expect([...owners].filter(([, names]) => names.length > 1)).toEqual([]);
    expect([...owners.keys()].sort()).toEqual(keys);
  });

  it("nothing is left in English by mistake (a copy of the English text fails unless it is a name)", () => {
    const copied = (dict: Record<string, string>, same: Set<string>) =>
      (Object.keys(en) as MessageKey[]).filter(
        (k) => dict[k] === en[k] && !same.has(k) && !/^(days\.none|theme\.|app\.brand)/.test(k) && /[a-z]{3}/.test(en[k]),
      );
    expect({ de: copied(de, SAME_IN_GERMAN), fr: copied(fr, SAME_IN_FRENCH) }).toEqual({ de: [], fr: [] });
  });

  it("uses the privacy-law vocabulary of each language", () => {
    const de_ = makeI18n("de", "de-DE");
    const fr_ = makeI18n("fr", "fr-FR");
    expect(["access", "erasure", "rectification", "portability", "objection"].map((v) => de_.label("type", v))).toEqual([
      "Auskunftsersuchen",
      "Löschung",
      "Berichtigung",
      "Datenübertragbarkeit",
      "Widerspruch",
    ]);
    expect(de_.label("type", "restriction")).toContain("Einschränkung");
    expect(["access", "erasure", "rectification", "portability", "restriction", "objection"].map((v) => fr_.label("type", v))).toEqual([
      "Demande d’accès",
      "Effacement",
      "Rectification",
      "Portabilité",
      "Limitation du traitement",
      "Opposition",
    ]);
  });

  it("a value this version has no label for falls back to the core's own label", () => {
    const de_ = makeI18n("de", "de-DE");
    expect(de_.label("status", "in-progress")).toBe("In Bearbeitung");
    expect(de_.label("event", "something-new", "Something new")).toBe("Something new");
    expect(de_.label("regime", "us-va", "Virginia (Virginia Consumer Data Protection Act)")).toBe(
      "Virginia (Virginia Consumer Data Protection Act)",
    );
  });

  it("dates, times and countries follow the officer's locale", () => {
    expect(makeI18n("de", "de-DE").weekday("2025-01-31")).toBe("Fr., 31. Jan. 2025");
    expect(makeI18n("de", "de-DE").jurisdiction("DE", "Germany")).toBe("Deutschland");
    expect(makeI18n("fr", "fr-FR").jurisdiction("DE", "Germany")).toBe("Allemagne");
    expect(makeI18n("de", "de-DE").jurisdiction("GB-SCT", "Scotland")).toBe("Scotland");
    expect(makeI18n("en", "en-GB").jurisdiction("DE", "Germany")).toBe("Germany");
    const at = makeI18n("de", "de-DE").instant("2025-02-10T10:00:00Z");
    expect(at).toMatch(/10\.02\.2025|10\. Feb\. 2025/);
  });
});
