import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { AppStatus } from "../ipc/types";

// The status line shows what the backend's status board holds (src-tauri/src/status.rs): a
// background job that failed, in the core's words and when, in the officer's language; and
// nothing when all went well. The backend is a stand-in answering as `app_status` does.
let status: AppStatus = { problems: [] };
vi.mock("../ipc/bindings", () => ({
  commands: { appStatus: () => Promise.resolve({ status: "ok", data: status }) },
}));

const { I18nProvider } = await import("../i18n");
const { StatusLine } = await import("./StatusLine");

afterEach(cleanup);

function mount(language: "en" | "de" | "fr") {
  return render(
    <I18nProvider override={language}>
      <QueryClientProvider client={new QueryClient()}>
        <StatusLine />
      </QueryClientProvider>
    </I18nProvider>,
  );
}

const failedBackup = {
  job: "daily-backup" as const,
  code: "io" as const,
  message: "file error: Permission denied (os error 13)",
  at: "2026-03-02T08:15:00+00:00",
};

describe("the status line", () => {
  it("names a failed daily backup with the core's words and its time", async () => {
    status = { problems: [failedBackup] };
    mount("en");
    const line = await screen.findByTestId("status-daily-backup");
    expect(line.textContent).toMatch(/^The daily backup failed: file error: Permission denied \(os error 13\) — .*2026/);
    expect(screen.getByRole("status").contains(line)).toBe(true);
  });

  it("says it in German and French too", async () => {
    status = {
      problems: [failedBackup, { job: "outbox", code: null, message: "1 letter will be retried; see the outbox", at: failedBackup.at }],
    };
    mount("de");
    expect((await screen.findByTestId("status-daily-backup")).textContent).toMatch(
      /^Die tägliche Sicherung ist fehlgeschlagen: file error/,
    );
    expect(screen.getByTestId("status-outbox").textContent).toMatch(/^Briefe konnten nicht gesendet werden: 1 letter/);
    cleanup();
    mount("fr");
    expect((await screen.findByTestId("status-daily-backup")).textContent).toMatch(/^La sauvegarde quotidienne a échoué : file error/);
  });

  it("is an empty live region when nothing failed", async () => {
    status = { problems: [] };
    mount("en");
    const region = screen.getByRole("status");
    await waitFor(() => expect(region.className).toBe("status-line"));
    expect(region.textContent).toBe("");
  });
});
