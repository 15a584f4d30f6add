import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { teamLogin as team } from "../setup/teamFixture";
import type { TeamInfo as Team } from "../setup/team";

// The privacy mailbox's settings on a team register, against a stand-in answering as the shell does:
// they are the team's, changed by its admin; an officer sees them read-only and keeps only the IMAP
// password, for this workstation's keyring.
const settings = {
  host: "imap.example.org",
  port: 993,
  security: "tls",
  username: "privacy@example.org",
  folder: "INBOX",
  extra_ca_pem: null,
  on_filed: "leave",
  move_to: null,
  regime: "eu-gdpr",
  jurisdiction: "DE",
  oauth: null,
};
const view = { settings, defaults: settings, password: "missing", poll_minutes: 5, notice: null };
const saveMailboxSettings = vi.fn();
vi.mock("../../ipc/bindings", () => ({
  commands: {
    getMailboxSettings: () => Promise.resolve({ status: "ok", data: view }),
    saveMailboxSettings: (...args: unknown[]) => {
      saveMailboxSettings(...args);
      return Promise.resolve({ status: "ok", data: { ...view, password: "keyring" } });
    },
  },
}));

const { I18nProvider } = await import("../../i18n");
const { MailboxSettings } = await import("./MailboxSettings");

function mount(t: Team | null) {
  render(
    <I18nProvider override="en">
      <QueryClientProvider client={new QueryClient()}>
        <MailboxSettings team={t} />
      </QueryClientProvider>
    </I18nProvider>,
  );
}

beforeEach(() => saveMailboxSettings.mockClear());
afterEach(cleanup);

describe("the privacy mailbox's settings on a team register", () => {
  it("are read-only for an officer, saying why, who keeps only the password on this workstation", async () => {
    mount(team("olga", "officer"));
    const host = await screen.findByDisplayValue("imap.example.org");
    expect(host.matches(":disabled")).toBe(true);
    const note = screen.getByTestId("team-mailbox-note").textContent;
    expect(note).toContain("Only an admin of the team register may change the privacy mailbox’s settings; olga is in the role “officer”");
    expect(note).toContain("this workstation’s keyring");
    expect(screen.queryByTestId("save-mailbox")).toBeNull();

    const password = document.querySelector<HTMLInputElement>("input[name=mailbox-keep-password]")!;
    expect(password.matches(":disabled")).toBe(false);
    fireEvent.change(password, { target: { value: "secret" } });
    fireEvent.click(screen.getByTestId("keep-mailbox-password"));
    // The team's settings and poll interval go back exactly as loaded, with the password.
    await waitFor(() => expect(saveMailboxSettings).toHaveBeenCalledWith(settings, "secret", null, 5));
  });

  it("are the admin's to change, with a note that the password stays on this workstation", async () => {
    mount(team("ada", "admin"));
    expect((await screen.findByDisplayValue("imap.example.org")).matches(":disabled")).toBe(false);
    expect(screen.getByTestId("save-mailbox").matches(":disabled")).toBe(false);
    expect(screen.getByTestId("team-mailbox-note").textContent).not.toContain("Only an admin");
    expect(screen.queryByTestId("keep-mailbox-password")).toBeNull();
  });
});
