import type { FlashDeal, RoomProduct } from "../../../durable-objects/protocol.ts";
import { DealCountdown } from "../components/DealCountdown.tsx";
import { formatPrice } from "../format.ts";
import { lang, tViewer as t, unitsLeftText } from "../i18n.ts";

type ProductFiguresProps = {
  product: RoomProduct;
  /** The flash deal running on this product now, if any. */
  deal: FlashDeal | null;
  /** The pinned card's test ids (pinned-price, pinned-left); rows use product-left. */
  pinned?: boolean;
};

/** Price (the deal price, with the regular one struck through, while a deal runs) and units left. */
export function ProductFigures({ product, deal, pinned }: ProductFiguresProps) {
  // A deal on one variant (one size) says which, and strikes through that variant's price.
  const dealVariant = deal?.variantId ? product.variants?.find((v) => v.id === deal.variantId) : undefined;
  const regular = formatPrice(dealVariant?.priceCents ?? product.priceCents, product.currency, lang.value);
  return (
    <p class="product-figures">
      <span
        class={deal ? "price price-deal" : "price"}
        data-testid={deal ? "deal-price" : pinned ? "pinned-price" : undefined}
      >
        {deal ? formatPrice(deal.priceCents, product.currency, lang.value) : regular}
      </span>
      {deal && (
        <s class="price-was" data-testid={pinned ? "pinned-price" : undefined} aria-label={t("regularPrice", { price: regular })}>
          {regular}
        </s>
      )}
      {dealVariant && <span class="deal-variant">{dealVariant.options.join(" / ")}</span>}
      <span class="left" data-testid={pinned ? "pinned-left" : "product-left"} data-left={product.left}>
        {product.left > 0 ? (
          unitsLeftText(product.left)
        ) : (
          <span class="sold-out" data-testid="sold-out">
            {t("soldOut")}
          </span>
        )}
      </span>
    </p>
  );
}

/** "Flash deal" with the time left, over a product's title. */
export function DealBanner({ deal }: { deal: FlashDeal }) {
  return (
    <div class="deal-banner" data-testid="deal-banner" data-deal-id={deal.id}>
      <span class="deal-tag">{t("flashDeal")}</span>
      <DealCountdown deal={deal} />
    </div>
  );
}
