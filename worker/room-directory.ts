/**
 * Which rooms exist, from D1: a room id the Worker does not know never
 * reaches a Room Durable Object (an unknown id would otherwise get storage
 * of its own). Rooms are never deleted and their host keys never change, so
 * a room once found is remembered in this isolate; except a room from before
 * moderator keys, which gets one later (recordModeratorKey): it is read again
 * until then, so every isolate sees the key once it is there. The guest key
 * can be replaced by the host, so it is checked by the Room itself, the one
 * place that always knows the current one.
 */
import type { Role } from "../durable-objects/protocol.ts";
import type { Room } from "../durable-objects/room.ts";
import { sha256Hex } from "./digests.ts";

export type KnownRoom = { id: string; shopId: string; hostKeyHash: string; moderatorKeyHash: string | null };

const REMEMBERED = 10_000;
const known = new Map<string, KnownRoom>();

export async function findRoom(db: D1Database, roomId: string): Promise<KnownRoom | null> {
  const cached = known.get(roomId);
  if (cached) return cached;
  const room = await db
    .prepare("SELECT id, shop_id AS shopId, host_key_hash AS hostKeyHash, moderator_key_hash AS moderatorKeyHash FROM rooms WHERE id = ?")
    .bind(roomId)
    .first<KnownRoom>();
  if (!room) return null;
  if (!room.moderatorKeyHash) return room;
  if (known.size >= REMEMBERED) known.delete(known.keys().next().value!);
  known.set(roomId, room);
  return room;
}

/** The role a room key (hk_…, gk_… or mk_…) gives in this room; "viewer" without a key; null for a wrong key. */
export async function roleForKey(room: KnownRoom, key: string | null, stub: DurableObjectStub<Room>): Promise<Role | null> {
  if (!key) return "viewer";
  const hash = await sha256Hex(key);
  if (hash === room.hostKeyHash) return "host";
  if (room.moderatorKeyHash && hash === room.moderatorKeyHash) return "moderator";
  if (key.startsWith("gk_") && (await stub.isGuestKey(hash))) return "guest";
  return null;
}

/** Gives a room from before moderator keys its key (once; a key already there is kept). */
export async function recordModeratorKey(db: D1Database, room: KnownRoom, hash: string): Promise<void> {
  await db.prepare("UPDATE rooms SET moderator_key_hash = ? WHERE id = ? AND moderator_key_hash IS NULL").bind(hash, room.id).run();
  room.moderatorKeyHash = hash;
}
