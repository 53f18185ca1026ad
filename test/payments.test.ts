/**
 * Stripe Checkout. Stripe's servers cannot be reached from here, so the
 * outbound call is answered from recorded shapes (test/fixtures/stripe.ts)
 * and checked field by field, and webhooks are signed in the test with a
 * real HMAC-SHA256, exactly as Stripe signs them.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import app from "../worker/index.ts";
import { hmacSha256Hex, verifyStripeSignature } from "../worker/payments/stripe.ts";
import { checkoutEvent, checkoutSessionResponse, stripeAuthError } from "./fixtures/stripe.ts";
import { BASE, createShow, json, open } from "./helpers.ts";

const WEBHOOK_SECRET = "whsec_test_5f3c2a9b8e7d6c5b4a3f2e1d0c9b8a7f";
const stripeEnv = { ...env, STRIPE_SECRET_KEY: "sk_test_51Offline", STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, PUBLIC_URL: "https://shop.example" };

/** Calls the Worker with Stripe configured. */
function withStripe(path: string, init: RequestInit) {
  return app.request(`${BASE}${path}`, init, stripeEnv);
}

function buy(roomId: string, productId: string, key = `stripe-${crypto.randomUUID()}`) {
  return withStripe(`/api/rooms/${roomId}/orders`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Idempotency-Key": key },
    body: JSON.stringify({ productId, quantity: 2, buyer: { name: "Mei Lin", email: "mei@example.com" }, fulfilment: { type: "pickup" } }),
  });
}

/** Answers Stripe's API from the recorded shapes and keeps what was sent. */
function recordStripe(answer: (orderId: string) => Response) {
  const sent: Array<{ url: string; headers: Headers; form: URLSearchParams }> = [];
  const realFetch = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const request = new Request(input as RequestInfo, init);
    if (!request.url.startsWith("https://api.stripe.com/")) return realFetch(input as RequestInfo, init);
    const form = new URLSearchParams(await request.text());
    sent.push({ url: request.url, headers: request.headers, form });
    return answer(form.get("metadata[order_id]")!);
  });
  return sent;
}

async function signedWebhook(event: unknown, { secret = WEBHOOK_SECRET, at = Math.floor(Date.now() / 1000) } = {}) {
  const payload = JSON.stringify(event);
  const signature = await hmacSha256Hex(secret, `${at}.${payload}`);
  return withStripe("/api/webhooks/stripe", {
    method: "POST",
    headers: { "Content-Type": "application/json", "Stripe-Signature": `t=${at},v1=${signature}` },
    body: payload,
  });
}

