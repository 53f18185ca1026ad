/**
 * The show itself: what was set up (shop, title, start, the products and the
 * units each may sell), its status (scheduled → live → ended) and the pinned
 * product. CHECK constraints make the database refuse an impossible stock:
 * per product, listed = available + held + sold, each ≥ 0; the same per
 * variant, and a product with variants counts the sum of theirs (every
 * change moves the variant's row and its product's row together).
 */
import type { ProductPhoto, RoomProduct, RoomStatus, RoomVariant } from "./protocol.ts";
import { noShow, refuse, type Refusal } from "./refusal.ts";
import type { Change, Handlers, RoomFeature, RoomKit } from "./room-kit.ts";

/** What the Worker hands a new room (after writing it to D1). */
export interface RoomSetup {
  id: string;
  shopId: string;
  shopName: string;
  title: string;
  startsAt: string | null;
  hostKeyHash: string;
  guestKeyHash: string;
  products: Array<ProductSetup>;
}

/** A product as the show lists it: what viewers see of it, and the units of it (or of each of its variants) for sale. */
export type ProductSetup = Omit<RoomProduct, "left" | "variants" | "optionNames" | "photos"> & {
  listed: number;
  optionNames?: string[];
  photos?: ProductPhoto[];
  /** When present and not empty, `listed` must be their sum. */
  variants?: Array<Omit<RoomVariant, "left" | "priceCents"> & { priceCents: number | null; listed: number }>;
};

/** A change to a show that has not started: its title or planned start, or "cancel". */
export type ShowEdit = { title?: string; startsAt?: string | null } | "cancel";

export type ShowRow = {
  room_id: string;
  shop_id: string;
  shop_name: string;
  title: string;
  starts_at: string | null;
  status: RoomStatus;
  pinned_product_id: string | null;
  reactions: number;
  head_seq: number;
  host_key_hash: string;
  guest_key_hash: string;
};

export type ProductRow = {
  id: string;
  title: string;
  description: string | null;
  price_cents: number;
  currency: string;
  image_url: string | null;
  available: number;
  option_names: string | null;
  photos: string | null;
};

export type VariantRow = {
  id: string;
  product_id: string;
  position: number;
  options: string;
  sku: string | null;
  price_cents: number | null;
  listed: number;
  available: number;
  held: number;
  sold: number;
};

export const showSchema: RoomFeature["schema"] = {
  1: `CREATE TABLE IF NOT EXISTS room (
        id                INTEGER PRIMARY KEY CHECK (id = 1),
        room_id           TEXT NOT NULL,
        shop_id           TEXT NOT NULL,
        shop_name         TEXT NOT NULL,
        title             TEXT NOT NULL,
        starts_at         TEXT,
        status            TEXT NOT NULL CHECK (status IN ('scheduled', 'live', 'ended')),
        pinned_product_id TEXT,
        reactions         INTEGER NOT NULL DEFAULT 0 CHECK (reactions >= 0),
        head_seq          INTEGER NOT NULL DEFAULT 0,
        host_key_hash     TEXT NOT NULL,
        guest_key_hash    TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS products (
        id          TEXT PRIMARY KEY,
        position    INTEGER NOT NULL,
        title       TEXT NOT NULL,
        description TEXT,
        price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
        currency    TEXT NOT NULL,
        image_url   TEXT,
        listed      INTEGER NOT NULL CHECK (listed >= 0),
        available   INTEGER NOT NULL CHECK (available >= 0),
        held        INTEGER NOT NULL CHECK (held >= 0),
        sold        INTEGER NOT NULL CHECK (sold >= 0),
        CHECK (listed = available + held + sold)
      );`,
  // Variants (size × colour) with their own stock, and the product's photos.
  6: `ALTER TABLE products ADD COLUMN option_names TEXT;
      ALTER TABLE products ADD COLUMN photos TEXT;
      CREATE TABLE variants (
        id          TEXT PRIMARY KEY,
        product_id  TEXT NOT NULL REFERENCES products(id),
        position    INTEGER NOT NULL,
        options     TEXT NOT NULL,
        sku         TEXT,
        price_cents INTEGER CHECK (price_cents >= 0),
        listed      INTEGER NOT NULL CHECK (listed >= 0),
        available   INTEGER NOT NULL CHECK (available >= 0),
        held        INTEGER NOT NULL CHECK (held >= 0),
        sold        INTEGER NOT NULL CHECK (sold >= 0),
        CHECK (listed = available + held + sold)
      );
      CREATE INDEX variants_by_product ON variants (product_id, position);`,
};

