/**
 * What the embed tells the brand's page about a sale, live and in the
 * replay alike (README, "Embedding a show"): `shop-along:add-to-cart`
 * before "Buy now" opens anything (cancelable: a page with its own cart
 * takes the sale), `shop-along:order` once the built-in checkout placed one.
 */
import type { FlashDeal, RoomProduct } from "../../../durable-objects/protocol.ts";
import type { PlacedOrder } from "../orders.ts";
import { serverNow } from "../server-clock.ts";

/** What `shop-along:add-to-cart` carries. `price`: in the currency's minor unit (cents). */
export type AddToCart = {
  roomId: string;
  productId: string;
  variantId: string | null;
  sku: string | null;
  name: string;
  price: number;
  currency: string;
  quantity: number;
};

const fire = (host: HTMLElement, name: string, detail: unknown, cancelable = false) =>
  host.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true, cancelable }));

/** The item as a cart takes it: the only variant when there is one, the deal's price while it runs. */
export function cartItem(roomId: string, product: RoomProduct, deal: FlashDeal | null): AddToCart {
  const variant = product.variants?.length === 1 ? product.variants[0]! : null;
  const now = serverNow();
  const running = deal && deal.productId === product.id && deal.startsAt <= now && now < deal.endsAt && (!deal.variantId || deal.variantId === variant?.id);
  return {
    roomId,
    productId: product.id,
    variantId: variant?.id ?? null,
    sku: variant?.sku ?? null,
    name: product.title,
    price: running ? deal.priceCents : (variant?.priceCents ?? product.priceCents),
    currency: product.currency,
    quantity: 1,
  };
}

/** What `shop-along:order` carries: the order without the buyer's details or its token (they stay with the buyer). */
export function orderSummary({ order }: PlacedOrder) {
  return {
    roomId: order.roomId,
    orderId: order.id,
    number: order.number,
    productId: order.productId,
    variantId: order.variant?.id ?? null,
    sku: order.variant?.sku ?? null,
    name: order.title,
    quantity: order.quantity,
    unitPrice: order.unitPriceCents,
    total: order.totalCents,
    currency: order.currency,
    status: order.status,
    payment: order.payment,
  };
}

/** Asks the page first: true when the built-in checkout should open, false when the page's own cart took the item. */
export const offerToPage = (host: HTMLElement, item: AddToCart): boolean => fire(host, "shop-along:add-to-cart", item, true);

/** Tells the page what the built-in checkout sold. */
export const tellPageOrdered = (host: HTMLElement, placed: PlacedOrder): void => void fire(host, "shop-along:order", orderSummary(placed));
