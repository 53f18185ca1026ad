/**
 * Creating a show is three kinds of API call: the shop, each product, then
 * the room listing those products. If a later call fails, the brand fixes the
 * problem and presses the button again; the shop and the products already
 * made are reused (remembered here, for this page) rather than created twice.
 */
import type { RoomState } from "../../../durable-objects/protocol.ts";
import { api } from "../api.ts";
import type { ShowRequest } from "./show-draft.ts";

export type CreatedShow = {
  room: RoomState;
  links: { viewer: string; host: string; guest: string; moderator: string };
};

export type Progress = { step: "shop" } | { step: "products"; done: number; total: number } | { step: "room" };

type Shop = { id: string; name: string; currency: string };

const shopsMade = new Map<string, { shop: Shop; apiKey: string }>();
const productsMade = new Map<string, string>();

export async function createShow(request: ShowRequest, onProgress: (progress: Progress) => void): Promise<CreatedShow> {
  onProgress({ step: "shop" });
  const shopKey = JSON.stringify(request.shop);
  let made = shopsMade.get(shopKey);
  if (!made) {
    made = await api<{ shop: Shop; apiKey: string }>("/api/shops", { method: "POST", body: request.shop });
    shopsMade.set(shopKey, made);
  }
  const { shop, apiKey } = made;

  const listed: { productId: string; stock: number }[] = [];
  for (const [i, { stock, ...product }] of request.products.entries()) {
    onProgress({ step: "products", done: i, total: request.products.length });
    const productKey = JSON.stringify([shop.id, product]);
    let productId = productsMade.get(productKey);
    if (!productId) {
      const created = await api<{ product: { id: string } }>(`/api/shops/${encodeURIComponent(shop.id)}/products`, {
        method: "POST",
        key: apiKey,
        body: product,
      });
      productId = created.product.id;
      productsMade.set(productKey, productId);
    }
    listed.push({ productId, stock });
  }

  onProgress({ step: "room" });
  return api<CreatedShow>(`/api/shops/${encodeURIComponent(shop.id)}/rooms`, {
    method: "POST",
    key: apiKey,
    body: { ...request.room, products: listed },
  });
}
