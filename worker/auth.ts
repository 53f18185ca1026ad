/**
 * Who may do what. Keys are bearer secrets: `sk_` (a shop's API key), `hk_`
 * (a room's host key), `gk_` (a room's guest key). Only their SHA-256 hashes
 * are stored, in D1 and in the room.
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./app-env.ts";
import { ApiError } from "./errors.ts";
import type { Shop } from "./schemas.ts";
import { sha256Hex } from "../durable-objects/random.ts";

export const hashKey = sha256Hex;

/** The bearer token of a request, or null when there is none. */
export function bearerKey(c: Context): string | null {
  const header = c.req.header("Authorization");
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1] ?? null;
}

const missingKey = () =>
  new ApiError(401, "unauthorized", "Send the shop's API key as `Authorization: Bearer sk_...`.");

/** Looks up the shop an API key belongs to; null when no shop has it. */
export async function shopForKey(db: D1Database, key: string): Promise<Shop | null> {
  if (!key.startsWith("sk_")) return null;
  return db
    .prepare("SELECT id, name, currency FROM shops WHERE api_key_hash = ?")
    .bind(await hashKey(key))
    .first<Shop>();
}

/**
 * Requires the API key of the shop named in the path (`:shopId`) and puts
 * that shop on the context.
 *
 * @example app.openapi(createRoute({ ..., middleware: [requireShopKey()] }), handler)
 */
export function requireShopKey() {
  return createMiddleware<AppEnv>(async function requireShopKey(c, next) {
    const key = bearerKey(c);
    if (!key) throw missingKey();
    const shop = await shopForKey(c.env.DB, key);
    if (!shop) throw new ApiError(401, "unauthorized", "This API key is not valid. Check for a typo, or create a new shop to get a key.");
    if (shop.id !== c.req.param("shopId")) {
      throw new ApiError(403, "forbidden", "This API key belongs to another shop.");
    }
    c.set("shop", shop);
    await next();
  });
}

/**
 * Checks that the request may act as the host of a room: the room's host key,
 * or the API key of the shop that owns it. Guests and viewers may not.
 */
export async function assertHost(c: Context<AppEnv>, room: { id: string; shopId: string }): Promise<void> {
  const key = bearerKey(c);
  if (!key) throw new ApiError(401, "unauthorized", "Send the room's host key (hk_...) or the shop's API key (sk_...) as a Bearer token.");
  if (key.startsWith("sk_")) {
    const shop = await shopForKey(c.env.DB, key);
    if (!shop) throw new ApiError(401, "unauthorized", "This API key is not valid.");
    if (shop.id !== room.shopId) throw new ApiError(403, "forbidden", "This API key belongs to another shop.");
    return;
  }
  const { role } = await c.env.Room.getByName(room.id).roleFor(await hashKey(key));
  if (role === "host") return;
  if (role === "guest") throw new ApiError(403, "forbidden", "Guests cannot pin products or change the show's status; only the host can.");
  throw new ApiError(401, "unauthorized", "This key does not open this room. Use the host link you were given.");
}
