/**
 * The wire protocol between a browser and its Room, defined once.
 *
 * The Worker, the Room Durable Object and the Preact client all import this
 * file. Every message is a discriminated union member, validated on arrival
 * with `parseClientMessage` / `parseServerFrame` (one message, or a batch), and built with
 * `satisfies` when sent. Schemas use valibot, whose tree-shaken validators
 * cost the viewer page about 2 KB gzipped (zod/mini cost 7.6 KB here).
 *
 * Sequence numbers: every server message carries `seq`. Durable events
 * (chat, chat_deleted, pin, status, product, deal, stage, and the chat's
 * moderation: chat_pinned, slow_mode, blocked_words, restricted; and a
 * developer's `custom` events) each take
 * the next number of the room's event log, so a client that has applied event
 * N must see N + 1 next; anything else is a gap and the client asks to
 * resync. An event that is not for a client (the blocked words, a decision
 * about another viewer, a viewer's chat line sampled out for the others:
 * chat-sampling.ts, or one newer than the page: PROTOCOL_VERSION)
 * reaches it as `private`: its number alone. Ephemeral
 * messages (presence, reactions, error, the sync/replay frames) carry the
 * room's head sequence at the time and are never replayed.
 */
import * as v from "valibot";

export const LIMITS = {
  chatText: 280,
  displayName: 32,
  /** Messages a late joiner receives in its first sync. */
  historyOnJoin: 50,
  /** Messages kept in the room (older ones are dropped). */
  historyKept: 200,
  /** How far back a reconnecting client may resume from the log; further back, it gets the whole state. */
  replayWindow: 1000,
  /** A frame longer than this is refused unread (the longest valid ones: a chat line, a list of blocked words). */
  frameBytes: 2048,
  /** A timeout keeps a viewer out of the chat this long. */
  timeoutMs: 5 * 60_000,
  /** Slow mode: one message per this many seconds at most. */
  slowModeMaxSeconds: 300,
  /** Blocked words: this many, each this long at most (so the list fits one frame). */
  blockedWords: 50,
  blockedWordLength: 30,
} as const;

/**
 * C0 and C1 control characters and DEL (U+0000–U+001F, U+007F–U+009F). No
 * text a person types may contain them: SQLite's length() stops at NUL, so
 * D1's CHECKs fail on it, and the others only garble a page, a log or a CSV.
 * Multi-line fields allow tab and newline by removing them before the test.
 */
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

export const ROLES = ["viewer", "guest", "host", "moderator"] as const;
export type Role = (typeof ROLES)[number];

/** Who moderates the chat: the host, and whoever opened the moderator link. */
export const MODERATORS: ReadonlyArray<Role> = ["host", "moderator"];

/**
 * Who took a moderation decision, as the room's log keeps it (never sent to
 * viewers): the host's or a moderator's browser (its viewer identity), or
 * the HTTP API with the host key, a moderator key or the shop's API key.
 */
export type Actor = { role: "host" | "moderator" | "shop"; viewerId: string | null };

export const ROOM_STATUSES = ["scheduled", "live", "ended"] as const;
export type RoomStatus = (typeof ROOM_STATUSES)[number];

// ---------------------------------------------------------------- shared shapes

/** One sellable combination of a product's options (e.g. M / Red), with its own units in this show. */
export const RoomVariant = v.object({
  id: v.string(),
  /** One value per option name of its product, in the same order. */
  options: v.array(v.string()),
  sku: v.nullable(v.string()),
  /** Its price: the product's, unless the variant has its own. */
  priceCents: v.number(),
  left: v.number(),
});
export type RoomVariant = v.InferOutput<typeof RoomVariant>;

/** A product photo: an uploaded one (/photos/…) or an https URL; its size when known, so a page reserves the space. */
export const ProductPhoto = v.object({ url: v.string(), width: v.nullable(v.number()), height: v.nullable(v.number()) });
export type ProductPhoto = v.InferOutput<typeof ProductPhoto>;

