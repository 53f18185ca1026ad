/** A room's public state, socket tickets, and the host's controls (pin, status). */
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { randomBase62 } from "../../durable-objects/random-ids.ts";
import type { AppEnv } from "../app-env.ts";
import { askedRoomRole, bearerKey, requireHost, requireRoom, sessionPower, shopAccessSecurity } from "../auth.ts";
import { hasSessionCookie } from "../accounts/sessions.ts";
import { callsConfig, callsFetch } from "../calls/calls-api.ts";
import { sha256Hex } from "../digests.ts";
import { ApiError, notFound } from "../errors.ts";
import { errorResponses, jsonBody, jsonContent } from "../openapi.ts";
import { photoUrlOf } from "../media/served-file.ts";
import { rehearsalOf } from "../../durable-objects/rehearsal.ts";
import { roomLinks } from "../links.ts";
import { unwrap } from "../refusals.ts";
import { recordModeratorKey, roleForKey } from "../room-directory.ts";
import { keySource, roomKeys } from "../room-keys.ts";
import { PinBody, RoleBody, RoomPage, RoomRoleHeader, RoomBody, RoomLinksBody, RoomAddressParams, RoomParams, StatusBody, TicketBody, ViewerTokenHeader } from "../schemas.ts";
import { validationHook } from "../validation.ts";
import { viewerIdentity } from "../viewer-identity.ts";

export const rooms = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

rooms.openapi(
  createRoute({
    method: "get",
    path: "/{roomId}",
    tags: ["Rooms"],
    summary: "Get a room's live state and its page",
    description:
      "Status, title, start, pinned product, viewers and units left per product, straight from the room; " +
      "and what the show's page says about it: description, cover image, trailer, whether it was cancelled, and its hosts (name and photo).",
    middleware: [requireRoom()] as const,
    request: { params: RoomAddressParams },
    responses: { 200: jsonContent(RoomPage, "The room"), ...errorResponses(400, 404) },
  }),
  async (c) => {
    const [state, page] = await Promise.all([c.get("roomStub").getState(), showPage(c.env.DB, c.get("room").id)]);
    if (!state) throw notFound(`Room ${c.get("room").id}`);
    // The room's title, start and status are the live ones (D1 keeps a copy): they go last.
    return c.json({ room: { ...page, ...state } }, 200);
  },
);

/** What the show's page says about it, from D1: only what anyone may see (hosts by name and photo, never an email or account id). */
async function showPage(db: D1Database, roomId: string) {
  const [details, hosts] = await db.batch([
    db.prepare(
      `SELECT description, cover_image_url AS coverImageUrl, ${photoUrlOf("trailer_r2_key")} AS trailerUrl, cancelled_at IS NOT NULL AS cancelled FROM rooms WHERE id = ?`,
    ).bind(roomId),
    db.prepare(
      `SELECT a.display_name AS name, ${photoUrlOf("a.photo_r2_key")} AS photoUrl FROM show_hosts h JOIN accounts a ON a.id = h.account_id
       WHERE h.room_id = ? ORDER BY h.assigned_at, a.id`,
    ).bind(roomId),
  ]);
  const row = details!.results[0] as { description: string | null; coverImageUrl: string | null; trailerUrl: string | null; cancelled: number } | undefined;
  return {
    description: row?.description ?? null,
    coverImageUrl: row?.coverImageUrl ?? null,
    trailerUrl: row?.trailerUrl ?? null,
    cancelled: Boolean(row?.cancelled),
    hosts: hosts!.results as { name: string; photoUrl: string | null }[],
  };
}

