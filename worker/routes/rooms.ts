/** A room's public state and the host's controls (pin, status). */
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { RoomResult } from "../../durable-objects/room.ts";
import type { AppEnv } from "../app-env.ts";
import { assertHost, bearerKey, hashKey } from "../auth.ts";
import { ApiError, notFound } from "../errors.ts";
import { errorResponses, jsonBody, jsonContent } from "../openapi.ts";
import { guestKeyFor } from "../ids.ts";
import { roomLinks } from "../links.ts";
import { PinBody, RoleBody, RoomBody, RoomLinksBody, RoomParams, StatusBody } from "../schemas.ts";
import { validationHook } from "../validation.ts";

export const rooms = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

const roomOf = (c: Context<AppEnv>, roomId: string) => c.env.Room.getByName(roomId);

async function existingRoom(c: Context<AppEnv>, roomId: string) {
  const state = await roomOf(c, roomId).getState();
  if (!state) throw notFound(`Room ${roomId}`);
  return state;
}

function unwrap(result: RoomResult) {
  if (result.ok) return result.room;
  if (result.code === "invalid_transition") throw new ApiError(409, result.code, result.message);
  throw new ApiError(404, "not_found", result.message);
}

rooms.openapi(
  createRoute({
    method: "get",
    path: "/{roomId}",
    tags: ["Rooms"],
    summary: "Get a room's live state",
    description: "Status, pinned product, viewers and units left per product, straight from the room.",
    request: { params: RoomParams },
    responses: { 200: jsonContent(RoomBody, "The room"), ...errorResponses(400, 404) },
  }),
  async (c) => {
    const { roomId } = c.req.valid("param");
    return c.json({ room: await existingRoom(c, roomId) }, 200);
  },
);

rooms.openapi(
  createRoute({
    method: "get",
    path: "/{roomId}/role",
    tags: ["Rooms"],
    summary: "Check a key against a room",
    description: "Answers which role the Bearer key (host or guest key) gives in this room; without a key, `viewer`.",
    request: { params: RoomParams },
    responses: { 200: jsonContent(RoleBody, "The role"), ...errorResponses(400, 401, 404) },
  }),
  async (c) => {
    const { roomId } = c.req.valid("param");
    const key = bearerKey(c);
    const { exists, role } = await roomOf(c, roomId).roleFor(key ? await hashKey(key) : null);
    if (!exists) throw notFound(`Room ${roomId}`);
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
    description: "With the host key: the viewer, host and guest links, so the studio can invite a guest at any time.",
    security: [{ bearer: [] }],
    request: { params: RoomParams },
    responses: { 200: jsonContent(RoomLinksBody, "The links"), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const { roomId } = c.req.valid("param");
    const key = bearerKey(c);
    const { exists, role } = await roomOf(c, roomId).roleFor(key ? await hashKey(key) : null);
    if (!exists) throw notFound(`Room ${roomId}`);
    if (!key || role !== "host") throw new ApiError(key ? 403 : 401, key ? "forbidden" : "unauthorized", "Only the host key opens the room's links.");
    const guestKey = await guestKeyFor(key);
    // Rooms made before guest keys were derived from host keys have a random one: no guest link to give.
    if ((await roomOf(c, roomId).roleFor(await hashKey(guestKey))).role !== "guest") {
      throw new ApiError(404, "not_found", "This room's guest link was shown when it was created and cannot be rebuilt.");
    }
    return c.json({ links: roomLinks(c.env.PUBLIC_URL || new URL(c.req.url).origin, roomId, key, guestKey) }, 200);
  },
);

rooms.openapi(
  createRoute({
    method: "post",
    path: "/{roomId}/pin",
    tags: ["Rooms"],
    summary: "Pin a product (or unpin with null)",
    description: "Every connected viewer sees the pinned product within a second. Host key or the shop's API key.",
    security: [{ bearer: [] }],
    request: { params: RoomParams, body: jsonBody(PinBody) },
    responses: { 200: jsonContent(RoomBody, "The room after the change"), ...errorResponses(400, 401, 403, 404, 413) },
  }),
  async (c) => {
    const { roomId } = c.req.valid("param");
    const { productId } = c.req.valid("json");
    await assertHost(c, await existingRoom(c, roomId));
    return c.json({ room: unwrap(await roomOf(c, roomId).pin(productId)) }, 200);
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
    request: { params: RoomParams, body: jsonBody(StatusBody) },
    responses: { 200: jsonContent(RoomBody, "The room after the change"), ...errorResponses(400, 401, 403, 404, 409, 413) },
  }),
  async (c) => {
    const { roomId } = c.req.valid("param");
    const { status } = c.req.valid("json");
    await assertHost(c, await existingRoom(c, roomId));
    return c.json({ room: unwrap(await roomOf(c, roomId).setStatus(status)) }, 200);
  },
);
