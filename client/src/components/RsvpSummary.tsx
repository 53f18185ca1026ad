/**
 * A show's RSVPs for the brand: how many asked to be reminded (confirmed,
 * and waiting for confirmation), the count over time, and, for the console,
 * the opted-in emails as CSV. The console and the studio both show it.
 */
import { rsvpCountText, tReminders as t } from "../i18n-reminders.ts";
import { RsvpChart } from "./RsvpChart.tsx";
import type { RsvpPoint } from "./rsvp-chart-draw.ts";
import "../styles/rsvps.css";

export type RsvpCounts = { active: number; pending: number; series: RsvpPoint[] };

export function RsvpSummary({ counts, csvHref }: { counts: RsvpCounts; csvHref?: string }) {
  return (
    <div class="rsvp-summary" data-testid="rsvp-summary">
      <p class="rsvp-count">
        <strong data-testid="rsvp-active">{rsvpCountText(counts.active)}</strong>
        {counts.pending > 0 && <span class="muted small"> · {t("rsvpPending", { count: counts.pending })}</span>}
      </p>
      {counts.series.length > 0 ? <RsvpChart points={counts.series} label={t("rsvpChart")} /> : <p class="muted small">{t("rsvpNone")}</p>}
      {csvHref && counts.active > 0 && (
        <a class="button button-quiet copy-button" href={csvHref} download data-testid="rsvp-csv">
          {t("rsvpCsv")}
        </a>
      )}
    </div>
  );
}
