/**
 * Draws RSVPs over time with uPlot: fetched only when the console or the
 * studio shows the chart (RsvpChart.tsx imports this module on demand).
 */
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export type RsvpPoint = { at: number; count: number };

/** A step line of the running total, up to now; returns what removes it. */
export function drawRsvpChart(target: HTMLElement, points: RsvpPoint[], label: string, width: number, lang: string): () => void {
  const xs = [...points.map((p) => p.at / 1000), Date.now() / 1000];
  // Times on the axis in the reader's language: hours within a day, days beyond.
  const withinDay = xs[xs.length - 1]! - xs[0]! < 86_400;
  const tick = (seconds: number) =>
    new Date(seconds * 1000).toLocaleString(lang, withinDay ? { hour: "2-digit", minute: "2-digit" } : { month: "numeric", day: "numeric" });
  const ys = [...points.map((p) => p.count), points.at(-1)?.count ?? 0];
  const plot = new uPlot(
    {
      width,
      height: 140,
      legend: { show: false },
      cursor: { show: false },
      scales: { y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
      axes: [{ stroke: "#6b6780", grid: { show: false }, values: (_u, splits) => splits.map(tick) }, { stroke: "#6b6780", size: 36, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] }],
      series: [{}, { label, stroke: "#ff2d55", width: 2, fill: "rgba(255, 45, 85, 0.12)", paths: uPlot.paths.stepped!({ align: 1 }) }],
    },
    [xs, ys],
    target,
  );
  return () => plot.destroy();
}
