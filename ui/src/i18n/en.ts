// English, the reference dictionary, assembled from the app shell's words, the labels of the
// core's closed lists (labels.ts) and each feature's own messages (features/<feature>/messages.ts,
// the three languages side by side). German and French are assembled the same way and must
// have exactly these keys (the type checker and i18n/coverage.test.ts check).
// Messages that come from the core (its errors, a timeline
// entry's words, a row's problem, the server's answer) stay in English; only their framing is in
// these dictionaries. A {name} left unfilled by `t` is filled with an element (code, strong, a
// time) by `rich`.
import { messages as app } from "../app/messages";
import { messages as audit } from "../features/audit/messages";
import { messages as backups } from "../features/backups/messages";
import { messages as conversation } from "../features/conversation/messages";
import { messages as dashboard } from "../features/dashboard/messages";
import { messages as datamap } from "../features/datamap/messages";
import { messages as deadlines } from "../features/deadlines/messages";
import { messages as evidence } from "../features/evidence/messages";
import { messages as help } from "../features/help/messages";
import { messages as identity } from "../features/identity/messages";
import { messages as importing } from "../features/import/messages";
import { messages as letters } from "../features/letters/messages";
import { messages as mailbox } from "../features/mailbox/messages";
import { messages as packages } from "../features/packages/messages";
import { messages as register } from "../features/register/messages";
import { messages as requests } from "../features/requests/messages";
import { messages as retention } from "../features/retention/messages";
import { messages as settings } from "../features/settings/messages";
import { messages as setup } from "../features/setup/messages";
import { messages as tasks } from "../features/tasks/messages";
import { labels } from "./labels";

/** Every section of the dictionaries: the app shell, the core's labels and one per feature. */
export const SECTIONS = {
  app,
  labels,
  dashboard,
  requests,
  deadlines,
  tasks,
  identity,
  evidence,
  letters,
  mailbox,
  conversation,
  packages,
  datamap,
  importing,
  register,
  audit,
  backups,
  retention,
  settings,
  setup,
  help,
};

export const en = {
  ...app.en,
  ...labels.en,
  ...dashboard.en,
  ...requests.en,
  ...deadlines.en,
  ...tasks.en,
  ...identity.en,
  ...evidence.en,
  ...letters.en,
  ...mailbox.en,
  ...conversation.en,
  ...packages.en,
  ...datamap.en,
  ...importing.en,
  ...register.en,
  ...audit.en,
  ...backups.en,
  ...retention.en,
  ...settings.en,
  ...setup.en,
  ...help.en,
} as const;

export type MessageKey = keyof typeof en;
export type Messages = Record<MessageKey, string>;
