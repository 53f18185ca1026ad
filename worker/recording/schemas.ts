/** The HTTP schemas of recording, the replay's manifest and the library (OpenAPI from the same zod). */
import { z } from "@hono/zod-openapi";
import { IDS, TIMES } from "../openapi-examples.ts";
import { ProductId, RoomId, ShopParams } from "../schemas.ts";

export const MAX_CHUNK_BYTES = 8 * 1024 * 1024;
/** 4 hours of 2-second chunks, and then some. */
export const MAX_CHUNK_NUMBER = 20_000;

export const TakeId = z.string().regex(/^tk_[0-9A-Za-z]{16}$/, "not a take id").openapi({ example: IDS.take });

export const TakeParams = z.object({
  roomId: RoomId.openapi({ param: { name: "roomId", in: "path" } }),
  takeId: TakeId.openapi({ param: { name: "takeId", in: "path" } }),
});

export const ChunkParams = TakeParams.extend({
  n: z.coerce
    .number()
    .int()
    .min(0)
    .max(MAX_CHUNK_NUMBER)
    .openapi({ param: { name: "n", in: "path" }, description: "The chunk's number in its take, from 0.", example: 0 }),
});

export const NewTake = z
  .object({
    source: z.enum(["camera", "screen"]).openapi({ description: "camera: the camera and microphone, one recording; screen: a screen share, its own.", example: "camera" }),
    mime: z
      .string()
      .max(100)
      .regex(/^video\/(webm|mp4)(;\s*codecs="?[0-9A-Za-z.,\s]+"?)?$/, "a video/webm or video/mp4 MediaRecorder type")
      .openapi({ example: "video/webm;codecs=vp8,opus" }),
    startedAt: z
      .number()
      .int()
      .positive()
      .openapi({
        description: "When the recorder started, by the room clock (ms since the epoch; the page's serverNow()). Clamped to within 30 s of the server's clock.",
        example: TIMES.live + 1200,
      }),
  })
  .openapi("NewTake");

export const Take = z
  .object({
    id: TakeId,
    source: z.enum(["camera", "screen"]),
    state: z.enum(["recording", "closed", "ready", "empty", "failed", "aborted"]).openapi({
      description: "recording: chunks may arrive; closed: complete, waiting for the show's end; ready: finalized; empty/failed: not in the replay; aborted: thrown away.",
    }),
    startedAt: z.number().int().openapi({ example: TIMES.live + 1200 }),
    chunks: z.array(z.number().int()).openapi({ description: "The numbers of the chunks that arrived (and are durable), ascending: what a page resuming may skip.", example: [0, 1, 2] }),
    bytes: z.number().int().openapi({ example: 1572864 }),
  })
  .openapi("Take");

export const TakeBody = z.object({ take: Take, maxChunkBytes: z.number().int().openapi({ example: MAX_CHUNK_BYTES }) }).openapi("TakeResponse");
export const ChunkStored = z
  .object({ chunk: z.object({ n: z.number().int().openapi({ example: 2 }), bytes: z.number().int().openapi({ example: 524288 }) }) })
  .openapi("ChunkStored");

export const ReplayTake = z.object({
  id: TakeId,
  publisher: z.string().openapi({ description: "Stable for one person across takes (their page's identity).", example: IDS.viewer }),
  role: z.enum(["host", "guest"]),
  source: z.enum(["camera", "screen"]),
  startMs: z.number().int().openapi({ description: "When the take starts, in replay time (ms from liveAt).", example: 1200 }),
  durationMs: z.number().int().openapi({ example: TIMES.ended - TIMES.live - 1200 }),
  mime: z.string().openapi({ example: "video/webm" }),
  url: z.string().openapi({ description: "The file: range requests, ETag, cached for a year.", example: `/api/rooms/${IDS.room}/replay/takes/${IDS.take}` }),
});

export const Replay = z
  .object({
    status: z.enum(["none", "processing", "ready"]).openapi({
      example: "ready",
      description: "none: not ended, never live, or hidden; processing: ended, takes being finalized; ready: every take plays (with recording off or no takes, ready with none: the replay runs over the cover).",
    }),
    liveAt: z.number().int().nullable().openapi({ description: "When the show went live, by the room clock (ms).", example: TIMES.live }),
    durationMs: z.number().int().openapi({ description: "endedAt − liveAt; 0 when unknown.", example: TIMES.ended - TIMES.live }),
    trim: z
      .object({ startMs: z.number().int().openapi({ example: 45_000 }), endMs: z.number().int().openapi({ example: TIMES.ended - TIMES.live }) })
      .openapi({ description: "The part the brand keeps, in replay time." }),
    thumbnailUrl: z
      .string()
      .nullable()
      .openapi({ description: "The thumbnail the brand picked, else the show's cover; null when neither.", example: `/photos/${IDS.room}/th_Zk2Pq7Ln4Vb9Xc1M.jpg` }),
    chapters: z
      .array(z.object({ productId: ProductId, atMs: z.number().int().openapi({ example: 6 * 60_000 }) }))
      .openapi({ description: "Every pin of a product, in replay time, in order." }),
    takes: z.array(ReplayTake),
  })
  .openapi("Replay");
export type Replay = z.infer<typeof Replay>;

export const ReplayBody = z.object({ replay: Replay }).openapi("ReplayResponse");

export const LibraryParams = ShopParams.extend({ roomId: RoomId.openapi({ param: { name: "roomId", in: "path" } }) });

export const EditReplay = z
  .object({
    hidden: z.boolean().openapi({ description: "Hidden: not on the shop's page, and its manifest says none to the public.", example: false }),
    trim: z
      .object({ startMs: z.number().int().min(0).openapi({ example: 45_000 }), endMs: z.number().int().positive().openapi({ example: TIMES.ended - TIMES.live }) })
      .refine((t) => t.startMs < t.endMs, "startMs must be before endMs")
      .nullable()
      .openapi({ description: "The part to keep, in replay-time ms (0 ≤ startMs < endMs ≤ durationMs); null keeps all of it." }),
  })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, "send hidden or trim")
  .openapi("EditReplay");

export const LibraryReplay = z
  .object({ replay: Replay, hidden: z.boolean().openapi({ example: false }), recording: z.boolean().openapi({ example: true }) })
  .openapi("LibraryReplay", { description: "The replay as the brand sees it (also while hidden), and the show's switches." });