rooms.openapi(
  createRoute({
    method: "post",
    path: "/{roomId}/tickets",
    tags: ["Rooms"],
    summary: "A ticket for the room's socket",
    description:
      "Trades a room key (host, guest or moderator key as Bearer; none for viewers), or a signed-in team member's session with `X-Room-Role: host | moderator`, for a ticket that opens one WebSocket " +
      "(`/parties/room/{roomId}?ticket=…`), once, within 30 seconds, so keys never travel in a URL. " +
      "Send the `X-Viewer-Token` from an earlier answer to keep the same identity (rate limits follow it); without one, a new identity is issued. " +
      "A viewer may skip the ticket: a socket offering the subprotocol `shop-along.viewer` (then its viewer token, if it has one) is a viewer's, " +
      "and a new viewer's token comes in its first frame (`you.token`).",
    middleware: [requireRoom()] as const,
    request: { params: RoomAddressParams, headers: ViewerTokenHeader.extend(RoomRoleHeader.shape) },
    responses: { 201: jsonContent(TicketBody, "The ticket, and the viewer identity to keep"), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const role = (await askedRoomRole(c, c.get("room"))) ?? (await roleForKey(c.get("room"), bearerKey(c), c.get("roomStub")));
    if (!role) throw new ApiError(401, "unauthorized", "This key does not open this room. Check that you copied the whole link.");
    const viewer = await viewerIdentity(c.env.DB, c.req.valid("header")["x-viewer-token"]);
    const ticket = `tk_${randomBase62(32)}`;
    const { expiresAt } = unwrap(await c.get("roomStub").issueTicket(await sha256Hex(ticket), { role, viewerId: viewer.id }));
    c.header("Cache-Control", "no-store");
    return c.json({ ticket, expiresAt, role, viewer }, 201);
  },
);

rooms.openapi(
  createRoute({
    method: "get",
    path: "/{roomId}/role",
    tags: ["Rooms"],
    summary: "Check a key against a room",
    description: "Answers which role the Bearer key (host, guest or moderator key), or the session asking with `X-Room-Role`, gives in this room; without either, `viewer`.",
    middleware: [requireRoom()] as const,
    request: { params: RoomAddressParams, headers: RoomRoleHeader },
    responses: { 200: jsonContent(RoleBody, "The role"), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const role = (await askedRoomRole(c, c.get("room"))) ?? (await roleForKey(c.get("room"), bearerKey(c), c.get("roomStub")));
    if (!role) throw new ApiError(401, "unauthorized", "This key does not open this room. Check that you copied the whole link.");
    return c.json({ role }, 200);
  },
);

rooms.openapi(
  createRoute({
    method: "get",
    path: "/{roomId}/links",
    tags: ["Rooms"],
    summary: "The room's links again (host)",
    description:
      "With the host key, or the session of a team member who hosts the show: the viewer, host, guest and moderator links, so the studio can " +
      "invite a guest or a moderator at any time. For a session, the host link carries no key (it opens with the session).",
    security: shopAccessSecurity,
    middleware: [requireRoom()] as const,
    request: { params: RoomAddressParams },
    responses: { 200: jsonContent(RoomLinksBody, "The links"), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    // A rehearsal's links are its show's keys, on the rehearsal's address.
    const { roomId: address } = c.req.valid("param");
    const roomId = c.get("room").id;
    const hostKey = await linksHolder(c);
    const source = await keySource(c.env.DB, roomId);
    const keys = await roomKeys(c.env.DB, roomId, source, hostKey);
    // Rooms made before guest keys were derived from host keys have a random one: no guest link to give.
    if (!source.keysByServer && !(await c.get("roomStub").isGuestKey(await sha256Hex(keys.guest)))) {
      throw new ApiError(404, "not_found", "This room's guest link was shown when it was created and cannot be rebuilt.");
    }
    // A room from before moderator keys gets its key now: it follows from the host key, as the guest key does.
    if (!c.get("room").moderatorKeyHash) await recordModeratorKey(c.env.DB, c.get("room"), await sha256Hex(keys.moderator));
    return c.json({ links: roomLinks(c.env.PUBLIC_URL || new URL(c.req.url).origin, address, { host: hostKey, ...keys }) }, 200);
  },
);

rooms.openapi(
  createRoute({
    method: "post",
    path: "/{roomId}/guest-link",
    tags: ["Rooms"],
    summary: "Replace the guest link (host)",
    description:
      "With the host key, or the session of a team member who hosts the show: a new guest link; the old one stops working at once " +
      "(its guests leave the stage and their sockets close), and guests the host removed from the stage may be invited again with the new one.",
    security: shopAccessSecurity,
    middleware: [requireRoom()] as const,
    request: { params: RoomAddressParams },
    responses: { 200: jsonContent(RoomLinksBody, "The links, with the new guest link"), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const { roomId: address } = c.req.valid("param");
    const roomId = c.get("room").id;
    const hostKey = await linksHolder(c);
    const source = await keySource(c.env.DB, roomId);
    const version = source.guestKeyVersion + 1;
    const keys = await roomKeys(c.env.DB, roomId, source, hostKey, version);
    const guestKeyHash = await sha256Hex(keys.guest);
    // D1 first: it is where the links are rebuilt from; the room then stops taking the old key.
    await c.env.DB.prepare("UPDATE rooms SET guest_key_hash = ?, guest_key_version = ? WHERE id = ?").bind(guestKeyHash, version, roomId).run();
    const show = unwrap(await c.env.Room.getByName(roomId).replaceGuestKey(guestKeyHash));
    // The show and its rehearsal take the same guest key: replaced from either studio, it changes in both (a show
    // with no rehearsal running answers that it has none: nothing to replace there).
    const rehearsal = await c.env.Room.getByName(rehearsalOf(roomId)).replaceGuestKey(guestKeyHash);
    const closed = [...show, ...(Array.isArray(rehearsal) ? rehearsal : [])];
    const calls = callsConfig(c.env);
    if (calls) {
      await Promise.all(
        closed.map(({ sessionId, mids }) =>
          callsFetch(calls, "PUT", `/sessions/${sessionId}/tracks/close`, { tracks: mids.map((mid) => ({ mid })), force: true }),
        ),
      );
    }
    return c.json({ links: roomLinks(c.env.PUBLIC_URL || new URL(c.req.url).origin, address, { host: hostKey, ...keys }) }, 200);
  },
);

/**
 * Who may have the room's links: the holder of its host key (the shop's API
 * key cannot stand in: the host link carries the host key), or a signed-in
 * team member who hosts this show. The host key, or null for a session.
 */
async function linksHolder(c: Context<AppEnv>): Promise<string | null> {
  const key = bearerKey(c);
  if (!key && hasSessionCookie(c)) {
    if ((await sessionPower(c, c.get("room"))) !== "host") throw new ApiError(403, "forbidden", "A moderator cannot give out the show's links; its hosts can.");
    return null;
  }
  const role = await roleForKey(c.get("room"), key, c.get("roomStub"));
  if (!key || role !== "host") throw new ApiError(key ? 403 : 401, key ? "forbidden" : "unauthorized", "Only the host key, or a host's session, opens the room's links.");
  return key;
}

rooms.openapi(
  createRoute({
    method: "post",
    path: "/{roomId}/pin",
    tags: ["Rooms"],
    summary: "Pin a product (or unpin with null)",
    description: "Every connected viewer sees the pinned product within a second. Host key or the shop's API key.",
    security: [{ bearer: [] }],
    middleware: [requireHost()] as const,
    request: { params: RoomAddressParams, body: jsonBody(PinBody) },
    responses: { 200: jsonContent(RoomBody, "The room after the change"), ...errorResponses(400, 401, 403, 404, 413) },
  }),
  async (c) => {
    const { productId } = c.req.valid("json");
    return c.json({ room: unwrap(await c.get("roomStub").pin(productId)) }, 200);
  },
);

rooms.openapi(
  createRoute({
    method: "post",
    path: "/{roomId}/status",
    tags: ["Rooms"],
    summary: "Go live or end the show",
    description: "`scheduled → live → ended`; an ended show cannot go live again (409). Host key or the shop's API key.",
    security: [{ bearer: [] }],
    middleware: [requireHost()] as const,
    request: { params: RoomAddressParams, body: jsonBody(StatusBody) },
    responses: { 200: jsonContent(RoomBody, "The room after the change"), ...errorResponses(400, 401, 403, 404, 409, 413) },
  }),
  async (c) => {
    const { status } = c.req.valid("json");
    return c.json({ room: unwrap(await c.get("roomStub").setStatus(status)) }, 200);
  },
);
