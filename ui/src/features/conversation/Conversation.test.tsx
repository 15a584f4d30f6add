import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Conversation_Serialize as ConversationData } from "../../ipc/bindings";

// The conversation against a stand-in backend answering as the conversation commands do: mails
// out and in in the order the core gives, a mail's text as text (markup in it neither rendered
// nor run), attachments listed without a link, and the one click that records identity received
// sends the mail's id and what it brought; the core's refusal is shown in its words.
const conversation = {
  request_id: "req-1",
  reference: "DSR-2026-0001",
  awaiting_identity: "2026-06-01",
  awaiting_clarification: null,
  mails: [
    {
      id: "letter-1",
      direction: "out",
      kind: "acknowledgement",
      from: "privacy@example.com",
      to: "Ada Example <ada@example.org>",
      subject: "We have received your request DSR-2026-0001",
      at: "2026-06-01T10:00:00Z",
      body: "Dear Ada Example,",
      attachments: [],
      offers: [],
      recorded: [],
      arrived_on: null,
      warning: null,
    },
    {
      id: "mail-1",
      direction: "in",
      kind: "reply",
      from: "Ada Example <ada@example.org>",
      to: "privacy@example.com",
      subject: "Re: We have received your request",
      at: "2026-06-01T22:30:00Z",
      body: 'My passport.\n<img src="http://tracker.example/x.png" onerror="window.ran=1"><script>window.ran=2</script>',
      attachments: [{ name: "passport.pdf", type: "application/pdf", size: 2048 }],
      offers: ["identity"],
      recorded: [],
      arrived_on: "2026-06-02",
      warning: null,
    },
  ],
} as unknown as ConversationData;

let refuse = false;
const recordMailReceived = vi.fn((mailId: string, what: string) =>
  Promise.resolve(
    refuse
      ? { status: "error", error: { code: "invalid", message: "mail: the request is not awaiting identity evidence", field: "mail" } }
      : { status: "ok", data: { request: { id: "req-1" }, mailId, what } },
  ),
);

vi.mock("../../ipc/bindings", () => ({
  commands: {
    requestConversation: () => Promise.resolve({ status: "ok", data: conversation }),
    recordMailReceived: (mailId: string, what: string) => recordMailReceived(mailId, what),
  },
}));

const { I18nProvider } = await import("../../i18n");
const { Conversation } = await import("./Conversation");

afterEach(cleanup);

function mount(language = "en") {
  render(
    <I18nProvider override={language}>
      <QueryClientProvider client={new QueryClient()}>
        <Conversation requestId="req-1" zone="Europe/Berlin" />
      </QueryClientProvider>
    </I18nProvider>,
  );
}

describe("the conversation", () => {
  it("lists the letter sent and the mail received, the mail's text as text and its attachment without a link", async () => {
    mount();
    await screen.findByText("Re: We have received your request");
    const mails = screen.getAllByTestId("conversation-mail");
    expect(mails.map((m) => m.dataset.direction)).toEqual(["out", "in"]);
    expect(mails[1].textContent).toContain("Arrived at the mail server Jun 2, 2026, 12:30 AM (Europe/Berlin)");
    const body = mails[1].querySelector("[data-testid=mail-body]")!;
    expect(body.textContent).toContain('<img src="http://tracker.example/x.png"');
    expect(body.querySelector("img, script")).toBeNull();
    expect((window as unknown as { ran?: number }).ran).toBeUndefined();
    expect(mails[1].querySelector("[data-testid=mail-attachment]")!.textContent).toContain("passport.pdf");
    expect(mails[1].querySelector("a, iframe, object, embed")).toBeNull();
    expect(screen.getByTestId("awaiting-identity").textContent).toContain("Jun 1, 2026");
  });

  it("records identity received with one click on the mail, and shows a refusal in the core's words", async () => {
    mount();
    const button = await screen.findByTestId("received-identity");
    expect(button.textContent).toBe("Identity received (mail of Jun 2, 2026)");
    fireEvent.click(button);
    await waitFor(() => expect(recordMailReceived).toHaveBeenCalledWith("mail-1", "identity"));
    refuse = true;
    fireEvent.click(screen.getByTestId("received-identity"));
    const error = await screen.findByTestId("record-error");
    expect(error.textContent).toContain("not awaiting identity evidence");
  });

  it("speaks German", async () => {
    mount("de");
    const button = await screen.findByTestId("received-identity");
    expect(button.textContent).toContain("Identitätsnachweis erhalten (E-Mail vom");
    expect(screen.getByText("Schriftverkehr")).toBeTruthy();
  });
});
