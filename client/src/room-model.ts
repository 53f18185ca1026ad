/**
 * One live room as a page sees it: a single reconnecting WebSocket
 * (room-socket.ts) and the room's state in signals. Both the viewer page and the host studio build on this.
 *
 * Ordering: every durable event carries the room's sequence number. We apply
 * event N only right after N - 1; an older one is a duplicate (it can arrive
 * again after a replay), a newer one means we missed something, and we ask
 * the room to resync from the last number we applied. Ephemeral frames
 * (presence, reactions, order, error) carry the room's head number, so they
 * reveal a missed event too. Reconnects send `since` so the room replays only
 * the gap. Sync and replay frames also carry the room's clock (server-clock.ts).
 *
 * Keys never go in the socket's URL: before every (re)connect the page trades
 * its key, in a header, for a single-use ticket (POST /api/rooms/{id}/tickets),
 * presenting this browser's viewer token so that it stays the same viewer. A
 * viewer (no key, no team role) joins in one request instead: the viewer
 * subprotocol, with its token as the second offer; a new viewer's token comes
 * with its first frame (`you.token`).
 */
import { batch, signal } from "@preact/signals";
import { roomSenders } from "./analytics/room-senders.ts";
import {
  CLOSE,
  LIMITS,
  isRehearsal,
  PROTOCOL_VERSION,
  ROOM_PARTY,
  VIEWER_SOCKET,
  parseServerFrame,
  type ChatMessage,
  type ChatState,
  type ClientMessage,
  type ErrorCode,
  type ModerationFrame,
  type OrderSummary,
  type RoomEvent,
  type RoomState,
  type ServerMessage,
} from "../../durable-objects/protocol.ts";
import { applyEvent, type You } from "./room-state.ts";
import { origin } from "./origin.ts";
import { openRoomSocket } from "./room-socket.ts";
import { observeServerTime } from "./server-clock.ts";
import { keepViewerToken, viewerToken } from "./viewer-token.ts";

export type ConnectionState = "connecting" | "online" | "reconnecting";

/** A heart rising over the stage; removed again after HEART_FLIGHT_MS. */
export type FloatingHeart = { id: number; drift: number; delayMs: number; mine: boolean };

/** Must cover the CSS animation (`heart-rise` in show-overlay.css) plus its delay. */
const HEART_FLIGHT_MS = 2600;
/** Enough to look busy; more would only cost frames on a cheap phone. */
const MAX_FLOATING_HEARTS = 40;
/** A reactions frame counts our own taps too; taps older than this are assumed counted. */
const OWN_HEART_WINDOW_MS = 3000;
/** A chat line the room has not answered by then (on an open socket) goes back to its box, to be sent again. */
const CHAT_ANSWER_MS = 10_000;
/** A resync answer that has not come by then is asked for again. */
const RESYNC_RETRY_MS = 3000;

export type RoomModelOptions = {
  roomId: string;
  /** hk_… (host) or gk_… (guest); none for viewers. The room derives the role from it. */
  roomKey?: string | null;
  /** Without a key: the role a signed-in team member's page asks for with its session cookie (the studio, the moderator page). */
  teamRole?: "host" | "moderator" | null;
  /** An `error` frame from the room (rate limited, forbidden, …). */
  onError?: (error: { code: ErrorCode; message: string }) => void;
  /** Host connections only: an order was placed or changed status. */
  onOrder?: (order: OrderSummary) => void;
  /** Every sync frame and durable event, as applied: for state only the studio keeps (its moderation lists). */
  onFrame?: (frame: Extract<ServerMessage, { type: "sync" }> | RoomEvent) => void;
};

export type { You };

/** What became of a chat line: in the chat, or refused (by the room, or lost with the connection: `network`). */
export type ChatReply = { ok: true } | { ok: false; code: string; message: string; retryAfterMs?: number };

export type RoomModel = ReturnType<typeof createRoomModel>;

