/**
 * Orders: placing one in a live room (exactly once per Idempotency-Key),
 * reading it back, and the shop's and the studio's order lists.
 */
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { PlaceOrder } from "../../durable-objects/orders.ts";
import type { AppEnv } from "../app-env.ts";
import { visitorLang } from "../visitor-lang.ts";
import { bearerKey, hashKey, requireHost, requireRoom, requireShopAccess, shopAccessSecurity, shopForKey } from "../auth.ts";
import { ApiError, notFound } from "../errors.ts";
import { roomOfOrder } from "../ids.ts";
import { isRehearsal } from "../../durable-objects/rehearsal.ts";
import { IDS } from "../openapi-examples.ts";
import { errorResponses, jsonBody, jsonContent } from "../openapi.ts";
import { createCheckoutSession, STRIPE_HOLD_MS, stripeConfig } from "../payments/stripe.ts";
import { unwrap } from "../refusals.ts";
import { findRoom } from "../room-directory.ts";
import {
  CreateOrder,
  IdempotencyHeader,
  OrderCreated,
  OrderParams,
  OrderView,
  RoomOrders,
  RoomAddressParams,
  ShopOrders,
  ShopOrdersQuery,
  ShopParams,
} from "../schemas.ts";
import { fulfilment } from "../fulfilment/routes.ts";
import { orderView } from "../fulfilment/store.ts";
import { ordersCsv, shopOrders } from "../shop-orders.ts";
import { validationHook } from "../validation.ts";

export const orders = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

const roomOf = (c: Context<AppEnv>, roomId: string) => c.env.Room.getByName(roomId);

/** Two orders of the examples' show as ordersCsv writes them: one to pick up (ready), one shipped. */
const ORDERS_CSV_EXAMPLE = [
  "order_id,number,room_id,created_at,status,payment,product_id,title,quantity,unit_price,total,currency,buyer_name,buyer_email,buyer_phone," +
    "fulfilment,address,ref,deal_id,show_title,fulfilment_status,carrier,tracking_url,packed_at,shipped_at,picked_up_at,cancelled_at,variant,sku,phase",
  `${IDS.order},17,${IDS.room},2027-03-18T12:07:42.000Z,confirmed,offline,${IDS.product},"Jasmine pearls, 100 g",2,18.99,37.98,USD,Mei Lin,mei@example.com,'+86 138 0013 8000,` +
    `pickup,,mei,,"Spring tea tasting, live from the shop",packed,,,2027-03-19T09:15:00.000Z,,,,,,live`,
  `o_Q8s2mK0vT5yH3nB6Lk3Pz8Rw1c,16,${IDS.room},2027-03-18T12:05:10.000Z,confirmed,offline,${IDS.product},"Jasmine pearls, 100 g",1,18.99,18.99,USD,Wang Fang,wang@example.com,,` +
    `shipping,"1288 Nanjing West Road, Unit 5B, 200040, Shanghai, Jing'an, CN",,,"Spring tea tasting, live from the shop",shipped,SF Express,` +
    "https://tracking.example.com/1Z999AA10123456784,2027-03-19T09:15:00.000Z,2027-03-19T10:05:00.000Z,,,,,replay",
  "",
].join("\r\n");

orders.openapi(
  createRoute({
    method: "post",
    path: "/rooms/{roomId}/orders",
    tags: ["Orders"],
    summary: "Buy a product of the show",
    description:
      "Takes the units atomically in the room. Send a unique `Idempotency-Key` per order attempt and reuse it when retrying: " +
      "the same key and body return the same order (even if the first response was lost); the same key with another body is refused (422). " +
      "With no payment keys set the order is confirmed at once (pay at pickup / on invoice); with Stripe set, the units are held " +
      "until Stripe confirms payment, and `checkoutUrl` is where to pay.",
    middleware: [requireRoom()] as const,
    request: { params: RoomAddressParams, headers: IdempotencyHeader, body: jsonBody(CreateOrder) },
    responses: {
      201: jsonContent(OrderCreated, "The order (also for a repeated Idempotency-Key)"),
      ...errorResponses(400, 404, 409, 413, 422, 502),
    },
  }),
  async (c) => {
    const { roomId } = c.req.valid("param");
    const body = c.req.valid("json");
    const idempotencyKey = c.req.valid("header")["idempotency-key"];
    const stripe = stripeConfig(c.env);
    const room = c.get("roomStub");
    const input: PlaceOrder = {
      idempotencyKey,
      requestHash: await hashKey(JSON.stringify(body)),
      productId: body.productId,
      variantId: body.variantId ?? null,
      quantity: body.quantity,
      buyer: { name: body.buyer.name, email: body.buyer.email, phone: body.buyer.phone || null },
      fulfilment: body.fulfilment.type === "shipping" ? body.fulfilment : { type: "pickup", address: null },
      ref: body.ref ?? null,
      // A rehearsal's test order is never a real checkout.
      payment: stripe && !isRehearsal(roomId) ? "stripe" : "offline",
      holdMs: STRIPE_HOLD_MS,
      // The confirmation email (sent by the room's outbox once the order is confirmed) links back here, in the buyer's words.
      notify: { origin: c.env.PUBLIC_URL || new URL(c.req.url).origin, language: visitorLang(c.req.raw) },
    };
    const result = unwrap(await room.placeOrder(input));
    let { order, checkoutUrl } = result;

    if (stripe && order.status === "awaiting_payment" && !checkoutUrl) {
      const origin = c.env.PUBLIC_URL || new URL(c.req.url).origin;
      try {
        const session = await createCheckoutSession(stripe, order, {
          success: `${origin}/o/${order.id}`,
          cancel: `${origin}/r/${roomId}`,
        });
        await room.attachCheckout(order.id, session.id, session.url);
        checkoutUrl = session.url;
      } catch (error) {
        console.error("stripe checkout failed", order.id, String(error));
        // Give the units back rather than hold them for a checkout that doesn't exist.
        order = (await room.settle(order.id, "cancelled")) ?? order;
        throw new ApiError(502, "payment_unavailable", "The payment provider could not be reached; nothing was charged. Please try again.");
      }
    }
    if (result.replayed) c.header("Idempotent-Replayed", "true");
    return c.json({ order, orderToken: result.token, checkoutUrl }, 201);
  },
);

