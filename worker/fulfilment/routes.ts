/**
 * The shop's fulfilment routes: one order in full, moving it on (packed,
 * shipped, picked up), cancelling it, and the shop's pickup store. Mounted
 * by routes/orders.ts; every route takes the shop's key, or the session of its owner or a manager (requireShopAccess).
 */
import { handOverEvents, newEventId, type WebhookEvent } from "../webhooks/events.ts";
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../app-env.ts";
import { requireShopAccess, shopAccessSecurity } from "../auth.ts";
import { ApiError, notFound } from "../errors.ts";
import { errorResponses, jsonBody, jsonContent } from "../openapi.ts";
import { unwrap } from "../refusals.ts";
import { PickupStore, PickupStoreBody, ShopOrderDetail, ShopOrderParams, ShopParams, UpdateFulfilment } from "../schemas.ts";
import type { ShopOrderView } from "../shop-orders.ts";
import { validationHook } from "../validation.ts";
import { correctTracking, findShopOrder, fulfilmentHistory, markTold, pickupStore, recordStep, savePickupStore, untoldStep } from "./store.ts";
import { decideStep, type Step } from "./transitions.ts";
import { sendEmail } from "../email/send-email.ts";
import { readyForPickupEmail, shippedEmail } from "./order-emails.ts";

export const fulfilment = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

/** Who took a step: `account:{id}` for a signed-in member, else `api_key`. */
const actorOf = (c: Context<AppEnv>) => {
  const account = c.get("account");
  return account ? `account:${account.id}` : "api_key";
};

/**
 * The buyer's status email for a step (shipped, or ready for pickup),
 * queued (worker/email/) before the step is answered, in the language the
 * buyer ordered in (the show's room remembers it). The step records when
 * the email was queued; until then every repeat of the step tries again,
 * and the answer is a 503 that says so, never a success.
 */
async function tellBuyerOnce(c: Context<AppEnv>, order: ShopOrderView): Promise<void> {
  const telling = order.fulfilmentStatus === "shipped" || (order.fulfilmentStatus === "packed" && order.fulfilment.type === "pickup");
  if (!telling) return;
  const stepId = await untoldStep(c.env.DB, order.id, order.fulfilmentStatus as Step);
  if (stepId === null) return;
  try {
    await tellBuyer(c, order);
  } catch (error) {
    console.error("status email not queued", order.id, String(error));
    throw new ApiError(
      503,
      "email_not_queued",
      `The order is ${order.fulfilmentStatus.replace("_", " ")}, but the buyer's email could not be queued. Repeat this request to send it; the step is not taken twice.`,
    );
  }
  await markTold(c.env.DB, stepId, Date.now());
}

async function tellBuyer(c: Context<AppEnv>, order: ShopOrderView): Promise<void> {
  const shop = c.get("shop");
  const [store, notify] = await Promise.all([pickupStore(c.env.DB, shop.id), c.env.Room.getByName(order.roomId).buyerNotify(order.id)]);
  const context = {
    order,
    shop: { name: shop.name, contactEmail: store?.contactEmail ?? null, contactPhone: store?.contactPhone ?? null },
    show: { title: order.showTitle },
    origin: c.env.PUBLIC_URL || new URL(c.req.url).origin,
    language: notify?.language ?? null,
  };
  await sendEmail(
    c.env,
    order.fulfilmentStatus === "shipped"
      ? shippedEmail({ ...context, carrier: order.carrier, trackingUrl: order.trackingUrl })
      : readyForPickupEmail({ ...context, store: store && { address: store.address, hours: store.hours } }),
  );
}

async function loadOrder(c: Context<AppEnv>, orderId: string): Promise<ShopOrderView> {
  const order = await findShopOrder(c.env.DB, c.get("shop").id, orderId);
  if (!order) throw notFound(`Order ${orderId} of this shop`);
  return order;
}

async function detail(c: Context<AppEnv>, orderId: string) {
  const order = await loadOrder(c, orderId);
  return { ...order, history: await fulfilmentHistory(c.env.DB, orderId) };
}

/**
 * Takes one step, or answers a repeat as it stands. If another request moved
 * the order between our read and our write, decide again from the new state.
 */
async function takeStep(c: Context<AppEnv>, orderId: string, to: Step, details: { carrier: string | null; trackingUrl: string | null }) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const order = await loadOrder(c, orderId);
    const decision = decideStep({ fulfilmentStatus: order.fulfilmentStatus, type: order.fulfilment.type, status: order.status }, to);
    if (!decision.ok) throw new ApiError(409, "invalid_transition", decision.message);
    if (decision.repeat) {
      if (to === "shipped" && (details.carrier || details.trackingUrl)) await correctTracking(c.env.DB, orderId, details);
      return { order, moved: false };
    }
    const now = Date.now();
    // Handed over (shipped or picked up): the order is fulfilled, and subscribed endpoints are told in the same batch.
    const fulfilled: WebhookEvent | undefined =
      to === "shipped" || to === "picked_up"
        ? { id: newEventId(), shopId: c.get("shop").id, roomId: order.roomId, type: "order.fulfilled", at: now, data: { orderId, roomId: order.roomId, fulfilment: to, carrier: details.carrier ?? order.carrier, trackingUrl: details.trackingUrl ?? order.trackingUrl } }
        : undefined;
    if (await recordStep(c.env.DB, orderId, order.fulfilmentStatus, to, details, actorOf(c), now, fulfilled)) {
      if (fulfilled) await handOverEvents(c.env, [fulfilled.id]);
      return { order, moved: true };
    }
  }
  throw new ApiError(409, "invalid_transition", "This order is being changed by someone else right now; look at it again and retry.");
}

