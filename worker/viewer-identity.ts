/**
 * A viewer's identity without sign-up: the server issues `v_…` ids in signed
 * tokens (`vt_<id>.<signature>`) that the page keeps and presents when it asks
 * for a socket ticket. Rate limits and bans (and later analytics) key on the
 * id, so a new connection is not a new allowance. The signing key is one of
 * the server's secrets (server-secrets.ts).
 */
import { VIEWER_TOKEN } from "../durable-objects/protocol.ts";
import { randomBase62 } from "../durable-objects/random-ids.ts";
import { hmacSha256Hex, sameSecret } from "./digests.ts";
import { serverSecret } from "./server-secrets.ts";

const sign = async (db: D1Database, viewerId: string) => (await hmacSha256Hex(await serverSecret(db, "viewer-token"), `viewer ${viewerId}`)).slice(0, 32);

/** The viewer a token names, if the signature is ours; null otherwise. */
export async function verifyViewerToken(db: D1Database, token: string | null | undefined): Promise<string | null> {
  const match = token ? VIEWER_TOKEN.exec(token) : null;
  if (!match) return null;
  return sameSecret(await sign(db, match[1]!), match[2]!) ? match[1]! : null;
}

/** The viewer of a presented token, or a new identity (with the token the page should keep). */
export async function viewerIdentity(db: D1Database, token: string | null | undefined): Promise<{ id: string; token: string }> {
  const id = await verifyViewerToken(db, token);
  if (id) return { id, token: token! };
  const fresh = `v_${randomBase62(16)}`;
  return { id: fresh, token: `vt_${fresh}.${await sign(db, fresh)}` };
}
