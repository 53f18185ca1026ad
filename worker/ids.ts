import { ALPHABET, randomBase62 } from "../durable-objects/random-ids.ts";
import { hmacSha256 } from "./digests.ts";

export const newShopId = () => `s_${randomBase62(16)}`;
export const newProductId = () => `p_${randomBase62(16)}`;
export const newRoomId = () => `r_${randomBase62(16)}`;
export const newVariantId = () => `pv_${randomBase62(16)}`;
export const newPhotoId = () => `ph_${randomBase62(16)}`;
export const newCoverId = () => `cv_${randomBase62(16)}`;
export const newTrailerId = () => `tr_${randomBase62(16)}`;

/** Secrets: 32 characters (about 190 bits), prefixed with what they unlock. */
export const newApiKey = () => `sk_${randomBase62(32)}`;
export const newHostKey = () => `hk_${randomBase62(32)}`;

/**
 * A room's guest key follows from its host key (HMAC-SHA256, keyed by the host
 * key) and a version, so the host can always invite a guest again from the
 * studio, or replace the guest link (the next version), while the server
 * stores neither key, and nobody without the host key can work one out.
 */
export async function guestKeyFor(hostKey: string, version = 1): Promise<string> {
  return derivedKey("gk_", hostKey, `shop-along guest key v${version}`);
}

/** A room's moderator key, derived from its host key the same way (another message, so another key). */
export async function moderatorKeyFor(hostKey: string): Promise<string> {
  return derivedKey("mk_", hostKey, "shop-along moderator key v1");
}

/**
 * Rooms made since the console opens the studio with a session
 * (`rooms.keys_by_server`) derive their guest and moderator keys instead from
 * one of the server's secrets and the room's id, so the server can give them
 * to a signed-in host too, who has no host key; it still stores neither.
 */
export async function serverGuestKey(secret: string, roomId: string, version: number): Promise<string> {
  return derivedKey("gk_", secret, `shop-along guest key ${roomId} v${version}`);
}

export async function serverModeratorKey(secret: string, roomId: string): Promise<string> {
  return derivedKey("mk_", secret, `shop-along moderator key ${roomId} v1`);
}

async function derivedKey(prefix: string, hostKey: string, purpose: string): Promise<string> {
  const mac = await hmacSha256(hostKey, purpose);
  return `${prefix}${[...mac].map((byte) => ALPHABET[byte % 62]).join("")}`;
}

export const SHOP_ID = /^s_[0-9A-Za-z]{16}$/;
export const ROOM_ID = /^r_[0-9A-Za-z]{16}$/;
/** Order ids carry their room's id (`o_` + the room's 16 characters + 10 more), so any order can be routed to its room. */
export const ORDER_ID = /^o_([0-9A-Za-z]{16})[0-9A-Za-z]{10}$/;
export const roomOfOrder = (orderId: string) => `r_${orderId.slice(2, 18)}`;
export const newThumbnailId = () => `th_${randomBase62(16)}`;
