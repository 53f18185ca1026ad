/**
 * Rate limits on the API, per caller, before anything else runs: a Bearer
 * key (counted under its SHA-256 hash, never the key), else a session
 * cookie (its hash), else the client's address (`CF-Connecting-IP`). Every
 * answer says where the caller stands (`RateLimit-Policy` and `RateLimit`,
 * draft-ietf-httpapi-ratelimit-headers); a call over the limit is refused
 * with 429, `Retry-After` and the shared JSON error, and changes nothing.
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { sessionToken } from "../accounts/sessions.ts";
import type { AppEnv } from "../app-env.ts";
import { bearerKey } from "../auth.ts";
import { sha256Hex } from "../digests.ts";
import type { Policy, PolicyState } from "./api-quota.ts";

/**
 * The limits, per caller and minute. A key (a shop's integration, a host's
 * studio) gets 600 calls: ten a second sustained, hundreds a minute for a
 * catalogue sync or an order export, 120 times Bambuser's 5 per 10 s. Calls
 * without a credential are counted per address, where one address can be a
 * whole office or a carrier's NAT full of viewers: 600 calls, of which 120
 * writes (a viewer page makes about five when it opens: its socket ticket,
 * its video session, a view), so that nobody can create shops, place orders
 * or open sessions by the thousand from one machine.
 */
export const POLICIES = {
  key: { name: "default", quota: 600, windowSeconds: 60 },
  anonymous: { name: "anonymous", quota: 600, windowSeconds: 60 },
  anonymousWrites: { name: "anonymous-writes", quota: 120, windowSeconds: 60 },
} as const satisfies Record<string, Policy>;

/** A key of ours by its shape; anything else in `Authorization` is counted against the sender's address, not as a key of its own. */
const KEY_SHAPE = /^(sk|hk|gk|mk)_[0-9A-Za-z]{32}$/;
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/** Stripe's signed webhook is Stripe's servers telling us about payments, not a client's call: refusing it would only delay a buyer's order. */
export const NOT_COUNTED = new Set(["/api/webhooks/stripe"]);

/**
 * A viewer's socket ticket (no key, no session): a KOL's audience opens the link by the thousand within seconds,
 * many of them behind one carrier NAT, and a ticket costs its room one write. So these are not counted by ApiQuota
 * (one object per address, 120 writes a minute): one address may ask for VIEWER_TICKET_POLICY's worth a minute (the
 * Rate Limiting binding, cheap and per location), and each viewer identity has its own limit in its room.
 */
export const VIEWER_TICKET_POLICY = { name: "viewer-tickets", quota: 600, windowSeconds: 60 } as const satisfies Policy;
const VIEWER_TICKET_PATH = /^\/api\/rooms\/[^/]+\/tickets$/;

/** Which counter a call goes to, and under which policies; null for a call that is not counted. */
async function callerOf(c: Context<AppEnv>): Promise<{ name: string; policies: Policy[] } | { viewerTicketFrom: string } | null> {
  if (NOT_COUNTED.has(c.req.path)) return null;
  const key = bearerKey(c);
  if (key && KEY_SHAPE.test(key)) return { name: `key:${await sha256Hex(key)}`, policies: [POLICIES.key] };
  const session = sessionToken(c);
  if (session) return { name: `session:${await sha256Hex(session)}`, policies: [POLICIES.key] };
  // Cloudflare sets it on every request from the internet (wrangler dev too); a call without it
  // came from inside (a test calling the Worker directly, a service binding) and is not counted.
  const ip = c.req.header("CF-Connecting-IP");
  if (!ip) return null;
  const write = !SAFE_METHODS.has(c.req.method);
  if (c.req.method === "POST" && !key && !c.req.header("X-Room-Role") && VIEWER_TICKET_PATH.test(c.req.path)) return { viewerTicketFrom: ip };
  return { name: `ip:${ip}`, policies: write ? [POLICIES.anonymous, POLICIES.anonymousWrites] : [POLICIES.anonymous] };
}

/**
 * The two headers, one item per policy: `"default";q=600;w=60` and `"default";r=599;t=60`; and, when the time the
 * count took is known, `Server-Timing: quota;dur=0.8` (what the ApiQuota hop adds to a call: bench/rate-limits.ts).
 */
export function rateLimitHeaders(states: PolicyState[], quotaMs?: number): Record<string, string> {
  return {
    "RateLimit-Policy": states.map((s) => `"${s.name}";q=${s.quota};w=${s.windowSeconds}`).join(", "),
    RateLimit: states.map((s) => `"${s.name}";r=${s.remaining};t=${s.resetSeconds}`).join(", "),
    ...(quotaMs === undefined ? {} : { "Server-Timing": `quota;dur=${quotaMs.toFixed(1)};desc="rate limit count"` }),
  };
}

/**
 * Counts each API call against its caller's quota (an ApiQuota object) and refuses it with 429 when the quota is used up.
 *
 * @example api.use(apiRateLimits())
 */
export function apiRateLimits() {
  return createMiddleware<AppEnv>(async function apiRateLimits(c, next) {
    const caller = await callerOf(c);
    if (!caller) return next();
    if ("viewerTicketFrom" in caller) {
      const { success } = await c.env.VIEWER_TICKETS.limit({ key: caller.viewerTicketFrom });
      const policy = { "RateLimit-Policy": `"${VIEWER_TICKET_POLICY.name}";q=${VIEWER_TICKET_POLICY.quota};w=${VIEWER_TICKET_POLICY.windowSeconds}` };
      if (success) return answerWith(c, next, policy);
      const message = `Too many viewers' tickets from this address (at most ${VIEWER_TICKET_POLICY.quota} a minute). Try again in a minute.`;
      return c.json({ error: { code: "rate_limited", message } }, 429, { ...policy, "Retry-After": String(VIEWER_TICKET_POLICY.windowSeconds) });
    }
    // The clock moves across I/O in workerd: this is the wait for the caller's ApiQuota object.
    const asked = performance.now();
    const { allowed, states } = await c.env.ApiQuota.getByName(caller.name).take(caller.policies);
    const headers = rateLimitHeaders(states, performance.now() - asked);
    if (!allowed) {
      const spent = states.filter((s) => s.remaining === 0);
      const retryAfter = Math.max(...spent.map((s) => s.resetSeconds));
      const what = caller.name.startsWith("ip:") ? "from this address" : caller.name.startsWith("key:") ? "with this key" : "from this session";
      const limits = spent.map((s) => `${s.quota} ${s.name === POLICIES.anonymousWrites.name ? "writes" : "calls"} a minute`).join(" and ");
      return c.json(
        { error: { code: "rate_limited", message: `Too many API calls ${what} (at most ${limits}). Try again in ${retryAfter} s.` } },
        429,
        { ...headers, "Retry-After": String(retryAfter) },
      );
    }
    await answerWith(c, next, headers);
  });
}

/** The call's answer, with these headers on it. */
async function answerWith(c: Context<AppEnv>, next: () => Promise<void>, headers: Record<string, string>): Promise<void> {
  await next();
  try {
    for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
  } catch {
    // A response passed through from elsewhere has immutable headers: set ours on a copy.
    const copy = new Response(c.res.body, c.res);
    for (const [name, value] of Object.entries(headers)) copy.headers.set(name, value);
    c.res = copy;
  }
}
