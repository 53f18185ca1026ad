/**
 * Who may do what. Keys are bearer secrets: `sk_` (a shop's API key), `hk_`
 * (a room's host key), `gk_` (a room's guest key), `mk_` (a room's moderator
 * key). Only their SHA-256 hashes are stored, in D1 and in the room. A
 * signed-in brand (a session cookie, worker/accounts/sessions.ts) reaches its
 * shops through its memberships, with a role in each (`requireShopAccess`).
 */
import type { Context, MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";
import { findAccount, roleIn, type Role } from "./accounts/accounts.ts";
import { currentSession, hasSessionCookie } from "./accounts/sessions.ts";
import type { AppEnv } from "./app-env.ts";
import { ApiError } from "./errors.ts";
import { sha256Hex } from "./digests.ts";
import { isRehearsal, ROOM_ADDRESS } from "../durable-objects/rehearsal.ts";
import { findRoom, roleForKey, type KnownRoom } from "./room-directory.ts";
import type { Shop } from "./schemas.ts";
import { roomPowerOf, type RoomPower } from "./team/show-hosts.ts";

export const hashKey = sha256Hex;

/** The bearer token of a request, or null when there is none. */
export function bearerKey(c: Context): string | null {
  const header = c.req.header("Authorization");
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1] ?? null;
}

const missingKey = () =>
  new ApiError(401, "unauthorized", "Send the shop's API key as `Authorization: Bearer sk_...`.");

/** `api_keys.last_used_at` is written at most this often per key: using a key does not cost a write per request. */
const KEY_USE_RECORDED_EVERY_MS = 60_000;

