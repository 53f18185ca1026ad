/**
 * The show's numbers, counted by the Room that sees everything first. It
 * keeps what the log, the tallies and the orders do not: each viewer's
 * visits (socket joins and leaves) and what viewers looked at (card views,
 * checkout opens, replay watching, page visits). FLUSH_EVERY_MS after
 * something changed it recomputes the rows
 * (numbers-count.ts) and queues those that changed in the outbox (topic
 * `numbers`): the outbox writes them to D1 with retries, each an upsert of
 * absolute figures, so a retried or repeated write counts once.
 */
import { countShow, type Action, type ShowNumbers } from "./numbers-count.ts";
import { enqueue, type TopicWriter } from "./outbox.ts";
import { statusTimes } from "./event-log.ts";
import { isShardLink } from "./shards.ts";
import type { Handlers, RoomFeature, RoomKit, Socket } from "./room-kit.ts";
import { showRow } from "./show.ts";

/** The figures lag the show by at most this (plus one D1 write). */
export const FLUSH_EVERY_MS = 2_000;
/** While the show is live and someone watches, it is counted at least once a minute, even when nothing else happens. */
export const QUIET_COUNT_MS = 60_000;

export type TrackWhat = Action["what"];

export const numbersSchema: RoomFeature["schema"] = {
  10: `CREATE TABLE IF NOT EXISTS numbers_visits (
         id        INTEGER PRIMARY KEY,
         viewer_id TEXT NOT NULL,
         joined_at INTEGER NOT NULL,
         left_at   INTEGER
       );
       CREATE INDEX numbers_visits_open ON numbers_visits (viewer_id) WHERE left_at IS NULL;
       CREATE TABLE IF NOT EXISTS numbers_actions (
         id         INTEGER PRIMARY KEY,
         at         INTEGER NOT NULL,
         what       TEXT NOT NULL CHECK (what IN ('visit', 'card', 'checkout', 'watch')),
         viewer_id  TEXT,
         product_id TEXT,
         ref        TEXT,
         -- A viewer's card view, checkout open or watching counts once per product and minute.
         once       TEXT UNIQUE
       );
       -- What was last queued for D1 under each key: only rows that changed are written again.
       CREATE TABLE IF NOT EXISTS numbers_sent (
         key TEXT PRIMARY KEY,
         row TEXT NOT NULL
       );`,
  // Which audience shard a visit's socket is on (null: the Room's own): a shard's viewers are not the Room's sockets.
  15: `ALTER TABLE numbers_visits ADD COLUMN shard INTEGER;`,
};

const MINUTE = 60_000;

/**
 * Who is watching, for closing visits whose close was lost: the Room's own open sockets with a tag, and how many
 * viewers a shard holds as it last said (null while that is not known: its visits are left as they are).
 */
export interface Watching {
  connected(tag: string): number;
  onShard(shard: number): number | null;
}

export class Numbers implements RoomFeature {
  readonly schema = numbersSchema;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #version = 0;
  /** When this process last counted (0: not yet). */
  #countedAt = 0;

  readonly handlers: Handlers = {
    track: (socket, message) => {
      // Every frame is rate-limited already, and a viewer's repeats within a minute count once.
      if (socket.peer.role !== "viewer") return;
      this.track(message.what, socket.peer.viewerId, message.productId ?? null, null);
    },
  };

  constructor(
    private readonly kit: RoomKit,
    private readonly watching: Watching,
  ) {}

  /**
   * Something the numbers count changed (a committed change, a visit): they
   * are counted within FLUSH_EVERY_MS. A timer, not the room's alarm: the
   * count is rebuilt from storage each time, so a timer lost with the
   * process loses nothing (the Room touches again when it starts, and the
   * minute's alarm below comes back). Nothing else keeps the Room awake, so
   * a quiet room still hibernates.
   */
  touch(): void {
    this.#timer ??= setTimeout(() => this.#countSoon(), FLUSH_EVERY_MS);
  }

