/**
 * A room's guest and moderator keys, rebuilt on demand (only their hashes
 * are stored): from the server's `room-links` secret for rooms made since
 * migration 0016, else from the host key (ids.ts).
 */
import { ApiError } from "./errors.ts";
import { guestKeyFor, moderatorKeyFor, serverGuestKey, serverModeratorKey } from "./ids.ts";
import { serverSecret } from "./server-secrets.ts";

const SECRET = "room-links";

/** New rooms' keys; `version` is the guest key's (1 at creation, one more each time the guest link is replaced). */
export async function serverRoomKeys(db: D1Database, roomId: string, version = 1): Promise<{ guest: string; moderator: string }> {
  const secret = await serverSecret(db, SECRET);
  const [guest, moderator] = await Promise.all([serverGuestKey(secret, roomId, version), serverModeratorKey(secret, roomId)]);
  return { guest, moderator };
}

export type KeySource = { keysByServer: boolean; guestKeyVersion: number };

export async function keySource(db: D1Database, roomId: string): Promise<KeySource> {
  const row = await db
    .prepare("SELECT guest_key_version AS guestKeyVersion, keys_by_server AS keysByServer FROM rooms WHERE id = ?")
    .bind(roomId)
    .first<{ guestKeyVersion: number; keysByServer: number }>();
  return { keysByServer: row?.keysByServer === 1, guestKeyVersion: row?.guestKeyVersion ?? 1 };
}

/** The room's keys at guest key `version`, for the host key's holder (hostKey) or a signed-in host (null). */
export async function roomKeys(db: D1Database, roomId: string, source: KeySource, hostKey: string | null, version = source.guestKeyVersion) {
  if (source.keysByServer) return serverRoomKeys(db, roomId, version);
  if (!hostKey) {
    throw new ApiError(
      403,
      "host_key_needed",
      "This show was made before a signed-in host could be given its guest and moderator links: open the host link it was made with.",
    );
  }
  const [guest, moderator] = await Promise.all([guestKeyFor(hostKey, version), moderatorKeyFor(hostKey)]);
  return { guest, moderator };
}
