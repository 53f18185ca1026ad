/**
 * A show's numbers from what its Room keeps: the event log (chat, pins,
 * status), the per-second tallies (hearts, concurrent viewers), the
 * audience's visits (socket joins and leaves), what viewers looked at
 * (card views, checkout opens, replay watching, page visits) and the
 * orders. A pure function of those, so the same input always gives the same
 * rows: the Room recomputes them every few seconds and writes the ones that
 * changed (numbers.ts), and a test can script a show with known answers.
 *
 * Every time is the room clock (ms). A moment's phase is `prelive` before
 * the show went live, `replay` from when it ended, `live` in between.
 */

export type Phase = "prelive" | "live" | "replay";
export const PHASES: readonly Phase[] = ["prelive", "live", "replay"];

export type Visit = { viewerId: string; joinedAt: number; leftAt: number | null };
export type Action = { at: number; what: "visit" | "card" | "checkout" | "watch"; viewerId: string | null; productId: string | null; ref: string | null };
export type CountedOrder = { at: number; productId: string; quantity: number; totalCents: number; buyer: string; ref: string | null };
export type ShowInput = {
  liveAt: number | null;
  endedAt: number | null;
  now: number;
  /** Chat lines, by when they were written. */
  chat: number[];
  /** Every pin (null: unpinned), oldest first. */
  pins: Array<{ at: number; productId: string | null }>;
  /** Per second of the room clock: hearts added, and the concurrent viewers when they changed (null: unchanged). */
  tallies: Array<{ second: number; hearts: number; viewers: number | null }>;
  visits: Visit[];
  actions: Action[];
  /** Confirmed orders. */
  orders: CountedOrder[];
};

export type MinuteRow = {
  minute: number;
  phase: Phase;
  peakViewers: number;
  viewerMs: number;
  uniqueViewers: number;
  visits: number;
  chatMessages: number;
  hearts: number;
  orders: number;
  units: number;
  revenueCents: number;
};
export type ProductMinuteRow = {
  minute: number;
  phase: Phase;
  productId: string;
  pinnedMs: number;
  cardViews: number;
  checkoutOpens: number;
  orders: number;
  units: number;
  revenueCents: number;
};
export type PhaseRow = { phase: Phase | "total"; uniqueViewers: number; watchMs: number; peakViewers: number; visits: number; buyers: number };
export type ReferralRow = { code: string; visits: number; orders: number; units: number; revenueCents: number };
export type ShowNumbers = { minutes: MinuteRow[]; products: ProductMinuteRow[]; phases: PhaseRow[]; referrals: ReferralRow[] };

const MINUTE = 60_000;
/** A replay viewer's page says it is watching every 15 s (client/src/analytics/track.ts); each "watch" counts that long. */
export const WATCH_EVERY_MS = 15_000;

export function phaseAt(t: number, show: { liveAt: number | null; endedAt: number | null }): Phase {
  if (show.liveAt === null || t < show.liveAt) return "prelive";
  return show.endedAt !== null && t >= show.endedAt ? "replay" : "live";
}

const minuteOf = (t: number) => t - (t % MINUTE);

/**
 * Splits [from, to) at minute and phase boundaries; `each` gets every piece
 * with its minute and phase.
 */
function eachPiece(from: number, to: number, show: ShowInput, each: (minute: number, phase: Phase, ms: number) => void): void {
  const cuts = [show.liveAt, show.endedAt].filter((t): t is number => t !== null && t > from && t < to);
  let start = from;
  while (start < to) {
    const end = Math.min(to, minuteOf(start) + MINUTE, ...cuts.filter((t) => t > start));
    each(minuteOf(start), phaseAt(start, show), end - start);
    start = end;
  }
}

