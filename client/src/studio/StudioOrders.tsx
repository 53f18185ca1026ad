import type { OrderSummary } from "../../../durable-objects/protocol.ts";
import { formatClock, formatPrice } from "../format.ts";
import { lang, tStudio as t } from "../i18n.ts";
import { statusText } from "../i18n-orders.ts";
import { tRehearsal } from "../i18n-rehearsal.ts";
import "../styles/rehearsal.css";

type StudioOrdersProps = {
  orders: OrderSummary[];
  loadError: string | null;
  /** A rehearsal's: every order is a test order. */
  test?: boolean;
};

/** Orders as they come in: newest first, with who, what, how much, how it gets to them and who sent them. */
export function StudioOrders({ orders, loadError, test = false }: StudioOrdersProps) {
  const counted = orders.filter((order) => order.status === "confirmed" || order.status === "awaiting_payment");
  const currency = orders[0]?.currency;
  const revenue = counted.reduce((sum, order) => sum + order.totalCents, 0);
  return (
    <section class="card orders-card" data-testid="orders-panel" aria-labelledby="studio-orders-title">
      <div class="card-head">
        <h2 class="card-title" id="studio-orders-title">
          {t("ordersTitle")}
        </h2>
        {currency && (
          <p class="muted small" data-testid="orders-summary">
            {t(counted.length === 1 ? "ordersSummaryOne" : "ordersSummary", {
              count: counted.length,
              total: formatPrice(revenue, currency, lang.value),
            })}
          </p>
        )}
      </div>
      {loadError && (
        <p class="inline-error" role="alert">
          {t("ordersLoadFailed", { message: loadError })}
        </p>
      )}
      <ol class="studio-orders">
        {orders.length === 0 && <li class="empty">{t("ordersEmpty")}</li>}
        {orders.map((order) => (
          <li key={order.id} class="studio-order" data-testid="studio-order" data-order-id={order.id} data-status={order.status}>
            <div class="studio-order-head">
              <span class="studio-order-number">#{order.number}</span>
              <time class="muted small">{formatClock(order.createdAt, lang.value)}</time>
              <span class="studio-order-buyer">{order.buyerName}</span>
              <span class="status-badge" data-state={order.status}>
                {statusText(order.status)}
              </span>
              {test && (
                <span class="rehearsal-badge" data-testid="test-order">
                  {tRehearsal("testOrder")}
                </span>
              )}
            </div>
            <div class="studio-order-body small">
              <span class="studio-order-item">
                {order.title}
                {order.variant?.length ? ` (${order.variant.join(" / ")})` : ""} × {order.quantity}
              </span>
              <strong class="studio-order-total">{formatPrice(order.totalCents, order.currency, lang.value)}</strong>
            </div>
            <div class="studio-order-tags">
              <span class="tag">{order.fulfilment === "pickup" ? t("fulfilPickup") : t("fulfilShipping")}</span>
              {order.dealId && <span class="tag tag-deal">{t("dealOrder")}</span>}
              {order.ref && (
                <span class="tag tag-ref" data-testid="order-ref">
                  {t("refVia", { ref: order.ref })}
                </span>
              )}
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
