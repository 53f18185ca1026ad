import type { RoomProduct } from "../../../durable-objects/protocol.ts";
import { formatPrice } from "../format.ts";
import { lang, tViewer as t } from "../i18n.ts";

/** Price and stock, as the pinned card and the product list both show them. */
export function ProductFigures({ product, testIds }: { product: RoomProduct; testIds?: boolean }) {
  return (
    <p class="product-figures">
      <span class="price" data-testid={testIds ? "pinned-price" : undefined}>
        {formatPrice(product.priceCents, product.currency, lang.value)}
      </span>
      <span class={product.left > 0 ? "left" : "left left-none"} data-testid={testIds ? "pinned-left" : undefined}>
        {product.left > 0 ? t("unitsLeft", { count: product.left }) : t("soldOut")}
      </span>
    </p>
  );
}
