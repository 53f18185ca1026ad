/**
 * /embed.js: what a brand pastes into its own page, with one element.
 *
 *   <script type="module" src="https://{origin}/embed.js"></script>
 *   <shop-along-show room="r_…"></shop-along-show>   (or shop="{slug}": live, else next, else the latest replay)
 *   <shop-along-library shop="{slug}"></shop-along-library>
 *
 * This file is all a page downloads until an element scrolls near the
 * viewport: it defines the elements, gives each a shadow root whose size is
 * reserved at once (no layout shift when the player arrives), and imports
 * the player's or the library's chunk when the element is about to be seen.
 * The chunks are addressed relative to this script, so they come from the
 * Worker whatever page runs it.
 */

/** Reserved at once: the player's box (a phone's 9:16, as the show is filmed) and the library's. Overridable from the page. */
const SHOW_FRAME =
  ":host{display:block;position:relative;width:100%;max-width:var(--shop-along-width,420px);aspect-ratio:9/16;min-height:320px;border-radius:var(--shop-along-radius,16px);overflow:hidden;background:#111}:host([hidden]){display:none}";
const LIBRARY_FRAME = ":host{display:block;min-height:var(--shop-along-library-height,420px)}:host([hidden]){display:none}";

/** Calls `then` once, as the element comes within 300 px of the viewport. */
function whenNear(element: Element, then: () => void) {
  const observer = new IntersectionObserver(
    (entries) => {
      if (!entries.some((entry) => entry.isIntersecting)) return;
      observer.disconnect();
      then();
    },
    { rootMargin: "300px" },
  );
  observer.observe(element);
}

function embedElement(frame: string, load: (host: HTMLElement, root: ShadowRoot) => Promise<unknown>) {
  return class extends HTMLElement {
    connectedCallback() {
      if (this.shadowRoot) return;
      const root = this.attachShadow({ mode: "open" });
      root.innerHTML = `<style>${frame}</style>`;
      whenNear(this, () => void load(this, root).catch((error: unknown) => console.warn("shop-along: the player could not load.", error)));
    }
  };
}

if (!customElements.get("shop-along-show")) {
  customElements.define("shop-along-show", embedElement(SHOW_FRAME, (host, root) => import("./show.tsx").then((module) => module.mountShow(host, root))));
  customElements.define("shop-along-library", embedElement(LIBRARY_FRAME, (host, root) => import("./library.tsx").then((module) => module.mountLibrary(host, root))));
}
