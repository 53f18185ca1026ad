/**
 * The studio's side of a private rehearsal: "Rehearse" in the show's own
 * studio while it is scheduled (it opens the rehearsal's studio, a room of
 * its own); in the rehearsal's studio, its badge, a new run from scratch,
 * and the way back to the show.
 */
import { useState } from "preact/hooks";
import type { RoomStatus } from "../../../durable-objects/protocol.ts";
import { api, ApiError } from "../api.ts";
import { errorText } from "../i18n.ts";
import { tRehearsal as t } from "../i18n-rehearsal.ts";
import "../styles/rehearsal.css";

const SUFFIX = ".rehearsal";
export const isRehearsal = (roomId: string) => roomId.endsWith(SUFFIX);

type RehearsalBarProps = { roomId: string; hostKey: string | null; status: RoomStatus };

export function RehearsalBar({ roomId, hostKey, status }: RehearsalBarProps) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const rehearsal = isRehearsal(roomId);
  const showId = rehearsal ? roomId.slice(0, -SUFFIX.length) : roomId;
  if (!rehearsal && status !== "scheduled") return null;

  async function rehearse() {
    setBusy(true);
    setProblem(null);
    try {
      const { links } = await api<{ links: { studio: string } }>(`/api/rooms/${encodeURIComponent(showId)}/rehearsal`, { method: "POST", key: hostKey });
      if (rehearsal) location.reload();
      else location.assign(links.studio);
    } catch (error) {
      const refusal = error instanceof ApiError ? error : new ApiError(0, "network", String(error));
      setProblem(t("rehearseFailed", { message: errorText(refusal.code, refusal.message) }));
      setBusy(false);
    }
  }

  return (
    <section class={`card rehearsal-bar${rehearsal ? " is-rehearsal" : ""}`} data-testid="rehearsal-bar">
      {rehearsal && (
        <p class="rehearsal-badge" data-testid="rehearsal-badge">
          {t("rehearsalBadge")}
        </p>
      )}
      <p class="muted small">{t(rehearsal ? "rehearsalNote" : "rehearseNote")}</p>
      <div class="rehearsal-actions">
        <button type="button" class="button button-quiet" data-testid="rehearse" disabled={busy} onClick={rehearse}>
          {t(rehearsal ? "rehearseAgain" : "rehearse")}
        </button>
        {rehearsal && (
          <a class="button button-quiet" data-testid="back-to-show" href={`/studio/${encodeURIComponent(showId)}`}>
            {t("backToShow")}
          </a>
        )}
      </div>
      {problem && (
        <p class="inline-error" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}
