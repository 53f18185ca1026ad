/**
 * AudienceShard: a Durable Object holding some of a big show's viewer
 * sockets (shards.ts says when and which), so one Room is not the one
 * object every socket of a KOL's show hangs on.
 *
 * It hears the Room over one link (a WebSocket it opens, `?since=` the last
 * event it has, kept in storage with each event), and gives each of its
 * viewers what the Room would: every event as that viewer may read it
 * (`eventFor`, the Room's own rule), the presence and hearts frames as they
 * come, and the frames the Room answers one viewer with. A viewer's frames
 * go up the link; the Room decides (chat, hearts, moderation's rules, rate
 * limits). A `resync` is answered here, and so is the socket allowance of a
 * viewer the Worker sent on a lease (shards.ts), which the Room never saw.
 *
 * A joining viewer gets its first frame from here too: a `sync` built from
 * the Room's viewer view (`viewerSync`, asked once per event-log head and
 * shared by every join at that head) or, for a viewer coming back, a
 * `replay` from the events this shard keeps in memory. A viewer is given no
 * event it already has: the sync it got says up to where (`from`).
 *
 * Viewer sockets use the hibernation API, so they outlive an eviction; the
 * link does not. A lost link is opened again by the alarm (a second later,
 * and every CHECK_EVERY_MS while viewers remain; alarms outlive an
 * instance) or by the next viewer frame, from the stored sequence number:
 * no gap, no duplicate.
 */
import { DurableObject } from "cloudflare:workers";
import { eventFor, eventSubject } from "./event-log.ts";
import { answerClose, BATCH_MS, BATCHES_SINCE, CLOSE, LIMITS, parseClientMessage, RoomEvent, type ChatMessage, type ChatState, type Restriction, type RoomState, type ServerMessage } from "./protocol.ts";
import { RateLimits } from "./rate-limits.ts";
import { closedSocket } from "./refusal.ts";
import { PEER_HEADERS } from "./room.ts";
import type { Peer } from "./room-kit.ts";
import { SHARD_HEADER, SHARD_ROOM_HEADER, type RoomToShard, type ShardFrame, type ShardViewer } from "./shards.ts";

/** The Room's view of the show for a joining viewer (Room.viewerSync). */
export type ViewerSync = {
  seq: number;
  room: RoomState;
  /** The recent chat as any viewer reads it. */
  messages: ChatMessage[];
  chat: ChatState;
  /** Who is kept out of the chat now (a joining viewer is told if it is). */
  restricted: Array<{ viewerId: string; restriction: Restriction }>;
};

/** Events kept in memory for viewers coming back (`?since=`); further back, they get a sync. */
const KEPT_EVENTS = 500;
/** While it has viewers, the alarm checks the link this often. */
const CHECK_EVERY_MS = 10_000;
/** A lost link is opened again this soon. */
const RELINK_AFTER_MS = 1000;
/** Count reports (with who joined and left) go up at most this often. */
const REPORT_EVERY_MS = 250;
/** Frames from viewers kept while the link is down; more are refused. */
const WAITING_FRAMES = 1000;

const LOGGED = new Set<string>(RoomEvent.options.map((option) => option.entries.type.literal));

/** What waits for a shard's next flush: an event, a frame for every viewer, or one for one viewer. */
type Outgoing = RoomEvent | string | { to: WebSocket; text: string };

/** A viewer socket's attachment: who it is, and the last event it was given before it was live here. */
type Viewer = ShardViewer & { protocol: number; from: number };

export class AudienceShard extends DurableObject<Env> {
  readonly #limits = new RateLimits();
  #link: WebSocket | null = null;
  #linking: Promise<void> | null = null;
  /** The viewers that get events, read once from the sockets' attachments after a start. */
  #viewers: Map<WebSocket, Viewer> | null = null;
  /** The last events heard, oldest first. */
  readonly #recent: RoomEvent[] = [];
  #sync: ViewerSync | null = null;
  #syncing: Promise<ViewerSync> | null = null;
  /** The room's whole audience and hearts, as the Room last said. */
  #audience: number | null = null;
  #reactions: number | null = null;
  /** Who joined and left since the last report; `all`: the next report says every viewer here (a new link's first). */
  #report: { joined: ShardViewer[]; left: ShardViewer[]; all: boolean; timer: ReturnType<typeof setTimeout> | null } = { joined: [], left: [], all: false, timer: null };
  readonly #waiting: string[] = [];
  /**
   * What waits for the next flush, in order: events (each viewer reads its own version), frames for every viewer, and
   * frames for one (`to`: the Room's answer to it, an error).
   */
  readonly #outgoing: Outgoing[] = [];
  #flushTimer: ReturnType<typeof setTimeout> | null = null;

