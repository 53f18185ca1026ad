/** A shop's orders as D1 holds them (written there by each room's outbox), as JSON rows or CSV. */
import type { z } from "@hono/zod-openapi";
import type { ShopOrder } from "./schemas.ts";

type Row = {
  id: string; number: number; room_id: string; shop_id: string; product_id: string; title: string; quantity: number;
  unit_price_cents: number; total_cents: number; currency: string; status: string; payment: string;
  buyer_name: string; buyer_email: string; buyer_phone: string | null; fulfilment: string; address: string | null;
  ref: string | null; deal_id: string | null; created_at: number; updated_at: number;
  variant_id: string | null; variant_options: string | null; sku: string | null;
};

export type ShopOrderView = z.infer<typeof ShopOrder>;

export async function shopOrders(db: D1Database, shopId: string, limit = 5000): Promise<ShopOrderView[]> {
  const { results } = await db
    .prepare("SELECT * FROM orders WHERE shop_id = ? ORDER BY created_at DESC, number DESC LIMIT ?")
    .bind(shopId, limit)
    .all<Row>();
  return results.map((r) => ({
    id: r.id,
    number: r.number,
    roomId: r.room_id,
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
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}

const COLUMNS = [
  "order_id", "number", "room_id", "created_at", "status", "payment", "product_id", "title", "quantity",
  "unit_price", "total", "currency", "buyer_name", "buyer_email", "buyer_phone", "fulfilment", "address", "ref", "deal_id",
  // Added with variants: at the end, so that sheets reading the columns by position still read them.
  "variant", "sku",
] as const;

/** RFC 4180 CSV. Cells that a spreadsheet would run as a formula are prefixed with a quote. */
export function ordersCsv(orders: ShopOrderView[]): string {
  const cell = (value: string | number | null) => {
    let text = value === null ? "" : String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const money = (cents: number, currency: string) => (currency === "JPY" ? String(cents) : (cents / 100).toFixed(2));
  const lines = orders.map((o) => {
    const a = o.fulfilment.address;
    const address = a ? [a.line1, a.line2, a.postalCode, a.city, a.region, a.country].filter(Boolean).join(", ") : "";
    return [
      o.id, o.number, o.roomId, new Date(o.createdAt).toISOString(), o.status, o.payment, o.productId, o.title, o.quantity,
      money(o.unitPriceCents, o.currency), money(o.totalCents, o.currency), o.currency, o.buyer.name, o.buyer.email,
      o.buyer.phone, o.fulfilment.type, address, o.ref, o.dealId, o.variant?.options.join(" / ") ?? null, o.variant?.sku ?? null,
    ].map(cell).join(",");
  });
  return [COLUMNS.join(","), ...lines].join("\r\n") + "\r\n";
}
