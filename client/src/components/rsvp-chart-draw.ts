/**
 * Draws a count over time with uPlot (RSVPs, a show's viewers and orders):
 * fetched only when the console or the studio shows a chart (RsvpChart.tsx
 * imports this module on demand).
 */
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

/** Ticks on the time axis at whole minutes, hours or days (seconds): never two with the same label. */
const TIME_STEPS = [60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 172_800, 604_800];

export type RsvpPoint = { at: number; count: number };
/** `toNow`: the last count holds until now (a running total); otherwise the line ends at the last point. */
export type ChartStyle = { toNow: boolean };

/** A step line of the count, up to now (or its last point); returns what removes it. */
export function drawRsvpChart(target: HTMLElement, points: RsvpPoint[], label: string, width: number, lang: string, style: ChartStyle = { toNow: true }): () => void {
  const end = style.toNow ? [Date.now() / 1000] : [];
  const xs = [...points.map((p) => p.at / 1000), ...end];
  // Times on the axis in the reader's language: hours within a day, days beyond.
  const withinDay = xs[xs.length - 1]! - xs[0]! < 86_400;
  const tick = (seconds: number) =>
    new Date(seconds * 1000).toLocaleString(lang, withinDay ? { hour: "2-digit", minute: "2-digit" } : { month: "numeric", day: "numeric" });
  const ys = [...points.map((p) => p.count), ...(style.toNow ? [points.at(-1)?.count ?? 0] : [])];
  const plot = new uPlot(
    {
      width,
      height: 140,
      legend: { show: false },
      cursor: { show: false },
      scales: { y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
      axes: [{ stroke: "#6b6780", grid: { show: false }, incrs: TIME_STEPS, values: (_u, splits) => splits.map(tick) }, { stroke: "#6b6780", size: 36, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] }],
      series: [{}, { label, stroke: "#ff2d55", width: 2, fill: "rgba(255, 45, 85, 0.12)", paths: uPlot.paths.stepped!({ align: 1 }) }],
    },
    [xs, ys],
    target,
  );
  return () => plot.destroy();
}
