/**
 * The show itself: what was set up (shop, title, start, the products and the
 * units each may sell), its status (scheduled → live → ended) and the pinned
 * product. CHECK constraints make the database refuse an impossible stock:
 * per product, listed = available + held + sold, each ≥ 0.
 */
import type { RoomProduct, RoomStatus } from "./protocol.ts";
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
  products: Array<Omit<RoomProduct, "left"> & { listed: number }>;
}

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
};

export function showRow(sql: SqlStorage): ShowRow | undefined {
  return sql.exec<ShowRow>("SELECT * FROM room WHERE id = 1").toArray()[0];
}

export function productRow(sql: SqlStorage, id: string): ProductRow | undefined {
  return sql.exec<ProductRow>("SELECT * FROM products WHERE id = ?", id).toArray()[0];
}

export function productView(row: ProductRow): RoomProduct {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    priceCents: row.price_cents,
    currency: row.currency,
    imageUrl: row.image_url,
    left: row.available,
  };
}

export function productList(sql: SqlStorage): RoomProduct[] {
  return sql.exec<ProductRow>("SELECT * FROM products ORDER BY position").toArray().map(productView);
}

/** The `product` event that tells every viewer a product's new count; emitted in the change that moved it. */
export function emitProduct(sql: SqlStorage, tx: Change, productId: string): void {
  tx.emit({ type: "product", product: productView(productRow(sql, productId)!) });
}

export class Show implements RoomFeature {
  readonly schema = showSchema;
  /** What else ends with the show (the stage empties, …), in the same change. */
  readonly onEnd: Array<(tx: Change) => void> = [];

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
    this.kit.commit(() => {
      sql.exec(
        `INSERT INTO room (id, room_id, shop_id, shop_name, title, starts_at, status, host_key_hash, guest_key_hash)
         VALUES (1, ?, ?, ?, ?, ?, 'scheduled', ?, ?)`,
        input.id, input.shopId, input.shopName, input.title, input.startsAt, input.hostKeyHash, input.guestKeyHash,
      );
      input.products.forEach((p, position) => {
        sql.exec(
          `INSERT INTO products (id, position, title, description, price_cents, currency, image_url, listed, available, held, sold)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0)`,
          p.id, position, p.title, p.description, p.priceCents, p.currency, p.imageUrl, p.listed, p.listed,
        );
      });
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
    });
    return null;
  }
}
