// The sidebar's screens, in order: one place that the shell renders and the
// help test reads, so a screen cannot join the sidebar without its help topic.
import type { MessageKey } from "../i18n";
import type { HelpTopic } from "../features/help/topics";

export type NavScreen = Exclude<HelpTopic, "detail" | "new" | "first-run">;

export const NAV: { kind: NavScreen; label: MessageKey; testid: string; keys?: string }[] = [
  { kind: "dashboard", label: "nav.dashboard", testid: "nav-dashboard", keys: "g d" },
  { kind: "list", label: "nav.requests", testid: "nav-requests", keys: "g r" },
  { kind: "calculator", label: "nav.calculator", testid: "nav-calculator" },
  { kind: "settings", label: "nav.settings", testid: "nav-settings" },
  { kind: "import", label: "nav.import", testid: "nav-import" },
  { kind: "register", label: "nav.register", testid: "nav-register" },
  { kind: "inbox", label: "nav.inbox", testid: "nav-inbox" },
  { kind: "outbox", label: "nav.outbox", testid: "nav-outbox" },
  { kind: "reminders", label: "nav.reminders", testid: "nav-reminders" },
  { kind: "mail-settings", label: "nav.mailSettings", testid: "nav-mail-settings" },
  { kind: "datamap", label: "nav.datamap", testid: "nav-datamap" },
  { kind: "audit", label: "nav.audit", testid: "nav-audit" },
  { kind: "safety", label: "nav.safety", testid: "nav-safety" },
  { kind: "guide", label: "nav.guide", testid: "nav-guide" },
];
