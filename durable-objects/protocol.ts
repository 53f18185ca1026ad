/**
 * The wire protocol between a browser and its Room, defined once.
 *
 * The Worker, the Room Durable Object and the Preact client all import this
 * file. Every message is a discriminated union member, validated on arrival
 * with `parseClientMessage` / `parseServerMessage`, and built with
 * `satisfies` when sent. Schemas use valibot, whose tree-shaken validators
 * cost the viewer page about 2 KB gzipped (zod/mini cost 7.6 KB here).
 *
 * Sequence numbers: every server message carries `seq`. Durable events
 * (chat, chat_deleted, pin, status, product, deal, stage) each take the next number of the
 * room's event log, so a client that has applied event N must see N + 1 next;
 * anything else is a gap and the client asks to resync. Ephemeral messages
 * (presence, reactions, error, the sync/replay frames) carry the room's head
 * sequence at the time and are never replayed.
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
  /** Chat: a burst of 5, then one message per second. */
  chatBurst: 5,
  chatPerSecond: 1,
  /** Reactions: a burst of 20, then ten per second. */
  reactionBurst: 20,
  reactionsPerSecond: 10,
  /** Resync requests: a burst of 3, then one every 2 s (each costs a log read and a large frame). */
  resyncBurst: 3,
  resyncsPerSecond: 0.5,
  /** Any frame at all, valid or not: a burst of 30, then 10 per second. */
  frameBurst: 30,
  framesPerSecond: 10,
  /** A frame longer than this is refused unread (the longest valid one is a chat line). */
  frameBytes: 2048,
} as const;

/**
 * C0 and C1 control characters and DEL (U+0000–U+001F, U+007F–U+009F). No
 * text a person types may contain them: SQLite's length() stops at NUL, so
 * D1's CHECKs fail on it, and the others only garble a page, a log or a CSV.
 * Multi-line fields allow tab and newline by removing them before the test.
 */
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

export const ROLES = ["viewer", "guest", "host"] as const;
export type Role = (typeof ROLES)[number];

export const ROOM_STATUSES = ["scheduled", "live", "ended"] as const;
export type RoomStatus = (typeof ROOM_STATUSES)[number];

// ---------------------------------------------------------------- shared shapes

export const RoomProduct = v.object({
  id: v.string(),
  title: v.string(),
  description: v.nullable(v.string()),
  priceCents: v.number(),
  currency: v.string(),
  imageUrl: v.nullable(v.string()),
  /** Units this show can still sell. */
  left: v.number(),
});
export type RoomProduct = v.InferOutput<typeof RoomProduct>;

/** A time-boxed price on one product; the room's clock decides who gets it. */
export const FlashDeal = v.object({
  id: v.string(),
  productId: v.string(),
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
});
export type ChatMessage = v.InferOutput<typeof ChatMessage>;

export const ORDER_STATUSES = ["awaiting_payment", "confirmed", "expired", "cancelled"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** What the studio's live order feed shows of an order. */
export const OrderSummary = v.object({
  id: v.string(),
  number: v.number(),
  productId: v.string(),
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
export interface Order {
  id: string;
  number: number;
  roomId: string;
  shopId: string;
  productId: string;
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
  createdAt: number;
  holdExpiresAt: number | null;
}

// ---------------------------------------------------------------- client → room

const noControls = v.check((text: string) => !CONTROL_CHARACTERS.test(text), "must not contain control characters");
const displayName = v.pipe(v.string(), v.maxLength(LIMITS.displayName), noControls);

export const ClientMessage = v.variant("type", [
  v.object({
    type: v.literal("chat"),
    text: v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.chatText), noControls),
    name: v.optional(displayName),
  }),
  v.object({ type: v.literal("react") }),
  /** Ask for everything after `since` again (sent when a gap is detected). */
  v.object({ type: v.literal("resync"), since: v.number() }),
  // Host only (HOST_ONLY); the room checks the connection's role, not the message.
  v.object({ type: v.literal("delete"), messageId: v.pipe(v.string(), v.maxLength(64)) }),
  v.object({ type: v.literal("pin"), productId: v.nullable(v.pipe(v.string(), v.maxLength(64))) }),
  v.object({ type: v.literal("status"), status: v.picklist(["live", "ended"]) }),
]);
export type ClientMessage = v.InferOutput<typeof ClientMessage>;

/** Frames only the host's sockets may send. */
export const HOST_ONLY: ReadonlyArray<ClientMessage["type"]> = ["delete", "pin", "status"];

// ---------------------------------------------------------------- room → client

const you = v.object({ id: v.string(), role: v.picklist(ROLES) });

const roomEvents = [
  v.object({ type: v.literal("chat"), seq: v.number(), message: ChatMessage }),
  v.object({ type: v.literal("chat_deleted"), seq: v.number(), messageId: v.string() }),
  v.object({ type: v.literal("pin"), seq: v.number(), productId: v.nullable(v.string()) }),
  v.object({ type: v.literal("status"), seq: v.number(), status: v.picklist(ROOM_STATUSES) }),
  /** A product's live figures changed (units left). */
  v.object({ type: v.literal("product"), seq: v.number(), product: RoomProduct }),
  /** A flash deal started (`deal`) or ended (null). */
  v.object({ type: v.literal("deal"), seq: v.number(), deal: v.nullable(FlashDeal) }),
  /** The stage changed: someone published, stopped, or was removed. The whole list. */
  v.object({ type: v.literal("stage"), seq: v.number(), tracks: v.array(StageTrack) }),
] as const;
export const RoomEvent = v.variant("type", [...roomEvents]);
export type RoomEvent = v.InferOutput<typeof RoomEvent>;

export const ERROR_CODES = [
  "invalid_message",
  "rate_limited",
  "forbidden",
  "not_found",
  "show_ended",
  "invalid_transition",
  "internal",
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
  }),
]);
export type ServerMessage = v.InferOutput<typeof ServerMessage>;

/** WebSocket close codes the room uses (4000–4999 are the application's). */
export const CLOSE = {
  roomNotFound: 4404,
  /** The socket came without a valid ticket (only the Worker can admit one). */
  unauthorized: 4401,
  /** Something failed on our side while setting up or serving the socket; the client may reconnect. */
  internalError: 1011,
} as const;

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
/** Parses a frame from the room; null when it is not a valid ServerMessage. */
export const parseServerMessage = (raw: unknown) => parse(ServerMessage, raw);

/** The party of a room's WebSocket path, `/parties/room/{roomId}`, as partyserver routes it and room-model.ts builds it. */
export const ROOM_PARTY = "room";
