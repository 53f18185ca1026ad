/** Shops, their products, and creating a show (room) for a shop. */
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env.ts";
import { hashKey, requireShopAccess, shopAccessSecurity } from "../auth.ts";
import { ApiError, notFound } from "../errors.ts";
import { newApiKeyId } from "../accounts/secrets.ts";
import { guestKeyFor, moderatorKeyFor, newApiKey, newHostKey, newProductId, newRoomId, newShopId } from "../ids.ts";
import {
  CreateProduct,
  CreateRoom,
  CreateShop,
  type Product,
  ProductCreated,
  ProductList,
  RoomCreated,
  ShopCreated,
  ShopParams,
} from "../schemas.ts";
import { roomLinks } from "../links.ts";
import { unwrap } from "../refusals.ts";
import { validationHook } from "../validation.ts";
import { errorResponses, jsonBody, jsonContent } from "../openapi.ts";

export const shops = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

shops.openapi(
  createRoute({
    method: "post",
    path: "/",
    tags: ["Shops"],
    summary: "Create a shop",
    description: "Creates a shop and returns its API key. The key is shown once and stored hashed; keep it safe.",
    request: { body: jsonBody(CreateShop) },
    responses: { 201: jsonContent(ShopCreated, "The shop and its API key"), ...errorResponses(400, 413) },
  }),
  async (c) => {
    const { name, currency } = c.req.valid("json");
    const shop = { id: newShopId(), name, currency };
    const apiKey = newApiKey();
    const keyHash = await hashKey(apiKey);
    const now = Date.now();
    // The shop's first key, in api_keys (what authenticates) and, as before, on the shop.
    await c.env.DB.batch([
      c.env.DB.prepare("INSERT INTO shops (id, name, currency, api_key_hash, created_at) VALUES (?, ?, ?, ?, ?)").bind(shop.id, shop.name, shop.currency, keyHash, now),
      c.env.DB.prepare("INSERT INTO api_keys (id, shop_id, name, key_hash, created_at) VALUES (?, ?, 'Created with the shop', ?, ?)").bind(newApiKeyId(), shop.id, keyHash, now),
    ]);
    return c.json({ shop, apiKey }, 201);
  },
);

shops.openapi(
  createRoute({
    method: "post",
    path: "/{shopId}/products",
    tags: ["Products"],
    summary: "Add a product",
    security: shopAccessSecurity,
    middleware: [requireShopAccess("owner", "manager")] as const,
    request: { params: ShopParams, body: jsonBody(CreateProduct) },
    responses: { 201: jsonContent(ProductCreated, "The product"), ...errorResponses(400, 401, 403, 413) },
  }),
  async (c) => {
    const shop = c.get("shop");
    const input = c.req.valid("json");
    const product = {
      id: newProductId(),
      shopId: shop.id,
      title: input.title,
      description: input.description || null,
      priceCents: input.priceCents,
      currency: shop.currency,
      imageUrl: input.imageUrl ?? null,
    };
    await c.env.DB.prepare(
      "INSERT INTO products (id, shop_id, title, description, price_cents, image_url, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
      .bind(product.id, product.shopId, product.title, product.description, product.priceCents, product.imageUrl, Date.now())
      .run();
    return c.json({ product }, 201);
  },
);

shops.openapi(
  createRoute({
    method: "get",
    path: "/{shopId}/products",
    tags: ["Products"],
    summary: "List a shop's products",
    request: { params: ShopParams },
    responses: { 200: jsonContent(ProductList, "The shop's products, oldest first"), ...errorResponses(400, 404) },
  }),
  async (c) => {
    const { shopId } = c.req.valid("param");
    const shop = await c.env.DB.prepare("SELECT currency FROM shops WHERE id = ?").bind(shopId).first<{ currency: string }>();
    if (!shop) throw notFound(`Shop ${shopId}`);
    const { results } = await c.env.DB.prepare(
      `SELECT id, shop_id AS shopId, title, description, price_cents AS priceCents, image_url AS imageUrl
       FROM products WHERE shop_id = ? ORDER BY created_at, id`,
    )
      .bind(shopId)
      .all<Omit<Product, "currency">>();
    const products = results.map((p) => ({ ...p, currency: shop.currency as Product["currency"] }));
    return c.json({ products }, 200);
  },
);

shops.openapi(
  createRoute({
    method: "post",
    path: "/{shopId}/rooms",
    tags: ["Rooms"],
    summary: "Create a show (room)",
    description:
      "Lists products with the units this show may sell and returns the viewer share link, plus the host, guest and moderator links, which carry their own secret keys.",
    security: shopAccessSecurity,
    middleware: [requireShopAccess("owner", "manager")] as const,
    request: { params: ShopParams, body: jsonBody(CreateRoom) },
    responses: { 201: jsonContent(RoomCreated, "The room and its links"), ...errorResponses(400, 401, 403, 404, 413) },
  }),
  async (c) => {
    const shop = c.get("shop");
    const input = c.req.valid("json");
    const ids = input.products.map((p) => p.productId);
    const { results: found } = await c.env.DB.prepare(
      `SELECT id, title, description, price_cents AS priceCents, image_url AS imageUrl
       FROM products WHERE shop_id = ? AND id IN (SELECT value FROM json_each(?))`,
    )
      .bind(shop.id, JSON.stringify(ids))
      .all<{ id: string; title: string; description: string | null; priceCents: number; imageUrl: string | null }>();
    const byId = new Map(found.map((p) => [p.id, p]));
    const missing = ids.filter((id) => !byId.has(id));
    if (missing.length) throw new ApiError(404, "not_found", `Not products of this shop: ${missing.join(", ")}.`);

    const roomId = newRoomId();
    const hostKey = newHostKey();
    const guestKey = await guestKeyFor(hostKey);
    const moderatorKey = await moderatorKeyFor(hostKey);
    const [hostKeyHash, guestKeyHash, moderatorKeyHash] = await Promise.all([hashKey(hostKey), hashKey(guestKey), hashKey(moderatorKey)]);
    const startsAt = input.startsAt ? new Date(input.startsAt).toISOString() : null;

    // D1 first: a room that exists in the Durable Object always exists in D1.
    await c.env.DB.batch([
      c.env.DB.prepare(
        `INSERT INTO rooms (id, shop_id, title, starts_at, host_key_hash, guest_key_hash, moderator_key_hash, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).bind(roomId, shop.id, input.title, startsAt, hostKeyHash, guestKeyHash, moderatorKeyHash, Date.now()),
      ...input.products.map((p, position) =>
        c.env.DB.prepare("INSERT INTO room_products (room_id, product_id, position, listed) VALUES (?, ?, ?, ?)").bind(
          roomId, p.productId, position, p.stock,
        ),
      ),
    ]);
    const room = unwrap(await c.env.Room.getByName(roomId).setup({
      id: roomId,
      shopId: shop.id,
      shopName: shop.name,
      title: input.title,
      startsAt,
      hostKeyHash,
      guestKeyHash,
      products: input.products.map((p) => {
        const product = byId.get(p.productId)!;
        return { ...product, currency: shop.currency, listed: p.stock };
      }),
    }));
    const links = roomLinks(c.env.PUBLIC_URL || new URL(c.req.url).origin, roomId, { host: hostKey, guest: guestKey, moderator: moderatorKey });
    return c.json({ room, links }, 201);
  },
);

