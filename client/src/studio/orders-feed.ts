/**
 * The show's orders as the studio keeps them: the list the API gives when the
 * studio opens (and again after every reconnect, since order frames are not
 * replayed), then each `order` frame from the room, upserted by id.
 */
import { batch, signal } from "@preact/signals";
import type { OrderSummary } from "../../../durable-objects/protocol.ts";
import { api, ApiError } from "../api.ts";
import { errorText } from "../i18n.ts";

export type OrdersFeed = ReturnType<typeof createOrdersFeed>;

const newestFirst = (a: OrderSummary, b: OrderSummary) => b.createdAt - a.createdAt || b.number - a.number;

/** `hostKey` null: the signed-in team member's session cookie answers for the host. */
export function createOrdersFeed(roomId: string, hostKey: string | null) {
  const orders = signal<OrderSummary[]>([]);
  /** Why the list could not be loaded, in words; null when it was. */
  const loadError = signal<string | null>(null);
  const loaded = signal(false);

  function upsert(order: OrderSummary) {
    const list = orders.peek();
    const known = list.find((existing) => existing.id === order.id);
    // A list fetched a moment ago may carry an older status than a frame that
    // already arrived; a paid, expired or cancelled order never goes back to waiting.
    if (known && known.status !== "awaiting_payment" && order.status === "awaiting_payment") return;
    orders.value = [order, ...list.filter((existing) => existing.id !== order.id)].sort(newestFirst);
  }

  async function load() {
    try {
      const answer = await api<{ orders: OrderSummary[] }>(`/api/rooms/${encodeURIComponent(roomId)}/orders`, { key: hostKey });
      batch(() => {
        for (const order of answer.orders) upsert(order);
        loadError.value = null;
        loaded.value = true;
      });
    } catch (error) {
      loadError.value = error instanceof ApiError ? errorText(error.code, error.message) : String(error);
    }
  }

  return { orders, loadError, loaded, upsert, load };
}

/** Units per product: sold (confirmed) and held (awaiting payment), from the orders the studio knows. */
export function unitsByProduct(orders: OrderSummary[]): Map<string, { sold: number; held: number }> {
  const figures = new Map<string, { sold: number; held: number }>();
  for (const order of orders) {
    const entry = figures.get(order.productId) ?? { sold: 0, held: 0 };
    if (order.status === "confirmed") entry.sold += order.quantity;
    else if (order.status === "awaiting_payment") entry.held += order.quantity;
    figures.set(order.productId, entry);
  }
  return figures;
}
