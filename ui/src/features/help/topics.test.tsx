import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { NAV } from "../../app/nav";
import { DICTIONARIES, I18nProvider, makeI18n } from "../../i18n";
import { HelpPanel } from "./HelpPanel";
import { HELP_TOPICS, howKey, purposeKey, TOPICS, type HelpTopic } from "./topics";

// The screens reached without the sidebar: the form, a request, the first run.
const OTHER_SCREENS: HelpTopic[] = ["new", "detail", "first-run"];

afterEach(cleanup);

describe("help for every screen", () => {
  it("every screen in the sidebar, and the form, a request and the first run, has its own help topic", () => {
    const screens = [...NAV.map((n) => n.kind), ...OTHER_SCREENS];
    for (const s of screens) expect(TOPICS[s], s).toBeDefined();
    expect([...screens].sort()).toEqual([...HELP_TOPICS].sort());
  });

  it("each topic says what the screen is for and how to do its main tasks, in English, German and French", () => {
    for (const [language, dict] of Object.entries(DICTIONARIES)) {
      const purposes = new Set<string>();
      for (const topic of HELP_TOPICS) {
        const purpose = dict[purposeKey(topic)];
        const how = dict[howKey(topic)];
        expect(purpose?.length, `${language} help.${topic}`).toBeGreaterThan(40);
        expect(how?.split("\n").length, `${language} help.${topic}.how`).toBeGreaterThanOrEqual(2);
        purposes.add(purpose);
      }
      expect(purposes.size, `${language}: no screen borrows another's help`).toBe(HELP_TOPICS.length);
    }
  });

  it("each command-line equivalent is a rightsdesk command", () => {
    for (const topic of HELP_TOPICS) {
      for (const line of TOPICS[topic].cli) expect(line, topic).toMatch(/^rightsdesk [a-z-]+/);
    }
  });

  it("the panel shows the screen's own topic with its keys and commands, in the chosen language", () => {
    render(<HelpPanel topic="settings" onClose={() => {}} />);
    expect(screen.getByRole("heading", { level: 2 }).textContent).toBe("Help: Settings");
    expect(screen.getByTestId("help-purpose").textContent).toBe(makeI18n("en", "en").t("help.settings"));
    expect(screen.getByTestId("help-cli-none")).toBeTruthy();
    cleanup();
    render(<HelpPanel topic="audit" onClose={() => {}} />);
    expect(screen.getByRole("heading", { level: 2 }).textContent).toBe("Help: Audit trail");
    expect(screen.getByTestId("help-cli").textContent).toContain("rightsdesk audit verify");
    expect(screen.getByTestId("help-keys").textContent).toContain("F1");
    cleanup();
    render(
      <I18nProvider override="de">
        <HelpPanel topic="new" onClose={() => {}} />
      </I18nProvider>,
    );
    expect(screen.getByRole("heading", { level: 2 }).textContent).toBe("Hilfe: Neue Anfrage");
    expect(screen.getByTestId("help-how").textContent).toContain("Anfrage erfassen");
    expect(document.documentElement.lang).toBe("de");
  });
});
