/**
 * Orders and holds inside a Room. A purchase is decided and written in one
 * synchronous step: the stock change, the order row, its outbox entry and
 * the `product` event that tells every viewer the new count commit together
 * or not at all, and the CHECK constraints in show.ts refuse anything that
 * would break `listed = available + held + sold`.
 */
import { isRehearsal } from "./rehearsal.ts";
import type { Address, Buyer, FlashDeal, Fulfilment, Order, OrderPhase, OrderStatus, OrderSummary, Payment } from "./protocol.ts";

export type { Address, Buyer, Fulfilment, Order, Payment };
import { sha256Hex } from "../worker/digests.ts";
import { activeDeal, addDealPurchase, dealPurchases, removeDealPurchase } from "./flash-deals.ts";
import type { TopicWriter } from "./outbox.ts";
import { randomBase62 } from "./random-ids.ts";
import { noShow, refuse, type Refusal } from "./refusal.ts";
import type { Change, RoomFeature, RoomKit } from "./room-kit.ts";
import { emitProduct, moveUnits, productRow, showRow, variantRow, variantsOf } from "./show.ts";
import { queueWebhook } from "./webhook-events.ts";

export const ordersSchema: RoomFeature["schema"] = {
  1: `CREATE TABLE IF NOT EXISTS orders (
        id               TEXT PRIMARY KEY,
        number           INTEGER NOT NULL UNIQUE,
        idempotency_key  TEXT NOT NULL UNIQUE,
        request_hash     TEXT NOT NULL,
        token            TEXT NOT NULL,
        product_id       TEXT NOT NULL REFERENCES products(id),
        title            TEXT NOT NULL,
        quantity         INTEGER NOT NULL CHECK (quantity > 0),
        unit_price_cents INTEGER NOT NULL CHECK (unit_price_cents >= 0),
        total_cents      INTEGER NOT NULL CHECK (total_cents = unit_price_cents * quantity),
        currency         TEXT NOT NULL,
        status           TEXT NOT NULL CHECK (status IN ('awaiting_payment', 'confirmed', 'expired', 'cancelled')),
        payment          TEXT NOT NULL CHECK (payment IN ('offline', 'stripe')),
        checkout_id      TEXT,
        checkout_url     TEXT,
        buyer_name       TEXT NOT NULL,
        buyer_email      TEXT NOT NULL,
        buyer_phone      TEXT,
        fulfilment       TEXT NOT NULL CHECK (fulfilment IN ('shipping', 'pickup')),
        address          TEXT,
        ref              TEXT,
        deal_id          TEXT,
        hold_expires_at  INTEGER,
        created_at       INTEGER NOT NULL,
        updated_at       INTEGER NOT NULL,
        version          INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS orders_awaiting ON orders (hold_expires_at) WHERE status = 'awaiting_payment';`,
  // The variant bought (id, option values as JSON, SKU), as it was then.
  6: `ALTER TABLE orders ADD COLUMN variant_id TEXT;
      ALTER TABLE orders ADD COLUMN variant_options TEXT;
      ALTER TABLE orders ADD COLUMN sku TEXT;`,
  // Where and in which language to tell the buyer (JSON Notify): the confirmation goes out when the order is confirmed.
  7: `ALTER TABLE orders ADD COLUMN notify TEXT;`,
  // When in the show's life it was placed (OrderPhase), so the numbers count replay sales apart; null on older orders.
  11: `ALTER TABLE orders ADD COLUMN phase TEXT;`,
};

/** Before the show went live, while it was live, or from its replay after the end. */
export type { OrderPhase } from "./protocol.ts";

const phaseOf = (status: string): OrderPhase => (status === "ended" ? "replay" : status === "live" ? "live" : "prelive");

export interface PlaceOrder {
  idempotencyKey: string;
  /** A hash of the request body: the same key with another body is refused. */
  requestHash: string;
  productId: string;
  /** Required when the product has variants in this show; null otherwise. */
  variantId: string | null;
  quantity: number;
  buyer: Buyer;
  fulfilment: Fulfilment;
  ref: string | null;
  payment: Payment;
  /** How long an unpaid order holds its units. */
  holdMs: number;
  /** The site the buyer ordered on and their language, for the confirmation email; none: no email. */
  notify?: Notify | null;
}

/** What the buyer's emails need from the request: the site's origin (for the order link) and the buyer's language. */
export type Notify = { origin: string; language: string | null };

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
  variant_id: string | null;
  variant_options: string | null;
  sku: string | null;
  /** JSON Notify, or null (rooms from before; orders placed without one). */
  notify: string | null;
  phase: OrderPhase | null;
};

