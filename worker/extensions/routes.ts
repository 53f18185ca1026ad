/**
 * Room extensions: a developer's server posts its own events into a show
 * (`POST /api/rooms/{roomId}/events`: every page of the show gets it as a
 * `shop-along:event` DOM event) and reads the room's events as Server-Sent
 * Events (`GET /api/rooms/{roomId}/events/stream`). Both take the shop's API
 * key or the room's host key (or a host's session): they are for the brand's
 * own code, not for viewers. The Room decides and streams
 * (durable-objects/custom-events.ts, event-stream.ts).
 */
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../app-env.ts";
import { hashKey, requireHost } from "../auth.ts";
import { ApiError } from "../errors.ts";
import { errorResponses, jsonBody, jsonContent } from "../openapi.ts";
import { unwrap } from "../refusals.ts";
import { ErrorBody, RoomAddressParams } from "../schemas.ts";
import { validationHook } from "../validation.ts";
import {
  CUSTOM_EVENT_BYTES,
  CustomEventBody,
  CustomEventHeaders,
  CustomEventPosted,
  EVENT_STREAM_EXAMPLE,
  EventStreamHeaders,
  EventStreamQuery,
} from "./schemas.ts";

export const extensions = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

const customEventLimit = bodyLimit({
  maxSize: CUSTOM_EVENT_BYTES,
  onError: () => {
    throw new ApiError(413, "payload_too_large", `A custom event's body is limited to ${CUSTOM_EVENT_BYTES / 1024} KB (it reaches every viewer's page).`);
  },
});

extensions.openapi(
  createRoute({
    method: "post",
    path: "/{roomId}/events",
    tags: ["Extensions"],
    summary: "Post a custom event into the show",
    description:
      "Your own event (a quiz, an overlay, a bot's line) into the room's event log: every page of the show receives it at once as a " +
      "`shop-along:event` DOM event (`detail: {id, name, data, at}`) and the event stream as `event: custom`; the replay re-runs it at its moment. " +
      "`type` is your event's name (`x-…`); the whole body is at most 4 KB of JSON. Taken while the show is scheduled or live; after the end, " +
      "409 `show_ended`. With an `Idempotency-Key`, a retried post counts once (the same key with another body: 422). Per room, a burst of 10, " +
      "then 2 a second: 429 with `Retry-After`. The shop's API key, the room's host key, or a host's session.",
    security: [{ bearer: [] }],
    middleware: [customEventLimit, requireHost()] as const,
    request: { params: RoomAddressParams, headers: CustomEventHeaders, body: jsonBody(CustomEventBody) },
    responses: {
      201: jsonContent(CustomEventPosted, "Taken, and sent to every page (also for a repeated Idempotency-Key)"),
      ...errorResponses(400, 401, 403, 404, 409, 422),
      413: jsonContent(ErrorBody, "The body is larger than 4 KB"),
      429: {
        ...jsonContent(ErrorBody, "Too many custom events in this room just now"),
        headers: { "Retry-After": { description: "Seconds until the room takes the next one", schema: { type: "integer", example: 1 } } },
      },
    },
  }),
  async (c) => {
    const { type, data } = c.req.valid("json");
    const posted = unwrap(
      await c.get("roomStub").postEvent({
        name: type,
        data: data ?? null,
        idempotencyKey: c.req.valid("header")["idempotency-key"] ?? null,
        requestHash: await hashKey(JSON.stringify({ type, data: data ?? null })),
      }),
    );
    if (posted.replayed) c.header("Idempotent-Replayed", "true");
    return c.json({ id: posted.id, seq: posted.seq, at: posted.at }, 201);
  },
);

extensions.openapi(
  createRoute({
    method: "get",
    path: "/{roomId}/events/stream",
    tags: ["Extensions"],
    summary: "The room's events, as Server-Sent Events",
    description:
      "Every event of the room as a viewer reads it (chat, pins, status, products, deals, stage, custom events; never what only moderators see), " +
      "as `id: {seq}`, `event: {type}`, `data: {the event as JSON}`. Resumes right after `Last-Event-ID` (or `?since=`) from the room's log, " +
      "which keeps the whole show, then live events follow without a gap or a duplicate; without either it starts with the next event. " +
      "A `: ping` comment every 20 s; a stream with no event for 10 minutes ends (resume it). It ends once the show has ended and its last " +
      "event is sent. The shop's API key, the room's host key, or a host's session; browsers' EventSource cannot send a key: read it with fetch.",
    security: [{ bearer: [] }],
    middleware: [requireHost()] as const,
    request: { params: RoomAddressParams, headers: EventStreamHeaders, query: EventStreamQuery },
    responses: {
      200: { description: "The stream", content: { "text/event-stream": { schema: { type: "string" }, example: EVENT_STREAM_EXAMPLE } } },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const since = c.req.valid("header")["last-event-id"] ?? c.req.valid("query").since ?? null;
    const stream = unwrap(await c.get("roomStub").eventStream(since));
    return c.body(stream, 200, {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store",
      // Proxies that buffer (nginx) pass it on as it comes.
      "X-Accel-Buffering": "no",
    });
  },
);
