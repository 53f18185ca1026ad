/**
 * Going live on time: from ten minutes before a scheduled show's start the
 * studio says so prominently, with the countdown on the room's clock (not
 * this laptop's), and after the start how late the host is.
 */
import type { RoomState } from "../../../durable-objects/protocol.ts";
import { countdown, formatClock } from "../format.ts";
import { lang, tStudio as t } from "../i18n.ts";
import { useServerNow } from "../server-clock.ts";
import { DUE_SOON_MS } from "../show-start.ts";

export function StartBanner({ room }: { room: RoomState }) {
  const now = useServerNow();
  const start = room.startsAt ? Date.parse(room.startsAt) : NaN;
  if (room.status !== "scheduled" || Number.isNaN(start) || now < start - DUE_SOON_MS) return null;
  const late = now >= start;
  const minutes = Math.floor((now - start) / 60_000);
  return (
    <section class={late ? "start-banner start-banner-late" : "start-banner"} data-testid="start-banner" data-phase={late ? "late" : "soon"} role="status">
      <p class="start-banner-title">
        {late ? (minutes > 0 ? t(minutes === 1 ? "lateByOne" : "lateBy", { minutes }) : t("startsNow")) : t("dueSoon")}
      </p>
      {!late && (
        <p class="start-banner-clock" role="timer" data-testid="start-banner-countdown" data-remaining-ms={start - now}>
          {countdown(start - now).clock.replace(/^00:/, "")}
        </p>
      )}
      <p class="start-banner-note">{t(late ? "lateNote" : "dueSoonNote", { time: formatClock(start, lang.value) })}</p>
    </section>
  );
}
