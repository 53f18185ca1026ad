/**
 * Hashes and MACs: how keys and tokens are stored (SHA-256), how a guest key
 * follows from a host key and how viewer tokens and Stripe's webhooks are
 * signed (HMAC-SHA256).
 */
const encoder = new TextEncoder();
const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");

/** HMAC-SHA256 of `message` keyed by `secret`. */
export async function hmacSha256(secret: string, message: string): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(message)));
}

export const hmacSha256Hex = async (secret: string, message: string) => hex(await hmacSha256(secret, message));

/** SHA-256, hex: how keys and tokens are stored. */
export async function sha256Hex(text: string): Promise<string> {
  return hex(new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text))));
}

/** Compares two strings in time that does not depend on where they differ. */
export function sameSecret(a: string, b: string): boolean {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  if (x.length !== y.length) return false;
  return crypto.subtle.timingSafeEqual(x, y);
}
