/**
 * The numbers' parts, each fetched when first shown: the studio's live
 * panel and end-of-show summary, the console's page of a past show. Their
 * words, charts and tables stay out of the pages' first load.
 */
import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";

function lazy<P extends object>(load: () => Promise<ComponentType<P>>) {
  let loaded: ComponentType<P> | null = null;
  return function LazyNumbers(props: P) {
    const [Part, setPart] = useState(() => loaded);
    useEffect(() => {
      // Offline for a moment: nothing shows, and the next time the part is shown it is fetched again.
      if (!Part) load().then((part) => setPart(() => (loaded = part)), () => undefined);
    }, []);
    return Part ? <Part {...props} /> : null;
  };
}

export const StudioNumbers = lazy(() => import("./StudioNumbers.tsx").then((m) => m.StudioNumbers));
export const ShowSummary = lazy(() => import("./StudioNumbers.tsx").then((m) => m.ShowSummary));
export const ShowNumbers = lazy(() => import("./ShowNumbers.tsx").then((m) => m.ShowNumbers));
