import { rm, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { defineConfig, type EnvironmentOptions, type Plugin } from "vite";
import preact from "@preact/preset-vite";
import { headersFile } from "../worker/security-headers.ts";
import { splitCatalogues } from "./catalogues.ts";

const here = import.meta.dirname;
const outDir = resolve(here, "../dist/client");

/**
 * Ten pages, each built on its own (and the embed, below): the landing page (create a
 * shop-along), the viewer page (also the guest page), the host studio,
 * the buyer's order page (/o/{orderId}), the shop's orders board
 * (/orders/{shopId}), the brand's console (/console), the shop's page
 * (/s/{slug}), a show's poster (/console/poster/…), the page that
 * confirms or stops an email reminder (/remind) and the 404 page.
 *
 * Separate builds rather than one build with three inputs, because a shared
 * chunk carries every export any page uses: the viewer page would ship the
 * landing page's and the studio's words too. Built apart, each page gets one
 * script with only what it uses, which keeps the viewer within its budget.
 */
const pages = {
  index: "index.html",
  room: "room.html",
  studio: "studio.html",
  order: "order.html",
  orders: "orders.html",
  console: "console.html",
  shop: "shop.html",
  poster: "poster.html",
  remind: "remind.html",
  "404": "404.html",
} as const;

function page(html: string, first: boolean): EnvironmentOptions {
  return {
    consumer: "client",
    define: { "import.meta.env.EMBED": "false" },
    build: {
      outDir,
      emptyOutDir: false,
      copyPublicDir: first,
      // Every browser we support has <link rel="modulepreload">; the polyfill
      // would cost every page bytes.
      modulePreload: { polyfill: false },
      // The viewer page's chunks, by source: served to an ended show's visitors, the Worker names the replay's in
      // the page's head, so that they load beside the page's own script (worker/replay-preloads.ts).
      manifest: html === "room.html" ? "room-chunks.json" : false,
      rollupOptions: { input: resolve(here, html) },
    },
  };
}

/**
 * The embed, a build of its own: /embed.js, the one stable address a brand
 * pastes into its page, and the chunks it imports under /embed/ (hashed, so
 * they are cached for good). It has no HTML page: it runs on the brand's.
 * A bare `import("./x.js")` resolves against the chunk's own URL, the
 * Worker's, whatever page runs it.
 * Its styles are strings for its shadow roots (`?inline`), never <link>s.
 */
const embed: EnvironmentOptions = {
  consumer: "client",
  define: { "import.meta.env.EMBED": "true" },
  build: {
    outDir,
    emptyOutDir: false,
    copyPublicDir: false,
    // Library mode: no preload helper at all (it would write <link>s with site paths into the brand's page).
    lib: { entry: resolve(here, "src/embed/embed.ts"), formats: ["es"], fileName: () => "embed.js" },
    sourcemap: !!process.env.EMBED_SOURCEMAP,
    rollupOptions: {
      // embed.js exports nothing (it defines elements), which lets the chunking below leave shared code out of a group.
      preserveEntrySignatures: false,
      // The "Remind me" button's module does nothing when loaded: the player, which never shows it, need not load it.
      treeshake: { moduleSideEffects: (id: string) => !overlayOnly.includes(id) },
      // Library mode leaves whitespace for downstream bundlers; this is the file browsers run.
      output: {
        minify: true,
        chunkFileNames: "embed/[name]-[hash].js",
        assetFileNames: "embed/[name]-[hash][extname]",
        // What the player needs before it plays, in one file (one gzip, one request); the rest stays on demand.
        codeSplitting: {
          groups: [
            {
              name: (id, context) => (playerModules((other) => context.getModuleInfo(other)).has(id) ? "player" : null),
              // Only those: a module the stage imports but the embed shows only later (overlayOnly) stays out.
              includeDependenciesRecursively: false,
            },
          ],
        },
      },
    },
  },
};

/**
 * The embed player's chunk and everything it imports statically (not what it
 * imports on demand), except what the stage imports but the embed shows only
 * in its overlay (the "Remind me" button, with its sheet's loader).
 */
const overlayOnly = [resolve(here, "src/prelive/RemindButton.tsx")];
let player: Set<string> | null = null;
function playerModules(getModuleInfo: (id: string) => { importedIds: readonly string[] } | null): Set<string> {
  if (player) return player;
  const found = new Set<string>();
  const visit = (id: string) => {
    if (found.has(id) || overlayOnly.includes(id)) return;
    found.add(id);
    for (const next of getModuleInfo(id)?.importedIds ?? []) visit(next);
  };
  visit(resolve(here, "src/embed/show.tsx"));
  return (player = found);
}

/** The pages' HTML comments are for their source: no visitor downloads them (the viewer page has a budget). */
function withoutHtmlComments(): Plugin {
  return {
    name: "shop-along:without-html-comments",
    transformIndexHtml: { order: "post", handler: (html) => html.replace(/\s*<!--[\s\S]*?-->/g, "") },
  };
}

/** In the embed's build, `import "./x.css"` hands the sheet's text to its shadow roots (src/embed/styles.ts). */
function stylesIntoShadowRoots(): Plugin {
  const prefix = "\0shadow-css:";
  return {
    name: "shop-along:styles-into-shadow-roots",
    enforce: "pre",
    applyToEnvironment: (env) => env.name === "embed",
    async resolveId(source, importer) {
      if (!/\.css$/.test(source) || !importer || importer.startsWith(prefix)) return null;
      const resolved = await this.resolve(source, importer, { skipSelf: true });
      // Not ending in .css, or Vite's CSS plugins would take this module for a stylesheet.
      return resolved && `${prefix}${resolved.id}.js`;
    },
    load(id) {
      if (!id.startsWith(prefix)) return null;
      const file = id.slice(prefix.length, -".js".length);
      return `import css from ${JSON.stringify(file + "?inline")};\nimport { addStyles } from ${JSON.stringify(resolve(here, "src/embed/styles.ts"))};\naddStyles(css, ${JSON.stringify(file.slice(here.length))});\n`;
    },
  };
}

export default defineConfig({
  root: here,
  plugins: [
    withoutHtmlComments(),
    stylesIntoShadowRoots(),
    // The viewer page downloads only its visitor's language: the tables of i18n.ts become one file per language.
    splitCatalogues({ environment: "room", files: [resolve(here, "src/i18n.ts")] }),
    // So does the embed's player: its words come as /embed/catalogue-<lang>.json, next to its chunks.
    splitCatalogues({ environment: "embed", files: [resolve(here, "src/i18n.ts"), resolve(here, "src/embed/i18n-embed.ts")], fileName: "embed/catalogue-[lang].json" }),
    preact(),
  ],
  environments: { ...Object.fromEntries(Object.entries(pages).map(([name, html], i) => [name, page(html, i === 0)])), embed },
  builder: {
    async buildApp(builder) {
      await rm(outDir, { recursive: true, force: true });
      for (const name of [...Object.keys(pages), "embed"]) await builder.build(builder.environments[name]!);
      // Static Assets serve the landing page and the built pages without the Worker: they get
      // the Worker's security headers from this file (worker/security-headers.ts).
      await writeFile(resolve(outDir, "_headers"), headersFile());
    },
  },
});
