import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { I18nProvider } from "../../i18n";
import type { OwnerSettings } from "../../ipc/types";

// The bindings answer as the core would: it refuses a lead over 60 working days, naming the field.
const setOwnerSettings = vi.fn();
let stored: OwnerSettings = { lead_working_days: 2, reminder_working_days: 3 };
vi.mock("../../ipc/bindings", () => ({
  commands: {
    ownerSettings: () => Promise.resolve({ status: "ok", data: stored }),
    setOwnerSettings: (s: OwnerSettings) => {
      setOwnerSettings(s);
      if (s.lead_working_days > 60)
        return Promise.resolve({
          status: "error",
          error: { code: "invalid", message: "lead_working_days: must be at most 60 working days", field: "lead_working_days" },
        });
      stored = s;
      return Promise.resolve({ status: "ok", data: s });
    },
  },
}));

const { OwnerMailSettings } = await import("./OwnerMailSettings");

afterEach(cleanup);

function show(lang = "en", readOnly = false) {
  render(
    <I18nProvider override={lang}>
      <QueryClientProvider client={new QueryClient()}>
        <OwnerMailSettings readOnly={readOnly} />
      </QueryClientProvider>
    </I18nProvider>,
  );
}

const field = (name: string) => screen.getByRole("spinbutton", { name: new RegExp(name) }) as HTMLInputElement;

describe("asking the system owners, in Mail settings", () => {
  it("shows the core's message beside the field, refuses a number that is not whole, and saves a good one", async () => {
    show();
    await screen.findByTestId("owner-mail-settings");
    await waitFor(() => expect(field("Owner's due date").value).toBe("2"));
    expect(field("Remind an owner").value).toBe("3");

    fireEvent.change(field("Owner's due date"), { target: { value: "61" } });
    fireEvent.click(screen.getByTestId("save-owner-settings"));
    expect((await screen.findByRole("alert")).textContent).toContain("must be at most 60 working days");
    expect(document.querySelector("[data-error-for=lead_working_days]")).toBeTruthy();

    setOwnerSettings.mockClear();
    fireEvent.change(field("Owner's due date"), { target: { value: "2.5" } });
    fireEvent.click(screen.getByTestId("save-owner-settings"));
    await waitFor(() => expect(screen.getByRole("alert").textContent).toBe("Enter a whole number of working days."));
    expect(setOwnerSettings).not.toHaveBeenCalled();

    fireEvent.change(field("Owner's due date"), { target: { value: "5" } });
    fireEvent.click(screen.getByTestId("save-owner-settings"));
    await screen.findByTestId("owner-settings-saved");
    expect(setOwnerSettings).toHaveBeenCalledWith({ lead_working_days: 5, reminder_working_days: 3 });
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("reads in German and French", async () => {
    show("de");
    expect((await screen.findByRole("heading")).textContent).toBe("Systemverantwortliche anfragen");
    cleanup();
    show("fr");
    expect((await screen.findByRole("heading")).textContent).toBe("Solliciter les responsables des systèmes");
  });
});

describe("the owners' mail settings on a team register, for someone not its admin", () => {
  it("are shown read-only, saying why, with no save", async () => {
    show("en", true);
    await waitFor(() => expect(field("Owner's due date").value).not.toBe(""));
    expect(field("Owner's due date").matches(":disabled")).toBe(true);
    expect(screen.getByTestId("owner-settings-read-only").textContent).toContain("only its admin changes them");
    expect(screen.queryByTestId("save-owner-settings")).toBeNull();
  });
});
