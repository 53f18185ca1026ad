/**
 * The orders board's calls to the HTTP API, through the fetch it was given
 * (a cookie session's, or one that adds the shop's API key).
 */
import { api, ApiError, type Fetcher } from "../api.ts";
import type { FulfilmentStatus, ShopOrder } from "../orders.ts";

export type BoardFilters = { roomId: string; fulfilmentStatus: FulfilmentStatus | ""; from: string; to: string };
export type OrdersPage = { orders: ShopOrder[]; nextCursor: string | null };
export const PAGE_SIZE = 50;

/** A local calendar day (YYYY-MM-DD, as <input type=date> gives it) as the instant it starts, or the next day starts. */
function dayBound(day: string, end: boolean): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return new Date(y, m - 1, d + (end ? 1 : 0)).toISOString();
}

function query(filters: BoardFilters, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams(extra);
  if (filters.roomId) params.set("roomId", filters.roomId);
  if (filters.fulfilmentStatus) params.set("fulfilmentStatus", filters.fulfilmentStatus);
  if (filters.from) params.set("from", dayBound(filters.from, false));
  if (filters.to) params.set("to", dayBound(filters.to, true));
  return params.toString();
}

const ordersPath = (shopId: string) => `/api/shops/${encodeURIComponent(shopId)}/orders`;

export function listOrders(fetcher: Fetcher, shopId: string, filters: BoardFilters, cursor: string | null): Promise<OrdersPage> {
  const extra: Record<string, string> = { limit: String(PAGE_SIZE), ...(cursor ? { cursor } : {}) };
  return api<OrdersPage>(`${ordersPath(shopId)}?${query(filters, extra)}`, { fetcher });
}

/** The shop's shows (the newest 50), for the show filter: id → title. */
export async function listShows(fetcher: Fetcher, shopId: string): Promise<Map<string, string>> {
  const { shows } = await api<{ shows: Array<{ id: string; title: string }> }>(`/api/shops/${encodeURIComponent(shopId)}/rooms`, { fetcher });
  return new Map(shows.map((show) => [show.id, show.title]));
}

export type Step = { fulfilmentStatus: "packed" | "shipped" | "picked_up"; carrier?: string; trackingUrl?: string };

export async function takeStep(fetcher: Fetcher, shopId: string, orderId: string, step: Step): Promise<ShopOrder> {
  return (await api<{ order: ShopOrder }>(`${ordersPath(shopId)}/${encodeURIComponent(orderId)}`, { method: "PATCH", body: step, fetcher })).order;
}

export async function cancelOrder(fetcher: Fetcher, shopId: string, orderId: string): Promise<ShopOrder> {
  return (await api<{ order: ShopOrder }>(`${ordersPath(shopId)}/${encodeURIComponent(orderId)}/cancel`, { method: "POST", fetcher })).order;
}

/** The CSV of the orders these filters match, as a file to save. */
export async function ordersCsv(fetcher: Fetcher, shopId: string, filters: BoardFilters): Promise<Blob> {
  let response: Response;
  try {
    response = await fetcher(`${ordersPath(shopId)}?${query(filters, { format: "csv" })}`, { headers: { accept: "text/csv" } });
  } catch (error) {
    throw new ApiError(0, "network", error instanceof Error ? error.message : String(error));
  }
  if (!response.ok) throw new ApiError(response.status, `http_${response.status}`, response.statusText);
  return response.blob();
}