fulfilment.openapi(
  createRoute({
    method: "get",
    path: "/shops/{shopId}/orders/{orderId}",
    tags: ["Fulfilment"],
    summary: "One order in full",
    description: "The buyer's contact and address, items, payment and fulfilment status, and the fulfilment history (who, when).",
    security: shopAccessSecurity,
    middleware: [requireShopAccess("owner", "manager")] as const,
    request: { params: ShopOrderParams },
    responses: { 200: jsonContent(ShopOrderDetail, "The order"), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => c.json({ order: await detail(c, c.req.valid("param").orderId) }, 200),
);

fulfilment.openapi(
  createRoute({
    method: "patch",
    path: "/shops/{shopId}/orders/{orderId}",
    tags: ["Fulfilment"],
    summary: "Mark an order packed, shipped or picked up",
    description:
      "unfulfilled → packed → shipped (shipping orders, with an optional carrier and https tracking link) or picked_up (pickup orders; " +
      "packed means ready for pickup). A step the order cannot take is 409 `invalid_transition`; repeating the order's current status " +
      "changes nothing (a repeated `shipped` may correct the carrier or tracking link).",
    security: shopAccessSecurity,
    middleware: [requireShopAccess("owner", "manager")] as const,
    request: { params: ShopOrderParams, body: jsonBody(UpdateFulfilment) },
    responses: { 200: jsonContent(ShopOrderDetail, "The order after the step"), ...errorResponses(400, 401, 403, 404, 409, 413, 503) },
  }),
  async (c) => {
    const { orderId } = c.req.valid("param");
    const body = c.req.valid("json");
    await takeStep(c, orderId, body.fulfilmentStatus, { carrier: body.carrier ?? null, trackingUrl: body.trackingUrl ?? null });
    const order = await detail(c, orderId);
    // A repeat too: the email of a step whose first answer was a 503 is still owed.
    if (order.fulfilmentStatus === body.fulfilmentStatus) await tellBuyerOnce(c, order);
    return c.json({ order }, 200);
  },
);

const CancelResult = ShopOrderDetail.extend({
  unitsReturned: z.number().int().openapi({ description: "Units put back on sale in the show, or in its replay after it ended (0 on a repeat).", example: 2 }),
}).openapi("OrderCancelled");

fulfilment.openapi(
  createRoute({
    method: "post",
    path: "/shops/{shopId}/orders/{orderId}/cancel",
    tags: ["Fulfilment"],
    summary: "Cancel an order",
    description:
      "Marks it cancelled. While the show has not ended, its units go back on sale in the show (once; viewers see the count change); " +
      "after the end, only the order is cancelled. A shipped or picked-up order cannot be cancelled (409); cancelling again changes nothing.",
    security: shopAccessSecurity,
    middleware: [requireShopAccess("owner", "manager")] as const,
    request: { params: ShopOrderParams },
    responses: { 200: jsonContent(CancelResult, "The cancelled order"), ...errorResponses(400, 401, 403, 404, 409) },
  }),
  async (c) => {
    const { orderId } = c.req.valid("param");
    const order = await loadOrder(c, orderId);
    let unitsReturned = 0;
    const decision = decideStep({ fulfilmentStatus: order.fulfilmentStatus, type: order.fulfilment.type, status: order.status }, "cancelled");
    if (!decision.ok) throw new ApiError(409, "invalid_transition", decision.message);
    if (!decision.repeat) {
      // The room first: if D1 then fails, a retry finds the units already back (the room gives them once) and records the step.
      unitsReturned = unwrap(await c.env.Room.getByName(order.roomId).cancelOrderByShop(orderId)).returned;
      await takeStep(c, orderId, "cancelled", { carrier: null, trackingUrl: null });
    }
    return c.json({ order: await detail(c, orderId), unitsReturned }, 200);
  },
);

fulfilment.openapi(
  createRoute({
    method: "get",
    path: "/shops/{shopId}/pickup",
    tags: ["Fulfilment"],
    summary: "The shop's pickup store and contact",
    security: shopAccessSecurity,
    middleware: [requireShopAccess("owner", "manager")] as const,
    request: { params: ShopParams },
    responses: { 200: jsonContent(PickupStoreBody, "The store, or null if not set yet"), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => c.json({ store: await pickupStore(c.env.DB, c.get("shop").id) }, 200),
);

fulfilment.openapi(
  createRoute({
    method: "put",
    path: "/shops/{shopId}/pickup",
    tags: ["Fulfilment"],
    summary: "Set the shop's pickup store and contact",
    description: "The address and opening hours buyers of pickup orders see on their order page, and the email and phone every buyer may reach the shop at.",
    security: shopAccessSecurity,
    middleware: [requireShopAccess("owner", "manager")] as const,
    request: { params: ShopParams, body: jsonBody(PickupStore) },
    responses: { 200: jsonContent(PickupStoreBody, "The store as saved"), ...errorResponses(400, 401, 403, 404, 413) },
  }),
  async (c) => {
    const store = c.req.valid("json");
    await savePickupStore(c.env.DB, c.get("shop").id, store, Date.now());
    return c.json({ store }, 200);
  },
);
