/**
 * The wire protocol between a browser and its Room, defined once.
 *
 * The Worker, the Room Durable Object and the Preact client all import this
 * file. Every message is a discriminated union member, validated on arrival
 * with `parseClientMessage` / `parseServerMessage`, and built with
 * `satisfies` when sent. `zod/mini` keeps the viewer page small (about 6 KB).
 *
 * Sequence numbers: every server message carries `seq`. Durable events
 * (chat, chat_deleted, pin, status, product) each take the next number of the
 * room's event log, so a client that has applied event N must see N + 1 next;
 * anything else is a gap and the client asks to resync. Ephemeral messages
 * (presence, reactions, error, the sync/replay frames) carry the room's head
 * sequence at the time and are never replayed.
 */
import * as z from "zod/mini";

export const LIMITS = {
  chatText: 280,
  displayName: 32,
  /** Messages a late joiner receives in its first sync. */
  historyOnJoin: 50,
  /** Messages kept in the room (older ones are dropped). */
  historyKept: 200,
  /** Events kept for reconnecting clients to replay. */
  eventLogKept: 1000,
  /** Chat: a burst of 5, then one message per second. */
  chatBurst: 5,
  chatPerSecond: 1,
  /** Reactions: a burst of 20, then ten per second. */
  reactionBurst: 20,
  reactionsPerSecond: 10,
} as const;

export const ROLES = ["viewer", "guest", "host"] as const;
export type Role = (typeof ROLES)[number];

export const ROOM_STATUSES = ["scheduled", "live", "ended"] as const;
export type RoomStatus = (typeof ROOM_STATUSES)[number];

// ---------------------------------------------------------------- shared shapes

export const RoomProduct = z.object({
  id: z.string(),
  title: z.string(),
  description: z.nullable(z.string()),
  priceCents: z.number(),
  currency: z.string(),
  imageUrl: z.nullable(z.string()),
  /** Units this show can still sell. */
  left: z.number(),
});
export type RoomProduct = z.infer<typeof RoomProduct>;

export const RoomState = z.object({
  id: z.string(),
  shopId: z.string(),
  shopName: z.string(),
  title: z.string(),
  status: z.enum(ROOM_STATUSES),
  /** ISO 8601, or null when the show has no planned start. */
  startsAt: z.nullable(z.string()),
  pinnedProductId: z.nullable(z.string()),
  viewers: z.number(),
  reactions: z.number(),
  products: z.array(RoomProduct),
});
export type RoomState = z.infer<typeof RoomState>;

export const ChatMessage = z.object({
  id: z.string(),
  seq: z.number(),
  name: z.string(),
  role: z.enum(ROLES),
  text: z.string(),
  /** Milliseconds since the epoch, server clock. */
  at: z.number(),
});
export type ChatMessage = z.infer<typeof ChatMessage>;

// ---------------------------------------------------------------- client → room

const displayName = z.string().check(z.maxLength(LIMITS.displayName));

export const ClientMessage = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("chat"),
    text: z.string().check(z.minLength(1), z.maxLength(LIMITS.chatText)),
    name: z.optional(displayName),
  }),
  z.object({ type: z.literal("react") }),
  /** Ask for everything after `since` again (sent when a gap is detected). */
  z.object({ type: z.literal("resync"), since: z.number() }),
  // Host only; the room checks the connection's role, not the message.
  z.object({ type: z.literal("delete"), messageId: z.string() }),
  z.object({ type: z.literal("pin"), productId: z.nullable(z.string()) }),
  z.object({ type: z.literal("status"), status: z.enum(["live", "ended"]) }),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

// ---------------------------------------------------------------- room → client

const you = z.object({ id: z.string(), role: z.enum(ROLES) });

const roomEvents = [
  z.object({ type: z.literal("chat"), seq: z.number(), message: ChatMessage }),
  z.object({ type: z.literal("chat_deleted"), seq: z.number(), messageId: z.string() }),
  z.object({ type: z.literal("pin"), seq: z.number(), productId: z.nullable(z.string()) }),
  z.object({ type: z.literal("status"), seq: z.number(), status: z.enum(ROOM_STATUSES) }),
  /** A product's live figures changed (units left, later price). */
  z.object({ type: z.literal("product"), seq: z.number(), product: RoomProduct }),
] as const;
export const RoomEvent = z.discriminatedUnion("type", [...roomEvents]);
export type RoomEvent = z.infer<typeof RoomEvent>;

export const ERROR_CODES = [
  "invalid_message",
  "rate_limited",
  "forbidden",
  "not_found",
  "show_ended",
  "invalid_transition",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const ServerMessage = z.discriminatedUnion("type", [
  ...roomEvents,
  /** The whole state at `seq`: first connect, or when the log cannot cover a resume. */
  z.object({
    type: z.literal("sync"),
    seq: z.number(),
    you,
    room: RoomState,
    messages: z.array(ChatMessage),
  }),
  /** Everything after the client's `since`, in order; then live events follow. */
  z.object({
    type: z.literal("replay"),
    seq: z.number(),
    you,
    viewers: z.number(),
    reactions: z.number(),
    events: z.array(RoomEvent),
  }),
  z.object({ type: z.literal("presence"), seq: z.number(), viewers: z.number() }),
  /** Hearts since the last frame (`added`) and the show's running total. */
  z.object({ type: z.literal("reactions"), seq: z.number(), added: z.number(), total: z.number() }),
  z.object({
    type: z.literal("error"),
    seq: z.number(),
    code: z.enum(ERROR_CODES),
    message: z.string(),
    retryAfterMs: z.optional(z.number()),
  }),
]);
export type ServerMessage = z.infer<typeof ServerMessage>;

/** WebSocket close codes the room uses (4000–4999 are the application's). */
export const CLOSE = {
  roomNotFound: 4404,
} as const;

function parse<T>(schema: z.ZodMiniType<T>, raw: unknown): T | null {
  if (typeof raw !== "string") return null;
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return null;
  }
  const result = schema.safeParse(data);
  return result.success ? result.data : null;
}

/** Parses a frame from a browser; null when it is not a valid ClientMessage. */
export const parseClientMessage = (raw: unknown) => parse(ClientMessage, raw);
/** Parses a frame from the room; null when it is not a valid ServerMessage. */
export const parseServerMessage = (raw: unknown) => parse(ServerMessage, raw);

/** The WebSocket path of a room, as `partysocket` builds it (`party` = "room"). */
export const ROOM_PARTY = "room";
