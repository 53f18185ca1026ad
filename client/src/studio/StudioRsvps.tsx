/** Before the show: how many asked to be reminded, and when (counts only; the emails stay in the console). */
import { useEffect, useState } from "preact/hooks";
import { api } from "../api.ts";
import { RsvpSummary, type RsvpCounts } from "../components/RsvpSummary.tsx";
import { tReminders as t } from "../i18n-reminders.ts";

export function StudioRsvps({ roomId, hostKey }: { roomId: string; hostKey: string | null }) {
  const [counts, setCounts] = useState<RsvpCounts | null>(null);
  useEffect(() => {
    const load = () =>
      api<{ rsvps: RsvpCounts }>(`/api/rooms/${encodeURIComponent(roomId)}/rsvps`, { key: hostKey }).then(
        (answer) => setCounts(answer.rsvps),
        () => undefined, // Counts are a nicety: the studio runs the show without them.
      );
    void load();
    const timer = setInterval(load, 60_000);
    return () => clearInterval(timer);
  }, [roomId, hostKey]);
  if (!counts) return null;
  return (
    <section class="card studio-rsvps" data-testid="studio-rsvps">
      <h2 class="card-title">{t("rsvpTitle")}</h2>
      <RsvpSummary counts={counts} />
    </section>
  );
}
