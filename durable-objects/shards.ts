/**
 * Audience shards, as the Room sees them: where a new viewer's socket goes,
 * and the link over which a shard hears the room.
 *
 * A show with a few hundred viewers has its sockets in the Room itself and
 * no shards (no cost for small shows). From `plan.from` viewers on, the
 * Room places each new viewer on an audience shard (audience-shard.ts): a
 * Durable Object holding up to `plan.size` viewer sockets, which the Worker
 * hands the socket to. A viewer joining without a ticket is placed with a
 * lease of places for the viewers after it (Lease), which the Worker uses
 * without asking the Room again. Shards fill in order; the next one starts
 * when the others are full. The Room stays the truth (event log, stock, orders,
 * moderation); a shard only fans events out and carries its viewers' frames
 * in.
 *
 * The link is one WebSocket per shard, opened by the shard to the Room
 * (`?since=` its last event, so a shard that restarts resumes without a gap
 * or a duplicate). Down the link go every event whole (each shard applies
 * `eventFor` per socket, as the Room does), the ephemeral frames (presence,
 * hearts) and the frames for one viewer (`to`); up it go the shard's
 * viewer count with who joined and left, and its viewers' frames. The link
 * is internal: only a shard opens it, and the Worker drops its header from
 * every browser's request.
 */
import * as v from "valibot";
import { VIEWER_ID, type ServerMessage } from "./protocol.ts";

/** The header with which a shard opens its link to the Room (its index); the Worker removes it from browsers' requests. */
export const SHARD_HEADER = "x-room-shard";
/** The header with which the Worker tells a shard whose room it serves. */
export const SHARD_ROOM_HEADER = "x-room-name";

/**
 * When shards start (viewers connected to the Room itself) and how many sockets each holds. `lostMs`: how long a
 * shard may be without its link before the viewers it last reported count as gone (it died with their sockets); a
 * live shard links again within a second, and its alarm checks the link every 10 s while it has viewers.
 */
export type ShardPlan = { from: number; size: number; lostMs?: number };
export const SHARD_LOST_MS = 60_000;
export const DEFAULT_PLAN: ShardPlan = { from: 500, size: 2000 };

/** The plan from the Worker's vars (AUDIENCE_SHARD_FROM, AUDIENCE_SHARD_SIZE); a missing or bad value keeps the default. */
export function planFromEnv(env: { AUDIENCE_SHARD_FROM?: string; AUDIENCE_SHARD_SIZE?: string }): ShardPlan {
  const number = (raw: string | undefined, fallback: number, least: number) => {
    const n = Number(raw);
    return raw && Number.isSafeInteger(n) && n >= least ? n : fallback;
  };
  return { from: number(env.AUDIENCE_SHARD_FROM, DEFAULT_PLAN.from, 0), size: number(env.AUDIENCE_SHARD_SIZE, DEFAULT_PLAN.size, 1) };
}

/** The Durable Object name of a room's shard `index`. */
export const shardName = (roomName: string, index: number) => `${roomName}/audience-${index}`;

/**
 * A shard's link as the Room keeps it (the connection's state, which outlives hibernation): its shard, and the count
 * the shard last reported (`reported` once it has, on this link).
 */
export type ShardLink = { shard: number; viewers: number; reported?: true };
export const isShardLink = (state: unknown): state is ShardLink => typeof state === "object" && state !== null && "shard" in state;

const connectionId = v.pipe(v.string(), v.regex(/^c_[0-9A-Za-z]{16}$/));
const viewer = v.object({ id: connectionId, viewerId: v.pipe(v.string(), v.regex(VIEWER_ID)) });

