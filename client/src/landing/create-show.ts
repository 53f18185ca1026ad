/**
 * Creating a show is a few kinds of API call: the shop, each product (with
 * its photo and its variants), then the room listing those products or
 * their variants. If a later call fails, the brand fixes the problem and
 * presses the button again; the shop and what was already made of each
 * product are reused (remembered here, for this page) rather than made twice.
 * Once the shop exists, this browser claims it in the background: the brand
 * is then signed in to its console as the shop's owner.
 */
import type { RoomState } from "../../../durable-objects/protocol.ts";
import { api } from "../api.ts";
import { uploadPhoto } from "../catalogue/photo-upload.ts";
import type { ShowRequest } from "./show-draft.ts";

export type CreatedShow = {
  room: RoomState;
  links: { viewer: string; host: string; guest: string; moderator: string };
};

export type Progress = { step: "shop" } | { step: "products"; done: number; total: number } | { step: "room" };

type Shop = { id: string; name: string; currency: string };

const shopsMade = new Map<string, { shop: Shop; apiKey: string }>();
/** What was made of a product so far: a retry picks up where a failed call stopped. */
type ProductMade = { productId: string; photoSent: boolean; variantIds: string[] };
const productsMade = new Map<string, ProductMade>();
/** Each new shop's claim (its owner's account and this browser's session), by shop id: made in the background. */
const claims = new Map<string, Promise<boolean>>();

/**
 * Makes this browser the new shop's signed-in owner (POST /api/auth/claim),
 * without holding up the products and the room: nothing waits for it but the
 * "Secure your shop with a passkey" card.
 */
function claimShop(shopId: string, apiKey: string) {
  claims.set(
    shopId,
    api("/api/auth/claim", { method: "POST", key: apiKey, body: {} }).then(
      () => true,
      () => false,
    ),
  );
}

/** Whether this browser is signed in as the shop's owner: the claim made on this page, else what the session says (after a reload). */
export function ownsShop(shopId: string): Promise<boolean> {
  return (
    claims.get(shopId) ??
    api<{ shops: { id: string; role: string }[] }>("/api/auth/me").then(
      (me) => me.shops.some((shop) => shop.id === shopId && shop.role === "owner"),
      () => false,
    )
  );
}

export async function createShow(request: ShowRequest, onProgress: (progress: Progress) => void): Promise<CreatedShow> {
  onProgress({ step: "shop" });
  const shopKey = JSON.stringify(request.shop);
  let made = shopsMade.get(shopKey);
  if (!made) {
    made = await api<{ shop: Shop; apiKey: string }>("/api/shops", { method: "POST", body: request.shop });
    shopsMade.set(shopKey, made);
    claimShop(made.shop.id, made.apiKey);
  }
  const { shop, apiKey } = made;

  const products = `/api/shops/${encodeURIComponent(shop.id)}/products`;
  const listed: { productId: string; stock: number }[] = [];
  const listedVariants: { variantId: string; stock: number }[] = [];
  for (const [i, { stock, photo, variants, ...product }] of request.products.entries()) {
    onProgress({ step: "products", done: i, total: request.products.length });
    const productKey = JSON.stringify([shop.id, product, photo?.id ?? null, variants?.map((v) => v.options) ?? null]);
    let made = productsMade.get(productKey);
    if (!made) {
      const created = await api<{ product: { id: string } }>(products, { method: "POST", key: apiKey, body: product });
      made = { productId: created.product.id, photoSent: false, variantIds: [] };
      productsMade.set(productKey, made);
    }
    if (photo && !made.photoSent) {
      await uploadPhoto(shop.id, made.productId, apiKey, photo.blob);
      made.photoSent = true;
    }
    for (const variant of (variants ?? []).slice(made.variantIds.length)) {
      const created = await api<{ variant: { id: string } }>(`${products}/${encodeURIComponent(made.productId)}/variants`, {
        method: "POST",
        key: apiKey,
        body: { options: variant.options },
      });
      made.variantIds.push(created.variant.id);
    }
    if (variants) listedVariants.push(...variants.map((variant, k) => ({ variantId: made.variantIds[k]!, stock: variant.stock })));
    else listed.push({ productId: made.productId, stock });
  }

  onProgress({ step: "room" });
  return api<CreatedShow>(`/api/shops/${encodeURIComponent(shop.id)}/rooms`, {
    method: "POST",
    key: apiKey,
    body: { ...request.room, products: listed, variants: listedVariants },
  });
}