  /** The last event this shard has (0: none yet), as stored; read once per start, then kept here as well. */
  #lastSeq: number | null = null;
  /** The room this shard serves and its index there, as stored with the first viewer (and kept here). */
  #room: { name: string; index: number } | null = null;
  /** An alarm is set (this instance set it, and it has not run yet): a join need not set it again. */
  #alarmSet = false;

  get #seq(): number {
    this.#lastSeq ??= this.ctx.storage.kv.get<number>("seq") ?? 0;
    return this.#lastSeq;
  }

  set #seq(seq: number) {
    this.ctx.storage.kv.put("seq", seq);
    this.#lastSeq = seq;
  }

  // ------------------------------------------------------------ viewers

  /** A viewer's socket, handed over by the Worker once its ticket was redeemed or the viewer admitted (worker/sockets.ts). */
  async fetch(request: Request): Promise<Response> {
    const role = request.headers.get(PEER_HEADERS.role);
    const viewerId = request.headers.get(PEER_HEADERS.viewer);
    const roomName = request.headers.get(SHARD_ROOM_HEADER);
    const index = Number(request.headers.get(SHARD_HEADER));
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket" || role !== "viewer" || !viewerId || !roomName || !Number.isSafeInteger(index)) {
      return Response.json({ error: { code: "unauthorized", message: "Only the Worker hands sockets to a shard." } }, { status: 401 });
    }
    if (!this.#roomAddress()) {
      this.#room = { name: roomName, index };
      this.ctx.storage.kv.put("room", this.#room);
    }
    const url = new URL(request.url);
    const protocol = Number(url.searchParams.get("protocol"));
    const since = Number(url.searchParams.get("since") ?? "0");
    const id = url.searchParams.get("_pk") ?? "";
    // A viewer the Worker sent on a lease (shards.ts) is counted here, as the Room counts a viewer it takes itself.
    const wait = request.headers.has(PEER_HEADERS.uncounted) ? this.#limits.take("ticket", viewerId) : 0;
    if (wait > 0) return closedSocket(CLOSE.rateLimited, `Too many sockets for this viewer; try again in ${Math.ceil(wait / 1000)} s.`);
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server, [id]);
    const viewer: Viewer = { id, viewerId, protocol: Number.isSafeInteger(protocol) && protocol > 1 ? protocol : 1, from: 0 };
    try {
      await this.#ensureLink();
      await this.#catchUp(server, viewer, Number.isSafeInteger(since) ? since : 0, request.headers.get(PEER_HEADERS.token));
      this.#report.joined.push({ id, viewerId });
      this.#reportSoon();
      this.#checkSoon(CHECK_EVERY_MS);
    } catch (error) {
      console.error("shard: could not set up a socket", error);
      server.close(CLOSE.internalError, "internal error");
    }
    return new Response(null, { status: 101, webSocket: client });
  }

  async webSocketMessage(ws: WebSocket, raw: string | ArrayBuffer): Promise<void> {
    const viewer = this.#viewersNow().get(ws);
    if (!viewer) return;
    const send = (frame: ServerMessage) => this.#queue({ to: ws, text: JSON.stringify(frame) });
    if (typeof raw !== "string" || raw.length > LIMITS.frameBytes) {
      return send({ type: "error", seq: this.#seq, code: "invalid_message", message: "Messages must be JSON matching the room protocol; chat text is 1–280 characters." });
    }
    // A resync is answered here (the Room's rule and limit); every other frame is the Room's to decide.
    // (Only a frame that names it is parsed here; the Room parses the others.)
    const resync = raw.includes('"resync"') ? parseClientMessage(raw) : null;
    if (resync?.type === "resync") {
      const wait = this.#limits.take("resync", viewer.viewerId);
      if (wait > 0) return send({ type: "error", seq: this.#seq, code: "rate_limited", message: "Resyncing too often; wait a moment.", retryAfterMs: wait });
      this.#viewersNow().delete(ws);
      return this.#catchUp(ws, viewer, resync.since);
    }
    this.#up({ t: "frame", id: viewer.id, viewerId: viewer.viewerId, raw });
  }

  webSocketClose(ws: WebSocket, code: number): void {
    this.#left(ws);
    answerClose(ws, code);
  }

  webSocketError(ws: WebSocket): void {
    this.#left(ws);
  }

  /** While viewers remain, the link is kept open (it does not outlive an eviction; the viewers' sockets do). */
  async alarm(): Promise<void> {
    this.#alarmSet = false;
    if (this.#viewersNow().size === 0) return;
    await this.#ensureLink();
    this.#checkSoon(CHECK_EVERY_MS);
  }

  /** The alarm in `ms`, unless this instance has one set already (a join storm would set it once per viewer). */
  #checkSoon(ms: number): void {
    if (!this.#alarmSet) this.#setAlarm(ms);
  }

  #setAlarm(ms: number): void {
    this.#alarmSet = true;
    void this.ctx.storage.setAlarm(Date.now() + ms);
  }

  /** How many viewer sockets are open here (tests, the benchmark). */
  viewerCount(): number {
    return this.#viewersNow().size;
  }

  #left(ws: WebSocket): void {
    const viewer = this.#viewersNow().get(ws);
    if (!viewer) return;
    this.#viewersNow().delete(ws);
    this.#report.left.push({ id: viewer.id, viewerId: viewer.viewerId });
    this.#reportSoon();
  }

  #viewersNow(): Map<WebSocket, Viewer> {
    if (!this.#viewers) {
      this.#viewers = new Map();
      for (const ws of this.ctx.getWebSockets()) {
        const viewer = ws.deserializeAttachment() as Viewer | null;
        if (viewer && ws.readyState === WebSocket.READY_STATE_OPEN) this.#viewers.set(ws, viewer);
      }
    }
    return this.#viewers;
  }

  /**
   * A viewer's first frame (or a resync's): events it missed from memory, or the whole state; then it is live.
   * Nothing runs between building the frame and going live, so no event falls between them. `token`: a viewer
   * identity the Worker has just issued, for the page to keep.
   */
  async #catchUp(ws: WebSocket, viewer: Viewer, since: number, token: string | null = null): Promise<void> {
    const seq = this.#seq;
    const oldest = this.#recent[0]?.seq ?? seq + 1;
    const peer: Peer = { role: "viewer", viewerId: viewer.viewerId, protocol: viewer.protocol };
    const known = this.#sync;
    if (known && since > 0 && since <= seq && since >= oldest - 1) {
      const events = this.#recent.filter((event) => event.seq > since).map((event) => eventFor(event, peer));
      const you = { id: viewer.viewerId, role: peer.role, restriction: restrictionOf(known, viewer.viewerId), ...(token ? { token } : {}) };
      const [viewers, reactions] = [this.#audience ?? known.room.viewers, this.#reactions ?? known.room.reactions];
      ws.send(JSON.stringify({ type: "replay", seq, now: Date.now(), you, viewers, reactions, events } satisfies ServerMessage));
      return this.#live(ws, { ...viewer, from: seq });
    }
    const view = await this.#viewerSync();
    // Events this shard heard after the view was taken follow it; events up to the view's seq it already has.
    const after = this.#recent.filter((event) => event.seq > view.seq);
    const you = { id: viewer.viewerId, role: peer.role, restriction: restrictionOf(view, viewer.viewerId), ...(token ? { token } : {}) };
    const room = { ...view.room, viewers: this.#audience ?? view.room.viewers, reactions: this.#reactions ?? view.room.reactions };
    ws.send(JSON.stringify({ type: "sync", seq: view.seq, now: Date.now(), you, room, messages: view.messages, chat: view.chat } satisfies ServerMessage));
    for (const event of after) ws.send(JSON.stringify(eventFor(event, peer)));
    this.#live(ws, { ...viewer, from: Math.max(view.seq, this.#seq) });
  }

  #live(ws: WebSocket, viewer: Viewer): void {
    ws.serializeAttachment(viewer);
    this.#viewersNow().set(ws, viewer);
  }

  /** The Room's viewer view at the newest head this shard knows of, asked once for every join at that head. */
  async #viewerSync(): Promise<ViewerSync> {
    if (this.#sync && this.#sync.seq >= this.#seq) return this.#sync;
    const room = this.#roomAddress();
    if (!room) throw new Error("shard: no room yet");
    this.#syncing ??= this.env.Room.getByName(room.name)
      .viewerSync()
      .then((answer) => {
        if ("ok" in answer) throw new Error(`shard: the room has no show (${answer.code})`);
        const view = answer as ViewerSync;
        this.#sync = view;
        this.#reactions ??= view.room.reactions;
        return view;
      })
      .finally(() => {
        this.#syncing = null;
      });
    return this.#syncing;
  }

  // ------------------------------------------------------------ the link to the Room

  /** The room this shard serves and its index there, as the Worker said with the first viewer. */
  #roomAddress(): { name: string; index: number } | undefined {
    this.#room ??= this.ctx.storage.kv.get<{ name: string; index: number }>("room") ?? null;
    return this.#room ?? undefined;
  }

  #ensureLink(): Promise<void> {
    if (this.#link) return Promise.resolve();
    this.#linking ??= this.#openLink().finally(() => {
      this.#linking = null;
    });
    return this.#linking;
  }

  async #openLink(): Promise<void> {
    const room = this.#roomAddress();
    if (!room) return;
    const url = `https://room/parties/room/${encodeURIComponent(room.name)}?since=${this.#seq}&_pk=shard_${room.index}`;
    const response = await this.env.Room.getByName(room.name).fetch(url, { headers: { Upgrade: "websocket", [SHARD_HEADER]: String(room.index) } });
    const link = response.webSocket;
    if (!link) throw new Error(`shard: the room refused the link (${response.status})`);
    link.accept();
    this.#link = link;
    link.addEventListener("message", (message) => {
      if (typeof message.data === "string") this.#fromRoom(message.data);
    });
    link.addEventListener("close", (close) => this.#linkClosed(link, close.code, close.reason));
    link.addEventListener("error", () => this.#linkClosed(link, CLOSE.internalError, "link failed"));
    // The count again, with every viewer (the Room keeps the last count with the link, which is new, and may have
    // closed these viewers' visits meanwhile), and anything that waited.
    this.#report.all = true;
    this.#reportSoon();
    for (const frame of this.#waiting.splice(0)) link.send(frame);
  }

  #linkClosed(link: WebSocket, code: number, reason: string): void {
    if (this.#link !== link) return;
    this.#link = null;
    // The room is gone (a rehearsal that ended or started again): so are its viewers' sockets here.
    if (code === CLOSE.roomNotFound || code === CLOSE.rehearsalRestarted) {
      for (const ws of this.#viewersNow().keys()) ws.close(code, reason);
      this.#viewers = new Map();
      return;
    }
    // By the alarm, which outlives this instance: a shard evicted meanwhile still comes back for its viewers.
    if (this.#viewersNow().size > 0) this.#setAlarm(RELINK_AFTER_MS);
  }

  #fromRoom(text: string): void {
    const message = JSON.parse(text) as RoomToShard | ServerMessage;
    if ("to" in message) {
      const [ws] = this.ctx.getWebSockets(message.to);
      if (ws) this.#queue({ to: ws, text: JSON.stringify(message.frame) });
      return;
    }
    if ("hello" in message) {
      // A new shard starts at the head (its viewers are synced from the Room's view, not from the log).
      if (this.#seq === 0 || message.hello.seq < this.#seq) this.#seq = message.hello.seq;
      return;
    }
    const frame = message;
    if (LOGGED.has(frame.type)) return this.#event(frame as RoomEvent);
    if (frame.type === "presence") this.#audience = frame.viewers;
    if (frame.type === "reactions") this.#reactions = frame.total;
    this.#queue(text);
  }

  /** One event of the log: kept, counted, and given to each viewer as it may read it (with the next flush). */
  #event(event: RoomEvent): void {
    if (event.seq <= this.#seq) return;
    this.#seq = event.seq;
    this.#recent.push(event);
    if (this.#recent.length > KEPT_EVENTS) this.#recent.splice(0, this.#recent.length - KEPT_EVENTS);
    this.#queue(event);
  }

  /** Into the next flush: a viewer's frame waits behind what came before it for everyone, so its numbering stays in order. */
  #queue(item: Outgoing): void {
    this.#outgoing.push(item);
    this.#flushTimer ??= setTimeout(() => this.#flush(), BATCH_MS);
  }

  /**
   * Sends what waited: to each viewer the events it has not had, as it may read them, and the other frames; one send
   * per viewer. Each event is serialized once per protocol version; only the viewer an event is about gets its own,
   * and the usual viewer (live before all of them, about none, sent none of its own) shares one frame with every other.
   */
  #flush(): void {
    if (this.#flushTimer !== null) clearTimeout(this.#flushTimer);
    this.#flushTimer = null;
    const items = this.#outgoing.splice(0);
    if (items.length === 0) return;
    const events = items.filter((item): item is RoomEvent => typeof item !== "string" && !("to" in item));
    const firstSeq = events[0]?.seq ?? Infinity;
    const subjects = new Set(events.map(eventSubject));
    const targets = new Set(items.flatMap((item) => (typeof item !== "string" && "to" in item ? [item.to] : [])));
    const serialized = new Map<string, string>();
    const usual = new Map<number, string[]>();
    const viewers = this.#viewersNow();
    for (const [ws, viewer] of viewers) {
      const isUsual = viewer.from < firstSeq && !subjects.has(viewer.viewerId) && !targets.has(ws);
      let sends = isUsual ? usual.get(viewer.protocol) : undefined;
      if (!sends) {
        const frames: string[] = [];
        const peer: Peer = { role: "viewer", viewerId: viewer.viewerId, protocol: viewer.protocol };
        items.forEach((item, i) => {
          if (typeof item === "string") return frames.push(item);
          if ("to" in item) return item.to === ws && frames.push(item.text);
          if (viewer.from >= item.seq) return;
          const own = eventSubject(item) === viewer.viewerId;
          const key = `${i}:${viewer.protocol}`;
          const frame = (!own && serialized.get(key)) || JSON.stringify(eventFor(item, peer));
          if (!own) serialized.set(key, frame);
          frames.push(frame);
        });
        sends = frames.length > 1 && viewer.protocol >= BATCHES_SINCE ? [`[${frames.join(",")}]`] : frames;
        if (isUsual) usual.set(viewer.protocol, sends);
      }
      try {
        for (const text of sends) ws.send(text);
      } catch {
        ws.close(CLOSE.internalError, "Unexpected error");
      }
    }
    // A viewer catching up (its resync) is not live here yet: its own frames go to it all the same.
    for (const ws of targets) {
      if (viewers.has(ws)) continue;
      try {
        for (const item of items) if (typeof item !== "string" && "to" in item && item.to === ws) ws.send(item.text);
      } catch {
        // closed meanwhile
      }
    }
  }

  // ------------------------------------------------------------ up the link

  #up(frame: ShardFrame): void {
    const text = JSON.stringify(frame);
    if (this.#link) return this.#link.send(text);
    if (this.#waiting.length < WAITING_FRAMES) this.#waiting.push(text);
    void this.#ensureLink().catch((error) => console.error("shard: link", error));
  }

  #reportSoon(): void {
    this.#report.timer ??= setTimeout(() => {
      this.#report.timer = null;
      if (!this.#link) return;
      const { joined, left, all } = this.#report;
      this.#report.joined = [];
      this.#report.left = [];
      this.#report.all = false;
      const everyone = all ? { all: [...this.#viewersNow().values()].map(({ id, viewerId }) => ({ id, viewerId })) } : {};
      this.#link.send(JSON.stringify({ t: "viewers", n: this.#viewersNow().size, joined, left, ...everyone } satisfies ShardFrame));
    }, REPORT_EVERY_MS);
  }
}

function restrictionOf(view: ViewerSync, viewerId: string): Restriction | null {
  const now = Date.now();
  const found = view.restricted.find((entry) => entry.viewerId === viewerId);
  return found && (found.restriction.until === null || found.restriction.until > now) ? found.restriction : null;
}
