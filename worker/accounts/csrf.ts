/**
 * Cross-site request forgery: a cookie rides along on any request a browser
 * makes to this site, whichever site's page made it. So a write (any method
 * but GET, HEAD, OPTIONS) that comes with the session cookie must come from
 * this site's own pages: its `Origin` is the request's own origin (or
 * PUBLIC_URL's), or, from a browser that sends no Origin, `Sec-Fetch-Site` is
 * `same-origin`. Anything else is refused with 403, before any handler runs.
 * The sign-in routes (/api/auth/…) also refuse a browser's write from
 * another site without a cookie, so no site can sign a visitor in to an
 * account of its choosing. Requests with an API key and no cookie (servers,
 * scripts, which send no Origin) are not affected.
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env.ts";
import { ApiError } from "../errors.ts";
import { hasSessionCookie } from "./sessions.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Refuses cookie-authenticated writes from other sites.
 *
 * @example api.use(refuseCrossSiteWrites())
 */
export function refuseCrossSiteWrites() {
  return createMiddleware<AppEnv>(async function refuseCrossSiteWrites(c, next) {
    if (SAFE_METHODS.has(c.req.method)) return next();
    const withCookie = hasSessionCookie(c);
    if (!withCookie && !new URL(c.req.url).pathname.startsWith("/api/auth/")) return next();
    const own = new Set([new URL(c.req.url).origin, ...(c.env.PUBLIC_URL ? [new URL(c.env.PUBLIC_URL).origin] : [])]);
    const origin = c.req.header("Origin");
    const site = c.req.header("Sec-Fetch-Site");
    // With the cookie, the request must prove it is ours; without, it must not be a browser's from elsewhere.
    const sameSite = origin ? own.has(origin) : site ? site === "same-origin" : !withCookie;
    if (!sameSite) {
      throw new ApiError(403, "cross_site_request", "This request came from another site (its Origin is not this site's): signing in and the session cookie work only from this site's own pages.");
    }
    await next();
  });
}
