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

export function coreLabels(
  i18n: Pick<I18n, "label">,
  info: Pick<AppInfo, "request_types" | "statuses" | "channels" | "regimes">,
): CoreLabels {
  return {
    type: (v) => i18n.label("type", v, info.request_types.find((x) => x.value === v)?.label),
    status: (v) => i18n.label("status", v, info.statuses.find((x) => x.value === v)?.label),
    channel: (v) => i18n.label("channel", v, info.channels.find((x) => x.value === v)?.label),
    regime: (id) => i18n.label("regime", id, info.regimes.find((x) => x.id === id)?.name),
  };
}

const COUNTED: [RegExp, "step.months" | "step.days" | "step.business-days"][] = [
  [/^(one|\d+) calendar months?$/, "step.months"],
  [/^(one|\d+) calendar days?$/, "step.days"],
  [/^(one|\d+) business days?$/, "step.business-days"],
];

/**
 * The name of a deadline engine step ("one calendar month", "roll to the next
 * working day") in the interface language; the engine's own words for a step
 * this version does not know.
 */
export function stepRule(i18n: Pick<I18n, "label" | "t">, rule: string): string {
  for (const [pattern, key] of COUNTED) {
    const m = pattern.exec(rule);
    if (m) return i18n.t(key, { count: m[1] === "one" ? 1 : Number(m[1]) });
  }
  return i18n.label(
    "step",
    rule
      .toLowerCase()
      .replace(/[^a-z]+/g, "-")
      .replace(/^-|-$/g, ""),
    rule,
  );
}
