import { useEffect, useState } from "preact/hooks";
import type { RoomState } from "../../../durable-objects/protocol.ts";
import { countdown, formatStartTime } from "../format.ts";
import { lang, tViewer as t } from "../i18n.ts";

/**
 * The video area. Until video lands it shows a poster for the show's state;
 * the WebRTC player will live inside the same `stage` element.
 */
export function Stage({ room }: { room: RoomState | null }) {
  return (
    <div class="stage" data-testid="stage" data-state={room?.status}>
      {room ? <Poster room={room} /> : <div class="poster poster-loading"><span class="spinner" aria-hidden="true" />{t("loading")}</div>}
    </div>
  );
}

function Poster({ room }: { room: RoomState }) {
  const initial = Array.from(room.shopName.trim())[0]?.toUpperCase() ?? "";
  if (room.status === "live") {
    return (
      <div class="poster poster-live">
        <div class="poster-avatar poster-avatar-live" aria-hidden="true">{initial}</div>
        <p class="poster-headline">{t("stageLive")}</p>
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
    </div>
  );
}

function Countdown({ startsAt }: { startsAt: string }) {
  const start = Date.parse(startsAt);
  const [now, setNow] = useState(Date.now());

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

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
