import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, waitFor } from "@testing-library/react";
import type { ReactElement } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";

// Locations come from the OS dialog the backend opens, never from a text field; and nothing is removed
// before the officer confirms in the window itself (window.confirm belongs to the dialog plugin now).
const calls: [string, unknown[]][] = [];
const ANSWERS: Record<string, unknown> = {
  backupSchedule: { dir: null, keep: 7, daily: false, last_backup_at: null, backups: 0 },
  chooseFolder: "/media/officer/usb-backups",
  setBackupSchedule: { dir: "/media/officer/usb-backups", keep: 7, daily: false, last_backup_at: null, backups: 0 },
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
};
vi.mock("../ipc/bindings", () => ({
  commands: new Proxy(
    {},
    {
      get:
        (_t, name: string) =>
        (...args: unknown[]) => {
          calls.push([name, args]);
          return Promise.resolve({ status: "ok", data: ANSWERS[name] ?? null });
        },
    },
  ),
}));

const { I18nProvider } = await import("../i18n");
const { BackupPanel } = await import("./backups/BackupPanel");
const { DataMap } = await import("./datamap/DataMap");

afterEach(() => {
  cleanup();
  calls.length = 0;
});

function mount(screen: ReactElement) {
  return render(
    <I18nProvider override="en">
      <QueryClientProvider client={new QueryClient()}>{screen}</QueryClientProvider>
    </I18nProvider>,
  );
}

describe("file locations and confirmations", () => {
  it("the backup folder is picked in the OS dialog and saved as picked; there is no field to type one", async () => {
    const { container, getByTestId } = mount(<BackupPanel />);
    await waitFor(() => expect(container.textContent).toContain("none chosen yet"));
    expect(container.querySelector("input[name=dir], input[type=text]")).toBeNull();
    fireEvent.click(getByTestId("choose-backup-dir"));
    await waitFor(() => expect(getByTestId("backup-dir").textContent).toBe("/media/officer/usb-backups"));
    expect(calls.find(([n]) => n === "chooseFolder")?.[1][0]).toBe("backups");
    fireEvent.click(getByTestId("save-backup-schedule"));
    await waitFor(() => expect(calls.find(([n]) => n === "setBackupSchedule")?.[1]).toEqual(["/media/officer/usb-backups", 7, false]));
  });

  it("a system is removed from the data map only after the officer confirms in the window", async () => {
    const { container, getByTestId } = mount(<DataMap />);
    await waitFor(() => expect(container.textContent).toContain("Stripe"));
    fireEvent.click(getByTestId("remove-system"));
    expect(getByTestId("confirm-remove-system").textContent).toContain("Remove Stripe from the data map?");
    expect(calls.some(([n]) => n === "deleteSystem")).toBe(false);
    fireEvent.click(getByTestId("remove-system-yes"));
    await waitFor(() => expect(calls.find(([n]) => n === "deleteSystem")?.[1]).toEqual(["s"]));
  });
});
