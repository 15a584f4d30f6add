import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { I18nProvider } from "../../i18n";
import type { PurgePlan } from "../../ipc/types";

// Mails dismissed as not a request belong to no request: when only they are due, the panel
// still names them and offers the purge. The bindings answer as the core would.
const runPurge = vi.fn();
const plan: PurgePlan = {
  as_of: "2026-11-23",
  requests: [],
  removes: [
    { purger: "subject-identity", what: "subject identity", items: 0 },
    { purger: "dismissed-mails", what: "mails dismissed as not a request", items: 2 },
  ],
  dismissed_mails: 2,
};
vi.mock("../../ipc/bindings", () => ({
  commands: {
    purgePreview: () => Promise.resolve({ status: "ok", data: plan }),
    runPurge: (expected: number) => {
      runPurge(expected);
      return Promise.resolve({
        status: "ok",
        data: { at: "2026-11-23T10:00:00Z", requests: 0, removed: plan.removes, files_deleted: 2, dismissed_mails: 2 },
      });
    },
  },
}));

const { PurgePanel } = await import("./PurgePanel");

afterEach(cleanup);

function show(lang: "en" | "de" | "fr") {
  render(
    <I18nProvider override={lang}>
      <QueryClientProvider client={new QueryClient()}>
        <PurgePanel />
      </QueryClientProvider>
    </I18nProvider>,
  );
}

describe("the purge panel with dismissed mails due", () => {
  it("names them and purges them after the confirmation, with no request due", async () => {
    show("en");
    expect((await screen.findByTestId("purge-dismissed")).textContent).toBe(
      "2 mails dismissed as not a request are past the period kept; the purge removes their sender, subject, text and stored message.",
    );
    fireEvent.click(screen.getByTestId("purge-start"));
    expect(screen.getByTestId("purge-confirm").textContent).toContain(
      "Remove the sender, subject, text and stored message of 2 mails dismissed as not a request.",
    );
    fireEvent.click(screen.getByRole("checkbox"));
    fireEvent.click(screen.getByTestId("purge-run"));
    await waitFor(() => expect(runPurge).toHaveBeenCalledWith(0));
    expect((await screen.findByTestId("purge-done")).textContent).toBe("Removed the content of 2 mails dismissed as not a request.");
  });

  it("reads in German and French", async () => {
    show("de");
    expect((await screen.findByTestId("purge-dismissed")).textContent).toContain("2 als keine Anfrage verworfenen E-Mails");
    cleanup();
    show("fr");
    expect((await screen.findByTestId("purge-dismissed")).textContent).toContain("2 courriels écartés comme n’étant pas une demande");
  });
});
