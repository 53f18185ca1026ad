/**
 * Room: one Durable Object per show, and a thin host of its features.
 *
 * Each feature (room-kit.ts) owns its schema, its handlers and its clock:
 * the show (status, pin, products), chat and its moderation, the audience
 * (presence, hearts), orders, flash deals, the stage (video), the outbox and
 * socket tickets. The Room applies their migrations, routes each client
 * frame to the feature that answers it, arms one alarm for the earliest of
 * their clocks, and is the one place that publishes what a committed change
 * emitted (each socket getting what it may read of it).
 *
 * Its SQLite storage is the truth; memory only holds what may be lost on
 * eviction (rate-limit buckets, hearts not yet flushed, a pending presence
 * frame). A room that was never set up has no tables and writes nothing.
 */
import { handOverWebhookEvents, queueWebhook, showData, writeWebhookEvents } from "./webhook-events.ts";
import { Server, type Connection, type ConnectionContext, type WSMessage } from "partyserver";
import { Audience } from "./audience.ts";
import { Chat } from "./chat.ts";
import { CustomEvents, type PostEvent, type Posted } from "./custom-events.ts";
import { appendEvent, eventFor, eventLogSchema, eventsAfter, headSeq, history, messageFor, statusTimes } from "./event-log.ts";
import { EventStreams } from "./event-stream.ts";
import { FlashDeals, type StartDeal } from "./flash-deals.ts";
import { isSetUp, migrate } from "./migrations.ts";
import { Moderation } from "./moderation.ts";
import { Numbers, writeNumbers, type TrackWhat } from "./numbers.ts";
import { findOrder, Orders, writeOrders, type Notify, type Order, type PlaceOrder, type Placed } from "./orders.ts";
import { sendBuyerEmails } from "./buyer-emails.ts";
import { sendReminders } from "./reminder-sender.ts";
import { Reminders } from "./reminders.ts";
import { enqueue, Outbox } from "./outbox.ts";
import { queueFinalization, sendFinalization } from "./recording-end.ts";
import { pinTimes } from "./replay-facts.ts";
import { endRehearsalWithShow, isRehearsal, sendRehearsalEnd } from "./rehearsal.ts";
import {
  answerClose,
  CLOSE,
  HOST_ONLY,
  LIMITS,
  MODERATION,
  MODERATORS,
  ROLES,
  VIEWER_ID,
  parseClientMessage,
  type Actor,
  type ChatMessage,
  type ChatState,
  type ClientMessage,
  type ErrorCode,
  type FlashDeal,
  type ModerationFrame,
  type ModerationState,
  type OrderSummary,
  type Role,
  type RoomEvent,
  type RoomState,
  type ServerMessage,
  type StageTrack,
} from "./protocol.ts";
import { RateLimits } from "./rate-limits.ts";
import { replayTimeline, type ReplayTimeline } from "./replay-timeline.ts";
import { RoomFrames } from "./room-frames.ts";
import { noShow, refuse, type Refusal } from "./refusal.ts";
import type { Change, Handler, Handlers, Peer, RoomFeature, RoomKit, Socket } from "./room-kit.ts";
import { productList, Show, showRow, type RoomSetup, type ShowEdit, type ShowRow } from "./show.ts";
import { isPublisher, onStage, publisherTag, sessionRole, stageTracks, Stage, type PublishedTrack } from "./stage.ts";
import { Tickets } from "./tickets.ts";
import type { ViewerSync } from "./audience-shard.ts";
import { ARRIVE_MS, isShardLink, LEASE, parseShardFrame, planFromEnv, SHARD_HEADER, SHARD_LOST_MS, ShardPlacement, type Lease, type RoomToShard, type ShardLink, type ShardPlan } from "./shards.ts";

export type { RoomSetup };

/**
 * Headers through which the Worker tells the room (or a shard) who a socket is, after redeeming its ticket or
 * admitting a viewer: its role and identity, and `token`, the signed viewer token of an identity the Worker has just
 * issued, which the socket's first frame gives the page to keep (protocol.ts, `you.token`).
 */
export const PEER_HEADERS = {
  role: "x-room-role",
  viewer: "x-room-viewer",
  token: "x-room-viewer-token",
  /** On a viewer's socket to a shard, sent on a lease: the shard counts its identity against its socket allowance. */
  uncounted: "x-room-viewer-uncounted",
} as const;

/** The socket tags of a peer; the first tag partyserver adds is the connection id, which the Worker chose. */
const roleTag = (role: Role) => `role:${role}`;
/** Who the viewer count counts: everyone but the host and moderators (guests and viewers). */
const countsAsViewer = (role: Role) => role !== "host" && role !== "moderator";

export class Room extends Server<Env> {
  static options = { hibernate: true };

