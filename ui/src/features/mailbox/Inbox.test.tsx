import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { AppInfo, IntakeItem, WatchStatus } from "../../ipc/types";

// The Inbox against a stand-in backend answering as the mailbox commands do: a mail's text is
// shown as text (markup in it is neither rendered nor run), its arrival is shown in the
// organisation's zone, the accept form starts from the suggestion, a failed background fetch
// shows the core's words with "Try again", and accepting opens the new request.
const item: IntakeItem = {
  id: "it-1",
  from_name: "Jürgen Beispiel",
  from_address: "juergen@example.net",
  subject: "Auskunftsersuchen",
  received_at: "2025-01-31T22:30:00Z",
  size: 300,
  preview: 'Bitte um Auskunft.\n<img src="http://tracker.example/x.png" onerror="window.ran=1"><b>bold</b>',
  attachments: [{ name: "ausweis.pdf", type: "application/pdf", size: 2048 }],
  warning: null,
  state: "new",
  reason: null,
  request_id: null,
  sha256: "00",
  message_id: "m1@example.net",
  suggestion: { request_type: "access", reason: '"auskunftsersuchen" (de)', regime: "eu-gdpr", jurisdiction: "DE" },
  open_requests_from_sender: [],
} as unknown as IntakeItem;

let status: WatchStatus = {
  configured: true,
  fetching: false,
  started_at: null,
  last_ok_at: "2025-02-02T09:00:00Z",
  last_report: { new_items: 1, replies: 0, already_filed: 0, warnings: 0, uidvalidity_changed: false },
  error: null,
  error_at: null,
  next_at: "2025-02-02T09:05:00Z",
  poll_minutes: 5,
  mode: "poll",
} as unknown as WatchStatus;
const listIntake = vi.fn(() => Promise.resolve({ status: "ok", data: [item] }));
const fetchMailbox = vi.fn(() => Promise.resolve({ status: "ok", data: status.last_report }));
const acceptIntake = vi.fn((id: string, options: unknown) => Promise.resolve({ status: "ok", data: { id: "req-9", item: id, options } }));

vi.mock("../../ipc/bindings", () => ({
  commands: {
    mailboxStatus: () => Promise.resolve({ status: "ok", data: status }),
    listIntake: () => listIntake(),
    getIntakeItem: () => Promise.resolve({ status: "ok", data: item }),
    fetchMailbox: () => fetchMailbox(),
    acceptIntake: (id: string, options: unknown) => acceptIntake(id, options),
  },
}));

const { I18nProvider } = await import("../../i18n");
const { Inbox } = await import("./Inbox");

const info = {
  time_zone: "Europe/Berlin",
  request_types: [
    { value: "access", label: "Access" },
    { value: "erasure", label: "Erasure" },
  ],
  regimes: [{ id: "eu-gdpr", name: "GDPR", default_jurisdiction: "EU", jurisdictions: [{ code: "DE", name: "Germany" }] }],
} as unknown as AppInfo;

afterEach(cleanup);

function mount(onOpenRequest = vi.fn(), shown: AppInfo = info) {
  render(
    <I18nProvider override="en">
      <QueryClientProvider client={new QueryClient()}>
        <Inbox info={shown} onOpenRequest={onOpenRequest} />
      </QueryClientProvider>
    </I18nProvider>,
  );
  return onOpenRequest;
}

