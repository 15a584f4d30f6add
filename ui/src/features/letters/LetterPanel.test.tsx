import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { BuiltPackage } from "../../ipc/types";

// The generated bindings replaced by a stand-in answering like the shell: the request has a built package.
const sendLetter = vi.fn();
let built: BuiltPackage | null;
vi.mock("../../ipc/bindings", () => ({
  commands: {
    letterKinds: () =>
      Promise.resolve({
        status: "ok",
        data: [
          { template: "acknowledgement", required_fields: [] },
          { template: "response-access", required_fields: [] },
        ],
      }),
    listOutbox: () => Promise.resolve({ status: "ok", data: [] }),
    builtPackage: () => Promise.resolve({ status: "ok", data: built }),
    previewLetter: () =>
      Promise.resolve({
        status: "ok",
        data: { template: "response-access", lang: "en", to: "x", subject: "s", text: "t", html: "", clock_event: null },
      }),
    sendLetter: (...args: unknown[]) => {
      sendLetter(...args);
      return Promise.resolve({ status: "error", error: { code: "invalid", message: "stop here", field: null } });
    },
  },
}));

const { LetterPanel } = await import("./LetterPanel");

function panel() {
  render(
    <QueryClientProvider client={new QueryClient()}>
      <LetterPanel requestId="r1" />
    </QueryClientProvider>,
  );
}

beforeEach(() => {
  sendLetter.mockClear();
  built = {
    name: "DSR-2025-0001-package.zip",
    path: "/p/DSR-2025-0001-package.zip",
    bytes: 2048,
    encrypted: true,
    limit_bytes: 10485760,
    fits: true,
  };
});
afterEach(cleanup);

async function chooseResponse() {
  const select = (await screen.findByRole("combobox", { name: /letter/i })) as HTMLSelectElement;
  await waitFor(() => expect(select.options.length).toBe(2));
  fireEvent.change(select, { target: { value: "response-access" } });
}

describe("the response letter and the package", () => {
  it("offers the built package, checked, and sends the letter with it attached", async () => {
    panel();
    expect(screen.queryByTestId("attach-package")).toBeNull();
    await chooseResponse();
    const box = (await screen.findByTestId("attach-package")) as HTMLInputElement;
    expect(box.checked).toBe(true);
    expect(box.parentElement?.textContent).toContain("Attach the package (DSR-2025-0001-package.zip, 2.0 KiB)");
    expect(screen.getByText(/its passphrase is not in this letter/)).toBeTruthy();
    fireEvent.click(screen.getByTestId("preview-letter"));
    await waitFor(() => expect((screen.getByTestId("send-letter") as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(screen.getByTestId("send-letter"));
    await waitFor(() => expect(sendLetter).toHaveBeenCalledTimes(1));
    expect(sendLetter.mock.calls[0][2]).toBe(true);
  });

  it("disables the choice, with the reason, when the package is over the server's limit", async () => {
    built = { ...built!, bytes: 30 * 1024 * 1024, fits: false };
    panel();
    await chooseResponse();
    const box = (await screen.findByTestId("attach-package")) as HTMLInputElement;
    expect(box.disabled && !box.checked).toBe(true);
    expect(screen.getByTestId("attach-package-too-large").textContent).toContain("10.0 MiB");
  });
});
