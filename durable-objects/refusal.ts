/**
 * How the Room says no. Every Room RPC that can fail returns a Refusal; the
 * Room does not speak HTTP, so the Worker picks the status for each code
 * (worker/refusals.ts) and a socket gets it as an `error` frame.
 */
export const REFUSAL_CODES = [
  "not_found",
  "invalid_request",
  "invalid_transition",
  "show_ended",
  "show_not_live",
  // The replay's timeline before the show ended.
  "not_ended",
  "deal_running",
  "sold_out",
  "deal_limit_reached",
  "idempotency_key_reused",
  "forbidden",
  // An order names no variant of a product that has some, or one the product does not have.
  "variant_required",
  "unknown_variant",
  // Too many at once (custom events): `retryAfterMs` says when the next one is taken.
  "rate_limited",
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

export type Refusal = { ok: false; code: RefusalCode; message: string; retryAfterMs?: number };

export const refuse = (code: RefusalCode, message: string): Refusal => ({ ok: false, code, message });

export const isRefusal = (value: unknown): value is Refusal =>
  typeof value === "object" && value !== null && (value as { ok?: unknown }).ok === false && "code" in value;

export const noShow = (): Refusal => refuse("not_found", "No show exists with this id.");

/**
 * A refusal a page's socket can read: a page cannot read the status of a refused handshake, so the socket opens and
 * is closed at once with `code` (CLOSE in protocol.ts; a close reason is at most 123 bytes).
 */
export function closedSocket(code: number, reason: string): Response {
  const { 0: client, 1: server } = new WebSocketPair();
  server.accept();
  server.close(code, reason.slice(0, 120));
  return new Response(null, { status: 101, webSocket: client });
}
