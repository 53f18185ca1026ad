/**
 * Audience shards, as the Room sees them: where a new viewer's socket goes,
 * and the link over which a shard hears the room.
 *
 * A show with a few hundred viewers has its sockets in the Room itself and
 * no shards (no cost for small shows). From `plan.from` viewers on, the
 * Room places each new viewer on an audience shard (audience-shard.ts): a
 * Durable Object holding up to `plan.size` viewer sockets, which the Worker
 * hands the socket to. Shards fill in order; the next one starts when the
 * others are full. The Room stays the truth (event log, stock, orders,
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
 * Where new viewers go. Counts come from the links (each shard says its own);
 * viewers placed since a shard last spoke are counted as on their way, so a
 * join storm does not pile onto one shard before it reports.
 */
export class ShardPlacement {
  /** When each viewer on its way to a shard was placed; one that never arrives stops counting after ON_THEIR_WAY_MS. */
  readonly #onTheirWay = new Map<number, number[]>();

  /** The shard for a new viewer, or null: the Room takes it. `direct`: viewers on the Room itself; `links`: each shard's count. */
  place(plan: ShardPlan, direct: number, links: ReadonlyArray<ShardLink>, now: number): number | null {
    if (direct < plan.from) return null;
    const reported = new Map(links.map((link) => [link.shard, link.viewers]));
    for (let shard = 0; ; shard += 1) {
      const coming = (this.#onTheirWay.get(shard) ?? []).filter((at) => at > now - ON_THEIR_WAY_MS);
      if ((reported.get(shard) ?? 0) + coming.length < plan.size) {
        coming.push(now);
        this.#onTheirWay.set(shard, coming);
        return shard;
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
