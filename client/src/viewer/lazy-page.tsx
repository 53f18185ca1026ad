/**
 * A page of the show fetched only when its moment comes (before a planned
 * show: its pre-live page; after the end: its replay), so that a live
 * show's viewers never download it and the viewer page's first load stays
 * within its budget.
 */
import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";

/**
 * A hook giving the page's component while `wanted`, once its chunk is here; "loading" until then; null when not
 * wanted, or when the chunk could not be fetched (the stage's page then stands in).
 */
export function lazyPage<P>(load: () => Promise<ComponentType<P>>) {
  let loaded: ComponentType<P> | null = null;
  return function useLazyPage(wanted: boolean): ComponentType<P> | "loading" | null {
    const [page, setPage] = useState<ComponentType<P> | "loading" | "failed">(() => loaded ?? "loading");
    useEffect(() => {
      if (!wanted || page !== "loading") return;
      // Kept even if no longer wanted by the time it comes: the hook's answer still says null then.
      load().then(
        (component) => setPage(() => (loaded = component)),
        (error: unknown) => {
          console.warn("Not loaded; the stage's page stands in:", error);
          setPage("failed");
        },
      );
    }, [wanted]);
    return wanted && page !== "failed" ? page : null;
  };
}