/** Looks up the shop a live (not revoked) API key belongs to, and records the key's use; null when no shop has it. */
export async function shopForKey(db: D1Database, key: string): Promise<Shop | null> {
  if (!key.startsWith("sk_")) return null;
  const row = await db
    .prepare(
      `SELECT s.id, s.name, s.currency, k.id AS keyId, k.last_used_at AS lastUsedAt
       FROM api_keys k JOIN shops s ON s.id = k.shop_id WHERE k.key_hash = ? AND k.revoked_at IS NULL`,
    )
    .bind(await hashKey(key))
    .first<Shop & { keyId: string; lastUsedAt: number | null }>();
  if (!row) return null;
  const { keyId, lastUsedAt, ...shop } = row;
  const now = Date.now();
  if (lastUsedAt === null || now - lastUsedAt >= KEY_USE_RECORDED_EVERY_MS) {
    await db.prepare("UPDATE api_keys SET last_used_at = ? WHERE id = ?").bind(now, keyId).run();
  }
  return shop;
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
 * Requires a signed-in account (a live session cookie) and puts it and its
 * session on the context.
 *
 * @example auth.openapi(createRoute({ ..., middleware: [requireSession()] }), handler)
 */
export function requireSession() {
  return createMiddleware<AppEnv>(async function requireSession(c, next) {
    await loadSession(c);
    await next();
  });
}

async function loadSession(c: Context<AppEnv>): Promise<void> {
  const session = await currentSession(c);
  if (!session) {
    throw new ApiError(401, "signed_out", hasSessionCookie(c) ? "Your session has ended (it expired or was signed out). Sign in again." : "Sign in first.");
  }
  const account = await findAccount(c.env.DB, session.accountId);
  if (!account) throw new ApiError(401, "signed_out", "Sign in first.");
  c.set("session", session);
  c.set("account", account);
}

/** How `requireShopAccess` routes (and room routes a key or a session opens) are described in the OpenAPI document: a Bearer key, or a signed-in session. */
export const shopAccessSecurity: { [scheme: string]: string[] }[] = [{ bearer: [] }, { session: [] }];

/**
 * Requires either a live API key of the shop named in the path (`:shopId`)
 * or a session whose account has one of `roles` in that shop; puts the shop
 * (and, for a session, the account) on the context. A Bearer key, when sent,
 * is what counts; otherwise the session cookie.
 *
 * @example shops.openapi(createRoute({ ..., middleware: [requireShopAccess("owner", "manager")] }), handler)
 */
export function requireShopAccess(...roles: [Role, ...Role[]]): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async function requireShopAccess(c, next) {
    const shopId = c.req.param("shopId") ?? "";
    if (bearerKey(c) || !hasSessionCookie(c)) {
      if (!bearerKey(c)) {
        throw new ApiError(401, "unauthorized", "Send the shop's API key as `Authorization: Bearer sk_...`, or sign in to the console.");
      }
      return requireShopKey()(c, next);
    }
    await loadSession(c);
    const role = await roleIn(c.env.DB, c.get("account").id, shopId);
    if (!role || !roles.includes(role)) {
      throw new ApiError(403, "forbidden", role ? `Your role in this shop (${role}) may not do this.` : "Your account is not a member of this shop.");
    }
    const shop = await c.env.DB.prepare("SELECT id, name, currency FROM shops WHERE id = ?").bind(shopId).first<Shop>();
    if (!shop) throw new ApiError(404, "not_found", `Shop ${shopId} does not exist.`);
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
 * Requires the room's host: its host key, the API key of the shop that
 * owns it, or a signed-in team member who runs this show (sessionPower).
 * Guests and viewers may not. Loads the room once, like requireRoom.
 *
 * @example app.openapi(createRoute({ ..., middleware: [requireHost()] }), handler)
 */
export function requireHost() {
  return createMiddleware<AppEnv>(async function requireHost(c, next) {
    const holder = await keyHolder(c, "Send the room's host key (hk_...) or the shop's API key (sk_...) as a Bearer token.");
    if (holder === "guest") throw new ApiError(403, "forbidden", "Guests cannot run the show (pin, status, deals, stage, orders); only the host can.");
    if (holder === "moderator") {
      throw new ApiError(403, "forbidden", "A moderator moderates the chat only; the room's other controls take the host key, the shop's API key or a host's session.");
    }
    c.set("actor", { role: holder, viewerId: null });
    await next();
  });
}

/**
 * Requires someone who may moderate the room's chat: its host key, a
 * moderator key, the shop's API key, or a signed-in team member of its shop
 * who hosts or moderates it; puts who it was on the context
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

/**
 * What the signed-in team member may be in this room (their session cookie,
 * no key): owners and managers host every show of their shop, a host the
 * shows assigned to them, a moderator moderates. 401 signed out, 403 otherwise.
 */
export async function sessionPower(c: Context<AppEnv>, room: KnownRoom): Promise<RoomPower> {
  await loadSession(c);
  const accountId = c.get("account").id;
  const role = await roleIn(c.env.DB, accountId, room.shopId);
  if (!role) throw new ApiError(403, "forbidden", "Your account is not a member of this show's shop.");
  const power = await roomPowerOf(c.env.DB, role, accountId, room.id);
  if (!power) throw new ApiError(403, "forbidden", "This show is not assigned to you; ask the shop's owner or a manager to assign it.");
  return power;
}

/**
 * The room role a signed-in page asks for with `X-Room-Role` (the studio
 * sends host, the moderator page moderator), if its session allows it; null
 * when it asks for none (a page with a key, or a viewer's). Asking is what
 * keeps an owner's viewer page a viewer.
 */
export async function askedRoomRole(c: Context<AppEnv>, room: KnownRoom): Promise<RoomPower | null> {
  const asked = c.req.header("X-Room-Role");
  if (!asked || bearerKey(c)) return null;
  if (asked !== "host" && asked !== "moderator") throw new ApiError(400, "invalid_request", "X-Room-Role: host or moderator");
  const power = await sessionPower(c, room);
  if (asked === "host" && power !== "host") throw new ApiError(403, "forbidden", "Your role in this shop moderates its shows' chat; it does not run the show.");
  return asked;
}

/** Whose Bearer key (or, without one, whose session) this is, for the room in the path (loaded once); 401/403 when it opens nothing here. */
async function keyHolder(c: Context<AppEnv>, missing: string): Promise<"shop" | "host" | "moderator" | "guest"> {
  const room = await loadRoom(c);
  const key = bearerKey(c);
  if (!key && hasSessionCookie(c)) return sessionPower(c, room);
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
  const address = c.req.param("roomId") ?? "";
  // Runs before the path's schema is checked: a malformed id is the caller's mistake, not an unknown room.
  const roomId = address.match(ROOM_ADDRESS)?.[1];
  if (!roomId) throw new ApiError(400, "invalid_request", "roomId: not a room id");
  if (c.get("room")?.id === roomId) return c.get("room");
  const room = await findRoom(c.env.DB, roomId);
  if (!room) throw new ApiError(404, "not_found", `Room ${roomId} does not exist.`);
  // A rehearsal's every door (its page, ticket, socket, orders, stage, moderation) opens for the show's team only.
  const stub = c.env.Room.getByName(address);
  if (isRehearsal(address)) await requireTeam(c, room, stub);
  c.set("room", room);
  c.set("roomStub", stub);
  return room;
}

const notPublicYet = () => new ApiError(403, "not_public_yet", "This show is not public yet: its team is rehearsing it. Its page opens when it goes live.");

/**
 * Who may watch a rehearsal: the show's team. The shop's API key, the
 * room's host, moderator or guest key (a guest rehearses with the host, on
 * the rehearsal's own guest link), or the session of any member of its
 * shop; everyone else (signed out, another shop) is told it is not public
 * yet. What each may do there is the room's to check, as in the show.
 */
async function requireTeam(c: Context<AppEnv>, room: KnownRoom, rehearsal: AppEnv["Variables"]["roomStub"]): Promise<void> {
  const key = bearerKey(c);
  if (key) {
    if (key.startsWith("sk_") && (await shopForKey(c.env.DB, key))?.id === room.shopId) return;
    const hash = await hashKey(key);
    if (hash === room.hostKeyHash || (room.moderatorKeyHash && hash === room.moderatorKeyHash)) return;
    if (key.startsWith("gk_") && (await rehearsal.isGuestKey(hash))) return;
    throw notPublicYet();
  }
  const session = hasSessionCookie(c) ? await currentSession(c) : null;
  if (!session || !(await roleIn(c.env.DB, session.accountId, room.shopId))) throw notPublicYet();
}
