import { useEffect, useState } from "preact/hooks";
import { ApiError } from "../api.ts";
import { CopyButton } from "../components/CopyButton.tsx";
import { LangSwitch } from "../components/LangSwitch.tsx";
import { TopBar } from "../components/TopBar.tsx";
import { Toasts } from "../components/Toasts.tsx";
import { formatPrice, formatStartTime } from "../format.ts";
import { errorText, lang } from "../i18n.ts";
import { paymentText, statusText, tOrders as t } from "../i18n-orders.ts";
import { rememberOrder } from "../my-orders.ts";
import { fetchOrder, orderLink, type OrderView } from "../orders.ts";
import { fulfilmentStatusText, tFulfilment } from "../i18n-fulfilment.ts";
import { AddressLines } from "./AddressLines.tsx";
import { OrderProgress, ShopContact } from "./OrderProgress.tsx";

/** How often an order awaiting payment is asked for again (the payment may land any moment). */
const REFRESH_MS = 5000;

type Problem = "no_token" | "not_found" | "rejected" | "network";

export function OrderPage({ orderId, token }: { orderId: string | null; token: string | null }) {
  const [view, setView] = useState<OrderView | null>(null);
  const [problem, setProblem] = useState<Problem | null>(!orderId ? "not_found" : !token ? "no_token" : null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!orderId || !token) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    async function load() {
      try {
        const fetched = await fetchOrder(orderId!, token!);
        if (stopped) return;
        const fresh = fetched.order;
        setView(fetched);
        setProblem(null);
        rememberOrder({
          id: fresh.id, token: token!, number: fresh.number, roomId: fresh.roomId, title: fresh.title,
          quantity: fresh.quantity, totalCents: fresh.totalCents, currency: fresh.currency, createdAt: fresh.createdAt,
        });
        if (fresh.status === "awaiting_payment") timer = setTimeout(load, REFRESH_MS);
      } catch (error) {
        if (stopped) return;
        const status = error instanceof ApiError ? error.status : 0;
        setProblem(status === 404 ? "not_found" : status === 401 || status === 403 ? "rejected" : "network");
      }
    }
    void load();
    // Back from the payment tab: look again at once.
    const onVisible = () => {
      if (document.visibilityState === "visible") {
        clearTimeout(timer);
        void load();
      }
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [orderId, token, attempt]);

  return (
    <>
      <TopBar />
      <main class="order-page" data-testid="order-page" data-problem={problem ?? undefined}>
        {view && !problem ? (
          <OrderCard view={view} token={token!} />
        ) : problem ? (
          <section class="card order-problem" role="alert">
            <h1>{problem === "not_found" ? t("orderNotFound") : t("orderPageTitle")}</h1>
            <p>
              {problem === "not_found"
                ? t("orderNotFoundBody")
                : problem === "no_token"
                  ? t("orderNoToken")
                  : problem === "rejected"
                    ? t("orderTokenRejected")
                    : errorText("network", "")}
            </p>
            {problem === "network" && (
              <button type="button" class="button button-primary" onClick={() => setAttempt((n) => n + 1)}>
                {t("tryAgain")}
              </button>
            )}
          </section>
        ) : (
          <p class="order-loading">
            <span class="spinner spinner-dark" aria-hidden="true" />
            {t("loadingOrder")}
          </p>
        )}
      </main>
      <Toasts />
    </>
  );
}

function OrderCard({ view, token }: { view: OrderView; token: string }) {
  const { order, progress } = view;
  const price = (cents: number) => formatPrice(cents, order.currency, lang.value);
  const link = orderLink(order.id, token);
  const cancelled = progress.fulfilmentStatus === "cancelled" || order.status === "cancelled" || order.status === "expired";
  return (
    <section class="card order-card">
      <p class="muted small" data-testid="order-from">
        {tFulfilment("fromShow", { shop: view.shop.name, show: view.show.title })}
      </p>
      <div class="order-head">
        <h1 data-testid="order-number">{t("orderNumber", { number: order.number })}</h1>
        {/* Once the shop has moved it on, that is the news; until then, the payment's status. */}
        {progress.fulfilmentStatus === "unfulfilled" || order.status !== "confirmed" ? (
          <span class="status-badge" data-testid="order-status" data-state={progress.fulfilmentStatus === "cancelled" ? "cancelled" : order.status}>
            {progress.fulfilmentStatus === "cancelled" ? statusText("cancelled") : statusText(order.status)}
          </span>
        ) : (
          <span class="status-badge" data-testid="order-status" data-state={progress.fulfilmentStatus}>
            {fulfilmentStatusText(progress.fulfilmentStatus, order.fulfilment.type)}
          </span>
        )}
      </div>
      <p class="muted small">{t("placedAt", { time: formatStartTime(new Date(order.createdAt).toISOString(), lang.value) })}</p>
      {order.status === "awaiting_payment" && order.holdExpiresAt && (
        <p class="order-notice">{t("payBy", { time: formatStartTime(new Date(order.holdExpiresAt).toISOString(), lang.value) })}</p>
      )}
      <dl class="order-lines">
        <div>
          <dt>{t("item")}</dt>
          <dd data-testid="order-item">{t("itemLine", { title: order.title, quantity: order.quantity })}</dd>
        </div>
        <div>
          <dt>{t("unitPrice")}</dt>
          <dd>
            {order.dealId && <span class="deal-tag">{t("dealPriceNote")}</span>} {price(order.unitPriceCents)}
          </dd>
        </div>
        <div>
          <dt>{t("total")}</dt>
          <dd class="order-total" data-testid="order-total">
            {price(order.totalCents)}
          </dd>
        </div>
        <div>
          <dt>{t("buyer")}</dt>
          <dd class="order-stack" data-testid="order-buyer">
            <span>{order.buyer.name}</span>
            <span>{order.buyer.email}</span>
            {order.buyer.phone && <span>{order.buyer.phone}</span>}
          </dd>
        </div>
        <div>
          <dt>{t("delivery")}</dt>
          <dd class="order-stack" data-testid="order-fulfilment" data-type={order.fulfilment.type}>
            {order.fulfilment.type === "pickup" ? t("pickup") : <span>{t("shipping")}</span>}
            {order.fulfilment.type === "shipping" && order.fulfilment.address && <AddressLines address={order.fulfilment.address} />}
          </dd>
        </div>
        <div>
          <dt>{t("payment")}</dt>
          <dd data-testid="order-payment">{cancelled ? tFulfilment("nothingToPay") : paymentText(order)}</dd>
        </div>
      </dl>
      {order.status !== "awaiting_payment" && order.status !== "expired" && <OrderProgress view={view} />}
      <ShopContact shop={view.shop} />
      <div class="order-actions">
        <a class="button button-primary" href={`/r/${encodeURIComponent(order.roomId)}`}>
          {t("backToShow")}
        </a>
        <CopyButton text={link} testId="copy-order-link" />
      </div>
    </section>
  );
}
