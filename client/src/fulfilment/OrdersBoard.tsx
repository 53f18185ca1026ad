/**
 * The shop's orders board: every order with its buyer, delivery, items and
 * referral code; filters (show, status, date); the steps a shop takes
 * (packed, shipped with carrier and tracking link, picked up, cancel with a
 * confirmation); a CSV export. Self-contained: it takes the shop and a fetch
 * (a cookie session's, or one that adds the API key), so the brand's console
 * and the stand-alone /orders/{shopId} page mount the same component.
 * One markup for both screens: cards on a phone, a table's rows on a desktop
 * (fulfilment.css).
 */
import { useEffect, useState } from "preact/hooks";
import { ApiError, type Fetcher } from "../api.ts";
import { formatPrice, formatStartTime } from "../format.ts";
import { fulfilmentStatusText, tFulfilment as t } from "../i18n-fulfilment.ts";
import { statusText } from "../i18n-orders.ts";
import { errorText, lang } from "../i18n.ts";
import { AddressLines } from "../order/AddressLines.tsx";
import type { ShopOrder } from "../orders.ts";
import { cancelOrder, listOrders, listShows, ordersCsv, takeStep, type BoardFilters, type Step } from "./board-api.ts";

type Problem = "rejected" | "network";
const NO_FILTERS: BoardFilters = { roomId: "", fulfilmentStatus: "", from: "", to: "" };
const STATUSES = ["unfulfilled", "packed", "shipped", "picked_up", "cancelled"] as const;

const reason = (error: unknown) => (error instanceof ApiError ? errorText(error.code, error.message) : String(error));

