/**
 * A shop's API keys in its console: listed (never the key, only its hash is
 * kept), made with a name (the key shown once) and revoked. A revoked key
 * stops working on the next request (`shopForKey` reads D1 every time).
 * Only the owner, signed in, makes and revokes keys: a key cannot mint
 * another, and a manager cannot cut off the owner's scripts.
 */
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { newApiKeyId } from "../accounts/secrets.ts";
import type { AppEnv } from "../app-env.ts";
import { hashKey, requireShopAccess, shopAccessSecurity } from "../auth.ts";
import { ApiError, notFound } from "../errors.ts";
import { newApiKey } from "../ids.ts";
import { errorResponses, jsonBody, jsonContent } from "../openapi.ts";
import { ApiKeyCreated, ApiKeyList, ApiKeyParams, CreateApiKey, RevokeApiKey, ShopParams, type ApiKey } from "../schemas.ts";
import { validationHook } from "../validation.ts";

export const apiKeys = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

const COLUMNS = "id, name, created_at AS createdAt, last_used_at AS lastUsedAt, revoked_at AS revokedAt";

/** requireShopAccess("owner") lets any live key in too; making and revoking keys takes the signed-in owner. */
function ownerSignedIn(c: Context<AppEnv>): void {
  if (!c.get("account")) {
    throw new ApiError(403, "forbidden", "Only the shop's owner, signed in to the console, makes and revokes API keys; an API key cannot.");
  }
}

apiKeys.openapi(
  createRoute({
    method: "get",
    path: "/{shopId}/api-keys",
    tags: ["API keys"],
    summary: "The shop's API keys",
    description: "Newest first, revoked ones included; never the keys themselves.",
    security: shopAccessSecurity,
    middleware: [requireShopAccess("owner", "manager")] as const,
    request: { params: ShopParams },
    responses: { 200: jsonContent(ApiKeyList, "The keys"), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const { results } = await c.env.DB.prepare(`SELECT ${COLUMNS} FROM api_keys WHERE shop_id = ? ORDER BY created_at DESC, id`)
      .bind(c.get("shop").id)
      .all<ApiKey>();
    c.header("Cache-Control", "no-store");
    return c.json({ apiKeys: results }, 200);
  },
);

apiKeys.openapi(
  createRoute({
    method: "post",
    path: "/{shopId}/api-keys",
    tags: ["API keys"],
    summary: "Make an API key",
    description: "The key is in this answer only; the shop keeps its hash. The signed-in owner only.",
    security: [{ session: [] }],
    middleware: [requireShopAccess("owner")] as const,
    request: { params: ShopParams, body: jsonBody(CreateApiKey) },
    responses: { 201: jsonContent(ApiKeyCreated, "The key, shown once"), ...errorResponses(400, 401, 403, 404, 413) },
  }),
  async (c) => {
    ownerSignedIn(c);
    const key = newApiKey();
    const apiKey: ApiKey = { id: newApiKeyId(), name: c.req.valid("json").name, createdAt: Date.now(), lastUsedAt: null, revokedAt: null };
    await c.env.DB.prepare("INSERT INTO api_keys (id, shop_id, name, key_hash, created_at) VALUES (?, ?, ?, ?, ?)")
      .bind(apiKey.id, c.get("shop").id, apiKey.name, await hashKey(key), apiKey.createdAt)
      .run();
    c.header("Cache-Control", "no-store");
    return c.json({ apiKey, key }, 201);
  },
);

apiKeys.openapi(
  createRoute({
    method: "post",
    path: "/{shopId}/api-keys/{keyId}/revoke",
    tags: ["API keys"],
    summary: "Revoke an API key",
    description:
      "It stops working at once. Revoking the shop's last live key takes `confirmLast: true` (409 `last_key` without). Revoking a revoked key changes nothing. The signed-in owner only.",
    security: [{ session: [] }],
    middleware: [requireShopAccess("owner")] as const,
    request: { params: ApiKeyParams, body: jsonBody(RevokeApiKey) },
    responses: { 200: jsonContent(ApiKeyList, "The keys after the change"), ...errorResponses(400, 401, 403, 404, 409, 413) },
  }),
  async (c) => {
    ownerSignedIn(c);
    const shopId = c.get("shop").id;
    const { keyId } = c.req.valid("param");
    const { confirmLast } = c.req.valid("json");
    const key = await c.env.DB.prepare("SELECT revoked_at AS revokedAt FROM api_keys WHERE id = ? AND shop_id = ?").bind(keyId, shopId).first<{ revokedAt: number | null }>();
    if (!key) throw notFound(`API key ${keyId} of this shop`);
    if (key.revokedAt === null) {
      // One statement decides: it revokes only if another live key remains, or the owner confirmed.
      const result = await c.env.DB.prepare(
        `UPDATE api_keys SET revoked_at = ? WHERE id = ? AND shop_id = ? AND revoked_at IS NULL
         AND (? OR EXISTS (SELECT 1 FROM api_keys k WHERE k.shop_id = ? AND k.id != ? AND k.revoked_at IS NULL))`,
      )
        .bind(Date.now(), keyId, shopId, confirmLast ? 1 : 0, shopId, keyId)
        .run();
      if (result.meta.changes === 0) {
        throw new ApiError(409, "last_key", "This is the shop's last live API key: scripts using it will stop working. Send confirmLast: true to revoke it anyway.");
      }
    }
    const { results } = await c.env.DB.prepare(`SELECT ${COLUMNS} FROM api_keys WHERE shop_id = ? ORDER BY created_at DESC, id`).bind(shopId).all<ApiKey>();
    return c.json({ apiKeys: results }, 200);
  },
);
