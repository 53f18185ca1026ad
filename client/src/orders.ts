/**
 * Orders as the HTTP API takes and returns them (POST /api/rooms/{id}/orders,
 * GET /api/orders/{id}). The room's socket only carries OrderSummary (to the
 * host); the full order, with the buyer's details, is read with its token.
 */
import { api } from "./api.ts";
import { origin } from "./origin.ts";

export type { Address, FulfilmentStatus, Order, OrderView, ShopOrder } from "../../durable-objects/protocol.ts";
import type { Address, Order, OrderView } from "../../durable-objects/protocol.ts";

/** What a buyer sends: the order's fulfilment without the address for pickup. */
export type Fulfilment = { type: "pickup" } | { type: "shipping"; address: Address };

export type OrderRequest = {
  productId: string;
  /** Required for a product with variants. */
  variantId?: string;
  quantity: number;
  buyer: { name: string; email: string; phone?: string };
  fulfilment: Fulfilment;
  ref?: string;
};

export type PlacedOrder = { order: Order; orderToken: string; checkoutUrl: string | null };

/** Most one buyer can take in one order (the API refuses more). */
export const MAX_QUANTITY = 10;

/**
 * An Idempotency-Key: one per checkout submission, reused when that same
 * submission is retried after a network failure, so the order is placed once
 * even if the first answer was lost. A UUID v4 from getRandomValues, because
 * crypto.randomUUID needs a secure context and a phone on a LAN link has none.
 */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function placeOrder(roomId: string, idempotencyKey: string, request: OrderRequest): Promise<PlacedOrder> {
  return api<PlacedOrder>(`/api/rooms/${encodeURIComponent(roomId)}/orders`, {
    method: "POST",
    body: request,
    headers: { "idempotency-key": idempotencyKey },
  });
}

/** The order, where it is on its way, the shop and the show (GET /api/orders/{id}). */
export function fetchOrder(orderId: string, token: string): Promise<OrderView> {
  return api<OrderView>(`/api/orders/${encodeURIComponent(orderId)}`, { key: token });
}

/** What was bought, as a line says it: the title, and the variant's options when it has some ("T-shirt (M / Red)"). */
export const itemTitle = (order: Pick<Order, "title" | "variant">) => (order.variant ? `${order.title} (${order.variant.options.join(" / ")})` : order.title);

/** The link a buyer keeps: the token rides in the fragment, which never reaches a server's logs. */
export function orderLink(orderId: string, token: string): string {
  return `${origin || location.origin}/o/${encodeURIComponent(orderId)}#token=${encodeURIComponent(token)}`;
}
