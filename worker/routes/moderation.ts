/**
 * The chat's moderation over HTTP, for integrations: the decisions the host
 * and moderators take from the chat (moderation.ts in the room), with the
 * host key, a moderator key or the shop's API key; the room's log keeps whose.
 */
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import type { ModerationFrame } from "../../durable-objects/protocol.ts";
import type { AppEnv } from "../app-env.ts";
import { requireModerator } from "../auth.ts";
import { errorResponses, jsonBody, jsonContent } from "../openapi.ts";
import { unwrap } from "../refusals.ts";
import { ModerationAction, ModerationBody, RoomAddressParams } from "../schemas.ts";
import { validationHook } from "../validation.ts";

export const moderation = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

moderation.openapi(
  createRoute({
    method: "get",
    path: "/{roomId}/moderation",
    tags: ["Moderation"],
    summary: "The chat's rules and who is kept out",
    description: "Slow mode, the pinned message, the blocked words and the viewers banned or timed out now. The host key, a moderator key (mk_, the moderator link's) or the shop's API key.",
    security: [{ bearer: [] }],
    middleware: [requireModerator()] as const,
    request: { params: RoomAddressParams },
    responses: { 200: jsonContent(ModerationBody, "The chat's moderation"), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => c.json(unwrap(await c.get("roomStub").moderation()), 200),
);

moderation.openapi(
  createRoute({
    method: "post",
    path: "/{roomId}/moderation",
    tags: ["Moderation"],
    summary: "Moderate the chat",
    description:
      "One decision: delete or pin a message, time out, ban or unban a viewer (by the `author` of their messages), set slow mode or the blocked words. " +
      "Rules bind viewers only; the host, guests and moderators cannot be timed out or banned (403). The host key, a moderator key (mk_, the moderator link's) or the shop's API key.",
    security: [{ bearer: [] }],
    middleware: [requireModerator()] as const,
    request: { params: RoomAddressParams, body: jsonBody(ModerationAction) },
    responses: { 200: jsonContent(ModerationBody, "The chat's moderation after the decision"), ...errorResponses(400, 401, 403, 404, 409, 413) },
  }),
  async (c) => {
    const { action, ...rest } = c.req.valid("json");
    // schemas.ts checks that ModerationAction is the socket's frames with `action` for `type`.
    const frame = { type: action, ...rest } as ModerationFrame;
    return c.json(unwrap(await c.get("roomStub").moderate(frame, c.get("actor"))), 200);
  },
);
