/**
 * The ended show's public timeline, which its replay player re-runs:
 * GET /api/rooms/{roomId}/replay/events, in pages (replay-timeline.ts in
 * the Room says what is in it and why it is paged).
 *
 * Cacheable: a page only changes when the room's log grows after the end
 * (an order from the replay moves a product's count, a moderator deletes a
 * line), so its ETag is the log's head and the page; browsers and the edge
 * keep it briefly and revalidate with If-None-Match.
 */
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env.ts";
import { requireRoom } from "../auth.ts";
import { errorResponses, jsonContent } from "../openapi.ts";
import { unwrap } from "../refusals.ts";
import { ReplayEventsQuery, ReplayTimelineBody, RoomAddressParams } from "../schemas.ts";
import { validationHook } from "../validation.ts";

export const replayEvents = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

const CACHE_CONTROL = "public, max-age=60, stale-while-revalidate=600";

replayEvents.openapi(
  createRoute({
    method: "get",
    path: "/{roomId}/replay/events",
    tags: ["Replay"],
    summary: "The ended show's timeline, for its replay",
    description:
      "After the show ended: what any viewer could read of its event log from going live to the end (no blocked words, bans or authors; " +
      "deleted chat lines left out), each event with its room-clock time; the room's state when it went live and hearts and viewers per second " +
      "(first page only). At most 500 events a page: follow `next` with `?after=`. 409 `not_ended` while the show has not ended.",
    middleware: [requireRoom()] as const,
    request: { params: RoomAddressParams, query: ReplayEventsQuery },
    responses: {
      200: jsonContent(ReplayTimelineBody, "One page of the timeline"),
      304: { description: "Not modified since the ETag sent in If-None-Match" },
      ...errorResponses(400, 404, 409),
    },
  }),
  async (c) => {
    const { after } = c.req.valid("query");
    const timeline = unwrap(await c.get("roomStub").replayTimeline(after ?? null));
    const etag = `"${timeline.head}-${after ?? 0}"`;
    c.header("ETag", etag);
    c.header("Cache-Control", CACHE_CONTROL);
    if (c.req.header("If-None-Match") === etag) return c.body(null, 304);
    return c.json({ timeline }, 200);
  },
);
