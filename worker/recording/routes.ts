/**
 * Recording at the publishers: while the show is live, each host or guest
 * page records its camera+mic (and a screen share on its own) and sends
 * numbered chunks here as they come. A chunk is answered only once its bytes
 * are in R2, so a tab closed abruptly loses only the chunk in flight. Chunks
 * are idempotent per number and may arrive out of order; after a reload the
 * page starts a new take (its old one is closed). The brand can turn
 * recording off per show (409 recording_off).
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { ApiError } from "../errors.ts";
import { uploadLimit } from "../media/upload-limit.ts";
import { errorResponses, jsonBody, jsonContent } from "../openapi.ts";
import { RoomRoleHeader, ViewerTokenHeader, RoomParams } from "../schemas.ts";
import { validationHook } from "../validation.ts";
import { requirePublisher } from "./publisher.ts";
import type { AppEnv } from "../app-env.ts";
import { shopAccessSecurity } from "../auth.ts";
import { ChunkParams, ChunkStored, MAX_CHUNK_BYTES, NewTake, TakeBody, TakeParams } from "./schemas.ts";
import { chunkKey, countTakes, findTake, newTakeId, recordChunk, setTakeState, startTake, takeView, chunksOf, type TakeRow } from "./takes.ts";

export const recording = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

/** A take's start by the page's clock may differ from ours by this much; beyond, ours counts. */
const CLOCK_SKEW_MS = 30_000;
/** Reloads included; a page past this is broken, not recording. */
const MAX_TAKES_PER_PUBLISHER = 200;

const security = shopAccessSecurity;
const headers = ViewerTokenHeader.extend(RoomRoleHeader.shape);
const binary = z.string().openapi({ type: "string", format: "binary" });

async function requireRecordingShow(c: Context<AppEnv>): Promise<void> {
  const room = c.get("room");
  const row = await c.env.DB.prepare("SELECT recording FROM rooms WHERE id = ?").bind(room.id).first<{ recording: number }>();
  if (!row?.recording) throw new ApiError(409, "recording_off", "The shop turned recording off for this show.");
  const state = await c.get("roomStub").getState();
  if (state?.status === "ended") throw new ApiError(409, "show_ended", "This show has ended; its recording is being finalized.");
  if (state?.status !== "live") throw new ApiError(409, "show_not_live", "Recording starts when the show goes live.");
}

async function ownTake(c: Context<AppEnv>, takeId: string): Promise<TakeRow> {
  const take = await findTake(c.env.DB, c.get("room").id, takeId);
  if (!take) throw new ApiError(404, "not_found", `Take ${takeId} of this room does not exist.`);
  const publisher = c.get("publisher");
  if (take.publisher !== publisher.id || take.role !== publisher.role) throw new ApiError(403, "forbidden", "This take is another publisher's.");
  return take;
}

recording.openapi(
  createRoute({
    method: "post",
    path: "/{roomId}/recording/takes",
    tags: ["Recording"],
    summary: "Start a take",
    description:
      "A publisher's recorder started (the host's or a guest's camera+mic, or a screen share). Returns the take's id for its chunks. " +
      "The same publisher's open take of this source is closed: a reloaded page starts a new take. 409 `recording_off` when the shop turned recording off for the show, `show_not_live` before it is live.",
    security,
    middleware: [requirePublisher()] as const,
    request: { params: RoomParams, headers, body: jsonBody(NewTake) },
    responses: { 201: jsonContent(TakeBody, "The take"), ...errorResponses(400, 401, 403, 404, 409, 413) },
  }),
  async (c) => {
    const { roomId } = c.req.valid("param");
    const body = c.req.valid("json");
    await requireRecordingShow(c);
    const publisher = c.get("publisher");
    if ((await countTakes(c.env.DB, roomId, publisher.id)) >= MAX_TAKES_PER_PUBLISHER) {
      throw new ApiError(409, "too_many_takes", `A publisher may start at most ${MAX_TAKES_PER_PUBLISHER} takes in one show.`);
    }
    const now = Date.now();
    const startedAt = Math.abs(body.startedAt - now) <= CLOCK_SKEW_MS ? body.startedAt : now;
    const take = { id: newTakeId(), roomId, publisher: publisher.id, role: publisher.role, source: body.source, mime: body.mime, startedAt };
    await startTake(c.env.DB, take);
    const row = (await findTake(c.env.DB, roomId, take.id))!;
    return c.json({ take: await takeView(c.env.DB, row), maxChunkBytes: MAX_CHUNK_BYTES }, 201);
  },
);

