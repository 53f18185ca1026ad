import type { RoomState } from "../../../durable-objects/protocol.ts";
import { ProductImage } from "../components/ProductImage.tsx";
import { formatPrice } from "../format.ts";
import { lang, tStudio as t } from "../i18n.ts";

type StudioProductsProps = {
  room: RoomState;
  /** The product whose pin or unpin is on its way, if any. */
  pending: string | null;
  onPin: (productId: string | null) => void;
};

/** The show's products with their live stock; pinning one puts it on every viewer's screen. */
export function StudioProducts({ room, pending, onPin }: StudioProductsProps) {
  return (
    <section class="card" aria-labelledby="studio-products-title">
      <h2 class="card-title" id="studio-products-title">
        {t("studioProducts")}
      </h2>
      <ul class="studio-products">
        {room.products.map((product) => {
          const pinned = product.id === room.pinnedProductId;
          return (
            <li
              key={product.id}
              class={pinned ? "studio-product is-pinned" : "studio-product"}
              data-testid="studio-product"
              data-product-id={product.id}
              data-pinned={String(pinned)}
            >
              <ProductImage url={product.imageUrl} title={product.title} size={52} />
              <div class="studio-product-info">
                <p class="studio-product-title">
                  {pinned && <span class="pinned-tag">{t("pinned")}</span>}
                  {product.title}
                </p>
                <p class="small">
                  <span class="price">{formatPrice(product.priceCents, product.currency, lang.value)}</span>
                  {" · "}
                  <span class={product.left > 0 ? "left" : "left left-none"}>
                    {product.left > 0 ? t("unitsLeft", { count: product.left }) : t("soldOut")}
                  </span>
                </p>
              </div>
              {pinned ? (
                <button type="button" class="button button-quiet" data-testid="unpin-button" disabled={pending !== null} onClick={() => onPin(null)}>
                  {t("unpin")}
                </button>
              ) : (
                <button type="button" class="button button-primary" data-testid="pin-button" disabled={pending !== null} onClick={() => onPin(product.id)}>
                  {t("pin")}
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