  readonly #limits = new RateLimits();
  readonly #kit: RoomKit;
  readonly #show: Show;
  readonly #chat: Chat;
  readonly #moderation: Moderation;
  readonly #orders: Orders;
  readonly #deals: FlashDeals;
  readonly #stage: Stage;
  readonly #outbox: Outbox;
  readonly #tickets: Tickets;
  readonly #reminders: Reminders;
  readonly #numbers: Numbers;
  readonly #customEvents: CustomEvents;
  /** The open event streams (SSE); in memory, dropped with the object (clients resume with Last-Event-ID). */
  readonly #streams: EventStreams;
  /** In this order: migrations run in it, and the alarm serves clocks in it (orders settle before the outbox drains). */
  readonly #features: RoomFeature[];
  readonly #handlers: Handlers;
  /** What this room sends its sockets and its shards' links, a few milliseconds' worth per frame (room-frames.ts). */
  readonly #frames = new RoomFrames(() => this.getConnections());
  /**
   * The open viewer sockets: counted once after the object starts, then kept by onConnect and onClose. Counting
   * every socket on every join made a join storm grow as N² (a sync frame, and the pins, carry the count).
   */
  #viewerCount: number | null = null;
  /** The show as any viewer reads it, at one head of the log (#viewerView). */
  #viewerViewAt: { seq: number; room: RoomState; messages: ChatMessage[]; chat: ChatState; sampledOut: Set<string> } | null = null;
  /** The audience shards' plan, read once per start of this object (and again after planAudience). */
  #planned: ShardPlan | null = null;
  readonly #audience: Audience;
  readonly #placement = new ShardPlacement();
  /** Since when each shard's link is gone (in memory), for the numbers' visits of its viewers (#onShard). */
  readonly #unlinkedAt = new Map<number, number>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const room = this;
    this.#kit = {
      sql: ctx.storage.sql,
      storage: ctx.storage,
      get env() {
        return room.env;
      },
      now: () => Date.now(),
      commit: (change, options) => this.#commit(change, options?.by ?? null),
      broadcast: (frame) => this.#frames.all(JSON.stringify(frame)),
      viewers: (recount = false) => {
        if (recount || this.#viewerCount === null) this.#viewerCount = this.#countViewers();
        return this.#viewerCount + this.#onShards();
      },
      // Re-armed after: what failed to write is retried by the alarm.
      drainSoon: () => this.ctx.waitUntil(this.#outbox.drain().then(() => this.#rearm())),
    };
    this.#show = new Show(this.#kit);
    this.#moderation = new Moderation(this.#kit);
    this.#chat = new Chat(this.#kit, this.#limits, this.#moderation);
    this.#orders = new Orders(this.#kit);
    this.#deals = new FlashDeals(this.#kit);
    this.#stage = new Stage(this.#kit, (tag) => this.#countOpen(tag));
    this.#outbox = new Outbox(this.#kit, () => showRow(ctx.storage.sql), { order: writeOrders, numbers: writeNumbers, webhook: writeWebhookEvents }, {
      email: sendBuyerEmails,
      reminder: sendReminders,
      recording: sendFinalization,
      rehearsal: sendRehearsalEnd,
    }, { webhook: handOverWebhookEvents });
    this.#tickets = new Tickets(this.#kit);
    this.#show.onEnd.push((tx) => this.#stage.clear(tx), (tx) => this.#deals.endWithShow(tx), queueFinalization);
    const endRehearsal = (tx: Change) => endRehearsalWithShow(tx, showRow(ctx.storage.sql)!.room_id);
    this.#show.onEnd.push(endRehearsal);
    this.#show.onLive.push(endRehearsal);
    const sql = ctx.storage.sql;
    this.#show.onLive.push((tx) => queueWebhook(tx, sql, "show.started", showData(sql), this.#kit.now()));
    this.#show.onEnd.push((tx) => queueWebhook(tx, sql, "show.ended", showData(sql), this.#kit.now()));
    const reminders = (this.#reminders = new Reminders(this.#kit));
    this.#show.onChange.push((tx) => reminders.onShowChange(tx));
    this.#numbers = new Numbers(this.#kit, { connected: (tag) => this.#countOpen(tag), onShard: (shard) => this.#onShard(shard) });
    this.#customEvents = new CustomEvents(this.#kit, this.#limits);
    this.#streams = new EventStreams(ctx.storage.sql);
    const log: RoomFeature = { schema: eventLogSchema };
    this.#features = [
      this.#show, log, this.#chat, this.#moderation, (this.#audience = new Audience(this.#kit, this.#limits)), this.#orders, this.#deals, this.#stage, reminders,
      this.#numbers, this.#customEvents, this.#outbox, this.#tickets,
    ];
    this.#handlers = Object.assign({}, ...this.#features.map((f) => f.handlers ?? {}));
    if (isSetUp(ctx.storage.sql)) {
      migrate(ctx.storage, this.#features);
      // After a restart or a crash: anything still queued for D1, a hold or a deal still running gets its alarm again,
      // and the numbers are counted again (what changed just before is counted too).
      this.#rearm();
      this.#numbers.touch();
    }
  }

  // ------------------------------------------------------------ RPC: the show

  /** Creates the room's live state once; a repeated call with the same id is a no-op. */
  setup(input: RoomSetup): RoomState | Refusal {
    migrate(this.ctx.storage, this.#features);
    return this.#show.setup(input) ?? this.#state();
  }

  /**
   * Starts this rehearsal afresh from its show's listing: whatever a run
   * before left (orders, chat, stage, deals) is gone, and its sockets
   * reconnect to the new run. Only a rehearsal's room may be wiped.
   */
  async rehearse(input: RoomSetup): Promise<RoomState | Refusal> {
    const show = isSetUp(this.ctx.storage.sql) ? showRow(this.ctx.storage.sql) : undefined;
    if (!isRehearsal(input.id) || (show && show.room_id !== input.id)) return refuse("invalid_request", "Only a rehearsal's room starts afresh.");
    await this.#wipe(CLOSE.rehearsalRestarted, "the rehearsal starts again");
    return this.setup(input);
  }

  /** Ends this rehearsal: its room is empty again (404 to every door) until the next one. */
  async endRehearsal(): Promise<void> {
    const show = isSetUp(this.ctx.storage.sql) ? showRow(this.ctx.storage.sql) : undefined;
    if (!show || !isRehearsal(show.room_id)) return;
    await this.#wipe(CLOSE.roomNotFound, "the rehearsal ended");
  }

  async #wipe(code: number, reason: string): Promise<void> {
    this.#frames.clear();
    for (const connection of this.getConnections()) connection.close(code, reason);
    this.#viewerCount = null;
    this.#planned = null;
    this.#viewerViewAt = null;
    this.#streams.closeAll();
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    // Empty tables, not none: every RPC then finds no show here (404), as in a room never set up.
    migrate(this.ctx.storage, this.#features);
  }

  /** The room as the public API shows it, or null when no show was set up here. */
  getState(): RoomState | null {
    return showRow(this.ctx.storage.sql) ? this.#state() : null;
  }

  /** One page of the ended show's public timeline, for its replay (replay-timeline.ts). */
  replayTimeline(after: number | null): ReplayTimeline | Refusal {
    return replayTimeline(this.ctx.storage.sql, after);
  }

  /** When the show went live and ended (the console's duration of a past show). */
  liveTimes(): { liveAt: number | null; endedAt: number | null } {
    return statusTimes(this.ctx.storage.sql);
  }

  /** What a replay's manifest needs from the log: when the show went live and ended, and every pin of a product (worker/recording/replay.ts). */
  replayFacts(): { status: RoomState["status"] | null; liveAt: number | null; endedAt: number | null; pins: Array<{ productId: string; at: number }> } {
    const show = showRow(this.ctx.storage.sql);
    return { status: show?.status ?? null, ...statusTimes(this.ctx.storage.sql), pins: show ? pinTimes(this.ctx.storage.sql) : [] };
  }

  pin(productId: string | null): RoomState | Refusal {
    return this.#show.pin(productId) ?? this.#state();
  }

  setStatus(status: "live" | "ended"): RoomState | Refusal {
    return this.#show.setStatus(status) ?? this.#state();
  }

  /** The shop changes (or cancels) a show before it goes live; refused once it is live or ended. */
  editShow(change: ShowEdit): RoomState | Refusal {
    return this.#show.edit(change) ?? this.#state();
  }

  /** A viewer confirmed an email reminder: reminders whose time already came go to them too (once). */
  rsvpConfirmed(): void {
    if (showRow(this.ctx.storage.sql)) this.#reminders.recipientsAdded();
  }

  /** A host was assigned to the show: the host's reminder, if its time already came before the start, goes to them too (once). */
  hostAssigned(): void {
    if (showRow(this.ctx.storage.sql)) this.#reminders.recipientsAdded("host");
  }

  // ------------------------------------------------------------ RPC: extensions

  /** A developer's own event, posted through the API: logged and sent to every socket and stream (custom-events.ts). */
  postEvent(input: PostEvent): Posted | Refusal {
    return this.#customEvents.post(input);
  }

  /** The room's events after `since` as Server-Sent Events, then live ones (event-stream.ts); null: from now on. */
  eventStream(since: number | null): ReadableStream<Uint8Array> | Refusal {
    if (!showRow(this.ctx.storage.sql)) return noShow();
    return this.#streams.open(since ?? headSeq(this.ctx.storage.sql));
  }

  /** How many event streams are open now (tests; a room with none can hibernate). */
  streamCount(): number {
    return this.#streams.size;
  }

  // ------------------------------------------------------------ RPC: the numbers

  /** A page visit (the Worker served the show's page; maybe with a referral code), or what a viewer looked at, told over HTTP. */
  track(what: TrackWhat, viewerId: string | null, productId: string | null, ref: string | null): void {
    if (showRow(this.ctx.storage.sql)) this.#numbers.track(what, viewerId, productId, ref);
  }

  /** Counts now rather than at the next tick (tests, and a show's numbers asked for right after it ended); the outbox writes them. */
  countNumbers(): void {
    if (!showRow(this.ctx.storage.sql)) return;
    if (this.#numbers.countNow().queued > 0) this.#kit.drainSoon();
  }

  // ------------------------------------------------------------ RPC: moderation

  /** The chat's rules, its pinned message and who is kept out of it (for the host's API). */
  moderation(): { chat: ChatState; moderation: ModerationState } | Refusal {
    if (!showRow(this.ctx.storage.sql)) return noShow();
    return { chat: this.#moderation.chatState(), moderation: this.#moderation.moderationState() };
  }

  /**
   * What a moderation frame does from a socket, asked over HTTP: the Worker
   * checked the key and says whose it was (`by`, kept in the log).
   */
  moderate(action: ModerationFrame, by: Actor): { chat: ChatState; moderation: ModerationState } | Refusal {
    if (!showRow(this.ctx.storage.sql)) return noShow();
    const refusal = this.#decide(action, by);
    return refusal ?? this.moderation();
  }

  #decide(action: ModerationFrame, by: Actor): Refusal | null {
    switch (action.type) {
      case "delete":
        return this.#chat.delete(action.messageId, by);
      default:
        return this.#moderation.decide(action, by);
    }
  }

  // ------------------------------------------------------------ RPC: sockets

  /** Whether a key (by its hash) is this room's current guest key; the host can replace it. */
  isGuestKey(hash: string): boolean {
    return showRow(this.ctx.storage.sql)?.guest_key_hash === hash;
  }

  /**
   * The host issued a new guest link: the old one stops working at once.
   * Guests leave the stage (returned: what the proxy must close at the relay)
   * and their sockets are closed; they may come back only with the new link.
   */
  replaceGuestKey(hash: string): Array<{ sessionId: string; mids: string[] }> | Refusal {
    // Also asked of a show's rehearsal room, which may never have been set up (no tables yet).
    if (!isSetUp(this.ctx.storage.sql) || !showRow(this.ctx.storage.sql)) return noShow();
    const closed = this.#commit((tx) => {
      this.ctx.storage.sql.exec("UPDATE room SET guest_key_hash = ? WHERE id = 1", hash);
      return this.#stage.endGuests(tx);
    });
    this.#frames.flush();
    for (const guest of this.getConnections(roleTag("guest"))) guest.close(CLOSE.guestLinkReplaced, "guest link replaced");
    this.#viewerCount = null;
    return closed;
  }

  /** Records a socket ticket (by its hash) for this peer; returns when it expires. */
  issueTicket(hash: string, peer: Peer): { expiresAt: number } | Refusal {
    if (!showRow(this.ctx.storage.sql)) return noShow();
    const wait = this.#limits.take("ticket", peer.viewerId);
    if (wait > 0) return refuse("rate_limited", `Too many socket tickets for this viewer; try again in ${Math.ceil(wait / 1000)} s.`);
    return { expiresAt: this.#tickets.issue(hash, peer) };
  }

  /**
   * Who a ticket admits (once), for the Worker to tell the room when it hands over the socket, and where the socket
   * goes: the audience shard of a big show's viewer (shards.ts), or null: this room.
   */
  redeemTicket(hash: string): (Peer & { shard: number | null }) | null {
    const peer = showRow(this.ctx.storage.sql) ? this.#tickets.redeem(hash) : null;
    if (!peer) return null;
    return { ...peer, shard: peer.role === "viewer" ? (this.#placeViewer()?.shard ?? null) : null };
  }

  /**
   * A viewer joining in one request, without a ticket (worker/sockets.ts): nothing is written. A viewer this room
   * takes itself has its identity limited here, as its tickets are. A big show's viewer goes to a shard, with a lease
   * (shards.ts) of up to `want` places in all, this viewer's among them: the Worker sends the viewers after it there
   * too without asking, and the shard limits each identity.
   */
  admitViewer(viewerId: string, want: number = LEASE.places): { shard: null } | { shard: number; lease: Lease } | Refusal {
    const show = showRow(this.ctx.storage.sql);
    if (!show) return noShow();
    const now = Date.now();
    const places = Number.isSafeInteger(want) ? Math.min(LEASE.most, Math.max(1, want)) : LEASE.places;
    const placed = this.#placeViewer(show, places, now + LEASE.ms + ARRIVE_MS);
    if (placed) return { shard: placed.shard, lease: { places: placed.places - 1, ms: LEASE.ms } };
    const wait = this.#limits.take("ticket", viewerId);
    if (wait > 0) return refuse("rate_limited", `Too many sockets for this viewer; try again in ${Math.ceil(wait / 1000)} s.`);
    return { shard: null };
  }

  /**
   * Places on an audience shard (shards.ts) for a new viewer and up to `want - 1` after it, or null: this room takes
   * the viewer. A rehearsal is its team's alone: never big enough for shards.
   */
  #placeViewer(show = showRow(this.ctx.storage.sql)!, want?: number, until?: number): { shard: number; places: number } | null {
    if (isRehearsal(show.room_id)) return null;
    // In a join storm this runs for every lease: the count of the sockets here is kept (a walk only when it was lost).
    this.#viewerCount ??= this.#countViewers();
    return this.#placement.place(this.#plan(), this.#viewerCount, [...this.#links()].map((link) => link.state), Date.now(), want, until);
  }

  /** When this room starts audience shards, and how full each gets (the Worker's vars unless set here, for one show). */
  planAudience(plan: ShardPlan | null): ShardPlan {
    if (plan) this.ctx.storage.kv.put("audience-plan", plan);
    else this.ctx.storage.kv.delete("audience-plan");
    this.#planned = null;
    return this.#plan();
  }

  #plan(): ShardPlan {
    this.#planned ??= this.ctx.storage.kv.get<ShardPlan>("audience-plan") ?? planFromEnv(this.env);
    return this.#planned;
  }

  /**
   * What a shard tells a joining viewer (audience-shard.ts): the show as any viewer sees it at the log's head, and
   * who is kept out of the chat (a viewer is told if it is).
   */
  viewerSync(): ViewerSync | Refusal {
    const show = showRow(this.ctx.storage.sql);
    if (!show) return noShow();
    const viewer: Peer = { role: "viewer", viewerId: "" };
    return {
      seq: show.head_seq,
      room: this.#state(show),
      // What viewers were shown (chat-sampling.ts); a viewer's own sampled-out lines are not in a shard's sync.
      messages: this.#chat.recent(viewer).map((message) => messageFor(message, viewer)),
      chat: chatStateFor(this.#moderation.chatState(), viewer),
      restricted: this.#moderation.moderationState().restricted.map(({ viewerId, restriction }) => ({ viewerId, restriction })),
    };
  }

  // ------------------------------------------------------------ RPC: orders and deals

  placeOrder(input: PlaceOrder): Placed | Refusal {
    return this.#orders.place(input);
  }

  /** An order of this room, if `token` is its token (or `trusted`, for the shop's own key). */
  getOrder(orderId: string, token: string | null, trusted = false): Order | null {
    return this.#orders.get(orderId, token, trusted);
  }

  /** The payment provider's word on a hold: paid, or given up. Idempotent. */
  settle(orderId: string, to: "confirmed" | "cancelled" | "expired"): Order | null {
    this.#orders.settle(orderId, to);
    return this.#orders.get(orderId, null, true);
  }

  /** Where and in which language the buyer of an order is told about it (for the shop's status emails); null if unknown. */
  buyerNotify(orderId: string): Notify | null {
    const row = findOrder(this.ctx.storage.sql, orderId);
    return row?.notify ? (JSON.parse(row.notify) as Notify) : null;
  }

  /** The shop cancelled an order: while the show sells, its units go back on sale (once). */
  cancelOrderByShop(orderId: string): { returned: number; showEnded: boolean } | Refusal {
    return this.#orders.cancelByShop(orderId);
  }

  /** Remembers the checkout a hold is paid through, so a retried request gets the same one. */
  attachCheckout(orderId: string, checkoutId: string, checkoutUrl: string): void {
    this.#orders.attachCheckout(orderId, checkoutId, checkoutUrl);
  }

  /** The newest orders, for the studio. */
  listOrders(limit = 200): OrderSummary[] {
    return this.#orders.recent(limit);
  }

  startDeal(input: StartDeal): { deal: FlashDeal; room: RoomState } | Refusal {
    const result = this.#deals.start(input);
    return result.ok ? { deal: result.deal, room: this.#state() } : result;
  }

  endDeal(): RoomState | Refusal {
    if (!showRow(this.ctx.storage.sql)) return noShow();
    this.#deals.end();
    return this.#state();
  }

  // ------------------------------------------------------------ RPC: the stage (video)

  /** Records a Calls session opened through the proxy; a publisher's session is owned by its pages (its identity). */
  openCallsSession(sessionId: string, role: Role, tokenHash: string, viewerId: string | null): void {
    this.#stage.open(sessionId, role, tokenHash, viewerId);
  }

  /** True when the host removed this publisher from the stage (a reload does not bring it back). */
  removedFromStage(role: Role, viewerId: string): boolean {
    return this.#stage.isRemoved(role, viewerId);
  }

  /** The role of a session whose token this is; "revoked" once removed from the stage; null if not ours. */
  callsSessionRole(sessionId: string, tokenHash: string): Role | "revoked" | null {
    return sessionRole(this.ctx.storage.sql, sessionId, tokenHash);
  }

  /** Which of these tracks viewers may not pull: those not on the stage. */
  unannounced(tracks: Array<{ sessionId: string; trackName: string }>): Array<{ sessionId: string; trackName: string }> {
    return tracks.filter((t) => !onStage(this.ctx.storage.sql, t.sessionId, t.trackName));
  }

  /** Puts a host's or guest's freshly published tracks on the stage; every viewer is told. */
  publish(sessionId: string, tracks: PublishedTrack[]): StageTrack[] | null {
    return this.#stage.publish(sessionId, tracks);
  }

  /** Tracks a publisher closed; null = all of the session's. */
  unpublish(sessionId: string, mids: string[] | null): void {
    this.#stage.unpublish(sessionId, mids);
  }

  /** A publisher turned tracks off or on (camera off); returns the stage. */
  pauseTracks(sessionId: string, mids: string[], paused: boolean): StageTrack[] {
    return this.#stage.pause(sessionId, mids, paused);
  }

  /** The host removes someone from the stage; returns the mids the proxy must close at the relay. */
  removeFromStage(sessionId: string): string[] {
    return this.#stage.remove(sessionId);
  }

  // ------------------------------------------------------------ the clock

  /** One alarm for every feature's clock: each whose time has come does its work. */
  async onAlarm(): Promise<void> {
    if (!showRow(this.ctx.storage.sql)) return;
    const now = Date.now();
    for (const feature of this.#features) {
      const due = feature.nextDue?.();
      if (due != null && due <= now) await feature.onDue?.(now);
    }
    this.#rearm();
  }

  #rearm(): void {
    const times = this.#features.map((f) => f.nextDue?.() ?? null).filter((t): t is number => t !== null);
    if (times.length === 0) return;
    // setAlarm replaces any earlier alarm; the earliest clock is the right one.
    void this.ctx.storage.setAlarm(Math.max(Date.now(), Math.min(...times)));
  }

  // ------------------------------------------------------------ sockets

  getConnectionTags(_connection: Connection, ctx: ConnectionContext): string[] {
    const shard = shardOf(ctx.request.headers);
    if (shard !== null) return ["shard", `shard:${shard}`];
    const peer = peerOf(ctx.request.headers);
    if (!peer) return [];
    const tags = [roleTag(peer.role), `viewer:${peer.viewerId}`];
    if (isPublisher(peer.role)) tags.push(publisherTag(peer.role, peer.viewerId));
    return tags;
  }

  onConnect(connection: Connection<Peer>, ctx: ConnectionContext): void {
    try {
      const shard = shardOf(ctx.request.headers);
      if (shard !== null) return this.#linked(connection as unknown as Connection<ShardLink>, shard, Number(new URL(ctx.request.url).searchParams.get("since")));
      const peer = peerOf(ctx.request.headers);
      // Only the Worker reaches this, after redeeming a ticket; anything else is refused.
      if (!peer) return connection.close(CLOSE.unauthorized, "no ticket");
      if (!showRow(this.ctx.storage.sql)) return connection.close(CLOSE.roomNotFound, "room not found");
      const query = new URL(ctx.request.url).searchParams;
      // Which events the page can read (an older page gets newer ones as `private`: protocol.ts).
      const protocol = Number(query.get("protocol"));
      this.#frames.joined(connection);
      connection.setState(Number.isSafeInteger(protocol) && protocol > 1 ? { ...peer, protocol } : peer);
      if (this.#viewerCount !== null && countsAsViewer(peer.role)) this.#viewerCount += 1;
      const socket = this.#socket(connection)!;
      for (const feature of this.#features) feature.onJoin?.(socket);
      const since = Number(query.get("since") ?? "0");
      this.#catchUp(socket, Number.isSafeInteger(since) ? since : 0, ctx.request.headers.get(PEER_HEADERS.token));
    } catch (error) {
      // Never a stack to the browser: a close code and a short reason.
      console.error("room: could not set up a socket", error);
      connection.close(CLOSE.internalError, "internal error");
    }
  }

  onClose(connection: Connection<Peer>, code: number): void {
    answerClose(connection, code);
    if (isShardLink(connection.state)) return this.#unlinked(connection.state);
    const socket = this.#socket(connection);
    if (!socket) return;
    if (this.#viewerCount !== null && countsAsViewer(socket.peer.role)) this.#viewerCount = Math.max(0, this.#viewerCount - 1);
    for (const feature of this.#features) feature.onLeave?.(socket);
  }

  /** A socket failed without a close: the count is taken again when next asked for. */
  onError(): void {
    this.#viewerCount = null;
  }

  onMessage(connection: Connection<Peer>, raw: WSMessage): void {
    if (isShardLink(connection.state)) return this.#fromShard(connection as unknown as Connection<ShardLink>, raw);
    const socket = this.#socket(connection);
    if (!socket) return connection.close(CLOSE.unauthorized, "no ticket");
    this.#handle(socket, raw);
  }

  /** One frame from a socket, here or on a shard: parsed, limited, checked for its sender's powers, handled. */
  #handle(peerSocket: Socket & { withRef(ref: string): Socket }, raw: WSMessage): void {
    const connection = peerSocket.connection;
    let socket: Socket = peerSocket;
    try {
      // Parsed before the frame limit, so that even that refusal names the line it refused.
      const message = parseClientMessage(raw);
      if (message && "ref" in message && message.ref) socket = peerSocket.withRef(message.ref);
      const wait = this.#limits.take("frame", socket.peer.viewerId);
      if (wait > 0) return socket.refuse("rate_limited", "Too many messages at once; slow down a little.", wait);
      if (!message) return socket.refuse("invalid_message", "Messages must be JSON matching the room protocol; chat text is 1–280 characters.");
      if (!showRow(this.ctx.storage.sql)) return connection.close(CLOSE.roomNotFound, "room not found");
      if (HOST_ONLY.includes(message.type) && socket.peer.role !== "host") {
        return socket.refuse("forbidden", "Only the host can pin products or change the show's status.");
      }
      if ((MODERATION as ReadonlyArray<string>).includes(message.type) && !MODERATORS.includes(socket.peer.role)) {
        return socket.refuse("forbidden", "Only the host and moderators can moderate the chat.");
      }
      if (message.type === "resync") {
        const resyncWait = this.#limits.take("resync", socket.peer.viewerId);
        if (resyncWait > 0) return socket.refuse("rate_limited", "Resyncing too often; wait a moment.", resyncWait);
        return this.#catchUp(socket, message.since);
      }
      (this.#handlers[message.type] as Handler<ClientMessage["type"]> | undefined)?.(socket, message);
    } catch (error) {
      console.error("room: a frame failed", error);
      socket.refuse("internal", "Something went wrong on our side; please try again.");
    }
  }

  /**
   * Brings one socket up to date. `since` is the last sequence number the
   * client applied: when the log can cover it, the client gets exactly the
   * events after it (no gap, no duplicate); otherwise the whole state.
   * `token`: a viewer identity the Worker has just issued, for the page to keep.
   */
  #catchUp(socket: Socket, since: number, token: string | null = null): void {
    const show = showRow(this.ctx.storage.sql)!;
    const { peer } = socket;
    const you = { id: peer.viewerId, role: peer.role, restriction: this.#moderation.restrictionFor(peer), ...(token ? { token } : {}) };
    const events = eventsAfter(this.ctx.storage.sql, since);
    if (events) {
      const visible = events.map((event) => eventFor(event, peer));
      socket.send({ type: "replay", seq: show.head_seq, now: Date.now(), you, viewers: this.#kit.viewers(), reactions: show.reactions, events: visible });
      return;
    }
    if (!MODERATORS.includes(peer.role)) {
      // What every viewer's sync shares, once per head of the log; the count, the hearts and the deal as of now.
      const view = this.#viewerView(show);
      const own = view.sampledOut.has(peer.viewerId);
      socket.send({
        type: "sync",
        seq: show.head_seq,
        now: Date.now(),
        you,
        room: { ...view.room, viewers: this.#kit.viewers(), reactions: show.reactions, deal: this.#deals.active() },
        messages: own ? this.#chat.recent(peer).map((message) => messageFor(message, peer)) : view.messages,
        chat: view.chat,
      });
      return;
    }
    socket.send({
      type: "sync",
      seq: show.head_seq,
      now: Date.now(),
      you,
      room: this.#state(show),
      messages: this.#chat.recent(peer).map((message) => messageFor(message, peer)),
      chat: chatStateFor(this.#moderation.chatState(), peer),
      moderation: this.#moderation.moderationState(),
    });
  }

  /**
   * The show as any viewer reads it at the log's head (its products, stage and chat change only with an event), and
   * who wrote lines kept out of viewers' chat in it (each reads its own: its sync is its own). In a join storm the
   * room's own viewers share it rather than each reading it again.
   */
  #viewerView(show: ShowRow): { seq: number; room: RoomState; messages: ChatMessage[]; chat: ChatState; sampledOut: Set<string> } {
    if (this.#viewerViewAt?.seq === show.head_seq) return this.#viewerViewAt;
    const viewer: Peer = { role: "viewer", viewerId: "" };
    const messages = this.#chat.recent(viewer).map((message) => messageFor(message, viewer));
    this.#viewerViewAt = {
      seq: show.head_seq,
      room: this.#state(show),
      messages,
      chat: chatStateFor(this.#moderation.chatState(), viewer),
      // An own line older than every line shown is out of a full window, its own too.
      sampledOut: this.#chat.sampledOutAuthors(messages.length < LIMITS.historyOnJoin ? 0 : messages[0]!.seq),
    };
    return this.#viewerViewAt;
  }

  // ------------------------------------------------------------ publishing

  /**
   * The one way state changes: `change` runs in a transaction with the log
   * entries of the events it emits and the outbox entries it queues. Only
   * after it commits are the events published (in order, each socket getting
   * what it may read of each: `eventFor`, a few milliseconds' worth in one
   * frame: room-frames.ts), the host-only frames sent to the host's sockets
   * (a role only the Worker can give), and the alarm re-armed if a clock moved.
   */
  #commit<R>(change: (tx: Change) => R, by: Actor | null = null): R {
    const sql = this.ctx.storage.sql;
    const events: RoomEvent[] = [];
    const hostFrames: ServerMessage[] = [];
    let clockMoved = false;
    const tx: Change = {
      emit: (event) => {
        const seq = headSeq(sql) + 1;
        const at = Date.now();
        const body = typeof event === "function" ? event(seq, at) : event;
        const logged = { ...body, seq } as RoomEvent;
        appendEvent(sql, logged, at, by);
        events.push(logged);
        return logged as never;
      },
      toHosts: (frame) => hostFrames.push(frame),
      enqueue: (topic, key, version, payload) => {
        enqueue(sql, topic, key, version, payload, Date.now());
        clockMoved = true;
      },
      rearm: () => {
        clockMoved = true;
      },
    };
    const result = this.ctx.storage.transactionSync(() => change(tx));
    this.#numbers.touch();
    for (const event of events) {
      this.#streams.publish(event);
      this.#frames.event(event);
    }
    const head = headSeq(sql);
    for (const frame of hostFrames) this.#frames.toRole("host", JSON.stringify({ ...frame, seq: head }));
    if (clockMoved) this.#rearm();
    return result;
  }

  // ------------------------------------------------------------ helpers

  /** The socket as handlers see it. */
  #socket(connection: Connection<Peer>): (Socket & { withRef(ref: string): Socket }) | null {
    const peer = connection.state;
    if (!peer || !ROLES.includes(peer.role)) return null;
    return this.#socketOf(connection, peer, (frame) => this.#frames.to(connection, JSON.stringify(frame)));
  }

  /** A socket that answers through `send`; `withRef`: the same, for the frame so labelled (its refusals carry the label). */
  #socketOf(connection: Connection, peer: Peer, send: (frame: ServerMessage) => void, ref?: string): Socket & { withRef(ref: string): Socket } {
    return {
      connection,
      peer,
      ref,
      send,
      refuse: (code: ErrorCode, message: string, retryAfterMs?: number) =>
        send({
          type: "error",
          seq: headSeq(this.ctx.storage.sql),
          code,
          message,
          ...(retryAfterMs ? { retryAfterMs } : {}),
          ...(ref ? { ref } : {}),
        }),
      withRef: (label) => this.#socketOf(connection, peer, send, label),
    };
  }

  // ------------------------------------------------------------ audience shards (shards.ts)

  /** The open links of this room's shards. */
  *#links(): Iterable<Connection<ShardLink> & { state: ShardLink }> {
    for (const link of this.getConnections<ShardLink>("shard")) if (isShardLink(link.state)) yield link as Connection<ShardLink> & { state: ShardLink };
  }

  /** The viewers on this room's shards, as each last said. */
  #onShards(): number {
    let count = 0;
    for (const link of this.#links()) count += link.state.viewers;
    return count;
  }

  /**
   * How many viewers a shard holds, as it last said on its link; null while that is not known: its link is new, or
   * gone for less than the plan's `lostMs` (it comes back). A shard gone for longer died with its viewers' sockets: 0.
   */
  #onShard(shard: number): number | null {
    for (const link of this.getConnections<ShardLink>(`shard:${shard}`)) {
      if (!isShardLink(link.state)) continue;
      this.#unlinkedAt.delete(shard);
      return link.state.reported ? link.state.viewers : null;
    }
    const now = Date.now();
    // Since this object started, if it never saw the link close (it was evicted meanwhile): the wait starts again.
    const since = this.#unlinkedAt.get(shard) ?? now;
    this.#unlinkedAt.set(shard, since);
    return now - since >= (this.#plan().lostMs ?? SHARD_LOST_MS) ? 0 : null;
  }

  /** A shard opened its link: it hears the log's head, then every event after its `since` (none for a new shard), then live ones. */
  #linked(link: Connection<ShardLink>, shard: number, since: number): void {
    // Another link of the same shard (it restarted before this room saw the old one close) is the old one.
    for (const old of this.getConnections<ShardLink>(`shard:${shard}`)) if (old !== link) old.close(1000, "replaced");
    this.#frames.joined(link);
    link.setState({ shard, viewers: 0 });
    const sql = this.ctx.storage.sql;
    const head = headSeq(sql);
    this.#frames.to(link, JSON.stringify({ hello: { seq: head } } satisfies RoomToShard));
    if (!Number.isSafeInteger(since) || since <= 0 || since >= head) return;
    for (let after = since; after < head; ) {
      const page = history(sql, after, 500);
      if (page.length === 0) break;
      for (const entry of page) this.#frames.to(link, JSON.stringify(entry.event));
      after = page[page.length - 1]!.seq;
    }
  }

  /** A shard's link closed: its count leaves the presence (the shard opens its link again while it has viewers). */
  #unlinked(link: ShardLink): void {
    this.#unlinkedAt.set(link.shard, Date.now());
    this.#audience.onLeave();
  }

  /** A frame up a shard's link: its count (with who joined and left), or one of its viewers' frames. */
  #fromShard(link: Connection<ShardLink>, raw: WSMessage): void {
    const frame = parseShardFrame(raw);
    if (!frame || !isShardLink(link.state) || !showRow(this.ctx.storage.sql)) return;
    const shard = link.state.shard;
    const socketFor = (id: string, viewerId: string) =>
      this.#socketOf(link, { role: "viewer", viewerId }, (message) => this.#frames.to(link, JSON.stringify({ to: id, frame: message } satisfies RoomToShard)));
    if (frame.t === "frame") return this.#handle(socketFor(frame.id, frame.viewerId), frame.raw);
    link.setState({ shard, viewers: frame.n, reported: true });
    this.#placement.reported(shard, frame.joined.length);
    const joined = frame.joined.map((viewer) => socketFor(viewer.id, viewer.viewerId));
    const left = frame.left.map((viewer) => socketFor(viewer.id, viewer.viewerId));
    for (const feature of this.#features) {
      if (feature.onViewers) {
        feature.onViewers(joined, left);
        continue;
      }
      for (const socket of joined) feature.onJoin?.(socket);
      for (const socket of left) feature.onLeave?.(socket);
    }
    if (frame.all) this.#numbers.shardAudience(shard, frame.all.map((viewer) => viewer.viewerId));
    this.#audience.onJoin();
  }

  /** Every open socket here but the host's, moderators' and shards' links. */
  #countViewers(): number {
    return this.#countOpen() - this.#countOpen(roleTag("host")) - this.#countOpen(roleTag("moderator")) - this.#countOpen("shard");
  }

  /** Open sockets (with `tag`, or all), without reading their attachments. */
  #countOpen(tag?: string): number {
    let count = 0;
    for (const ws of this.ctx.getWebSockets(tag)) if (ws.readyState === WebSocket.READY_STATE_OPEN) count += 1;
    return count;
  }

  #state(show: ShowRow = showRow(this.ctx.storage.sql)!): RoomState {
    const sql = this.ctx.storage.sql;
    return {
      id: show.room_id,
      shopId: show.shop_id,
      shopName: show.shop_name,
      title: show.title,
      status: show.status,
      startsAt: show.starts_at,
      pinnedProductId: show.pinned_product_id,
      viewers: this.#kit.viewers(),
      reactions: show.reactions,
      products: productList(sql),
      deal: this.#deals.active(),
      stage: stageTracks(sql),
    };
  }
}

/** Who the Worker said a socket is; null when it did not say (the socket is then refused). */
function peerOf(headers: Headers): Peer | null {
  const role = headers.get(PEER_HEADERS.role);
  const viewerId = headers.get(PEER_HEADERS.viewer);
  if (!role || !ROLES.includes(role as Role) || !viewerId || !VIEWER_ID.test(viewerId)) return null;
  return { role: role as Role, viewerId };
}

/** The index of the shard whose link this is, or null: not a link. Only a shard sets the header; the Worker removes it from browsers'. */
function shardOf(headers: Headers): number | null {
  const raw = headers.get(SHARD_HEADER);
  const shard = Number(raw);
  return raw !== null && raw !== "" && Number.isSafeInteger(shard) && shard >= 0 ? shard : null;
}

/** The chat's rules as one socket may read them (its pinned message without its author, for viewers). */
function chatStateFor(chat: ChatState, peer: Peer): ChatState {
  return chat.pinned ? { ...chat, pinned: messageFor(chat.pinned, peer) } : chat;
}
