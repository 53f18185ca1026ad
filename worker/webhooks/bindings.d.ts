// The webhook bindings (wrangler.toml), merged into the Worker's Env (worker/env.d.ts).
declare namespace Cloudflare {
  interface Env {
    /** The queue every webhook delivery goes through (worker/webhooks/deliver.ts). */
    WEBHOOK_QUEUE: Queue<import("./events.ts").DeliveryMessage>;
    /**
     * "true" only under `npm start`, the e2e stack and the tests: endpoints may then be plain-http
     * localhost / 127.0.0.1 receivers. Never set by `wrangler deploy` (wrangler.toml leaves it out).
     */
    WEBHOOK_ALLOW_LOCAL?: string;
    /** The first retry's delay in seconds (default 30); the tests and the e2e stack shorten it. */
    WEBHOOK_RETRY_BASE_SECONDS?: string;
  }
}
