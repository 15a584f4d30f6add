import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { SignInFailure, SignInStatus } from "../../ipc/types";

// The mailbox's OAuth sign-in against a stand-in backend answering as the sign-in commands do:
// what went wrong is said in the officer's language (the core's words beside it, in English),
// the code is shown large with Copy, and "Signed in as …" says where the refresh token is.
let status: SignInStatus = { attempt: 0, state: "idle" } as unknown as SignInStatus;
const startSignIn = vi.fn(() => Promise.resolve({ status: "ok", data: status }));

vi.mock("../../ipc/bindings", () => ({
  commands: {
    mailboxSignInStatus: () => Promise.resolve({ status: "ok", data: status }),
    startMailboxSignIn: () => startSignIn(),
  },
}));

const { I18nProvider } = await import("../../i18n");
const { OAuthSignIn } = await import("./OAuthSignIn");

afterEach(cleanup);

function mount(language: string) {
  render(
    <I18nProvider override={language}>
      <QueryClientProvider client={new QueryClient()}>
        <OAuthSignIn saved kept="missing" onChange={() => {}} />
      </QueryClientProvider>
    </I18nProvider>,
  );
}

const failed = (failure: SignInFailure, error: string) => ({ attempt: 1, state: "failed", failure, error }) as unknown as SignInStatus;

describe("the mailbox's OAuth sign-in", () => {
  it.each([
    ["en", "declined", "The sign-in was declined at the provider; nothing was stored."],
    ["de", "declined", "Die Anmeldung wurde beim Anbieter abgelehnt; nichts wurde gespeichert."],
    ["fr", "declined", "La connexion a été refusée chez le fournisseur ; rien n’a été enregistré."],
    ["en", "expired", "The code expired before the sign-in was completed."],
    ["de", "expired", "Der Code ist abgelaufen, bevor die Anmeldung abgeschlossen war."],
    ["fr", "expired", "Le code a expiré avant la fin de la connexion."],
    ["en", "network", "The provider could not be reached."],
    ["de", "network", "Der Anbieter war nicht erreichbar."],
    ["fr", "network", "Le fournisseur est injoignable."],
    ["de", "refused", "Der Anbieter hat die Anmeldung abgelehnt."],
    ["fr", "refused", "Le fournisseur a refusé la connexion."],
  ] as const)("in %s, says what went wrong (%s), with the core's words beside it", async (language, failure, text) => {
    status = failed(failure, "oauth: the core's own words");
    mount(language);
    const error = await screen.findByTestId("sign-in-error");
    expect(error.textContent).toContain(text);
    expect(error.querySelector("[lang=en]")!.textContent).toContain("the core's own words");
  });

  it("shows the code large with Copy and the address, and never opens the address itself", async () => {
    status = {
      attempt: 2,
      state: "waiting",
      user_code: "WDJB-MJHT",
      address: "https://microsoft.com/devicelogin",
      expires_at: "2026-02-02T09:15:00Z",
    } as unknown as SignInStatus;
    mount("en");
    expect((await screen.findByTestId("sign-in-code")).textContent).toBe("WDJB-MJHT");
    const address = screen.getByTestId("sign-in-address");
    expect(address.textContent).toBe("https://microsoft.com/devicelogin");
    expect(address.closest("a")).toBeNull();
    const writeText = vi.fn(() => Promise.resolve());
    Object.assign(navigator, { clipboard: { writeText } });
    fireEvent.click(screen.getByTestId("copy-sign-in-code"));
    expect(writeText).toHaveBeenCalledWith("WDJB-MJHT");
    expect((screen.getByTestId("sign-in-mailbox") as HTMLButtonElement).disabled).toBe(true);
  });

  it("says who is signed in and where the refresh token is", async () => {
    status = { attempt: 3, state: "signed-in", account: "privacy@example.com", kept: "keyring" } as unknown as SignInStatus;
    mount("en");
    expect((await screen.findByTestId("sign-in-done")).textContent).toBe(
      "Signed in as privacy@example.com — the refresh token is in the OS keyring.",
    );
  });
});
