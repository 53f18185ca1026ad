import type { RoomState, RoomStatus } from "../../../durable-objects/protocol.ts";
import { formatCount, formatStartTime } from "../format.ts";
import { lang, tStudio as t } from "../i18n.ts";

const statusKeys = { scheduled: "statusScheduled", live: "statusLive", ended: "statusEnded" } as const;

type ShowControlsProps = {
  room: RoomState;
  /** A status change is on its way to the API. */
  busy: boolean;
  onStatus: (status: Exclude<RoomStatus, "scheduled">) => void;
};

/** Title, status and the one big action that fits it (go live, then end), with the audience figures. */
export function ShowControls({ room, busy, onStatus }: ShowControlsProps) {
  return (
    <section class="card controls">
      <div class="controls-head">
        <div class="controls-title">
          <p class="muted small">{room.shopName}</p>
          <h1>{room.title}</h1>
          {room.status === "scheduled" && room.startsAt && (
            <p class="muted small" data-testid="studio-starts-at">
              {t("scheduledFor", { time: formatStartTime(room.startsAt, lang.value) })}
            </p>
          )}
        </div>
        <span class="status-pill" data-testid="show-status" data-state={room.status}>
          {t(statusKeys[room.status])}
        </span>
      </div>
      <div class="controls-row">
        <dl class="stats">
          <div>
            <dt>{t("statWatching")}</dt>
            <dd data-testid="viewer-count">{formatCount(room.viewers, lang.value)}</dd>
          </div>
          <div>
            <dt>{t("statHearts")}</dt>
            <dd data-testid="reaction-count">{formatCount(room.reactions, lang.value)}</dd>
          </div>
        </dl>
        {room.status === "scheduled" && (
          <button type="button" class="button button-primary button-big" data-testid="go-live" disabled={busy} onClick={() => onStatus("live")}>
            {t("goLive")}
          </button>
        )}
        {room.status === "live" && (
          <button
            type="button"
            class="button button-danger button-big"
            data-testid="end-show"
            disabled={busy}
            // Ending is final for everyone watching: ask first.
            onClick={() => window.confirm(t("confirmEnd")) && onStatus("ended")}
          >
            {t("endShow")}
          </button>
        )}
      </div>
    </section>
  );
}
