/**
 * A token bucket: `burst` tokens at most, refilled at `perSecond`.
 * `take()` spends one token and returns 0, or returns how many milliseconds
 * until one is available (and spends nothing).
 */
export class TokenBucket {
  #tokens: number;
  #updatedAt: number;

  constructor(
    readonly burst: number,
    readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    this.#tokens = burst;
    this.#updatedAt = now();
  }

  take(): number {
    this.#refill();
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.#tokens) / this.perSecond) * 1000);
  }

  /** Refilled to the brim: no different from a new bucket. */
  isFull(): boolean {
    this.#refill();
    return this.#tokens >= this.burst;
  }

  #refill(): void {
    const now = this.now();
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#updatedAt) / 1000) * this.perSecond);
    this.#updatedAt = now;
  }
}
