const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** A random base62 string: 16 characters carry about 95 bits. */
function random(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length * 2))) {
      // 248 = 4 * 62: dropping bytes from 248 up keeps every character equally likely.
      if (byte < 248 && out.length < length) out += ALPHABET[byte % 62];
    }
  }
  return out;
}

export const newShopId = () => `s_${random(16)}`;
export const newProductId = () => `p_${random(16)}`;
export const newRoomId = () => `r_${random(16)}`;

/** Secrets: 32 characters (about 190 bits), prefixed with what they unlock. */
export const newApiKey = () => `sk_${random(32)}`;
export const newHostKey = () => `hk_${random(32)}`;
export const newGuestKey = () => `gk_${random(32)}`;

export const ROOM_ID = /^r_[0-9A-Za-z]{16}$/;
