import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { teamLogin as team } from "../setup/teamFixture";
import type { TeamInfo as Team } from "../setup/team";

// The generated bindings replaced by a stand-in answering like the shell: the team's settings are saved.
const settings = {
  host: "smtp.example.org",
  port: 587,
  security: "starttls",
  username: "privacy",
  from_address: "privacy@example.org",
  from_name: "Privacy",
  reply_to: null,
  officer_address: null,
  extra_ca_pem: null,
  org_name: "Example GmbH",
  dpo_contact: "dpo@example.org",
  dpo_appointed: null,
  eu_representative: null,
  appeal_days: null,
  default_lang: "en",
  reminder_days: [5, 1],
  max_attachment_bytes: 10000000,
};
const saveMailSettings = vi.fn();
vi.mock("../../ipc/bindings", () => ({
  commands: {
    getMailSettings: () => Promise.resolve({ status: "ok", data: { settings, defaults: settings, password: null, notice: null } }),
    saveMailSettings: (...args: unknown[]) => {
      saveMailSettings(...args);
      return Promise.resolve({ status: "ok", data: { settings, defaults: settings, password: null, notice: null } });
    },
    letterKinds: () => Promise.resolve({ status: "ok", data: [{ template: "acknowledgement", required_fields: [] }] }),
    getLetterTemplate: () =>
      Promise.resolve({
        status: "ok",
        data: { name: "acknowledgement", lang: "en", source: "Subject: Hi\n\nHello", customised: false, required_fields: [] },
      }),
  },
}));

const { MailSettings } = await import("./MailSettings");

function screenFor(t: Team | null) {
  render(
    <QueryClientProvider client={new QueryClient()}>
      <MailSettings team={t} />
    </QueryClientProvider>,
  );
}

beforeEach(() => saveMailSettings.mockClear());
afterEach(cleanup);

describe("the mail settings on a team register", () => {
  it("are read-only for an officer, saying why, and keep only the password on this workstation", async () => {
    screenFor(team("olga", "officer"));
    const host = await screen.findByDisplayValue("smtp.example.org");
    expect(host.matches(":disabled")).toBe(true);
    expect(screen.getByTestId("team-mail-note").textContent).toContain(
      "Only an admin of the team register may change the mail settings and the letter templates; olga is in the role “officer”",
    );
    expect(screen.getByTestId("team-mail-note").textContent).toContain("this workstation’s keyring");
    expect(screen.queryByTestId("save-mail-settings")).toBeNull();
    await waitFor(() => expect(screen.getByDisplayValue(/Hello/).hasAttribute("readonly")).toBe(true));
    expect(screen.queryByText("Save template")).toBeNull();

    const password = document.querySelector<HTMLInputElement>("input[name=password]")!;
    expect(password.matches(":disabled")).toBe(false);
    fireEvent.change(password, { target: { value: "secret" } });
    fireEvent.click(screen.getByTestId("keep-mail-password"));
    // The team's settings go back exactly as loaded, with the password.
    await waitFor(() => expect(saveMailSettings).toHaveBeenCalledWith(settings, "secret"));
  });

  it("are the admin's to change, with a note that the password stays on this workstation", async () => {
    screenFor(team("ada", "admin"));
    expect((await screen.findByDisplayValue("smtp.example.org")).matches(":disabled")).toBe(false);
    expect(screen.getByTestId("save-mail-settings").matches(":disabled")).toBe(false);
    expect(screen.getByTestId("team-mail-note").textContent).not.toContain("Only an admin");
    expect(screen.queryByTestId("keep-mail-password")).toBeNull();
  });
});