type RoomIds = { room_id: string; shop_id: string; status: string };

export function findOrder(sql: SqlStorage, id: string): OrderRow | undefined {
  return sql.exec<OrderRow>("SELECT * FROM orders WHERE id = ?", id).toArray()[0];
}

/** What an accepted order will take: decided by `checkOrder`, written by `commitOrder`. */
export type OrderPlan = {
  input: PlaceOrder;
  product: { title: string; price_cents: number; currency: string };
  variant: { id: string; options: string; sku: string | null; price_cents: number | null } | null;
  deal: FlashDeal | null;
};

/**
 * Decides an order without writing anything: a repeated idempotency key gets
 * the order it made the first time (whatever the stock is now); otherwise the
 * order is refused (sold out, deal limit, unknown product) or
 * planned. Most attempts in a flash sale end here, so they cost no write.
 * The Room calls this and `commitOrder` in one synchronous step, so nothing
 * can change in between.
 */
export function checkOrder(sql: SqlStorage, room: RoomIds, input: PlaceOrder, now: number): Placed | Refusal | { ok: true; plan: OrderPlan } {
  const previous = sql.exec<OrderRow>("SELECT * FROM orders WHERE idempotency_key = ?", input.idempotencyKey).toArray()[0];
  if (previous) {
    if (previous.request_hash !== input.requestHash) {
      return refuse("idempotency_key_reused", "This Idempotency-Key was already used for a different order. Use a new key for a new order.");
    }
    return { ok: true, order: toOrder(previous, room), token: previous.token, checkoutUrl: previous.checkout_url, replayed: true };
  }
  const product = sql
    .exec<{ title: string; price_cents: number; currency: string; available: number }>(
      "SELECT title, price_cents, currency, available FROM products WHERE id = ?",
      input.productId,
    )
    .toArray()[0];
  if (!product) return refuse("not_found", `Product ${input.productId} is not part of this show.`);
  const variant = input.variantId ? variantRow(sql, input.variantId) : undefined;
  if (input.variantId && variant?.product_id !== input.productId) {
    return refuse("unknown_variant", `Variant ${input.variantId} is not a variant of product ${input.productId} in this show.`);
  }
  if (!variant && variantsOf(sql, input.productId).length > 0) {
    return refuse("variant_required", "This product comes in several variants (e.g. sizes or colours): send the variantId of the one to buy.");
  }
  const available = variant ? variant.available : product.available;
  if (available < input.quantity) {
    return refuse("sold_out", available === 0 ? "Sold out." : `Only ${available} left; choose fewer.`);
  }

  // The room's clock decides whether the deal still applies, not the buyer's. A replay sells at the regular price:
  // its deals ended with the show (whatever a deal's row says).
  const deal = room.status === "ended" ? null : activeDeal(sql, now);
  const onDeal = deal?.productId === input.productId && (!deal.variantId || deal.variantId === input.variantId) ? deal : null;
  const email = input.buyer.email.toLowerCase();
  if (onDeal?.perBuyerLimit != null) {
    const already = dealPurchases(sql, onDeal.id, email);
    if (already + input.quantity > onDeal.perBuyerLimit) {
      const left = Math.max(0, onDeal.perBuyerLimit - already);
      return refuse("deal_limit_reached", `The flash deal allows ${onDeal.perBuyerLimit} per buyer; you can buy ${left} more at the deal price.`);
    }
  }

  return { ok: true, plan: { input, product, variant: variant ?? null, deal: onDeal } };
}

/**
 * Takes the units of a planned order: at once (offline payment: sold) or as
 * a hold (online payment: held until paid or expired), with its outbox entry.
 */
export function commitOrder(sql: SqlStorage, tx: Change, room: RoomIds, plan: OrderPlan, now: number): Placed {
  const { input, product, variant, deal: onDeal } = plan;
  const email = input.buyer.email.toLowerCase();
  const unitPrice = onDeal ? onDeal.priceCents : (variant?.price_cents ?? product.price_cents);
  const paidNow = input.payment === "offline";
  const number = sql.exec<{ n: number }>("SELECT coalesce(max(number), 0) + 1 AS n FROM orders").one().n;
  const row: OrderRow = {
    id: `o_${room.room_id.slice(2, 18)}${randomBase62(10)}`,
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
    variant_id: variant?.id ?? null,
    variant_options: variant?.options ?? null,
    sku: variant?.sku ?? null,
    notify: input.notify ? JSON.stringify(input.notify) : null,
    phase: phaseOf(room.status),
  };
  moveUnits(sql, input.productId, row.variant_id, "available", paidNow ? "sold" : "held", input.quantity);
  insertOrder(sql, row);
  if (onDeal) addDealPurchase(sql, onDeal.id, email, input.quantity);
  tx.enqueue("order", row.id, row.version);
  if (paidNow) queueConfirmation(tx, row);
  if (!paidNow) tx.rearm();
  queueWebhook(tx, sql, "order.created", { order: toOrder(row, room) }, now);
  if (paidNow) queueWebhook(tx, sql, "order.paid", { order: toOrder(row, room) }, now);
  if (productRow(sql, input.productId)?.available === 0) queueWebhook(tx, sql, "product.sold_out", { roomId: room.room_id, productId: input.productId, title: product.title }, now);
  return { ok: true, order: toOrder(row, room), token: row.token, checkoutUrl: null, replayed: false };
}

