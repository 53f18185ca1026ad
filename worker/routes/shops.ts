/** Shops, and creating a show (room) for a shop. The catalogue's routes are in products.ts and photos.ts. */
import { eventStatements, handOverEvents, newEventId, type WebhookEvent } from "../webhooks/events.ts";
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env.ts";
import { hashKey, requireShopAccess, shopAccessSecurity } from "../auth.ts";
import { newApiKeyId } from "../accounts/secrets.ts";
import { listShow } from "../catalogue/show-listing.ts";
import { freeSlugFor, isSlugConflict, randomSlug } from "../shop-page/slugs.ts";
import { newApiKey, newHostKey, newRoomId, newShopId } from "../ids.ts";
import { CreateRoom, CreateShop, RoomCreated, ShopCreated, ShopParams } from "../schemas.ts";
import { roomLinks } from "../links.ts";
import { unwrap } from "../refusals.ts";
import { serverRoomKeys } from "../room-keys.ts";
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
    const id = newShopId();
    const apiKey = newApiKey();
    const keyHash = await hashKey(apiKey);
    const now = Date.now();
    // The shop's first key, in api_keys (what authenticates) and, as before, on the shop.
    const create = (slug: string) =>
      c.env.DB.batch([
        c.env.DB.prepare("INSERT INTO shops (id, name, currency, api_key_hash, created_at, slug) VALUES (?, ?, ?, ?, ?, ?)").bind(id, name, currency, keyHash, now, slug),
        c.env.DB.prepare("INSERT INTO api_keys (id, shop_id, name, key_hash, created_at) VALUES (?, ?, 'Created with the shop', ?, ?)").bind(newApiKeyId(), id, keyHash, now),
      ]);
    let slug = await freeSlugFor(c.env.DB, id, name, now);
    try {
      await create(slug);
    } catch (error) {
      // Another shop of the same name was made at the same moment: this one gets random characters after its name.
      if (!isSlugConflict(error)) throw error;
      await create((slug = randomSlug(slug)));
    }
    return c.json({ shop: { id, name, currency, slug }, apiKey }, 201);
  },
);

shops.openapi(
  createRoute({
    method: "post",
    path: "/{shopId}/rooms",
    tags: ["Rooms"],
    summary: "Create a show (room)",
    description:
      "Lists products with the units this show may sell (`products` for products sold as one thing, `variants` for each size / colour of " +
      "those that have variants) and returns the viewer share link, plus the host, guest and moderator links, which carry their own secret keys.",
    security: shopAccessSecurity,
    middleware: [requireShopAccess("owner", "manager")] as const,
    request: { params: ShopParams, body: jsonBody(CreateRoom) },
    responses: { 201: jsonContent(RoomCreated, "The room and its links"), ...errorResponses(400, 401, 403, 404, 413, 422) },
  }),
  async (c) => {
    const shop = c.get("shop");
    const input = c.req.valid("json");
    const listed = await listShow(c.env.DB, shop, input);

    const roomId = newRoomId();
    const hostKey = newHostKey();
    // From the server's secret, so a signed-in host (who has no host key) can be given the guest and moderator links too.
    const { guest: guestKey, moderator: moderatorKey } = await serverRoomKeys(c.env.DB, roomId);
    const [hostKeyHash, guestKeyHash, moderatorKeyHash] = await Promise.all([hashKey(hostKey), hashKey(guestKey), hashKey(moderatorKey)]);
    const startsAt = input.startsAt ? new Date(input.startsAt).toISOString() : null;

    const scheduled: WebhookEvent = {
      id: newEventId(), shopId: shop.id, roomId, type: "show.scheduled", at: Date.now(),
      data: { roomId, shopId: shop.id, title: input.title, status: "scheduled", startsAt },
    };
    // D1 first: a room that exists in the Durable Object always exists in D1. Its webhook event is written with it.
    await c.env.DB.batch([
      c.env.DB.prepare(
        `INSERT INTO rooms (id, shop_id, title, starts_at, host_key_hash, guest_key_hash, moderator_key_hash, keys_by_server, created_at, recording)
         VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
      ).bind(roomId, shop.id, input.title, startsAt, hostKeyHash, guestKeyHash, moderatorKeyHash, Date.now(), input.recording ? 1 : 0),
      ...listed.products.map((p, position) =>
        c.env.DB.prepare("INSERT INTO room_products (room_id, product_id, position, listed) VALUES (?, ?, ?, ?)").bind(
          roomId, p.productId, position, p.listed,
        ),
      ),
      ...listed.variants.map((v, position) =>
        c.env.DB.prepare("INSERT INTO room_variants (room_id, variant_id, product_id, position, listed) VALUES (?, ?, ?, ?, ?)").bind(
          roomId, v.variantId, v.productId, position, v.listed,
        ),
      ),
      ...eventStatements(c.env.DB, scheduled),
    ]);
    await handOverEvents(c.env, [scheduled.id]);
    const room = unwrap(await c.env.Room.getByName(roomId).setup({
      id: roomId,
      shopId: shop.id,
      shopName: shop.name,
      title: input.title,
      startsAt,
      hostKeyHash,
      guestKeyHash,
      products: listed.setup,
    }));
    const links = roomLinks(c.env.PUBLIC_URL || new URL(c.req.url).origin, roomId, { host: hostKey, guest: guestKey, moderator: moderatorKey });
    return c.json({ room, links }, 201);
  },
);

