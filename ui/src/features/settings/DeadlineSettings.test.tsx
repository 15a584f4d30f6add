import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { teamLogin as team } from "../setup/teamFixture";
import type { TeamInfo as Team } from "../setup/team";

// The generated bindings replaced by a stand-in answering like the shell: the register's deadline settings.
const options = {
  promise_days: 21,
  promise_extended_days: null,
  promise_from: "receipt",
  target_working_days: 5,
  eu_identity_pause: true,
  ccpa_calendar: "us-federal",
  ccpa_receipt_is_day_one: false,
  ccpa_roll_holidays: true,
  uk_day_after_receipt: true,
  lgpd_small_agent: false,
  eu_extension_from_start: false,
  popia_reasonable_time: false,
};
const setDeadlineOptions = vi.fn();
vi.mock("../../ipc/bindings", () => ({
  commands: {
    deadlineOptions: () => Promise.resolve({ status: "ok", data: options }),
    setDeadlineOptions: (o: unknown) => {
      setDeadlineOptions(o);
      return Promise.resolve({ status: "ok", data: o });
    },
  },
}));

const { DeadlineSettings } = await import("./DeadlineSettings");

function screenFor(t: Team | null) {
  render(
    <QueryClientProvider client={new QueryClient()}>
      <DeadlineSettings team={t} />
    </QueryClientProvider>,
  );
}

beforeEach(() => setDeadlineOptions.mockClear());
afterEach(cleanup);

describe("the deadline settings on a team register", () => {
  it("are read-only for an officer, saying why, with no save; the interface language stays this workstation's", async () => {
    screenFor(team("olga", "officer"));
    const promise = await screen.findByDisplayValue("21");
    expect(promise.matches(":disabled")).toBe(true);
    expect(document.querySelector<HTMLInputElement>("input[name=eu_identity_pause]")!.matches(":disabled")).toBe(true);
    expect(screen.getByTestId("team-settings-note").textContent).toContain(
      "only its admin may change them; olga is in the role “officer”, so they are shown read-only here",
    );
    expect(screen.queryByTestId("save-settings")).toBeNull();
    expect(screen.queryByRole("button", { name: "Save" })).toBeNull();
    // Submitting anyway (Enter in a field) sends nothing.
    fireEvent.submit(screen.getByTestId("deadline-form"));
    expect(setDeadlineOptions).not.toHaveBeenCalled();
    expect(screen.getByTestId("settings-language").matches(":disabled")).toBe(false);
  });

  it("are read-only on a read replica, even for the admin", async () => {
    screenFor(team("anna", "admin", true));
    expect((await screen.findByDisplayValue("21")).matches(":disabled")).toBe(true);
    expect(screen.getByTestId("team-settings-note").textContent).toContain("replica");
    expect(screen.queryByTestId("save-settings")).toBeNull();
  });

  it("are the admin's to change, and saved", async () => {
    screenFor(team("anna", "admin"));
    const promise = await screen.findByDisplayValue("21");
    expect(promise.matches(":disabled")).toBe(false);
    expect(screen.getByTestId("team-settings-note").textContent).toContain("on record under your login");
    fireEvent.change(promise, { target: { value: "14" } });
    fireEvent.click(screen.getByTestId("save-settings"));
    await waitFor(() => expect(setDeadlineOptions).toHaveBeenCalledWith(expect.objectContaining({ promise_days: 14 })));
  });

  it("are editable on the local file, with no team note", async () => {
    screenFor(null);
    expect((await screen.findByDisplayValue("21")).matches(":disabled")).toBe(false);
    expect(screen.queryByTestId("team-settings-note")).toBeNull();
    expect(screen.getByTestId("save-settings")).toBeTruthy();
  });
});
