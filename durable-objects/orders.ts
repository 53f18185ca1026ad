/**
 * Orders and holds inside a Room. Every function here runs inside the room's
 * `transactionSync`, so a stock change, the order row and its outbox entry
 * commit together or not at all, and the CHECK constraints in room-schema.ts
 * refuse anything that would break `listed = available + held + sold`.
 */
import type { Address, Buyer, FlashDeal, Fulfilment, Order, OrderStatus, OrderSummary, Payment } from "./protocol.ts";

export type { Address, Buyer, Fulfilment, Order, Payment };
import { activeDeal, addDealPurchase, dealPurchases, removeDealPurchase } from "./flash-deals.ts";
import { enqueue } from "./outbox.ts";
import { randomBase62 } from "./random.ts";

export interface PlaceOrder {
  idempotencyKey: string;
  /** A hash of the request body: the same key with another body is refused. */
  requestHash: string;
  productId: string;
  quantity: number;
  buyer: Buyer;
  fulfilment: Fulfilment;
  ref: string | null;
  payment: Payment;
  /** How long an unpaid order holds its units. */
  holdMs: number;
}

export type OrderRefusal = { ok: false; status: 404 | 409 | 422; code: string; message: string };
export type Placed = { ok: true; order: Order; token: string; checkoutUrl: string | null; replayed: boolean };

export type OrderRow = {
  id: string;
  number: number;
  idempotency_key: string;
  request_hash: string;
  token: string;
  product_id: string;
  title: string;
  quantity: number;
  unit_price_cents: number;
  total_cents: number;
  currency: string;
  status: OrderStatus;
  payment: Payment;
  checkout_id: string | null;
  checkout_url: string | null;
  buyer_name: string;
  buyer_email: string;
  buyer_phone: string | null;
  fulfilment: "shipping" | "pickup";
  address: string | null;
  ref: string | null;
  deal_id: string | null;
  hold_expires_at: number | null;
  created_at: number;
  updated_at: number;
  version: number;
};

type RoomIds = { room_id: string; shop_id: string; status: string };

export function findOrder(sql: SqlStorage, id: string): OrderRow | undefined {
  return sql.exec<OrderRow>("SELECT * FROM orders WHERE id = ?", id).toArray()[0];
}

/** What an accepted order will take: decided by `checkOrder`, written by `commitOrder`. */
export type OrderPlan = { input: PlaceOrder; product: { title: string; price_cents: number; currency: string }; deal: FlashDeal | null };

/**
 * Decides an order without writing anything: a repeated idempotency key gets
 * the order it made the first time (whatever the stock is now); otherwise the
 * order is refused (sold out, deal limit, ended show, unknown product) or
 * planned. Most attempts in a flash sale end here, so they cost no write.
 * The Room calls this and `commitOrder` in one synchronous step, so nothing
 * can change in between.
 */
export function checkOrder(sql: SqlStorage, room: RoomIds, input: PlaceOrder, now: number): Placed | OrderRefusal | { ok: true; plan: OrderPlan } {
  const previous = sql.exec<OrderRow>("SELECT * FROM orders WHERE idempotency_key = ?", input.idempotencyKey).toArray()[0];
  if (previous) {
    if (previous.request_hash !== input.requestHash) {
      return { ok: false, status: 422, code: "idempotency_key_reused", message: "This Idempotency-Key was already used for a different order. Use a new key for a new order." };
    }
    return { ok: true, order: toOrder(previous, room), token: previous.token, checkoutUrl: previous.checkout_url, replayed: true };
  }
  if (room.status === "ended") {
    return { ok: false, status: 409, code: "show_ended", message: "This show has ended; its products can no longer be bought here." };
  }
  const product = sql
    .exec<{ title: string; price_cents: number; currency: string; available: number }>(
      "SELECT title, price_cents, currency, available FROM products WHERE id = ?",
      input.productId,
    )
    .toArray()[0];
  if (!product) return { ok: false, status: 404, code: "not_found", message: `Product ${input.productId} is not part of this show.` };
  if (product.available < input.quantity) {
    const message = product.available === 0 ? "Sold out." : `Only ${product.available} left; choose fewer.`;
    return { ok: false, status: 409, code: "sold_out", message };
  }

  // The room's clock decides whether the deal still applies, not the buyer's.
  const deal = activeDeal(sql, now);
  const onDeal = deal?.productId === input.productId ? deal : null;
  const email = input.buyer.email.toLowerCase();
  if (onDeal?.perBuyerLimit != null) {
    const already = dealPurchases(sql, onDeal.id, email);
    if (already + input.quantity > onDeal.perBuyerLimit) {
      const left = Math.max(0, onDeal.perBuyerLimit - already);
      return {
        ok: false,
        status: 409,
        code: "deal_limit_reached",
        message: `The flash deal allows ${onDeal.perBuyerLimit} per buyer; you can buy ${left} more at the deal price.`,
      };
    }
  }

  return { ok: true, plan: { input, product, deal: onDeal } };
}

/**
 * Takes the units of a planned order: at once (offline payment: sold) or as
 * a hold (online payment: held until paid or expired), with its outbox entry.
 */
