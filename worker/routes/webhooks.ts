/** Stripe's webhook: the only way an online payment confirms an order. */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env.ts";
import { ApiError } from "../errors.ts";
import { errorResponses, jsonContent } from "../openapi.ts";
import { ORDER_ID, roomOfOrder } from "../ids.ts";
import { findRoom } from "../room-directory.ts";
import { outcomeOf, stripeConfig, verifyStripeSignature } from "../payments/stripe.ts";

export const webhooks = new OpenAPIHono<AppEnv>();

// Documented only: the handler reads the raw body (the signature covers its exact bytes), so no validator may parse it first.
webhooks.openAPIRegistry.registerPath(
  createRoute({
    method: "post",
    path: "/stripe",
    tags: ["Payments"],
    summary: "Stripe's webhook (called by Stripe)",
    description:
      "Where Stripe tells this deployment that a Checkout Session was paid or expired (`checkout.session.completed`, `…async_payment_succeeded`, `…expired`, `…async_payment_failed`). " +
      "Signed with the endpoint's secret (`Stripe-Signature`, HMAC-SHA256, five minutes' tolerance); an event for no order of ours is answered `handled: false`. Not rate limited.",
    request: {
      headers: z.object({ "stripe-signature": z.string().openapi({ example: "t=1764633600,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd" }) }),
      body: {
        required: true,
        content: {
          "application/json": {
            schema: z.object({ type: z.string(), data: z.object({ object: z.record(z.string(), z.unknown()) }) }).openapi({
              example: { type: "checkout.session.completed", data: { object: { id: "cs_test_a1B2c3", client_reference_id: "o_Q8s2mK0vT5yH3nB6a1b2c3d4e5", payment_status: "paid" } } },
            }),
          },
        },
      },
    },
    responses: {
      200: jsonContent(
        z.object({ received: z.literal(true), handled: z.boolean(), status: z.string().nullable().optional() }).openapi({ example: { received: true, handled: true, status: "paid" } }),
        "Received; whether it settled an order, and the order's status",
      ),
      ...errorResponses(400, 404, 413),
    },
  }),
);

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
