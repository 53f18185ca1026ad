/** The pieces every view of a show's numbers is made of: the tiles of totals, the tables, the charts' points. */
import { RsvpChart } from "../components/RsvpChart.tsx";
import { formatCount, formatPrice } from "../format.ts";
import { lang } from "../i18n.ts";
import type { ShowFigures } from "./numbers-api.ts";
import { tNumbers as t } from "./i18n-numbers.ts";
import "../styles/rsvps.css";
import "./numbers.css";

type Totals = ShowFigures["total"];

export function watchTime(ms: number): string {
  if (ms < 60_000) return t("durationSeconds", { s: Math.round(ms / 1000) });
  return t("durationMinutes", { m: new Intl.NumberFormat(lang.value, { maximumFractionDigits: 1 }).format(ms / 60_000) });
}

export const percent = (share: number) => new Intl.NumberFormat(lang.value, { style: "percent", maximumFractionDigits: 1 }).format(share);
const count = (n: number) => formatCount(n, lang.value);

/** The totals as tiles; `viewersNow` first while the show is live. */
export function NumberTiles({ total, currency, viewersNow }: { total: Totals; currency: string; viewersNow?: number }) {
  const tiles: Array<[string, string, string]> = [
    ...(viewersNow === undefined ? [] : ([["viewers-now", t("viewersNow"), count(viewersNow)]] as Array<[string, string, string]>)),
    ["peak", t("peakViewers"), count(total.peakViewers)],
    ["unique", t("uniqueViewers"), count(total.uniqueViewers)],
    ["watch", t("averageWatch"), watchTime(total.averageWatchMs)],
    ["chat", t("chatMessages"), count(total.chatMessages)],
    ["hearts", t("hearts"), count(total.hearts)],
    ["orders", t("orders"), count(total.orders)],
    ["revenue", t("revenue"), formatPrice(total.revenueCents, currency, lang.value)],
    ["conversion", t("conversion"), percent(total.conversion)],
  ];
  return (
    <dl class="number-tiles">
      {tiles.map(([id, label, value]) => (
        // A figure too long for one tile (a sum of money, mostly) takes two, rather than breaking in the middle.
        <div key={id} class={value.length > 7 ? "number-tile number-tile-wide" : "number-tile"} data-testid={`number-${id}`} title={id === "conversion" ? t("conversionNote") : undefined}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** One point per minute (phases of one minute together): the peak of viewers, or a running total of orders or revenue. */
export function minutePoints(numbers: ShowFigures, pick: "viewers" | "orders" | "revenue"): Array<{ at: number; count: number }> {
  const byMinute = new Map<number, { viewers: number; orders: number; revenue: number }>();
  for (const m of numbers.minutes) {
    const point = byMinute.get(m.at) ?? { viewers: 0, orders: 0, revenue: 0 };
    point.viewers = Math.max(point.viewers, m.peakViewers);
    point.orders += m.orders;
    point.revenue += m.revenueCents / 100;
    byMinute.set(m.at, point);
  }
  let running = 0;
  return [...byMinute].map(([at, point]) => {
    running += pick === "viewers" ? 0 : point[pick];
    return { at, count: pick === "viewers" ? point.viewers : Math.round(running * 100) / 100 };
  });
}

export function NumbersChart({ numbers, pick, label }: { numbers: ShowFigures; pick: "viewers" | "orders" | "revenue"; label: string }) {
  const points = minutePoints(numbers, pick);
  if (points.length === 0) return null;
  return (
    <figure class="numbers-chart">
      <figcaption class="muted small">{label}</figcaption>
      <RsvpChart points={points} label={label} toNow={false} testId={`numbers-chart-${pick}`} />
    </figure>
  );
}

export function ProductTable({ numbers }: { numbers: ShowFigures }) {
  if (numbers.products.length === 0) return null;
  return (
    <div class="numbers-table-box">
      <table class="numbers-table" data-testid="numbers-products">
        <caption>{t("perProduct")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("product")}</th>
            <th scope="col">{t("pinnedTime")}</th>
            <th scope="col">{t("cardViews")}</th>
            <th scope="col">{t("checkoutOpens")}</th>
            <th scope="col">{t("orders")}</th>
            <th scope="col">{t("units")}</th>
            <th scope="col">{t("revenue")}</th>
          </tr>
        </thead>
        <tbody>
          {numbers.products.map((p) => (
            <tr key={p.productId} data-product-id={p.productId}>
              <th scope="row">{p.title}</th>
              <td>{watchTime(p.pinnedMs)}</td>
              <td>{count(p.cardViews)}</td>
              <td>{count(p.checkoutOpens)}</td>
              <td>{count(p.orders)}</td>
              <td>{count(p.units)}</td>
              <td>{formatPrice(p.revenueCents, numbers.currency, lang.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ReferralTable({ numbers }: { numbers: ShowFigures }) {
  if (numbers.referrals.length === 0) return null;
  return (
    <div class="numbers-table-box">
      <table class="numbers-table" data-testid="numbers-referrals">
        <caption>{t("perReferral")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("code")}</th>
            <th scope="col">{t("visits")}</th>
            <th scope="col">{t("orders")}</th>
            <th scope="col">{t("units")}</th>
            <th scope="col">{t("revenue")}</th>
          </tr>
        </thead>
        <tbody>
          {numbers.referrals.map((r) => (
            <tr key={r.code}>
              <th scope="row">{r.code}</th>
              <td>{count(r.visits)}</td>
              <td>{count(r.orders)}</td>
              <td>{count(r.units)}</td>
              <td>{formatPrice(r.revenueCents, numbers.currency, lang.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const PHASE_WORDS = { prelive: "phasePrelive", live: "phaseLive", replay: "phaseReplay" } as const;

export function PhaseTable({ numbers }: { numbers: ShowFigures }) {
  return (
    <div class="numbers-table-box">
      <table class="numbers-table" data-testid="numbers-phases">
        <caption>{t("byPhase")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("phase")}</th>
            <th scope="col">{t("visits")}</th>
            <th scope="col">{t("uniqueViewers")}</th>
            <th scope="col">{t("averageWatch")}</th>
            <th scope="col">{t("orders")}</th>
            <th scope="col">{t("revenue")}</th>
            <th scope="col">{t("conversion")}</th>
          </tr>
        </thead>
        <tbody>
          {numbers.phases.map((p) => (
            <tr key={p.phase} data-phase={p.phase}>
              <th scope="row">
                {t(PHASE_WORDS[p.phase])}
                {p.phase === "prelive" && <span class="muted small"> · {t("rsvps")}: {count(numbers.rsvps.active)}</span>}
              </th>
              <td>{count(p.visits)}</td>
              <td>{count(p.uniqueViewers)}</td>
              <td>{watchTime(p.averageWatchMs)}</td>
              <td>{count(p.orders)}</td>
              <td>{formatPrice(p.revenueCents, numbers.currency, lang.value)}</td>
              <td>{percent(p.conversion)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
