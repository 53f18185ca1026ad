// The email bindings (wrangler.toml), merged into the Worker's Env (worker/env.d.ts).
declare namespace Cloudflare {
  interface Env {
    /** Cloudflare Email Service; `wrangler dev` simulates it (each email is logged and written under .wrangler/tmp/email/). */
    EMAIL: SendEmail;
    /** The queue every email goes through before it is sent (worker/email/). */
    EMAIL_QUEUE: Queue<import("./send-email.ts").QueuedEmail>;
    /** The From address; defaults to shop-along@ the host of PUBLIC_URL. */
    MAIL_FROM?: string;
  }
}
