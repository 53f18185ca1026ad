import { useState } from "preact/hooks";
import type { FlashDeal, RoomProduct, RoomStatus } from "../../../durable-objects/protocol.ts";
import { DealCountdown } from "../components/DealCountdown.tsx";
import { formatPrice, minorDigits, parsePrice } from "../format.ts";
import { lang, tStudio as t } from "../i18n.ts";

export type DealRequest = { productId: string; priceCents: number; durationSeconds: number; perBuyerLimit?: number };

type DealFormProps = {
  product: RoomProduct;
  status: RoomStatus;
  /** A deal is running already (the room runs one at a time). */
  dealRunning: boolean;
  /** Starts the deal; resolves to a message in words when the room refused it. */
  onStart: (request: DealRequest) => Promise<string | null>;
  onCancel: () => void;
};

const DURATION = { min: 10, max: 300, default: 60 };
const LIMIT = { min: 1, max: 100 };

/** Deal price, duration and an optional per-buyer limit for one product. */
export function DealForm({ product, status, dealRunning, onStart, onCancel }: DealFormProps) {
  const digits = minorDigits(product.currency);
  // 20% off as a starting point; the host types the real figure.
  const [price, setPrice] = useState(() => (Math.floor(product.priceCents * 0.8) / 10 ** digits).toFixed(digits));
  const [duration, setDuration] = useState(String(DURATION.default));
  const [limit, setLimit] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const blocked = status !== "live" ? t("dealNeedsLive") : dealRunning ? t("dealOneAtATime") : null;

  async function submit(event: Event) {
    event.preventDefault();
    const priceCents = parsePrice(price, product.currency);
    const seconds = Number(duration);
    const perBuyer = limit.trim() === "" ? undefined : Number(limit);
    if (priceCents === null || priceCents >= product.priceCents) {
      setError(t("errDealPrice", { price: formatPrice(product.priceCents, product.currency, lang.value) }));
      return;
    }
    if (!Number.isInteger(seconds) || seconds < DURATION.min || seconds > DURATION.max) {
      setError(t("errDealDuration"));
      return;
    }
    if (perBuyer !== undefined && (!Number.isInteger(perBuyer) || perBuyer < LIMIT.min || perBuyer > LIMIT.max)) {
      setError(t("errDealLimit"));
      return;
    }
    setBusy(true);
    setError(await onStart({ productId: product.id, priceCents, durationSeconds: seconds, perBuyerLimit: perBuyer }));
    setBusy(false);
  }

  return (
    <form class="deal-form" data-testid="deal-form" noValidate onSubmit={submit}>
      <div class="deal-fields">
        <label class="field">
          <span class="field-label">{t("dealPrice", { currency: product.currency })}</span>
          <input data-testid="deal-price" inputMode="decimal" autocomplete="off" value={price} onInput={(event) => setPrice(event.currentTarget.value)} />
        </label>
        <label class="field">
          <span class="field-label">{t("dealDuration")}</span>
          <input
            data-testid="deal-duration"
            type="number"
            inputMode="numeric"
            min={DURATION.min}
            max={DURATION.max}
            value={duration}
            onInput={(event) => setDuration(event.currentTarget.value)}
          />
        </label>
        <label class="field">
          <span class="field-label">{t("dealLimit")}</span>
          <input
            data-testid="deal-limit"
            type="number"
            inputMode="numeric"
            min={LIMIT.min}
            max={LIMIT.max}
            value={limit}
            onInput={(event) => setLimit(event.currentTarget.value)}
          />
        </label>
      </div>
      {(error || blocked) && (
        <p class="inline-error" data-testid="deal-error" role="alert">
          {error ?? blocked}
        </p>
      )}
      <div class="deal-actions">
        <button type="submit" class="button button-primary" data-testid="deal-start" disabled={busy || blocked !== null}>
          {t("startDeal")}
        </button>
        <button type="button" class="button button-quiet" onClick={onCancel}>
          {t("cancel")}
        </button>
      </div>
    </form>
  );
}

/** The deal running now: product, prices, time left and the way to end it early. */
export function RunningDeal({ deal, product, busy, onEnd }: { deal: FlashDeal; product: RoomProduct | undefined; busy: boolean; onEnd: () => void }) {
  const currency = product?.currency ?? "USD";
  return (
    <div class="running-deal" data-testid="deal-running" data-deal-id={deal.id} data-product-id={deal.productId}>
      <div class="running-deal-text">
        <p class="running-deal-title">
          <span class="deal-tag">{t("dealRunning")}</span> {product?.title}
        </p>
        <p class="small">
          <strong class="price">{formatPrice(deal.priceCents, currency, lang.value)}</strong>
          {product && <span class="muted"> · {t("wasPrice", { price: formatPrice(product.priceCents, currency, lang.value) })}</span>}
          {deal.perBuyerLimit !== null && <span class="muted"> · {t("dealLimitShort", { limit: deal.perBuyerLimit })}</span>}
        </p>
        <DealCountdown deal={deal} />
      </div>
      <button type="button" class="button button-danger" data-testid="deal-end" disabled={busy} onClick={onEnd}>
        {t("endDeal")}
      </button>
    </div>
  );
}