  #countSoon(): void {
    this.#timer = null;
    try {
      if (this.countNow().queued > 0) this.kit.drainSoon();
    } catch (error) {
      console.error("numbers: counting failed, will count again", error);
    }
  }

  /**
   * The room's clock, while the show is live and someone watches: the
   * minute after the last live minute counted. A quiet show's viewers and
   * watch time still move in its numbers each minute, and a count lost with
   * the process (its timer) is made by the alarm, which outlives it.
   */
  nextDue(): number | null {
    if (showRow(this.kit.sql)?.status !== "live" || !this.#watching()) return null;
    const last = this.kit.sql
      .exec<{ minute: number | null }>("SELECT max(json_extract(row, '$.minute')) AS minute FROM numbers_sent WHERE key LIKE 'm:%:live'")
      .one().minute;
    // A second into the next minute, so that the count has that minute's row; never sooner than a flush after the
    // last count. Before the first live count, the touch's timer counts first; the alarm stands by a minute away.
    const due = last === null ? this.kit.now() + QUIET_COUNT_MS : last + QUIET_COUNT_MS + 1_000;
    return Math.max(due, this.#countedAt + FLUSH_EVERY_MS);
  }

  onDue(): void {
    if (this.countNow().queued > 0) this.kit.drainSoon();
  }

  #watching(): boolean {
    return this.kit.sql.exec("SELECT 1 FROM numbers_visits WHERE left_at IS NULL LIMIT 1").toArray().length > 0;
  }

  /** A viewer looked at something (or a page was visited: no viewer, maybe a referral code). */
  track(what: TrackWhat, viewerId: string | null, productId: string | null, ref: string | null): void {
    const now = this.kit.now();
    const once = what === "visit" ? null : `${what}:${viewerId}:${productId ?? ""}:${now - (now % MINUTE)}`;
    // Through a change, so that the alarm that counts it is armed.
    this.kit.commit(() =>
      this.kit.sql.exec(
        "INSERT INTO numbers_actions (at, what, viewer_id, product_id, ref, once) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (once) DO NOTHING",
        now, what, viewerId, productId, ref, once,
      ),
    );
  }

  onJoin(socket: Socket): void {
    this.onViewers([socket], []);
  }

  onLeave(socket: Socket): void {
    this.onViewers([], [socket]);
  }

  /** Viewers joined and left (one socket here, or a shard's report of hundreds): their visits, in one commit. */
  onViewers(joined: Socket[], left: Socket[]): void {
    const [arrived, gone] = [joined.filter(isViewer), left.filter(isViewer)];
    if (arrived.length === 0 && gone.length === 0) return;
    const now = this.kit.now();
    this.kit.commit((tx) => {
      const first = !this.#watching();
      for (const socket of arrived) this.#visit(socket.peer.viewerId, now, shardOf(socket));
      // One of the viewer's open visits ends (two tabs are two visits; the count unites them).
      for (const socket of gone) {
        this.kit.sql.exec(
          "UPDATE numbers_visits SET left_at = ? WHERE id = (SELECT max(id) FROM numbers_visits WHERE viewer_id = ? AND shard IS ? AND left_at IS NULL)",
          now, socket.peer.viewerId, shardOf(socket),
        );
      }
      // The first viewer of a live show starts the minute's clock (the others find it running).
      if (first && arrived.length > 0) tx.rearm();
    });
  }

  /** A visit starts (one per socket; `shard` null: on the Room itself). */
  #visit(viewerId: string, at: number, shard: number | null): void {
    this.kit.sql.exec("INSERT INTO numbers_visits (viewer_id, joined_at, shard) VALUES (?, ?, ?)", viewerId, at, shard);
  }

  /**
   * Every viewer a shard holds, as it says on a new link: its open visits become exactly these (one per socket). A
   * shard that was cut off for longer than `lostMs` had its visits closed, but its viewers watched on: they are
   * visiting again from now; a visit whose close was lost is closed.
   */
  shardAudience(shard: number, viewerIds: string[]): void {
    const sql = this.kit.sql;
    const wanted = new Map<string, number>();
    for (const viewerId of viewerIds) wanted.set(viewerId, (wanted.get(viewerId) ?? 0) + 1);
    const open = new Map(
      sql.exec<{ viewer_id: string; n: number }>("SELECT viewer_id, count(*) AS n FROM numbers_visits WHERE left_at IS NULL AND shard = ? GROUP BY viewer_id", shard)
        .toArray()
        .map((row) => [row.viewer_id, row.n]),
    );
    const now = this.kit.now();
    this.kit.commit((tx) => {
      const first = !this.#watching();
      for (const [viewerId, n] of wanted) {
        for (let i = open.get(viewerId) ?? 0; i < n; i++) this.#visit(viewerId, now, shard);
      }
      for (const [viewerId, n] of open) {
        const extra = n - (wanted.get(viewerId) ?? 0);
        if (extra <= 0) continue;
        sql.exec(
          "UPDATE numbers_visits SET left_at = ? WHERE id IN (SELECT id FROM numbers_visits WHERE left_at IS NULL AND shard = ? AND viewer_id = ? ORDER BY id LIMIT ?)",
          now, shard, viewerId, extra,
        );
      }
      if (first && this.#watching()) tx.rearm();
    });
  }

  /** Recounts and queues every row that changed since it was last queued. */
  countNow(): ShowNumbers & { queued: number } {
    const sql = this.kit.sql;
    const show = showRow(sql);
    if (!show) return { minutes: [], products: [], phases: [], referrals: [], queued: 0 };
    this.#closeLostVisits();
    this.#countedAt = this.kit.now();
    const numbers = countShow(this.#input());
    const rows: Array<[string, unknown]> = [
      ...numbers.minutes.map((r) => [`m:${r.minute}:${r.phase}`, r] as [string, unknown]),
      ...numbers.products.map((r) => [`p:${r.minute}:${r.phase}:${r.productId}`, r] as [string, unknown]),
      ...numbers.phases.map((r) => [`f:${r.phase}`, r] as [string, unknown]),
      ...numbers.referrals.map((r) => [`r:${r.code}`, r] as [string, unknown]),
    ];
    // The version only grows, so D1 never takes an older row over a newer one.
    const version = (this.#version = Math.max(this.kit.now(), this.#version + 1));
    let queued = 0;
    this.kit.storage.transactionSync(() => {
      const now = this.kit.now();
      const sent = new Map(sql.exec<{ key: string; row: string }>("SELECT key, row FROM numbers_sent").toArray().map((r) => [r.key, r.row]));
      // A row no longer counted (its only order was cancelled) is written as zeros, so D1 forgets it too.
      const counted = new Set(rows.map(([key]) => key));
      for (const [key, row] of sent) if (!counted.has(key)) rows.push([key, zeroed(JSON.parse(row) as Record<string, unknown>)]);
      for (const [key, row] of rows) {
        const text = JSON.stringify(row);
        if (sent.get(key) === text) continue;
        sql.exec("INSERT INTO numbers_sent (key, row) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET row = excluded.row", key, text);
        enqueue(sql, "numbers", key, version, row, now);
        queued += 1;
      }
    });
    return { ...numbers, queued };
  }

  /**
   * Visits whose socket is gone without its close being seen (a crash, a lost close): on the Room, a viewer's visits
   * beyond its open sockets; on a shard, beyond the count the shard last reported, oldest first (a viewer of a shard
   * that died with its sockets left before anyone who joined it since).
   */
  #closeLostVisits(): void {
    const sql = this.kit.sql;
    const close = (where: string, limit: number, ...values: Array<string | number>) =>
      sql.exec(`UPDATE numbers_visits SET left_at = ? WHERE id IN (SELECT id FROM numbers_visits WHERE left_at IS NULL AND ${where} ORDER BY id LIMIT ?)`, this.kit.now(), ...values, limit);
    const here = sql.exec<{ viewer_id: string; n: number }>("SELECT viewer_id, count(*) AS n FROM numbers_visits WHERE left_at IS NULL AND shard IS NULL GROUP BY viewer_id").toArray();
    for (const { viewer_id, n } of here) {
      const extra = n - this.watching.connected(`viewer:${viewer_id}`);
      if (extra > 0) close("shard IS NULL AND viewer_id = ?", extra, viewer_id);
    }
    const onShards = sql.exec<{ shard: number; n: number }>("SELECT shard, count(*) AS n FROM numbers_visits WHERE left_at IS NULL AND shard IS NOT NULL GROUP BY shard").toArray();
    for (const { shard, n } of onShards) {
      const reported = this.watching.onShard(shard);
      if (reported !== null && n > reported) close("shard = ?", n - reported, shard);
    }
  }

  #input() {
    const sql = this.kit.sql;
    const { liveAt, endedAt } = statusTimes(sql);
    const events = sql
      .exec<{ at: number | null; type: string; product_id: string | null }>(
        `SELECT at, json_extract(body, '$.type') AS type, json_extract(body, '$.productId') AS product_id
           FROM events WHERE json_extract(body, '$.type') IN ('chat', 'pin') AND at IS NOT NULL ORDER BY seq`,
      )
      .toArray();
    return {
      liveAt,
      endedAt,
      now: this.kit.now(),
      chat: events.filter((e) => e.type === "chat").map((e) => e.at!),
      pins: events.filter((e) => e.type === "pin").map((e) => ({ at: e.at!, productId: e.product_id })),
      tallies: sql.exec<{ second: number; hearts: number; viewers: number | null }>("SELECT second, hearts, viewers FROM tallies ORDER BY second").toArray(),
      visits: sql
        .exec<{ viewerId: string; joinedAt: number; leftAt: number | null }>("SELECT viewer_id AS viewerId, joined_at AS joinedAt, left_at AS leftAt FROM numbers_visits")
        .toArray(),
      actions: sql
        .exec<Action>("SELECT at, what, viewer_id AS viewerId, product_id AS productId, ref FROM numbers_actions ORDER BY id")
        .toArray(),
      orders: sql
        .exec<{ at: number; productId: string; quantity: number; totalCents: number; buyer: string; ref: string | null }>(
          `SELECT created_at AS at, product_id AS productId, quantity, total_cents AS totalCents, lower(buyer_email) AS buyer, ref
             FROM orders WHERE status = 'confirmed'`,
        )
        .toArray(),
    };
  }
}