describe("the Inbox", () => {
  it("lists a mail with its arrival in the organisation's zone and the reason for the suggestion", async () => {
    mount();
    const row = await screen.findByText("Auskunftsersuchen");
    const tr = row.closest("tr")!;
    // 22:30 UTC is 23:30 in Berlin, still 31 January (en-US: the test environment's locale).
    expect(tr.querySelector("[data-col=arrived]")!.textContent).toBe("Jan 31, 2025, 11:30 PM (Europe/Berlin)");
    expect(tr.textContent).toContain('because of "auskunftsersuchen" (de)');
    expect((await screen.findByTestId("inbox-last")).textContent).toContain("1 new");
  });

  it("shows a mail's text as text, never as HTML, and accepting opens the new request", async () => {
    const onOpen = mount();
    fireEvent.click(await screen.findByText("Auskunftsersuchen"));
    const preview = await screen.findByTestId("item-preview");
    expect(preview.textContent).toContain('<img src="http://tracker.example/x.png"');
    expect(preview.querySelector("img, b")).toBeNull();
    expect((window as unknown as { ran?: number }).ran).toBeUndefined();
    expect(screen.getByTestId("item-attachments").textContent).toContain("ausweis.pdf");
    expect(screen.getByTestId("receipt-note").textContent).toContain("January 31, 2025");
    expect((document.querySelector("[name=accept-type]") as HTMLSelectElement).value).toBe("access");
    expect((document.querySelector("[name=accept-jurisdiction]") as HTMLSelectElement).value).toBe("DE");
    fireEvent.click(screen.getByTestId("accept-item"));
    await waitFor(() => expect(onOpen).toHaveBeenCalledWith("req-9"));
    expect(acceptIntake).toHaveBeenCalledWith("it-1", { request_type: "access", regime: "eu-gdpr", jurisdiction: "DE" });
  });

  it("flags an open request from the same sender with its reference", async () => {
    const saved = item.open_requests_from_sender;
    (item as { open_requests_from_sender: unknown }).open_requests_from_sender = [{ id: "r1", reference: "DSR-2025-0007" }];
    mount();
    expect((await screen.findByTestId("open-from-sender")).textContent).toBe("Open request from this sender: DSR-2025-0007");
    (item as { open_requests_from_sender: unknown }).open_requests_from_sender = saved;
  });

  it("says it listens with IDLE, and reads the list again as soon as a background fetch ends", async () => {
    const saved = status;
    status = { ...status, mode: "idle", runs: 1 } as unknown as WatchStatus;
    mount();
    const mode = await screen.findByTestId("inbox-mode");
    expect(mode.getAttribute("data-mode")).toBe("idle");
    expect(mode.textContent).toContain("Listening for new mail (IDLE)");
    expect(mode.textContent).not.toContain("every 5 min");
    await screen.findByText("Auskunftsersuchen");
    const before = listIntake.mock.calls.length;
    // IDLE woke the fetcher and a fetch ended: the next status poll (3 s) re-reads the list.
    status = { ...status, runs: 2 } as unknown as WatchStatus;
    await waitFor(() => expect(listIntake.mock.calls.length).toBeGreaterThan(before), { timeout: 5000 });
    status = saved;
  }, 10_000);

  it("on a team register, an auditor reads the Inbox with no fetch, accept, dismiss or link", async () => {
    const team = { address: "postgresql://aud@db/rd", login: "aud", host: "db", dbname: "rd", replica: false, role: "auditor" };
    mount(vi.fn(), { ...info, team } as unknown as AppInfo);
    expect((await screen.findAllByTestId("inbox-read-only"))[0].textContent).toContain("as an auditor");
    expect(screen.queryByTestId("fetch-now")).toBeNull();
    fireEvent.click(await screen.findByText("Auskunftsersuchen"));
    await screen.findByTestId("item-preview");
    expect(screen.getByTestId("inbox-read-only")).toBeTruthy();
    for (const form of ["accept-form", "dismiss-form", "link-form"]) expect(screen.queryByTestId(form)).toBeNull();
  });

  it("on a team register, an officer fetches and decides as on the file", async () => {
    const team = { address: "postgresql://ana@db/rd", login: "ana", host: "db", dbname: "rd", replica: false, role: "officer" };
    mount(vi.fn(), { ...info, team } as unknown as AppInfo);
    await screen.findByTestId("fetch-now");
    fireEvent.click(await screen.findByText("Auskunftsersuchen"));
    await screen.findByTestId("accept-form");
    expect(screen.queryByTestId("inbox-read-only")).toBeNull();
  });

  it("shows a failed fetch in the core's words with Try again", async () => {
    status = { ...status, error: "the mail server 127.0.0.1:1 cannot be reached", error_at: "2025-02-02T09:01:00Z" };
    mount();
    const error = await screen.findByTestId("inbox-error");
    expect(error.textContent).toContain("The mailbox could not be read: the mail server 127.0.0.1:1 cannot be reached");
    expect(error.textContent).toContain("Nothing was lost");
    fireEvent.click(screen.getByTestId("inbox-retry"));
    await waitFor(() => expect(fetchMailbox).toHaveBeenCalled());
  });
});