recording.openapi(
  createRoute({
    method: "put",
    path: "/{roomId}/recording/takes/{takeId}/chunks/{n}",
    tags: ["Recording"],
    summary: "Upload one chunk of a take",
    description:
      `The recorder's chunk \`n\` (from 0) as the body, at most ${MAX_CHUNK_BYTES / 1024 / 1024} MB. Answered once the bytes are durable. ` +
      "The same number again replaces it (a retry); numbers may arrive out of order. 409 `take_closed` once the take is closed or the show ended.",
    security,
    middleware: [requirePublisher(), uploadLimit(MAX_CHUNK_BYTES, "A recording chunk", "record with a timeslice of about 2 seconds.")] as const,
    request: { params: ChunkParams, headers, body: { required: true, content: { "application/octet-stream": { schema: binary }, "video/webm": { schema: binary }, "video/mp4": { schema: binary } } } },
    responses: { 200: jsonContent(ChunkStored, "The chunk is durable"), ...errorResponses(400, 401, 403, 404, 409, 413) },
  }),
  async (c) => {
    const { roomId, takeId, n } = c.req.valid("param");
    const take = await ownTake(c, takeId);
    if (take.state !== "recording") throw new ApiError(409, "take_closed", "This take is closed; start a new take.");
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    if (bytes.byteLength === 0) throw new ApiError(400, "invalid_request", "A chunk has at least one byte.");
    await c.env.RECORDINGS.put(chunkKey(roomId, takeId, n), bytes);
    await recordChunk(c.env.DB, takeId, n, bytes.byteLength);
    return c.json({ chunk: { n, bytes: bytes.byteLength } }, 200);
  },
);

recording.openapi(
  createRoute({
    method: "get",
    path: "/{roomId}/recording/takes/{takeId}",
    tags: ["Recording"],
    summary: "A take and the chunks that arrived",
    description: "For a page resuming its uploads: the numbers of the chunks already durable.",
    security,
    middleware: [requirePublisher()] as const,
    request: { params: TakeParams, headers },
    responses: { 200: jsonContent(TakeBody, "The take"), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const take = await ownTake(c, c.req.valid("param").takeId);
    c.header("Cache-Control", "no-store");
    return c.json({ take: await takeView(c.env.DB, take), maxChunkBytes: MAX_CHUNK_BYTES }, 200);
  },
);

recording.openapi(
  createRoute({
    method: "post",
    path: "/{roomId}/recording/takes/{takeId}/close",
    tags: ["Recording"],
    summary: "Close a take",
    description: "The recorder stopped (the screen share ended, the camera was turned off): the take is complete as it is, and is finalized when the show ends.",
    security,
    middleware: [requirePublisher()] as const,
    request: { params: TakeParams, headers },
    responses: { 200: jsonContent(TakeBody, "The take"), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const take = await ownTake(c, c.req.valid("param").takeId);
    await setTakeState(c.env.DB, take.id, "closed", ["recording"]);
    return c.json({ take: await takeView(c.env.DB, (await findTake(c.env.DB, take.roomId, take.id))!), maxChunkBytes: MAX_CHUNK_BYTES }, 200);
  },
);

recording.openapi(
  createRoute({
    method: "post",
    path: "/{roomId}/recording/takes/{takeId}/abort",
    tags: ["Recording"],
    summary: "Throw a take away",
    description: "Its chunks are deleted and it is not in the replay. Refused (409) once it was finalized.",
    security,
    middleware: [requirePublisher()] as const,
    request: { params: TakeParams, headers },
    responses: { 200: jsonContent(TakeBody, "The take"), ...errorResponses(400, 401, 403, 404, 409) },
  }),
  async (c) => {
    const take = await ownTake(c, c.req.valid("param").takeId);
    if (!["recording", "closed", "aborted"].includes(take.state)) throw new ApiError(409, "take_finalized", "This take was already finalized into the replay.");
    await setTakeState(c.env.DB, take.id, "aborted", ["recording", "closed"]);
    const chunks = await chunksOf(c.env.DB, take.id);
    if (chunks.length) await c.env.RECORDINGS.delete(chunks.map((chunk) => chunkKey(take.roomId, take.id, chunk.n)));
    await c.env.DB.prepare("DELETE FROM recording_chunks WHERE take_id = ?").bind(take.id).run();
    return c.json({ take: await takeView(c.env.DB, (await findTake(c.env.DB, take.roomId, take.id))!), maxChunkBytes: MAX_CHUNK_BYTES }, 200);
  },
);
