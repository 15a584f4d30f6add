import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { AppInfo, Dashboard as DashboardData, Need, NextStepKind } from "../../ipc/types";

// "Needs you today" on a team register: its request page has the letters, identity, clock
// events and tasks, so every step keeps its button there as on a register kept on this
// computer, and every need opens its request by the reference. The backend is a stand-in
// answering as the `dashboard` command does.
const need = (reference: string, kind: NextStepKind): Need => ({
  kind: "overdue",
  request_id: `id-${reference}`,
  reference,
  date: "2026-11-01",
  subject_name: "Ada Example",
  type: "access",
  due: "2026-11-01",
  step: { kind, date: "2026-11-01", days_left: -30, count: kind === "tasks_open" ? 2 : null, letter: null },
});

const data: DashboardData = {
  today: "2026-12-01",
  total: 3,
  open: 3,
  overdue_count: 0,
  due_soon_count: 0,
  overdue: [],
  due_soon: [],
  by_status: [],
  by_type: [],
  by_regime: [],
  on_time: { answered: 0, on_time: 0, rate: null },
  per_month: [],
  needs_count: 3,
  needs_you: [need("DSR-2026-0001", "overdue"), need("DSR-2026-0002", "tasks_open"), need("DSR-2026-0003", "acknowledge")],
};

vi.mock("../../ipc/bindings", () => ({
  commands: { dashboard: () => Promise.resolve({ status: "ok", data }) },
}));

const { I18nProvider } = await import("../../i18n");
const { Dashboard } = await import("./Dashboard");

afterEach(cleanup);

function info(team: boolean): AppInfo {
  return {
    db_path: team ? "" : "/tmp/r.sqlite3",
    open_error: null,
    locked: null,
    team: team ? { address: "postgresql://olga@db.example:5432/privacy", login: "olga" } : null,
    team_unavailable: null,
    local_possible: true,
    request_count: 3,
    org_name: null,
    time_zone: "UTC",
    today: "2026-12-01",
    regimes: [],
    request_types: [],
    channels: [],
    statuses: [],
  } as unknown as AppInfo;
}

async function needs(team: boolean) {
  render(
    <I18nProvider override="en">
      <QueryClientProvider client={new QueryClient()}>
        <Dashboard info={info(team)} onOpen={() => undefined} onShowList={() => undefined} />
      </QueryClientProvider>
    </I18nProvider>,
  );
  await screen.findByTestId("needs-you");
  return screen.getAllByTestId("need").map((row) => ({
    reference: row.dataset.reference,
    button: row.querySelector("[data-testid=need-step-button]")?.textContent ?? null,
    step: row.querySelector("[data-testid=need-what]")?.textContent ?? "",
    opens: row.querySelector("button.link")?.textContent,
  }));
}

describe("needs you today", () => {
  it("on a team register offers every step's button, as on a register kept on this computer", async () => {
    const rows = await needs(true);
    expect(rows.map((r) => [r.reference, r.button])).toEqual([
      ["DSR-2026-0001", "Send answer"],
      ["DSR-2026-0002", "Go to tasks"],
      ["DSR-2026-0003", "Write acknowledgement"],
    ]);
    expect(rows[0].step).toContain("Answer overdue");
    expect(rows.every((r) => r.opens === r.reference)).toBe(true);
  });

  it("on a register kept on this computer offers every step's button", async () => {
    const rows = await needs(false);
    expect(rows.map((r) => r.button)).toEqual(["Send answer", "Go to tasks", "Write acknowledgement"]);
  });
});
