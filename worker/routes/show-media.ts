/**
 * A show's cover image and trailer, uploaded from the console: the bytes
 * themselves as the body (a photo resized in the browser; an MP4 or WebM of
 * at most 20 MB), kept in R2 under the room's id and served at /photos/{key}
 * (routes/photos.ts). A new upload gets a new key and the old file goes, so
 * what a page once loaded never changes under it. Owners and managers only,
 * as for the show's other details (routes/shop-shows.ts).
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../app-env.ts";
import { requireShopAccess, shopAccessSecurity } from "../auth.ts";
import { MAX_PHOTO_BYTES, readPhotoFile } from "../catalogue/photo-file.ts";
import { ApiError, notFound } from "../errors.ts";
import { newCoverId, newTrailerId } from "../ids.ts";
import { MAX_TRAILER_BYTES, readVideoFile } from "../media/video-file.ts";
import { uploadLimit } from "../media/upload-limit.ts";
import { errorResponses, jsonContent } from "../openapi.ts";
import { ShowMedia, ShowParams } from "../schemas.ts";
import { validationHook } from "../validation.ts";

export const showMedia = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

const binary = z.string().openapi({ type: "string", format: "binary" });
const SERVED = "/photos/";

type MediaRow = { coverImageUrl: string | null; trailerKey: string | null };

async function mediaOf(c: Context<AppEnv>, roomId: string): Promise<MediaRow> {
  const row = await c.env.DB.prepare("SELECT cover_image_url AS coverImageUrl, trailer_r2_key AS trailerKey FROM rooms WHERE id = ? AND shop_id = ?")
    .bind(roomId, c.get("shop").id)
    .first<MediaRow>();
  if (!row) throw notFound(`Show ${roomId} of this shop`);
  return row;
}

const view = (row: MediaRow) => ({ coverImageUrl: row.coverImageUrl, trailerUrl: row.trailerKey && `${SERVED}${row.trailerKey}` });

/** An uploaded cover of this room (not an https URL the owner typed): its R2 key, to delete when it is replaced. */
const ownCoverKey = (roomId: string, url: string | null) => (url?.startsWith(`${SERVED}${roomId}/cv_`) ? url.slice(SERVED.length) : null);

showMedia.openapi(
  createRoute({
    method: "post",
    path: "/{shopId}/rooms/{roomId}/cover",
    tags: ["Rooms"],
    summary: "Upload a show's cover image",
    description:
      `The image itself as the body (JPEG, PNG or WebP, recognised by its bytes; at most ${MAX_PHOTO_BYTES / 1024 / 1024} MB). ` +
      "It replaces the cover (uploaded or a URL); the show's page shows it before the show starts.",
    security: shopAccessSecurity,
    middleware: [requireShopAccess("owner", "manager"), uploadLimit(MAX_PHOTO_BYTES, "A cover image", "resize it (about 1600 px on the longest side is plenty).")] as const,
    request: {
      params: ShowParams,
      body: { required: true, content: { "image/jpeg": { schema: binary }, "image/png": { schema: binary }, "image/webp": { schema: binary } } },
    },
    responses: { 200: jsonContent(ShowMedia, "The show's cover and trailer now"), ...errorResponses(400, 401, 403, 404, 413, 415) },
  }),
  async (c) => {
    const { roomId } = c.req.valid("param");
    const before = await mediaOf(c, roomId);
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const file = readPhotoFile(bytes);
    if (!file) throw new ApiError(415, "unsupported_image", "Send a JPEG, PNG or WebP image as the request body (its bytes decide, not its Content-Type).");
    const key = `${roomId}/${newCoverId()}.${file.extension}`;
    await c.env.PHOTOS.put(key, bytes, { httpMetadata: { contentType: file.contentType } });
    const url = `${SERVED}${key}`;
    await c.env.DB.prepare("UPDATE rooms SET cover_image_url = ? WHERE id = ?").bind(url, roomId).run();
    const old = ownCoverKey(roomId, before.coverImageUrl);
    // A duplicated show starts with its original's cover: that file goes only when no show shows it any more.
    const shared = old && (await c.env.DB.prepare("SELECT 1 AS yes FROM rooms WHERE cover_image_url = ? LIMIT 1").bind(before.coverImageUrl).first());
    if (old && !shared) await c.env.PHOTOS.delete(old);
    return c.json(view({ ...before, coverImageUrl: url }), 200);
  },
);

showMedia.openapi(
  createRoute({
    method: "post",
    path: "/{shopId}/rooms/{roomId}/trailer",
    tags: ["Rooms"],
    summary: "Upload a show's trailer",
    description:
      `A short video as the body: MP4 or WebM (recognised by its bytes), at most ${MAX_TRAILER_BYTES / 1024 / 1024} MB. ` +
      "The show's page plays it muted and looping before the show starts, with the cover as its poster. It replaces the trailer there was.",
    security: shopAccessSecurity,
    middleware: [
      requireShopAccess("owner", "manager"),
      uploadLimit(MAX_TRAILER_BYTES, "A trailer", "keep it short (15–30 seconds at 720p is plenty)."),
    ] as const,
    request: { params: ShowParams, body: { required: true, content: { "video/mp4": { schema: binary }, "video/webm": { schema: binary } } } },
    responses: { 200: jsonContent(ShowMedia, "The show's cover and trailer now"), ...errorResponses(400, 401, 403, 404, 413, 415) },
  }),
  async (c) => {
    const { roomId } = c.req.valid("param");
    const before = await mediaOf(c, roomId);
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const file = readVideoFile(bytes);
    if (!file) throw new ApiError(415, "unsupported_video", "Send an MP4 or WebM video as the request body (its bytes decide, not its Content-Type).");
    const key = `${roomId}/${newTrailerId()}.${file.extension}`;
    await c.env.PHOTOS.put(key, bytes, { httpMetadata: { contentType: file.contentType } });
    await c.env.DB.prepare("UPDATE rooms SET trailer_r2_key = ? WHERE id = ?").bind(key, roomId).run();
    if (before.trailerKey) await c.env.PHOTOS.delete(before.trailerKey);
    return c.json(view({ ...before, trailerKey: key }), 200);
  },
);

showMedia.openapi(
  createRoute({
    method: "delete",
    path: "/{shopId}/rooms/{roomId}/trailer",
    tags: ["Rooms"],
    summary: "Remove a show's trailer",
    security: shopAccessSecurity,
    middleware: [requireShopAccess("owner", "manager")] as const,
    request: { params: ShowParams },
    responses: { 200: jsonContent(ShowMedia, "The show's cover and trailer now"), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const { roomId } = c.req.valid("param");
    const before = await mediaOf(c, roomId);
    await c.env.DB.prepare("UPDATE rooms SET trailer_r2_key = NULL WHERE id = ?").bind(roomId).run();
    if (before.trailerKey) await c.env.PHOTOS.delete(before.trailerKey);
    return c.json(view({ ...before, trailerKey: null }), 200);
  },
);
