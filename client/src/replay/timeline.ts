/**
 * An ended show as its replay reads it: the manifest (recordings, trim,
 * chapters: GET /api/rooms/{id}/replay) and the timeline (the public event
 * log from going live: GET /api/rooms/{id}/replay/events, in pages), and
 * the room as it was at any replay time `t` (ms from going live), folded
 * by the same reducer the live page uses (room-state.ts).
 *
 * Seeking must answer within a frame however long the show: every
 * CHECKPOINT_EVERY events the folded view is kept, so a seek folds at most
 * that many events from the nearest one before it.
 */
import type { ChatMessage, ChatState, RoomEvent, RoomState } from "../../../durable-objects/protocol.ts";
import { api } from "../api.ts";
import { applyEvents, type RoomView } from "../room-state.ts";

export type Take = {
  id: string;
  publisher: string;
  role: "host" | "guest";
  source: "camera" | "screen";
  startMs: number;
  durationMs: number;
  mime: string;
  url: string;
};

export type Manifest = {
  status: "none" | "processing" | "ready";
  liveAt: number | null;
  durationMs: number;
  trim: { startMs: number; endMs: number };
  thumbnailUrl: string | null;
  chapters: Chapter[];
  takes: Take[];
};

export type Chapter = { productId: string; atMs: number };

type TimedEvent = { seq: number; at: number; event: RoomEvent };

export type TimelinePage = {
  liveAt: number;
  endedAt: number;
  head: number;
  start: { seq: number; room: RoomState; messages: ChatMessage[]; chat: ChatState } | null;
  audience: { fromSecond: number; hearts: number[]; viewers: Array<number | null> } | null;
  events: TimedEvent[];
  next: number | null;
};

const CHECKPOINT_EVERY = 200;

/** The manifest, or null when there is none to be had (no recording part on this server, or the network): the replay then re-runs the state alone. */
export async function fetchManifest(roomId: string): Promise<Manifest | null> {
  try {
    return (await api<{ replay: Manifest }>(`/api/rooms/${encodeURIComponent(roomId)}/replay`)).replay;
  } catch {
    return null;
  }
}

export async function fetchTimelinePage(roomId: string, after: number | null): Promise<TimelinePage> {
  const query = after === null ? "" : `?after=${after}`;
  return (await api<{ timeline: TimelinePage }>(`/api/rooms/${encodeURIComponent(roomId)}/replay/events${query}`)).timeline;
}

export type Timeline = ReturnType<typeof createTimeline>;

/** The timeline from its first page; later pages are appended as they arrive. */
export function createTimeline(first: TimelinePage) {
  const { liveAt, endedAt } = first;
  const startView: RoomView = { room: first.start!.room, messages: first.start!.messages, chat: first.start!.chat, you: null };
  /** Replay time of each event, and the events, in order. */
  const times: number[] = [];
  const events: RoomEvent[] = [];
  /** checkpoints[k]: the view after the first k * CHECKPOINT_EVERY events. */
  const checkpoints: RoomView[] = [startView];
  const audience = first.audience ?? { fromSecond: Math.floor(liveAt / 1000), hearts: [], viewers: [] };
  // Viewers carried forward: a second without a count had the count before it.
  const viewers: number[] = [];
  audience.viewers.forEach((count, i) => viewers.push(count ?? viewers[i - 1] ?? 0));
  const pins: Chapter[] = first.start!.room.pinnedProductId ? [{ productId: first.start!.room.pinnedProductId, atMs: 0 }] : [];

  function append(page: TimelinePage) {
    for (const row of page.events) {
      times.push(Math.max(0, row.at - liveAt));
      events.push(row.event);
      if (row.event.type === "pin" && row.event.productId) pins.push({ productId: row.event.productId, atMs: Math.max(0, row.at - liveAt) });
      if (events.length % CHECKPOINT_EVERY === 0) {
        const last = checkpoints.at(-1)!;
        checkpoints.push(applyEvents(last, events.slice(events.length - CHECKPOINT_EVERY)));
      }
    }
  }
  append(first);

  /** How many events happened at or before replay time t. */
  function countUpTo(t: number): number {
    let low = 0;
    let high = times.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (times[middle]! <= t) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  return {
    liveAt,
    endedAt,
    durationMs: Math.max(0, endedAt - liveAt),
    append,
    /** Every pin of a product, in replay time (the manifest's chapters say the same once recordings exist). */
    pins: () => pins.slice(),
    /** The room, chat and pinned message as they were at replay time t. */
    viewAt(t: number): RoomView {
      const count = countUpTo(t);
      const k = Math.min(Math.floor(count / CHECKPOINT_EVERY), checkpoints.length - 1);
      const view = applyEvents(checkpoints[k]!, events.slice(k * CHECKPOINT_EVERY, count));
      const second = Math.floor((liveAt + t) / 1000) - audience.fromSecond;
      return { ...view, room: { ...view.room, viewers: viewers[Math.min(second, viewers.length - 1)] ?? view.room.viewers } };
    },
    /** The developers' custom events after replay time `from`, up to and including `to`, in order. */
    customBetween(from: number, to: number): Array<Extract<RoomEvent, { type: "custom" }>> {
      return events.slice(countUpTo(from), countUpTo(to)).filter((event) => event.type === "custom");
    },
    /** Hearts per second, from going live. */
    hearts: audience.hearts,
    /** The time the deal running at replay time t has left then, in ms. */
    dealLeftAt(endsAt: number, t: number): number {
      return Math.max(0, endsAt - (liveAt + t));
    },
  };
}

/** Where a deep link opens the replay: `?t=754` (seconds), or `?product=p_…` (its first chapter); null: from the start. */
export function linkedTime(search: string, chapters: Chapter[]): number | null {
  const params = new URLSearchParams(search);
  const seconds = Number(params.get("t"));
  if (params.has("t") && Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const product = params.get("product");
  const chapter = product ? chapters.find((c) => c.productId === product) : undefined;
  return chapter ? chapter.atMs : null;
}

/** A link to the replay at time t (whole seconds), keeping the page's address (`href`) otherwise. */
export function momentLink(href: string, t: number): string {
  const url = new URL(href);
  url.hash = "";
  url.searchParams.delete("product");
  url.searchParams.set("t", String(Math.floor(t / 1000)));
  return url.toString();
}
