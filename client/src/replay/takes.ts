/**
 * Which recordings play at replay time t, laid out as the show was live
 * (stage-player.ts): a shared screen first (the main tile), then the host,
 * then the guests beside. A publisher's source with a take before t and one
 * after it, but none at t, is between a dropped connection and its return:
 * the player shows "Reconnecting…" for it.
 */
import type { Take } from "./timeline.ts";

export type PlayingTake = { take: Take; /** Where in its own recording, ms. */ offsetMs: number };

const rank = (take: Take) => (take.source === "screen" ? 0 : take.role === "host" ? 1 : 2);

export function takesAt(takes: Take[], t: number): { playing: PlayingTake[]; reconnecting: boolean } {
  const playing = takes
    .filter((take) => take.startMs <= t && t < take.startMs + take.durationMs)
    .sort((a, b) => rank(a) - rank(b) || a.startMs - b.startMs)
    .map((take) => ({ take, offsetMs: t - take.startMs }));
  const live = new Set(playing.map(({ take }) => `${take.publisher}/${take.source}`));
  const reconnecting = takes.some(
    (before) =>
      !live.has(`${before.publisher}/${before.source}`) &&
      before.startMs + before.durationMs <= t &&
      takes.some((after) => after.publisher === before.publisher && after.source === before.source && after.startMs > t),
  );
  return { playing, reconnecting };
}
