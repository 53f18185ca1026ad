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
  const room = (change: Partial<RoomState>): RoomView => ({ ...view, room: { ...view.room, ...change } });
  switch (event.type) {
    case "chat":
      return { ...view, messages: [...view.messages, event.message].slice(-LIMITS.historyKept) };
    case "chat_deleted":
      return { ...view, messages: view.messages.filter((message) => message.id !== event.messageId) };
    case "pin":
      return room({ pinnedProductId: event.productId });
    case "status":
      return room({ status: event.status });
    case "details":
      return room({ title: event.title, startsAt: event.startsAt });
    case "product": {
      const products = view.room.products;
      const known = products.some((product) => product.id === event.product.id);
      return room({
        products: known
          ? products.map((product) => (product.id === event.product.id ? event.product : product))
          : [...products, event.product],
      });
    }
    case "deal":
      return room({ deal: event.deal });
    case "stage":
      return room({ stage: event.tracks });
    case "chat_pinned":
      return { ...view, chat: { ...view.chat, pinned: event.message } };
    case "slow_mode":
      return { ...view, chat: { ...view.chat, slowModeSeconds: event.seconds } };
    case "restricted": {
      // Only a viewer's own: the rules never bind the people running the show.
      const me = view.you;
      return me?.role === "viewer" && me.id === event.viewerId ? { ...view, you: { ...me, restriction: event.restriction } } : view;
    }
    case "blocked_words":
    case "private":
      // The studio's (room-model's onFrame), or not for us at all.
      return view;
    default:
      // A new durable event in protocol.ts must be applied here: this fails to type-check until it is.
      event satisfies never;
      return view;
  }
}

/** `events` applied in order. */
export function applyEvents(view: RoomView, events: Iterable<RoomEvent>): RoomView {
  for (const event of events) view = applyEvent(view, event);
  return view;
}
