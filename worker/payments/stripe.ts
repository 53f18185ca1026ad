/**
 * Stripe Checkout, spoken directly over Stripe's HTTP API with fetch (no SDK:
 * it would not run offline and adds weight to the Worker). Used only when
 * both STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET are set; otherwise orders
 * go through the offline provider (pay at pickup / on invoice).
 */
import type { Order } from "../../durable-objects/orders.ts";
import { hmacSha256Hex, sameSecret } from "../digests.ts";

export { hmacSha256Hex };

export interface StripeConfig {
  secretKey: string;
  webhookSecret: string;
  apiBase: string;
}

export function stripeConfig(env: Env): StripeConfig | null {
  if (!env.STRIPE_SECRET_KEY || !env.STRIPE_WEBHOOK_SECRET) return null;
  return { secretKey: env.STRIPE_SECRET_KEY, webhookSecret: env.STRIPE_WEBHOOK_SECRET, apiBase: env.STRIPE_API_BASE || "https://api.stripe.com" };
}

/** Stripe refuses a Checkout Session that expires sooner than 30 minutes after it is made. */
export const STRIPE_HOLD_MS = 30 * 60_000;

export function checkoutForm(order: Order, urls: { success: string; cancel: string }): URLSearchParams {
  const form = new URLSearchParams();
  form.set("mode", "payment");
  form.set("client_reference_id", order.id);
  form.set("customer_email", order.buyer.email);
  form.set("line_items[0][quantity]", String(order.quantity));
  form.set("line_items[0][price_data][currency]", order.currency.toLowerCase());
  // Our amounts are in the currency's minor unit, which for JPY is the yen itself.
  form.set("line_items[0][price_data][unit_amount]", String(order.unitPriceCents));
  form.set("line_items[0][price_data][product_data][name]", order.title);
  form.set("metadata[order_id]", order.id);
  form.set("metadata[room_id]", order.roomId);
  form.set("success_url", urls.success);
  form.set("cancel_url", urls.cancel);
  if (order.holdExpiresAt) form.set("expires_at", String(Math.ceil(order.holdExpiresAt / 1000)));
  return form;
}

/** Creates the Checkout Session for a hold. Idempotent per order: a retry returns the same session. */
export async function createCheckoutSession(
  config: StripeConfig,
  order: Order,
  urls: { success: string; cancel: string },
): Promise<{ id: string; url: string }> {
  const response = await fetch(`${config.apiBase}/v1/checkout/sessions`, {
    method: "POST",
    headers: {
      Authorization: `Bearer ${config.secretKey}`,
      "Content-Type": "application/x-www-form-urlencoded",
      "Idempotency-Key": `checkout-${order.id}`,
    },
    body: checkoutForm(order, urls),
  });
  const body = (await response.json().catch(() => ({}))) as { id?: string; url?: string; error?: { message?: string } };
  if (!response.ok || !body.id || !body.url) {
    throw new Error(`Stripe answered ${response.status}: ${body.error?.message ?? "no session"}`);
  }
  return { id: body.id, url: body.url };
}

/**
 * Checks a webhook's `Stripe-Signature` header: `t=<unix seconds>,v1=<hex
 * HMAC-SHA256 of "<t>.<raw body>" with the endpoint's signing secret>`, with
 * a five-minute tolerance against replays.
 */
export async function verifyStripeSignature(
  payload: string,
  header: string | null,
  secret: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): Promise<boolean> {
  if (!header) return false;
  const parts = header.split(",").map((part) => part.split("=", 2) as [string, string]);
  const timestamp = Number(parts.find(([k]) => k === "t")?.[1]);
  const signatures = parts.filter(([k]) => k === "v1").map(([, v]) => v);
  if (!Number.isFinite(timestamp) || signatures.length === 0) return false;
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = await hmacSha256Hex(secret, `${timestamp}.${payload}`);
  return signatures.some((signature) => sameSecret(signature, expected));
}

/** What a Stripe event means for an order: paid, given up, or nothing for us. */
export function outcomeOf(event: { type?: string; data?: { object?: { payment_status?: string; metadata?: Record<string, string> } } }) {
  const session = event.data?.object;
  const orderId = session?.metadata?.order_id ?? null;
  switch (event.type) {
    case "checkout.session.completed":
      // Delayed methods (bank debits) complete unpaid and succeed later.
      return { orderId, to: session?.payment_status === "unpaid" ? null : ("confirmed" as const) };
    case "checkout.session.async_payment_succeeded":
      return { orderId, to: "confirmed" as const };
    case "checkout.session.expired":
    case "checkout.session.async_payment_failed":
      return { orderId, to: "cancelled" as const };
    default:
      return { orderId, to: null };
  }
}
