/**
 * A show's figures from its rows in D1 (migrations/0018_show_numbers.sql,
 * written by its Room as the show happens): what the studio shows live, the
 * console after, and the CSV tables. The one place that reads those rows.
 */
import { PHASES, type Phase } from "../../durable-objects/numbers-count.ts";
import { rsvpCounts } from "../reminders/rsvps.ts";
import type { NumberTable, ShowFigures, Totals } from "./figure-types.ts";

export type { ShowFigures };

type MinuteRow = {
  minute: number;
  phase: Phase;
  peak_viewers: number;
  viewer_ms: number;
  unique_viewers: number;
  visits: number;
  chat_messages: number;
  hearts: number;
  orders: number;
  units: number;
  revenue_cents: number;
};
type ProductRow = { product_id: string; title: string | null; pinned_ms: number; card_views: number; checkout_opens: number; orders: number; units: number; revenue_cents: number };
type PhaseRow = { phase: Phase | "total"; unique_viewers: number; watch_ms: number; peak_viewers: number; visits: number; buyers: number };
type ReferralRow = { code: string; visits: number; orders: number; units: number; revenue_cents: number };

const MINUTE = 60_000;

export async function showFigures(db: D1Database, roomId: string): Promise<ShowFigures> {
  const room = { id: roomId };
  const [minutes, products, phases, referrals, show] = await db.batch([
    db.prepare("SELECT * FROM show_minutes WHERE room_id = ? ORDER BY minute, phase").bind(room.id),
    db
      .prepare(
        `SELECT n.product_id, p.title, sum(pinned_ms) AS pinned_ms, sum(card_views) AS card_views, sum(checkout_opens) AS checkout_opens,
                sum(n.orders) AS orders, sum(n.units) AS units, sum(n.revenue_cents) AS revenue_cents
           FROM show_product_minutes n LEFT JOIN products p ON p.id = n.product_id
          WHERE n.room_id = ? GROUP BY n.product_id
         HAVING sum(pinned_ms) + sum(card_views) + sum(checkout_opens) + sum(n.orders) > 0
          ORDER BY min(n.minute), n.product_id`,
      )
      .bind(room.id),
    db.prepare("SELECT * FROM show_phases WHERE room_id = ?").bind(room.id),
    db.prepare("SELECT * FROM show_referrals WHERE room_id = ? AND visits + orders > 0 ORDER BY revenue_cents DESC, code").bind(room.id),
    db.prepare("SELECT r.title, s.currency FROM rooms r JOIN shops s ON s.id = r.shop_id WHERE r.id = ?").bind(room.id),
  ]);
  // Rows the room zeroed (nothing left to count in them) are not minutes of the show.
  const rows = (minutes!.results as MinuteRow[]).filter((r) => r.peak_viewers || r.unique_viewers || r.visits || r.chat_messages || r.hearts || r.orders);
  const phaseRows = phases!.results as PhaseRow[];
  const totalsOf = (inPhase: (row: MinuteRow) => boolean, counted: PhaseRow | undefined): Totals => {
    const sum = (pick: (row: MinuteRow) => number) => rows.filter(inPhase).reduce((total, row) => total + pick(row), 0);
    const unique = counted?.unique_viewers ?? 0;
    const buyers = counted?.buyers ?? 0;
    return {
      visits: counted?.visits ?? 0,
      peakViewers: counted?.peak_viewers ?? 0,
      uniqueViewers: unique,
      averageWatchMs: unique ? Math.round((counted?.watch_ms ?? 0) / unique) : 0,
      chatMessages: sum((r) => r.chat_messages),
      hearts: sum((r) => r.hearts),
      orders: sum((r) => r.orders),
      units: sum((r) => r.units),
      revenueCents: sum((r) => r.revenue_cents),
      buyers,
      conversion: unique ? buyers / unique : 0,
    };
  };
  const rsvps = await rsvpCounts(db, room.id);
  const about = show!.results[0] as { title: string; currency: string } | undefined;
  return {
    roomId: room.id,
    title: about?.title ?? "",
    currency: about?.currency ?? "EUR",
    total: totalsOf(() => true, phaseRows.find((p) => p.phase === "total")),
    phases: PHASES.map((phase) => ({ phase, ...totalsOf((r) => r.phase === phase, phaseRows.find((p) => p.phase === phase)) })),
    rsvps: { active: rsvps.active, pending: rsvps.pending },
    minutes: rows.map((r) => ({
      at: r.minute,
      phase: r.phase,
      peakViewers: r.peak_viewers,
      averageViewers: Math.round((r.viewer_ms / MINUTE) * 100) / 100,
      uniqueViewers: r.unique_viewers,
      visits: r.visits,
      chatMessages: r.chat_messages,
      hearts: r.hearts,
      orders: r.orders,
      units: r.units,
      revenueCents: r.revenue_cents,
    })),
    products: (products!.results as ProductRow[]).map((r) => ({
      productId: r.product_id,
      title: r.title ?? r.product_id,
      pinnedMs: r.pinned_ms,
      cardViews: r.card_views,
      checkoutOpens: r.checkout_opens,
      orders: r.orders,
      units: r.units,
      revenueCents: r.revenue_cents,
    })),
    referrals: (referrals!.results as ReferralRow[]).map((r) => ({ code: r.code, visits: r.visits, orders: r.orders, units: r.units, revenueCents: r.revenue_cents })),
  };
}


/** One table of the figures as rows of cells, header first (the CSV export). */
export function figureTable(figures: ShowFigures, table: NumberTable): Array<Array<string | number>> {
  switch (table) {
    case "minutes":
      return [
        ["minute", "phase", "peak_viewers", "average_viewers", "unique_viewers", "visits", "chat_messages", "hearts", "orders", "units", "revenue"],
        ...figures.minutes.map((m) => [
          new Date(m.at).toISOString(), m.phase, m.peakViewers, m.averageViewers, m.uniqueViewers, m.visits, m.chatMessages, m.hearts, m.orders, m.units, money(m.revenueCents),
        ]),
      ];
    case "products":
      return [
        ["product_id", "title", "pinned_seconds", "card_views", "checkout_opens", "orders", "units", "revenue"],
        ...figures.products.map((p) => [p.productId, p.title, Math.round(p.pinnedMs / 1000), p.cardViews, p.checkoutOpens, p.orders, p.units, money(p.revenueCents)]),
      ];
    case "referrals":
      return [["code", "visits", "orders", "units", "revenue"], ...figures.referrals.map((r) => [r.code, r.visits, r.orders, r.units, money(r.revenueCents)])];
    case "phases":
      return [
        ["phase", "visits", "peak_viewers", "unique_viewers", "average_watch_seconds", "chat_messages", "hearts", "orders", "units", "revenue", "buyers", "conversion", "rsvps"],
        ...[...figures.phases, { phase: "total" as const, ...figures.total }].map((p) => [
          p.phase, p.visits, p.peakViewers, p.uniqueViewers, Math.round(p.averageWatchMs / 1000), p.chatMessages, p.hearts, p.orders, p.units, money(p.revenueCents), p.buyers,
          Math.round(p.conversion * 10_000) / 10_000, p.phase === "prelive" ? figures.rsvps.active : "",
        ]),
      ];
  }
}

const money = (cents: number) => (cents / 100).toFixed(2);
