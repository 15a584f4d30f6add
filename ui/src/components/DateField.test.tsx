import { cleanup, fireEvent, render } from "@testing-library/react";
import { useState, type FormEvent } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { I18nProvider } from "../i18n";
import { DateField, invalidDateField } from "./DateField";

afterEach(cleanup);

/** A form with one date field that records what it would save. */
function Form({ saved, initial }: { saved: string[]; initial: string }) {
  const [received, setReceived] = useState(initial);
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (invalidDateField(e.currentTarget)) return;
    saved.push(received);
  }
  return (
    <form onSubmit={submit} noValidate>
      <label>
        Received
        <DateField name="received" label="Received" value={received} onChange={setReceived} />
      </label>
      <button type="submit">Save</button>
    </form>
  );
}

function mount(lang: string, saved: string[], initial = "2025-02-10") {
  const view = render(
    <I18nProvider override={lang}>
      <Form saved={saved} initial={initial} />
    </I18nProvider>,
  );
  const input = view.container.querySelector<HTMLInputElement>("input[name=received]")!;
  const type = (text: string) => fireEvent.change(input, { target: { value: text } });
  const save = () => fireEvent.submit(view.container.querySelector("form")!);
  return { view, input, type, save };
}

describe("the date field", () => {
  it("shows the value in the language's format, echoes the typed date in words and saves ISO", () => {
    const saved: string[] = [];
    const { view, input, type, save } = mount("de", saved);
    expect(input.value).toBe("10.02.2025");
    type("02.10.2025");
    expect(view.container.querySelector("[data-date-echo=received]")?.textContent).toBe("Donnerstag, 2. Oktober 2025");
    save();
    expect(saved).toEqual(["2025-10-02"]);
  });

  it("an impossible date is an error beside the field naming it, and nothing is saved", () => {
    const saved: string[] = [];
    const { view, input, type, save } = mount("de", saved);
    type("31.02.2025");
    save();
    expect(saved).toEqual([]);
    const error = view.container.querySelector("[data-date-error=received]");
    expect(error?.textContent).toContain("Received");
    expect(error?.textContent).toContain("31.02.2025");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(view.container.querySelector("[data-date-echo=received]")).toBeNull();
    // Corrected, it saves.
    type("28.02.2025");
    save();
    expect(saved).toEqual(["2025-02-28"]);
    expect(view.container.querySelector("[data-date-error=received]")).toBeNull();
  });

  it("English shows and takes the month in letters; French DD/MM/YYYY", () => {
    const en: string[] = [];
    const a = mount("en", en);
    expect(a.input.value).toBe("10 Feb 2025");
    a.type("02/10/2025");
    a.save();
    expect(en).toEqual([]);
    a.type("2 Oct 2025");
    a.save();
    expect(en).toEqual(["2025-10-02"]);
    cleanup();
    const fr: string[] = [];
    const b = mount("fr", fr);
    expect(b.input.value).toBe("10/02/2025");
    b.type("02/10/2025");
    expect(b.view.container.querySelector("[data-date-echo=received]")?.textContent).toBe("jeudi 2 octobre 2025");
    b.save();
    expect(fr).toEqual(["2025-10-02"]);
  });
});
