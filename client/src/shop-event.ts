/**
 * A developer's custom event (posted with `POST /api/rooms/{id}/events`) as
 * a DOM event, the same on every page that shows the room: the live viewer
 * page and its replay dispatch it on `window`, the embed on its element.
 *
 * @example addEventListener("shop-along:event", (e) => e.detail.name === "x-quiz" && showQuiz(e.detail.data))
 */
import type { RoomEvent } from "../../durable-objects/protocol.ts";

export type ShopEventDetail = { id: string; name: string; data: unknown; at: number };

export function dispatchShopEvent(event: Extract<RoomEvent, { type: "custom" }>, target: EventTarget = window): void {
  // Everything but the log's own fields: {id, name, data, at}.
  const { type: _type, seq: _seq, ...detail } = event;
  target.dispatchEvent(new CustomEvent<ShopEventDetail>("shop-along:event", { detail, bubbles: true, composed: true }));
}
