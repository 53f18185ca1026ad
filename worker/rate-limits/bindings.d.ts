// The API rate limits' binding (wrangler.toml), merged into the Worker's Env (worker/env.d.ts).
declare namespace Cloudflare {
  interface Env {
    /** One counter per API caller (a key's hash, a session's hash, or an IP address): worker/rate-limits/. */
    ApiQuota: DurableObjectNamespace<import("./api-quota.ts").ApiQuota>;
    /** Viewers' socket tickets per address (the Rate Limiting binding): a cheap guard instead of ApiQuota (api-rate-limits.ts). */
    VIEWER_TICKETS: RateLimit;
  }
}
