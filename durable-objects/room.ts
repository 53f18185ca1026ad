/**
 * Room: one Durable Object per live show.
 *
 * It owns everything live: the status, the pinned product, the product
 * counters, the chat, the reaction total and the event log that gives every
 * durable event its sequence number. Its SQLite storage is the truth; memory
 * only holds what may be lost on eviction (rate-limit buckets, hearts not yet
 * flushed, a pending presence frame).
 */
import { Server, type Connection, type ConnectionContext, type WSMessage } from "partyserver";
import {
  CLOSE,
  type FlashDeal,
  type OrderSummary,
  type StageTrack,
  LIMITS,
  parseClientMessage,
  type ChatMessage,
  type ClientMessage,
  type ErrorCode,
  type Role,
  type RoomEvent,
  type RoomProduct,
  type RoomState,
  type RoomStatus,
  type ServerMessage,
} from "./protocol.ts";
import { activeDeal, closeDeals, nextDealEnd, startDeal, type DealRefusal, type StartDeal } from "./flash-deals.ts";
import {
  attachCheckout,
  expiredHolds,
  findOrder,
  checkOrder,
  commitOrder,
  nextHoldExpiry,
  recentOrders,
  settleOrder,
  toOrder,
  toSummary,
  type Order,
  type OrderRefusal,
  type OrderRow,
  type PlaceOrder,
  type Placed,
} from "./orders.ts";
import { drainOutbox, nextOutboxAttempt } from "./outbox.ts";
import { SCHEMA } from "./room-schema.ts";
import {
  addTracks,
  clearStage,
  dropAbandoned,
  nextAbandonCheck,
  onStage,
  openSession,
  ownerLeft,
  ownerReturned,
  ownSession,
  removeTracks,
  revokeSession,
  sessionRole,
  sessionRoleOf,
  stageTracks,
  type PublishedTrack,
} from "./stage.ts";
import { TokenBucket } from "./token-bucket.ts";

/** What the Worker hands a new room (after writing it to D1). */
export interface RoomSetup {
  id: string;
  shopId: string;
  shopName: string;
  title: string;
  startsAt: string | null;
  hostKeyHash: string;
  guestKeyHash: string;
  products: Array<Omit<RoomProduct, "left"> & { listed: number }>;
}

/** Results of the Room's RPC methods: the Worker maps failures to HTTP errors. */
export type RoomResult =
  | { ok: true; room: RoomState }
  | { ok: false; code: "room_not_found" | "not_found" | "invalid_transition"; message: string };

/** The header through which the Worker tells the room who a socket is (after checking its key). */
export const ROLE_HEADER = "x-room-role";

type RoomRow = {
  room_id: string;
  shop_id: string;
  shop_name: string;
  title: string;
  starts_at: string | null;
  status: RoomStatus;
  pinned_product_id: string | null;
  reactions: number;
  head_seq: number;
  host_key_hash: string;
  guest_key_hash: string;
};

type ProductRow = {
  id: string;
  title: string;
  description: string | null;
  price_cents: number;
  currency: string;
  image_url: string | null;
  available: number;
};

type ConnectionInfo = { role: Role };

const PRESENCE_EVERY_MS = 500;
const REACTIONS_EVERY_MS = 200;

export class Room extends Server<Env> {
  static options = { hibernate: true };

