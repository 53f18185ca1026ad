/**
 * A shop's orders as D1 holds them (written there by each room's outbox,
 * with the shop's fulfilment columns beside): filtered, a page at a time
 * (newest first, by a keyset cursor), as JSON rows or CSV.
 */
import type { z } from "@hono/zod-openapi";
import type { OrderPhase } from "../durable-objects/protocol.ts";
import { ApiError } from "./errors.ts";
import type { FulfilmentStatus, ShopOrder, ShopOrdersQuery } from "./schemas.ts";

export type OrderRow = {
  id: string; number: number; room_id: string; shop_id: string; product_id: string; title: string; quantity: number;
  unit_price_cents: number; total_cents: number; currency: string; status: string; payment: string;
  buyer_name: string; buyer_email: string; buyer_phone: string | null; fulfilment: string; address: string | null;
  ref: string | null; deal_id: string | null; phase: OrderPhase | null; created_at: number; updated_at: number;
  fulfilment_status: FulfilmentStatus; carrier: string | null; tracking_url: string | null;
  packed_at: number | null; shipped_at: number | null; picked_up_at: number | null; cancelled_at: number | null;
  show_title: string;
  variant_id: string | null; variant_options: string | null; sku: string | null;
};

/** Orders with their show's title (the shop's board names the show of each order). */
export const ORDERS_WITH_SHOW = "SELECT orders.*, rooms.title AS show_title FROM orders JOIN rooms ON rooms.id = orders.room_id";

export type ShopOrderView = z.infer<typeof ShopOrder>;
type Filters = Omit<z.infer<typeof ShopOrdersQuery>, "format">;

export function toShopOrder(r: OrderRow): ShopOrderView {
  return {
    id: r.id,
    number: r.number,
    roomId: r.room_id,
    showTitle: r.show_title,
    shopId: r.shop_id,
    productId: r.product_id,
    variant: r.variant_id ? { id: r.variant_id, options: JSON.parse(r.variant_options ?? "[]") as string[], sku: r.sku } : null,
    title: r.title,
    quantity: r.quantity,
    unitPriceCents: r.unit_price_cents,
    totalCents: r.total_cents,
    currency: r.currency,
    status: r.status as ShopOrderView["status"],
    payment: r.payment as ShopOrderView["payment"],
    buyer: { name: r.buyer_name, email: r.buyer_email, phone: r.buyer_phone },
    fulfilment: r.fulfilment === "shipping" ? { type: "shipping", address: JSON.parse(r.address ?? "{}") } : { type: "pickup", address: null },
    ref: r.ref,
    dealId: r.deal_id,
    phase: r.phase,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    fulfilmentStatus: r.fulfilment_status,
    carrier: r.carrier,
    trackingUrl: r.tracking_url,
    packedAt: r.packed_at,
    shippedAt: r.shipped_at,
    pickedUpAt: r.picked_up_at,
    cancelledAt: r.cancelled_at,
  };
}

/** A page position: the last order of the previous page (created_at, number, id), opaque to callers. */
const encodeCursor = (o: { createdAt: number; number: number; id: string }) => btoa(`${o.createdAt}.${o.number}.${o.id}`).replaceAll("=", "");

function decodeCursor(cursor: string): { createdAt: number; number: number; id: string } {
  let text = "";
  try {
    text = atob(cursor);
  } catch {
    // Not base64: refused below.
  }
  const match = /^(\d{1,16})\.(\d{1,9})\.(o_[0-9A-Za-z]{26})$/.exec(text);
  if (!match) throw new ApiError(400, "invalid_request", "cursor: not a cursor from this API; pass the nextCursor of the previous page as it was.");
  return { createdAt: Number(match[1]), number: Number(match[2]), id: match[3]! };
}

/** A date (YYYY-MM-DD) is a whole UTC day: `from` its start, `to` its end. */
function bound(value: string, end: boolean): number {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const at = Date.parse(date ? `${value}T00:00:00Z` : value);
  return date && end ? at + 86_400_000 : at;
}

export async function shopOrders(db: D1Database, shopId: string, filters: Filters): Promise<{ orders: ShopOrderView[]; nextCursor: string | null }> {
  const where = ["orders.shop_id = ?"];
  const args: Array<string | number> = [shopId];
  const add = (clause: string, ...values: Array<string | number>) => {
    where.push(clause);
    args.push(...values);
  };
  if (filters.roomId) add("orders.room_id = ?", filters.roomId);
  if (filters.status) add("orders.status = ?", filters.status);
  if (filters.fulfilmentStatus) add("orders.fulfilment_status = ?", filters.fulfilmentStatus);
  if (filters.from) add("orders.created_at >= ?", bound(filters.from, false));
  if (filters.to) add("orders.created_at < ?", bound(filters.to, true));
  if (filters.cursor) {
    const after = decodeCursor(filters.cursor);
    add(
      "(orders.created_at < ? OR (orders.created_at = ? AND (orders.number < ? OR (orders.number = ? AND orders.id < ?))))",
      after.createdAt, after.createdAt, after.number, after.number, after.id,
    );
  }
  // One more than asked: whether there is a next page.
  const { results } = await db
    .prepare(`${ORDERS_WITH_SHOW} WHERE ${where.join(" AND ")} ORDER BY orders.created_at DESC, orders.number DESC, orders.id DESC LIMIT ?`)
    .bind(...args, filters.limit + 1)
    .all<OrderRow>();
  const orders = results.slice(0, filters.limit).map(toShopOrder);
  const last = orders.at(-1);
  return { orders, nextCursor: results.length > filters.limit && last ? encodeCursor(last) : null };
}

const COLUMNS = [
  "order_id", "number", "room_id", "created_at", "status", "payment", "product_id", "title", "quantity",
  "unit_price", "total", "currency", "buyer_name", "buyer_email", "buyer_phone", "fulfilment", "address", "ref", "deal_id", "show_title",
  "fulfilment_status", "carrier", "tracking_url", "packed_at", "shipped_at", "picked_up_at", "cancelled_at",
  // Added with variants: at the end, so that sheets reading the columns by position still read them.
  "variant", "sku",
  "phase",
] as const;

/** One RFC 4180 CSV cell. A cell that a spreadsheet would run as a formula is prefixed with a quote. */
export function csvCell(value: string | number | null): string {
  let text = value === null ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** RFC 4180 CSV of orders. */
export function ordersCsv(orders: ShopOrderView[]): string {
  const cell = csvCell;
  const money = (cents: number, currency: string) => (currency === "JPY" ? String(cents) : (cents / 100).toFixed(2));
  const time = (at: number | null) => (at === null ? null : new Date(at).toISOString());
  const lines = orders.map((o) => {
    const a = o.fulfilment.address;
    const address = a ? [a.line1, a.line2, a.postalCode, a.city, a.region, a.country].filter(Boolean).join(", ") : "";
    return [
      o.id, o.number, o.roomId, time(o.createdAt), o.status, o.payment, o.productId, o.title, o.quantity,
      money(o.unitPriceCents, o.currency), money(o.totalCents, o.currency), o.currency, o.buyer.name, o.buyer.email,
      o.buyer.phone, o.fulfilment.type, address, o.ref, o.dealId, o.showTitle,
      o.fulfilmentStatus, o.carrier, o.trackingUrl, time(o.packedAt), time(o.shippedAt), time(o.pickedUpAt), time(o.cancelledAt),
      o.variant?.options.join(" / ") ?? null, o.variant?.sku ?? null,
      o.phase,
    ].map(cell).join(",");
  });
  return [COLUMNS.join(","), ...lines].join("\r\n") + "\r\n";
}
