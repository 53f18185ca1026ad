/**
 * What the Room sends its own sockets (and its audience shards' links), in
 * batches: whatever it has for them within BATCH_MS goes out on the next
 * flush, one frame per page of BATCHES_SINCE or later (a JSON array), as the
 * shards do for theirs (audience-shard.ts). The runtime's cost is per send, so
 * a burst of chat, stock and presence costs each viewer one send.
 *
 * Order is kept per socket: a frame for one socket (an answer, a refusal, a
 * sync) waits behind what already waits for everyone, so a reply never
 * carries a head its page has not seen yet. A socket that joins while frames
 * wait gets none of them: its sync or replay already covers the log's head.
 *
 * Each event is serialized once per way of reading it (`eventFor`: the team
 * or a viewer, by protocol), and the sockets that read the whole batch alike
 * share one joined frame; only the viewer an event is about (its author, the
 * one restricted) and a socket with a frame of its own get theirs.
 *
 * What waits is in memory: an object evicted within those milliseconds loses
 * it, never an event (the log has them all, and the next frame a page gets
 * carries the head, so it resyncs), as a frame lost on a dropped socket is.
 */
import { eventFor, eventSubject } from "./event-log.ts";
import { BATCH_MS, BATCHES_SINCE, MODERATORS, type Role, type RoomEvent } from "./protocol.ts";
import type { Peer } from "./room-kit.ts";
import { isShardLink } from "./shards.ts";

/** A socket as partyserver gives it (getConnections): its state says who it is, a viewer, the team or a shard's link. */
type Socket = { readonly state: unknown; send(text: string): void; close(code?: number, reason?: string): void };

/** A logged event (each socket reads its own version), a frame for everyone, for one role, or for one socket. */
type Waiting = { event: RoomEvent } | { all: string } | { role: Role; text: string } | { to: Socket; text: string };

export class RoomFrames {
  #waiting: Waiting[] = [];
  #timer: ReturnType<typeof setTimeout> | null = null;
  /** Sockets that joined while frames waited: how many of them were already waiting (the sync covers those). */
  readonly #joinedAt = new Map<Socket, number>();

  /** `sockets`: every open socket, links included (partyserver's getConnections). */
  constructor(private readonly sockets: () => Iterable<Socket>) {}

  event(event: RoomEvent): void {
    this.#queue({ event });
  }

  /** A frame every socket gets (presence, hearts), the shards' links too. */
  all(text: string): void {
    this.#queue({ all: text });
  }

  /** A frame for the sockets of one role (the host's own frames: orders). */
  toRole(role: Role, text: string): void {
    this.#queue({ role, text });
  }

  /** A frame for one socket: at once when nothing waits, else behind what waits. */
  to(socket: Socket, text: string): void {
    if (this.#waiting.length === 0) return send(socket, [text]);
    this.#queue({ to: socket, text });
  }

  /** A socket opened: nothing waiting now is for it. */
  joined(socket: Socket): void {
    if (this.#waiting.length > 0) this.#joinedAt.set(socket, this.#waiting.length);
  }

  /** Drops what waits (the room is wiped: its sockets are closing). */
  clear(): void {
    this.#waiting = [];
    this.#joinedAt.clear();
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #queue(item: Waiting): void {
    this.#waiting.push(item);
    this.#timer ??= setTimeout(() => this.flush(), BATCH_MS);
  }

  /** Sends what waits now (before a socket is closed, so it gets what came before its close). */
  flush(): void {
    const items = this.#waiting;
    const joinedAt = new Map(this.#joinedAt);
    this.clear();
    if (items.length === 0) return;
    if (items.every((item) => "to" in item)) {
      for (const item of items as Array<{ to: Socket; text: string }>) send(item.to, [item.text]);
      return;
    }
    const events = items.flatMap((item) => ("event" in item ? [item.event] : []));
    const subjects = new Set(events.map(eventSubject).filter((subject) => subject !== null));
    const targets = new Set(items.flatMap((item) => ("to" in item ? [item.to] : [])));
    const serialized = new Map<string, string>();
    const shared = new Map<string, string[]>();
    for (const socket of this.sockets()) {
      const state = socket.state;
      // Not set up yet (onConnect has not said who it is): it gets its first frame from onConnect.
      if (!state) continue;
      const link = isShardLink(state) ? state : null;
      const peer = link ? null : (state as Peer);
      const protocol = peer?.protocol ?? 1;
      const skip = joinedAt.get(socket) ?? 0;
      const usual = skip === 0 && !targets.has(socket) && (link !== null || !subjects.has(peer!.viewerId));
      const key = link ? "link" : `${peer!.role}:${protocol}`;
      let texts = usual ? shared.get(key) : undefined;
      if (!texts) {
        const frames: string[] = [];
        items.forEach((item, i) => {
          if (i < skip) return;
          if ("all" in item) return frames.push(item.all);
          if ("role" in item) return peer?.role === item.role && frames.push(item.text);
          if ("to" in item) return item.to === socket && frames.push(item.text);
          // A shard's link gets every event whole: the shard decides for each of its viewers.
          if (!peer) return frames.push(versionOf(serialized, i, item.event, "whole", null));
          const own = eventSubject(item.event) === peer.viewerId;
          frames.push(versionOf(serialized, i, item.event, own ? null : `${MODERATORS.includes(peer.role) ? "team" : "viewer"}:${protocol}`, peer));
        });
        // A shard's link reads one message per frame.
        texts = !link && frames.length > 1 && protocol >= BATCHES_SINCE ? [`[${frames.join(",")}]`] : frames;
        if (usual) shared.set(key, texts);
      }
      send(socket, texts);
    }
  }
}

/** The event as `peer` reads it, serialized once per `way` of reading it (null: this peer's own, not shared). */
function versionOf(serialized: Map<string, string>, i: number, event: RoomEvent, way: string | null, peer: Peer | null): string {
  const key = way === null ? null : `${i}:${way}`;
  const known = key === null ? undefined : serialized.get(key);
  if (known !== undefined) return known;
  const text = JSON.stringify(peer ? eventFor(event, peer) : event);
  if (key !== null) serialized.set(key, text);
  return text;
}

/** As partyserver's broadcast: a socket that cannot take a frame is closed, the others still get theirs. */
function send(socket: Socket, texts: string[]): void {
  try {
    for (const text of texts) socket.send(text);
  } catch {
    socket.close(1011, "Unexpected error");
  }
}