/** A confirmed order's email to its buyer, in the same transaction: the outbox sends it (buyer-emails.ts), retrying until it goes. */
function queueConfirmation(tx: Change, row: OrderRow): void {
  if (row.notify) tx.enqueue("email", `confirmed:${row.id}`, 1);
}

/**
 * Moves an order on: a hold is paid (confirmed), runs out (expired) or is
 * given up (cancelled); its units go to sold or back to available. Returns
 * null when the order is not awaiting payment (already settled: webhooks and
 * alarms may arrive twice).
 */
export function settleOrder(sql: SqlStorage, tx: Change, id: string, to: "confirmed" | "expired" | "cancelled", now: number): OrderRow | null {
  const order = findOrder(sql, id);
  if (!order || order.status !== "awaiting_payment") return null;
  moveUnits(sql, order.product_id, order.variant_id, "held", to === "confirmed" ? "sold" : "available", order.quantity);
  if (to !== "confirmed") {
    if (order.deal_id) removeDealPurchase(sql, order.deal_id, order.buyer_email.toLowerCase(), order.quantity);
  }
  sql.exec(
    "UPDATE orders SET status = ?, hold_expires_at = NULL, updated_at = ?, version = version + 1 WHERE id = ?",
    to, now, id,
  );
  const updated = findOrder(sql, id)!;
  tx.enqueue("order", id, updated.version);
  if (to === "confirmed") queueConfirmation(tx, updated);
  orderWebhook(tx, sql, to === "confirmed" ? "order.paid" : "order.cancelled", updated, now);
  return updated;
}

/**
 * The shop cancels an order while the show still sells: its units go back on
 * sale (sold or held → available), exactly once: an order already cancelled
 * or expired returns nothing. Returns the units given back.
 */
export function returnUnits(sql: SqlStorage, tx: Change, id: string, now: number): number {
  const order = findOrder(sql, id);
  if (!order) return 0;
  if (order.status === "awaiting_payment") return settleOrder(sql, tx, id, "cancelled", now) ? order.quantity : 0;
  if (order.status !== "confirmed") return 0;
  moveUnits(sql, order.product_id, order.variant_id, "sold", "available", order.quantity);
  if (order.deal_id) removeDealPurchase(sql, order.deal_id, order.buyer_email.toLowerCase(), order.quantity);
  sql.exec("UPDATE orders SET status = 'cancelled', updated_at = ?, version = version + 1 WHERE id = ?", now, id);
  const updated = findOrder(sql, id)!;
  tx.enqueue("order", id, updated.version);
  orderWebhook(tx, sql, "order.cancelled", updated, now);
  return order.quantity;
}

/** An order's webhook event (an expired hold is `order.cancelled` too, with status `expired`). */
function orderWebhook(tx: Change, sql: SqlStorage, type: "order.paid" | "order.cancelled", row: OrderRow, now: number): void {
  const show = showRow(sql);
  if (show) queueWebhook(tx, sql, type, { order: toOrder(row, show) }, now);
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
    variant: row.variant_id ? { id: row.variant_id, options: JSON.parse(row.variant_options ?? "[]") as string[], sku: row.sku } : null,
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
    phase: row.phase,
    createdAt: row.created_at,
    holdExpiresAt: row.hold_expires_at,
    ...(isRehearsal(room.room_id) ? { test: true as const } : {}),
  };
}

