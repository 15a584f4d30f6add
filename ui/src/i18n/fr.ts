// French, assembled like the English reference (en.ts) from the same sections: the app shell,
// the core's labels and each feature's messages. Typed `Messages`, so a key English has and
// French lacks does not compile.
import { SECTIONS as s, type Messages } from "./en";

export const fr: Messages = {
  ...s.app.fr,
  ...s.labels.fr,
  ...s.dashboard.fr,
  ...s.requests.fr,
  ...s.deadlines.fr,
  ...s.tasks.fr,
  ...s.identity.fr,
  ...s.evidence.fr,
  ...s.letters.fr,
  ...s.mailbox.fr,
  ...s.conversation.fr,
  ...s.packages.fr,
  ...s.datamap.fr,
  ...s.importing.fr,
  ...s.register.fr,
  ...s.audit.fr,
  ...s.backups.fr,
  ...s.retention.fr,
  ...s.settings.fr,
  ...s.setup.fr,
  ...s.help.fr,
};