export function showRow(sql: SqlStorage): ShowRow | undefined {
  return sql.exec<ShowRow>("SELECT * FROM room WHERE id = 1").toArray()[0];
}

export function productRow(sql: SqlStorage, id: string): ProductRow | undefined {
  return sql.exec<ProductRow>("SELECT * FROM products WHERE id = ?", id).toArray()[0];
}

export function variantRow(sql: SqlStorage, id: string): VariantRow | undefined {
  return sql.exec<VariantRow>("SELECT * FROM variants WHERE id = ?", id).toArray()[0];
}

export function variantsOf(sql: SqlStorage, productId: string): VariantRow[] {
  return sql.exec<VariantRow>("SELECT * FROM variants WHERE product_id = ? ORDER BY position", productId).toArray();
}

/** Moves `quantity` units of a product (and of its variant, if any) from one counter to another, in the caller's transaction. */
export function moveUnits(sql: SqlStorage, productId: string, variantId: string | null, from: StockCounter, to: StockCounter, quantity: number): void {
  const set = `${from} = ${from} - ?, ${to} = ${to} + ?`;
  sql.exec(`UPDATE products SET ${set} WHERE id = ?`, quantity, quantity, productId);
  if (variantId) sql.exec(`UPDATE variants SET ${set} WHERE id = ? AND product_id = ?`, quantity, quantity, variantId, productId);
}
export type StockCounter = "available" | "held" | "sold";

function variantView(row: VariantRow, product: ProductRow): RoomVariant {
  return { id: row.id, options: JSON.parse(row.options) as string[], sku: row.sku, priceCents: row.price_cents ?? product.price_cents, left: row.available };
}

export function productView(row: ProductRow, variants: VariantRow[]): RoomProduct {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    priceCents: row.price_cents,
    currency: row.currency,
    imageUrl: row.image_url,
    left: row.available,
    optionNames: row.option_names ? (JSON.parse(row.option_names) as string[]) : [],
    variants: variants.map((variant) => variantView(variant, row)),
    photos: row.photos ? (JSON.parse(row.photos) as ProductPhoto[]) : [],
  };
}

export function productList(sql: SqlStorage): RoomProduct[] {
  const variants = sql.exec<VariantRow>("SELECT * FROM variants ORDER BY position").toArray();
  return sql
    .exec<ProductRow>("SELECT * FROM products ORDER BY position")
    .toArray()
    .map((row) => productView(row, variants.filter((variant) => variant.product_id === row.id)));
}

/** The `product` event that tells every viewer a product's new count; emitted in the change that moved it. */
export function emitProduct(sql: SqlStorage, tx: Change, productId: string): void {
  tx.emit({ type: "product", product: productView(productRow(sql, productId)!, variantsOf(sql, productId)) });
}

export class Show implements RoomFeature {
  readonly schema = showSchema;
  /** What else ends with the show (the stage empties, …), in the same change. */
  readonly onEnd: Array<(tx: Change) => void> = [];
  /** What follows the show going live, in the same change. */
  readonly onLive: Array<(tx: Change) => void> = [];
  /** What follows any change of its status, pin or planned start (reminders), in the same change. */
  readonly onChange: Array<(tx: Change) => void> = [];

  readonly handlers: Handlers = {
    pin: (socket, message) => {
      const result = this.pin(message.productId);
      if (result) socket.refuse(result.code === "not_found" ? "not_found" : "invalid_message", result.message);
    },
    status: (socket, message) => {
      const result = this.setStatus(message.status);
      if (result) socket.refuse(result.code === "invalid_transition" ? "invalid_transition" : "not_found", result.message);
    },
  };

  constructor(private readonly kit: RoomKit) {}

