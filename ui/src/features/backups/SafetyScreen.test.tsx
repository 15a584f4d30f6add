import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { I18nProvider } from "../../i18n";
import type { PurgePlan, RetentionPolicy } from "../../ipc/types";
import { teamLogin as team } from "../setup/teamFixture";
import type { TeamInfo as Team } from "../setup/team";

// The generated bindings replaced by a stand-in answering like the shell on a team register:
// one closed request past its period, the GDPR period at 36 months.
const runPurge = vi.fn();
const setRetention = vi.fn();
const backupStatus = vi.fn();
const plan: PurgePlan = {
  as_of: "2026-11-23",
  requests: [
    {
      id: "1",
      reference: "DSR-2022-0004",
      request_type: "erasure",
      regime: "eu-gdpr",
      status: "completed",
      closed_on: "2022-05-02",
      purge_from: "2025-05-02",
    },
  ],
  removes: [{ purger: "subject-identity", what: "subject identity", items: 1 }],
  dismissed_mails: 0,
};
const policies: RetentionPolicy[] = [
  { regime: "eu-gdpr", regime_name: "EU GDPR", months: 36, default_months: 36, basis: "limitation period" },
];
vi.mock("../../ipc/bindings", () => ({
  commands: new Proxy(
    {
      purgePreview: () => Promise.resolve({ status: "ok", data: plan }),
      runPurge: (expected: number) => {
        runPurge(expected);
        return Promise.resolve({
          status: "ok",
          data: { at: "2026-11-23T10:00:00Z", requests: 1, removed: plan.removes, files_deleted: 0, dismissed_mails: 0 },
        });
      },
      retentionPolicies: () => Promise.resolve({ status: "ok", data: policies }),
      setRetention: (regime: string, months: number) => {
        setRetention(regime, months);
        return Promise.resolve({ status: "ok", data: null });
      },
      intakeDismissedDays: () => Promise.resolve({ status: "ok", data: 90 }),
      setIntakeDismissedDays: () => Promise.resolve({ status: "ok", data: null }),
    } as Record<string, unknown>,
    {
      // Any other command is the backups' (the panel hidden on a team register): noted, never answered.
      get: (target, name: string) =>
        name in target
          ? target[name]
          : () => {
              backupStatus(name);
              return new Promise(() => {});
            },
    },
  ),
}));

const { SafetyScreen } = await import("./SafetyScreen");

function show(t: Team | null, lang: "en" | "de" | "fr" = "en") {
  render(
    <I18nProvider override={lang}>
      <QueryClientProvider client={new QueryClient()}>
        <SafetyScreen team={t} />
      </QueryClientProvider>
    </I18nProvider>,
  );
}

beforeEach(() => {
  runPurge.mockClear();
  setRetention.mockClear();
  backupStatus.mockClear();
});
afterEach(cleanup);

describe("the retention screen on a team register", () => {
  it("shows an officer the preview and the periods read-only, saying why, with no purge button", async () => {
    show(team("olga", "officer"));
    expect(await screen.findByText("DSR-2022-0004")).toBeTruthy();
    expect(screen.getByTestId("team-retention-note").textContent).toBe(
      "Only an admin of the team register may purge or change the retention periods; olga is in the role “officer”, so the preview and the periods are shown read-only here.",
    );
    expect(screen.queryByTestId("purge-start")).toBeNull();
    const months = (await screen.findByDisplayValue("36")) as HTMLInputElement;
    expect(months.readOnly).toBe(true);
    expect(screen.queryByRole("button", { name: "Save" })).toBeNull();
    fireEvent.submit(months.form!);
    expect((screen.getByDisplayValue("90") as HTMLInputElement).readOnly).toBe(true);
    expect(setRetention).not.toHaveBeenCalled();
    // No backup panel (its commands refuse a team register): the line names the command instead.
    expect(screen.queryByText("Backups", { selector: "h2" })).toBeNull();
    expect(screen.getByTestId("team-backup-note").textContent).toContain("rightsdesk backup --db postgresql://…");
    expect(backupStatus).not.toHaveBeenCalled();
  });

  it("gives the admin the purge and the period fields", async () => {
    show(team("ada", "admin"));
    expect(await screen.findByText("DSR-2022-0004")).toBeTruthy();
    expect(screen.queryByTestId("team-retention-note")).toBeNull();
    const months = (await screen.findByDisplayValue("36")) as HTMLInputElement;
    expect(months.readOnly).toBe(false);
    fireEvent.change(months, { target: { value: "24" } });
    fireEvent.click(screen.getAllByRole("button", { name: "Save" })[0]);
    await waitFor(() => expect(setRetention).toHaveBeenCalledWith("eu-gdpr", 24));
    fireEvent.click(screen.getByTestId("purge-start"));
    fireEvent.click(screen.getByRole("checkbox"));
    fireEvent.click(screen.getByTestId("purge-run"));
    await waitFor(() => expect(runPurge).toHaveBeenCalledWith(1));
    expect(backupStatus).not.toHaveBeenCalled();
  });

  it("says it in German and French", async () => {
    show(team("olga", "auditor"), "de");
    expect((await screen.findByTestId("team-retention-note")).textContent).toContain("olga hat die Rolle „auditor“");
    expect(screen.getByTestId("team-backup-note").textContent).toContain("Ein Team-Register wird mit rightsdesk backup --db");
    cleanup();
    show(team("olga", "officer"), "fr");
    expect((await screen.findByTestId("team-retention-note")).textContent).toContain("olga a le rôle « officer »");
  });
});
