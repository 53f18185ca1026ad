/**
 * Tells the show's numbers what a viewer looked at: a product's card, its
 * checkout, or (a replay's page, every 15 s while it plays) that it is
 * watching. Through the room socket when the page has one (the room knows
 * who it is); otherwise as a beacon to `POST /api/rooms/{id}/views` with the
 * page's viewer token. Never in the way: nothing waits for it, and a
 * failure is only a number less.
 */
import type { ClientMessage } from "../../../durable-objects/protocol.ts";
import { origin } from "../origin.ts";
import { viewerToken } from "../viewer-token.ts";
import { roomSenders } from "./room-senders.ts";

export type Tracked = Extract<ClientMessage, { type: "track" }>["what"];

/** How often a replay's page says it is watching (the room counts each as that long). */
export const WATCHING_EVERY_MS = 15_000;

export function track(roomId: string, what: Tracked, productId?: string): void {
  const send = roomSenders.get(roomId);
  // A socket that is not open yet queues the frame for when it is.
  if (send) return void send(JSON.stringify({ type: "track", what, ...(productId ? { productId } : {}) } satisfies ClientMessage));
  const token = viewerToken();
  if (!token || typeof navigator.sendBeacon !== "function") return;
  const body = new Blob([JSON.stringify({ what, viewerToken: token, ...(productId ? { productId } : {}) })], { type: "application/json" });
  navigator.sendBeacon(`${origin}/api/rooms/${encodeURIComponent(roomId)}/views`, body);
}
