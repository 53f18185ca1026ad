/**
 * The orders this device placed (or opened from a link), kept in
 * localStorage under `shop-along:order:{orderId}` with their tokens, so the
 * buyer finds them again in "My orders" and an order page opened without
 * its #token still works on this device. Nothing here is sent anywhere.
 */

export type MyOrder = {
  id: string;
  token: string;
  number?: number;
  roomId?: string;
  title?: string;
  quantity?: number;
  totalCents?: number;
  currency?: string;
  createdAt?: number;
};

const PREFIX = "shop-along:order:";

export function rememberOrder(order: MyOrder): void {
  try {
    const previous = findOrder(order.id);
    localStorage.setItem(PREFIX + order.id, JSON.stringify({ ...previous, ...order }));
  } catch {
    // Storage blocked or full: the order link shown on screen still works.
  }
}

export function findOrder(orderId: string): MyOrder | null {
  try {
    const saved = JSON.parse(localStorage.getItem(PREFIX + orderId) ?? "null") as MyOrder | null;
    return saved && typeof saved.token === "string" ? saved : null;
  } catch {
    return null;
  }
}

/** This device's orders in one show, newest first. */
export function myOrders(roomId: string): MyOrder[] {
  const found: MyOrder[] = [];
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      const order = key?.startsWith(PREFIX) ? findOrder(key.slice(PREFIX.length)) : null;
      if (order?.roomId === roomId) found.push(order);
    }
  } catch {
    // No storage, no list.
  }
  return found.sort((a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0));
}
