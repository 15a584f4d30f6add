import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { I18nProvider } from "../../i18n";
import type { PurgePlan } from "../../ipc/types";

// The backend is the real Tauri IPC, which cannot run in jsdom: the generated
// bindings are replaced by a stand-in that answers like the core would.
const runPurge = vi.fn();
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
vi.mock("../../ipc/bindings", () => ({
  commands: {
    purgePreview: () => Promise.resolve({ status: "ok", data: plan }),
    runPurge: (expected: number) => {
      runPurge(expected);
      return Promise.resolve({
        status: "ok",
        data: { at: "2026-11-23T10:00:00Z", requests: 1, removed: plan.removes, files_deleted: 0, dismissed_mails: 0 },
      });
    },
  },
}));

const { PurgePanel } = await import("./PurgePanel");

afterEach(cleanup);

describe("the purge panel", () => {
  it("lists what the next purge removes and purges only after the officer ticks the confirmation", async () => {
    render(
      <QueryClientProvider client={new QueryClient()}>
        <PurgePanel />
      </QueryClientProvider>,
    );
    expect(await screen.findByText("DSR-2022-0004")).toBeTruthy();
    fireEvent.click(screen.getByTestId("purge-start"));
    const run = screen.getByTestId("purge-run") as HTMLButtonElement;
    expect(run.disabled).toBe(true);
    fireEvent.click(run);
    expect(runPurge).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole("checkbox"));
    fireEvent.click(run);
    await waitFor(() => expect(runPurge).toHaveBeenCalledWith(1));
    expect(await screen.findByTestId("purge-done")).toBeTruthy();
  });

  it("reads in German, with the law's words, German dates and what the core removes in German", async () => {
    render(
      <I18nProvider override="de">
        <QueryClientProvider client={new QueryClient()}>
          <PurgePanel />
        </QueryClientProvider>
      </I18nProvider>,
    );
    expect(await screen.findByText("DSR-2022-0004")).toBeTruthy();
    expect(screen.getByRole("heading", { name: "Nächste Bereinigung" })).toBeTruthy();
    const summary = screen.getByTestId("purge-summary").textContent ?? "";
    expect(summary).toContain("23.11.2026");
    expect(summary).toContain("Aufbewahrungsfrist abgelaufen");
    const row = screen.getByTestId("purge-preview").querySelector("tbody tr")?.textContent ?? "";
    expect(row).toContain("Löschung");
    expect(row).toContain("02.05.2022");
    fireEvent.click(screen.getByTestId("purge-start"));
    expect(screen.getByTestId("purge-confirm").textContent).toContain("1 × Name, E-Mail und Kennungen der betroffenen Person");
  });
});
