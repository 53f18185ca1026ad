/**
 * The show's page before it starts (prelive/), fetched only when the room
 * says its show is scheduled: a live show's viewers never download it, and
 * the viewer page's first load stays within its budget. Until it has
 * arrived the stage says the show is loading (so nothing is tapped that is
 * about to go); if it cannot arrive, the stage's own "Starting soon" poster shows.
 * Whether an ended show was cancelled is asked the same way, on demand.
 */
import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { PreLivePageProps } from "../prelive/PreLivePage.tsx";

let loaded: ComponentType<PreLivePageProps> | null = null;

/**
 * The pre-live page's component while `wanted` (a planned show), once its chunk is here; "loading" until then;
 * null when not wanted, or when the chunk could not be fetched (the stage's page then stands in).
 */
export function usePreLivePage(wanted: boolean): ComponentType<PreLivePageProps> | "loading" | null {
  const [page, setPage] = useState<ComponentType<PreLivePageProps> | "loading" | "failed">(() => loaded ?? "loading");
  useEffect(() => {
    if (!wanted || page !== "loading") return;
    let current = true;
    import("../prelive/PreLivePage.tsx").then(
      (module) => {
        loaded = module.PreLivePage;
        if (current) setPage(() => module.PreLivePage);
      },
      (error: unknown) => {
        console.warn("The show's page could not be loaded; the stage's page stands in.", error);
        if (current) setPage("failed");
      },
    );
    return () => {
      current = false;
    };
  }, [wanted]);
  return wanted && page !== "failed" ? page : null;
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
