// The Worker's bindings (wrangler.toml). Declared on Cloudflare.Env so that
// partyserver, `cloudflare:workers` and our own code all see the same type.
declare namespace Cloudflare {
  interface Env {
    DB: D1Database;
    Room: DurableObjectNamespace<import("../durable-objects/room.ts").Room>;
    /** A big show's viewer sockets (durable-objects/audience-shard.ts). */
    AudienceShard: DurableObjectNamespace<import("../durable-objects/audience-shard.ts").AudienceShard>;
    /** Viewers a Room holds itself before new ones go to audience shards, and sockets per shard (shards.ts). */
    AUDIENCE_SHARD_FROM?: string;
    AUDIENCE_SHARD_SIZE?: string;
    ASSETS: Fetcher;
    /** Product photos (R2), served at /photos/{key}. */
    PHOTOS: R2Bucket;
    /** Absolute origin for share links; empty means the request's origin. */
    PUBLIC_URL: string;
    /** Stripe: both set switches checkout from the offline provider to Stripe Checkout. */
    STRIPE_SECRET_KEY?: string;
    STRIPE_WEBHOOK_SECRET?: string;
    /** Only for tests against recorded Stripe responses; defaults to https://api.stripe.com. */
    STRIPE_API_BASE?: string;
    /** Cloudflare Calls (Realtime SFU); `npm start` points these at the local SFU. */
    CALLS_APP_ID?: string;
    CALLS_APP_SECRET?: string;
    CALLS_API_BASE?: string;
    /** Cloudflare TURN: when both are set, browsers get TURN credentials. */
    TURN_KEY_ID?: string;
    TURN_KEY_API_TOKEN?: string;
    /** Chat messages a second viewers are shown at most (≥ 1), above which they see a fair sample (durable-objects/chat-sampling.ts); "0": never sample. */
    CHAT_SAMPLE_PER_SECOND?: string;
  }
  interface GlobalProps {
    mainModule: typeof import("./index.ts");
    durableNamespaces: "Room" | "ApiQuota" | "AudienceShard";
  }
}
interface Env extends Cloudflare.Env {}
