/**
 * A sheet the viewer opens with a tap (the product list, the checkout),
 * kept out of the page's script: only a few viewers open it, and the page
 * must stay small for everyone who only watches. Its chunk is fetched on
 * that tap (or as the finger lands, with `prefetch`); meanwhile a sheet with
 * its title says it is on its way. A fetch that fails closes the sheet with
 * a network error, and the next tap tries again.
 */
import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";
import { Sheet } from "../components/Sheet.tsx";
import { errorText } from "../i18n.ts";
import { showToast } from "../toasts.ts";

export function lazySheet<P extends { onClose: () => void }>(
  load: () => Promise<ComponentType<P>>,
  /** The placeholder's title and words, from the sheet's props. */
  placeholder: (props: P) => { title: string; text: string },
) {
  let loading: Promise<ComponentType<P>> | null = null;
  let loaded: ComponentType<P> | null = null;

  function prefetch(): Promise<ComponentType<P>> {
    loading ??= load().then(
      (component) => (loaded = component),
      (error: unknown) => {
        loading = null; // Offline for a moment: the next tap tries again.
        throw error;
      },
    );
    return loading;
  }

  function LazySheet(props: P) {
    const [Loaded, setLoaded] = useState(() => loaded);
    useEffect(() => {
      if (Loaded) return;
      prefetch().then(
        (component) => setLoaded(() => component),
        () => {
          showToast({ text: errorText("network", ""), code: "network", tone: "error" });
          props.onClose();
        },
      );
    }, []);
    if (Loaded) return <Loaded {...props} />;
    const { title, text } = placeholder(props);
    return (
      <Sheet title={title} onClose={props.onClose}>
        <p class="sheet-loading" data-testid="sheet-loading">
          <span class="spinner" aria-hidden="true" />
          {text}
        </p>
      </Sheet>
    );
  }

  return { prefetch, LazySheet };
}
