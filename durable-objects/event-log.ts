/**
 * The show's event log: every durable event with its sequence number and the
 * room clock's time, kept for the whole show (replay, analytics and webhooks
 * are built from it). Reconnecting clients replay from it too, but only
 * within the last `LIMITS.replayWindow` events; a client that was away
 * longer gets the whole state instead.
 *
 * The log keeps every event whole, but not every event is for everyone:
 * `eventFor` says what one socket may read of it (live and in a replay).
 * A chat message the room sampled out for viewers (chat-sampling.ts) is
 * logged with `sampledOut: true` in its body, so every reader agrees.
 *
 * Hearts and presence are not sequenced events (they would make every client
 * resync on every heart); they are kept per second in `tallies` (audience.ts).
 */
import { EVENT_SINCE, LIMITS, MODERATORS, PROTOCOL_VERSION, type Actor, type ChatMessage, type RoomEvent } from "./protocol.ts";
import type { Peer, RoomFeature } from "./room-kit.ts";

export const eventLogSchema: RoomFeature["schema"] = {
  1: `CREATE TABLE IF NOT EXISTS events (
        seq  INTEGER PRIMARY KEY,
        body TEXT NOT NULL
      );`,
  // The room clock's time of every event. Rooms from before kept only their
  // last 1,000 events, without times; chat events carry theirs in the body.
  2: `ALTER TABLE events ADD COLUMN at INTEGER;
      UPDATE events SET at = json_extract(body, '$.message.at') WHERE at IS NULL;`,
  // Who took a moderation decision (JSON Actor); null for everything else.
  5: `ALTER TABLE events ADD COLUMN by TEXT;`,
};

/** The sequence number of the newest event (0 before the first). */
export function headSeq(sql: SqlStorage): number {
  return sql.exec<{ head_seq: number }>("SELECT head_seq FROM room WHERE id = 1").toArray()[0]?.head_seq ?? 0;
}

/** Writes one event as the next entry; the caller is inside the change's transaction. */
export function appendEvent(sql: SqlStorage, event: LoggedEvent, at: number, by: Actor | null = null): void {
  sql.exec("UPDATE room SET head_seq = ? WHERE id = 1", event.seq);
  sql.exec("INSERT INTO events (seq, at, body, by) VALUES (?, ?, ?, ?)", event.seq, at, JSON.stringify(event), by && JSON.stringify(by));
}

/**
 * The events after `since`, when a client that applied `since` can catch up
 * from them without a gap; null when it needs the whole state (a new client,
 * one ahead of the room, or one away for longer than the replay window).
 */
/** When the show went live and when it ended, by the room clock, from its status events (null if it has not, or the log lost them). */
export function statusTimes(sql: SqlStorage): { liveAt: number | null; endedAt: number | null } {
  const rows = sql
    .exec<{ status: string; at: number | null }>(
      "SELECT json_extract(body, '$.status') AS status, min(at) AS at FROM events WHERE json_extract(body, '$.type') = 'status' GROUP BY 1",
    )
    .toArray();
  const at = (status: string) => rows.find((row) => row.status === status)?.at ?? null;
  return { liveAt: at("live"), endedAt: at("ended") };
}

export function eventsAfter(sql: SqlStorage, since: number): LoggedEvent[] | null {
  const head = headSeq(sql);
  if (since <= 0 || since > head) return null;
  const oldest = sql.exec<{ seq: number | null }>("SELECT min(seq) AS seq FROM events").one().seq ?? head + 1;
  if (since < oldest - 1 || head - since > LIMITS.replayWindow) return null;
  return sql
    .exec<{ body: string }>("SELECT body FROM events WHERE seq > ? ORDER BY seq", since)
    .toArray()
    .map((row) => JSON.parse(row.body) as LoggedEvent);
}

/** The whole history, oldest first, with each event's time (for replays and tests). */
export function history(
  sql: SqlStorage,
  afterSeq = 0,
  limit = 10_000,
): Array<{ seq: number; at: number | null; event: LoggedEvent; by: Actor | null }> {
  return sql
    .exec<{ seq: number; at: number | null; body: string; by: string | null }>(
      "SELECT seq, at, body, by FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
      afterSeq,
      limit,
    )
    .toArray()
    .map((row) => ({ seq: row.seq, at: row.at, event: JSON.parse(row.body) as LoggedEvent, by: row.by === null ? null : (JSON.parse(row.by) as Actor) }));
}

type ChatEvent = Extract<RoomEvent, { type: "chat" }>;
/**
 * An event as the log keeps it: a chat event may carry the room's sampling
 * decision (chat-sampling.ts). Server side only: the protocol's schema has no
 * such key (the client's parse would drop it), and only the host, moderators
 * and the message's author are ever sent the event with it.
 */
export type LoggedEvent = Exclude<RoomEvent, ChatEvent> | (ChatEvent & { sampledOut?: true });

/** Any viewer of today's protocol, nobody in particular: how the replay's timeline and the event stream read the log. */
export const anyViewer: Peer = { role: "viewer", viewerId: "", protocol: PROTOCOL_VERSION };

/**
 * What one socket may read of an event. The blocked words are for the host
 * and moderators only (the list would tell a spammer what to spell
 * differently), and a ban or timeout for them and the viewer it is about:
 * nobody else learns who was kept out of the chat. Anyone else gets the
 * event's number alone, so their numbering has no gap; so does a page
 * whose protocol is older than the event's type (PROTOCOL_VERSION).
 * A chat message sampled out for viewers is the same: its number alone,
 * but for its author, who is sent it whole (a viewer always sees what it
 * said; the identity in it is its own).
 *
 * Each socket gets either the event itself or what a stranger (a viewer
 * with no identity) gets of it, never a third shape: room.ts's `#publish`
 * serializes those two once per event.
 */
export function eventFor(event: LoggedEvent, peer: Peer): RoomEvent {
  if ((EVENT_SINCE[event.type] ?? 1) > (peer.protocol ?? 1)) return { type: "private", seq: event.seq };
  if (MODERATORS.includes(peer.role)) return event;
  if (event.type === "blocked_words" || (event.type === "restricted" && event.viewerId !== peer.viewerId)) {
    return { type: "private", seq: event.seq };
  }
  if (event.type === "chat" && event.sampledOut) {
    return peer.viewerId !== "" && event.message.author === peer.viewerId ? event : { type: "private", seq: event.seq };
  }
  if (event.type === "chat") return { ...event, message: messageFor(event.message, peer) };
  if (event.type === "chat_pinned" && event.message) return { ...event, message: messageFor(event.message, peer) };
  return event;
}

/**
 * The one viewer who may read an event differently from every other viewer
 * of its protocol (the viewer a restriction is about, a chat line's author),
 * or null: then `eventFor` gives all of them the same, and one serialized
 * frame serves them all (audience-shard.ts).
 */
export function eventSubject(event: RoomEvent): string | null {
  if (event.type === "restricted") return event.viewerId;
  if (event.type === "chat") return event.message.author ?? null;
  return null;
}

/**
 * A chat message as one socket may read it: who wrote it (the author's
 * stable viewer identity, what bans key on) is for the host and moderators;
 * to everyone else a chatter is only the name they typed.
 */
export function messageFor(message: ChatMessage, peer: Peer): ChatMessage {
  return MODERATORS.includes(peer.role) || !message.author ? message : { ...message, author: null };
}
