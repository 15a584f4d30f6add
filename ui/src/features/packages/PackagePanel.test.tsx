import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { PackageContents, Request } from "../../ipc/types";

// The backend is the real Tauri IPC, which cannot run in jsdom: the generated bindings are replaced by a
// stand-in that answers like the shell would. The save dialog is cancelled, so no package is written here.
const chooseSavePath = vi.fn();
let contents: PackageContents;
vi.mock("../../ipc/bindings", () => ({
  commands: {
    packageContents: () => Promise.resolve({ status: "ok", data: contents }),
    generatePassphrase: () => Promise.resolve({ status: "ok", data: "vintage-cobweb-hazard-snowman-relic-unfold" }),
    chooseSavePath: (...args: unknown[]) => {
      chooseSavePath(...args);
      return Promise.resolve({ status: "ok", data: null });
    },
  },
}));

const { PackagePanel } = await import("./PackagePanel");

const request = { id: "r1", reference: "DSR-2025-0001" } as Request;

function panel(team = false) {
  render(
    <QueryClientProvider client={new QueryClient()}>
      <PackagePanel request={request} team={team} />
    </QueryClientProvider>,
  );
}

beforeEach(() => {
  chooseSavePath.mockClear();
  contents = { reference: "DSR-2025-0001", systems: [], evidence: [], missing: [], open_tasks: 3, warn_open_tasks: true };
});
afterEach(cleanup);

describe("building a package while tasks are open", () => {
  it("warns with the number of open tasks and asks nothing of the dialog until the officer says Build anyway", async () => {
    panel();
    await waitFor(() => expect(screen.queryByText(/No evidence collected/)).not.toBeNull());
    fireEvent.click(screen.getByTestId("build-package"));
    const warning = await screen.findByTestId("package-open-tasks-warning");
    expect(warning.textContent).toContain("3 tasks are still open");
    expect(chooseSavePath).not.toHaveBeenCalled();

    fireEvent.click(screen.getByTestId("build-anyway"));
    await waitFor(() => expect(chooseSavePath).toHaveBeenCalledTimes(1));
  });

  it("builds at once when evidence would go in", async () => {
    contents = { ...contents, warn_open_tasks: false };
    panel();
    await waitFor(() => expect(screen.queryByText(/No evidence collected/)).not.toBeNull());
    fireEvent.click(screen.getByTestId("build-package"));
    await waitFor(() => expect(chooseSavePath).toHaveBeenCalledTimes(1));
    expect(screen.queryByTestId("package-open-tasks-warning")).toBeNull();
  });
});

describe("a generated passphrase", () => {
  it("fills the field and is shown once, with the advice to send it by another channel", async () => {
    panel();
    fireEvent.click(screen.getByTestId("package-encrypt"));
    fireEvent.click(screen.getByTestId("generate-passphrase"));
    const shown = await screen.findByTestId("generated-passphrase");
    expect(shown.textContent).toBe("vintage-cobweb-hazard-snowman-relic-unfold");
    expect((screen.getByTestId("package-passphrase") as HTMLInputElement).value).toBe("vintage-cobweb-hazard-snowman-relic-unfold");
    expect(screen.getByTestId("generated-passphrase-notice").textContent).toContain("never in the same mail");
    fireEvent.click(screen.getByTestId("passphrase-noted"));
    expect(screen.queryByTestId("generated-passphrase")).toBeNull();
    expect((screen.getByTestId("package-passphrase") as HTMLInputElement).value).toBe("vintage-cobweb-hazard-snowman-relic-unfold");
  });
});

describe("on a team register", () => {
  it("says the package is also kept in the team's database for every officer's response letter", async () => {
    panel(true);
    expect(screen.getByTestId("package-team-kept").textContent).toContain("every officer's response letter can attach it");
    // The warning works as on the local file.
    await waitFor(() => expect(screen.queryByText(/No evidence collected/)).not.toBeNull());
    fireEvent.click(screen.getByTestId("build-package"));
    await screen.findByTestId("package-open-tasks-warning");
  });

  it("says nothing of a team on the local file", () => {
    panel();
    expect(screen.queryByTestId("package-team-kept")).toBeNull();
  });
});
