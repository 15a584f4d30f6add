import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

// An appeal names the earlier request it appeals (issue 19): the form asks for it only
// for an appeal and sends it; the detail view links the appeal and the decision both ways.
const sent: unknown[] = [];
const DETAIL = {
  request: {
    id: "a",
    reference: "DSR-2026-0002",
    type: "appeal",
    regime: "us-va",
    jurisdiction: "US-VA",
    subject: { name: "Ada", email: null, identifiers: [] },
    channel: "email",
    received_at: "2026-11-02T00:00:00Z",
    received_on: "2026-11-02",
    time_zone: "UTC",
    status: "received",
    status_reason: null,
    notes: "",
    due: null,
    days_left: null,
    schedule: { steps: [], duties: [], warnings: [], readings: [] },
    created_at: "2026-11-02T00:00:00Z",
    updated_at: "2026-11-02T00:00:00Z",
  },
  timeline: [],
  next_statuses: [],
  appeal_of: { id: "e", reference: "DSR-2026-0001" },
  appeals: [{ id: "z", reference: "DSR-2026-0009" }],
};
vi.mock("../../ipc/bindings", () => ({
  commands: new Proxy(
    {},
    {
      get: (_t, name: string) => (input: unknown) => {
        if (name === "registerRequest") sent.push(input);
        const data = name === "registerRequest" ? { id: "new" } : name === "getRequest" ? DETAIL : null;
        return Promise.resolve({ status: "ok", data });
      },
    },
  ),
}));

const { I18nProvider } = await import("../../i18n");
const { NewRequestForm } = await import("./NewRequestForm");
const { RequestDetail } = await import("./RequestDetail");

afterEach(cleanup);

const info = {
  today: "2026-11-04",
  time_zone: "UTC",
  regimes: [{ id: "us-va", name: "Virginia", default_jurisdiction: "US-VA", jurisdictions: [{ code: "US-VA", name: "Virginia" }] }],
  request_types: [
    { value: "access", label: "Access" },
    { value: "appeal", label: "Appeal" },
  ],
  channels: [{ value: "email", label: "Email" }],
  statuses: [],
} as never;

const wrap = (language: string, el: React.ReactElement) =>
  render(
    <I18nProvider override={language}>
      <QueryClientProvider client={new QueryClient()}>{el}</QueryClientProvider>
    </I18nProvider>,
  );

describe("an appeal and the request it appeals", () => {
  for (const [language, label] of [
    ["en", "Appeal of"],
    ["de", "Einspruch gegen"],
    ["fr", "Recours contre"],
  ]) {
    it(`the form asks for the earlier request only for an appeal (${language})`, async () => {
      const { container } = wrap(language, <NewRequestForm info={info} onCreated={() => {}} onCancel={() => {}} />);
      expect(container.querySelector("input[name=appeal_of]")).toBeNull();
      fireEvent.change(container.querySelector("select[name=type]")!, { target: { value: "appeal" } });
      const field = container.querySelector("input[name=appeal_of]")!;
      expect(field.closest("label")!.textContent).toContain(label);
    });
  }

  it("sends the earlier request's reference with an appeal, and none with another type", async () => {
    sent.length = 0;
    const { container } = wrap("en", <NewRequestForm info={info} onCreated={() => {}} onCancel={() => {}} />);
    fireEvent.change(container.querySelector("select[name=type]")!, { target: { value: "appeal" } });
    fireEvent.change(container.querySelector("input[name=appeal_of]")!, { target: { value: "DSR-2026-0001" } });
    fireEvent.change(container.querySelector("select[name=type]")!, { target: { value: "access" } });
    fireEvent.submit(screen.getByTestId("new-request-form"));
    fireEvent.change(container.querySelector("select[name=type]")!, { target: { value: "appeal" } });
    fireEvent.submit(screen.getByTestId("new-request-form"));
    await waitFor(() => expect(sent.length).toBe(2));
    expect((sent[0] as { appeal_of: unknown }).appeal_of).toBeNull();
    expect((sent[1] as { appeal_of: unknown }).appeal_of).toBe("DSR-2026-0001");
  });

  it("the detail view links to the appealed request and to the appeals of it", async () => {
    const opened: string[] = [];
    wrap("de", <RequestDetail info={info} id="a" onBack={() => {}} onOpen={(id) => opened.push(id)} />);
    const earlier = await screen.findByTestId("detail-appeal-of");
    expect(earlier.textContent).toBe("DSR-2026-0001");
    expect(screen.getByTestId("detail-appeals").textContent).toBe("DSR-2026-0009");
    expect(earlier.previousElementSibling!.textContent).toBe("Einspruch gegen");
    fireEvent.click(earlier.querySelector("button")!);
    fireEvent.click(screen.getByTestId("detail-appeals").querySelector("button")!);
    expect(opened).toEqual(["e", "z"]);
  });
});
