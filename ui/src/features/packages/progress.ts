import type { PackageProgress } from "../../ipc/types";

/** Whole percent written, 0–100. */
export function percentOf(p: PackageProgress | null): number {
  if (!p) return 0;
  if (p.done) return 100;
  // Sizes cross IPC as numbers, which the bindings allow to be null (a float may be NaN).
  const total = p.bytes_total ?? 0;
  if (total <= 0) return 0;
  return Math.min(100, Math.floor(((p.bytes_done ?? 0) * 100) / total));
}

/** 1536 → "1.5 KiB". */
export function humanBytes(n: number | null): string {
  if (n === null) return "—";
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}
