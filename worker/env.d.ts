// The Worker's bindings (wrangler.toml). Declared on Cloudflare.Env so that
// partyserver, `cloudflare:workers` and our own code all see the same type.
declare namespace Cloudflare {
  interface Env {
    DB: D1Database;
    Room: DurableObjectNamespace<import("../durable-objects/room.ts").Room>;
    ASSETS: Fetcher;
    /** Absolute origin for share links; empty means the request's origin. */
    PUBLIC_URL: string;
  }
  interface GlobalProps {
    mainModule: typeof import("./index.ts");
    durableNamespaces: "Room";
  }
}
interface Env extends Cloudflare.Env {}