orders.openapi(
  createRoute({
    method: "get",
    path: "/orders/{orderId}",
    tags: ["Orders"],
    summary: "Read an order",
    description:
      "With the order's token (`Authorization: Bearer ot_...`, as returned when it was placed) or the shop's API key. The order is always " +
      "current (read from the room); beside it, where it is on its way (packed, shipped with carrier and tracking link, picked up), the shop " +
      "and how to reach it, the show, and for a pickup order the store's address and opening hours.",
    security: [{ bearer: [] }],
    request: { params: OrderParams },
    responses: { 200: jsonContent(OrderView, "The order and its progress"), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const { orderId } = c.req.valid("param");
    const key = bearerKey(c);
    if (!key) throw new ApiError(401, "unauthorized", "Send the order's token (ot_...) or the shop's API key as a Bearer token.");
    if (!(await findRoom(c.env.DB, roomOfOrder(orderId)))) throw notFound(`Order ${orderId}`);
    const room = roomOf(c, roomOfOrder(orderId));
    if (key.startsWith("sk_")) {
      const shop = await shopForKey(c.env.DB, key);
      if (!shop) throw new ApiError(401, "unauthorized", "This API key is not valid.");
      const order = await room.getOrder(orderId, null, true);
      if (!order) throw notFound(`Order ${orderId}`);
      if (order.shopId !== shop.id) throw new ApiError(403, "forbidden", "This order belongs to another shop.");
      return c.json(await orderView(c.env.DB, order), 200);
    }
    // A wrong token answers like a missing order, so tokens cannot be probed.
    const order = await room.getOrder(orderId, key);
    if (!order) throw notFound(`Order ${orderId}`);
    return c.json(await orderView(c.env.DB, order), 200);
  },
);

orders.openapi(
  createRoute({
    method: "get",
    path: "/rooms/{roomId}/orders",
    tags: ["Orders"],
    summary: "The show's orders, live (for the studio)",
    description: "The newest 200 orders of this show, from the room itself. Host key or the shop's API key.",
    security: [{ bearer: [] }],
    middleware: [requireHost()] as const,
    request: { params: RoomAddressParams },
    responses: { 200: jsonContent(RoomOrders, "Newest first"), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => c.json({ orders: await c.get("roomStub").listOrders() }, 200),
);

orders.openapi(
  createRoute({
    method: "get",
    path: "/shops/{shopId}/orders",
    tags: ["Orders"],
    summary: "A shop's orders (JSON or CSV)",
    description:
      "Across shows, newest first, with buyer, items, totals, payment and fulfilment status and referral code; filtered by show (`roomId`), " +
      "`status`, `fulfilmentStatus` and time placed (`from`, `to`), a page at a time (`limit`, then `cursor` = the last page's `nextCursor`). " +
      "`?format=csv` (or `Accept: text/csv`) for a spreadsheet of up to 5,000 matching orders.",
    security: shopAccessSecurity,
    middleware: [requireShopAccess("owner", "manager")] as const,
    request: { params: ShopParams, query: ShopOrdersQuery },
    responses: {
      200: {
        description: "The orders",
        content: { "application/json": { schema: ShopOrders }, "text/csv": { schema: { type: "string" }, example: ORDERS_CSV_EXAMPLE } },
      },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const shop = c.get("shop");
    const { format, ...filters } = c.req.valid("query");
    const wantsCsv = format === "csv" || (c.req.header("Accept") ?? "").includes("text/csv");
    if (wantsCsv) {
      const { orders: list } = await shopOrders(c.env.DB, shop.id, { ...filters, limit: 5000 });
      return c.body(ordersCsv(list), 200, {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="orders-${shop.id}.csv"`,
      });
    }
    return c.json(await shopOrders(c.env.DB, shop.id, filters), 200);
  },
);

orders.route("/", fulfilment);
