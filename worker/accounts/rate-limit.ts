/**
 * Sign-in attempts (passkey verification, email links, recovery codes) are
 * counted per IP and per email in D1, in fixed windows: one upsert per bucket
 * that adds the attempt and returns the count, atomically, since D1 runs
 * every statement on its one primary, in order. That is all a limit of a few
 * attempts a minute needs, without a Durable Object class of its own (a new
 * class, its migration and a stub call for every attempt); the windows' rows
 * are few and the old ones are deleted as new ones come.
 */
import { ApiError } from "../errors.ts";

const WINDOW_MS = 15 * 60_000;

/** Per window: attempts from one IP (all kinds together), and for one email. */
export const LIMITS = { ip: 30, email: 5 } as const;

/** What is counted: sign-in attempts, or requests for an email reminder (their own buckets, same limits). */
const COUNTED = { "sign-in": { prefix: "", what: "sign-in attempts" }, rsvp: { prefix: "rsvp-", what: "reminder requests" } } as const;

/**
 * Counts one attempt in each bucket (`ip:…`, `email:…`) and refuses with 429
 * when any of them is over its limit in this window.
 */
export async function countAttempt(db: D1Database, buckets: { ip: string; email?: string }, kind: keyof typeof COUNTED = "sign-in"): Promise<void> {
  const { prefix, what } = COUNTED[kind];
  const now = Date.now();
  const windowStart = now - (now % WINDOW_MS);
  const keys: { bucket: string; limit: number }[] = [
    { bucket: `${prefix}ip:${buckets.ip}`, limit: LIMITS.ip },
    ...(buckets.email ? [{ bucket: `${prefix}email:${buckets.email.trim().toLowerCase()}`, limit: LIMITS.email }] : []),
  ];
  const counted = await db.batch<{ count: number }>([
    ...keys.map(({ bucket }) =>
      db
        .prepare(
          `INSERT INTO sign_in_attempts (bucket, window_start, count) VALUES (?, ?, 1)
           ON CONFLICT (bucket, window_start) DO UPDATE SET count = count + 1 RETURNING count`,
        )
        .bind(bucket, windowStart),
    ),
    db.prepare("DELETE FROM sign_in_attempts WHERE window_start < ?").bind(windowStart - WINDOW_MS),
  ]);
  const over = keys.some(({ limit }, i) => (counted[i]?.results[0]?.count ?? 0) > limit);
  if (over) {
    const retryAfter = Math.ceil((windowStart + WINDOW_MS - now) / 1000);
    throw new ApiError(429, "rate_limited", `Too many ${what}. Try again in ${Math.ceil(retryAfter / 60)} minutes.`);
  }
}

/** The client's IP as Cloudflare gives it (wrangler dev too); one bucket for requests without it. */
export const clientIp = (request: { header(name: string): string | undefined }) => request.header("CF-Connecting-IP") ?? "unknown";
