import type { RoomProduct } from "../../../durable-objects/protocol.ts";
import { ProductImage } from "../components/ProductImage.tsx";
import { tViewer as t } from "../i18n.ts";
import { ProductFigures } from "./ProductFigures.tsx";

/** The product the host is talking about right now, with its buy button. */
export function PinnedProduct({ product, onBuy }: { product: RoomProduct; onBuy: (product: RoomProduct) => void }) {
  return (
    <aside class="pinned" data-testid="pinned-product" data-product-id={product.id} aria-label={t("showingNow")}>
      <ProductImage url={product.imageUrl} title={product.title} size={64} />
      <div class="product-info">
        <span class="pinned-tag">{t("showingNow")}</span>
        <p class="product-title" data-testid="pinned-title">
          {product.title}
        </p>
        <ProductFigures product={product} testIds />
      </div>
      <button type="button" class="button button-buy" data-testid="buy-now" disabled={product.left <= 0} onClick={() => onBuy(product)}>
        {t("buyNow")}
      </button>
    </aside>
  );
}
