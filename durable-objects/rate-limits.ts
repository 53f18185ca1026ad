/**
 * Per-viewer rate limits (and the room's own, for custom events). Buckets are keyed by the viewer's server-issued
 * identity, not by the connection, so reconnecting (or opening ten tabs)
 * does not refill them. Kept in memory on purpose: a full bucket is the same
 * as no bucket, so those are dropped, and eviction only resets the rest.
 */
import { TokenBucket } from "./token-bucket.ts";

export const RATES = {
  /** Any frame at all, valid or not, a burst of 30 then 10 per second: nobody can make the room do unbounded work. */
  frame: { burst: 30, perSecond: 10 },
  /** Chat: a burst of 5, then one message per second. */
  chat: { burst: 5, perSecond: 1 },
  /** Reactions: a burst of 20, then ten per second. */
  react: { burst: 20, perSecond: 10 },
  /** Resync requests, a burst of 3 then one every 2 s: each costs the room a log read and the client a large frame. */
  resync: { burst: 3, perSecond: 0.5 },
  /** Socket tickets per viewer identity (a reconnecting page asks for one each time): a burst of 10, then one every 2 s. */
  ticket: { burst: 10, perSecond: 0.5 },
  /** A developer's custom events, per room (custom-events.ts): each reaches every page of the show. */
  customEvent: { burst: 10, perSecond: 2 },
} as const;
export type RateKind = keyof typeof RATES;

const SWEEP_AT = 10_000;

export class RateLimits {
  #buckets = new Map<string, TokenBucket>();

  /** Spends one token of `kind` for this viewer: 0, or the milliseconds to wait (nothing spent). */
  take(kind: RateKind, viewerId: string): number {
    const key = `${kind}:${viewerId}`;
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      if (this.#buckets.size >= SWEEP_AT) this.#sweep();
      bucket = new TokenBucket(RATES[kind].burst, RATES[kind].perSecond);
      this.#buckets.set(key, bucket);
    }
    return bucket.take();
  }

  #sweep(): void {
    for (const [key, bucket] of this.#buckets) if (bucket.isFull()) this.#buckets.delete(key);
  }
}
