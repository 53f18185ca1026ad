/**
 * The outbox: every order change the room commits is also queued here, in
 * the same transaction, and written to D1 afterwards with retries. So an
 * order the room acknowledged reaches D1 even if D1 is slow or down at that
 * moment, or the room is evicted or killed before the write.
 */
import type { OrderRow } from "./orders.ts";
import { sha256Hex } from "./random.ts";

const BATCH = 50;
const MAX_BACKOFF_MS = 60_000;

export function enqueue(sql: SqlStorage, orderId: string, version: number, now: number): void {
  sql.exec(
    `INSERT INTO outbox (order_id, version, attempts, next_at) VALUES (?, ?, 0, ?)
     ON CONFLICT (order_id) DO UPDATE SET version = excluded.version, next_at = excluded.next_at`,
    orderId, version, now,
  );
}

export function nextOutboxAttempt(sql: SqlStorage): number | null {
  return sql.exec<{ t: number | null }>("SELECT min(next_at) AS t FROM outbox").one().t;
}

export function pendingCount(sql: SqlStorage): number {
  return sql.exec<{ n: number }>("SELECT count(*) AS n FROM outbox").one().n;
}

/**
 * Writes due entries to D1. Rows are upserted with their version, so a write
 * that is retried, or overtaken by a newer one, never moves an order back.
 * An entry is removed only if it still has the version that was written (a
 * change made while the write was in flight stays queued).
 */
export async function drainOutbox(
  storage: DurableObjectStorage,
  db: D1Database,
  room: { room_id: string; shop_id: string },
  now: number,
): Promise<{ written: number; failed: number }> {
  const sql = storage.sql;
  const due = sql
    .exec<OrderRow & { queued_version: number; attempts: number }>(
      `SELECT orders.*, outbox.version AS queued_version, outbox.attempts
       FROM outbox JOIN orders ON orders.id = outbox.order_id
       WHERE outbox.next_at <= ? ORDER BY outbox.next_at LIMIT ?`,
      now, BATCH,
    )
    .toArray();
  if (due.length === 0) return { written: 0, failed: 0 };

  const statements = await Promise.all(
    due.map(async (o) =>
      db
        .prepare(
          `INSERT INTO orders (id, number, room_id, shop_id, product_id, title, quantity, unit_price_cents, total_cents, currency,
             status, payment, buyer_name, buyer_email, buyer_phone, fulfilment, address, ref, deal_id, token_hash, created_at, updated_at, version)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at, version = excluded.version
           WHERE excluded.version > orders.version`,
        )
        .bind(
          o.id, o.number, room.room_id, room.shop_id, o.product_id, o.title, o.quantity, o.unit_price_cents, o.total_cents, o.currency,
          o.status, o.payment, o.buyer_name, o.buyer_email, o.buyer_phone, o.fulfilment, o.address, o.ref, o.deal_id,
          await sha256Hex(o.token), o.created_at, o.updated_at, o.version,
        ),
    ),
  );
  try {
    await db.batch(statements);
  } catch (error) {
    console.warn(`outbox: D1 write of ${due.length} order(s) failed, will retry`, String(error));
    storage.transactionSync(() => {
      for (const o of due) {
        const backoff = Math.min(MAX_BACKOFF_MS, 250 * 2 ** o.attempts);
        sql.exec("UPDATE outbox SET attempts = attempts + 1, next_at = ? WHERE order_id = ?", Date.now() + backoff, o.id);
      }
    });
    return { written: 0, failed: due.length };
  }
  storage.transactionSync(() => {
    for (const o of due) sql.exec("DELETE FROM outbox WHERE order_id = ? AND version = ?", o.id, o.queued_version);
  });
  return { written: due.length, failed: 0 };
}