export const RoomProduct = v.object({
  id: v.string(),
  title: v.string(),
  description: v.nullable(v.string()),
  priceCents: v.number(),
  currency: v.string(),
  /** The first photo (or the product's image link): what a small card shows. */
  imageUrl: v.nullable(v.string()),
  /** Units this show can still sell (for a product with variants: the sum of theirs). */
  left: v.number(),
  // The three below are absent from events logged before variants existed (a replay may carry them).
  /** The names of its options (["Size", "Colour"]); empty when it has no variants. */
  optionNames: v.optional(v.array(v.string())),
  /** Its variants in this show; empty when it is sold as one thing. */
  variants: v.optional(v.array(RoomVariant)),
  photos: v.optional(v.array(ProductPhoto)),
});
export type RoomProduct = v.InferOutput<typeof RoomProduct>;

/** A time-boxed price on one product; the room's clock decides who gets it. */
export const FlashDeal = v.object({
  id: v.string(),
  productId: v.string(),
  /** The one variant the deal is on; null (or absent, in events from before variants): all of the product's. */
  variantId: v.optional(v.nullable(v.string())),
  priceCents: v.number(),
  /** Milliseconds since the epoch, server clock. */
  startsAt: v.number(),
  endsAt: v.number(),
  /** Units one buyer (by email) may buy at the deal price; null = no limit. */
  perBuyerLimit: v.nullable(v.number()),
});
export type FlashDeal = v.InferOutput<typeof FlashDeal>;

/** A published audio or video track on the show's stage, pullable through the room's Calls proxy. */
export const StageTrack = v.object({
  sessionId: v.string(),
  trackName: v.string(),
  kind: v.picklist(["audio", "video"]),
  role: v.picklist(["host", "guest"]),
  /** Which of the publisher's sources: the camera (and microphone), or a shared screen. */
  source: v.picklist(["camera", "screen"]),
  /**
   * Present (and true) while the publisher has it turned off (camera off): it
   * still flows, as black frames, so viewers show a poster instead. Absent
   * rather than false: the viewer page then needs no boolean validator.
   */
  paused: v.optional(v.literal(true)),
});
export type StageTrack = v.InferOutput<typeof StageTrack>;

export const RoomState = v.object({
  id: v.string(),
  shopId: v.string(),
  shopName: v.string(),
  title: v.string(),
  status: v.picklist(ROOM_STATUSES),
  /** ISO 8601, or null when the show has no planned start. */
  startsAt: v.nullable(v.string()),
  pinnedProductId: v.nullable(v.string()),
  viewers: v.number(),
  reactions: v.number(),
  products: v.array(RoomProduct),
  /** The flash deal running now, if any. */
  deal: v.nullable(FlashDeal),
  /** Who is on stage: the tracks viewers may pull. */
  stage: v.array(StageTrack),
});
export type RoomState = v.InferOutput<typeof RoomState>;

export const ChatMessage = v.object({
  id: v.string(),
  seq: v.number(),
  name: v.string(),
  role: v.picklist(ROLES),
  text: v.string(),
  /** Milliseconds since the epoch, server clock. */
  at: v.number(),
  /** Who wrote it: the viewer identity (`v_…`) moderation acts on. Absent on messages from before it was sent. */
  author: v.optional(v.nullable(v.string())),
});
export type ChatMessage = v.InferOutput<typeof ChatMessage>;

/** Why the room takes no chat from a viewer: a ban (until lifted) or a timeout (until a time on the room's clock). */
export const Restriction = v.object({ kind: v.picklist(["ban", "timeout"]), until: v.nullable(v.number()) });
export type Restriction = v.InferOutput<typeof Restriction>;

/** The chat's rules and pinned message, as everyone sees them. */
export const ChatState = v.object({
  /** Each viewer may send one message per this many seconds; 0 = slow mode off. */
  slowModeSeconds: v.number(),
  pinned: v.nullable(ChatMessage),
});
export type ChatState = v.InferOutput<typeof ChatState>;

/** What only the host and moderators see: the blocked words, and who is banned or timed out now. */
export const ModerationState = v.object({
  blockedWords: v.array(v.string()),
  restricted: v.array(v.object({ viewerId: v.string(), name: v.nullable(v.string()), restriction: Restriction })),
});
export type ModerationState = v.InferOutput<typeof ModerationState>;

