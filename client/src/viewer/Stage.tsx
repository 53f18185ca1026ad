import { useState } from "preact/hooks";
import type { RoomState } from "../../../durable-objects/protocol.ts";
import { SoundOffIcon } from "../components/icons.tsx";
import { countdown, formatStartTime } from "../format.ts";
import { RemindButton } from "../prelive/RemindButton.tsx";
import { lang, tViewer as t } from "../i18n.ts";
import { useServerNow } from "../server-clock.ts";
import type { PlayerProblem, Tile } from "../video/stage-player.ts";

const problemKeys = { reconnecting: "videoReconnecting", relay: "videoRelayDown", webrtc: "videoNoWebRTC" } as const;

/**
 * The video area: the stage's video tiles (host, guests, a shared screen;
 * side by side on a wide screen, stacked on a phone), or, while no camera is
 * on stage, a poster for the show's state. Video starts muted, so it may play
 * without a tap; one tap turns the sound on.
 */
export function Stage({ room, tiles, problem }: { room: RoomState | null; tiles: Tile[]; problem: PlayerProblem }) {
  const [muted, setMuted] = useState(true);
  const onStage = room?.stage.length;
  const seen = tiles.filter((tile) => !tile.audio);
  return (
    <div class="stage" data-testid="stage" data-state={room?.status}>
      {tiles.map((tile) => tile.audio && <audio key={tile.key} srcObject={tile.stream} autoplay muted={muted} />)}
      {seen.length ? (
        <div class="tiles">
          {/* In the stage's order; a camera turned off keeps its place: who it is, not a black box. */}
          {tiles.map((tile) =>
            tile.off && room ? (
              <div key={tile.key} class="poster tile-off" data-testid="tile-off" data-role={tile.role}>
                <div class="poster-avatar" aria-hidden="true">{tile.role === "host" ? initialOf(room.shopName) : "G"}</div>
                <p class="poster-note">{tile.role === "host" ? room.shopName : t("stageGuest")}</p>
              </div>
            ) : (
              !tile.audio && (
                <video key={tile.key} srcObject={tile.stream} data-role={tile.role} data-source={tile.source} autoplay playsInline muted={muted} />
              )
            ),
          )}
        </div>
      ) : room ? (
        <Poster room={room} />
      ) : (
        <div class="poster poster-loading"><span class="spinner" aria-hidden="true" />{t("loading")}</div>
      )}
      {problem && onStage && (
        <p class="chip stage-problem" data-testid="video-problem" data-problem={problem} role="status">
          {t(problemKeys[problem])}
        </p>
      )}
      {muted && tiles.length > 0 && (
        <button
          type="button"
          class="chip unmute"
          data-testid="unmute"
          onClick={(event) => {
            // Within the tap itself: some browsers allow sound only there.
            for (const media of event.currentTarget.closest(".stage")!.querySelectorAll<HTMLMediaElement>("video,audio")) {
              media.muted = false;
              void media.play().catch(() => {});
            }
            setMuted(false);
          }}
        >
          <SoundOffIcon size={16} />
          {t("tapToUnmute")}
        </button>
      )}
    </div>
  );
}

const initialOf = (name: string) => Array.from(name.trim())[0]?.toUpperCase();

function Poster({ room }: { room: RoomState }) {
  const initial = initialOf(room.shopName);
  if (room.status === "live") {
    return (
      <div class="poster poster-live">
        <div class="poster-avatar poster-avatar-live" aria-hidden="true">{initial}</div>
        <p class="poster-headline">{t("stageLive")}</p>
        {/* Who is live: also while the host's camera is off. */}
        <p class="poster-note">{room.shopName}</p>
      </div>
    );
  }
  if (room.status === "ended") {
    return (
      <div class="poster poster-ended">
        <div class="poster-avatar" aria-hidden="true">{initial}</div>
        <p class="poster-headline">{t("stageEnded")}</p>
        <p class="poster-note">{t("stageEndedNote")}</p>
      </div>
    );
  }
  return (
    <div class="poster poster-scheduled">
      <div class="poster-avatar" aria-hidden="true">{initial}</div>
      <p class="poster-headline">{t("stageScheduled")}</p>
      {room.startsAt && <Countdown startsAt={room.startsAt} />}
      {/* The embed's is in its overlay, which comes at once before a show: its player's first chunk stays small. */}
      {room.startsAt && !import.meta.env.EMBED && <RemindButton roomId={room.id} title={room.title} startsAt={room.startsAt} />}
    </div>
  );
}

function Countdown({ startsAt }: { startsAt: string }) {
  const start = Date.parse(startsAt);
  // The room's clock: a phone whose clock is off must not count down to another time.
  const now = useServerNow();

  if (Number.isNaN(start)) return null;
  const { days, clock } = countdown(start - now);
  return (
    <>
      {start > now && (
        <p class="poster-countdown" role="timer">
          {days > 0 ? t("countdownDays", { days, clock }) : clock}
        </p>
      )}
      <p class="poster-note">{t("stageStartsAt", { time: formatStartTime(startsAt, lang.value) })}</p>
    </>
  );
}
