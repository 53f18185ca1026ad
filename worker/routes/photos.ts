/**
 * Product photos: uploaded as the raw image (from a phone's camera or
 * gallery, resized in the browser first), kept in R2 and served by the
 * Worker at /photos/{key}. A key is never reused (a new photo gets a new
 * one), so a served photo is immutable and cached for a year.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env.ts";
import { requireShopAccess, shopAccessSecurity } from "../auth.ts";
import { photoUrl, readProduct } from "../catalogue/catalogue.ts";
import { MAX_PHOTO_BYTES, readPhotoFile } from "../catalogue/photo-file.ts";
import { ApiError, notFound } from "../errors.ts";
import { newPhotoId } from "../ids.ts";
import { servedFile } from "../media/served-file.ts";
import { uploadLimit } from "../media/upload-limit.ts";
import { errorResponses, jsonBody, jsonContent } from "../openapi.ts";
import { MAX_PHOTOS, PhotoBody, PhotoList, PhotoOrder, PhotoParams, ProductParams } from "../schemas.ts";
import { validationHook } from "../validation.ts";

export const photos = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

const ID = "[0-9A-Za-z]{16}";
/** The keys the uploads write: product photos, show covers and trailers, team members' photos. */
const SERVED_KEYS = [
  new RegExp(`^p_${ID}/ph_${ID}\\.(jpg|png|webp)$`),
  new RegExp(`^r_${ID}/cv_${ID}\\.(jpg|png|webp)$`),
  new RegExp(`^r_${ID}/tr_${ID}\\.(mp4|webm)$`),
  // A replay's thumbnail (worker/recording/library-routes.ts).
  new RegExp(`^r_${ID}/th_${ID}\\.(jpg|png|webp)$`),
  new RegExp(`^profiles/ph_${ID}\\.(jpg|png|webp)$`),
];
const binary = z.string().openapi({ type: "string", format: "binary" });

type PhotoRow = { id: string; r2_key: string | null; url: string | null; width: number | null; height: number | null };
const photoView = (row: PhotoRow) => ({ id: row.id, url: photoUrl(row), width: row.width, height: row.height });

photos.openapi(
  createRoute({
    method: "post",
    path: "/{shopId}/products/{productId}/photos",
    tags: ["Products"],
    summary: "Upload a photo",
    description:
      `The image itself as the body (JPEG, PNG or WebP, recognised by its bytes; at most ${MAX_PHOTO_BYTES / 1024 / 1024} MB). ` +
      `It goes after the product's other photos (at most ${MAX_PHOTOS}); the first photo is the one small cards show.`,
    security: shopAccessSecurity,
    middleware: [
      requireShopAccess("owner", "manager"),
      uploadLimit(MAX_PHOTO_BYTES, "A photo", "resize it (about 1600 px on the longest side is plenty)."),
    ] as const,
    request: {
      params: ProductParams,
      body: { required: true, content: { "image/jpeg": { schema: binary }, "image/png": { schema: binary }, "image/webp": { schema: binary } } },
    },
    responses: { 201: jsonContent(PhotoBody, "The photo, with its address and size"), ...errorResponses(400, 401, 403, 404, 409, 413, 415) },
  }),
  async (c) => {
    const shop = c.get("shop");
    const { productId } = c.req.valid("param");
    const product = await readProduct(c.env.DB, shop, productId);
    if (product.photos.length >= MAX_PHOTOS) throw new ApiError(409, "too_many_photos", `A product has at most ${MAX_PHOTOS} photos; delete one first.`);
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const file = readPhotoFile(bytes);
    if (!file) throw new ApiError(415, "unsupported_image", "Send a JPEG, PNG or WebP image as the request body (its bytes decide, not its Content-Type).");
    const id = newPhotoId();
    const key = `${productId}/${id}.${file.extension}`;
    await c.env.PHOTOS.put(key, bytes, { httpMetadata: { contentType: file.contentType } });
    try {
      await c.env.DB.prepare(
        `INSERT INTO product_photos (id, product_id, position, r2_key, content_type, width, height, created_at)
         VALUES (?, ?, (SELECT coalesce(max(position), -1) + 1 FROM product_photos WHERE product_id = ?), ?, ?, ?, ?, ?)`,
      )
        .bind(id, productId, productId, key, file.contentType, file.width, file.height, Date.now())
        .run();
    } catch (error) {
      await c.env.PHOTOS.delete(key);
      throw error;
    }
    return c.json({ photo: photoView({ id, r2_key: key, url: null, width: file.width, height: file.height }) }, 201);
  },
);

photos.openapi(
  createRoute({
    method: "put",
    path: "/{shopId}/products/{productId}/photos/order",
    tags: ["Products"],
    summary: "Reorder the photos",
    security: shopAccessSecurity,
    middleware: [requireShopAccess("owner", "manager")] as const,
    request: { params: ProductParams, body: jsonBody(PhotoOrder) },
    responses: { 200: jsonContent(PhotoList, "The photos in their new order"), ...errorResponses(400, 401, 403, 404, 413) },
  }),
  async (c) => {
    const { productId } = c.req.valid("param");
    const { photoIds } = c.req.valid("json");
    const product = await readProduct(c.env.DB, c.get("shop"), productId);
    const current = product.photos.map((p) => p.id);
    if (photoIds.length !== current.length || new Set(photoIds).size !== current.length || !photoIds.every((id) => current.includes(id))) {
      throw new ApiError(400, "invalid_request", `photoIds: list each of the product's ${current.length} photos once (${current.join(", ") || "it has none"}).`);
    }
    // D1 refuses an empty batch: a product without photos has nothing to reorder.
    if (photoIds.length) {
      await c.env.DB.batch(
        photoIds.map((id, position) => c.env.DB.prepare("UPDATE product_photos SET position = ? WHERE id = ? AND product_id = ?").bind(position, id, productId)),
      );
    }
    const byId = new Map(product.photos.map((p) => [p.id, p]));
    return c.json({ photos: photoIds.map((id) => byId.get(id)!) }, 200);
  },
);

photos.openapi(
  createRoute({
    method: "delete",
    path: "/{shopId}/products/{productId}/photos/{photoId}",
    tags: ["Products"],
    summary: "Delete a photo",
    description: "Removes it from the product and its bytes from storage.",
    security: shopAccessSecurity,
    middleware: [requireShopAccess("owner", "manager")] as const,
    request: { params: PhotoParams },
    responses: { 204: { description: "Deleted" }, ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const { productId, photoId } = c.req.valid("param");
    await readProduct(c.env.DB, c.get("shop"), productId);
    const row = await c.env.DB.prepare("DELETE FROM product_photos WHERE id = ? AND product_id = ? RETURNING r2_key")
      .bind(photoId, productId)
      .first<{ r2_key: string | null }>();
    if (!row) throw notFound(`Photo ${photoId} of this product`);
    if (row.r2_key) await c.env.PHOTOS.delete(row.r2_key);
    return c.body(null, 204);
  },
);

/**
 * GET /photos/{key}: an uploaded file's bytes (servedFile): a product's photo, a show's cover or
 * trailer (routes/show-media.ts), a team member's photo (routes/profile.ts).
 */
export const photoFiles = new OpenAPIHono<AppEnv>();

photoFiles.get("/*", async (c) => {
  const key = c.req.path.slice("/photos/".length);
  if (!SERVED_KEYS.some((pattern) => pattern.test(key))) throw notFound("This photo");
  return servedFile(c.env.PHOTOS, key, c.req.raw);
});
