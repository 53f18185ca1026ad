/**
 * Checkout over the video: quantity, buyer, shipping or in-store pickup, the
 * price the room will charge (the flash deal's while it runs by the room's
 * clock), then the confirmation with the order number and its link. Loaded on
 * demand by checkout-loader.tsx; the show keeps playing behind the sheet.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { track } from "../analytics/track.ts";
import type { FlashDeal, RoomProduct } from "../../../durable-objects/protocol.ts";
import { ApiError } from "../api.ts";
import { CopyButton } from "../components/CopyButton.tsx";
import { DealCountdown, useActiveDeal } from "../components/DealCountdown.tsx";
import { ProductImage } from "../components/ProductImage.tsx";
import { Sheet } from "../components/Sheet.tsx";
import { formatPrice } from "../format.ts";
import { lang, unitsLeftText } from "../i18n.ts";
import { orderErrorText, paymentText, statusText, tOrders as t } from "../i18n-orders.ts";
import { tRehearsal } from "../i18n-rehearsal.ts";
import { rememberOrder } from "../my-orders.ts";
import { chosenVariant, firstChoice, type Choice } from "../catalogue/variant-choice.ts";
import { VariantPicker } from "../catalogue/VariantPicker.tsx";
import { itemTitle, MAX_QUANTITY, newIdempotencyKey, orderLink, placeOrder, type Order, type OrderRequest, type PlacedOrder } from "../orders.ts";
import { referral } from "../referral.ts";
import "../styles/status-badge.css";
import "../styles/checkout.css";
import "../styles/rehearsal.css";

export type CheckoutProps = {
  roomId: string;
  /** The product's live figures: units left change while the sheet is open. */
  product: RoomProduct;
  deal: FlashDeal | null;
  showEnded: boolean;
  onClose: () => void;
  /** The order was placed (the embed tells the brand's page: `shop-along:order`). */
  onPlaced?: (placed: PlacedOrder) => void;
};

type BuyerForm = {
  name: string;
  email: string;
  phone: string;
  fulfilment: "shipping" | "pickup";
  line1: string;
  line2: string;
  city: string;
  postalCode: string;
  region: string;
  country: string;
};

type Problem = { code: string; text: string; fields?: Array<keyof BuyerForm> };

const BUYER_KEY = "shop-along:buyer";
const CHAT_NAME_KEY = "shop-along:name";
/** Automatic retries of one submission when the network drops, before asking the buyer. */
const NETWORK_RETRIES = 2;

/** Where our buyers are; the one this browser's language names comes first if it is missing. */
const COUNTRIES = [
  "US", "CA", "MX", "BR", "GB", "IE", "FR", "DE", "NL", "BE", "LU", "CH", "AT", "IT", "ES", "PT", "SE", "NO", "DK",
  "FI", "PL", "CZ", "CN", "HK", "MO", "TW", "JP", "KR", "SG", "MY", "TH", "VN", "PH", "ID", "IN", "AE", "AU", "NZ", "ZA",
];

function browserCountry(): string {
  for (const tag of navigator.languages ?? [navigator.language]) {
    const region = tag.split("-").find((part, i) => i > 0 && /^[A-Z]{2}$/.test(part));
    if (region) return region;
  }
  return lang.value === "zh-CN" ? "CN" : "US";
}

function savedBuyer(): BuyerForm {
  const blank: BuyerForm = {
    name: "", email: "", phone: "", fulfilment: "shipping",
    line1: "", line2: "", city: "", postalCode: "", region: "", country: browserCountry(),
  };
  try {
    const saved = JSON.parse(localStorage.getItem(BUYER_KEY) ?? "{}") as Partial<BuyerForm>;
    const form = { ...blank };
    for (const key of Object.keys(blank) as Array<keyof BuyerForm>) {
      if (typeof saved[key] === "string") (form[key] as string) = saved[key];
    }
    // A first-time buyer who chatted already told us a name.
    if (!form.name) form.name = localStorage.getItem(CHAT_NAME_KEY) ?? "";
    return form;
  } catch {
    return blank;
  }
}

