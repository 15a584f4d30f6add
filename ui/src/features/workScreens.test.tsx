import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, waitFor } from "@testing-library/react";
import type { ReactElement } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { messages as audit } from "./audit/messages";
import { messages as backups } from "./backups/messages";
import { messages as datamap } from "./datamap/messages";
import { messages as importing } from "./import/messages";
import { messages as letters } from "./letters/messages";
import { messages as mailbox } from "./mailbox/messages";
import { messages as register } from "./register/messages";
import { messages as retention } from "./retention/messages";
import { messages as tasks } from "./tasks/messages";

// The backend is the real Tauri IPC, which cannot run in jsdom: the generated
// bindings are replaced by a stand-in that answers every query like the core would.
const month = (m: number) => ({
  month: `2025-${String(m).padStart(2, "0")}`,
  received: m,
  answered: 1,
  answered_on_time: 1,
  on_time_rate: m % 2 ? 0.5 : null,
});
const figures = (t: string) => ({
  request_type: t,
  label: t,
  received: 1200,
  complied_in_whole_or_in_part: 3,
  denied: 1,
  withdrawn_or_duplicate: 0,
  still_open: 2,
  median_days_to_respond: 12.5,
  mean_days_to_respond: null,
});
const ANSWERS: Record<string, unknown> = {
  backupSchedule: { dir: null, keep: 7, daily: false, last_backup_at: null, backups: 0 },
  retentionPolicies: [{ regime: "eu-gdpr", regime_name: "EU GDPR", months: 36, default_months: 36, basis: "GDPR Art. 5(1)(e)" }],
  purgePreview: {
    as_of: "2026-11-23",
    requests: [
      {
        id: "1",
        reference: "DSR-2022-0001",
        request_type: "erasure",
        regime: "eu-gdpr",
        status: "completed",
        closed_on: "2022-05-02",
        purge_from: "2025-05-02",
      },
    ],
    removes: [{ purger: "letters", what: "letters", items: 2 }],
    dismissed_mails: 0,
  },
  intakeDismissedDays: 90,
  ownerSettings: { lead_working_days: 2, reminder_working_days: 3 },
  verifyAudit: { intact: true, checked: 1234, head_hash: "abc", problems: [] },
  listSystems: [
    {
      id: "s",
      name: "Stripe",
      vendor: "Stripe",
      role: "sub-processor",
      purposes: "payments",
      data_categories: "",
      data_subjects: "",
      location: "US",
      transfer_safeguard: "",
      retention: "7y",
      legal_duty: "tax",
      owner_contact: "",
      how_to_search: "",
      how_to_export: "",
      how_to_delete: "",
    },
  ],
  listOutbox: [
    {
      id: "l",
      state: "queued",
      attempts: 2,
      reference: "DSR-1",
      template: "acknowledgement",
      lang: "de",
      to: "a@example.org",
      queued_at: "2026-11-20T10:00:00Z",
      sent_at: null,
      next_attempt_at: "2026-11-21T10:00:00Z",
      server_reply: null,
      last_error: "timeout",
    },
  ],
  listReminders: [
    {
      request_id: "r",
      reference: "DSR-1",
      request_type: "access",
      regime: "eu-gdpr",
      due: "2026-12-01",
      days_left: 3,
      threshold: "due-7",
      already_given: true,
    },
  ],
  getMailSettings: {
    settings: null,
    defaults: {
      host: "",
      port: 587,
      security: "starttls",
      username: null,
      from_name: "",
      from_address: "",
      reply_to: null,
      officer_address: null,
      org_name: "",
      dpo_contact: "",
      default_lang: "en",
      reminder_days: [7, 3],
      extra_ca_pem: null,
    },
    password: "missing",
  },
  getMailboxSettings: {
    settings: null,
    defaults: {
      host: "",
      port: 993,
      security: "tls",
      username: null,
      folder: "INBOX",
      extra_ca_pem: null,
      on_filed: "leave",
      move_to: null,
      regime: "eu-gdpr",
      jurisdiction: "DE",
    },
    password: "missing",
    poll_minutes: 5,
  },
  letterKinds: [{ template: "acknowledgement", required_fields: [] }],
  getLetterTemplate: { source: "Subject: x", customised: false },
  yearMetrics: {
    year: 2025,
    by_type: [figures("access")],
    total: figures("all"),
    months: Array.from({ length: 12 }, (_, i) => month(i + 1)),
    as_of: "2025-09-20",
  },
};
vi.mock("../ipc/bindings", () => ({
  commands: new Proxy({}, { get: (_t, name: string) => () => Promise.resolve({ status: "ok", data: ANSWERS[name] ?? null }) }),
}));

