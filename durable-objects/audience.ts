/**
 * The audience: how many are watching, and their hearts. Neither is a
 * sequenced event (a heart from each of a thousand viewers would make every
 * client resync); both go out as batched ephemeral frames, at most one
 * presence frame per half second (less often for a big audience:
 * `presenceEveryMs`) and one hearts frame per 200 ms, and both are kept per
 * second of the room clock in `tallies`, so the show's history has them for
 * replays and analytics.
 */
import { headSeq } from "./event-log.ts";
import type { RateLimits } from "./rate-limits.ts";
import type { Handlers, RoomFeature, RoomKit } from "./room-kit.ts";
import { showRow } from "./show.ts";

const HEARTS_EVERY_MS = 200;

/**
 * How long the count waits after a change before it goes out: half a second, longer as the audience grows, so that
 * the whole audience (the Room's sockets and its shards' together) is sent at most ~2,000 presence frames a second,
 * and a viewer sees the count at least every 5 s. A count of thousands moves in hundreds between frames, as its
 * display does ("4,900", "12K", "1.2万"); in a join storm of 5,000 viewers, a presence frame to each of them twice a
 * second took a fifth of the room's time (bench/RESULTS.md).
 */
const presenceEveryMs = (viewers: number): number => Math.min(5000, Math.max(500, viewers / 2));

export const audienceSchema: RoomFeature["schema"] = {
  2: `CREATE TABLE IF NOT EXISTS tallies (
        second  INTEGER PRIMARY KEY,
        hearts  INTEGER NOT NULL DEFAULT 0 CHECK (hearts >= 0),
        viewers INTEGER CHECK (viewers >= 0)
      );`,
};

export class Audience implements RoomFeature {
  readonly schema = audienceSchema;
  #pendingHearts = 0;
  #heartsTimer: ReturnType<typeof setTimeout> | null = null;
  #presenceTimer: ReturnType<typeof setTimeout> | null = null;

  readonly handlers: Handlers = {
    react: (socket) => {
      if (showRow(this.kit.sql)!.status === "ended") return socket.refuse("show_ended", "The show has ended.");
      const wait = this.limits.take("react", socket.peer.viewerId);
      if (wait > 0) return socket.refuse("rate_limited", "Too many hearts at once; slow down a little.", wait);
      this.#pendingHearts += 1;
      this.#heartsTimer ??= setTimeout(() => this.#flushHearts(), HEARTS_EVERY_MS);
    },
  };

  constructor(
    private readonly kit: RoomKit,
    private readonly limits: RateLimits,
  ) {}

  onJoin(): void {
    this.#schedulePresence();
  }

  onLeave(): void {
    this.#schedulePresence();
  }

  #flushHearts(): void {
    this.#heartsTimer = null;
    const added = this.#pendingHearts;
    this.#pendingHearts = 0;
    if (added === 0) return;
    const sql = this.kit.sql;
    this.kit.storage.transactionSync(() => {
      sql.exec("UPDATE room SET reactions = reactions + ? WHERE id = 1", added);
      sql.exec(
        "INSERT INTO tallies (second, hearts) VALUES (?, ?) ON CONFLICT (second) DO UPDATE SET hearts = hearts + excluded.hearts",
        Math.floor(this.kit.now() / 1000), added,
      );
    });
    const total = showRow(sql)!.reactions;
    this.kit.broadcast({ type: "reactions", seq: headSeq(sql), added, total });
  }

  #schedulePresence(): void {
    this.#presenceTimer ??= setTimeout(() => {
      this.#presenceTimer = null;
      if (!showRow(this.kit.sql)) return;
      // A walk over the sockets at most once per tick, whatever the joins: it also corrects a count a lost close left.
      const viewers = this.kit.viewers(true);
      this.kit.sql.exec(
        "INSERT INTO tallies (second, viewers) VALUES (?, ?) ON CONFLICT (second) DO UPDATE SET viewers = excluded.viewers",
        Math.floor(this.kit.now() / 1000), viewers,
      );
      this.kit.broadcast({ type: "presence", seq: headSeq(this.kit.sql), viewers });
    }, presenceEveryMs(this.kit.viewers()));
  }
}
