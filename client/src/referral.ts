/**
 * The share code a viewer came with (`/r/{id}?ref=KOL_MEI`): the KOL, KOC or
 * store employee who shared the show gets credited with the orders placed
 * from their link. Kept in sessionStorage for this tab, so a reload (or a
 * link without it, opened later in the same tab) still carries it.
 */
const REF = /^[A-Za-z0-9_-]{1,40}$/;
const storageKey = (roomId: string) => `shop-along:ref:${roomId}`;

let current: string | null = null;

/** Reads ?ref= from the address on load and remembers it; returns the code in effect. */
export function takeReferral(roomId: string): string | null {
  const fromLink = new URLSearchParams(location.search).get("ref");
  if (fromLink && REF.test(fromLink)) current = fromLink;
  try {
    if (current) sessionStorage.setItem(storageKey(roomId), current);
    else current = sessionStorage.getItem(storageKey(roomId));
  } catch {
    // Storage blocked: the code lasts as long as this page.
  }
  return current;
}

/** The code to send with an order, if the viewer came with one. */
export const referral = (): string | null => current;
