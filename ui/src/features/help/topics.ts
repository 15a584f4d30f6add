// One help topic per screen: its title, the shortcuts that work there, and the
// command-line equivalent (commands are not translated). The words are in the
// dictionaries: `help.<topic>` (what it is for) and `help.<topic>.how` (the main
// tasks, one per line). A unit test checks that every screen has its topic.
import type { MessageKey } from "../../i18n";

export type HelpTopic =
  | "dashboard"
  | "list"
  | "new"
  | "detail"
  | "first-run"
  | "guide"
  | "calculator"
  | "settings"
  | "inbox"
  | "outbox"
  | "reminders"
  | "mail-settings"
  | "datamap"
  | "audit"
  | "import"
  | "register"
  | "safety";

export type TopicInfo = {
  title: MessageKey;
  /** Shortcut labels (keys.*) that do something on this screen, beyond help and the shortcut sheet. */
  keys: MessageKey[];
  /** The same work from the command line (`rightsdesk --help`); empty when there is none. */
  cli: string[];
};

const EVERYWHERE: MessageKey[] = ["keys.new", "keys.search", "keys.dashboard", "keys.list"];

export const TOPICS: Record<HelpTopic, TopicInfo> = {
  dashboard: {
    title: "nav.dashboard",
    keys: [...EVERYWHERE, "keys.tab"],
    cli: ["rightsdesk dashboard [--json]"],
  },
  list: {
    title: "nav.requests",
    keys: ["keys.search", "keys.next", "keys.previous", "keys.open", "keys.select", "keys.new", "keys.dashboard"],
    cli: [
      "rightsdesk request list [--status in-progress] [--type erasure] [--open] [--search TEXT] [--sort due|subject|…]",
      "rightsdesk bulk status --to in-progress DSR-2025-0004 DSR-2025-0007 [--reason TEXT]",
      "rightsdesk bulk duplicate --of DSR-2025-0001 DSR-2025-0009",
    ],
  },
  new: {
    title: "nav.new",
    keys: ["keys.tab", "keys.back"],
    cli: [
      'rightsdesk request add --type access --regime eu-gdpr --jurisdiction DE --received 2025-01-31 --email ada@example.org --name "Ada Example"',
    ],
  },
  detail: {
    title: "nav.detail",
    keys: ["keys.next", "keys.previous", "keys.back", "keys.tab"],
    cli: [
      "rightsdesk request show DSR-2025-0001",
      'rightsdesk request status DSR-2025-0001 refused --reason "manifestly unfounded"',
      "rightsdesk letter DSR-2025-0001 --template acknowledgement --lang de --send",
      "rightsdesk task list DSR-2025-0001",
    ],
  },
  "first-run": {
    title: "nav.firstRun",
    keys: ["keys.tab"],
    cli: ["rightsdesk demo load"],
  },
  guide: {
    title: "nav.guide",
    keys: [...EVERYWHERE, "keys.tab"],
    cli: ["rightsdesk --help"],
  },
  calculator: {
    title: "nav.calculator",
    keys: ["keys.tab"],
    cli: [
      "rightsdesk deadline --regime uk-gdpr --jurisdiction GB-ENG --type access --received 2025-09-03 [--id-requested D] [--extension-notified D]",
      "rightsdesk holidays --jurisdiction GB-SCT --year 2026",
    ],
  },
  settings: {
    title: "nav.settings",
    keys: ["keys.tab"],
    cli: [],
  },
  outbox: {
    title: "nav.outbox",
    keys: ["keys.tab"],
    cli: [
      "rightsdesk outbox list",
      "rightsdesk outbox send",
      "rightsdesk outbox show ID [--raw]",
      "rightsdesk outbox confirm ID",
      "rightsdesk outbox resend ID",
    ],
  },
  inbox: {
    title: "nav.inbox",
    keys: ["keys.tab"],
    cli: [
      "rightsdesk mailbox fetch [--json]",
      "rightsdesk intake list [--json]",
      "rightsdesk intake accept ITEM [--type access] [--regime eu-gdpr] [--jurisdiction DE]",
      'rightsdesk intake dismiss ITEM --reason "newsletter"',
      "rightsdesk intake link ITEM DSR-2026-0042",
    ],
  },
  reminders: {
    title: "nav.reminders",
    keys: ["keys.tab"],
    cli: ["rightsdesk reminders [--days N] [--send]", "rightsdesk calendar --out deadlines.ics"],
  },
  "mail-settings": {
    title: "nav.mailSettings",
    keys: ["keys.tab"],
    cli: [
      "rightsdesk smtp set --host mail.example.org --port 587 --security starttls --username dpo --from privacy@example.org",
      "rightsdesk smtp show",
      "rightsdesk smtp test --to dpo@example.org",
      "rightsdesk mailbox set --host imap.example.org --port 993 --security tls --username privacy@example.org",
      "rightsdesk mailbox test",
      "rightsdesk task owner-settings --lead-days 2 --reminder-days 3",
    ],
  },
  datamap: {
    title: "nav.datamap",
    keys: ["keys.tab"],
    cli: [
      "rightsdesk systems list",
      "rightsdesk systems starter",
      "rightsdesk systems import map.csv",
      "rightsdesk systems export --format json --out map.json",
    ],
  },
  audit: {
    title: "nav.audit",
    keys: ["keys.tab"],
    cli: ["rightsdesk audit verify", "rightsdesk audit export --format csv --out trail.csv"],
  },
  import: {
    title: "nav.import",
    keys: ["keys.tab"],
    cli: [
      "rightsdesk import requests requests.csv --dry-run",
      "rightsdesk import requests requests.csv [--regime eu-gdpr] [--skip-duplicates]",
    ],
  },
  register: {
    title: "nav.register",
    keys: ["keys.tab"],
    cli: ["rightsdesk export requests --format csv --out register.csv", "rightsdesk metrics --year 2025 --format csv"],
  },
  safety: {
    title: "nav.safety",
    keys: ["keys.tab"],
    cli: [
      "rightsdesk backup --dir /backups/rightsdesk --keep 14",
      "rightsdesk restore FILE --verify-only",
      "rightsdesk retention show",
      "rightsdesk retention set eu-gdpr 48",
      "rightsdesk retention set-dismissed 90",
      "rightsdesk purge --dry-run",
    ],
  },
};

export const HELP_TOPICS = Object.keys(TOPICS) as HelpTopic[];

export function purposeKey(topic: HelpTopic): MessageKey {
  return `help.${topic}` as MessageKey;
}

export function howKey(topic: HelpTopic): MessageKey {
  return `help.${topic}.how` as MessageKey;
}
