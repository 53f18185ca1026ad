import { useState } from "preact/hooks";
import type { RoomState } from "../../../durable-objects/protocol.ts";
import { useActiveDeal } from "../components/DealCountdown.tsx";
import { ProductImage } from "../components/ProductImage.tsx";
import { formatPrice } from "../format.ts";
import { lang, tStudio as t, unitsLeftText } from "../i18n.ts";
import { DealForm, RunningDeal, type DealRequest } from "./DealControls.tsx";

type StudioProductsProps = {
  room: RoomState;
  /** The product whose pin or unpin is on its way, if any. */
  pending: string | null;
  onPin: (productId: string | null) => void;
  /** Units sold and awaiting payment per product, from the orders panel. */
  units: Map<string, { sold: number; held: number }>;
  onStartDeal: (request: DealRequest) => Promise<string | null>;
  onEndDeal: () => Promise<void>;
};

/** The show's products with their live stock and sales; pin one, or put a flash deal on it. */
export function StudioProducts({ room, pending, onPin, units, onStartDeal, onEndDeal }: StudioProductsProps) {
  const [dealFor, setDealFor] = useState<string | null>(null);
  const [ending, setEnding] = useState(false);
  const running = useActiveDeal(room.deal);

  async function start(request: DealRequest) {
    const problem = await onStartDeal(request);
    if (!problem) setDealFor(null);
    return problem;
  }

  async function end() {
    setEnding(true);
    await onEndDeal();
    setEnding(false);
  }

  return (
    <section class="card" aria-labelledby="studio-products-title">
      <h2 class="card-title" id="studio-products-title">
        {t("studioProducts")}
      </h2>
      {running && (
        <RunningDeal deal={running} product={room.products.find((product) => product.id === running.productId)} busy={ending} onEnd={end} />
      )}
      <ul class="studio-products" data-testid="studio-products">
        {room.products.map((product) => {
          const pinned = product.id === room.pinnedProductId;
          const onDeal = running?.productId === product.id;
          const figures = units.get(product.id) ?? { sold: 0, held: 0 };
          return (
            <li
              key={product.id}
              class={`studio-product${pinned ? " is-pinned" : ""}${onDeal ? " is-deal" : ""}`}
              data-testid="studio-product"
              data-product-id={product.id}
              data-pinned={String(pinned)}
            >
              <div class="studio-product-main">
                <ProductImage url={product.imageUrl} title={product.title} size={52} />
                <div class="studio-product-info">
                  <p class="studio-product-title">
                    {pinned && <span class="pinned-tag">{t("pinned")}</span>}
                    {product.title}
                  </p>
                  <p class="small">
                    {onDeal && running ? (
                      <>
                        <span class="price">{formatPrice(running.priceCents, product.currency, lang.value)}</span>{" "}
                        <s class="muted">{formatPrice(product.priceCents, product.currency, lang.value)}</s>
                      </>
                    ) : (
                      <span class="price">{formatPrice(product.priceCents, product.currency, lang.value)}</span>
                    )}
                    {" · "}
                    <span class={product.left > 0 ? "left" : "left left-none"} data-testid="product-left" data-left={product.left}>
                      {product.left > 0 ? unitsLeftText(product.left) : t("soldOut")}
                    </span>
                    {" · "}
                    <span data-testid="product-sold" data-sold={figures.sold}>
                      {t("soldCount", { count: figures.sold })}
                    </span>
                    {figures.held > 0 && <span class="muted"> · {t("heldCount", { count: figures.held })}</span>}
                  </p>
                </div>
                {/* After the end there is nothing to pin or discount: the list stays, as the show's record. */}
                {room.status !== "ended" && (
                <div class="studio-product-actions">
                  <button
                    type="button"
                    class="button button-quiet"
                    data-testid="deal-open"
                    aria-expanded={dealFor === product.id}
                    onClick={() => setDealFor(dealFor === product.id ? null : product.id)}
                  >
                    {t("flashDeal")}
                  </button>
                  {pinned ? (
                    <button type="button" class="button button-quiet" data-testid="unpin-button" disabled={pending !== null} onClick={() => onPin(null)}>
                      {t("unpin")}
                    </button>
                  ) : (
                    <button type="button" class="button button-primary" data-testid="pin-button" disabled={pending !== null} onClick={() => onPin(product.id)}>
                      {t("pin")}
                    </button>
                  )}
                </div>
                )}
              </div>
              {dealFor === product.id && room.status !== "ended" && (
                <DealForm
                  product={product}
                  status={room.status}
                  dealRunning={running !== null}
                  onStart={start}
                  onCancel={() => setDealFor(null)}
                />
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