function counters(roomId: string) {
  return runInDurableObject(env.Room.getByName(roomId), (_room, state) =>
    state.storage.sql.exec<{ available: number; held: number; sold: number }>("SELECT available, held, sold FROM products ORDER BY position LIMIT 1").one(),
  );
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("checkout through Stripe", () => {
  it("holds the units and sends the buyer to a Checkout Session made from the order", async () => {
    const show = await createShow({ stock: 5 });
    const sent = recordStripe((orderId) => Response.json(checkoutSessionResponse(orderId)));
    const res = await buy(show.room.id, show.products[0].id);
    expect(res.status).toBe(201);
    const { order, checkoutUrl } = await json(res);
    expect(order).toMatchObject({ status: "awaiting_payment", payment: "stripe", totalCents: 3798 });
    expect(order.holdExpiresAt - order.createdAt).toBe(30 * 60_000);
    expect(checkoutUrl).toBe(checkoutSessionResponse(order.id).url);
    expect(await counters(show.room.id)).toEqual({ available: 3, held: 2, sold: 0 });

    expect(sent).toHaveLength(1);
    const [{ url, headers, form }] = sent as [(typeof sent)[number]];
    expect(url).toBe("https://api.stripe.com/v1/checkout/sessions");
    expect(headers.get("Authorization")).toBe("Bearer sk_test_51Offline");
    expect(headers.get("Content-Type")).toBe("application/x-www-form-urlencoded");
    expect(headers.get("Idempotency-Key")).toBe(`checkout-${order.id}`);
    expect(Object.fromEntries(form)).toEqual({
      mode: "payment",
      client_reference_id: order.id,
      customer_email: "mei@example.com",
      "line_items[0][quantity]": "2",
      "line_items[0][price_data][currency]": "eur",
      "line_items[0][price_data][unit_amount]": "1899",
      "line_items[0][price_data][product_data][name]": "Jasmine pearls",
      "metadata[order_id]": order.id,
      "metadata[room_id]": show.room.id,
      success_url: `https://shop.example/o/${order.id}`,
      cancel_url: `https://shop.example/r/${show.room.id}`,
      expires_at: String(Math.ceil(order.holdExpiresAt / 1000)),
    });
    // The secret key never reaches the buyer.
    expect(JSON.stringify(await json(await buy(show.room.id, show.products[0].id, "another-key-123")))).not.toContain("sk_test");
  });

  it("a retried request gets the same checkout without calling Stripe again", async () => {
    const show = await createShow();
    const sent = recordStripe((orderId) => Response.json(checkoutSessionResponse(orderId)));
    const first = await json(await buy(show.room.id, show.products[0].id, "same-key-12345"));
    const second = await json(await buy(show.room.id, show.products[0].id, "same-key-12345"));
    expect(second).toEqual(first);
    expect(sent).toHaveLength(1);
  });

  it("gives the units back and answers 502 when Stripe refuses", async () => {
    const show = await createShow({ stock: 5 });
    recordStripe(() => Response.json(stripeAuthError, { status: 401 }));
    const res = await buy(show.room.id, show.products[0].id);
    expect(res.status).toBe(502);
    expect((await json(res)).error.code).toBe("payment_unavailable");
    expect(await counters(show.room.id)).toEqual({ available: 5, held: 0, sold: 0 });
  });

  it("confirms the order only on Stripe's signed webhook, once", async () => {
    const show = await createShow({ stock: 5 });
    recordStripe((orderId) => Response.json(checkoutSessionResponse(orderId)));
    const { order, orderToken } = await json(await buy(show.room.id, show.products[0].id));
    const viewer = await open(show.room.id);
    await viewer.next("sync");

    // Forged, stale or missing signatures change nothing.
    const event = checkoutEvent("checkout.session.completed", order.id);
    expect((await signedWebhook(event, { secret: "whsec_wrong" })).status).toBe(400);
    expect((await signedWebhook(event, { at: Math.floor(Date.now() / 1000) - 600 })).status).toBe(400);
    const unsigned = await withStripe("/api/webhooks/stripe", { method: "POST", body: JSON.stringify(event) });
    expect((await json(unsigned)).error.code).toBe("invalid_signature");
    expect(await counters(show.room.id)).toEqual({ available: 3, held: 2, sold: 0 });

    const paid = await signedWebhook(event);
    expect(await json(paid)).toEqual({ received: true, handled: true, status: "confirmed" });
    expect(await counters(show.room.id)).toEqual({ available: 3, held: 0, sold: 2 });
    expect((await viewer.next("product")).product.left).toBe(3);
    // Stripe delivers at least once: a second delivery is harmless.
    expect(await json(await signedWebhook(event))).toMatchObject({ handled: true, status: "confirmed" });
    expect(await counters(show.room.id)).toEqual({ available: 3, held: 0, sold: 2 });
    const read = await app.request(`${BASE}/api/orders/${order.id}`, { headers: { Authorization: `Bearer ${orderToken}` } }, stripeEnv);
    expect((await json(read)).order.status).toBe("confirmed");
  });

  it("returns the units when the checkout expires, by webhook or by the room's own alarm", async () => {
    const show = await createShow({ stock: 5 });
    recordStripe((orderId) => Response.json(checkoutSessionResponse(orderId)));
    const a = (await json(await buy(show.room.id, show.products[0].id))).order;
    const b = (await json(await buy(show.room.id, show.products[0].id))).order;
    expect(await counters(show.room.id)).toEqual({ available: 1, held: 4, sold: 0 });

    expect(await json(await signedWebhook(checkoutEvent("checkout.session.expired", a.id)))).toMatchObject({ status: "cancelled" });
    expect(await counters(show.room.id)).toEqual({ available: 3, held: 2, sold: 0 });

    // No webhook for b: its hold runs out on the room's clock.
    const stub = env.Room.getByName(show.room.id);
    await runInDurableObject(stub, (_room, state) => state.storage.sql.exec("UPDATE orders SET hold_expires_at = ? WHERE id = ?", Date.now() - 1, b.id));
    await runDurableObjectAlarm(stub);
    expect(await counters(show.room.id)).toEqual({ available: 5, held: 0, sold: 0 });
    // A payment that arrives after the hold was given up does not resurrect it.
    expect(await json(await signedWebhook(checkoutEvent("checkout.session.completed", b.id)))).toMatchObject({ handled: true, status: "expired" });
    expect(await counters(show.room.id)).toEqual({ available: 5, held: 0, sold: 0 });
  });

  it("ignores events it does not act on", async () => {
    const res = await signedWebhook({ id: "evt_1", type: "customer.created", data: { object: {} } });
    expect(await json(res)).toEqual({ received: true, handled: false });
  });
});

describe("the Stripe-Signature check itself", () => {
  it("accepts any matching v1 among several and rejects malformed headers", async () => {
    const at = 1_767_225_600;
    const good = await hmacSha256Hex("whsec_x", `${at}.{}`);
    expect(await verifyStripeSignature("{}", `t=${at},v1=deadbeef,v1=${good}`, "whsec_x", at)).toBe(true);
    expect(await verifyStripeSignature("{} ", `t=${at},v1=${good}`, "whsec_x", at)).toBe(false);
    expect(await verifyStripeSignature("{}", `v1=${good}`, "whsec_x", at)).toBe(false);
    expect(await verifyStripeSignature("{}", `t=${at}`, "whsec_x", at)).toBe(false);
    expect(await verifyStripeSignature("{}", null, "whsec_x", at)).toBe(false);
    expect(await verifyStripeSignature("{}", `t=${at},v1=${good}`, "whsec_x", at + 301)).toBe(false);
  });
});

describe("without Stripe keys", () => {
  it("has no webhook endpoint", async () => {
    const res = await app.request(`${BASE}/api/webhooks/stripe`, { method: "POST", body: "{}" }, env);
    expect(res.status).toBe(404);
  });
});
