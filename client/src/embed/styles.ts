/**
 * The embed's styles live in its shadow roots, never in the brand's page:
 * the build turns every `import "./x.css"` of the embed's modules into a
 * call to `addStyles` with the stylesheet's text and file
 * (client/vite.config.ts), so the viewer's own stylesheets serve the embed
 * unchanged. Each shadow root takes the sheets it wants, loaded so far and
 * loaded later (the checkout's, with its chunk): the player and the library
 * have class names in common (.shop-name), so neither takes the other's.
 */
type Sheet = { css: string; file: string };
const sheets: Sheet[] = [];
const roots: Array<{ root: ShadowRoot; wants: (file: string) => boolean }> = [];

function append(root: ShadowRoot, css: string) {
  const style = document.createElement("style");
  style.textContent = css;
  root.append(style);
}

/** A stylesheet for the shadow roots that want it; the page's tokens (:root) become the element's (:host). */
export function addStyles(css: string, file: string): void {
  const sheet = { css: css.replace(/:root\b/g, ":host"), file };
  sheets.push(sheet);
  for (const { root, wants } of roots) if (wants(file)) append(root, sheet.css);
}

/** `wants`: which stylesheets (by file path) this root takes. */
export function styleRoot(root: ShadowRoot, wants: (file: string) => boolean): void {
  roots.push({ root, wants });
  for (const sheet of sheets) if (wants(sheet.file)) append(root, sheet.css);
}

/** The library's sheets (the shop page's); the player takes every other one. */
export const isLibrarySheet = (file: string) => /\/(?:panel|shop|embed-library)\.css$/.test(file);
