/**
 * The outbox: what the room still has to write elsewhere. Every entry is
 * queued in the same transaction as the change it reports (see `Change.
 * enqueue`) and written afterwards with retries and backoff, so a change the
 * room acknowledged reaches D1 even if D1 is slow or down at that moment, or
 * the room is evicted or killed before the write.
 *
 * Entries are keyed by (topic, key) with a version: a newer change of the
 * same thing replaces the queued one, and an entry is removed only if it
 * still has the version that was written (a change made while the write was
 * in flight stays queued). Each topic has a writer that turns due entries
 * into D1 statements; all due entries go in one D1 batch.
 */
import type { OutboxTopic, RoomFeature, RoomKit } from "./room-kit.ts";
import { isRehearsal } from "./rehearsal.ts";
import type { ShowRow } from "./show.ts";

const BATCH = 50;
const MAX_BACKOFF_MS = 60_000;

export type OutboxEntry = { topic: OutboxTopic; key: string; version: number; payload: string | null; attempts: number };

/** Turns due entries of one topic into D1 statements (each statement an idempotent, versioned upsert). */
export type TopicWriter = (room: { db: D1Database; sql: SqlStorage; show: ShowRow }, entries: OutboxEntry[]) => Promise<D1PreparedStatement[]>;
/** Runs after a topic's entries were written to D1 (hands them on, e.g. to a queue); must not throw: a sweep repairs what it missed. */
export type TopicFollower = (env: Env, entries: OutboxEntry[]) => Promise<void>;
/** Does what one entry of a topic asks outside D1 (an email handed to the email queue); throws to be retried. */
export type TopicSender = (room: { db: D1Database; sql: SqlStorage; show: ShowRow; env: Env }, entry: OutboxEntry) => Promise<void>;

export const outboxSchema: RoomFeature["schema"] = {
  1: `CREATE TABLE IF NOT EXISTS outbox (
        order_id TEXT PRIMARY KEY REFERENCES orders(id),
        version  INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_at  INTEGER NOT NULL
      );`,
  // From order changes only to any topic. Rooms from before keep what they had queued.
  2: `ALTER TABLE outbox RENAME TO outbox_orders_v1;
      CREATE TABLE outbox (
        topic    TEXT NOT NULL,
        key      TEXT NOT NULL,
        version  INTEGER NOT NULL,
        payload  TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_at  INTEGER NOT NULL,
        PRIMARY KEY (topic, key)
      );
      CREATE INDEX outbox_due ON outbox (next_at);
      INSERT INTO outbox (topic, key, version, attempts, next_at)
        SELECT 'order', order_id, version, attempts, next_at FROM outbox_orders_v1;
      DROP TABLE outbox_orders_v1;`,
};

export function enqueue(sql: SqlStorage, topic: OutboxTopic, key: string, version: number, payload: unknown, now: number): void {
  sql.exec(
    `INSERT INTO outbox (topic, key, version, payload, attempts, next_at) VALUES (?, ?, ?, ?, 0, ?)
     ON CONFLICT (topic, key) DO UPDATE SET version = excluded.version, payload = excluded.payload, next_at = excluded.next_at`,
    topic, key, version, payload === undefined ? null : JSON.stringify(payload), now,
  );
}

export class Outbox implements RoomFeature {
  readonly schema = outboxSchema;
  #draining: Promise<void> | null = null;

  constructor(
    private readonly kit: RoomKit,
    private readonly show: () => ShowRow | undefined,
    private readonly writers: Partial<Record<OutboxTopic, TopicWriter>>,
    private readonly senders: Partial<Record<OutboxTopic, TopicSender>> = {},
    private readonly followers: Partial<Record<OutboxTopic, TopicFollower>> = {},
  ) {}

  nextDue(): number | null {
    return this.kit.sql.exec<{ t: number | null }>("SELECT min(next_at) AS t FROM outbox").one().t;
  }

  onDue(): Promise<void> {
    return this.drain();
  }

  /** One drain at a time; a drain asked for while one runs follows it. */
  drain(): Promise<void> {
    const run = () => this.#drainOnce().then(() => undefined);
    const next = (this.#draining ?? Promise.resolve()).then(run, run).finally(() => {
      if (this.#draining === next) this.#draining = null;
    });
    this.#draining = next;
    return next;
  }

  async #drainOnce(): Promise<{ written: number; failed: number }> {
    const show = this.show();
    if (!show) return { written: 0, failed: 0 };
    const sql = this.kit.sql;
    const due = sql
      .exec<OutboxEntry>("SELECT topic, key, version, payload, attempts FROM outbox WHERE next_at <= ? ORDER BY next_at LIMIT ?", this.kit.now(), BATCH)
      .toArray();
    if (due.length === 0) return { written: 0, failed: 0 };
    // A rehearsal's orders are test orders and its emails are never sent: nothing it queues leaves the room.
    if (isRehearsal(show.room_id)) {
      this.#done(due);
      return { written: due.length, failed: 0 };
    }
    const rows = due.filter((e) => this.writers[e.topic]);
    const sends = due.filter((e) => !this.writers[e.topic]);
    let written = 0;
    let failed = 0;
    // D1 writes first, all in one batch: it all goes, or it all waits.
    if (rows.length) {
      const byTopic = new Map<OutboxTopic, OutboxEntry[]>();
      for (const entry of rows) byTopic.set(entry.topic, [...(byTopic.get(entry.topic) ?? []), entry]);
      try {
        const statements = (await Promise.all([...byTopic].map(([topic, entries]) => this.writers[topic]!({ db: this.kit.env.DB, sql, show }, entries)))).flat();
        if (statements.length) await this.kit.env.DB.batch(statements);
        this.#done(rows);
        written += rows.length;
        for (const [topic, entries] of byTopic) await this.followers[topic]?.(this.kit.env, entries);
      } catch (error) {
        console.warn(`outbox: writing ${rows.length} entr${rows.length === 1 ? "y" : "ies"} to D1 failed, will retry`, String(error));
        this.#later(rows);
        failed += rows.length;
      }
    }
    // Then each send on its own, so one that fails is retried without repeating the others.
    for (const entry of sends) {
      try {
        await this.senders[entry.topic]!({ db: this.kit.env.DB, sql, show, env: this.kit.env }, entry);
        this.#done([entry]);
        written += 1;
      } catch (error) {
        console.warn(`outbox: ${entry.topic} ${entry.key} failed, will retry`, String(error));
        this.#later([entry]);
        failed += 1;
      }
    }
    return { written, failed };
  }

  /** Written: gone from the outbox, unless a newer version was queued meanwhile. */
  #done(entries: OutboxEntry[]): void {
    const sql = this.kit.sql;
    this.kit.storage.transactionSync(() => {
      for (const e of entries) sql.exec("DELETE FROM outbox WHERE topic = ? AND key = ? AND version = ?", e.topic, e.key, e.version);
    });
  }

  /** Failed: tried again after a backoff that grows with each attempt. */
  #later(entries: OutboxEntry[]): void {
    const sql = this.kit.sql;
    this.kit.storage.transactionSync(() => {
      for (const e of entries) {
        const backoff = Math.min(MAX_BACKOFF_MS, 250 * 2 ** e.attempts);
        sql.exec("UPDATE outbox SET attempts = attempts + 1, next_at = ? WHERE topic = ? AND key = ?", Date.now() + backoff, e.topic, e.key);
      }
    });
  }
}
