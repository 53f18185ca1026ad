/** A count over time (RSVPs, a show's viewers or orders) as a small chart; the charting library loads with it (rsvp-chart-draw.ts), never on other pages. */
import { useEffect, useRef } from "preact/hooks";
import { lang } from "../i18n.ts";
import type { ChartStyle, RsvpPoint } from "./rsvp-chart-draw.ts";

export function RsvpChart({ points, label, toNow = true, testId = "rsvp-chart" }: { points: RsvpPoint[]; label: string; toNow?: ChartStyle["toNow"]; testId?: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let remove: (() => void) | null = null;
    let gone = false;
    void import("./rsvp-chart-draw.ts").then(({ drawRsvpChart }) => {
      if (gone || !box.current) return;
      remove = drawRsvpChart(box.current, points, label, Math.max(200, box.current.clientWidth), lang.value, { toNow });
    });
    return () => {
      gone = true;
      remove?.();
    };
  }, [points, label, toNow, lang.value]);
  return <div class="rsvp-chart" ref={box} role="img" aria-label={label} data-testid={testId} />;
}
