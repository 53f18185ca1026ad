/** Stripe's webhook: the only way an online payment confirms an order. */
import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env.ts";
import { ApiError } from "../errors.ts";
import { ORDER_ID, roomOfOrder } from "../ids.ts";
import { findRoom } from "../room-directory.ts";
import { outcomeOf, stripeConfig, verifyStripeSignature } from "../payments/stripe.ts";

export const webhooks = new OpenAPIHono<AppEnv>();

webhooks.post("/stripe", async (c) => {
  const stripe = stripeConfig(c.env);
  if (!stripe) throw new ApiError(404, "not_found", "Stripe is not configured on this deployment.");
  // The signature covers the exact bytes Stripe sent, so read the raw text.
  const payload = await c.req.text();
  const valid = await verifyStripeSignature(payload, c.req.header("Stripe-Signature") ?? null, stripe.webhookSecret, Math.floor(Date.now() / 1000));
  if (!valid) throw new ApiError(400, "invalid_signature", "The Stripe-Signature header does not match this endpoint's signing secret.");
  let event: Parameters<typeof outcomeOf>[0];
  try {
    event = JSON.parse(payload);
  } catch {
    throw new ApiError(400, "invalid_json", "The event is not JSON.");
  }
  const { orderId, to } = outcomeOf(event);
  if (!to || !orderId || !ORDER_ID.test(orderId) || !(await findRoom(c.env.DB, roomOfOrder(orderId)))) {
    return c.json({ received: true, handled: false }, 200);
  }
  const order = await c.env.Room.getByName(roomOfOrder(orderId)).settle(orderId, to);
  return c.json({ received: true, handled: order !== null, status: order?.status ?? null }, 200);
});
