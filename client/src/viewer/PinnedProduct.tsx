import type { FlashDeal, RoomProduct } from "../../../durable-objects/protocol.ts";
import { useActiveDeal } from "../components/DealCountdown.tsx";
import { ProductImage } from "../components/ProductImage.tsx";
import { tViewer as t } from "../i18n.ts";
import { prefetchCheckout } from "./checkout-loader.tsx";
import { DealBanner, ProductFigures } from "./ProductFigures.tsx";

type PinnedProductProps = {
  product: RoomProduct;
  deal: FlashDeal | null;
  onBuy: (product: RoomProduct) => void;
  /** The card of a flash deal on a product that is not pinned: shown only while the deal runs. */
  dealCard?: boolean;
};

/**
 * The product the host is talking about right now, with its buy button (and
 * its flash deal, if one runs); or, as `dealCard`, the product of a running
 * deal that is not pinned, so nobody misses a deal on another product.
 */
export function PinnedProduct({ product, deal, onBuy, dealCard }: PinnedProductProps) {
  const running = useActiveDeal(deal, product.id);
  if (dealCard && !running) return null;
  return (
    <aside
      class={running ? "pinned pinned-deal" : "pinned"}
      data-testid={dealCard ? "deal-card" : "pinned-product"}
      data-product-id={product.id}
      aria-label={t("showingNow")}
    >
      <ProductImage url={product.imageUrl} title={product.title} size={64} />
      <div class="product-info">
        {running ? <DealBanner deal={running} /> : <span class="pinned-tag">{t("showingNow")}</span>}
        <p class="product-title" data-testid="pinned-title">
          {product.title}
        </p>
        <ProductFigures product={product} deal={running} pinned />
      </div>
      <button
        type="button"
        class="button button-buy"
        data-testid="buy-now"
        disabled={product.left <= 0}
        // The checkout starts downloading as the finger lands, not when it lifts.
        onPointerDown={() => void prefetchCheckout().catch(() => {})}
        onClick={() => onBuy(product)}
      >
        {t("buyNow")}
      </button>
    </aside>
  );
}
