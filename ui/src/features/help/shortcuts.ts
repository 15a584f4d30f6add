// The keyboard map: one place that says which key does what, used by the
// handler and by the shortcut sheet so the two never disagree.
import type { MessageKey } from "../../i18n";

export type Action = "new" | "search" | "next" | "previous" | "dashboard" | "list" | "help" | "sheet" | "back";

export const SHORTCUTS: { keys: string[]; action: Action; label: MessageKey }[] = [
  { keys: ["n"], action: "new", label: "keys.new" },
  { keys: ["/", "Ctrl+K"], action: "search", label: "keys.search" },
  { keys: ["j"], action: "next", label: "keys.next" },
  { keys: ["k"], action: "previous", label: "keys.previous" },
  { keys: ["g d"], action: "dashboard", label: "keys.dashboard" },
  { keys: ["g r"], action: "list", label: "keys.list" },
  { keys: ["F1", "h"], action: "help", label: "keys.help" },
  { keys: ["?"], action: "sheet", label: "keys.sheet" },
  { keys: ["Esc"], action: "back", label: "keys.back" },
];

/** Keys handled by the list itself, listed on the sheet. */
export const LIST_KEYS: { keys: string[]; label: MessageKey }[] = [
  { keys: ["Enter"], label: "keys.open" },
  { keys: ["x", "Space"], label: "keys.select" },
  { keys: ["Tab", "Shift+Tab"], label: "keys.tab" },
];

export type KeyInput = {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** True when the focus is in a text field, where plain letters are typing. */
  typing: boolean;
  /** The previous key, when it was a prefix such as "g". */
  pending: string | null;
};

/** The action for a key press, or "prefix" when the key starts a two-key shortcut. */
export function actionFor(input: KeyInput): Action | "prefix" | null {
  const { key, ctrlKey, metaKey, altKey, typing, pending } = input;
  if ((ctrlKey || metaKey) && !altKey && key.toLowerCase() === "k") return "search";
  if (key === "F1") return "help";
  if (key === "Escape") return "back";
  if (ctrlKey || metaKey || altKey || typing) return null;
  if (pending === "g") {
    if (key === "d") return "dashboard";
    if (key === "r") return "list";
    return null;
  }
  switch (key) {
    case "g":
      return "prefix";
    case "n":
      return "new";
    case "/":
      return "search";
    case "j":
      return "next";
    case "k":
      return "previous";
    case "h":
      return "help";
    case "?":
      return "sheet";
    default:
      return null;
  }
}

export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !["checkbox", "radio", "button", "submit", "reset"].includes(target.type);
  }
  return false;
}
