import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

// A request received as processor for a customer (issue 19 item 12): the new request form
// offers it, asks for the customer (the controller) and its contact, and registers through
// registerProcessorRequest; the new request opens.
const calls: { name: string; args: unknown[] }[] = [];
vi.mock("../../ipc/bindings", () => ({
  commands: new Proxy(
    {},
    {
      get:
        (_t, name: string) =>
        (...args: unknown[]) => {
          calls.push({ name, args });
          const data =
            name === "registerProcessorRequest"
              ? { request_id: "p1" }
              : name === "registerRequest"
                ? { id: "r1" }
                : name === "processorRole" && args[0] === "p1"
                  ? ROLE
                  : null;
          return Promise.resolve({ status: "ok", data });
        },
    },
  ),
}));

const ROLE = {
  request_id: "p1",
  controller: "Acme Shop GmbH",
  controller_email: "privacy@acme.example",
  received_by_us: "2026-11-03",
  controller_due: "2026-12-02",
  assistance_due: "2026-11-13",
  deadline: "2026-11-13",
  forwarded_on: null,
};

const { I18nProvider } = await import("../../i18n");
const { ProcessorRoleRows } = await import("./ProcessorRole");
const { NewRequestForm } = await import("./NewRequestForm");

afterEach(cleanup);

const info = {
  today: "2026-11-04",
  time_zone: "UTC",
  regimes: [{ id: "eu-gdpr", name: "EU GDPR", default_jurisdiction: "DE", jurisdictions: [{ code: "DE", name: "Germany" }] }],
  request_types: [{ value: "access", label: "Access" }],
  channels: [{ value: "email", label: "Email" }],
  statuses: [],
} as never;

const wrap = (language: string, el: React.ReactElement) =>
  render(
    <I18nProvider override={language}>
      <QueryClientProvider client={new QueryClient()}>{el}</QueryClientProvider>
    </I18nProvider>,
  );

describe("a request received as processor", () => {
  for (const [language, label] of [
    ["en", "Customer (the controller)"],
    ["de", "Kunde (der Verantwortliche)"],
    ["fr", "Client (responsable du traitement)"],
  ]) {
    it(`the form asks for the controller only when the option is ticked (${language})`, () => {
      const { container } = wrap(language, <NewRequestForm info={info} onCreated={() => {}} onCancel={() => {}} />);
      expect(container.querySelector("input[name=controller]")).toBeNull();
      fireEvent.click(container.querySelector("input[name=as_processor]")!);
      expect(container.querySelector("input[name=controller]")!.closest("label")!.textContent).toContain(label);
      expect(container.querySelector("input[name=controller_email]")).not.toBeNull();
    });
  }

  it("registers through registerProcessorRequest with the controller, and opens the new request", async () => {
    calls.length = 0;
    const opened: string[] = [];
    const { container } = wrap("en", <NewRequestForm info={info} onCreated={(id) => opened.push(id)} onCancel={() => {}} />);
    fireEvent.change(container.querySelector("input[name=subject_name]")!, { target: { value: "Ada Example" } });
    fireEvent.click(container.querySelector("input[name=as_processor]")!);
    fireEvent.change(container.querySelector("input[name=controller]")!, { target: { value: "Acme Shop GmbH" } });
    fireEvent.change(container.querySelector("input[name=controller_email]")!, { target: { value: "privacy@acme.example" } });
    fireEvent.submit(screen.getByTestId("new-request-form"));
    await waitFor(() => expect(opened).toEqual(["p1"]));
    const call = calls.find((c) => c.name === "registerProcessorRequest")!;
    expect(calls.some((c) => c.name === "registerRequest")).toBe(false);
    expect((call.args[0] as { subject_name: string }).subject_name).toBe("Ada Example");
    expect(call.args[1]).toEqual({ controller: "Acme Shop GmbH", controller_email: "privacy@acme.example", received_by_us: null });
  });

  it("the detail names the controller and our assistance date, and nothing for a request of our own", async () => {
    wrap(
      "de",
      <dl>
        <ProcessorRoleRows id="p1" />
      </dl>,
    );
    const row = await screen.findByTestId("detail-processor-for");
    expect(row.textContent).toContain("Acme Shop GmbH");
    expect(row.previousElementSibling!.textContent).toBe("Erhalten als Auftragsverarbeiter für");
    expect(screen.getByTestId("detail-assistance-due").textContent).toContain("2026-11-13");
    cleanup();
    const { container } = wrap(
      "en",
      <dl>
        <ProcessorRoleRows id="r1" />
      </dl>,
    );
    await waitFor(() => expect(calls.some((c) => c.name === "processorRole" && c.args[0] === "r1")).toBe(true));
    expect(container.querySelector("[data-testid=detail-processor-for]")).toBeNull();
  });
});
