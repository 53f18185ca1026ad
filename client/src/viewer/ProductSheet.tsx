import type { RoomProduct } from "../../../durable-objects/protocol.ts";
import { ProductImage } from "../components/ProductImage.tsx";
import { Sheet } from "../components/Sheet.tsx";
import { tViewer as t } from "../i18n.ts";
import { ProductFigures } from "./ProductFigures.tsx";

type ProductSheetProps = {
  products: RoomProduct[];
  pinnedProductId: string | null;
  onBuy: (product: RoomProduct) => void;
  onClose: () => void;
};

/** Everything on sale in this show, opened from the bag button. */
export function ProductSheet({ products, pinnedProductId, onBuy, onClose }: ProductSheetProps) {
  return (
    <Sheet title={t("productsTitle")} onClose={onClose}>
      {products.length === 0 ? (
        <p class="empty">{t("productsEmpty")}</p>
      ) : (
        <ul class="product-list" data-testid="product-list">
          {products.map((product) => (
            <li key={product.id} class="product-row" data-product-id={product.id}>
              <ProductImage url={product.imageUrl} title={product.title} size={72} />
              <div class="product-info">
                {product.id === pinnedProductId && <span class="pinned-tag">{t("showingNow")}</span>}
                <p class="product-title">{product.title}</p>
                <ProductFigures product={product} />
              </div>
              <button type="button" class="button button-buy" disabled={product.left <= 0} onClick={() => onBuy(product)}>
                {t("buyNow")}
              </button>
            </li>
          ))}
        </ul>
      )}
    </Sheet>
  );
}