/** A row with every figure 0 (its key fields kept). */
function zeroed(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([field, value]) => [field, typeof value === "number" && field !== "minute" ? 0 : value]));
}

/** The numbers' rows for D1: each entry's payload is the row as counted, written whole (an upsert, newest version wins). */
export const writeNumbers: TopicWriter = async ({ db, show }, entries) => {
  const room = show.room_id;
  return entries.flatMap((entry) => {
    if (!entry.payload) return [];
    const r = JSON.parse(entry.payload) as Record<string, number | string>;
    const v = entry.version;
    switch (entry.key[0]) {
      case "m":
        return [
          db
            .prepare(
              `INSERT INTO show_minutes (room_id, minute, phase, peak_viewers, viewer_ms, unique_viewers, visits, chat_messages, hearts, orders, units, revenue_cents, version)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (room_id, minute, phase) DO UPDATE SET peak_viewers = excluded.peak_viewers, viewer_ms = excluded.viewer_ms,
                 unique_viewers = excluded.unique_viewers, visits = excluded.visits, chat_messages = excluded.chat_messages, hearts = excluded.hearts,
                 orders = excluded.orders, units = excluded.units, revenue_cents = excluded.revenue_cents, version = excluded.version
               WHERE excluded.version >= show_minutes.version`,
            )
            .bind(room, r.minute, r.phase, r.peakViewers, r.viewerMs, r.uniqueViewers, r.visits, r.chatMessages, r.hearts, r.orders, r.units, r.revenueCents, v),
        ];
      case "p":
        return [
          db
            .prepare(
              `INSERT INTO show_product_minutes (room_id, minute, phase, product_id, pinned_ms, card_views, checkout_opens, orders, units, revenue_cents, version)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (room_id, minute, phase, product_id) DO UPDATE SET pinned_ms = excluded.pinned_ms, card_views = excluded.card_views,
                 checkout_opens = excluded.checkout_opens, orders = excluded.orders, units = excluded.units, revenue_cents = excluded.revenue_cents,
                 version = excluded.version
               WHERE excluded.version >= show_product_minutes.version`,
            )
            .bind(room, r.minute, r.phase, r.productId, r.pinnedMs, r.cardViews, r.checkoutOpens, r.orders, r.units, r.revenueCents, v),
        ];
      case "f":
        return [
          db
            .prepare(
              `INSERT INTO show_phases (room_id, phase, unique_viewers, watch_ms, peak_viewers, visits, buyers, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (room_id, phase) DO UPDATE SET unique_viewers = excluded.unique_viewers, watch_ms = excluded.watch_ms,
                 peak_viewers = excluded.peak_viewers, visits = excluded.visits, buyers = excluded.buyers, version = excluded.version
               WHERE excluded.version >= show_phases.version`,
            )
            .bind(room, r.phase, r.uniqueViewers, r.watchMs, r.peakViewers, r.visits, r.buyers, v),
        ];
      case "r":
        return [
          db
            .prepare(
              `INSERT INTO show_referrals (room_id, code, visits, orders, units, revenue_cents, version) VALUES (?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (room_id, code) DO UPDATE SET visits = excluded.visits, orders = excluded.orders, units = excluded.units,
                 revenue_cents = excluded.revenue_cents, version = excluded.version
               WHERE excluded.version >= show_referrals.version`,
            )
            .bind(room, r.code, r.visits, r.orders, r.units, r.revenueCents, v),
        ];
      default:
        return [];
    }
  });
};

const isViewer = (socket: Socket) => socket.peer.role === "viewer";
/** The shard a socket is on (its connection is that shard's link), or null: the Room's own. */
const shardOf = (socket: Socket): number | null => (isShardLink(socket.connection.state) ? socket.connection.state.shard : null);
