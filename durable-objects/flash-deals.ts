/**
 * Flash deals: a deal price on one product (or one of its variants) for
 * 10–300 seconds, optionally limited per buyer. Runs inside the room's transactions, on the room's clock.
 */
import type { FlashDeal } from "./protocol.ts";
import { randomBase62 } from "./random-ids.ts";
import { noShow, refuse, type Refusal } from "./refusal.ts";
import type { Change, RoomFeature, RoomKit } from "./room-kit.ts";
import { showRow, variantRow, variantsOf } from "./show.ts";

export const flashDealsSchema: RoomFeature["schema"] = {
  1: `-- At most one is running (not ended and before ends_at).
      CREATE TABLE IF NOT EXISTS deals (
        id              TEXT PRIMARY KEY,
        product_id      TEXT NOT NULL REFERENCES products(id),
        price_cents     INTEGER NOT NULL CHECK (price_cents >= 0),
        starts_at       INTEGER NOT NULL,
        ends_at         INTEGER NOT NULL CHECK (ends_at > starts_at),
        per_buyer_limit INTEGER CHECK (per_buyer_limit > 0),
        ended           INTEGER NOT NULL DEFAULT 0
      );
      -- Units each buyer (by email) holds or bought at a deal's price.
      CREATE TABLE IF NOT EXISTS deal_buyers (
        deal_id  TEXT NOT NULL REFERENCES deals(id),
        email    TEXT NOT NULL,
        quantity INTEGER NOT NULL CHECK (quantity >= 0),
        PRIMARY KEY (deal_id, email)
      );`,
  // A deal may be on one variant of the product only (NULL: all of them).
  6: `ALTER TABLE deals ADD COLUMN variant_id TEXT;`,
};

export const DEAL_SECONDS = { min: 10, max: 300 } as const;

type DealRow = {
  id: string;
  product_id: string;
  price_cents: number;
  starts_at: number;
  ends_at: number;
  per_buyer_limit: number | null;
  ended: number;
  variant_id: string | null;
};

const toDeal = (row: DealRow): FlashDeal => ({
  id: row.id,
  productId: row.product_id,
  variantId: row.variant_id,
  priceCents: row.price_cents,
  startsAt: row.starts_at,
  endsAt: row.ends_at,
  perBuyerLimit: row.per_buyer_limit,
});

/** The deal that applies at `now`, if any. */
export function activeDeal(sql: SqlStorage, now: number): FlashDeal | null {
  const row = sql
    .exec<DealRow>("SELECT * FROM deals WHERE ended = 0 AND starts_at <= ? AND ends_at > ? ORDER BY starts_at DESC LIMIT 1", now, now)
    .toArray()[0];
  return row ? toDeal(row) : null;
}

export type StartDeal = { productId: string; variantId: string | null; priceCents: number; durationSeconds: number; perBuyerLimit: number | null };

function startDeal(sql: SqlStorage, roomStatus: string, input: StartDeal, now: number): { ok: true; deal: FlashDeal } | Refusal {
  if (roomStatus !== "live") return refuse("show_not_live", "Flash deals run during the live show: go live first.");
  if (activeDeal(sql, now)) return refuse("deal_running", "A flash deal is running; end it before starting another.");
  const product = sql.exec<{ price_cents: number }>("SELECT price_cents FROM products WHERE id = ?", input.productId).toArray()[0];
  if (!product) return refuse("not_found", `Product ${input.productId} is not part of this show.`);
  const variant = input.variantId ? variantRow(sql, input.variantId) : null;
  if (input.variantId && variant?.product_id !== input.productId) {
    return refuse("unknown_variant", `Variant ${input.variantId} is not a variant of product ${input.productId} in this show.`);
  }
  // On the whole product, the deal must beat every variant's price: no variant may cost less than its "deal".
  const prices = variant ? [variant.price_cents ?? product.price_cents] : [product.price_cents, ...variantsOf(sql, input.productId).map((v) => v.price_cents ?? product.price_cents)];
  if (input.priceCents >= Math.min(...prices)) return refuse("invalid_request", "The deal price must be below the regular price.");
  const seconds = Math.min(DEAL_SECONDS.max, Math.max(DEAL_SECONDS.min, Math.round(input.durationSeconds)));
  const row: DealRow = {
    id: `d_${randomBase62(12)}`,
    product_id: input.productId,
    price_cents: input.priceCents,
    starts_at: now,
    ends_at: now + seconds * 1000,
    per_buyer_limit: input.perBuyerLimit,
    ended: 0,
    variant_id: variant?.id ?? null,
  };
  sql.exec(
    "INSERT INTO deals (id, product_id, price_cents, starts_at, ends_at, per_buyer_limit, ended, variant_id) VALUES (?, ?, ?, ?, ?, ?, 0, ?)",
    row.id, row.product_id, row.price_cents, row.starts_at, row.ends_at, row.per_buyer_limit, row.variant_id,
  );
  return { ok: true, deal: toDeal(row) };
}

