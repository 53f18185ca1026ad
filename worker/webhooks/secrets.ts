/**
 * Endpoint signing secrets: `whsec_` + 32 random bytes in base64 (Standard
 * Webhooks' format). The consumer must sign with them, so they are kept
 * encrypted (AES-GCM) rather than hashed, with a key derived from one of the
 * server's secrets (worker/server-secrets.ts); a copy of D1 alone shows none.
 */
import { serverSecret } from "../server-secrets.ts";

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

export const newSigningSecret = () => `whsec_${toBase64(crypto.getRandomValues(new Uint8Array(32)))}`;

async function key(db: D1Database): Promise<CryptoKey> {
  const secret = await serverSecret(db, "webhook-secrets");
  const raw = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`shop-along webhook secrets v1 ${secret}`));
  return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
}

export async function sealSecret(db: D1Database, secret: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, await key(db), new TextEncoder().encode(secret)));
  return `v1.${toBase64(iv)}.${toBase64(sealed)}`;
}

export async function openSecret(db: D1Database, sealed: string): Promise<string> {
  const [, iv, data] = sealed.split(".");
  const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: fromBase64(iv!) }, await key(db), fromBase64(data!));
  return new TextDecoder().decode(plain);
}
