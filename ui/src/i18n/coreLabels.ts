// Labels for the core's closed lists, in the interface language, falling back
// to the label the core sent in AppInfo (a value this version does not know yet).
import type { AppInfo } from "../ipc/types";
import type { I18n } from "./index";

export type CoreLabels = {
  type: (v: string) => string;
  status: (v: string) => string;
  channel: (v: string) => string;
  regime: (id: string) => string;
};

export function coreLabels(i18n: Pick<I18n, "label">, info: Pick<AppInfo, "request_types" | "statuses" | "channels" | "regimes">): CoreLabels {
  return {
    type: (v) => i18n.label("type", v, info.request_types.find((x) => x.value === v)?.label),
    status: (v) => i18n.label("status", v, info.statuses.find((x) => x.value === v)?.label),
    channel: (v) => i18n.label("channel", v, info.channels.find((x) => x.value === v)?.label),
    regime: (id) => i18n.label("regime", id, info.regimes.find((x) => x.id === id)?.name),
  };
}
