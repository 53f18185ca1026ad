// The API rate limits' binding (wrangler.toml), merged into the Worker's Env (worker/env.d.ts).
declare namespace Cloudflare {
  interface Env {
    /** One counter per API caller (a key's hash, a session's hash, or an IP address): worker/rate-limits/. */
    ApiQuota: DurableObjectNamespace<import("./api-quota.ts").ApiQuota>;
  }
}
