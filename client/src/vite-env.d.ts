/// <reference types="vite/client" />
// Vite handles imports of .css files (and other assets) for the pages.

interface ImportMetaEnv {
  /** True in the embed's build (/embed.js on a brand's page), false in the site's own pages: client/vite.config.ts. */
  readonly EMBED: boolean;
}
