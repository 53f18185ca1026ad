/** Flash deals: the host starts one on a product for 10–300 seconds, or ends it early. */
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env.ts";
import { requireHost } from "../auth.ts";
import { errorResponses, jsonBody, jsonContent } from "../openapi.ts";
import { unwrap } from "../refusals.ts";
import { DealStarted, RoomBody, RoomAddressParams, StartDeal } from "../schemas.ts";
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
    middleware: [requireHost()] as const,
    request: { params: RoomAddressParams, body: jsonBody(StartDeal) },
    responses: { 201: jsonContent(DealStarted, "The deal and the room"), ...errorResponses(400, 401, 403, 404, 409, 413) },
  }),
  async (c) => {
    const input = c.req.valid("json");
    const { deal, room } = unwrap(await c.get("roomStub").startDeal({ ...input, variantId: input.variantId ?? null, perBuyerLimit: input.perBuyerLimit ?? null }));
    return c.json({ deal, room }, 201);
  },
);

deals.openapi(
  createRoute({
    method: "post",
    path: "/{roomId}/deals/end",
    tags: ["Flash deals"],
    summary: "End the running flash deal now",
    security: [{ bearer: [] }],
    middleware: [requireHost()] as const,
    request: { params: RoomAddressParams },
    responses: { 200: jsonContent(RoomBody, "The room after the change"), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => c.json({ room: unwrap(await c.get("roomStub").endDeal()) }, 200),
);
