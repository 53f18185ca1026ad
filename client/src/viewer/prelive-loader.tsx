/**
 * The show's page before it starts (prelive/), fetched only when the room
 * says its show is scheduled: a live show's viewers never download it, and
 * the viewer page's first load stays within its budget. Until it has
 * arrived (or if it cannot), the stage's own "Starting soon" poster shows.
 * Whether an ended show was cancelled is asked the same way, on demand.
 */
import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { PreLivePageProps } from "../prelive/PreLivePage.tsx";

let loaded: ComponentType<PreLivePageProps> | null = null;

/** The pre-live page's component while `wanted` (the show is scheduled), once its chunk is here. */
export function usePreLivePage(wanted: boolean): ComponentType<PreLivePageProps> | null {
  const [page, setPage] = useState(() => loaded);
  useEffect(() => {
    if (!wanted || page) return;
    let current = true;
    import("../prelive/PreLivePage.tsx").then(
      (module) => {
        loaded = module.PreLivePage;
        if (current) setPage(() => module.PreLivePage);
      },
      (error: unknown) => console.warn("The show's page could not be loaded; the stage's poster stays.", error),
    );
    return () => {
      current = false;
    };
  }, [wanted]);
  return wanted ? page : null;
}

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