export function OrdersBoard({ shopId, fetch }: { shopId: string; fetch: Fetcher }) {
  const [filters, setFilters] = useState<BoardFilters>(NO_FILTERS);
  const [orders, setOrders] = useState<ShopOrder[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [loading, setLoading] = useState(false);
  // The shop's shows, and any older one an order names, so every show can be chosen, whether or not its orders are loaded yet.
  const [shows, setShows] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    listShows(fetch, shopId)
      .then((listed) => setShows((seen) => new Map([...listed, ...seen])))
      .catch(() => undefined);
  }, [shopId]);

  async function load(next: BoardFilters, after: string | null) {
    setLoading(true);
    try {
      const page = await listOrders(fetch, shopId, next, after);
      setOrders((current) => (after && current ? [...current, ...page.orders] : page.orders));
      setCursor(page.nextCursor);
      setShows((known) => {
        const more = new Map(known);
        for (const o of page.orders) more.set(o.roomId, o.showTitle);
        return more.size === known.size ? known : more;
      });
      setProblem(null);
    } catch (error) {
      setProblem(error instanceof ApiError && (error.status === 401 || error.status === 403) ? "rejected" : "network");
    } finally {
      setLoading(false);
    }
  }

  useEffect(() => {
    void load(filters, null);
  }, [shopId, filters]);

  const replace = (order: ShopOrder) => setOrders((current) => current?.map((o) => (o.id === order.id ? order : o)) ?? null);
  const setFilter = (patch: Partial<BoardFilters>) => setFilters((current) => ({ ...current, ...patch }));

  async function exportCsv() {
    try {
      const file = URL.createObjectURL(await ordersCsv(fetch, shopId, filters));
      const link = Object.assign(document.createElement("a"), { href: file, download: `orders-${shopId}.csv` });
      link.click();
      setTimeout(() => URL.revokeObjectURL(file), 10_000);
    } catch (error) {
      setProblem(error instanceof ApiError && (error.status === 401 || error.status === 403) ? "rejected" : "network");
    }
  }

  return (
    <section class="orders-board" data-testid="orders-board">
      <div class="board-head">
        <h1>{t("boardTitle")}</h1>
        <button type="button" class="button button-quiet" data-testid="export-csv" onClick={() => void exportCsv()}>
          {t("exportCsv")}
        </button>
      </div>
      <div class="board-filters">
        <label class="field">
          <span class="field-label">{t("filterShow")}</span>
          <select data-testid="filter-show" value={filters.roomId} onChange={(e) => setFilter({ roomId: e.currentTarget.value })}>
            <option value="">{t("allShows")}</option>
            {[...shows].map(([id, title]) => (
              <option key={id} value={id}>
                {title}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span class="field-label">{t("filterStatus")}</span>
          <select
            data-testid="filter-status"
            value={filters.fulfilmentStatus}
            onChange={(e) => setFilter({ fulfilmentStatus: e.currentTarget.value as BoardFilters["fulfilmentStatus"] })}
          >
            <option value="">{t("allStatuses")}</option>
            {STATUSES.map((status) => (
              <option key={status} value={status}>
                {fulfilmentStatusText(status, "shipping")}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span class="field-label">{t("filterFrom")}</span>
          <input type="date" data-testid="filter-from" value={filters.from} onChange={(e) => setFilter({ from: e.currentTarget.value })} />
        </label>
        <label class="field">
          <span class="field-label">{t("filterTo")}</span>
          <input type="date" data-testid="filter-to" value={filters.to} onChange={(e) => setFilter({ to: e.currentTarget.value })} />
        </label>
      </div>

      {problem && (
        <p class="board-problem" role="alert" data-testid="board-problem" data-problem={problem}>
          {problem === "rejected" ? t("boardKeyRejected") : errorText("network", "")}
        </p>
      )}
      {orders === null ? (
        !problem && <p class="muted">{t("loadingOrders")}</p>
      ) : orders.length === 0 ? (
        <p class="muted board-empty" data-testid="board-empty">
          {t("noOrders")}
        </p>
      ) : (
        <div class="board-table" role="table">
          <div class="board-row board-header" role="row">
            {(["colOrder", "colBuyer", "colDelivery", "colItems", "colStatus", "colActions"] as const).map((key) => (
              <span key={key} role="columnheader">
                {t(key)}
              </span>
            ))}
          </div>
          {orders.map((order) => (
            <OrderRow key={order.id} order={order} shopId={shopId} fetch={fetch} onChange={replace} />
          ))}
        </div>
      )}
      {cursor && (
        <button type="button" class="button button-quiet board-more" data-testid="load-more" disabled={loading} onClick={() => void load(filters, cursor)}>
          {t("loadMore")}
        </button>
      )}
    </section>
  );
}

type Mode = "idle" | "ship" | "cancel";

function OrderRow({ order, shopId, fetch, onChange }: { order: ShopOrder; shopId: string; fetch: Fetcher; onChange: (order: ShopOrder) => void }) {
  const [mode, setMode] = useState<Mode>("idle");
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const price = (cents: number) => formatPrice(cents, order.currency, lang.value);
  const pickup = order.fulfilment.type === "pickup";
  const open = order.fulfilmentStatus === "unfulfilled" || order.fulfilmentStatus === "packed";
  const paid = order.status === "confirmed";

  async function run(action: () => Promise<ShopOrder>) {
    setBusy(true);
    setFailure(null);
    try {
      onChange(await action());
      setMode("idle");
    } catch (error) {
      setFailure(t("actionFailed", { reason: reason(error) }));
    } finally {
      setBusy(false);
    }
  }
  const step = (body: Step) => run(() => takeStep(fetch, shopId, order.id, body));

  return (
    <div class="board-row board-order" role="row" data-testid="board-order" data-order-id={order.id} data-fulfilment={order.fulfilmentStatus}>
      <div class="board-cell" role="cell">
        <strong class="board-number">#{order.number}</strong>
        <span class="muted small">{order.showTitle}</span>
        <span class="muted small">{formatStartTime(new Date(order.createdAt).toISOString(), lang.value)}</span>
      </div>
      <div class="board-cell" role="cell" data-testid="board-buyer">
        <strong>{order.buyer.name}</strong>
        <a class="small" href={`mailto:${order.buyer.email}`}>
          {order.buyer.email}
        </a>
        {order.buyer.phone && <span class="small">{order.buyer.phone}</span>}
      </div>
      <div class="board-cell small" role="cell" data-testid="board-delivery" data-type={order.fulfilment.type}>
        {order.fulfilment.type === "shipping" ? <AddressLines address={order.fulfilment.address} /> : <span>{t("pickupInStore")}</span>}
      </div>
      <div class="board-cell" role="cell">
        <span>
          {order.title} × {order.quantity}
        </span>
        <strong>{price(order.totalCents)}</strong>
        {order.ref && <span class="board-ref small">{t("referral", { code: order.ref })}</span>}
      </div>
      <div class="board-cell board-badges" role="cell">
        {/* The payment's status only when it is news: not paid (yet), and not already said by "cancelled". */}
        {!paid && order.fulfilmentStatus !== "cancelled" && (
          <span class="status-badge board-badge" data-testid="board-payment" data-state={order.status}>
            {statusText(order.status)}
          </span>
        )}
        <span class="status-badge board-badge" data-testid="board-fulfilment" data-state={order.fulfilmentStatus}>
          {fulfilmentStatusText(order.fulfilmentStatus, order.fulfilment.type)}
        </span>
        {order.carrier && <span class="small">{order.carrier}</span>}
        {order.trackingUrl?.startsWith("https://") && (
          <a class="small board-tracking" href={order.trackingUrl} target="_blank" rel="noopener noreferrer">
            {order.trackingUrl}
          </a>
        )}
      </div>
      <div class="board-cell board-actions" role="cell">
        {mode === "idle" && open && (
          <>
            {paid && order.fulfilmentStatus === "unfulfilled" && (
              <button type="button" class="button button-quiet" data-testid="mark-packed" disabled={busy} onClick={() => void step({ fulfilmentStatus: "packed" })}>
                {pickup ? t("markReady") : t("markPacked")}
              </button>
            )}
            {paid && !pickup && (
              <button type="button" class="button button-primary" data-testid="mark-shipped" disabled={busy} onClick={() => setMode("ship")}>
                {t("markShipped")}
              </button>
            )}
            {paid && pickup && (
              <button type="button" class="button button-primary" data-testid="mark-picked-up" disabled={busy} onClick={() => void step({ fulfilmentStatus: "picked_up" })}>
                {t("markPickedUp")}
              </button>
            )}
            <button type="button" class="button button-quiet board-cancel" data-testid="cancel-order" disabled={busy} onClick={() => setMode("cancel")}>
              {t("cancelOrder")}
            </button>
          </>
        )}
        {mode === "ship" && <ShipForm busy={busy} onBack={() => setMode("idle")} onSave={(details) => void step({ fulfilmentStatus: "shipped", ...details })} />}
        {mode === "cancel" && (
          <div class="board-confirm" role="alertdialog" aria-label={t("cancelOrder")}>
            <p class="small">{t("confirmCancel", { number: order.number })}</p>
            <div class="board-confirm-buttons">
              <button
                type="button"
                class="button button-danger"
                data-testid="confirm-cancel"
                disabled={busy}
                onClick={() => void run(() => cancelOrder(fetch, shopId, order.id))}
              >
                {t("confirmCancelYes")}
              </button>
              <button type="button" class="button button-quiet" data-testid="keep-order" disabled={busy} onClick={() => setMode("idle")}>
                {t("keepOrder")}
              </button>
            </div>
          </div>
        )}
        {failure && (
          <p class="board-failure small" role="alert" data-testid="board-failure">
            {failure}
          </p>
        )}
      </div>
    </div>
  );
}

function ShipForm({ busy, onBack, onSave }: { busy: boolean; onBack: () => void; onSave: (details: { carrier?: string; trackingUrl?: string }) => void }) {
  const [carrier, setCarrier] = useState("");
  const [tracking, setTracking] = useState("");
  const trackingBad = tracking.trim() !== "" && !/^https:\/\/\S+$/i.test(tracking.trim());
  return (
    <form
      class="board-ship"
      onSubmit={(event) => {
        event.preventDefault();
        if (trackingBad) return;
        onSave({ ...(carrier.trim() ? { carrier: carrier.trim() } : {}), ...(tracking.trim() ? { trackingUrl: tracking.trim() } : {}) });
      }}
    >
      <label class="field">
        <span class="field-label">{t("carrier")}</span>
        <input data-testid="ship-carrier" value={carrier} maxLength={60} onInput={(e) => setCarrier(e.currentTarget.value)} />
      </label>
      <label class="field">
        <span class="field-label">{t("trackingUrl")}</span>
        <input
          data-testid="ship-tracking"
          type="url"
          inputMode="url"
          value={tracking}
          aria-invalid={trackingBad ? "true" : undefined}
          onInput={(e) => setTracking(e.currentTarget.value)}
        />
        {trackingBad && <span class="board-failure small">{t("errTrackingUrl")}</span>}
      </label>
      <div class="board-confirm-buttons">
        <button type="submit" class="button button-primary" data-testid="ship-save" disabled={busy || trackingBad}>
          {t("saveShipped")}
        </button>
        <button type="button" class="button button-quiet" disabled={busy} onClick={onBack}>
          {t("back")}
        </button>
      </div>
    </form>
  );
}
