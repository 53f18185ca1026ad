import type { RoomProduct } from "../../../durable-objects/protocol.ts";
import { ProductImage } from "../components/ProductImage.tsx";
import { Sheet } from "../components/Sheet.tsx";
import { formatPrice } from "../format.ts";
import { lang, tViewer as t } from "../i18n.ts";

/** Placeholder until checkout is wired (a later issue): says so, with the chosen product. */
export function CheckoutSheet({ product, onClose }: { product: RoomProduct; onClose: () => void }) {
  return (
    <Sheet title={t("checkoutTitle")} onClose={onClose}>
      <div class="checkout" data-testid="checkout-sheet">
        <ProductImage url={product.imageUrl} title={product.title} size={88} />
        <div>
          <p class="product-title">{product.title}</p>
          <p class="price">{formatPrice(product.priceCents, product.currency, lang.value)}</p>
        </div>
      </div>
      <p class="checkout-note">{t("checkoutBody", { title: product.title })}</p>
      <button type="button" class="button button-primary button-wide" onClick={onClose}>
        {t("close")}
      </button>
    </Sheet>
  );
}
