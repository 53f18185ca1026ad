/**
 * Who may do what. Keys are bearer secrets: `sk_` (a shop's API key), `hk_`
 * (a room's host key), `gk_` (a room's guest key), `mk_` (a room's moderator
 * key). Only their SHA-256 hashes are stored, in D1 and in the room.
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./app-env.ts";
import { ApiError } from "./errors.ts";
import { sha256Hex } from "./digests.ts";
import { ROOM_ID } from "./ids.ts";
import { findRoom, roleForKey, type KnownRoom } from "./room-directory.ts";
import type { Shop } from "./schemas.ts";

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
 * Requires the room named in the path (`:roomId`) to exist in D1 and puts it
 * and its Durable Object on the context. An unknown id answers 404 without
 * ever reaching a Room.
 *
 * @example app.openapi(createRoute({ ..., middleware: [requireRoom()] }), handler)
 */
export function requireRoom() {
  return createMiddleware<AppEnv>(async function requireRoom(c, next) {
    await loadRoom(c);
    await next();
  });
}

/**
 * Requires the room's host: its host key, or the API key of the shop that
 * owns it. Guests and viewers may not. Loads the room once, like requireRoom.
 *
 * @example app.openapi(createRoute({ ..., middleware: [requireHost()] }), handler)
 */
export function requireHost() {
  return createMiddleware<AppEnv>(async function requireHost(c, next) {
    const holder = await keyHolder(c, "Send the room's host key (hk_...) or the shop's API key (sk_...) as a Bearer token.");
    if (holder === "guest") throw new ApiError(403, "forbidden", "Guests cannot run the show (pin, status, deals, stage, orders); only the host can.");
    if (holder === "moderator") {
      throw new ApiError(403, "forbidden", "A moderator key moderates the chat only; the room's other controls take the host key or the shop's API key.");
    }
    c.set("actor", { role: holder, viewerId: null });
    await next();
  });
}

/**
 * Requires someone who may moderate the room's chat: its host key, a
 * moderator key, or the shop's API key; puts who it was on the context
 * (`actor`, which the room's log keeps with each decision).
 *
 * @example app.openapi(createRoute({ ..., middleware: [requireModerator()] }), handler)
 */
export function requireModerator() {
  return createMiddleware<AppEnv>(async function requireModerator(c, next) {
    const holder = await keyHolder(c, "Send the room's host key (hk_...), a moderator key (mk_...) or the shop's API key (sk_...) as a Bearer token.");
    if (holder === "guest") throw new ApiError(403, "forbidden", "Guests cannot moderate the chat; the host or a moderator can.");
    c.set("actor", { role: holder, viewerId: null });
    await next();
  });
}

/** Whose Bearer key this is, for the room in the path (loaded once); 401/403 when it opens nothing here. */
async function keyHolder(c: Context<AppEnv>, missing: string): Promise<"shop" | "host" | "moderator" | "guest"> {
  const room = await loadRoom(c);
  const key = bearerKey(c);
  if (!key) throw new ApiError(401, "unauthorized", missing);
  if (key.startsWith("sk_")) {
    const shop = await shopForKey(c.env.DB, key);
    if (!shop) throw new ApiError(401, "unauthorized", "This API key is not valid.");
    if (shop.id !== room.shopId) throw new ApiError(403, "forbidden", "This API key belongs to another shop.");
    return "shop";
  }
  const role = await roleForKey(room, key, c.get("roomStub"));
  if (!role || role === "viewer") throw new ApiError(401, "unauthorized", "This key does not open this room. Use the link you were given.");
  return role;
}

async function loadRoom(c: Context<AppEnv>): Promise<KnownRoom> {
  const roomId = c.req.param("roomId") ?? "";
  // Runs before the path's schema is checked: a malformed id is the caller's mistake, not an unknown room.
  if (!ROOM_ID.test(roomId)) throw new ApiError(400, "invalid_request", "roomId: not a room id");
  if (c.get("room")?.id === roomId) return c.get("room");
  const room = await findRoom(c.env.DB, roomId);
  if (!room) throw new ApiError(404, "not_found", `Room ${roomId} does not exist.`);
  c.set("room", room);
  c.set("roomStub", c.env.Room.getByName(room.id));
  return room;
}