/**
 * Marks deals over: those whose time is up, or (with `all`) the running one
 * too. Returns how many were marked, so the caller announces the end once.
 */
function closeDeals(sql: SqlStorage, now: number, all = false): number {
  return sql.exec("UPDATE deals SET ended = 1 WHERE ended = 0 AND (ends_at <= ? OR ?)", now, all ? 1 : 0).rowsWritten;
}


export function dealPurchases(sql: SqlStorage, dealId: string, email: string): number {
  return sql.exec<{ q: number }>("SELECT coalesce(sum(quantity), 0) AS q FROM deal_buyers WHERE deal_id = ? AND email = ?", dealId, email).one().q;
}

export function addDealPurchase(sql: SqlStorage, dealId: string, email: string, quantity: number): void {
  sql.exec(
    "INSERT INTO deal_buyers (deal_id, email, quantity) VALUES (?, ?, ?) ON CONFLICT (deal_id, email) DO UPDATE SET quantity = quantity + excluded.quantity",
    dealId, email, quantity,
  );
}

export function removeDealPurchase(sql: SqlStorage, dealId: string, email: string, quantity: number): void {
  sql.exec("UPDATE deal_buyers SET quantity = max(0, quantity - ?) WHERE deal_id = ? AND email = ?", quantity, dealId, email);
}

export class FlashDeals implements RoomFeature {
  readonly schema = flashDealsSchema;

  constructor(private readonly kit: RoomKit) {}

  /** When the running deal ends. */
  nextDue(): number | null {
    return this.kit.sql.exec<{ t: number | null }>("SELECT min(ends_at) AS t FROM deals WHERE ended = 0").one().t;
  }

  onDue(now: number): void {
    this.#close(now, false);
  }

  active(): FlashDeal | null {
    return activeDeal(this.kit.sql, this.kit.now());
  }

  start(input: StartDeal): { ok: true; deal: FlashDeal } | Refusal {
    const show = showRow(this.kit.sql);
    if (!show) return noShow();
    return this.kit.commit((tx) => {
      const outcome = startDeal(this.kit.sql, show.status, input, this.kit.now());
      if (outcome.ok) {
        tx.emit({ type: "deal", deal: outcome.deal });
        tx.rearm();
      }
      return outcome;
    });
  }

  /** Ends the running deal now (the host's button). */
  end(): void {
    this.#close(this.kit.now(), true);
  }

  /** The show ended: so does any deal, in the same change (the replay sells at the regular price). */
  endWithShow(tx: Change): void {
    if (closeDeals(this.kit.sql, this.kit.now(), true) > 0) tx.emit({ type: "deal", deal: null });
  }

  /** Marks deals over (those whose time is up, or with `all` the running one) and announces the end once. */
  #close(now: number, all: boolean): void {
    this.kit.commit((tx) => {
      if (closeDeals(this.kit.sql, now, all) > 0) tx.emit({ type: "deal", deal: null });
    });
  }
}
