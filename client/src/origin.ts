/// <reference types="vite/client" />
/**
 * Where the API, the room sockets and the photos are. The site's own pages
 * use relative addresses (""), which the build folds away: the viewer page
 * pays nothing for this. The embed (/embed.js, on a brand's page on another
 * origin) reads the origin its own script came from: every chunk of it is
 * served by the Worker, so any chunk's import.meta.url names the Worker.
 */
export const origin: string = import.meta.env.EMBED ? new URL(import.meta.url).origin : "";

/** A site path (/photos/…) as the embed must write it; absolute URLs and the site's own pages keep theirs. */
export const siteUrl = (url: string): string => (import.meta.env.EMBED && url.startsWith("/") ? origin + url : url);
