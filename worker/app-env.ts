import type { Shop } from "./schemas.ts";

/** The typed Hono context of every route: bindings and per-request variables. */
export type AppEnv = {
  Bindings: Env;
  Variables: {
    /** The shop whose API key authenticated this request (set by `requireShopKey`). */
    shop: Shop;
  };
};