export const ORDER_STATUSES = ["awaiting_payment", "confirmed", "expired", "cancelled"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** What the studio's live order feed shows of an order. */
export const OrderSummary = v.object({
  id: v.string(),
  number: v.number(),
  productId: v.string(),
  /** The variant's option values (["M", "Red"]); absent or null for a product without variants. */
  variant: v.optional(v.nullable(v.array(v.string()))),
  title: v.string(),
  quantity: v.number(),
  totalCents: v.number(),
  currency: v.string(),
  status: v.picklist(ORDER_STATUSES),
  buyerName: v.string(),
  fulfilment: v.picklist(["shipping", "pickup"]),
  ref: v.nullable(v.string()),
  dealId: v.nullable(v.string()),
  createdAt: v.number(),
});
export type OrderSummary = v.InferOutput<typeof OrderSummary>;

/**
 * An order as the HTTP API returns it (POST /api/rooms/{id}/orders, GET
 * /api/orders/{id}); worker/schemas.ts checks its zod schema against this.
 */
export type Address = { line1: string; line2?: string; city: string; postalCode: string; region?: string; country: string };
export type Fulfilment = { type: "pickup"; address: null } | { type: "shipping"; address: Address };
export type Buyer = { name: string; email: string; phone: string | null };
export type Payment = "offline" | "stripe";
/** The variant an order is for, as it was when bought. */
export type OrderVariant = { id: string; options: string[]; sku: string | null };
export const ORDER_PHASES = ["prelive", "live", "replay"] as const;
export type OrderPhase = (typeof ORDER_PHASES)[number];
export interface Order {
  id: string;
  number: number;
  roomId: string;
  shopId: string;
  productId: string;
  /** The variant bought; null for a product without variants. */
  variant: OrderVariant | null;
  title: string;
  quantity: number;
  unitPriceCents: number;
  totalCents: number;
  currency: string;
  status: OrderStatus;
  payment: Payment;
  buyer: Buyer;
  fulfilment: Fulfilment;
  ref: string | null;
  dealId: string | null;
  /** When in the show's life it was placed: before it went live, live, or from its replay; null on orders older than this field. */
  phase: OrderPhase | null;
  createdAt: number;
  holdExpiresAt: number | null;
  /** A rehearsal's order: it never touches real stock, counts or emails. */
  test?: true;
}

/**
 * Where an order is on its way to the buyer: the shop's side, kept in D1
 * (GET /api/orders/{id} and the shop's order routes); never on the socket.
 * unfulfilled → packed → shipped (shipping) or picked_up (pickup: packed is
 * "ready for pickup"); or cancelled by the shop.
 */
export const FULFILMENT_STATUSES = ["unfulfilled", "packed", "shipped", "picked_up", "cancelled"] as const;
export type FulfilmentStatus = (typeof FULFILMENT_STATUSES)[number];
export interface FulfilmentProgress {
  fulfilmentStatus: FulfilmentStatus;
  carrier: string | null;
  trackingUrl: string | null;
  packedAt: number | null;
  shippedAt: number | null;
  pickedUpAt: number | null;
  cancelledAt: number | null;
}
/** An order as its buyer reads it (GET /api/orders/{id}). */
export interface OrderView {
  order: Order;
  progress: FulfilmentProgress;
  shop: { id: string; name: string; contactEmail: string | null; contactPhone: string | null };
  show: { id: string; title: string };
  pickupStore: { address: Address; hours: string } | null;
}
/** An order as the shop lists it (GET /api/shops/{id}/orders). */
export type ShopOrder = Omit<Order, "holdExpiresAt"> & FulfilmentProgress & { showTitle: string; updatedAt: number };

// ---------------------------------------------------------------- client → room

const noControls = v.check((text: string) => !CONTROL_CHARACTERS.test(text), "must not contain control characters");
const displayName = v.pipe(v.string(), v.maxLength(LIMITS.displayName), noControls);
const messageId = v.pipe(v.string(), v.maxLength(64));
export const VIEWER_ID = /^v_[0-9A-Za-z]{16}$/;
/**
 * The name of a chatter who typed none (chat.ts): its role's word and a number of its own, "Viewer 0423". The API,
 * webhooks and event stream carry it as is; pages say the word in their language (client/src/components/chat-name.ts).
 */
export const DEFAULT_NAME = /^(Viewer|Guest|Moderator) (\d{4})$/;
/** A viewer identity as the server signs it (worker/viewer-identity.ts): its id and a signature. */
export const VIEWER_TOKEN = /^vt_(v_[0-9A-Za-z]{16})\.([0-9a-f]{32})$/;
const viewerId = v.pipe(v.string(), v.regex(VIEWER_ID));
const frameRef = v.pipe(v.string(), v.regex(/^[0-9A-Za-z_-]{1,32}$/));
const blockedWord = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(LIMITS.blockedWordLength), noControls);

