import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { teamLogin as team } from "../setup/teamFixture";
import type { TeamInfo as Team } from "../setup/team";

// The generated bindings replaced by a stand-in answering like the shell: the team's data map has one system.
const crm = {
  id: "sys-1",
  name: "CRM",
  vendor: "Acme",
  role: "processor",
  created_at: "2026-12-01T09:00:00Z",
  updated_at: "2026-12-01T09:00:00Z",
  purposes: "Customer care",
  data_categories: "contact details",
  location: "EU",
  retention: "3 years",
  legal_duty: "",
  transfer_safeguard: "",
  contact: "",
  notes: "",
};
let systems: unknown[] = [crm];
vi.mock("../../ipc/bindings", () => ({
  commands: { listSystems: () => Promise.resolve({ status: "ok", data: systems }) },
}));

const { DataMap } = await import("./DataMap");

function screenFor(t: Team | null) {
  render(
    <QueryClientProvider client={new QueryClient()}>
      <DataMap team={t} />
    </QueryClientProvider>,
  );
}

afterEach(() => {
  cleanup();
  systems = [crm];
});

describe("the data map on a team register", () => {
  it("is read-only for an auditor, saying why: the systems listed, no add, edit, remove or import; export stays", async () => {
    screenFor(team("otto", "auditor"));
    expect((await screen.findByTestId("system-row")).textContent).toContain("CRM");
    expect(screen.getByTestId("team-datamap-note").textContent).toContain(
      "only its admin may change it; otto is in the role “auditor”, so it is shown read-only here",
    );
    for (const id of ["add-system", "edit-system", "remove-system", "import-datamap", "datamap-import-text"]) {
      expect(screen.queryByTestId(id), id).toBeNull();
    }
    expect(screen.getByTestId("export-csv")).toBeTruthy();
  });

  it("offers an officer no starter map when it is empty, only says so", async () => {
    systems = [];
    screenFor(team("olga", "officer"));
    expect((await screen.findByText("The data map is empty.")).tagName).toBe("P");
    expect(screen.queryByTestId("load-starter")).toBeNull();
  });

  it("is the admin's to change (not on a replica)", async () => {
    screenFor(team("anna", "admin"));
    await screen.findByTestId("system-row");
    expect(screen.getByTestId("add-system")).toBeTruthy();
    expect(screen.getByTestId("edit-system")).toBeTruthy();
    expect(screen.getByTestId("import-datamap")).toBeTruthy();
    cleanup();
    screenFor(team("anna", "admin", true));
    await screen.findByTestId("system-row");
    expect(screen.queryByTestId("add-system")).toBeNull();
    expect(screen.queryByTestId("edit-system")).toBeNull();
  });

  it("is editable on the local file, with no team note", async () => {
    screenFor(null);
    await screen.findByTestId("system-row");
    expect(screen.getByTestId("add-system")).toBeTruthy();
    expect(screen.queryByTestId("team-datamap-note")).toBeNull();
  });
});
