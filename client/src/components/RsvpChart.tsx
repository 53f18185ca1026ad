/** RSVPs over time as a small chart; the charting library loads with it (rsvp-chart-draw.ts), never on other pages. */
import { useEffect, useRef } from "preact/hooks";
import { lang } from "../i18n.ts";
import type { RsvpPoint } from "./rsvp-chart-draw.ts";

export function RsvpChart({ points, label }: { points: RsvpPoint[]; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let remove: (() => void) | null = null;
    let gone = false;
    void import("./rsvp-chart-draw.ts").then(({ drawRsvpChart }) => {
      if (gone || !box.current) return;
      remove = drawRsvpChart(box.current, points, label, Math.max(200, box.current.clientWidth), lang.value);
    });
    return () => {
      gone = true;
      remove?.();
    };
  }, [points, label, lang.value]);
  return <div class="rsvp-chart" ref={box} role="img" aria-label={label} data-testid="rsvp-chart" />;
}