  /** Per-connection rate limits. Kept in memory on purpose: eviction only resets them. */
  #chatBuckets = new Map<string, TokenBucket>();
  #reactionBuckets = new Map<string, TokenBucket>();
  #pendingHearts = 0;
  #heartsTimer: ReturnType<typeof setTimeout> | null = null;
  #presenceTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // Creating the schema here, not in onStart, so that RPC calls from the
    // Worker (which do not pass through partyserver's fetch) find it too.
    ctx.storage.sql.exec(SCHEMA);
    // After a restart or a crash: anything still queued for D1, a hold or a
    // deal still running gets its alarm again.
    this.#scheduleAlarm();
  }

  // ------------------------------------------------------------ RPC (Worker)

  /** Creates the room's live state once; a repeated call with the same id is a no-op. */
  setup(input: RoomSetup): RoomState {
    const existing = this.#room();
    if (existing) {
      if (existing.room_id !== input.id) throw new Error(`room ${this.name} is already set up as ${existing.room_id}`);
      return this.#state(existing);
    }
    const sql = this.ctx.storage.sql;
    this.ctx.storage.transactionSync(() => {
      sql.exec(
        `INSERT INTO room (id, room_id, shop_id, shop_name, title, starts_at, status, host_key_hash, guest_key_hash)
         VALUES (1, ?, ?, ?, ?, ?, 'scheduled', ?, ?)`,
        input.id, input.shopId, input.shopName, input.title, input.startsAt, input.hostKeyHash, input.guestKeyHash,
      );
      input.products.forEach((p, position) => {
        sql.exec(
          `INSERT INTO products (id, position, title, description, price_cents, currency, image_url, listed, available, held, sold)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0)`,
          p.id, position, p.title, p.description, p.priceCents, p.currency, p.imageUrl, p.listed, p.listed,
        );
      });
    });
    return this.#state(this.#room()!);
  }

  /** The room as the public API shows it, or null when no show was set up here. */
  getState(): RoomState | null {
    const room = this.#room();
    return room ? this.#state(room) : null;
  }

  /**
   * Who a key makes its bearer in this room: the Worker calls this before it
   * accepts a socket, so a wrong key never gets one.
   */
  roleFor(keyHash: string | null): { exists: boolean; role: Role | null } {
    const room = this.#room();
    if (!room) return { exists: false, role: null };
    if (keyHash === null) return { exists: true, role: "viewer" };
    if (keyHash === room.host_key_hash) return { exists: true, role: "host" };
    if (keyHash === room.guest_key_hash) return { exists: true, role: "guest" };
    return { exists: true, role: null };
  }

  pin(productId: string | null): RoomResult {
    const room = this.#room();
    if (!room) return notSetUp();
    if (productId !== null && !this.#product(productId)) {
      return { ok: false, code: "not_found", message: `Product ${productId} is not part of this show.` };
    }
    if (room.pinned_product_id !== productId) {
      this.#append((seq) => {
        this.ctx.storage.sql.exec("UPDATE room SET pinned_product_id = ? WHERE id = 1", productId);
        return { type: "pin", seq, productId };
      });
    }
    return { ok: true, room: this.#state(this.#room()!) };
  }

  setStatus(status: "live" | "ended"): RoomResult {
    const room = this.#room();
    if (!room) return notSetUp();
    if (room.status === status) return { ok: true, room: this.#state(room) };
    if (room.status === "ended") {
      return { ok: false, code: "invalid_transition", message: "This show has ended; it cannot go live again. Create a new room for a new show." };
    }
    this.#append((seq) => {
      this.ctx.storage.sql.exec("UPDATE room SET status = ? WHERE id = 1", status);
      return { type: "status", seq, status };
    });
    if (status === "ended") {
      this.#appendIf((seq) => (clearStage(this.ctx.storage.sql) > 0 ? { type: "stage", seq, tracks: [] } : null));
    }
    return { ok: true, room: this.#state(this.#room()!) };
  }

  // ------------------------------------------------------------ RPC: orders and deals

  /** Takes units for an order (see orders.ts); every viewer sees the new count at once. */
  placeOrder(input: PlaceOrder): Placed | OrderRefusal {
    const room = this.#room();
    if (!room) return { ok: false, status: 404, code: "not_found", message: "No show exists with this id." };
    const now = Date.now();
    const sql = this.ctx.storage.sql;
    const decision = checkOrder(sql, room, input, now);
    if (!decision.ok || !("plan" in decision)) return decision;
    // Synchronous since the check, so nothing changed in between. The order,
    // the stock change, its outbox entry and the event that tells viewers
    // the new count commit in one transaction.
    let placed: Placed | undefined;
    this.#append((seq) => {
      placed = commitOrder(sql, room, decision.plan, now);
      return this.#productEvent(seq, input.productId);
    });
    this.#afterOrderChange(placed!.order.id);
    return placed!;
  }

  /** An order of this room, if `token` is its token (or `trusted`, for the shop's own key). */
  getOrder(orderId: string, token: string | null, trusted = false): Order | null {
    const room = this.#room();
    const row = findOrder(this.ctx.storage.sql, orderId);
    if (!room || !row || (!trusted && row.token !== token)) return null;
    return toOrder(row, room);
  }

  /** The payment provider's word on a hold: paid, or given up. Idempotent. */
  settle(orderId: string, to: "confirmed" | "cancelled" | "expired"): Order | null {
    const room = this.#room();
    if (!room) return null;
    if (this.#settle(orderId, to, Date.now())) this.#afterOrderChange(orderId);
    const current = findOrder(this.ctx.storage.sql, orderId);
    return current ? toOrder(current, room) : null;
  }

  /** Settles one hold and announces the product's new count, atomically; false if it was already settled. */
  #settle(orderId: string, to: "confirmed" | "cancelled" | "expired", now: number): boolean {
    let settled: OrderRow | null = null;
    this.#appendIf((seq) => {
      settled = settleOrder(this.ctx.storage.sql, orderId, to, now);
      return settled ? this.#productEvent(seq, settled.product_id) : null;
    });
    return settled !== null;
  }

  /** Remembers the checkout a hold is paid through, so a retried request gets the same one. */
  attachCheckout(orderId: string, checkoutId: string, checkoutUrl: string): void {
    attachCheckout(this.ctx.storage.sql, orderId, checkoutId, checkoutUrl);
  }

  /** The newest orders, for the studio. */
  listOrders(limit = 200): OrderSummary[] {
    return recentOrders(this.ctx.storage.sql, limit);
  }

  startDeal(input: StartDeal): { ok: true; deal: FlashDeal; room: RoomState } | DealRefusal {
    const room = this.#room();
    if (!room) return { ok: false, status: 404, code: "not_found", message: "No show exists with this id." };
    const now = Date.now();
    let started: FlashDeal | null = null;
    const result = this.#appendIf((seq) => {
      const outcome = startDeal(this.ctx.storage.sql, room.status, input, now);
      if (!outcome.ok) return outcome;
      started = outcome.deal;
      return { type: "deal", seq, deal: outcome.deal };
    });
    if (!started) return result as DealRefusal;
    this.#scheduleAlarm();
    return { ok: true, deal: started, room: this.#state(this.#room()!) };
  }

  endDeal(): RoomState | null {
    const room = this.#room();
    if (!room) return null;
    this.#appendIf((seq) => (closeDeals(this.ctx.storage.sql, Date.now(), true) > 0 ? { type: "deal", seq, deal: null } : null));
    return this.#state(this.#room()!);
  }

  // ------------------------------------------------------------ RPC: the stage (video)

  /** Records a Calls session opened through the proxy, with its opener's role. */
  openCallsSession(sessionId: string, role: Role, tokenHash: string, connectionId: string | null = null): void {
    const sql = this.ctx.storage.sql;
    this.ctx.storage.transactionSync(() => {
      openSession(sql, sessionId, role, tokenHash, Date.now());
      // A publisher names its room connection, so its tracks can leave the stage when its page does.
      if (connectionId && role !== "viewer") ownSession(sql, sessionId, connectionId);
    });
  }

  /** The role of a session whose token this is; "revoked" once removed from the stage; null if not ours. */
  callsSessionRole(sessionId: string, tokenHash: string): Role | "revoked" | null {
    return sessionRole(this.ctx.storage.sql, sessionId, tokenHash);
  }

  /** Which of these tracks viewers may pull: only those on the stage. */
  unannounced(tracks: Array<{ sessionId: string; trackName: string }>): Array<{ sessionId: string; trackName: string }> {
    return tracks.filter((t) => !onStage(this.ctx.storage.sql, t.sessionId, t.trackName));
  }

  /** Puts a host's or guest's freshly published tracks on the stage; every viewer is told. */
  publish(sessionId: string, tracks: PublishedTrack[]): StageTrack[] {
    const role = sessionRoleOf(this.ctx.storage.sql, sessionId);
    if (role !== "host" && role !== "guest") throw new Error("only host and guest sessions publish");
    this.#append((seq) => {
      addTracks(this.ctx.storage.sql, sessionId, role, tracks, Date.now());
      return { type: "stage", seq, tracks: stageTracks(this.ctx.storage.sql) };
    });
    return stageTracks(this.ctx.storage.sql);
  }

  /** Tracks a publisher closed; null = all of the session's. */
  unpublish(sessionId: string, mids: string[] | null): void {
    this.#appendIf((seq) =>
      removeTracks(this.ctx.storage.sql, sessionId, mids) > 0 ? { type: "stage", seq, tracks: stageTracks(this.ctx.storage.sql) } : null,
    );
  }

  /** The host removes someone from the stage; returns the mids the proxy must close at the SFU. */
  removeFromStage(sessionId: string): string[] {
    let mids: string[] = [];
    this.#append((seq) => {
      mids = revokeSession(this.ctx.storage.sql, sessionId);
      return { type: "stage", seq, tracks: stageTracks(this.ctx.storage.sql) };
    });
    return mids;
  }

  // ------------------------------------------------------------ alarm: holds, deals, outbox

  /**
   * One alarm serves four clocks: holds that run out, deals that end,
   * publishers whose page has been gone too long, and outbox writes that are
   * due (or due again after a failure).
   */
  async onAlarm(): Promise<void> {
    const room = this.#room();
    if (!room) return;
    const now = Date.now();
    for (const orderId of expiredHolds(this.ctx.storage.sql, now)) {
      if (this.#settle(orderId, "expired", now)) this.#afterOrderChange(orderId, false);
    }
    this.#appendIf((seq) => (closeDeals(this.ctx.storage.sql, now) > 0 ? { type: "deal", seq, deal: null } : null));
    this.#appendIf((seq) =>
      dropAbandoned(this.ctx.storage.sql, now) > 0 ? { type: "stage", seq, tracks: stageTracks(this.ctx.storage.sql) } : null,
    );
    await this.#drain();
    this.#scheduleAlarm();
  }

  // ------------------------------------------------------------ sockets

  getConnectionTags(_connection: Connection, ctx: ConnectionContext): string[] {
    return [roleFromHeader(ctx.request.headers.get(ROLE_HEADER))];
  }

  onConnect(connection: Connection<ConnectionInfo>, ctx: ConnectionContext): void {
    const room = this.#room();
    if (!room) {
      connection.close(CLOSE.roomNotFound, "room not found");
      return;
    }
    const role = roleFromHeader(ctx.request.headers.get(ROLE_HEADER));
    connection.setState({ role });
    // Only hosts and guests publish, so only their sockets can own a session.
    if (role !== "viewer") ownerReturned(this.ctx.storage.sql, connection.id);
    const since = Number(new URL(ctx.request.url).searchParams.get("since") ?? "0");
    this.#catchUp(connection, room, Number.isSafeInteger(since) ? since : 0);
    this.#schedulePresence();
  }

  onClose(connection: Connection): void {
    this.#chatBuckets.delete(connection.id);
    this.#reactionBuckets.delete(connection.id);
    if (!connection.tags.includes("viewer") && ownerLeft(this.ctx.storage.sql, connection.id, Date.now())) this.#scheduleAlarm();
    this.#schedulePresence();
  }

  onMessage(connection: Connection<ConnectionInfo>, raw: WSMessage): void {
    const message = parseClientMessage(raw);
    if (!message) {
      this.#sendError(connection, "invalid_message", `Messages must be JSON matching the room protocol; chat text is 1–${LIMITS.chatText} characters.`);
      return;
    }
    const room = this.#room();
    if (!room) return connection.close(CLOSE.roomNotFound, "room not found");
    const role = connection.state?.role ?? "viewer";
    switch (message.type) {
      case "chat":
        return this.#chat(connection, room, role, message);
      case "react":
        return this.#react(connection, room);
      case "resync":
        return this.#catchUp(connection, room, message.since);
      case "delete":
      case "pin":
      case "status":
        if (role !== "host") {
          return this.#sendError(connection, "forbidden", "Only the host can pin products, change the show's status or delete messages.");
        }
        return this.#hostAction(connection, message);
    }
  }

  // ------------------------------------------------------------ chat and reactions

  #chat(connection: Connection, room: RoomRow, role: Role, message: Extract<ClientMessage, { type: "chat" }>): void {
    if (room.status === "ended") return this.#sendError(connection, "show_ended", "The show has ended; chat is closed.");
    const text = message.text.trim();
    if (!text) return this.#sendError(connection, "invalid_message", "A chat message cannot be empty.");
    const bucket = bucketFor(this.#chatBuckets, connection.id, LIMITS.chatBurst, LIMITS.chatPerSecond);
    const wait = bucket.take();
    if (wait > 0) {
      return this.#sendError(connection, "rate_limited", "You are sending messages too fast; wait a moment.", wait);
    }
    const name = message.name?.trim() || defaultName(role, room, connection.id);
    this.#append((seq) => {
      const chat: ChatMessage = { id: crypto.randomUUID(), seq, name, role, text, at: Date.now() };
      const sql = this.ctx.storage.sql;
      sql.exec(
        "INSERT INTO messages (id, seq, name, role, text, at) VALUES (?, ?, ?, ?, ?, ?)",
        chat.id, chat.seq, chat.name, chat.role, chat.text, chat.at,
      );
      sql.exec(
        "DELETE FROM messages WHERE seq <= (SELECT seq FROM messages ORDER BY seq DESC LIMIT 1 OFFSET ?)",
        LIMITS.historyKept,
      );
      return { type: "chat", seq, message: chat };
    });
  }

  #react(connection: Connection, room: RoomRow): void {
    if (room.status === "ended") return this.#sendError(connection, "show_ended", "The show has ended.");
    const bucket = bucketFor(this.#reactionBuckets, connection.id, LIMITS.reactionBurst, LIMITS.reactionsPerSecond);
    const wait = bucket.take();
    if (wait > 0) return this.#sendError(connection, "rate_limited", "Too many hearts at once; slow down a little.", wait);
    this.#pendingHearts += 1;
    // Hearts are batched so that a burst from a thousand viewers costs one
    // frame per viewer every 200 ms, not one frame per heart.
    this.#heartsTimer ??= setTimeout(() => this.#flushHearts(), REACTIONS_EVERY_MS);
  }

  #flushHearts(): void {
    this.#heartsTimer = null;
    const added = this.#pendingHearts;
    this.#pendingHearts = 0;
    if (added === 0) return;
    this.ctx.storage.sql.exec("UPDATE room SET reactions = reactions + ? WHERE id = 1", added);
    const room = this.#room()!;
    this.#broadcast({ type: "reactions", seq: room.head_seq, added, total: room.reactions });
  }

  #hostAction(connection: Connection, message: Extract<ClientMessage, { type: "delete" | "pin" | "status" }>): void {
    if (message.type === "delete") {
      const found = this.ctx.storage.sql.exec("SELECT id FROM messages WHERE id = ?", message.messageId).toArray();
      if (found.length === 0) return this.#sendError(connection, "not_found", "That message is already gone.");
      this.#append((seq) => {
        this.ctx.storage.sql.exec("DELETE FROM messages WHERE id = ?", message.messageId);
        return { type: "chat_deleted", seq, messageId: message.messageId };
      });
      return;
    }
    const result = message.type === "pin" ? this.pin(message.productId) : this.setStatus(message.status);
    if (!result.ok) this.#sendError(connection, result.code === "room_not_found" ? "not_found" : result.code, result.message);
  }

  // ------------------------------------------------------------ event log

  /**
   * Gives the next sequence number to one durable event: the state change
   * made by `write` and the log entry commit together or not at all, and only
   * then is the event broadcast.
   */
  #append(write: (seq: number) => RoomEvent): RoomEvent {
    return this.#appendIf(write) as RoomEvent;
  }

  /**
   * Like #append, for changes that may turn out not to happen: when `write`
   * returns something other than an event (nothing changed, or a refusal),
   * no number is taken and that value is returned instead.
   */
  #appendIf<R>(write: (seq: number) => RoomEvent | R): RoomEvent | R {
    const sql = this.ctx.storage.sql;
    const result = this.ctx.storage.transactionSync(() => {
      const seq = this.#room()!.head_seq + 1;
      const event = write(seq);
      if (!isEvent(event)) return event;
      sql.exec("UPDATE room SET head_seq = ? WHERE id = 1", seq);
      sql.exec("INSERT INTO events (seq, body) VALUES (?, ?)", seq, JSON.stringify(event));
      sql.exec("DELETE FROM events WHERE seq <= ?", seq - LIMITS.eventLogKept);
      return event;
    });
    if (isEvent(result)) this.#broadcast(result);
    return result;
  }

  #productEvent(seq: number, productId: string): RoomEvent {
    return { type: "product", seq, product: productView(this.#product(productId)!) };
  }

  /** After an order is placed or settled: tell the hosts, and get it to D1. */
  #afterOrderChange(orderId: string, drainNow = true): void {
    const row = findOrder(this.ctx.storage.sql, orderId);
    if (row) this.#sendToHosts(row);
    this.#scheduleAlarm();
    // Written at once when D1 is healthy; the alarm retries otherwise.
    if (drainNow) this.ctx.waitUntil(this.#drain());
  }

  #sendToHosts(row: OrderRow): void {
    const message = JSON.stringify({ type: "order", seq: this.#room()!.head_seq, order: toSummary(row) } satisfies ServerMessage);
    for (const connection of this.getConnections("host")) connection.send(message);
  }

  #draining: Promise<void> | null = null;

  /** One outbox drain at a time; a drain that is asked for while one runs follows it. */
  #drain(): Promise<void> {
    const run = async () => {
      const room = this.#room();
      if (room) await drainOutbox(this.ctx.storage, this.env.DB, room, Date.now());
    };
    const next = (this.#draining ?? Promise.resolve()).then(run, run).finally(() => {
      if (this.#draining === next) this.#draining = null;
    });
    this.#draining = next;
    return next;
  }

  #scheduleAlarm(): void {
    const sql = this.ctx.storage.sql;
    const times = [nextOutboxAttempt(sql), nextHoldExpiry(sql), nextDealEnd(sql), nextAbandonCheck(sql)].filter((t): t is number => t !== null);
    if (times.length === 0) return;
    // setAlarm replaces any earlier alarm; the minimum of all three is the right one.
    void this.ctx.storage.setAlarm(Math.max(Date.now(), Math.min(...times)));
  }

  /**
   * Brings one connection up to date. `since` is the last sequence number the
   * client applied: when the log still holds everything after it, the client
   * gets exactly those events (no gap, no duplicate); otherwise (a new client,
   * or one that was away longer than the log reaches) the whole state.
   */
  #catchUp(connection: Connection<ConnectionInfo>, room: RoomRow, since: number): void {
    const you = { id: connection.id, role: connection.state?.role ?? "viewer" };
    const oldest = this.ctx.storage.sql.exec<{ seq: number }>("SELECT min(seq) AS seq FROM events").one().seq ?? room.head_seq + 1;
    const canReplay = since > 0 && since <= room.head_seq && since >= oldest - 1;
    if (canReplay) {
      const events = this.ctx.storage.sql
        .exec<{ body: string }>("SELECT body FROM events WHERE seq > ? ORDER BY seq", since)
        .toArray()
        .map((row) => JSON.parse(row.body) as RoomEvent);
      this.#send(connection, {
        type: "replay", seq: room.head_seq, now: Date.now(), you, viewers: this.#viewerCount(), reactions: room.reactions, events,
      });
      return;
    }
    const messages = this.ctx.storage.sql
      .exec<ChatMessage>(
        "SELECT * FROM (SELECT id, seq, name, role, text, at FROM messages ORDER BY seq DESC LIMIT ?) ORDER BY seq",
        LIMITS.historyOnJoin,
      )
      .toArray();
    this.#send(connection, { type: "sync", seq: room.head_seq, now: Date.now(), you, room: this.#state(room), messages });
  }

  // ------------------------------------------------------------ presence

  #viewerCount(): number {
    let count = 0;
    for (const connection of this.getConnections()) {
      if (!connection.tags.includes("host")) count += 1;
    }
    return count;
  }

  /** At most one presence frame per half second, however fast people come and go. */
  #schedulePresence(): void {
    this.#presenceTimer ??= setTimeout(() => {
      this.#presenceTimer = null;
      const room = this.#room();
      if (room) this.#broadcast({ type: "presence", seq: room.head_seq, viewers: this.#viewerCount() });
    }, PRESENCE_EVERY_MS);
  }

  // ------------------------------------------------------------ helpers

  #room(): RoomRow | undefined {
    return this.ctx.storage.sql.exec<RoomRow>("SELECT * FROM room WHERE id = 1").toArray()[0];
  }

  #product(id: string): ProductRow | undefined {
    return this.ctx.storage.sql.exec<ProductRow>("SELECT * FROM products WHERE id = ?", id).toArray()[0];
  }

  #state(room: RoomRow): RoomState {
    const products = this.ctx.storage.sql
      .exec<ProductRow>("SELECT * FROM products ORDER BY position")
      .toArray()
      .map(productView);
    return {
      id: room.room_id,
      shopId: room.shop_id,
      shopName: room.shop_name,
      title: room.title,
      status: room.status,
      startsAt: room.starts_at,
      pinnedProductId: room.pinned_product_id,
      viewers: this.#viewerCount(),
      reactions: room.reactions,
      products,
      deal: activeDeal(this.ctx.storage.sql, Date.now()),
      stage: stageTracks(this.ctx.storage.sql),
    };
  }

  #send(connection: Connection, message: ServerMessage): void {
    connection.send(JSON.stringify(message));
  }

  #broadcast(message: ServerMessage): void {
    this.broadcast(JSON.stringify(message));
  }

  #sendError(connection: Connection, code: ErrorCode, message: string, retryAfterMs?: number): void {
    const seq = this.#room()?.head_seq ?? 0;
    this.#send(connection, { type: "error", seq, code, message, ...(retryAfterMs ? { retryAfterMs } : {}) });
  }
}

function isEvent(value: unknown): value is RoomEvent {
  return typeof value === "object" && value !== null && "seq" in value && "type" in value;
}

function productView(row: ProductRow): RoomProduct {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    priceCents: row.price_cents,
    currency: row.currency,
    imageUrl: row.image_url,
    left: row.available,
  };
}

function roleFromHeader(value: string | null): Role {
  return value === "host" || value === "guest" ? value : "viewer";
}

function bucketFor(buckets: Map<string, TokenBucket>, id: string, burst: number, perSecond: number): TokenBucket {
  let bucket = buckets.get(id);
  if (!bucket) {
    bucket = new TokenBucket(burst, perSecond);
    buckets.set(id, bucket);
  }
  return bucket;
}

function defaultName(role: Role, room: RoomRow, connectionId: string): string {
  if (role === "host") return room.shop_name;
  // A stable short number per connection, so an anonymous viewer is
  // recognisable within a conversation without signing up.
  let hash = 0;
  for (const char of connectionId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  const suffix = String(hash % 10000).padStart(4, "0");
  return role === "guest" ? `Guest ${suffix}` : `Viewer ${suffix}`;
}

function notSetUp(): RoomResult {
  return { ok: false, code: "room_not_found", message: "No show exists with this id." };
}