export function createRoomModel({ roomId, roomKey, teamRole, onError, onOrder, onFrame }: RoomModelOptions) {
  const room = signal<RoomState | null>(null);
  const messages = signal<ChatMessage[]>([]);
  /** Slow mode and the pinned message. */
  const chat = signal<ChatState>({ slowModeSeconds: 0, pinned: null });
  const you = signal<You | null>(null);
  const connection = signal<ConnectionState>("connecting");
  /** The room does not exist (close code 4404): nothing to reconnect to. */
  const notFound = signal(false);
  /** The room exists but would not take our connection: for a host or guest, a bad key. */
  const refused = signal(false);
  /** The last durable event applied. */
  const seq = signal(0);
  const hearts = signal<FloatingHeart[]>([]);

  /** Chat lines waiting for the room's answer, by their ref; `sent`: on a socket that has since opened. */
  const chatsInFlight = new Map<string, { resolve: (reply: ChatReply) => void; sent: boolean }>();
  let nextChatRef = 1;
  let everOnline = false;
  let resyncRequestedAt = 0;
  let ownHeartTimes: number[] = [];
  let nextHeartId = 1;

  // The site's own host, or the Worker's when embedded on a brand's page (origin.ts).
  const roomUrl = `${(origin || location.origin).replace(/^http/, "ws")}/parties/${ROOM_PARTY}/${encodeURIComponent(roomId)}`;
  // A rehearsal's every door needs its team's ticket (the session's, for its viewer page).
  const asViewer = !roomKey && !teamRole && !isRehearsal(roomId);
  const socket = openRoomSocket({
    // A function, so every reconnect resumes from the last event applied, with a fresh ticket.
    url: async () =>
      `${roomUrl}?${new URLSearchParams({ since: String(seq.peek()), protocol: String(PROTOCOL_VERSION), ...(asViewer ? {} : { ticket: await ticket() }) })}`,
    protocols: () => (asViewer ? [VIEWER_SOCKET, viewerToken()!].filter(Boolean) : []),
    shouldReconnect: (event) => event.code !== CLOSE.roomNotFound,
    onOpen() {
      // Lines queued while offline went out just before this.
      for (const line of chatsInFlight.values()) line.sent = true;
      everOnline = true;
      refused.value = false;
      resyncRequestedAt = 0;
      connection.value = "online";
    },
    onClose(event) {
      // A line sent on this socket may or may not have been taken: its text goes back to its sender's box.
      for (const [ref, line] of chatsInFlight) {
        if (!line.sent) continue;
        chatsInFlight.delete(ref);
        line.resolve({ ok: false, code: "network", message: "" });
      }
      if (event.code === CLOSE.roomNotFound) {
        notFound.value = true;
        return;
      }
      markOffline();
    },
    // No ticket (the network is down, the server restarting): the socket retries by itself.
    onError: () => markOffline(),
    onMessage(event) {
      const frames = parseServerFrame(event.data);
      if (!frames) return console.warn("Not a ServerMessage, ignored:", event.data);
      // A batch's messages are applied together: one render for a burst.
      batch(() => frames.forEach(receive));
    },
  });

  /**
   * A ticket for the next socket. The answer also tells what a bare socket
   * refusal cannot: no such show (404), or a key that does not open it (401).
   */
  async function ticket(): Promise<string> {
    const headers: Record<string, string> = {};
    const token = viewerToken();
    if (token) headers["x-viewer-token"] = token;
    if (roomKey) headers.authorization = `Bearer ${roomKey}`;
    else if (teamRole) headers["x-room-role"] = teamRole;
    const response = await fetch(`${origin}/api/rooms/${encodeURIComponent(roomId)}/tickets`, { method: "POST", headers });
    if (response.status == 404 || response.status == 400) notFound.value = true;
    else if (response.status == 401 || response.status == 403) refused.value = true;
    if (notFound.peek() || refused.peek()) socket.close();
    if (!response.ok) throw new Error(`ticket: ${response.status}`);
    const answer = (await response.json()) as { ticket: string; viewer: { token: string } };
    keepViewerToken(answer.viewer.token);
    return answer.ticket;
  }

  const reconnectNow = () => {
    if (!notFound.value && !refused.value) socket.reconnect();
  };
  const markOffline = () => {
    if (everOnline) connection.value = "reconnecting";
  };
  window.addEventListener("online", reconnectNow);
  window.addEventListener("offline", markOffline);

  function send(message: ClientMessage): boolean {
    return socket.send(JSON.stringify(message));
  }
  roomSenders.set(roomId, socket.send);

  /** The answer to the line labelled `ref`; false when no line of ours waits for it. */
  function answerChat(ref: string | undefined, reply: ChatReply): boolean {
    const line = ref ? chatsInFlight.get(ref) : undefined;
    if (!line) return false;
    chatsInFlight.delete(ref!);
    line.resolve(reply);
    return true;
  }

  function requestResync() {
    const now = Date.now();
    if (now - resyncRequestedAt < RESYNC_RETRY_MS) return;
    resyncRequestedAt = now;
    send({ type: "resync", since: seq.peek() } satisfies ClientMessage);
  }

  function updateRoom(change: Partial<RoomState>) {
    const current = room.peek();
    if (current) room.value = { ...current, ...change };
  }

  function receive(frame: ServerMessage) {
    // A new viewer's identity, issued with its first frame: the next socket, and the page's other calls, present it.
    if ("you" in frame && frame.you.token) keepViewerToken(frame.you.token);
    switch (frame.type) {
      case "sync":
        observeServerTime(frame.now);
        batch(() => {
          room.value = frame.room;
          messages.value = frame.messages;
          chat.value = frame.chat;
          you.value = frame.you;
          seq.value = frame.seq;
          onFrame?.(frame);
        });
        resyncRequestedAt = 0;
        return;
      case "replay":
        observeServerTime(frame.now);
        batch(() => {
          for (const event of frame.events) {
            if (event.seq > seq.peek()) {
              apply(event);
              seq.value = event.seq;
            }
          }
          you.value = frame.you;
          updateRoom({ viewers: frame.viewers, reactions: frame.reactions });
          seq.value = frame.seq;
        });
        resyncRequestedAt = 0;
        return;
      case "presence":
        updateRoom({ viewers: frame.viewers });
        checkHead(frame.seq);
        return;
      case "reactions":
        updateRoom({ reactions: frame.total });
        floatOthersHearts(frame.added);
        checkHead(frame.seq);
        return;
      case "order":
        onOrder?.(frame.order);
        checkHead(frame.seq);
        return;
      case "error":
        // A refused chat line is its sender's box's to tell (once, with the text kept); other errors are toasts.
        if (!answerChat(frame.ref, { ok: false, code: frame.code, message: frame.message, retryAfterMs: frame.retryAfterMs })) {
          onError?.({ code: frame.code, message: frame.message });
        }
        checkHead(frame.seq);
        return;
      case "chat_sent":
        answerChat(frame.ref, { ok: true });
        checkHead(frame.seq);
        return;
      default:
        receiveEvent(frame);
    }
  }

  function receiveEvent(event: RoomEvent) {
    const last = seq.peek();
    if (event.seq <= last) return; // Already applied (a replay overlapping live events).
    if (event.seq > last + 1 || !room.peek()) {
      requestResync();
      return;
    }
    batch(() => {
      apply(event);
      seq.value = event.seq;
    });
  }

  /** The head of the room's log is past what we applied: an event went missing. */
  function checkHead(head: number) {
    if (head > seq.peek()) requestResync();
  }

  /** One durable event through the shared reducer (room-state.ts); only the parts it changed notify. */
  function apply(event: RoomEvent) {
    onFrame?.(event);
    // A deal starts as it is announced: its start is one more reading of the room's clock.
    if (event.type === "deal" && event.deal) observeServerTime(event.deal.startsAt);
    const current = room.peek();
    if (!current) return;
    ({ room: room.value, messages: messages.value, chat: chat.value, you: you.value } = applyEvent(
      { room: current, messages: messages.peek(), chat: chat.peek(), you: you.peek() },
      event,
    ));
  }

  function floatHearts(count: number, mine: boolean) {
    if (count <= 0) return;
    const added: FloatingHeart[] = [];
    // Stagger a batch so ten hearts read as a stream, not a blob.
    for (let i = 0; i < Math.min(count, MAX_FLOATING_HEARTS); i++) {
      added.push({ id: nextHeartId++, drift: Math.random() * 2 - 1, delayMs: i * 140, mine });
    }
    hearts.value = [...hearts.peek(), ...added].slice(-MAX_FLOATING_HEARTS);
    const ids = new Set(added.map((heart) => heart.id));
    setTimeout(() => {
      hearts.value = hearts.peek().filter((heart) => !ids.has(heart.id));
    }, HEART_FLIGHT_MS + (added.length - 1) * 140);
  }

  /** Our own taps already floated when we made them; do not float them twice. */
  function floatOthersHearts(added: number) {
    const now = Date.now();
    ownHeartTimes = ownHeartTimes.filter((time) => now - time < OWN_HEART_WINDOW_MS);
    const ours = Math.min(added, ownHeartTimes.length);
    ownHeartTimes = ownHeartTimes.slice(ours);
    floatHearts(added - ours, false);
  }

  return {
    room,
    messages,
    chat,
    you,
    connection,
    notFound,
    refused,
    seq,
    hearts,

    /**
     * Sends a chat line and resolves with the room's answer (a line sent
     * while offline goes when the socket is back); null when it is empty or
     * too long to send.
     */
    sendChat(text: string, name?: string): Promise<ChatReply> | null {
      const trimmed = text.trim();
      if (!trimmed || trimmed.length > LIMITS.chatText) return null;
      const displayName = name?.trim().slice(0, LIMITS.displayName);
      const ref = `c${nextChatRef++}`;
      const promise = new Promise<ChatReply>((resolve) => {
        chatsInFlight.set(ref, { resolve, sent: false });
        chatsInFlight.get(ref)!.sent = send({ type: "chat", text: trimmed, name: displayName || undefined, ref } satisfies ClientMessage);
      });
      const expire = () =>
        setTimeout(() => {
          const line = chatsInFlight.get(ref);
          if (line && !line.sent) expire(); // Still waiting for a socket: its time starts when it goes.
          else answerChat(ref, { ok: false, code: "network", message: "" });
        }, CHAT_ANSWER_MS);
      expire();
      return promise;
    },

    react() {
      ownHeartTimes.push(Date.now());
      floatHearts(1, true);
      send({ type: "react" } satisfies ClientMessage);
    },

    /** Host and moderators only; the room checks the role of the connection. */
    moderate(frame: ModerationFrame) {
      send(frame);
    },

    dispose() {
      roomSenders.delete(roomId);
      window.removeEventListener("online", reconnectNow);
      window.removeEventListener("offline", markOffline);
      socket.close();
    },
  };
}
