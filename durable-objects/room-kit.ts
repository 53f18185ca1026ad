/**
 * What every part of a Room is made of. The Room (room.ts) is a thin host;
 * each feature (chat and its moderation, audience, the show's pin and
 * status, orders, flash deals, the stage, the outbox, socket tickets) is a
 * module that owns
 *
 *  - its schema: SQL steps keyed by the room's schema version (migrations.ts
 *    applies the ones a room has not had yet, in order);
 *  - its handlers: the client frames it answers;
 *  - its clock: `nextDue()` says when it next has work, `onDue()` does it.
 *    The Room's one alarm is the earliest of all clocks.
 *
 * Every state change goes through `commit`: the change, the log entries of
 * the events it emits and its outbox entries are one SQLite transaction;
 * only after it commits does one place publish the events (room.ts).
 */
import type { Connection } from "partyserver";
import type { Actor, ClientMessage, ErrorCode, Role, RoomEvent, ServerMessage } from "./protocol.ts";

/** A room event before the log gives it its sequence number. */
export type EventBody = RoomEvent extends infer E ? (E extends RoomEvent ? Omit<E, "seq"> : never) : never;

/** Who a socket is. The Worker decides it from a socket ticket; nothing here comes from the client. */
export type Peer = {
  role: Role;
  /** The stable, server-issued identity of the browser (rate limits and bans, and later analytics, key on it). */
  viewerId: string;
  /** The protocol version its page speaks (its socket's `?protocol=`; absent: 1). Newer events reach it as `private`. */
  protocol?: number;
};

/** A moderating socket as the log names it. */
export const actorOf = (peer: Peer): Actor => ({ role: peer.role === "host" ? "host" : "moderator", viewerId: peer.viewerId });

/** Topics of the outbox: what the room still has to write elsewhere. */
/**
 * `order`: an order's row for D1; `email`: an email to send (through the Worker's email queue); `reminder`: a reminder
 * to everyone who asked for it; `recording`: the show ended, finalize its recording (the Worker's recording queue);
 * `rehearsal`: the show left its schedule, end its rehearsal; `numbers`: a row of the show's numbers for D1;
 * `webhook`: a webhook event for D1, then the webhook queue (webhook-events.ts).
 */
export type OutboxTopic = "order" | "email" | "reminder" | "recording" | "rehearsal" | "numbers" | "webhook";

/** One change in the making: the events it emits and the writes it queues commit with it. */
export interface Change {
  /**
   * Logs a public event with the next sequence number and the room clock's
   * time; every socket gets it after commit. Pass a function when the event
   * itself must carry its number, or its time in the log (a chat message carries both).
   */
  emit<E extends EventBody>(event: E | ((seq: number, at: number) => E)): E & { seq: number };
  /** A frame only the host's sockets get, after commit. */
  toHosts(frame: ServerMessage): void;
  /** Queues a write for D1 in this same transaction; the outbox drains it after commit, with retries. */
  enqueue(topic: OutboxTopic, key: string, version: number, payload?: unknown): void;
  /** A clock moved (a hold, a deal, an absence): the alarm is re-armed after commit. */
  rearm(): void;
}

/** The room as its features see it. */
export interface RoomKit {
  readonly sql: SqlStorage;
  readonly storage: DurableObjectStorage;
  readonly env: Env;
  /** The room's clock (milliseconds since the epoch): the truth for deals, holds and countdowns. */
  now(): number;
  /**
   * Runs `change` in one transaction; what it emitted is published once it
   * committed. `by`: who decided it (moderation), kept with its events in the log.
   */
  commit<R>(change: (tx: Change) => R, options?: { by?: Actor | null }): R;
  /** An ephemeral frame (presence, hearts) to every socket; not logged, never replayed. */
  broadcast(frame: ServerMessage): void;
  /**
   * Viewers connected now (everyone but the host and moderators): kept by joins and leaves, so a join costs the room
   * no walk over its sockets; `recount` walks them (the presence tick does, which corrects any drift).
   */
  viewers(recount?: boolean): number;
  /** Asks the outbox to write now, in the background. */
  drainSoon(): void;
}

/** A socket as a handler sees it. */
export interface Socket {
  readonly connection: Connection;
  readonly peer: Peer;
  /** The label the client put on the frame being handled, if any. */
  readonly ref?: string;
  send(frame: ServerMessage): void;
  /** An `error` frame: the client is told, never silently dropped. */
  refuse(code: ErrorCode, message: string, retryAfterMs?: number): void;
}

export type Handler<T extends ClientMessage["type"]> = (socket: Socket, message: Extract<ClientMessage, { type: T }>) => void;
export type Handlers = { [T in ClientMessage["type"]]?: Handler<T> };

export interface RoomFeature {
  /** SQL steps by room schema version (1 is the schema rooms were created with before versioning). */
  readonly schema?: Readonly<Record<number, string>>;
  readonly handlers?: Handlers;
  nextDue?(): number | null;
  onDue?(now: number): void | Promise<void>;
  /** A socket joined or left (after the room accepted it / after it closed). */
  onJoin?(socket: Socket): void;
  onLeave?(socket: Socket): void;
  /**
   * Many sockets joined and left at once (an audience shard's report, every 250 ms in a join storm): when a feature
   * has this, the Room calls it instead of onJoin and onLeave for each, so the feature can take them in one commit.
   */
  onViewers?(joined: Socket[], left: Socket[]): void;
}
