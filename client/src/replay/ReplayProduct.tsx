import type { FlashDeal, RoomProduct } from "../../../durable-objects/protocol.ts";
import { dealClock } from "../components/DealCountdown.tsx";
import { ProductImage } from "../components/ProductImage.tsx";
import { formatPrice } from "../format.ts";
import { lang, tViewer } from "../i18n.ts";
import { tReplay as t } from "../i18n-replay.ts";
import { prefetchCheckout } from "../viewer/checkout-loader.tsx";
import { ProductFigures } from "../viewer/ProductFigures.tsx";

type ReplayProductProps = {
  /** The product as it was at that moment of the show: its units left then. */
  then: RoomProduct;
  /** The product now: what Buy sells, at its price and with its units today. */
  today: RoomProduct;
  /** The flash deal running at that moment, if any: shown as it ran, but over (a replay sells at the regular price). */
  deal: FlashDeal | null;
  dealLeftMs: number;
  onBuy: (product: RoomProduct) => void;
  /** The card of a deal on a product that is not pinned (the live page's deal card). */
  dealCard?: boolean;
};

/**
 * The product pinned (or on deal) at this moment of the replay, as the
 * live card showed it, with a Buy for today.
 */
export function ReplayProduct({ then, today, deal, dealLeftMs, onBuy, dealCard }: ReplayProductProps) {
  const soldOutNow = today.left <= 0;
  const priceNow = formatPrice(today.priceCents, today.currency, lang.value);
  return (
    <aside class={deal ? "pinned pinned-deal replay-product" : "pinned replay-product"} data-testid={dealCard ? "deal-card" : "pinned-product"} data-product-id={then.id} aria-label={tViewer("showingNow")}>
      <ProductImage url={then.imageUrl} title={then.title} size={64} />
      <div class="product-info">
        {deal ? (
          <div class="deal-banner" data-testid="deal-banner" data-deal-id={deal.id}>
            <span class="deal-tag">{t("dealInShow")}</span>
            <span class="deal-clock">
              <span class="deal-countdown" data-testid="deal-countdown" role="timer">
                {dealClock(dealLeftMs)}
              </span>
            </span>
          </div>
        ) : (
          <span class="pinned-tag">{tViewer("showingNow")}</span>
        )}
        <p class="product-title" data-testid="pinned-title">
          {then.title}
        </p>
        <ProductFigures product={then} deal={null} pinned />
        {deal && <p class="replay-note" data-testid="deal-ended-note">{t("dealEndedNote")}</p>}
        {today.priceCents !== then.priceCents && <p class="replay-note">{t("todayPrice", { price: priceNow })}</p>}
      </div>
      <button
        type="button"
        class="button button-buy"
        data-testid="buy-now"
        data-left-now={today.left}
        disabled={soldOutNow}
        onPointerDown={() => void prefetchCheckout().catch(() => {})}
        onClick={() => onBuy(today)}
      >
        {soldOutNow ? t("soldOutToday") : tViewer("buyNow")}
      </button>
    </aside>
  );
}
