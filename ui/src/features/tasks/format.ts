import type { MessageKey } from "../../i18n";
import type { TaskStatus } from "../../ipc/types";

/** The words for a task's status (translate with `t`). */
export function taskStatusKey(s: TaskStatus): MessageKey {
  return `taskStatus.${s}`;
}

export const IDENTITY_METHODS: { value: string; label: string }[] = [
  { value: "reply-from-address-on-file", label: "Reply from the address on file" },
  { value: "account-data-match", label: "Match with account data" },
  { value: "document-seen", label: "Identity document seen" },
  { value: "authorised-agent", label: "Authorised agent (with proof of authority)" },
];

export function methodText(m: string): string {
  return IDENTITY_METHODS.find((x) => x.value === m)?.label ?? m;
}

/** The identity method in the interface language (the English label for one this version does not know). */
export function methodKey(m: string): MessageKey | null {
  return IDENTITY_METHODS.some((x) => x.value === m) ? (`idmethod.${m}` as MessageKey) : null;
}

/** A byte count for people: 512 bytes, 12.3 KB, 4.0 MB (in the officer's language when `t` and a locale are given). */
export function sizeText(bytes: number, t?: (key: "size.bytes" | "size.kb" | "size.mb", p: { n: string }) => string, locale?: string): string {
  const one = (n: number) => (locale ? new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(n) : n.toFixed(1));
  const say = (key: "size.bytes" | "size.kb" | "size.mb", n: string, unit: string) => (t ? t(key, { n }) : `${n} ${unit}`);
  if (bytes < 1024) return say("size.bytes", locale ? new Intl.NumberFormat(locale).format(bytes) : String(bytes), "bytes");
  if (bytes < 1024 * 1024) return say("size.kb", one(bytes / 1024), "KB");
  return say("size.mb", one(bytes / (1024 * 1024)), "MB");
}
