/**
 * A developer's custom event (posted with `POST /api/rooms/{id}/events`) as
 * a DOM event, the same on every page that shows the room: the live viewer
 * page and its replay dispatch it on `window`, the embed on its element.
 *
 * @example addEventListener("shop-along:event", (e) => e.detail.name === "x-quiz" && showQuiz(e.detail.data))
 */
import type { RoomEvent } from "../../durable-objects/protocol.ts";

export type ShopEventDetail = { id: string; name: string; data: unknown; at: number };

export function dispatchShopEvent({ id, name, data, at }: Extract<RoomEvent, { type: "custom" }>, target: EventTarget = window): void {
  target.dispatchEvent(new CustomEvent<ShopEventDetail>("shop-along:event", { detail: { id, name, data, at }, bubbles: true, composed: true }));
}