export const ClientMessage = v.variant("type", [
  v.object({
    type: v.literal("chat"),
    text: v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.chatText), noControls),
    name: v.optional(displayName),
    /** The sender's own label for this line: the room answers `chat_sent` or an `error` carrying it, to this socket only. */
    ref: v.optional(frameRef),
  }),
  v.object({ type: v.literal("react") }),
  /** What a viewer looked at, for the show's numbers: a product's card, its checkout, or (in a replay) that it is watching. */
  v.object({ type: v.literal("track"), what: v.picklist(["card", "checkout", "watch"]), productId: v.optional(v.pipe(v.string(), v.maxLength(64))) }),
  /** Ask for everything after `since` again (sent when a gap is detected). */
  v.object({ type: v.literal("resync"), since: v.number() }),
  // Host only (HOST_ONLY); the room checks the connection's role, not the message.
  v.object({ type: v.literal("pin"), productId: v.nullable(v.pipe(v.string(), v.maxLength(64))) }),
  v.object({ type: v.literal("status"), status: v.picklist(["live", "ended"]) }),
  // Host and moderators (MODERATION): the same check.
  v.object({ type: v.literal("delete"), messageId }),
  /** Pins one chat message on top of the chat; null unpins. */
  v.object({ type: v.literal("pin_message"), messageId: v.nullable(messageId) }),
  /** Keeps a viewer out of the chat for LIMITS.timeoutMs. */
  v.object({ type: v.literal("timeout"), viewerId }),
  /** Keeps a viewer out of the chat until unbanned; they still watch and buy. */
  v.object({ type: v.literal("ban"), viewerId }),
  /** Lets a banned or timed-out viewer chat again. */
  v.object({ type: v.literal("unban"), viewerId }),
  v.object({ type: v.literal("slow_mode"), seconds: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(LIMITS.slowModeMaxSeconds)) }),
  /** Replaces the list: a viewer's message containing one of them is refused (for its sender only). */
  v.object({ type: v.literal("blocked_words"), words: v.pipe(v.array(blockedWord), v.maxLength(LIMITS.blockedWords)) }),
]);
export type ClientMessage = v.InferOutput<typeof ClientMessage>;

/** Frames only the host's sockets may send. */
export const HOST_ONLY: ReadonlyArray<ClientMessage["type"]> = ["pin", "status"];

/** Frames the host's and moderators' sockets may send: moderating the chat. */
export const MODERATION = ["delete", "pin_message", "timeout", "ban", "unban", "slow_mode", "blocked_words"] as const satisfies ReadonlyArray<
  ClientMessage["type"]
>;
export type ModerationFrame = Extract<ClientMessage, { type: (typeof MODERATION)[number] }>;

// ---------------------------------------------------------------- room → client

/**
 * Who the socket is, and whether the room takes its chat (null: it does). `token`, on a viewer's first frame only
 * when the server has just issued its identity: the signed viewer token for the page to keep and present next time.
 */
const you = v.object({ id: v.string(), role: v.picklist(ROLES), restriction: v.nullable(Restriction), token: v.optional(v.pipe(v.string(), v.regex(VIEWER_TOKEN))) });