  /** Writes the show once; a repeated call with the same id changes nothing. */
  setup(input: RoomSetup): Refusal | null {
    const existing = showRow(this.kit.sql);
    if (existing) {
      return existing.room_id === input.id ? null : refuse("invalid_request", `This room is already set up as ${existing.room_id}.`);
    }
    const sql = this.kit.sql;
    this.kit.commit((tx) => {
      sql.exec(
        `INSERT INTO room (id, room_id, shop_id, shop_name, title, starts_at, status, host_key_hash, guest_key_hash)
         VALUES (1, ?, ?, ?, ?, ?, 'scheduled', ?, ?)`,
        input.id, input.shopId, input.shopName, input.title, input.startsAt, input.hostKeyHash, input.guestKeyHash,
      );
      input.products.forEach((p, position) => {
        const variants = p.variants ?? [];
        // A product with variants has exactly their units: the CHECKs then hold for the sum as for each.
        const listed = variants.length ? variants.reduce((sum, v) => sum + v.listed, 0) : p.listed;
        sql.exec(
          `INSERT INTO products (id, position, title, description, price_cents, currency, image_url, listed, available, held, sold, option_names, photos)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?)`,
          p.id, position, p.title, p.description, p.priceCents, p.currency, p.imageUrl, listed, listed,
          variants.length ? JSON.stringify(p.optionNames ?? []) : null, p.photos?.length ? JSON.stringify(p.photos) : null,
        );
        variants.forEach((v, i) => {
          sql.exec(
            `INSERT INTO variants (id, product_id, position, options, sku, price_cents, listed, available, held, sold)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0)`,
            v.id, p.id, i, JSON.stringify(v.options), v.sku, v.priceCents, v.listed, v.listed,
          );
        });
      });
      for (const follow of this.onChange) follow(tx);
    });
    return null;
  }

  /** Pins a product of the show (or unpins with null); null when done. */
  pin(productId: string | null): Refusal | null {
    const show = showRow(this.kit.sql);
    if (!show) return noShow();
    if (productId !== null && !productRow(this.kit.sql, productId)) return refuse("not_found", `Product ${productId} is not part of this show.`);
    if (show.pinned_product_id === productId) return null;
    this.kit.commit((tx) => {
      this.kit.sql.exec("UPDATE room SET pinned_product_id = ? WHERE id = 1", productId);
      tx.emit({ type: "pin", productId });
      for (const follow of this.onChange) follow(tx);
    });
    return null;
  }

  /**
   * Before the show goes live, the shop may change its title and planned
   * start (every viewer is told at once: a `details` event), or cancel it
   * (it ends without having been live). Once live or ended, refused; an
   * empty change only checks that it is still allowed.
   */
  edit(change: ShowEdit): Refusal | null {
    const show = showRow(this.kit.sql);
    if (!show) return noShow();
    if (show.status !== "scheduled") {
      return refuse("invalid_transition", show.status === "live" ? "This show is live: it can no longer be changed or cancelled." : "This show has ended: it can no longer be changed or cancelled.");
    }
    if (change === "cancel") return this.setStatus("ended");
    const title = change.title ?? show.title;
    const startsAt = change.startsAt === undefined ? show.starts_at : change.startsAt;
    if (title === show.title && startsAt === show.starts_at) return null;
    this.kit.commit((tx) => {
      this.kit.sql.exec("UPDATE room SET title = ?, starts_at = ? WHERE id = 1", title, startsAt);
      tx.emit({ type: "details", title, startsAt });
      for (const follow of this.onChange) follow(tx);
    });
    return null;
  }

  /** scheduled → live → ended; null when done (or already so). */
  setStatus(status: "live" | "ended"): Refusal | null {
    const show = showRow(this.kit.sql);
    if (!show) return noShow();
    if (show.status === status) return null;
    if (show.status === "ended") {
      return refuse("invalid_transition", "This show has ended; it cannot go live again. Create a new room for a new show.");
    }
    this.kit.commit((tx) => {
      this.kit.sql.exec("UPDATE room SET status = ? WHERE id = 1", status);
      tx.emit({ type: "status", status });
      if (status === "ended") for (const end of this.onEnd) end(tx);
      if (status === "live") for (const live of this.onLive) live(tx);
      for (const follow of this.onChange) follow(tx);
    });
    return null;
  }
}
