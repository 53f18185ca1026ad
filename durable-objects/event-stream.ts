/**
 * The room's events as Server-Sent Events (`GET /api/rooms/{id}/events/stream`),
 * for a developer's server: each event as any viewer reads it (`eventFor`
 * with `anyViewer`: no blocked words, bans or authors; the numbers of what a
 * viewer may not read are left out rather than sent as `private`), with
 * `id: {seq}`, `event: {type}` and `data: {the event's JSON}`.
 *
 * No gap, no duplicate: every stream has a cursor, the last seq it has
 * written. While it catches up it reads the log page by page, a page when
 * its reader asks for more (`pull`); once at the head it is live and the
 * Room hands it each event as it publishes it. A stream whose reader falls
 * behind goes back to reading the log, so a slow reader costs no memory. All
 * of this runs in the object's one thread, so nothing is committed between
 * reading the head and going live. The log is never pruned: a resume from
 * any seq works.
 *
 * The streams live in memory: an evicted object drops them, and clients
 * resume with Last-Event-ID. While one is open the room stays awake (only
 * WebSockets outlive hibernation; a streamed body dies with the object), so:
 * a heartbeat finds a reader that went away (its write fails, or the runtime
 * cancels the stream), a stream on which no event came for STREAM.idleMs
 * ends (its client resumes, or the room goes back to sleep), every stream
 * ends once the show has ended and its last event is sent, and no timer runs
 * when no stream is open, so a room nobody streams hibernates as before.
 */
import { anyViewer, eventFor, headSeq, history } from "./event-log.ts";
import type { RoomEvent } from "./protocol.ts";
import { showRow } from "./show.ts";

export const STREAM = {
  /** A comment line this often keeps proxies from closing a quiet stream (they commonly give up after 30–60 s). */
  pingEveryMs: 20_000,
  /** What the `retry:` line tells a client to wait before it reconnects. */
  retryMs: 3000,
  /** A stream with no event for this long ends; its client resumes with Last-Event-ID. */
  idleMs: 10 * 60_000,
  /** Events read from the log per chunk while catching up. */
  page: 200,
  /** A live stream whose reader has this many chunks unread goes back to reading the log. */
  behind: 64,
} as const;

const encoder = new TextEncoder();

type Reader = {
  controller: ReadableStreamDefaultController<Uint8Array>;
  /** The seq of the last event written (or skipped: not for viewers). */
  cursor: number;
  /** At the head: the Room's publishing writes to it. */
  live: boolean;
  lastEventAt: number;
};

/** One event as a stream writes it; null when it is not for a viewer at all. */
function frame(event: RoomEvent): string | null {
  const visible = eventFor(event, anyViewer);
  if (visible.type === "private") return null;
  return `id: ${event.seq}\nevent: ${visible.type}\ndata: ${JSON.stringify(visible)}\n\n`;
}

export class EventStreams {
  readonly #readers = new Set<Reader>();
  #ping: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly sql: SqlStorage,
    private readonly now: () => number = Date.now,
  ) {}

  /** How many are open (tests). */
  get size(): number {
    return this.#readers.size;
  }

  /** A stream of the events after `since` (the last one its client has), then of every new one. */
  open(since: number): ReadableStream<Uint8Array> {
    const head = headSeq(this.sql);
    // Ahead of the log: it was started afresh (a rehearsal run again), so from its start.
    const reader: Omit<Reader, "controller"> = { cursor: since > head ? 0 : since, live: false, lastEventAt: this.now() };
    let self: Reader;
    return new ReadableStream<Uint8Array>({
      start: (controller) => {
        self = Object.assign(reader, { controller });
        controller.enqueue(encoder.encode(`retry: ${STREAM.retryMs}\n: shop-along room events\n\n`));
        this.#readers.add(self);
        this.#keepPinging();
      },
      pull: () => this.#catchUp(self),
      cancel: () => this.#drop(self),
    });
  }

  /** A committed event, as the Room publishes it: written to every live stream it comes next on. */
  publish(event: RoomEvent): void {
    for (const reader of this.#readers) {
      if (!reader.live || event.seq !== reader.cursor + 1) continue;
      if ((reader.controller.desiredSize ?? 0) <= -STREAM.behind) {
        // Not reading: it will read this from the log when it asks for more.
        reader.live = false;
        continue;
      }
      reader.cursor = event.seq;
      const text = frame(event);
      if (text) this.#write(reader, text);
      this.#endIfDone(reader);
    }
  }

  /** Reads the next page of the log into the stream, or goes live when there is none. */
  #catchUp(reader: Reader): void {
    if (!this.#readers.has(reader)) return;
    const head = headSeq(this.sql);
    while (reader.cursor < head) {
      const rows = history(this.sql, reader.cursor, STREAM.page);
      if (rows.length === 0) break;
      reader.cursor = rows.at(-1)!.seq;
      const text = rows.map((row) => frame(row.event) ?? "").join("");
      if (text) {
        this.#write(reader, text);
        this.#endIfDone(reader);
        return;
      }
    }
    reader.cursor = Math.max(reader.cursor, head);
    reader.live = true;
    this.#endIfDone(reader);
  }

  #write(reader: Reader, text: string): void {
    try {
      reader.controller.enqueue(encoder.encode(text));
      reader.lastEventAt = this.now();
    } catch {
      this.#drop(reader);
    }
  }

  /** The show has ended and this stream has everything: it ends (a client that resumes gets what came after, then the end again). */
  #endIfDone(reader: Reader): void {
    if (reader.cursor < headSeq(this.sql) || showRow(this.sql)?.status !== "ended") return;
    this.#close(reader);
  }

  #keepPinging(): void {
    if (this.#ping !== null) return;
    this.#ping = setInterval(() => {
      const now = this.now();
      for (const reader of this.#readers) {
        if (now - reader.lastEventAt >= STREAM.idleMs) {
          this.#close(reader, "idle");
          continue;
        }
        try {
          // A reader far behind has enough to read; a ping would only queue up.
          if ((reader.controller.desiredSize ?? 0) > -STREAM.behind) reader.controller.enqueue(encoder.encode(": ping\n\n"));
        } catch {
          this.#drop(reader);
        }
      }
    }, STREAM.pingEveryMs);
  }

  #close(reader: Reader, why?: "idle"): void {
    try {
      if (why) reader.controller.enqueue(encoder.encode(`: ${why}, resume with Last-Event-ID\n\n`));
      reader.controller.close();
    } catch {
      // Already closed or cancelled by its reader.
    }
    this.#drop(reader);
  }

  #drop(reader: Reader): void {
    this.#readers.delete(reader);
    if (this.#readers.size === 0 && this.#ping !== null) {
      clearInterval(this.#ping);
      this.#ping = null;
    }
  }

  /** Ends every stream (the room is wiped: a rehearsal run again or ended). */
  closeAll(): void {
    for (const reader of this.#readers) this.#close(reader);
  }
}
