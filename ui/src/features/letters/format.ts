// Words for the letters feature's closed values, in the interface language. Display
// only: nothing here computes what the core owns.
import type { I18n } from "../../i18n";
import type { PasswordStatus, TemplateName } from "../../ipc/types";

/** A template's name as the core spells it, made readable ("extension-notice" → "Extension notice"). */
export function templateText(name: TemplateName | string): string {
  const words = name.replace(/-/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A template's name in the interface language (readable English for one this version does not know). */
export function templateLabel(name: TemplateName | string, i18n: I18n): string {
  return i18n.label("template", name, templateText(name));
}

/** Where the SMTP password comes from, in the interface language. */
export function passwordStatusText(status: PasswordStatus | null, t: I18n["t"]): string {
  return t(`password.${status ?? "not-needed"}`);
}