const roomEvents = [
  v.object({ type: v.literal("chat"), seq: v.number(), message: ChatMessage }),
  v.object({ type: v.literal("chat_deleted"), seq: v.number(), messageId: v.string() }),
  v.object({ type: v.literal("pin"), seq: v.number(), productId: v.nullable(v.string()) }),
  v.object({ type: v.literal("status"), seq: v.number(), status: v.picklist(ROOM_STATUSES) }),
  /** The shop changed the show's title or planned start before it went live. */
  v.object({ type: v.literal("details"), seq: v.number(), title: v.string(), startsAt: v.nullable(v.string()) }),
  /** A product's live figures changed (units left). */
  v.object({ type: v.literal("product"), seq: v.number(), product: RoomProduct }),
  /** A flash deal started (`deal`) or ended (null). */
  v.object({ type: v.literal("deal"), seq: v.number(), deal: v.nullable(FlashDeal) }),
  /** The stage changed: someone published, stopped, or was removed. The whole list. */
  v.object({ type: v.literal("stage"), seq: v.number(), tracks: v.array(StageTrack) }),
  /** A chat message was pinned on top of the chat; null: unpinned. */
  v.object({ type: v.literal("chat_pinned"), seq: v.number(), message: v.nullable(ChatMessage) }),
  /** Slow mode changed: one message per `seconds` per viewer; 0 = off. */
  v.object({ type: v.literal("slow_mode"), seq: v.number(), seconds: v.number() }),
  /** Host and moderators only: the words a viewer's message may not contain. */
  v.object({ type: v.literal("blocked_words"), seq: v.number(), words: v.array(v.string()) }),
  /** A viewer was banned or timed out, or may chat again (null). Only that viewer, the host and moderators get it. */
  v.object({ type: v.literal("restricted"), seq: v.number(), viewerId: v.string(), name: v.nullable(v.string()), restriction: v.nullable(Restriction) }),
  /** A developer's own event, posted through the API (`POST /api/rooms/{id}/events`): a quiz, an overlay, a bot. */
  v.object({ type: v.literal("custom"), seq: v.number(), id: v.string(), name: v.pipe(v.string(), v.regex(/^x-[a-z0-9][a-z0-9._-]{0,63}$/)), data: v.unknown(), at: v.number() }),
  /** An event that is not for this client: only its number, so the numbering has no gap. */
  v.object({ type: v.literal("private"), seq: v.number() }),
] as const;
export const RoomEvent = v.variant("type", [...roomEvents]);
export type RoomEvent = v.InferOutput<typeof RoomEvent>;

/**
 * The protocol's version, which a page sends with its socket (`?protocol=3`).
 * An event of a type newer than the page's version reaches it as `private`
 * (its number alone): a page loaded before a deploy keeps its numbering
 * without a gap and is never sent a frame it cannot parse (it would drop it,
 * see a gap, and resync into the same frame again and again).
 */
export const PROTOCOL_VERSION = 3;
/** The version that brought each event type; a type not listed is from version 1. */
export const EVENT_SINCE: Partial<Record<RoomEvent["type"], number>> = { custom: 2 };
/**
 * From this version on, a frame may be an array of messages, in order: what the Room or an audience shard sends a
 * socket within a few milliseconds goes out as one frame (room-frames.ts, audience-shard.ts: BATCH_MS). Older pages
 * get them one by one.
 */
export const BATCHES_SINCE = 3;
/**
 * What the Room or a shard has for a socket within this long goes out as one frame (to pages of BATCHES_SINCE or
 * later): the runtime's cost is per send, so a burst of chat, stock and presence costs one send per viewer, not one
 * per event.
 */
export const BATCH_MS = 5;

