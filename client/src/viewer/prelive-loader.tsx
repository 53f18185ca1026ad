/**
 * The show's page before it starts (prelive/), fetched only when the room
 * says its show is scheduled: a live show's viewers never download it, and
 * the viewer page's first load stays within its budget. Until it has
 * arrived the stage says the show is loading (so nothing is tapped that is
 * about to go); if it cannot arrive, the stage's own "Starting soon" poster shows.
 * Whether an ended show was cancelled is asked the same way, on demand.
 */
import { useEffect, useState } from "preact/hooks";
import { lazyPage } from "./lazy-page.tsx";

/** The pre-live page while `wanted` (a planned show); see lazyPage. */
export const usePreLivePage = lazyPage(() => import("../prelive/PreLivePage.tsx").then((module) => module.PreLivePage));

/** Whether the shop cancelled this show before it started; asked once the show has ended. */
export function useCancelled(roomId: string, ended: boolean): boolean {
  const [cancelled, setCancelled] = useState(false);
  useEffect(() => {
    if (!ended) return;
    import("../prelive/show-page.ts")
      .then((module) => module.fetchShowPage(roomId))
      .then((page) => setCancelled(page.cancelled), () => {});
  }, [ended, roomId]);
  return cancelled;
}
