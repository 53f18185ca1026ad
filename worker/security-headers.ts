/**
 * The security headers of every page, defined once. The Worker adds them to
 * each HTML response it gives (`securityHeaders`, in index.ts); the build
 * writes them into dist/client/_headers (`headersFile`, in
 * client/vite.config.ts) for what Workers Static Assets serve without running
 * the Worker: the landing page, the built pages, their scripts and styles.
 */
import type { MiddlewareHandler } from "hono";

export const SECURITY_HEADERS = {
  // Product images may come from any https host; scripts and sockets only from here. No page may
  // be framed by another site (frame-ancestors, which replaces X-Frame-Options). Inline styles
  // are allowed, as the pages always had them (/api/docs keeps its stylesheet inline); inline
  // scripts are not.
  "Content-Security-Policy":
    "default-src 'self'; img-src 'self' https: data: blob:; media-src 'self' blob:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'self'",
  // Other sites never learn which show, studio or order page a visitor came from.
  "Referrer-Policy": "no-referrer",
  "X-Content-Type-Options": "nosniff",
} as const;

/** Adds the headers to every HTML response of the Worker: its pages, /api/docs, its 404s. */
export const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  if (!/^text\/html\b/i.test(c.res.headers.get("Content-Type") ?? "")) return;
  // A response from the assets binding has immutable headers: set ours on a copy.
  const response = new Response(c.res.body, c.res);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers.set(name, value);
  c.res = response;
};

/**
 * The same headers as a Workers Static Assets `_headers` file, on every path:
 * what the assets serve without the Worker is pages, their scripts and
 * styles, and nosniff belongs on all of them.
 */
export function headersFile(): string {
  const lines = Object.entries(SECURITY_HEADERS).map(([name, value]) => `  ${name}: ${value}`);
  // The embed's script and chunks run on brands' pages: module scripts from another origin need CORS (no credentials).
  const embed = ["/embed.js", "/embed/*"].flatMap((path) => [path, "  Access-Control-Allow-Origin: *"]);
  return ["# Written by `npm run build` from worker/security-headers.ts: change that file, not this one.", "/*", ...lines, ...embed, ""].join("\n");
}
