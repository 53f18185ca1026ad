/**
 * A team member's own profile, as viewers see it on the shows they host: a
 * display name and a photo. Mounted at /api/auth beside the account's other
 * routes; it only ever changes the signed-in account, so a host (or anyone)
 * can change their own profile and nobody else's.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../app-env.ts";
import { requireSession } from "../auth.ts";
import { MAX_PHOTO_BYTES, readPhotoFile } from "../catalogue/photo-file.ts";
import { ApiError } from "../errors.ts";
import { newPhotoId } from "../ids.ts";
import { uploadLimit } from "../media/upload-limit.ts";
import { errorResponses, jsonBody, jsonContent } from "../openapi.ts";
import { EditProfile, ProfileBody } from "../schemas.ts";
import { validationHook } from "../validation.ts";

export const profile = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

const TAG = ["Sign-in"];
const signedIn = [{ session: [] }];
const binary = z.string().openapi({ type: "string", format: "binary" });

async function profileOf(c: Context<AppEnv>) {
  const row = await c.env.DB.prepare("SELECT display_name AS displayName, photo_r2_key AS photoKey FROM accounts WHERE id = ?")
    .bind(c.get("account").id)
    .first<{ displayName: string; photoKey: string | null }>();
  return { displayName: row!.displayName, photoUrl: row!.photoKey && `/photos/${row!.photoKey}`, photoKey: row!.photoKey };
}

const answer = ({ displayName, photoUrl }: { displayName: string; photoUrl: string | null }) => ({ profile: { displayName, photoUrl } });

profile.openapi(
  createRoute({
    method: "patch",
    path: "/me",
    tags: TAG,
    summary: "Change your display name",
    description: "The name viewers see on the shows you host, and your team sees beside your role.",
    security: signedIn,
    middleware: [requireSession()] as const,
    request: { body: jsonBody(EditProfile) },
    responses: { 200: jsonContent(ProfileBody, "Your profile now"), ...errorResponses(400, 401, 403, 413) },
  }),
  async (c) => {
    await c.env.DB.prepare("UPDATE accounts SET display_name = ? WHERE id = ?").bind(c.req.valid("json").displayName, c.get("account").id).run();
    return c.json(answer(await profileOf(c)), 200);
  },
);

profile.openapi(
  createRoute({
    method: "put",
    path: "/me/photo",
    tags: TAG,
    summary: "Set your photo",
    description: `The image itself as the body (JPEG, PNG or WebP, recognised by its bytes; at most ${MAX_PHOTO_BYTES / 1024 / 1024} MB). It replaces your photo.`,
    security: signedIn,
    middleware: [requireSession(), uploadLimit(MAX_PHOTO_BYTES, "A photo", "resize it (a few hundred pixels is plenty for a face).")] as const,
    request: { body: { required: true, content: { "image/jpeg": { schema: binary }, "image/png": { schema: binary }, "image/webp": { schema: binary } } } },
    responses: { 200: jsonContent(ProfileBody, "Your profile now"), ...errorResponses(400, 401, 403, 413, 415) },
  }),
  async (c) => {
    const before = await profileOf(c);
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const file = readPhotoFile(bytes);
    if (!file) throw new ApiError(415, "unsupported_image", "Send a JPEG, PNG or WebP image as the request body (its bytes decide, not its Content-Type).");
    // Not under the account id: a photo shown on a public page must not tell who the account is.
    const key = `profiles/${newPhotoId()}.${file.extension}`;
    await c.env.PHOTOS.put(key, bytes, { httpMetadata: { contentType: file.contentType } });
    await c.env.DB.prepare("UPDATE accounts SET photo_r2_key = ? WHERE id = ?").bind(key, c.get("account").id).run();
    if (before.photoKey) await c.env.PHOTOS.delete(before.photoKey);
    return c.json(answer({ displayName: before.displayName, photoUrl: `/photos/${key}` }), 200);
  },
);

profile.openapi(
  createRoute({
    method: "delete",
    path: "/me/photo",
    tags: TAG,
    summary: "Remove your photo",
    security: signedIn,
    middleware: [requireSession()] as const,
    responses: { 200: jsonContent(ProfileBody, "Your profile now"), ...errorResponses(401, 403) },
  }),
  async (c) => {
    const before = await profileOf(c);
    await c.env.DB.prepare("UPDATE accounts SET photo_r2_key = NULL WHERE id = ?").bind(c.get("account").id).run();
    if (before.photoKey) await c.env.PHOTOS.delete(before.photoKey);
    return c.json(answer({ displayName: before.displayName, photoUrl: null }), 200);
  },
);
