// German, assembled like the English reference (en.ts) from the same sections: the app shell,
// the core's labels and each feature's messages. Typed `Messages`, so a key English has and
// German lacks does not compile.
import { SECTIONS as s, type Messages } from "./en";

export const de: Messages = {
  ...s.app.de,
  ...s.labels.de,
  ...s.dashboard.de,
  ...s.requests.de,
  ...s.deadlines.de,
  ...s.tasks.de,
  ...s.identity.de,
  ...s.evidence.de,
  ...s.letters.de,
  ...s.mailbox.de,
  ...s.conversation.de,
  ...s.packages.de,
  ...s.datamap.de,
  ...s.importing.de,
  ...s.register.de,
  ...s.audit.de,
  ...s.backups.de,
  ...s.retention.de,
  ...s.settings.de,
  ...s.setup.de,
  ...s.help.de,
};