export function countShow(show: ShowInput): ShowNumbers {
  const minutes = new Map<string, MinuteRow & { viewers: Set<string> }>();
  const minute = (t: number, phase = phaseAt(t, show)) => {
    const m = minuteOf(t);
    const key = `${m}:${phase}`;
    let row = minutes.get(key);
    if (!row) {
      row = { minute: m, phase, peakViewers: 0, viewerMs: 0, uniqueViewers: 0, visits: 0, chatMessages: 0, hearts: 0, orders: 0, units: 0, revenueCents: 0, viewers: new Set() };
      minutes.set(key, row);
    }
    return row;
  };
  const products = new Map<string, ProductMinuteRow>();
  const product = (t: number, productId: string, phase = phaseAt(t, show)) => {
    const key = `${minuteOf(t)}:${phase}:${productId}`;
    let row = products.get(key);
    if (!row) {
      row = { minute: minuteOf(t), phase, productId, pinnedMs: 0, cardViews: 0, checkoutOpens: 0, orders: 0, units: 0, revenueCents: 0 };
      products.set(key, row);
    }
    return row;
  };
  const phases = new Map<Phase | "total", { viewers: Map<string, number>; peak: number; visits: number; buyers: Set<string> }>();
  const phase = (p: Phase | "total") => {
    let row = phases.get(p);
    if (!row) phases.set(p, (row = { viewers: new Map(), peak: 0, visits: 0, buyers: new Set() }));
    return row;
  };
  const watched = (p: Phase, viewerId: string, ms: number) => {
    for (const bucket of [phase(p), phase("total")]) bucket.viewers.set(viewerId, (bucket.viewers.get(viewerId) ?? 0) + ms);
  };
  const referrals = new Map<string, ReferralRow>();
  const referral = (code: string) => {
    const key = code.toLowerCase();
    let row = referrals.get(key);
    if (!row) referrals.set(key, (row = { code: key, visits: 0, orders: 0, units: 0, revenueCents: 0 }));
    return row;
  };

  for (const at of show.chat) minute(at).chatMessages += 1;

  // Concurrent viewers: each change holds until the next one (or now); peaks and time-weighted averages per minute.
  const changes = show.tallies.filter((t) => t.viewers !== null).sort((a, b) => a.second - b.second);
  for (const [i, change] of changes.entries()) {
    const from = change.second * 1000;
    const to = i + 1 < changes.length ? changes[i + 1]!.second * 1000 : Math.max(from, show.now);
    const viewers = change.viewers!;
    const at = minute(from);
    at.peakViewers = Math.max(at.peakViewers, viewers);
    for (const p of [phase(at.phase), phase("total")]) p.peak = Math.max(p.peak, viewers);
    if (viewers === 0) continue;
    eachPiece(from, to, show, (m, p, ms) => {
      const row = minute(m, p);
      row.peakViewers = Math.max(row.peakViewers, viewers);
      row.viewerMs += viewers * ms;
      phase(p).peak = Math.max(phase(p).peak, viewers);
    });
  }
  for (const tally of show.tallies) if (tally.hearts > 0) minute(tally.second * 1000).hearts += tally.hearts;

  // Watch time: the union of each viewer's visits (two tabs are one viewer watching once), split by minute and phase.
  const byViewer = new Map<string, Array<[number, number]>>();
  for (const visit of show.visits) {
    const span: [number, number] = [visit.joinedAt, Math.max(visit.joinedAt, visit.leftAt ?? show.now)];
    byViewer.set(visit.viewerId, [...(byViewer.get(visit.viewerId) ?? []), span]);
  }
  for (const [viewerId, spans] of byViewer) {
    spans.sort((a, b) => a[0] - b[0]);
    let [from, to] = spans[0]!;
    const flush = () => {
      // Even a visit shorter than a millisecond makes its viewer a viewer of that minute.
      minute(from).viewers.add(viewerId);
      if (to === from) watched(phaseAt(from, show), viewerId, 0);
      eachPiece(from, to, show, (m, p, ms) => {
        minute(m, p).viewers.add(viewerId);
        watched(p, viewerId, ms);
      });
    };
    for (const [start, end] of spans.slice(1)) {
      if (start <= to) to = Math.max(to, end);
      else {
        flush();
        [from, to] = [start, end];
      }
    }
    flush();
  }

  for (const action of show.actions) {
    const p = phaseAt(action.at, show);
    if (action.what === "visit") {
      minute(action.at).visits += 1;
      phase(p).visits += 1;
      phase("total").visits += 1;
      if (action.ref) referral(action.ref).visits += 1;
    } else if (action.what === "watch" && action.viewerId) {
      minute(action.at).viewers.add(action.viewerId);
      watched(p, action.viewerId, WATCH_EVERY_MS);
    } else if (action.productId && action.what === "card") product(action.at, action.productId).cardViews += 1;
    else if (action.productId && action.what === "checkout") product(action.at, action.productId).checkoutOpens += 1;
  }

  // Pinned time: from each pin to the next pin, the end of the show, or now.
  const until = show.endedAt ?? show.now;
  for (const [i, pin] of show.pins.entries()) {
    if (!pin.productId || pin.at >= until) continue;
    const to = Math.min(until, show.pins[i + 1]?.at ?? until);
    eachPiece(pin.at, to, show, (m, p, ms) => (product(m, pin.productId!, p).pinnedMs += ms));
  }

  for (const order of show.orders) {
    const row = minute(order.at);
    row.orders += 1;
    row.units += order.quantity;
    row.revenueCents += order.totalCents;
    const item = product(order.at, order.productId);
    item.orders += 1;
    item.units += order.quantity;
    item.revenueCents += order.totalCents;
    phase(row.phase).buyers.add(order.buyer);
    phase("total").buyers.add(order.buyer);
    if (order.ref) {
      const code = referral(order.ref);
      code.orders += 1;
      code.units += order.quantity;
      code.revenueCents += order.totalCents;
    }
  }

  const byTime = <T extends { minute: number; phase: Phase }>(a: T, b: T) => a.minute - b.minute || PHASES.indexOf(a.phase) - PHASES.indexOf(b.phase);
  return {
    minutes: [...minutes.values()].map(({ viewers, ...row }) => ({ ...row, uniqueViewers: viewers.size })).sort(byTime),
    products: [...products.values()].sort((a, b) => byTime(a, b) || a.productId.localeCompare(b.productId)),
    phases: [...phases].map(([p, row]) => ({
      phase: p,
      uniqueViewers: row.viewers.size,
      watchMs: [...row.viewers.values()].reduce((sum, ms) => sum + ms, 0),
      peakViewers: row.peak,
      visits: row.visits,
      buyers: row.buyers.size,
    })),
    referrals: [...referrals.values()].sort((a, b) => a.code.localeCompare(b.code)),
  };
}
