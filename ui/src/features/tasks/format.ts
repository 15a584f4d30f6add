// Wording for the tasks of a request.
import type { MessageKey } from "../../i18n";
import type { TaskStatus } from "../../ipc/types";

/** The words for a task's status (translate with `t`). */
export function taskStatusKey(s: TaskStatus): MessageKey {
  return `taskStatus.${s}`;
}
