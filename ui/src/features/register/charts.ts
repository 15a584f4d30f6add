// Geometry of the two charts, kept apart from React so it can be tested.
import { formatMonthName, formatNumber } from "../../i18n/format";
import type { MonthFigures } from "../../ipc/types";

export type Bar = { x: number; y: number; width: number; height: number; label: string; value: number | null };

export const CHART = { width: 600, height: 180, top: 16, bottom: 24, left: 32 };

/** A "nice" top of scale: the smallest of 1, 2, 5 × 10^n at or above `max`. */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const pow = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * pow >= max) return step * pow;
  return 10 * pow;
}

function bars(months: MonthFigures[], value: (m: MonthFigures) => number | null, top: number, locale: string): Bar[] {
  const plotWidth = CHART.width - CHART.left;
  const plotHeight = CHART.height - CHART.top - CHART.bottom;
  const slot = plotWidth / Math.max(months.length, 1);
  return months.map((m, i) => {
    const v = value(m);
    const h = v === null ? 0 : (v / top) * plotHeight;
    return {
      x: CHART.left + i * slot + slot * 0.15,
      y: CHART.top + plotHeight - h,
      width: slot * 0.7,
      height: h,
      label: formatMonthName(m.month, locale),
      value: v,
    };
  });
}

/** Requests received per month, scaled to a nice maximum; months named in `locale`. */
export function receivedBars(months: MonthFigures[], locale: string): { bars: Bar[]; max: number } {
  const max = niceMax(Math.max(0, ...months.map((m) => m.received)));
  return { bars: bars(months, (m) => m.received, max, locale), max };
}

/** The on-time rate per month in percent (none where nothing was answered). */
export function onTimeBars(months: MonthFigures[], locale: string): Bar[] {
  return bars(months, (m) => (m.on_time_rate === null ? null : Math.round(m.on_time_rate * 100)), 100, locale);
}

/** A number of days with one decimal, in the locale ("12.5" / "12,5"); a dash for none. */
export function days(v: number | null, locale: string): string {
  return v === null ? "—" : formatNumber(v, locale, 1);
}
