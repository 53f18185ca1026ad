/**
 * The brand's library, from the console: a past show's replay as the brand
 * sees it (also while hidden), hiding it, trimming its start and end, and
 * its thumbnail (an image, e.g. a frame the console grabbed from the
 * replay). Owners and managers, as for a show's other details.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../app-env.ts";
import { requireShopAccess, shopAccessSecurity } from "../auth.ts";
import { MAX_PHOTO_BYTES, readPhotoFile } from "../catalogue/photo-file.ts";
import { ApiError, notFound } from "../errors.ts";
import { newThumbnailId } from "../ids.ts";
import { uploadLimit } from "../media/upload-limit.ts";
import { errorResponses, jsonBody, jsonContent } from "../openapi.ts";
import { validationHook } from "../validation.ts";
import { libraryRow, replayOf } from "./replay.ts";
import { EditReplay, LibraryParams, LibraryReplay } from "./schemas.ts";

export const library = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

const binary = z.string().openapi({ type: "string", format: "binary" });

async function ownRow(c: Context<AppEnv>, roomId: string) {
  const owned = await c.env.DB.prepare("SELECT 1 AS yes FROM rooms WHERE id = ? AND shop_id = ?").bind(roomId, c.get("shop").id).first();
  const row = owned && (await libraryRow(c.env.DB, roomId));
  if (!row) throw notFound(`Show ${roomId} of this shop`);
  return row;
}

async function view(c: Context<AppEnv>, roomId: string) {
  const row = await ownRow(c, roomId);
  c.header("Cache-Control", "no-store");
  return { replay: (await replayOf(c.env, roomId, { asBrand: true }))!, hidden: row.hidden === 1, recording: row.recording === 1 };
}

library.openapi(
  createRoute({
    method: "get",
    path: "/{shopId}/rooms/{roomId}/replay",
    tags: ["Replay"],
    summary: "A show's replay, as its brand sees it",
    description: "The manifest (also while the replay is hidden), whether it is hidden, and whether the show records.",
    security: shopAccessSecurity,
    middleware: [requireShopAccess("owner", "manager")] as const,
    request: { params: LibraryParams },
    responses: { 200: jsonContent(LibraryReplay, "The replay"), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => c.json(await view(c, c.req.valid("param").roomId), 200),
);

library.openapi(
  createRoute({
    method: "patch",
    path: "/{shopId}/rooms/{roomId}/replay",
    tags: ["Replay"],
    summary: "Hide or trim a replay",
    description:
      "`hidden`: off the shop's page, and `none` to the public. `trim`: the part kept, in replay-time ms, 0 ≤ startMs < endMs ≤ durationMs (422 `invalid_trim` otherwise, and before the show ended); null keeps it all.",
    security: shopAccessSecurity,
    middleware: [requireShopAccess("owner", "manager")] as const,
    request: { params: LibraryParams, body: jsonBody(EditReplay) },
    responses: { 200: jsonContent(LibraryReplay, "The replay now"), ...errorResponses(400, 401, 403, 404, 409, 413, 422) },
  }),
  async (c) => {
    const { roomId } = c.req.valid("param");
    const edit = c.req.valid("json");
    await ownRow(c, roomId);
    const set: Array<[string, number | null]> = [];
    if (edit.hidden !== undefined) set.push(["replay_hidden", edit.hidden ? 1 : 0]);
    if (edit.trim !== undefined) {
      if (edit.trim) {
        const { durationMs, status } = (await replayOf(c.env, roomId, { asBrand: true }))!;
        if (status === "none") throw new ApiError(409, "show_not_ended", "A replay can be trimmed once its show has ended.");
        if (edit.trim.endMs > durationMs) throw new ApiError(422, "invalid_trim", `endMs may be at most the replay's duration, ${durationMs} ms.`);
      }
      set.push(["replay_trim_start_ms", edit.trim?.startMs ?? null], ["replay_trim_end_ms", edit.trim?.endMs ?? null]);
    }
    await c.env.DB.prepare(`UPDATE rooms SET ${set.map(([name]) => `${name} = ?`).join(", ")} WHERE id = ?`)
      .bind(...set.map(([, value]) => value), roomId)
      .run();
    return c.json(await view(c, roomId), 200);
  },
);

library.openapi(
  createRoute({
    method: "post",
    path: "/{shopId}/rooms/{roomId}/replay/thumbnail",
    tags: ["Replay"],
    summary: "Set a replay's thumbnail",
    description: `The image itself as the body (JPEG, PNG or WebP, by its bytes; at most ${MAX_PHOTO_BYTES / 1024 / 1024} MB), e.g. a frame the console grabbed from the replay. The shop's page shows it; without one, the cover.`,
    security: shopAccessSecurity,
    middleware: [requireShopAccess("owner", "manager"), uploadLimit(MAX_PHOTO_BYTES, "A thumbnail", "resize it (1280 px wide is plenty).")] as const,
    request: {
      params: LibraryParams,
      body: { required: true, content: { "image/jpeg": { schema: binary }, "image/png": { schema: binary }, "image/webp": { schema: binary } } },
    },
    responses: { 200: jsonContent(LibraryReplay, "The replay now"), ...errorResponses(400, 401, 403, 404, 413, 415) },
  }),
  async (c) => {
    const { roomId } = c.req.valid("param");
    const before = await ownRow(c, roomId);
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const file = readPhotoFile(bytes);
    if (!file) throw new ApiError(415, "unsupported_image", "Send a JPEG, PNG or WebP image as the request body (its bytes decide, not its Content-Type).");
    const key = `${roomId}/${newThumbnailId()}.${file.extension}`;
    await c.env.PHOTOS.put(key, bytes, { httpMetadata: { contentType: file.contentType } });
    await c.env.DB.prepare("UPDATE rooms SET replay_thumbnail_r2_key = ? WHERE id = ?").bind(key, roomId).run();
    if (before.thumbnailKey) await c.env.PHOTOS.delete(before.thumbnailKey);
    return c.json(await view(c, roomId), 200);
  },
);
