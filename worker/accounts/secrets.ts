/**
 * The ids and secrets of accounts. Secrets are random base62 (about 190 bits
 * for 32 characters), prefixed with what they unlock, and stored only as
 * SHA-256 hashes (digests.ts). The recovery code is meant to be typed, so it
 * is 20 characters of an alphabet without look-alikes, in groups of four.
 */
import { randomBase62 } from "../../durable-objects/random-ids.ts";

export const newAccountId = () => `a_${randomBase62(16)}`;
export const newSessionId = () => `se_${randomBase62(16)}`;
export const newChallengeId = () => `wc_${randomBase62(16)}`;
export const newApiKeyId = () => `ak_${randomBase62(16)}`;

export const newSessionToken = () => `ss_${randomBase62(32)}`;
export const newEmailToken = () => `el_${randomBase62(32)}`;

/** Crockford's base32: no I, L, O or U, so that a code copied by hand is read back right. */
const CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** 20 characters (100 bits), as XXXX-XXXX-XXXX-XXXX-XXXX. */
export function newRecoveryCode(): string {
  const chars = [...crypto.getRandomValues(new Uint8Array(20))].map((byte) => CODE_ALPHABET[byte % 32]);
  return chars.join("").match(/.{4}/g)!.join("-");
}

/** What a person typed, in the form it was issued: case, spaces and dashes do not matter; O is 0, I and L are 1. */
export function normalizeRecoveryCode(typed: string): string {
  const plain = typed.toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
  return plain.length === 20 ? plain.match(/.{4}/g)!.join("-") : plain;
}
