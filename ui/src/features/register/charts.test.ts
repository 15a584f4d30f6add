import { describe, expect, it } from "vitest";
import type { MonthFigures } from "../../ipc/types";
import { CHART, days, niceMax, onTimeBars, receivedBars } from "./charts";

const month = (m: number, received: number, rate: number | null): MonthFigures => ({
  month: `2025-${String(m).padStart(2, "0")}`,
  received,
  answered: rate === null ? 0 : received,
  answered_on_time: 0,
  on_time_rate: rate,
});

describe("charts", () => {
  it("scales to a round maximum", () => {
    expect(niceMax(0)).toBe(1);
    expect(niceMax(7)).toBe(10);
    expect(niceMax(13)).toBe(20);
    expect(niceMax(40)).toBe(50);
  });

  it("draws the busiest month up to the scale and an empty month flat", () => {
    const { bars, max } = receivedBars([month(1, 10, 1), month(2, 0, null)], "en-GB");
    expect(max).toBe(10);
    expect(bars[0].y).toBe(CHART.top);
    expect(bars[1].height).toBe(0);
    expect(bars.map((b) => b.label)).toEqual(["Jan", "Feb"]);
    expect(receivedBars([month(3, 1, null)], "de-DE").bars[0].label).toBe("Mär");
    expect(receivedBars([month(2, 1, null)], "fr-FR").bars[0].label).toBe("févr.");
  });

  it("shows the on-time rate in percent and nothing where no request was answered", () => {
    const bars = onTimeBars([month(3, 4, 0.75), month(4, 2, null)], "en-GB");
    expect(bars[0].value).toBe(75);
    expect(bars[1].value).toBeNull();
  });

  it("shows days to respond with one decimal in the officer's locale", () => {
    expect(days(12.25, "en-GB")).toBe("12.3");
    expect(days(12.5, "de-DE")).toBe("12,5");
    expect(days(null, "fr-FR")).toBe("—");
  });
});
