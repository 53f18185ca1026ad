/**
 * Chat sampling: at a big show the chat scrolls faster than anyone can read,
 * so above `CHAT_SAMPLE_PER_SECOND` (wrangler.toml: 0 = never, else ≥ 1) viewers are
 * shown a fair sample of it. The host and moderators still get every message,
 * and a viewer always gets its own.
 *
 * The decision is taken once per message, when chat.ts commits it, and kept
 * in the event log: a sampled-out message's `chat` event carries
 * `sampledOut: true` (server side only: the client's schema drops unknown
 * keys), so every reader of the log agrees (live fan-out, a reconnect's
 * replay, the event stream, the replay timeline, audience shards): all of
 * them ask `eventFor` (event-log.ts), which gives everyone but the host,
 * moderators and the author the event's number alone (`private`).
 *
 * The sampler, for a rate of r messages a second:
 *
 *  - A token bucket refilled at r per second, holding at most its capacity:
 *    three seconds' worth, so a quiet room's burst (one person's five quick
 *    lines) is shown whole.
 *  - Messages of the host, moderators and guests are always shown; they take
 *    a token when there is one (they are part of what viewers read), never
 *    one that is not there.
 *  - A viewer's message is shown if it may take a token: one token for an
 *    author not shown in the last RECENT_MS (5 s), but one more than a
 *    reserve of r tokens (a second's worth) for an author who was. So the
 *    last tokens go to people not heard from lately: a flood from one viewer
 *    (or a few) can never spend the reserve, and a second viewer is shown as
 *    soon as it was not shown for RECENT_MS. With thousands chatting the
 *    bucket stays nearly empty and each author is shown at most once per
 *    RECENT_MS; with a few, the chatty ones share what the others leave.
 *  - A message that may not take a token is sampled out: nothing is queued
 *    or shown later (decided once; the log never changes).
 *
 * What follows: viewers are shown at most r·t + capacity messages in any t
 * seconds, and a chat of at most r messages in any second (or one message
 * per 1/r seconds) is shown whole, so below the rate nothing changes.
 * test/chat-sampler.test.ts checks these by property. Memory only: an
 * evicted room starts again with a full bucket, as rate limits do
 * (rate-limits.ts).
 */

/** Messages a second shown to viewers when the setting is absent or unreadable. */
export const DEFAULT_SAMPLE_PER_SECOND = 3;
/** How long an author counts as just shown (and needs the reserve and one token more). */
export const RECENT_MS = 5_000;
/** Slack for the float arithmetic of refills (a refill of 0.9999999 token is one). */
const EPSILON = 1e-9;

/**
 * `CHAT_SAMPLE_PER_SECOND` read defensively: 0 (never sample) or a finite number of at least 1, else the default.
 * (Below one message a second a live chat is no longer a conversation, and the fairness above needs a reserve of a token.)
 */
export function sampleRate(raw: unknown): number {
  const rate = typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() !== "" ? Number(raw.trim()) : Number.NaN;
  return rate === 0 || (Number.isFinite(rate) && rate >= 1) ? rate : DEFAULT_SAMPLE_PER_SECOND;
}

export class ChatSampler {
  /** Tokens kept for authors not shown lately: one second's worth. */
  readonly reserve: number;
  /** The bucket's size: three seconds' worth (more than the reserve and one, as r ≥ 1). */
  readonly capacity: number;
  #tokens: number;
  #updatedAt: number;
  /** When each author was last shown, oldest first; only those within RECENT_MS are kept (at most r·RECENT_MS/1000 + capacity). */
  readonly #lastShown = new Map<string, number>();

  constructor(
    readonly perSecond: number,
    now: number,
  ) {
    if (!(perSecond >= 1) || !Number.isFinite(perSecond)) throw new RangeError("a sampler's rate is at least one message a second");
    this.reserve = perSecond;
    this.capacity = 3 * perSecond;
    this.#tokens = this.capacity;
    this.#updatedAt = now;
  }

  /**
   * Decides one message at `now` (the room's clock, never going back): true
   * when viewers are shown it. `privileged`: the host, a moderator or a guest wrote it.
   */
  show(author: string, privileged: boolean, now: number): boolean {
    this.#refill(now);
    if (privileged) {
      if (this.#tokens >= 1 - EPSILON) this.#tokens = Math.max(0, this.#tokens - 1);
      return true;
    }
    // #refill dropped the authors shown longer ago than RECENT_MS.
    const need = this.#lastShown.has(author) ? 1 + this.reserve : 1;
    if (this.#tokens + EPSILON < need) return false;
    this.#tokens = Math.max(0, this.#tokens - 1);
    // Re-inserted, so the map stays ordered by time and the stale entries are at its front.
    this.#lastShown.delete(author);
    this.#lastShown.set(author, now);
    return true;
  }

  #refill(now: number): void {
    const elapsed = Math.max(0, now - this.#updatedAt);
    this.#tokens = Math.min(this.capacity, this.#tokens + (elapsed / 1000) * this.perSecond);
    this.#updatedAt = Math.max(this.#updatedAt, now);
    for (const [author, at] of this.#lastShown) {
      if (now - at < RECENT_MS) break;
      this.#lastShown.delete(author);
    }
  }
}
