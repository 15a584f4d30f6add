// Wording for evidence files.

/** A byte count for people: 512 bytes, 12.3 KB, 4.0 MB (in the officer's language when `t` and a locale are given). */
export function sizeText(
  bytes: number,
  t?: (key: "size.bytes" | "size.kb" | "size.mb", p: { n: string }) => string,
  locale?: string,
): string {
  const one = (n: number) =>
    locale ? new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(n) : n.toFixed(1);
  const say = (key: "size.bytes" | "size.kb" | "size.mb", n: string, unit: string) => (t ? t(key, { n }) : `${n} ${unit}`);
  if (bytes < 1024) return say("size.bytes", locale ? new Intl.NumberFormat(locale).format(bytes) : String(bytes), "bytes");
  if (bytes < 1024 * 1024) return say("size.kb", one(bytes / 1024), "KB");
  return say("size.mb", one(bytes / (1024 * 1024)), "MB");
}