const { I18nProvider } = await import("../i18n");
const { SafetyScreen } = await import("./backups/SafetyScreen");
const { AuditTrail } = await import("./audit/AuditTrail");
const { DataMap } = await import("./datamap/DataMap");
const { Outbox } = await import("./letters/Outbox");
const { Reminders } = await import("./letters/Reminders");
const { MailSettings } = await import("./letters/MailSettings");
const { RegisterScreen } = await import("./register/RegisterScreen");
const { ImportScreen } = await import("./import/ImportScreen");

afterEach(cleanup);

const info = {
  today: "2025-09-20",
  regimes: [{ id: "eu-gdpr", name: "EU GDPR" }],
  channels: [{ value: "letter", label: "Letter" }],
} as never;
const SCREENS: [string, ReactElement, string][] = [
  ["safety", <SafetyScreen />, "DSR-2022-0001"],
  ["audit", <AuditTrail />, "abc"],
  ["datamap", <DataMap />, "Stripe"],
  ["outbox", <Outbox />, "a@example.org"],
  ["reminders", <Reminders onOpen={() => {}} />, "DSR-1"],
  ["mail", <MailSettings />, "Subject: x"],
  ["register", <RegisterScreen info={info} />, "2025"],
  ["import", <ImportScreen info={info} onDone={() => {}} />, "assets/import"],
];

async function shown(language: string, screen: ReactElement, loaded: string): Promise<string> {
  const { container } = render(
    <I18nProvider override={language}>
      <QueryClientProvider client={new QueryClient()}>{screen}</QueryClientProvider>
    </I18nProvider>,
  );
  await waitFor(() => expect(container.textContent).toContain(loaded));
  await waitFor(() => expect(container.textContent).not.toMatch(/Loading|Wird geladen|Chargement/));
  return container.textContent ?? "";
}

// The English sentences of these screens' features (a word or two may be the same in German or French: names, codes;
// a text without a lower-case word, such as "STARTTLS (143)", is a name, not an English sentence).
const ENGLISH = [audit, backups, datamap, importing, letters, mailbox, register, retention, tasks]
  .flatMap((feature) => Object.values(feature.en) as string[])
  .filter((s) => /[a-z]{3}/.test(s))
  .filter((s) => s.length >= 14 && s.includes(" ") && !/^\{/.test(s))
  .map((s) => s.split("{")[0].trim())
  .filter((s) => s.length >= 14);

describe("the work screens in German and French", () => {
  for (const language of ["de", "fr"]) {
    for (const [name, screen, loaded] of SCREENS) {
      it(`${name} shows no English sentence of its own in ${language}`, async () => {
        const text = await shown(language, screen, loaded);
        expect(ENGLISH.filter((s) => text.includes(s))).toEqual([]);
      });
    }
  }

  it("dates and numbers on them follow the officer's locale", async () => {
    const safety = await shown("de", <SafetyScreen />, "DSR-2022-0001");
    expect(safety).toContain("Stand 23.11.2026");
    expect(safety).toContain("Letzte Sicherung: nie");
    cleanup();
    expect(await shown("fr", <AuditTrail />, "abc")).toContain("1\u202f234 événements vérifiés");
    cleanup();
    const register = await shown("de", <RegisterScreen info={info} />, "2025");
    expect(register).toContain("Im Jahr 2025 eingegangene Anfragen");
    expect(register).toContain("1.200");
    expect(register).toContain("12,5");
    cleanup();
    expect(await shown("fr", <Reminders onOpen={() => {}} />, "DSR-1")).toContain("échéance le 1 déc. 2026");
    cleanup();
    expect(await shown("de", <DataMap />, "Stripe")).toContain("Unterauftragsverarbeiter");
  });

  it("the English screens keep the words the end-to-end tests read", async () => {
    const safety = await shown("en", <SafetyScreen />, "DSR-2022-0001");
    expect(safety).toContain("Last backup: never");
    expect(ENGLISH.filter((s) => safety.includes(s)).length, "the check above sees English where there is some").toBeGreaterThan(5);
    cleanup();
    expect(await shown("en", <AuditTrail />, "abc")).toContain("Intact: 1,234 events checked.");
  });
});
