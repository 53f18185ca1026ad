/**
 * ApiQuota: one Durable Object per API caller (named `key:<sha256 of the
 * key>`, `session:<sha256 of the session token>` or `ip:<address>`), counting
 * its calls in fixed windows. One object per caller is one place that sees
 * all of that caller's calls, wherever they arrive, so the count is exact and
 * the answer can say how many calls are left and when the window ends
 * (`RateLimit`), which Cloudflare's Rate Limiting binding cannot tell.
 *
 * The counts live in memory only: an object is evicted only after it has been
 * idle for longer than a window, when its counts are over anyway; after a
 * restart or a deploy a caller starts a fresh window, which errs towards
 * letting calls through, never towards refusing them.
 */
import { DurableObject } from "cloudflare:workers";

/** A limit: at most `quota` calls per `windowSeconds`, under `name` (the policy's name in the headers). */
export type Policy = { name: string; quota: number; windowSeconds: number };

/** Where a caller stands under one policy after a call: calls `remaining` in this window, which ends in `resetSeconds`. */
export type PolicyState = Policy & { remaining: number; resetSeconds: number };

export type Taken = { allowed: boolean; states: PolicyState[] };

type Window = { startedAt: number; count: number };

export class ApiQuota extends DurableObject<Env> {
  private readonly windows = new Map<string, Window>();

  /**
   * Counts one call under every policy, or under none when any of them is
   * used up (a refused call costs nothing, so retrying after Retry-After works).
   * Synchronous inside the object, so concurrent calls are counted one by one.
   */
  take(policies: Policy[], now = Date.now()): Taken {
    const current = policies.map((policy) => {
      const known = this.windows.get(policy.name);
      const open = known && now - known.startedAt < policy.windowSeconds * 1000 ? known : { startedAt: now, count: 0 };
      return { policy, window: open };
    });
    const allowed = current.every(({ policy, window }) => window.count < policy.quota);
    if (allowed) {
      for (const { policy, window } of current) {
        window.count += 1;
        this.windows.set(policy.name, window);
      }
    }
    return {
      allowed,
      states: current.map(({ policy, window }) => ({
        ...policy,
        remaining: Math.max(0, policy.quota - window.count),
        resetSeconds: Math.max(1, Math.ceil((window.startedAt + policy.windowSeconds * 1000 - now) / 1000)),
      })),
    };
  }
}
