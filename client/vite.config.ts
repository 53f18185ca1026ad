import { rm, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { defineConfig, type EnvironmentOptions } from "vite";
import preact from "@preact/preset-vite";
import { headersFile } from "../worker/security-headers.ts";
import { splitCatalogues } from "./catalogues.ts";

const here = import.meta.dirname;
const outDir = resolve(here, "../dist/client");

/**
 * Ten pages, each built on its own: the landing page (create a
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
    build: {
      outDir,
      emptyOutDir: false,
      copyPublicDir: first,
      // Every browser we support has <link rel="modulepreload">; the polyfill
      // would cost every page bytes.
      modulePreload: { polyfill: false },
      rollupOptions: { input: resolve(here, html) },
    },
  };
}

export default defineConfig({
  root: here,
  plugins: [
    // The viewer page downloads only its visitor's language: the tables of i18n.ts become one file per language.
    splitCatalogues({ environment: "room", files: [resolve(here, "src/i18n.ts")] }),
    preact(),
    // The pages' comments are for whoever reads the source; every visitor would download them (room.html's cost the viewer page 0.08 KB).
    { name: "drop-html-comments", transformIndexHtml: (html) => html.replace(/<!--[\s\S]*?-->\s*/g, "") },
  ],
  environments: Object.fromEntries(Object.entries(pages).map(([name, html], i) => [name, page(html, i === 0)])),
  builder: {
    async buildApp(builder) {
      await rm(outDir, { recursive: true, force: true });
      for (const name of Object.keys(pages)) await builder.build(builder.environments[name]!);
      // Static Assets serve the landing page and the built pages without the Worker: they get
      // the Worker's security headers from this file (worker/security-headers.ts).
      await writeFile(resolve(outDir, "_headers"), headersFile());
    },
  },
});
