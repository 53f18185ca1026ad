/** The replay's manifest and its takes' files, for anyone (a hidden replay is none to the public). */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env.ts";
import { ApiError, notFound } from "../errors.ts";
import { servedFile } from "../media/served-file.ts";
import { errorResponses, jsonContent } from "../openapi.ts";
import { RoomParams } from "../schemas.ts";
import { validationHook } from "../validation.ts";
import { libraryRow, replayOf } from "./replay.ts";
import { ReplayBody, TakeParams } from "./schemas.ts";
import { findTake } from "./takes.ts";

export const replay = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

replay.openapi(
  createRoute({
    method: "get",
    path: "/{roomId}/replay",
    tags: ["Replay"],
    summary: "A show's replay",
    description:
      "After the show ended: its times, the part kept, the thumbnail, the chapters (every pin of a product) and the recorded takes (one per publisher's recorder start; a gap between two takes of one publisher is a reconnection), all in replay time (ms from liveAt). " +
      "`processing` while the takes are being finalized; `none` before the show ended, for a show that never went live, or a hidden replay.",
    request: { params: RoomParams },
    responses: { 200: jsonContent(ReplayBody, "The replay"), ...errorResponses(400, 404) },
  }),
  async (c) => {
    const { roomId } = c.req.valid("param");
    const manifest = await replayOf(c.env, roomId);
    if (!manifest) throw new ApiError(404, "room_not_found", `Room ${roomId} does not exist.`);
    // Ready: the brand may still hide or trim it, so a minute's cache at most.
    c.header("Cache-Control", manifest.status === "ready" ? "public, max-age=60" : "no-store");
    return c.json({ replay: manifest }, 200);
  },
);

replay.openapi(
  createRoute({
    method: "get",
    path: "/{roomId}/replay/takes/{takeId}",
    tags: ["Replay"],
    summary: "A take's file",
    description: "The finalized recording (WebM with Cues, or MP4): `Range` requests answer 206, with an ETag; cached for a year (a file never changes).",
    request: { params: TakeParams },
    responses: {
      200: { description: "The file", content: { "video/webm": { schema: z.string().openapi({ format: "binary" }) }, "video/mp4": { schema: z.string().openapi({ format: "binary" }) } } },
      206: { description: "The bytes asked for" },
      ...errorResponses(400, 404),
    },
  }),
  async (c) => {
    const { roomId, takeId } = c.req.valid("param");
    const [take, row] = await Promise.all([findTake(c.env.DB, roomId, takeId), libraryRow(c.env.DB, roomId)]);
    if (!take || take.state !== "ready" || !take.fileKey || !row || row.hidden) throw notFound(`A finalized take ${takeId} of this room`);
    return servedFile(c.env.RECORDINGS, take.fileKey, c.req.raw);
  },
);
