import { describe, expect, it } from "vitest";
import { actionFor, isTyping, SHORTCUTS, type KeyInput } from "./shortcuts";

const press = (key: string, more: Partial<KeyInput> = {}) =>
  actionFor({ key, ctrlKey: false, metaKey: false, altKey: false, typing: false, pending: null, ...more });

describe("keyboard shortcuts", () => {
  it("the officer reaches every main action with one key", () => {
    expect(press("n")).toBe("new");
    expect(press("/")).toBe("search");
    expect(press("j")).toBe("next");
    expect(press("k")).toBe("previous");
    expect(press("?")).toBe("sheet");
    expect(press("F1")).toBe("help");
  });

  it("g then d opens the dashboard, g then r the list", () => {
    expect(press("g")).toBe("prefix");
    expect(press("d", { pending: "g" })).toBe("dashboard");
    expect(press("r", { pending: "g" })).toBe("list");
    expect(press("d")).toBeNull();
  });

  it("typing a name with an n in it does not open a new request, but Ctrl+K still searches", () => {
    expect(press("n", { typing: true })).toBeNull();
    expect(press("k", { typing: true, ctrlKey: true })).toBe("search");
    expect(press("Escape", { typing: true })).toBe("back");
  });

  it("a checkbox is not a text field; a search box is", () => {
    const box = document.createElement("input");
    box.type = "checkbox";
    const search = document.createElement("input");
    search.type = "search";
    expect(isTyping(box)).toBe(false);
    expect(isTyping(search)).toBe(true);
  });

  it("the sheet lists every action the handler knows", () => {
    const actions = new Set(SHORTCUTS.map((s) => s.action));
    for (const a of ["new", "search", "next", "previous", "dashboard", "list", "help", "sheet", "back"]) {
      expect(actions.has(a as never), a).toBe(true);
    }
  });
});
