/**
 * The room as a page sees it, and how one durable event changes it: a pure
 * function, shared by the live page (room-model.ts keeps the parts in
 * signals and calls this) and the replay player (replay/, which folds the
 * show's log up to any moment), and by the Room to rebuild the state a
 * replay starts from. No signals, no clocks, no side effects here.
 */
import { LIMITS, type ChatMessage, type ChatState, type RoomEvent, type RoomState, type ServerMessage } from "../../durable-objects/protocol.ts";

export type You = Extract<ServerMessage, { type: "sync" }>["you"];

export type RoomView = {
  room: RoomState;
  /** The chat's recent lines, oldest first (at most LIMITS.historyKept). */
  messages: ChatMessage[];
  /** Slow mode and the pinned message. */
  chat: ChatState;
  /** Who this page is (live only; a replay has nobody). */
  you: You | null;
};

/**
 * The view after `event`. A part the event does not touch keeps its
 * identity, so a signal holding it does not notify.
 */
export function applyEvent(view: RoomView, event: RoomEvent): RoomView {
  let { room, messages, chat, you } = view;
  switch (event.type) {
    case "chat":
      messages = [...messages, event.message].slice(-LIMITS.historyKept);
      break;
    case "chat_deleted":
      messages = messages.filter((message) => message.id !== event.messageId);
      break;
    case "pin":
      room = { ...room, pinnedProductId: event.productId };
      break;
    case "status":
      room = { ...room, status: event.status };
      break;
    case "details":
      room = { ...room, title: event.title, startsAt: event.startsAt };
      break;
    case "product": {
      // In its place, or last when the show did not list it yet.
      const products = room.products.slice();
      const at = products.findIndex((p) => p.id === event.product.id);
      products[at < 0 ? products.length : at] = event.product;
      room = { ...room, products };
      break;
    }
    case "deal":
      room = { ...room, deal: event.deal };
      break;
    case "stage":
      room = { ...room, stage: event.tracks };
      break;
    case "chat_pinned":
      chat = { ...chat, pinned: event.message };
      break;
    case "slow_mode":
      chat = { ...chat, slowModeSeconds: event.seconds };
      break;
    case "restricted":
      // Only a viewer's own: the rules never bind the people running the show.
      if (you?.role === "viewer" && you.id === event.viewerId) you = { ...you, restriction: event.restriction };
      break;
    case "blocked_words":
    case "custom":
    case "private":
      // The studio's (room-model's onFrame), a developer's own (the page's DOM event), or not for us at all.
      break;
    default:
      // A new durable event in protocol.ts must be applied here: this fails to type-check until it is.
      event satisfies never;
  }
  return { room, messages, chat, you };
}

/** `events` applied in order. */
export function applyEvents(view: RoomView, events: Iterable<RoomEvent>): RoomView {
  for (const event of events) view = applyEvent(view, event);
  return view;
}
