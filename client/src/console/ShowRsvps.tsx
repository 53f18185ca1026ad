/**
 * In a show's card: "12 reminders"; for owners and managers a tap opens the
 * count over time and the opted-in emails as CSV (RsvpSummary).
 */
import { useState } from "preact/hooks";
import { api } from "../api.ts";
import { RsvpSummary, type RsvpCounts } from "../components/RsvpSummary.tsx";
import { rsvpCountText, tReminders as t } from "../i18n-reminders.ts";
import type { Show } from "./account.ts";
import { problemText } from "./SignIn.tsx";

export function ShowRsvps({ shopId, show, manage }: { shopId: string; show: Show; manage: boolean }) {
  const [counts, setCounts] = useState<RsvpCounts | null>(null);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const path = `/api/shops/${encodeURIComponent(shopId)}/rooms/${encodeURIComponent(show.id)}/rsvps`;

  function toggle() {
    setOpen(!open);
    if (open || counts) return;
    api<{ rsvps: RsvpCounts }>(path).then((answer) => setCounts(answer.rsvps), (caught) => setError(problemText(caught)));
  }

  if (!manage) return <p class="muted small" data-testid="console-show-rsvps">{rsvpCountText(show.rsvps)}</p>;
  return (
    <div class="show-rsvps">
      <button type="button" class="button button-quiet copy-button" aria-expanded={open} data-testid="console-show-rsvps" onClick={toggle}>
        {rsvpCountText(show.rsvps)}
      </button>
      {open && (error ? <p class="console-error">{error}</p> : counts ? <RsvpSummary counts={counts} csvHref={`${path}.csv`} /> : <p class="muted small">{t("rsvpTitle")}…</p>)}
    </div>
  );
}
