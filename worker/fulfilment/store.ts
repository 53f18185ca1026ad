/**
 * The shop's side of orders in D1: the fulfilment columns of `orders` (which
 * the rooms' outbox never writes), their history, and the shop's pickup
 * store (migrations/0007_fulfilment.sql).
 */
import { eventStatements, type WebhookEvent } from "../webhooks/events.ts";
import type { z } from "@hono/zod-openapi";
import type { Order } from "../../durable-objects/protocol.ts";
import type { FulfilmentStep, OrderView, PickupStore } from "../schemas.ts";
import { ORDERS_WITH_SHOW, toShopOrder, type OrderRow, type ShopOrderView } from "../shop-orders.ts";
import type { Step } from "./transitions.ts";

export type PickupStoreView = z.infer<typeof PickupStore>;
export type OrderViewBody = z.infer<typeof OrderView>;
type StepView = z.infer<typeof FulfilmentStep>;

export async function findShopOrder(db: D1Database, shopId: string, orderId: string): Promise<ShopOrderView | null> {
  const row = await db.prepare(`${ORDERS_WITH_SHOW} WHERE orders.id = ? AND orders.shop_id = ?`).bind(orderId, shopId).first<OrderRow>();
  return row ? toShopOrder(row) : null;
}

export async function fulfilmentHistory(db: D1Database, orderId: string): Promise<StepView[]> {
  const { results } = await db
    .prepare("SELECT status, at, actor, carrier, tracking_url AS trackingUrl FROM order_fulfilment_history WHERE order_id = ? ORDER BY at, rowid")
    .bind(orderId)
    .all<StepView>();
  return results;
}

const STAMP: Record<Step, string> = { packed: "packed_at", shipped: "shipped_at", picked_up: "picked_up_at", cancelled: "cancelled_at" };

/**
 * Moves an order from `from` to `to` and records the step, in one batch.
 * False when the order was no longer at `from` (another request moved it
 * first): nothing is written then.
 */
export async function recordStep(
  db: D1Database,
  orderId: string,
  from: string,
  to: Step,
  details: { carrier: string | null; trackingUrl: string | null },
  actor: string,
  now: number,
  /** Its webhook event (`order.fulfilled`), written only if the step was. */
  event?: WebhookEvent,
): Promise<boolean> {
  const [moved] = await db.batch([
    db
      .prepare(
        `UPDATE orders SET fulfilment_status = ?, ${STAMP[to]} = ?,
           carrier = coalesce(?, carrier), tracking_url = coalesce(?, tracking_url)
         WHERE id = ? AND fulfilment_status = ?`,
      )
      .bind(to, now, details.carrier, details.trackingUrl, orderId, from),
    // Only if the update above moved the order (changes() is that statement's count, in this same batch).
    db
      .prepare("INSERT INTO order_fulfilment_history (order_id, at, status, actor, carrier, tracking_url) SELECT ?, ?, ?, ?, ?, ? WHERE changes() = 1")
      .bind(orderId, now, to, actor, details.carrier, details.trackingUrl),
    ...(event ? eventStatements(db, event, { onlyIfChanged: true, now }) : []),
  ]);
  return (moved?.meta.changes ?? 0) === 1;
}

/**
 * The step an order is at, if it owes the buyer an email: the newest history
 * row of `status` whose email was never queued. Its rowid, to mark it told.
 */
export async function untoldStep(db: D1Database, orderId: string, status: Step): Promise<number | null> {
  const row = await db
    .prepare("SELECT rowid AS id, buyer_told_at FROM order_fulfilment_history WHERE order_id = ? AND status = ? ORDER BY at DESC, rowid DESC LIMIT 1")
    .bind(orderId, status)
    .first<{ id: number; buyer_told_at: number | null }>();
  return row && row.buyer_told_at === null ? row.id : null;
}

export async function markTold(db: D1Database, stepId: number, now: number): Promise<void> {
  await db.prepare("UPDATE order_fulfilment_history SET buyer_told_at = ? WHERE rowid = ?").bind(now, stepId).run();
}

/** A shipped order's carrier or tracking link corrected (same status, no new step). */
export async function correctTracking(db: D1Database, orderId: string, details: { carrier: string | null; trackingUrl: string | null }): Promise<void> {
  await db
    .prepare("UPDATE orders SET carrier = coalesce(?, carrier), tracking_url = coalesce(?, tracking_url) WHERE id = ?")
    .bind(details.carrier, details.trackingUrl, orderId)
    .run();
}

type StoreRow = { address: string; hours: string; contact_email: string | null; contact_phone: string | null };

const toStore = (row: StoreRow): PickupStoreView => ({
  address: JSON.parse(row.address),
  hours: row.hours,
  contactEmail: row.contact_email,
  contactPhone: row.contact_phone,
});

export async function pickupStore(db: D1Database, shopId: string): Promise<PickupStoreView | null> {
  const row = await db.prepare("SELECT * FROM shop_pickup WHERE shop_id = ?").bind(shopId).first<StoreRow>();
  return row ? toStore(row) : null;
}

export async function savePickupStore(db: D1Database, shopId: string, store: PickupStoreView, now: number): Promise<void> {
  await db
    .prepare(
      `INSERT INTO shop_pickup (shop_id, address, hours, contact_email, contact_phone, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (shop_id) DO UPDATE SET address = excluded.address, hours = excluded.hours,
         contact_email = excluded.contact_email, contact_phone = excluded.contact_phone, updated_at = excluded.updated_at`,
    )
    .bind(shopId, JSON.stringify(store.address), store.hours, store.contactEmail, store.contactPhone, now)
    .run();
}

type ProgressRow = Pick<OrderRow, "fulfilment_status" | "carrier" | "tracking_url" | "packed_at" | "shipped_at" | "picked_up_at" | "cancelled_at">;

/**
 * An order as its buyer reads it: the room's order (always current), where
 * it is on its way (D1; "unfulfilled" until the outbox has written it), the
 * shop and how to reach it, the show, and for pickup the store.
 */
export async function orderView(db: D1Database, order: Order): Promise<OrderViewBody> {
  const [progress, shop, show, store] = await db.batch<unknown>([
    db.prepare("SELECT fulfilment_status, carrier, tracking_url, packed_at, shipped_at, picked_up_at, cancelled_at FROM orders WHERE id = ?").bind(order.id),
    db.prepare("SELECT id, name FROM shops WHERE id = ?").bind(order.shopId),
    db.prepare("SELECT id, title FROM rooms WHERE id = ?").bind(order.roomId),
    db.prepare("SELECT * FROM shop_pickup WHERE shop_id = ?").bind(order.shopId),
  ]);
  const p = progress?.results[0] as ProgressRow | undefined;
  const s = shop?.results[0] as { id: string; name: string };
  const r = show?.results[0] as { id: string; title: string };
  const st = store?.results[0] ? toStore(store.results[0] as StoreRow) : null;
  return {
    order,
    progress: {
      fulfilmentStatus: p?.fulfilment_status ?? "unfulfilled",
      carrier: p?.carrier ?? null,
      trackingUrl: p?.tracking_url ?? null,
      packedAt: p?.packed_at ?? null,
      shippedAt: p?.shipped_at ?? null,
      pickedUpAt: p?.picked_up_at ?? null,
      cancelledAt: p?.cancelled_at ?? null,
    },
    shop: { id: s.id, name: s.name, contactEmail: st?.contactEmail ?? null, contactPhone: st?.contactPhone ?? null },
    show: { id: r.id, title: r.title },
    pickupStore: order.fulfilment.type === "pickup" && st ? { address: st.address, hours: st.hours } : null,
  };
}
