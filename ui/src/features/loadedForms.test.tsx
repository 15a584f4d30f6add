import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import type { ReactElement } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";

// The forms that start from what the backend loaded (the deadline settings, a letter template)
// show it once it arrives, and again what the backend holds after a save or another choice,
// without a render that shows the old values. The backend is a stand-in answering like the core.
let options = { promise_days: 30, promise_extended_days: null, promise_from: "receipt", target_working_days: 15 };
vi.mock("../ipc/bindings", () => ({
  commands: new Proxy(
    {},
    {
      get: (_t, name: string) => (arg1: unknown, arg2: unknown) => {
        const answers: Record<string, () => unknown> = {
          deadlineOptions: () => options,
          // The core stores the options; meanwhile the CLI changed the internal target.
          setDeadlineOptions: () => {
            options = { ...(arg1 as typeof options), target_working_days: 10 };
            return null;
          },
          letterKinds: () => [
            { template: "acknowledgement", label: "Acknowledgement" },
            { template: "extension-notice", label: "Extension notice" },
          ],
          getLetterTemplate: () => ({ name: arg1, lang: arg2, source: `Source of ${String(arg1)} in ${String(arg2)}`, customised: false }),
        };
        return Promise.resolve({ status: "ok", data: answers[name]?.() ?? null });
      },
    },
  ),
}));

const { I18nProvider, useI18n } = await import("../i18n");
const { DeadlineSettings } = await import("./settings/DeadlineSettings");
const { TemplateEditor } = await import("./letters/TemplateEditor");

afterEach(cleanup);

function mount(ui: ReactElement) {
  return render(
    <I18nProvider override="en">
      <QueryClientProvider client={new QueryClient()}>{ui}</QueryClientProvider>
    </I18nProvider>,
  );
}

describe("forms that start from loaded data", () => {
  it("the deadline settings show the saved options, and after a save what the register then holds", async () => {
    const { container } = mount(<DeadlineSettings />);
    const field = (name: string) => container.querySelector<HTMLInputElement>(`input[name="${name}"]`);
    await waitFor(() => expect(field("promise_days")?.value).toBe("30"));
    expect(field("target_working_days")?.value).toBe("15");
    fireEvent.change(field("promise_days")!, { target: { value: "20" } });
    fireEvent.submit(field("promise_days")!.form!);
    await waitFor(() => expect(field("target_working_days")?.value).toBe("10"));
    expect(field("promise_days")?.value).toBe("20");
  });

  it("the template editor shows the chosen template's source, and another one's when the officer picks it", async () => {
    const { container } = mount(<TemplateEditor />);
    const source = () => container.querySelector<HTMLTextAreaElement>('textarea[name="template-source"]');
    await waitFor(() => expect(source()?.value).toBe("Source of acknowledgement in en"));
    fireEvent.change(source()!, { target: { value: "an edit not saved" } });
    fireEvent.change(container.querySelector('select[name="template-lang"]')!, { target: { value: "de" } });
    await waitFor(() => expect(source()?.value).toBe("Source of acknowledgement in de"));
  });
});

describe("the language override", () => {
  function Word() {
    return <p>{useI18n().t("nav.settings")}</p>;
  }

  it("applies from the first render and follows a change, and no override keeps the language shown", () => {
    const { rerender } = render(
      <I18nProvider override="de">
        <Word />
      </I18nProvider>,
    );
    expect(screen.getByText("Einstellungen")).toBeTruthy();
    rerender(
      <I18nProvider override="fr">
        <Word />
      </I18nProvider>,
    );
    expect(screen.getByText("Paramètres")).toBeTruthy();
    rerender(
      <I18nProvider override={null}>
        <Word />
      </I18nProvider>,
    );
    expect(screen.getByText("Paramètres")).toBeTruthy();
  });
});
