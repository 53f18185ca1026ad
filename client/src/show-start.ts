/**
 * Where a scheduled show stands against its start, on the room's clock
 * (server-clock.ts): the show's page counts down to it, and the studio
 * warns its host as it nears and once it has passed.
 */

/** From this long before the start the studio says, prominently, that the show is due. */
export const DUE_SOON_MS = 10 * 60_000;
/** After this long past the start without the host, viewers read that the host is on the way, not a countdown at zero. */
export const ON_THE_WAY_AFTER_MS = 10 * 60_000;

export type StartPhase = "counting" | "starting" | "late";

export function startPhase(start: number, now: number): StartPhase {
  if (now < start) return "counting";
  return now - start < ON_THE_WAY_AFTER_MS ? "starting" : "late";
}

/** Milliseconds → days, hours, minutes and seconds, never negative. */
export function countdownParts(ms: number): { days: number; hours: number; minutes: number; seconds: number } {
  const total = Math.max(0, Math.floor(ms / 1000));
  return { days: Math.floor(total / 86_400), hours: Math.floor(total / 3600) % 24, minutes: Math.floor(total / 60) % 60, seconds: total % 60 };
}