export function toSummary(row: OrderRow): OrderSummary {
  return {
    id: row.id,
    number: row.number,
    productId: row.product_id,
    variant: row.variant_options ? (JSON.parse(row.variant_options) as string[]) : null,
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

/**
 * The outbox's writer for orders: each queued order becomes an upsert of its
 * current row into D1, versioned, so a write that is retried or overtaken by
 * a newer one never moves an order back.
 */
export const writeOrders: TopicWriter = async ({ db, sql, show }, entries) => {
  const stmt = db.prepare(
    `INSERT INTO orders (id, number, room_id, shop_id, product_id, title, quantity, unit_price_cents, total_cents, currency,
       status, payment, buyer_name, buyer_email, buyer_phone, fulfilment, address, ref, deal_id, token_hash, created_at, updated_at, version,
       variant_id, variant_options, sku, phase)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at, version = excluded.version
     WHERE excluded.version > orders.version`,
  );
  return Promise.all(
    entries.flatMap((entry) => {
      // The order as it is now: at least the queued version (rows only move forward).
      const o = findOrder(sql, entry.key);
      if (!o) return [];
      return [
        sha256Hex(o.token).then((tokenHash) =>
          stmt.bind(
            o.id, o.number, show.room_id, show.shop_id, o.product_id, o.title, o.quantity, o.unit_price_cents, o.total_cents, o.currency,
            o.status, o.payment, o.buyer_name, o.buyer_email, o.buyer_phone, o.fulfilment, o.address, o.ref, o.deal_id,
            tokenHash, o.created_at, o.updated_at, o.version, o.variant_id, o.variant_options, o.sku, o.phase,
          ),
        ),
      ];
    }),
  );
};

export class Orders implements RoomFeature {
  readonly schema = ordersSchema;

  constructor(private readonly kit: RoomKit) {}

  /** Holds run out on the room's clock. */
  nextDue(): number | null {
    return nextHoldExpiry(this.kit.sql);
  }

  onDue(now: number): void {
    for (const orderId of expiredHolds(this.kit.sql, now)) this.settle(orderId, "expired");
  }

  /** Takes units for an order; every viewer sees the new count at once, the studio sees the order. */
  place(input: PlaceOrder): Placed | Refusal {
    const show = showRow(this.kit.sql);
    if (!show) return noShow();
    const now = this.kit.now();
    const sql = this.kit.sql;
    const decision = checkOrder(sql, show, input, now);
    if (!decision.ok || !("plan" in decision)) return decision;
    // Synchronous since the check, so nothing changed in between.
    const placed = this.kit.commit((tx) => {
      const result = commitOrder(sql, tx, show, decision.plan, now);
      emitProduct(sql, tx, input.productId);
      this.#tellHosts(tx, result.order.id);
      return result;
    });
    this.kit.drainSoon();
    return placed;
  }

  /** An order of this room, if `token` is its token (or `trusted`, for the shop's own key). */
  get(orderId: string, token: string | null, trusted = false): Order | null {
    const show = showRow(this.kit.sql);
    const row = findOrder(this.kit.sql, orderId);
    if (!show || !row || (!trusted && row.token !== token)) return null;
    return toOrder(row, show);
  }

  /** The payment provider's word on a hold (or its clock running out). Idempotent: false if it was already settled. */
  settle(orderId: string, to: "confirmed" | "cancelled" | "expired"): boolean {
    const sql = this.kit.sql;
    const settled = this.kit.commit((tx) => {
      const row = settleOrder(sql, tx, orderId, to, this.kit.now());
      if (!row) return false;
      emitProduct(sql, tx, row.product_id);
      this.#tellHosts(tx, orderId);
      return true;
    });
    if (settled && to !== "expired") this.kit.drainSoon();
    return settled;
  }

  /**
   * The shop cancelled an order: its units go back on sale, and every viewer
   * sees the new count. After the end too: the show's replay still sells
   * them (`showEnded` says which it was).
   */
  cancelByShop(orderId: string): { returned: number; showEnded: boolean } | Refusal {
    const show = showRow(this.kit.sql);
    if (!show) return noShow();
    const row = findOrder(this.kit.sql, orderId);
    if (!row) return refuse("not_found", `Order ${orderId} is not an order of this show.`);
    const sql = this.kit.sql;
    const returned = this.kit.commit((tx) => {
      const units = returnUnits(sql, tx, orderId, this.kit.now());
      if (units > 0) {
        emitProduct(sql, tx, row.product_id);
        this.#tellHosts(tx, orderId);
      }
      return units;
    });
    if (returned > 0) this.kit.drainSoon();
    return { returned, showEnded: show.status === "ended" };
  }

  attachCheckout(orderId: string, checkoutId: string, checkoutUrl: string): void {
    attachCheckout(this.kit.sql, orderId, checkoutId, checkoutUrl);
  }

  recent(limit: number): OrderSummary[] {
    return recentOrders(this.kit.sql, limit);
  }

  #tellHosts(tx: Change, orderId: string): void {
    const row = findOrder(this.kit.sql, orderId)!;
    tx.toHosts({ type: "order", seq: 0, order: toSummary(row) });
  }
}