export function commitOrder(sql: SqlStorage, room: RoomIds, plan: OrderPlan, now: number): Placed {
  const { input, product, deal: onDeal } = plan;
  const email = input.buyer.email.toLowerCase();
  const unitPrice = onDeal ? onDeal.priceCents : product.price_cents;
  const paidNow = input.payment === "offline";
  const number = sql.exec<{ n: number }>("SELECT coalesce(max(number), 0) + 1 AS n FROM orders").one().n;
  const row: OrderRow = {
    id: `o_${room.room_id.slice(2)}${randomBase62(10)}`,
    number,
    idempotency_key: input.idempotencyKey,
    request_hash: input.requestHash,
    token: `ot_${randomBase62(32)}`,
    product_id: input.productId,
    title: product.title,
    quantity: input.quantity,
    unit_price_cents: unitPrice,
    total_cents: unitPrice * input.quantity,
    currency: product.currency,
    status: paidNow ? "confirmed" : "awaiting_payment",
    payment: input.payment,
    checkout_id: null,
    checkout_url: null,
    buyer_name: input.buyer.name,
    buyer_email: input.buyer.email,
    buyer_phone: input.buyer.phone,
    fulfilment: input.fulfilment.type,
    address: input.fulfilment.address ? JSON.stringify(input.fulfilment.address) : null,
    ref: input.ref,
    deal_id: onDeal?.id ?? null,
    hold_expires_at: paidNow ? null : now + input.holdMs,
    created_at: now,
    updated_at: now,
    version: 1,
  };
  sql.exec(
    paidNow
      ? "UPDATE products SET available = available - ?, sold = sold + ? WHERE id = ?"
      : "UPDATE products SET available = available - ?, held = held + ? WHERE id = ?",
    input.quantity, input.quantity, input.productId,
  );
  insertOrder(sql, row);
  if (onDeal) addDealPurchase(sql, onDeal.id, email, input.quantity);
  enqueue(sql, row.id, row.version, now);
  return { ok: true, order: toOrder(row, room), token: row.token, checkoutUrl: null, replayed: false };
}

/**
 * Moves an order on: a hold is paid (confirmed), runs out (expired) or is
 * given up (cancelled); its units go to sold or back to available. Returns
 * null when the order is not awaiting payment (already settled: webhooks and
 * alarms may arrive twice).
 */
export function settleOrder(sql: SqlStorage, id: string, to: "confirmed" | "expired" | "cancelled", now: number): OrderRow | null {
  const order = findOrder(sql, id);
  if (!order || order.status !== "awaiting_payment") return null;
  if (to === "confirmed") {
    sql.exec("UPDATE products SET held = held - ?, sold = sold + ? WHERE id = ?", order.quantity, order.quantity, order.product_id);
  } else {
    sql.exec("UPDATE products SET held = held - ?, available = available + ? WHERE id = ?", order.quantity, order.quantity, order.product_id);
    if (order.deal_id) removeDealPurchase(sql, order.deal_id, order.buyer_email.toLowerCase(), order.quantity);
  }
  sql.exec(
    "UPDATE orders SET status = ?, hold_expires_at = NULL, updated_at = ?, version = version + 1 WHERE id = ?",
    to, now, id,
  );
  const updated = findOrder(sql, id)!;
  enqueue(sql, id, updated.version, now);
  return updated;
}

/** Holds whose time is up. */
export function expiredHolds(sql: SqlStorage, now: number): string[] {
  return sql
    .exec<{ id: string }>("SELECT id FROM orders WHERE status = 'awaiting_payment' AND hold_expires_at <= ?", now)
    .toArray()
    .map((row) => row.id);
}

export function nextHoldExpiry(sql: SqlStorage): number | null {
  return sql.exec<{ t: number | null }>("SELECT min(hold_expires_at) AS t FROM orders WHERE status = 'awaiting_payment'").one().t;
}

export function attachCheckout(sql: SqlStorage, id: string, checkoutId: string, checkoutUrl: string): void {
  sql.exec("UPDATE orders SET checkout_id = ?, checkout_url = ? WHERE id = ?", checkoutId, checkoutUrl, id);
}

export function recentOrders(sql: SqlStorage, limit: number): OrderSummary[] {
  return sql.exec<OrderRow>("SELECT * FROM orders ORDER BY number DESC LIMIT ?", limit).toArray().map(toSummary);
}

function insertOrder(sql: SqlStorage, row: OrderRow): void {
  const columns = Object.keys(row);
  sql.exec(
    `INSERT INTO orders (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
    ...Object.values(row),
  );
}

export function toOrder(row: OrderRow, room: { room_id: string; shop_id: string }): Order {
  return {
    id: row.id,
    number: row.number,
    roomId: room.room_id,
    shopId: room.shop_id,
    productId: row.product_id,
    title: row.title,
    quantity: row.quantity,
    unitPriceCents: row.unit_price_cents,
    totalCents: row.total_cents,
    currency: row.currency,
    status: row.status,
    payment: row.payment,
    buyer: { name: row.buyer_name, email: row.buyer_email, phone: row.buyer_phone },
    fulfilment: row.fulfilment === "shipping"
      ? { type: "shipping", address: JSON.parse(row.address ?? "{}") as Address }
      : { type: "pickup", address: null },
    ref: row.ref,
    dealId: row.deal_id,
    createdAt: row.created_at,
    holdExpiresAt: row.hold_expires_at,
  };
}

export function toSummary(row: OrderRow): OrderSummary {
  return {
    id: row.id,
    number: row.number,
    productId: row.product_id,
    title: row.title,
    quantity: row.quantity,
    totalCents: row.total_cents,
    currency: row.currency,
    status: row.status,
    buyerName: row.buyer_name,
    fulfilment: row.fulfilment,
    ref: row.ref,
    dealId: row.deal_id,
    createdAt: row.created_at,
  };
}
