/**
 * The show's private rehearsal (durable-objects/rehearsal.ts): its host
 * starts it (again, from scratch, for each run) and ends it. It is set up
 * from the show's listing in D1, with the show's live title and start, so
 * the studio and the products are the show's own; its counters are fresh.
 */
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { rehearsalOf } from "../../durable-objects/rehearsal.ts";
import type { AppEnv } from "../app-env.ts";
import { bearerKey, requireHost, shopAccessSecurity } from "../auth.ts";
import { listShow } from "../catalogue/show-listing.ts";
import { ApiError, notFound } from "../errors.ts";
import { errorResponses, jsonContent } from "../openapi.ts";
import { unwrap } from "../refusals.ts";
import { Done, RehearsalCreated, RoomParams, type Shop } from "../schemas.ts";
import { validationHook } from "../validation.ts";

export const rehearsal = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

rehearsal.openapi(
  createRoute({
    method: "post",
    path: "/{roomId}/rehearsal",
    tags: ["Rooms"],
    summary: "Start (or restart) the show's private rehearsal (host)",
    description:
      "While the show is scheduled: a private copy of it, `{roomId}.rehearsal`, with the same title, start, products, variants and units, and fresh counters. " +
      "Only the show's team (members of its shop, its host and moderator keys, the shop's API key) may open it; everyone else gets `403 not_public_yet`. " +
      "Its orders are test orders: never in D1, the shop's lists, counts or revenue, never paid for, never emailed. Calling it again starts a new run from scratch.",
    security: shopAccessSecurity,
    middleware: [requireHost()] as const,
    request: { params: RoomParams },
    responses: { 201: jsonContent(RehearsalCreated, "The rehearsal and its links"), ...errorResponses(400, 401, 403, 404, 409, 422) },
  }),
  async (c) => {
    const { id: roomId, shopId, hostKeyHash } = c.get("room");
    const show = await c.get("roomStub").getState();
    if (!show) throw notFound(`Room ${roomId}`);
    if (show.status !== "scheduled") throw new ApiError(409, "show_started", "A show is rehearsed before it starts; this one is live or has ended.");
    const db = c.env.DB;
    const [shops, rooms, products, variants] = await db.batch([
      db.prepare("SELECT id, name, currency FROM shops WHERE id = ?").bind(shopId),
      db.prepare("SELECT guest_key_hash AS guestKeyHash FROM rooms WHERE id = ?").bind(roomId),
      db.prepare(
        `SELECT product_id AS productId, listed AS stock FROM room_products
         WHERE room_id = ?1 AND product_id NOT IN (SELECT product_id FROM room_variants WHERE room_id = ?1) ORDER BY position`,
      ).bind(roomId),
      db.prepare("SELECT variant_id AS variantId, listed AS stock FROM room_variants WHERE room_id = ? ORDER BY position").bind(roomId),
    ]);
    const shop = shops!.results[0] as Shop;
    const listed = await listShow(db, shop, {
      products: products!.results as { productId: string; stock: number }[],
      variants: variants!.results as { variantId: string; stock: number }[],
    });
    const id = rehearsalOf(roomId);
    const room = unwrap(
      await c.env.Room.getByName(id).rehearse({
        id,
        shopId,
        shopName: shop.name,
        title: show.title,
        startsAt: show.startsAt,
        hostKeyHash,
        guestKeyHash: (rooms!.results[0] as { guestKeyHash: string }).guestKeyHash,
        products: listed.setup,
      }),
    );
    const origin = c.env.PUBLIC_URL || new URL(c.req.url).origin;
    // A host who came with the host key keeps it (in the fragment, never sent to a server); a session needs none.
    const key = c.get("actor").role === "host" ? bearerKey(c) : null;
    return c.json({ room, links: { studio: `${origin}/studio/${id}${key ? `#key=${key}` : ""}`, viewer: `${origin}/r/${id}` } }, 201);
  },
);

rehearsal.openapi(
  createRoute({
    method: "delete",
    path: "/{roomId}/rehearsal",
    tags: ["Rooms"],
    summary: "End the show's rehearsal (host)",
    description: "Its room is emptied (its test orders, chat and stage go with it); its links answer 404 until the next rehearsal. The show itself is untouched.",
    security: shopAccessSecurity,
    middleware: [requireHost()] as const,
    request: { params: RoomParams },
    responses: { 200: jsonContent(Done, "Ended"), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    await c.env.Room.getByName(rehearsalOf(c.get("room").id)).endRehearsal();
    return c.json({ ok: true as const }, 200);
  },
);