export const ERROR_CODES = [
  "invalid_message",
  "rate_limited",
  "forbidden",
  "not_found",
  "show_ended",
  "invalid_transition",
  "internal",
  // Chat refused by moderation, for the sender only.
  "banned",
  "timed_out",
  "slow_mode",
  "blocked_word",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const ServerMessage = v.variant("type", [
  ...roomEvents,
  /**
   * The whole state at `seq`: first connect, or when the log cannot cover a
   * resume. `now` is the room's clock, so countdowns can ignore the device's.
   */
  v.object({
    type: v.literal("sync"),
    seq: v.number(),
    now: v.number(),
    you,
    room: RoomState,
    messages: v.array(ChatMessage),
    chat: ChatState,
    /** Host and moderators only. */
    moderation: v.optional(ModerationState),
  }),
  /** Everything after the client's `since`, in order; then live events follow. */
  v.object({
    type: v.literal("replay"),
    seq: v.number(),
    now: v.number(),
    you,
    viewers: v.number(),
    reactions: v.number(),
    events: v.array(RoomEvent),
  }),
  v.object({ type: v.literal("presence"), seq: v.number(), viewers: v.number() }),
  /** Host connections only: an order was placed or changed status. */
  v.object({ type: v.literal("order"), seq: v.number(), order: OrderSummary }),
  /** Hearts since the last frame (`added`) and the show's running total. */
  v.object({ type: v.literal("reactions"), seq: v.number(), added: v.number(), total: v.number() }),
  v.object({
    type: v.literal("error"),
    seq: v.number(),
    code: v.picklist(ERROR_CODES),
    message: v.string(),
    retryAfterMs: v.optional(v.number()),
    /** The `ref` of the refused frame, when it had one: the sender keeps that line's text. */
    ref: v.optional(v.string()),
  }),
  /** To the sender only: the chat line it labelled `ref` is in the chat, as `messageId`. */
  v.object({ type: v.literal("chat_sent"), seq: v.number(), ref: v.string(), messageId: v.string() }),
]);
export type ServerMessage = v.InferOutput<typeof ServerMessage>;

/** WebSocket close codes the room uses (4000–4999 are the application's). */
export const CLOSE = {
  roomNotFound: 4404,
  /** The socket came without a valid ticket (only the Worker can admit one). */
  unauthorized: 4401,
  /** A guest's link was replaced by the host: this guest key no longer opens the room. */
  guestLinkReplaced: 4403,
  /** A rehearsal was started afresh by its host: reconnect to the new run. */
  rehearsalRestarted: 4409,
  /** Too many sockets for this viewer or from this address (a viewer joining without a ticket): try again later. */
  rateLimited: 4429,
  /** Something failed on our side while setting up or serving the socket; the client may reconnect. */
  internalError: 1011,
} as const;

/**
 * Answers a page's close handshake, so that its socket is released at once (a mass leave waits on nothing). A close
 * without a code (a browser's plain `close()`: 1005, or a dropped one: 1006) cannot be echoed and is answered 1000;
 * partyserver's own reply skips those codes, which left every such page waiting for a timeout.
 */
export function answerClose(ws: WebSocket, code: number): void {
  try {
    ws.close(code === 1005 || code === 1006 ? 1000 : code, "bye");
  } catch {
    // already closed
  }
}

function parse<T>(schema: v.GenericSchema<unknown, T>, raw: unknown, maxLength = Infinity): T | null {
  if (typeof raw !== "string" || raw.length > maxLength) return null;
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return null;
  }
  const result = v.safeParse(schema, data);
  return result.success ? result.output : null;
}

/** Parses a frame from a browser; null when it is not a valid ClientMessage. */
export const parseClientMessage = (raw: unknown) => parse(ClientMessage, raw, LIMITS.frameBytes);
/** Parses a frame from the room: its messages, in order (one, or a batch: BATCHES_SINCE); null when it is not valid. */
export const parseServerFrame = (raw: unknown): ServerMessage[] | null =>
  parse(v.array(ServerMessage), typeof raw == "string" && raw[0] != "[" ? `[${raw}]` : raw);

/** The party of a room's WebSocket path, `/parties/room/{roomId}`, as partyserver routes it and room-model.ts builds it. */
export const ROOM_PARTY = "room";

/** A rehearsal's address is its show's id with this after it (rehearsal.ts); the client needs to know one when it sees it. */
export const REHEARSAL_SUFFIX = ".rehearsal";
export const isRehearsal = (roomId: string) => roomId.endsWith(REHEARSAL_SUFFIX);

/**
 * The WebSocket subprotocol with which a viewer's page joins in one request, without a ticket (worker/sockets.ts):
 * `new WebSocket(url, [VIEWER_SOCKET, token])`, the viewer token (if the page has one) as the second offer, so that
 * it travels in a header, not the URL. The server answers with VIEWER_SOCKET.
 */
export const VIEWER_SOCKET = "shop-along.viewer";