/** What a shard sends up its link. */
export const ShardFrame = v.variant("t", [
  /**
   * Its viewer count now, and who joined and left since the last such frame; on a new link's first, `all`: every
   * viewer it holds (a shard cut off for longer than `lostMs` had its visits closed, and its viewers are still there).
   */
  v.object({
    t: v.literal("viewers"),
    n: v.pipe(v.number(), v.integer(), v.minValue(0)),
    joined: v.array(viewer),
    left: v.array(viewer),
    all: v.optional(v.array(viewer)),
  }),
  /** A frame one of its viewers sent, as the viewer sent it. */
  v.object({ t: v.literal("frame"), id: connectionId, viewerId: v.pipe(v.string(), v.regex(VIEWER_ID)), raw: v.string() }),
]);
export type ShardFrame = v.InferOutput<typeof ShardFrame>;
export type ShardViewer = v.InferOutput<typeof viewer>;

export function parseShardFrame(raw: unknown): ShardFrame | null {
  if (typeof raw !== "string") return null;
  try {
    const result = v.safeParse(ShardFrame, JSON.parse(raw));
    return result.success ? result.output : null;
  } catch {
    return null;
  }
}

/** What the Room sends down a link besides events and ephemeral frames. */
export type RoomToShard =
  /** First on every link: the log's head; the events after the shard's `since` follow (none for a new shard). */
  | { hello: { seq: number } }
  /** A frame for one of the shard's viewers (an answer to its frame: `chat_sent`, an `error`). */
  | { to: string; frame: ServerMessage };

/**
 * A lease of places on the shard a viewer was placed on: the Worker sends the next `places` viewers of this room
 * there too, without asking the Room again, for `ms` from when it has the lease (its own clock: worker/sockets.ts). So in a join storm
 * the Room is asked once per lease, not once per viewer, and a shard counts each such viewer's identity against its
 * socket allowance itself.
 */
export type Lease = { places: number; ms: number };
/** Places the Worker asks for in one lease (more when more joins wait: at most `most`), and how long it is good for. */
export const LEASE = { places: 32, most: 500, ms: 2000 } as const;

/**
 * Where new viewers go. Counts come from the links (each shard says its own);
 * viewers placed since a shard last spoke are counted as on their way, so a
 * join storm does not pile onto one shard before it reports.
 */
export class ShardPlacement {
  /** Until when each place given on a shard counts as a viewer on its way there (one that never arrives stops counting). */
  readonly #onTheirWay = new Map<number, number[]>();

  /**
   * Places for up to `want` new viewers on one shard: the shard and how many places (at least 1), or null: the Room
   * takes the viewer. `direct`: viewers on the Room itself; `links`: each shard's count; `until`: when the places stop
   * counting if nobody comes (a ticket's are good for 30 s, a lease's for its time and the time to arrive).
   */
  place(plan: ShardPlan, direct: number, links: ReadonlyArray<ShardLink>, now: number, want = 1, until = now + ON_THEIR_WAY_MS): { shard: number; places: number } | null {
    if (direct < plan.from) return null;
    const reported = new Map(links.map((link) => [link.shard, link.viewers]));
    for (let shard = 0; ; shard += 1) {
      const coming = (this.#onTheirWay.get(shard) ?? []).filter((end) => end > now);
      const free = plan.size - (reported.get(shard) ?? 0) - coming.length;
      if (free > 0) {
        const places = Math.min(want, free);
        for (let i = 0; i < places; i++) coming.push(until);
        this.#onTheirWay.set(shard, coming);
        return { shard, places };
      }
    }
  }

  /** A shard reported: `arrived` of those on their way to it are counted by it now. */
  reported(shard: number, arrived: number): void {
    const coming = this.#onTheirWay.get(shard)?.slice(arrived) ?? [];
    if (coming.length) this.#onTheirWay.set(shard, coming);
    else this.#onTheirWay.delete(shard);
  }
}

/** A ticket is good for 30 s; a placed viewer that has not arrived after this is not coming. */
const ON_THEIR_WAY_MS = 30_000;
/** A leased place stops counting this long after its lease ends (the time to open a socket). */
export const ARRIVE_MS = 5000;
