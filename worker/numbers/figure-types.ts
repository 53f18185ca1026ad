/**
 * The shapes of a show's figures (figures.ts computes them) and the names of its tables: no code, so
 * that the studio and the console read the same shapes the API sends.
 */
import type { Phase } from "../../durable-objects/numbers-count.ts";

export type { Phase };

export type Totals = {
  visits: number;
  peakViewers: number;
  uniqueViewers: number;
  averageWatchMs: number;
  chatMessages: number;
  hearts: number;
  orders: number;
  units: number;
  revenueCents: number;
  buyers: number;
  /** Buyers ÷ unique viewers (0 without viewers). */
  conversion: number;
};
export type MinuteFigures = {
  at: number;
  phase: Phase;
  peakViewers: number;
  averageViewers: number;
  uniqueViewers: number;
  visits: number;
  chatMessages: number;
  hearts: number;
  orders: number;
  units: number;
  revenueCents: number;
};
export type ProductFigures = {
  productId: string;
  title: string;
  pinnedMs: number;
  cardViews: number;
  checkoutOpens: number;
  orders: number;
  units: number;
  revenueCents: number;
};
export type ReferralFigures = { code: string; visits: number; orders: number; units: number; revenueCents: number };
export type ShowFigures = {
  roomId: string;
  title: string;
  currency: string;
  total: Totals;
  phases: Array<Totals & { phase: Phase }>;
  rsvps: { active: number; pending: number };
  minutes: MinuteFigures[];
  products: ProductFigures[];
  referrals: ReferralFigures[];
};

/** The tables of the CSV export. */
export const NUMBER_TABLES = ["minutes", "products", "referrals", "phases"] as const;
export type NumberTable = (typeof NUMBER_TABLES)[number];
