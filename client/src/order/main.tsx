/** The buyer's order page (/o/{orderId}#token=ot_…). */
import { effect } from "@preact/signals";
import { render } from "preact";
import { tOrders as t } from "../i18n-orders.ts";
import { findOrder, rememberOrder } from "../my-orders.ts";
import { OrderPage } from "./OrderPage.tsx";
import "../styles/status-badge.css";
import "../styles/order.css";

const match = /^\/o\/([^/]+)\/?$/.exec(location.pathname);
const orderId = match?.[1] ? decodeURIComponent(match[1]) : null;

/**
 * The token comes in the fragment (never sent to a server). It is kept on
 * this device, keyed by order id, so the link without it still works here,
 * and taken out of the address bar so a screenshot does not leak it.
 */
function takeToken(id: string): string | null {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get("token");
  if (fromHash) {
    rememberOrder({ id, token: fromHash });
    history.replaceState(history.state, "", location.pathname + location.search);
    return fromHash;
  }
  return findOrder(id)?.token ?? null;
}

effect(() => {
  document.title = `${t("orderPageTitle")} · shop-along`;
});

render(<OrderPage orderId={orderId} token={orderId ? takeToken(orderId) : null} />, document.getElementById("app")!);
