/** Flash deals: the host starts one on a product for 10–300 seconds, or ends it early. */
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env.ts";
import { assertHost } from "../auth.ts";
import { ApiError, notFound } from "../errors.ts";
import { errorResponses, jsonBody, jsonContent } from "../openapi.ts";
import { DealStarted, RoomBody, RoomParams, StartDeal } from "../schemas.ts";
import { validationHook } from "../validation.ts";

export const deals = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

deals.openapi(
  createRoute({
    method: "post",
    path: "/{roomId}/deals",
    tags: ["Flash deals"],
    summary: "Start a flash deal",
    description:
      "A deal price (below the regular price) on one product for 10–300 seconds, optionally limited per buyer (by email). " +
      "Viewers see the countdown; the room's clock decides which orders get the price. One deal at a time; the show must be live.",
    security: [{ bearer: [] }],
    request: { params: RoomParams, body: jsonBody(StartDeal) },
    responses: { 201: jsonContent(DealStarted, "The deal and the room"), ...errorResponses(400, 401, 403, 404, 409, 413) },
  }),
  async (c) => {
    const { roomId } = c.req.valid("param");
    const input = c.req.valid("json");
    const room = c.env.Room.getByName(roomId);
    const state = await room.getState();
    if (!state) throw notFound(`Room ${roomId}`);
    await assertHost(c, state);
    const result = await room.startDeal({ ...input, perBuyerLimit: input.perBuyerLimit ?? null });
    if (!result.ok) throw new ApiError(result.status, result.code, result.message);
    return c.json({ deal: result.deal, room: result.room }, 201);
  },
);

deals.openapi(
  createRoute({
    method: "post",
    path: "/{roomId}/deals/end",
    tags: ["Flash deals"],
    summary: "End the running flash deal now",
    security: [{ bearer: [] }],
    request: { params: RoomParams },
    responses: { 200: jsonContent(RoomBody, "The room after the change"), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const { roomId } = c.req.valid("param");
    const room = c.env.Room.getByName(roomId);
    const state = await room.getState();
    if (!state) throw notFound(`Room ${roomId}`);
    await assertHost(c, state);
    return c.json({ room: (await room.endDeal())! }, 200);
  },
);
