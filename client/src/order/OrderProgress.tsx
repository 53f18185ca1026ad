/**
 * Where a buyer's order is on its way, as a small timeline: ordered → packed
 * → shipped (carrier, tracking link), or ordered → ready for pickup → picked
 * up (with the store's address and hours); or cancelled by the shop. And how
 * to reach the shop.
 */
import { formatStartTime } from "../format.ts";
import { tFulfilment as t, type FulfilmentKey } from "../i18n-fulfilment.ts";
import { lang } from "../i18n.ts";
import type { OrderView } from "../orders.ts";
import { AddressLines } from "./AddressLines.tsx";

type Step = { key: FulfilmentKey; id: string; at: number | null };

const when = (at: number) => formatStartTime(new Date(at).toISOString(), lang.value);

export function OrderProgress({ view }: { view: OrderView }) {
  const { order, progress } = view;
  const pickup = order.fulfilment.type === "pickup";
  const steps: Step[] = [{ key: "stepOrdered", id: "ordered", at: order.createdAt }];
  if (progress.fulfilmentStatus === "cancelled") {
    steps.push({ key: "stepCancelled", id: "cancelled", at: progress.cancelledAt });
  } else if (pickup) {
    steps.push({ key: "stepReady", id: "packed", at: progress.packedAt }, { key: "stepPickedUp", id: "picked_up", at: progress.pickedUpAt });
  } else {
    // Shipped without a packing step first still shows packed as passed.
    steps.push({ key: "stepPacked", id: "packed", at: progress.packedAt ?? progress.shippedAt }, { key: "stepShipped", id: "shipped", at: progress.shippedAt });
  }
  const showStore = pickup && progress.fulfilmentStatus !== "cancelled" && progress.fulfilmentStatus !== "picked_up";
  return (
    <section class="order-progress" data-testid="order-progress" data-state={progress.fulfilmentStatus} aria-label={t("progress")}>
      <ol class="timeline">
        {steps.map((step) => (
          <li key={step.id} class="timeline-step" data-step={step.id} data-done={step.at !== null ? "true" : "false"}>
            <span class="timeline-dot" aria-hidden="true" />
            <span class="timeline-text">
              <span class="timeline-label">{t(step.key)}</span>
              {step.at !== null && <span class="muted small">{when(step.at)}</span>}
              {step.id === "shipped" && step.at !== null && progress.carrier && (
                <span class="small" data-testid="order-carrier">
                  {t("carrierLine", { carrier: progress.carrier })}
                </span>
              )}
              {step.id === "shipped" && step.at !== null && progress.trackingUrl?.startsWith("https://") && (
                <a class="timeline-link" data-testid="order-tracking" href={progress.trackingUrl} target="_blank" rel="noopener noreferrer">
                  {t("trackParcel")}
                </a>
              )}
            </span>
          </li>
        ))}
      </ol>
      {showStore && (
        <div class="order-store" data-testid="order-store">
          {view.pickupStore ? (
            <>
              <p class="order-store-title">{t("pickupStore")}</p>
              <p class="order-store-lines" data-testid="order-store-address">
                <AddressLines address={view.pickupStore.address} />
              </p>
              <p class="order-store-title">{t("openingHours")}</p>
              <p class="order-store-hours" data-testid="order-store-hours">
                {view.pickupStore.hours}
              </p>
            </>
          ) : (
            <p class="muted small">{t("storeNotSet")}</p>
          )}
        </div>
      )}
    </section>
  );
}

export function ShopContact({ shop }: { shop: OrderView["shop"] }) {
  if (!shop.contactEmail && !shop.contactPhone) return null;
  return (
    <section class="order-contact" data-testid="order-contact">
      <p class="order-store-title">{t("contactShop", { shop: shop.name })}</p>
      <div class="order-contact-links">
        {shop.contactEmail && (
          <a class="button button-quiet" href={`mailto:${shop.contactEmail}`} data-testid="contact-email">
            {t("emailShop")}
          </a>
        )}
        {shop.contactPhone && (
          <a class="button button-quiet" href={`tel:${shop.contactPhone.replace(/[^\d+]/g, "")}`} data-testid="contact-phone">
            {t("callShop")}
          </a>
        )}
      </div>
      <p class="muted small">{[shop.contactEmail, shop.contactPhone].filter(Boolean).join(" · ")}</p>
    </section>
  );
}
