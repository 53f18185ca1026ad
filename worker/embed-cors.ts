/**
 * Cross-origin access for the embed (/embed.js on a brand's page, another
 * origin): exactly the calls a viewer's player makes, and nothing else.
 *
 * - Which: the show's public reads, the socket ticket, the order POST, the
 *   SFU pull calls through the room's proxy, the RSVP ("Remind me"), the
 *   views beacon, and the shop's page for `shop=` and the library. Every
 *   other route (keys, sessions, the studio's controls) answers a browser on
 *   another origin without CORS headers, so that browser cannot read it.
 * - How: `Access-Control-Allow-Origin` echoes the page's origin (with
 *   `Vary: Origin`), never `Allow-Credentials`: the embed sends no cookie.
 *   Its viewer token and its order's token live in the embed's storage on the
 *   brand's page and travel as headers and bodies (x-viewer-token), so
 *   third-party cookies are never needed. The CSRF guard still refuses any
 *   cross-site write that carries the session cookie (accounts/csrf.ts).
 * - Preflights (OPTIONS with Access-Control-Request-Method) of these routes
 *   are answered here with 204, before any route; others fall through to the
 *   app's 404.
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./app-env.ts";

const ROOM = "/api/rooms/[^/]+";

/** Path pattern → the methods the embed uses on it. */
export const EMBED_ROUTES: ReadonlyArray<readonly [RegExp, readonly string[]]> = [
  [new RegExp(`^${ROOM}$`), ["GET"]],
  [new RegExp(`^${ROOM}/tickets$`), ["POST"]],
  [new RegExp(`^${ROOM}/orders$`), ["POST"]],
  [new RegExp(`^${ROOM}/rsvps$`), ["POST"]],
  [new RegExp(`^${ROOM}/views$`), ["POST"]],
  [new RegExp(`^${ROOM}/replay(?:/events)?$`), ["GET"]],
  [new RegExp(`^${ROOM}/replay/takes/[^/]+$`), ["GET"]],
  [new RegExp(`^${ROOM}/calls/ice-servers$`), ["GET"]],
  [new RegExp(`^${ROOM}/calls/sessions/new$`), ["POST"]],
  [new RegExp(`^${ROOM}/calls/sessions/[^/]+/tracks/new$`), ["POST"]],
  [new RegExp(`^${ROOM}/calls/sessions/[^/]+/(?:renegotiate|tracks/close)$`), ["PUT"]],
  [/^\/api\/shops\/by-slug\/[^/]+$/, ["GET"]],
];

/** What the embed sends besides the CORS-safelisted headers; no Authorization: the embed holds no key. */
const ALLOWED_HEADERS = "content-type, idempotency-key, x-viewer-token, x-session-token";
/** Readable by the embed besides the safelisted ones: how long to wait after a 429. */
const EXPOSED_HEADERS = "retry-after";

export function embedMethods(path: string): readonly string[] | null {
  return EMBED_ROUTES.find(([pattern]) => pattern.test(path))?.[1] ?? null;
}

/**
 * Answers the embed's preflights and marks its calls' responses (errors included) readable by the page that made them.
 *
 * @example app.use("/api/*", embedCors())
 */
export function embedCors() {
  return createMiddleware<AppEnv>(async function embedCors(c, next) {
    const origin = c.req.header("Origin");
    const methods = origin ? embedMethods(c.req.path) : null;
    if (!origin || !methods) return next();
    const asked = c.req.header("Access-Control-Request-Method");
    if (c.req.method === "OPTIONS" && asked) {
      const headers = new Headers({ Vary: "Origin" });
      if (methods.includes(asked.toUpperCase())) {
        headers.set("Access-Control-Allow-Origin", origin);
        headers.set("Access-Control-Allow-Methods", methods.join(", "));
        headers.set("Access-Control-Allow-Headers", ALLOWED_HEADERS);
        headers.set("Access-Control-Max-Age", "600");
      }
      return new Response(null, { status: 204, headers });
    }
    await next();
    if (!methods.includes(c.req.method)) return;
    // Responses from the room (a Durable Object) or the assets have immutable headers: set ours on a copy.
    const response = new Response(c.res.body, c.res);
    response.headers.set("Access-Control-Allow-Origin", origin);
    response.headers.set("Access-Control-Expose-Headers", EXPOSED_HEADERS);
    response.headers.append("Vary", "Origin");
    c.res = response;
  });
}
