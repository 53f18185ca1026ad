/**
 * Cross-site request forgery: a cookie rides along on any request a browser
 * makes to this site, whichever site's page made it. So a write (any method
 * but GET, HEAD, OPTIONS) that comes with the session cookie must come from
 * this site's own pages: its `Origin` is the request's own origin (or
 * PUBLIC_URL's), or, from a browser that sends no Origin, `Sec-Fetch-Site` is
 * `same-origin`. Anything else is refused with 403, before any handler runs.
 * Requests with an API key and no cookie (servers, scripts) are not affected.
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
    if (SAFE_METHODS.has(c.req.method) || !hasSessionCookie(c)) return next();
    const own = new Set([new URL(c.req.url).origin, ...(c.env.PUBLIC_URL ? [new URL(c.env.PUBLIC_URL).origin] : [])]);
    const origin = c.req.header("Origin");
    const sameSite = origin ? own.has(origin) : c.req.header("Sec-Fetch-Site") === "same-origin";
    if (!sameSite) {
      throw new ApiError(403, "cross_site_request", "This request came from another site (its Origin is not this site's), so the session cookie may not be used for it.");
    }
    await next();
  });
}
