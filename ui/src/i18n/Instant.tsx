import { useI18n } from "./index";

/** An instant (RFC 3339) as text in the officer's locale: for screens that show times the core recorded. */
export function Instant({ at }: { at: string | null | undefined }) {
  return <>{useI18n().instant(at)}</>;
}