function saveBuyer(form: BuyerForm): void {
  try {
    localStorage.setItem(BUYER_KEY, JSON.stringify(form));
  } catch {
    // Not remembered on this device; the order still goes through.
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function validate(form: BuyerForm): Problem | null {
  if (!form.name.trim()) return { code: "invalid_input", text: t("errName"), fields: ["name"] };
  if (!EMAIL.test(form.email.trim())) return { code: "invalid_input", text: t("errEmail"), fields: ["email"] };
  if (form.fulfilment === "shipping") {
    const missing = (["line1", "city", "postalCode"] as const).filter((field) => !form[field].trim());
    if (missing.length > 0) return { code: "invalid_input", text: t("errAddress"), fields: missing };
  }
  return null;
}

function orderRequest(form: BuyerForm, product: RoomProduct, variantId: string | undefined, quantity: number): OrderRequest {
  const optional = (value: string) => value.trim() || undefined;
  return {
    productId: product.id,
    variantId,
    quantity,
    buyer: { name: form.name.trim(), email: form.email.trim(), phone: optional(form.phone) },
    fulfilment:
      form.fulfilment === "pickup"
        ? { type: "pickup" }
        : {
            type: "shipping",
            address: {
              line1: form.line1.trim(),
              line2: optional(form.line2),
              city: form.city.trim(),
              postalCode: form.postalCode.trim(),
              region: optional(form.region),
              country: form.country,
            },
          },
    ref: referral() ?? undefined,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function CheckoutSheet({ roomId, product, deal, showEnded, onClose, onPlaced }: CheckoutProps) {
  const [form, setForm] = useState(savedBuyer);
  const [wanted, setWanted] = useState(1);
  const [phase, setPhase] = useState<"form" | "sending" | "retrying">("form");
  const [problem, setProblem] = useState<Problem | null>(null);
  const [placed, setPlaced] = useState<PlacedOrder | null>(null);
  /** The submission in flight or to retry: its body and the Idempotency-Key it keeps. */
  const attempt = useRef<{ key: string; body: string } | null>(null);
  const formRef = useRef<HTMLFormElement>(null);

  // The show's numbers: this product's checkout was opened.
  useEffect(() => track(roomId, "checkout", product.id), [roomId, product.id]);

  // A field the buyer has to fix gets the focus (and the keyboard, on a phone).
  useEffect(() => {
    if (problem?.fields) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [problem]);

  // A product with variants is bought as one of them (its size, its colour): its own units, price and deal.
  const variants = product.variants ?? [];
  const optionNames = product.optionNames ?? [];
  const [choice, setChoice] = useState<Choice>(() => firstChoice(variants, optionNames.length));
  const variant = variants.length ? chosenVariant(variants, choice) : null;
  const left = variant ? variant.left : product.left;
  const regularCents = variant ? variant.priceCents : product.priceCents;
  const productDeal = useActiveDeal(deal, product.id);
  const running = productDeal && (!productDeal.variantId || productDeal.variantId === variant?.id) ? productDeal : null;
  const max = Math.max(1, Math.min(MAX_QUANTITY, left, running?.perBuyerLimit ?? MAX_QUANTITY));
  const quantity = Math.min(Math.max(1, wanted), max);
  const unitCents = running ? running.priceCents : regularCents;
  const price = (cents: number) => formatPrice(cents, product.currency, lang.value);

  // The same sheet turns into the confirmation: no second slide-in, focus stays put.
  if (placed) {
    return (
      <Sheet title={t("checkoutTitle")} onClose={onClose}>
        <Confirmation placed={placed} onClose={onClose} />
      </Sheet>
    );
  }

  const set = <K extends keyof BuyerForm>(field: K, value: BuyerForm[K]) => {
    setForm((current) => ({ ...current, [field]: value }));
    if (problem?.fields?.includes(field)) setProblem(null);
  };

  // What the room says now outranks what the last answer said.
  const shown: Problem | null =
    left <= 0
      ? { code: "sold_out", text: t("errSoldOut") }
      : showEnded
        ? { code: "show_ended", text: t("errShowEnded") }
        : problem;
  const closed = left <= 0 || showEnded;
  const busy = phase !== "form";

  function explain(error: ApiError): Problem {
    if (error.code === "sold_out" && left > 0 && left < quantity) {
      return { code: error.code, text: t("errNotEnough", { count: left }) };
    }
    if (error.code === "deal_limit_reached" && running?.perBuyerLimit) {
      return { code: error.code, text: t("errDealLimitOf", { limit: running.perBuyerLimit }) };
    }
    return { code: error.code, text: orderErrorText(error.code, error.message) };
  }

  async function submit(event: Event) {
    event.preventDefault();
    if (busy || closed) return;
    if (variants.length && !variant) {
      setProblem({ code: "choose_variant", text: t("errChooseVariant", { options: optionNames.join(" / ") }) });
      return;
    }
    const invalid = validate(form);
    if (invalid) {
      setProblem(invalid);
      return;
    }
    const request = orderRequest(form, product, variant?.id, quantity);
    const body = JSON.stringify(request);
    // Retrying the same submission keeps its key, so the room places it at
    // most once even if an earlier answer was lost; any change is a new one.
    if (attempt.current?.body !== body) attempt.current = { key: newIdempotencyKey(), body };
    const { key } = attempt.current;
    saveBuyer(form);
    setProblem(null);
    setPhase("sending");
    for (let tries = 0; ; tries++) {
      try {
        const result = await placeOrder(roomId, key, request);
        attempt.current = null;
        showConfirmation(result);
        return;
      } catch (caught) {
        const error = caught instanceof ApiError ? caught : new ApiError(0, "network", String(caught));
        const lost = error.code === "network";
        // A definite answer ends this submission; a lost one (or a server
        // hiccup) may have placed the order, so "Try again" reuses the key.
        if (!lost && error.status < 500 && error.status !== 429) attempt.current = null;
        if (lost && tries < NETWORK_RETRIES) {
          setPhase("retrying");
          await sleep(800 * (tries + 1));
          continue;
        }
        setProblem(explain(error));
        setPhase("form");
        return;
      }
    }
  }

  function showConfirmation(result: PlacedOrder) {
    const { order, orderToken, checkoutUrl } = result;
    onPlaced?.(result);
    // A rehearsal's test order has no order page to come back to.
    if (!order.test) rememberOrder({
      id: order.id, token: orderToken, number: order.number, roomId, title: itemTitle(order),
      quantity: order.quantity, totalCents: order.totalCents, currency: order.currency, createdAt: order.createdAt,
    });
    if (checkoutUrl) {
      // Payment in a new tab, so the show keeps playing here.
      const tab = window.open(checkoutUrl, "_blank");
      if (tab) tab.opener = null;
    }
    setPlaced(result);
    setPhase("form");
  }

  const field = (name: keyof BuyerForm) => ({
    value: form[name],
    "aria-invalid": shown?.fields?.includes(name) ? ("true" as const) : undefined,
    onInput: (event: Event) => set(name, (event.currentTarget as HTMLInputElement).value),
  });

  const regionNames = new Intl.DisplayNames([lang.value], { type: "region" });
  const countries = (COUNTRIES.includes(form.country) ? COUNTRIES : [form.country, ...COUNTRIES])
    .map((code) => ({ code, name: regionNames.of(code) ?? code }))
    .sort((a, b) => a.name.localeCompare(b.name, lang.value));

  return (
    <Sheet title={t("checkoutTitle")} onClose={onClose}>
      <form class="checkout" ref={formRef} data-testid="checkout-sheet" data-product-id={product.id} noValidate onSubmit={submit}>
        <div class="checkout-product">
          <ProductImage url={product.imageUrl} title={product.title} size={64} />
          <div class="product-info">
            <p class="product-title">{product.title}</p>
            <p class="product-figures">
              <span class={running ? "price price-deal" : "price"}>{price(unitCents)}</span>
              {running && <s class="price-was">{price(regularCents)}</s>}
              <span class="left" data-testid="checkout-left" data-left={left}>
                {left > 0 ? unitsLeftText(left) : t("soldOut")}
              </span>
            </p>
            {running && (
              <div class="deal-banner">
                <span class="deal-tag">{t("dealPriceNote")}</span>
                <DealCountdown deal={running} />
              </div>
            )}
          </div>
        </div>

        {variants.length > 0 && (
          <VariantPicker
            optionNames={optionNames}
            variants={variants}
            choice={choice}
            disabled={busy}
            onChoose={(next) => {
              setChoice(next);
              if (problem?.code === "choose_variant") setProblem(null);
            }}
          />
        )}

        <div class="checkout-row">
          <label class="checkout-label" for="checkout-quantity">
            {t("quantity")}
          </label>
          <div class="stepper">
            <button type="button" class="stepper-button" data-testid="checkout-quantity-minus" aria-label={t("fewer")} disabled={quantity <= 1 || busy} onClick={() => setWanted(quantity - 1)}>
              −
            </button>
            <input
              id="checkout-quantity"
              data-testid="checkout-quantity"
              type="number"
              inputMode="numeric"
              min={1}
              max={max}
              value={quantity}
              disabled={busy}
              onInput={(event) => {
                const value = Number.parseInt(event.currentTarget.value, 10);
                if (Number.isFinite(value)) setWanted(value);
              }}
            />
            <button type="button" class="stepper-button" data-testid="checkout-quantity-plus" aria-label={t("more")} disabled={quantity >= max || busy} onClick={() => setWanted(quantity + 1)}>
              +
            </button>
          </div>
        </div>
        {running?.perBuyerLimit && <p class="checkout-hint">{t("dealLimitNote", { limit: running.perBuyerLimit })}</p>}

        <fieldset class="checkout-group" disabled={busy}>
          <legend>{t("yourDetails")}</legend>
          <label class="checkout-field">
            <span>{t("buyerName")}</span>
            <input data-testid="checkout-name" autocomplete="name" maxLength={80} {...field("name")} />
          </label>
          <label class="checkout-field">
            <span>{t("buyerEmail")}</span>
            <input data-testid="checkout-email" type="email" inputMode="email" autocomplete="email" maxLength={254} {...field("email")} />
          </label>
          <label class="checkout-field">
            <span>{t("buyerPhone")}</span>
            <input data-testid="checkout-phone" type="tel" autocomplete="tel" maxLength={30} {...field("phone")} />
          </label>
        </fieldset>

        <fieldset class="checkout-group" disabled={busy}>
          <legend>{t("delivery")}</legend>
          <div class="segmented" role="radiogroup">
            {(["shipping", "pickup"] as const).map((kind) => (
              <label key={kind} class={form.fulfilment === kind ? "segment is-on" : "segment"} data-testid={`checkout-${kind}`}>
                <input type="radio" name="fulfilment" value={kind} checked={form.fulfilment === kind} onChange={() => set("fulfilment", kind)} />
                {t(kind)}
              </label>
            ))}
          </div>
          {form.fulfilment === "pickup" ? (
            <p class="checkout-hint">{t("pickupNote")}</p>
          ) : (
            <>
              <label class="checkout-field">
                <span>{t("addressLine1")}</span>
                <input data-testid="checkout-line1" autocomplete="address-line1" maxLength={120} {...field("line1")} />
              </label>
              <label class="checkout-field">
                <span>{t("addressLine2")}</span>
                <input data-testid="checkout-line2" autocomplete="address-line2" maxLength={120} {...field("line2")} />
              </label>
              <div class="checkout-pair">
                <label class="checkout-field">
                  <span>{t("city")}</span>
                  <input data-testid="checkout-city" autocomplete="address-level2" maxLength={80} {...field("city")} />
                </label>
                <label class="checkout-field">
                  <span>{t("postalCode")}</span>
                  <input data-testid="checkout-postal" autocomplete="postal-code" maxLength={20} {...field("postalCode")} />
                </label>
              </div>
              <div class="checkout-pair">
                <label class="checkout-field">
                  <span>{t("region")}</span>
                  <input data-testid="checkout-region" autocomplete="address-level1" maxLength={80} {...field("region")} />
                </label>
                <label class="checkout-field">
                  <span>{t("country")}</span>
                  <select data-testid="checkout-country" autocomplete="country" value={form.country} onChange={(event) => set("country", event.currentTarget.value)}>
                    {countries.map(({ code, name }) => (
                      <option key={code} value={code}>
                        {name}
                      </option>
                    ))}
                  </select>
                </label>
              </div>
            </>
          )}
        </fieldset>

        <div class="checkout-footer">
          {shown && (
            <p class="checkout-error" data-testid="checkout-error" data-code={shown.code} role="alert">
              {shown.text}
            </p>
          )}
          {phase === "retrying" && <p class="checkout-hint" role="status">{t("retrying")}</p>}
          <p class="checkout-total">
            <span>
              {t("total")}
              <span class="muted">
                {" "}
                {price(unitCents)} × {quantity}
              </span>
            </span>
            <strong data-testid="checkout-total">{price(unitCents * quantity)}</strong>
          </p>
          <button type="submit" class="button button-primary button-wide" data-testid="checkout-submit" disabled={busy || closed}>
            {busy ? t("placingOrder") : problem && attempt.current ? t("tryAgain") : t("placeOrder")}
          </button>
        </div>
      </form>
    </Sheet>
  );
}

function Confirmation({ placed, onClose }: { placed: PlacedOrder; onClose: () => void }) {
  const { order, orderToken, checkoutUrl } = placed;
  const link = orderLink(order.id, orderToken);
  return (
      <div class="confirmation" data-testid="order-confirmation" data-order-id={order.id}>
        <p class="confirmation-mark" aria-hidden="true">
          ✓
        </p>
        <h3 class="confirmation-title">{t("orderPlaced")}</h3>
        <p class="confirmation-number" data-testid="order-number">
          {t("orderNumber", { number: order.number })}
        </p>
        <span class="status-badge" data-testid="order-status" data-state={order.status}>
          {statusText(order.status)}
        </span>
        <dl class="order-lines">
          <div>
            <dt>{t("item")}</dt>
            <dd data-testid="order-item">{t("itemLine", { title: itemTitle(order), quantity: order.quantity })}</dd>
          </div>
          <div>
            <dt>{t("total")}</dt>
            <dd class="price" data-testid="order-total">
              {formatPrice(order.totalCents, order.currency, lang.value)}
            </dd>
          </div>
          <div>
            <dt>{t("payment")}</dt>
            <dd data-testid="order-payment">{paymentText(order)}</dd>
          </div>
        </dl>
        {checkoutUrl && order.status === "awaiting_payment" && (
          <a class="button button-primary button-wide" data-testid="pay-now" href={checkoutUrl} target="_blank" rel="noopener">
            {t("payNow")}
          </a>
        )}
        {order.test ? (
          <div class="order-link-box" data-testid="test-order">
            <p class="rehearsal-badge">{tRehearsal("testOrder")}</p>
            <p class="checkout-hint">{tRehearsal("testOrderNote")}</p>
          </div>
        ) : (
        <div class="order-link-box">
          <p class="checkout-label">{t("orderLink")}</p>
          <a class="order-link" data-testid="order-link" href={link} target="_blank" rel="noopener">
            {link}
          </a>
          <div class="order-link-actions">
            <a class="button button-quiet copy-button" href={link} target="_blank" rel="noopener">
              {t("openOrder")}
            </a>
            <CopyButton text={link} testId="copy-order-link" />
          </div>
          <p class="checkout-hint">{t("orderLinkNote")}</p>
        </div>
        )}
        <button type="button" class="button button-primary button-wide" onClick={onClose}>
          {t("backToShow")}
        </button>
      </div>
  );
}
