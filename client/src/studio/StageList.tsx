import { useState } from "preact/hooks";
import type { StageTrack } from "../../../durable-objects/protocol.ts";
import { t as tCommon } from "../i18n.ts";
import { tVideo as t } from "../i18n-video.ts";

type StageListProps = {
  stage: StageTrack[];
  /** The host's own publishing session, marked "you". */
  ownSession: string | null;
  onRemove: (sessionId: string) => Promise<void>;
};

/** Who is on stage, one row per publisher, each guest with a way off it. */
export function StageList({ stage, ownSession, onRemove }: StageListProps) {
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
          return (
            <li key={sessionId} class="stage-entry" data-testid="stage-entry" data-role={role} data-session-id={sessionId}>
              <span class={`role-badge role-${role}`}>{tCommon(role == "host" ? "roleHost" : "roleGuest")}</span>
              <span class="stage-entry-what">
                {what.join(" · ")}
                {sessionId == ownSession && ` (${t("you")})`}
              </span>
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
