import { useState } from "preact/hooks";
import type { StageTrack } from "../../../durable-objects/protocol.ts";
import { t as tCommon } from "../i18n.ts";
import { tVideo as t } from "../i18n-video.ts";
import type { Publisher } from "../video/publisher.ts";
import type { Tile } from "../video/stage-player.ts";

type StageListProps = {
  stage: StageTrack[];
  /** The host's own publishing session, marked "you". */
  ownSession: string | null;
  /** What the studio pulls of the stage (everyone but the host), as viewers get it. */
  tiles: Tile[];
  /** The host's camera: its own entry shows the local preview, not a round trip through the relay. */
  publisher: Publisher | null;
  onRemove: (sessionId: string) => Promise<void>;
};

/** Who is on stage, one row per publisher with its live picture, each guest with a way off it. */
export function StageList({ stage, ownSession, tiles, publisher, onRemove }: StageListProps) {
  const [removing, setRemoving] = useState<string | null>(null);
  const publishers = [...new Set(stage.map((track) => track.sessionId))].map((sessionId) => ({
    sessionId,
    tracks: stage.filter((track) => track.sessionId == sessionId),
  }));
  return (
    <section class="card" aria-labelledby="stage-list-title">
      <h2 class="card-title" id="stage-list-title">
        {t("stageTitle")}
      </h2>
      {publishers.length == 0 && <p class="muted small">{t("stageEmpty")}</p>}
      <ul class="stage-list" data-testid="stage-list">
        {publishers.map(({ sessionId, tracks }) => {
          const role = tracks[0]!.role;
          const has = (source: string, kind: string) => tracks.some((track) => track.source == source && track.kind == kind);
          const what = [
            has("camera", "video") && t("sourceCamera"),
            has("camera", "audio") && t("sourceMicrophone"),
            has("screen", "video") && t("sourceScreen"),
          ].filter(Boolean);
          const own = sessionId == ownSession;
          // Ours from the preview; anyone else's as pulled (a camera turned off is pulled as sound only).
          const streams = own
            ? publisher?.preview.value && publisher.cameraOn.value && publisher.preview.value.getVideoTracks().length
              ? [publisher.preview.value]
              : []
            : tiles.filter((tile) => !tile.audio && tile.key.startsWith(`${sessionId}/`)).map((tile) => tile.stream);
          const cameraOff = tracks.some((track) => track.kind == "video" && track.source == "camera" && track.paused) || (own && publisher?.cameraOn.value === false);
          return (
            <li key={sessionId} class="stage-entry" data-testid="stage-entry" data-role={role} data-session-id={sessionId}>
              <div class="stage-entry-pictures">
                {streams.map((stream) => (
                  // Muted: the host's speakers must not feed the guest's voice back into the host's microphone.
                  <video key={stream.id} class="stage-entry-video" data-mirror={own} srcObject={stream} autoplay playsInline muted />
                ))}
                {streams.length == 0 && (
                  <span class="stage-entry-video stage-entry-blank" aria-hidden="true">
                    {cameraOff ? t("cameraIsOffShort") : ""}
                  </span>
                )}
              </div>
              <div class="stage-entry-text">
                <span class={`role-badge role-${role}`}>{tCommon(role == "host" ? "roleHost" : "roleGuest")}</span>
                <span class="stage-entry-what">
                  {what.join(" · ")}
                  {own && ` (${t("you")})`}
                </span>
              </div>
              {role == "guest" && (
                <button
                  type="button"
                  class="button button-quiet copy-button"
                  data-testid="remove-from-stage"
                  disabled={removing == sessionId}
                  onClick={async () => {
                    setRemoving(sessionId);
                    await onRemove(sessionId);
                    setRemoving(null);
                  }}
                >
                  {t("removeFromStage")}
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
