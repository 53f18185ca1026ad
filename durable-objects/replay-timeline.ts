/**
 * The show's public timeline, for its replay: after the show ended, its
 * event log from going live to the end as any viewer may read it (eventFor
 * any viewer: no blocked words, no bans, no authors), the state it started
 * from at liveAt, and the audience (hearts, viewers) per second.
 *
 * Bounded: events come in pages of at most REPLAY_PAGE events, in order,
 * each page naming the next; the start and the audience come with the first
 * page only. A two-hour show with 20,000 chat lines is 40 answers of
 * ~150 KB, not one of several MB, and the player can start on the first.
 *
 * A chat line deleted by a moderator (during the show or after it) is not
 * in the replay at all: it was taken down, and a replay must not bring it back.
 */
import { applyEvents, type RoomView } from "../client/src/room-state.ts";
import { anyViewer, eventFor, headSeq, history, statusTimes } from "./event-log.ts";
import { LIMITS, type ChatState, type RoomEvent, type RoomState } from "./protocol.ts";
import { refuse, type Refusal } from "./refusal.ts";
import { productList, showRow } from "./show.ts";

/** Events per page. */
export const REPLAY_PAGE = 500;


export type TimedEvent = { seq: number; at: number; event: RoomEvent };

export type ReplayTimeline = {
  liveAt: number;
  endedAt: number;
  /** The log's head: changes when the show's log grows after the end (orders from the replay), so caches revalidate. */
  head: number;
  /** First page only: the room as it was just after it went live (chat: its last lines before), and the seq it is at. */
  start: { seq: number; room: RoomState; messages: RoomView["messages"]; chat: ChatState } | null;
  /** First page only: hearts and viewers per second, from liveAt's second to endedAt's (viewers null where not counted). */
  audience: { fromSecond: number; hearts: number[]; viewers: Array<number | null> } | null;
  events: TimedEvent[];
  /** Pass as `after` for the next page; null on the last. */
  next: number | null;
};

/** One page of the timeline, after the event numbered `after` (none: the first page). */
export function replayTimeline(sql: SqlStorage, after: number | null): ReplayTimeline | Refusal {
  const show = showRow(sql);
  if (!show) return refuse("not_found", "No show exists with this id.");
  const { liveAt, endedAt } = statusTimes(sql);
  if (show.status !== "ended" || endedAt === null) return refuse("not_ended", "The show has not ended yet; its replay starts after the end.");
  // A show ended without going live (cancelled) has an empty replay that starts and ends at its end.
  const from = liveAt ?? endedAt;
  const liveSeq = liveAt === null ? statusSeq(sql, "ended") : statusSeq(sql, "live");
  const endSeq = statusSeq(sql, "ended");
  const deleted = deletedMessages(sql);
  const visible = (rows: ReturnType<typeof history>): TimedEvent[] =>
    rows
      .filter((row) => !(row.event.type === "chat" && deleted.has(row.event.message.id)))
      .map((row) => ({ seq: row.seq, at: row.at ?? from, event: eventFor(row.event, anyViewer) }));

  const firstPage = after === null;
  const cursor = Math.max(after ?? liveSeq, liveSeq);
  const rows = history(sql, cursor, Math.max(0, Math.min(REPLAY_PAGE, endSeq - cursor)));
  const last = rows.at(-1)?.seq ?? endSeq;
  return {
    liveAt: from,
    endedAt,
    head: headSeq(sql),
    start: firstPage ? startState(sql, liveSeq, visible) : null,
    audience: firstPage ? audience(sql, from, endedAt) : null,
    events: visible(rows),
    next: last < endSeq ? last : null,
  };
}

/** The seq of the first status event to `status`. */
function statusSeq(sql: SqlStorage, status: "live" | "ended"): number {
  return (
    sql
      .exec<{ seq: number | null }>(
        "SELECT min(seq) AS seq FROM events WHERE json_extract(body, '$.type') = 'status' AND json_extract(body, '$.status') = ?",
        status,
      )
      .one().seq ?? 0
  );
}

function deletedMessages(sql: SqlStorage): Set<string> {
  return new Set(
    sql
      .exec<{ id: string }>("SELECT json_extract(body, '$.messageId') AS id FROM events WHERE json_extract(body, '$.type') = 'chat_deleted'")
      .toArray()
      .map((row) => row.id),
  );
}

/**
 * The room just after it went live: the show as it was set up (every unit
 * listed still for sale: each sale emits a `product` event, and none is in
 * the set-up state), with the log up to going live applied by the same
 * reducer the pages use.
 */
function startState(sql: SqlStorage, liveSeq: number, visible: (rows: ReturnType<typeof history>) => TimedEvent[]): NonNullable<ReplayTimeline["start"]> {
  const show = showRow(sql)!;
  const listed = new Map(
    [
      ...sql.exec<{ id: string; listed: number }>("SELECT id, listed FROM products").toArray(),
      ...sql.exec<{ id: string; listed: number }>("SELECT id, listed FROM variants").toArray(),
    ].map((row) => [row.id, row.listed]),
  );
  const products = productList(sql).map((product) => ({
    ...product,
    left: listed.get(product.id) ?? product.left,
    variants: product.variants?.map((variant) => ({ ...variant, left: listed.get(variant.id) ?? variant.left })),
  }));
  let view: RoomView = {
    room: {
      id: show.room_id,
      shopId: show.shop_id,
      shopName: show.shop_name,
      title: show.title,
      status: "scheduled",
      startsAt: show.starts_at,
      pinnedProductId: null,
      viewers: 0,
      reactions: 0,
      products,
      deal: null,
      stage: [],
    },
    messages: [],
    chat: { slowModeSeconds: 0, pinned: null },
    you: null,
  };
  // Before going live there are few events (details, pins, early chat): read in pages all the same.
  for (let seq = 0; seq < liveSeq; ) {
    const rows = history(sql, seq, Math.min(1000, liveSeq - seq));
    if (rows.length === 0) break;
    view = applyEvents(view, visible(rows).map((row) => row.event));
    seq = rows.at(-1)!.seq;
  }
  return { seq: liveSeq, room: view.room, messages: view.messages.slice(-LIMITS.historyOnJoin), chat: view.chat };
}

function audience(sql: SqlStorage, liveAt: number, endedAt: number): NonNullable<ReplayTimeline["audience"]> {
  const fromSecond = Math.floor(liveAt / 1000);
  const toSecond = Math.floor(endedAt / 1000);
  const length = Math.max(0, toSecond - fromSecond + 1);
  const hearts = new Array<number>(length).fill(0);
  const viewers = new Array<number | null>(length).fill(null);
  const rows = sql
    .exec<{ second: number; hearts: number; viewers: number | null }>(
      "SELECT second, hearts, viewers FROM tallies WHERE second BETWEEN ? AND ? ORDER BY second",
      fromSecond, toSecond,
    )
    .toArray();
  for (const row of rows) {
    hearts[row.second - fromSecond] = row.hearts;
    viewers[row.second - fromSecond] = row.viewers;
  }
  return { fromSecond, hearts, viewers };
}
