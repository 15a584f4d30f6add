// Wording for identity checks: the methods the core accepts, in words.
import type { MessageKey } from "../../i18n";
import type { IdentityMethod } from "../../ipc/types";

export const IDENTITY_METHODS: { value: IdentityMethod; label: string }[] = [
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
