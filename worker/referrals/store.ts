/**
 * Referral codes in D1 and what each brought in: confirmed orders, units and
 * revenue, per show and in total, matched to `orders.ref` case-insensitively.
 */
export type ReferralFigures = { orders: number; units: number; revenueCents: number };
export type ReferralReport = {
  code: string;
  name: string | null;
  createdAt: number | null;
  totals: ReferralFigures;
  shows: Array<ReferralFigures & { roomId: string; title: string; link: string }>;
};

type CodeRow = { code: string; name: string; created_at: number };
type SalesRow = { code: string; room_id: string; title: string; orders: number; units: number; revenue_cents: number };

/** Adds a code; false when the shop already has it. */
export async function createCode(db: D1Database, shopId: string, code: string, name: string, now: number): Promise<boolean> {
  const result = await db
    .prepare("INSERT INTO referral_codes (shop_id, code, name, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (shop_id, code) DO NOTHING")
    .bind(shopId, code, name, now)
    .run();
  return result.meta.changes === 1;
}

/** Removes a code; its orders keep their ref. False when there was none. */
export async function deleteCode(db: D1Database, shopId: string, code: string): Promise<boolean> {
  const result = await db.prepare("DELETE FROM referral_codes WHERE shop_id = ? AND code = ?").bind(shopId, code.toLowerCase()).run();
  return result.meta.changes === 1;
}

/** The shop's newest shows: every code gets a share link for each, sold or not yet. */
const RECENT_SHOWS = 5;

/**
 * Every named code of the shop (newest first), then every other code its
 * orders carry, each with its figures per show: the shows it sold in, and
 * the shop's newest shows (so a new code has links to share at once).
 */
export async function referralReport(db: D1Database, shopId: string, origin: string, only?: string): Promise<ReferralReport[]> {
  const [codes, sales, recent] = await db.batch([
    db.prepare("SELECT code, name, created_at FROM referral_codes WHERE shop_id = ? ORDER BY created_at DESC, code").bind(shopId),
    // Confirmed and not cancelled by the shop: what the code really sold.
    db
      .prepare(
        `SELECT lower(o.ref) AS code, o.room_id, r.title, count(*) AS orders, sum(o.quantity) AS units, sum(o.total_cents) AS revenue_cents
           FROM orders o JOIN rooms r ON r.id = o.room_id
          WHERE o.shop_id = ? AND o.ref IS NOT NULL AND o.status = 'confirmed' AND o.fulfilment_status != 'cancelled'
          GROUP BY lower(o.ref), o.room_id
          ORDER BY min(o.created_at)`,
      )
      .bind(shopId),
    db.prepare("SELECT id, title FROM rooms WHERE shop_id = ? ORDER BY created_at DESC LIMIT ?").bind(shopId, RECENT_SHOWS),
  ]);
  const reports = new Map<string, ReferralReport>();
  const empty = (): ReferralFigures => ({ orders: 0, units: 0, revenueCents: 0 });
  for (const row of codes!.results as CodeRow[]) {
    reports.set(row.code, { code: row.code, name: row.name, createdAt: row.created_at, totals: empty(), shows: [] });
  }
  for (const row of sales!.results as SalesRow[]) {
    let report = reports.get(row.code);
    if (!report) reports.set(row.code, (report = { code: row.code, name: null, createdAt: null, totals: empty(), shows: [] }));
    const figures = { orders: row.orders, units: row.units, revenueCents: row.revenue_cents };
    report.shows.push({ roomId: row.room_id, title: row.title, link: shareLink(origin, row.room_id, row.code), ...figures });
    report.totals.orders += figures.orders;
    report.totals.units += figures.units;
    report.totals.revenueCents += figures.revenueCents;
  }
  for (const report of reports.values()) {
    for (const room of recent!.results as Array<{ id: string; title: string }>) {
      if (report.shows.some((show) => show.roomId === room.id)) continue;
      report.shows.push({ roomId: room.id, title: room.title, link: shareLink(origin, room.id, report.code), ...empty() });
    }
  }
  const all = [...reports.values()];
  return only === undefined ? all : all.filter((report) => report.code === only);
}

/** A show's viewer link that credits `code` with what its viewers buy. */
export const shareLink = (origin: string, roomId: string, code: string) => `${origin}/r/${roomId}?ref=${encodeURIComponent(code)}`;
