import { useEffect, useRef, useState } from "preact/hooks";
import { siteUrl } from "../origin.ts";
import type { RoomState } from "../../../durable-objects/protocol.ts";
import { SoundOffIcon } from "../components/icons.tsx";
import { tViewer } from "../i18n.ts";
import { tReplay as t } from "../i18n-replay.ts";
import { takesAt } from "./takes.ts";
import type { Take } from "./timeline.ts";

type ReplayStageProps = {
  room: RoomState;
  takes: Take[];
  /** Replay time, ms from going live. */
  t: number;
  playing: boolean;
  /** The show's cover (or the replay's thumbnail): the picture when nothing was recorded at t. */
  cover: string | null;
  /** Seconds a recording may drift from the clock before it is moved. */
  driftS: number;
};

/**
 * The recordings playing at t, laid out as the stage was live (the screen
 * share main, the host big, guests beside: the live stage's .tiles), each
 * kept on the replay clock; "Reconnecting…" in a publisher's gap between two
 * takes; the cover, with the show re-running over it, when none plays.
 */
export function ReplayStage({ room, takes, t: at, playing, cover, driftS }: ReplayStageProps) {
  const [muted, setMuted] = useState(true);
  const { playing: tiles, reconnecting } = takesAt(takes, at);
  const stage = useRef<HTMLDivElement>(null);

  useEffect(() => {
    for (const { take, offsetMs } of tiles) {
      const video = stage.current?.querySelector<HTMLVideoElement>(`video[data-take="${take.id}"]`);
      if (!video) continue;
      const wanted = offsetMs / 1000;
      if (Math.abs(video.currentTime - wanted) > driftS) video.currentTime = wanted;
      if (playing && video.paused) void video.play().catch(() => {});
      if (!playing && !video.paused) video.pause();
    }
  });

  const initial = Array.from(room.shopName.trim())[0]?.toUpperCase();
  return (
    <div class="stage" data-testid="stage" data-state="replay" ref={stage}>
      {tiles.length > 0 ? (
        <div class="tiles">
          {tiles.map(({ take }) => (
            <video
              key={take.id}
              data-take={take.id}
              data-role={take.role}
              data-source={take.source}
              data-testid="replay-video"
              src={siteUrl(take.url)}
              preload="auto"
              playsInline
              muted={muted}
            />
          ))}
        </div>
      ) : (
        <div class="poster replay-cover" data-testid="replay-cover" style={cover ? { backgroundImage: `url("${siteUrl(cover).replace(/"/g, "%22")}")` } : undefined}>
          {!cover && (
            <>
              <div class="poster-avatar" aria-hidden="true">{initial}</div>
              <p class="poster-note">{room.shopName}</p>
            </>
          )}
        </div>
      )}
      {reconnecting && (
        <p class="chip stage-problem" data-testid="replay-reconnecting" role="status">
          {t("reconnecting")}
        </p>
      )}
      {muted && tiles.length > 0 && (
        <button type="button" class="chip unmute" data-testid="unmute" onClick={() => setMuted(false)}>
          <SoundOffIcon size={16} />
          {tViewer("tapToUnmute")}
        </button>
      )}
    </div>
  );
}
