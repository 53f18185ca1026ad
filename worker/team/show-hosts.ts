/**
 * Which members host which show, and what a member's role in a shop lets
 * them be in one of its rooms: owners and managers run every show (host),
 * a host runs the shows assigned to them, a moderator moderates any show.
 */
import type { Role } from "../accounts/accounts.ts";

export type RoomPower = "host" | "moderator";

export async function isAssigned(db: D1Database, roomId: string, accountId: string): Promise<boolean> {
  return (await db.prepare("SELECT 1 AS yes FROM show_hosts WHERE room_id = ? AND account_id = ?").bind(roomId, accountId).first()) !== null;
}

/** The most a member with `role` may be in this room of their shop; null when nothing (a host of another show). */
export async function roomPowerOf(db: D1Database, role: Role, accountId: string, roomId: string): Promise<RoomPower | null> {
  if (role === "owner" || role === "manager") return "host";
  if (role === "moderator") return "moderator";
  return (await isAssigned(db, roomId, accountId)) ? "host" : null;
}

/** The rooms of the shop assigned to this member. */
export async function showsOf(db: D1Database, shopId: string, accountId: string): Promise<string[]> {
  const { results } = await db
    .prepare("SELECT room_id AS roomId FROM show_hosts WHERE shop_id = ? AND account_id = ? ORDER BY assigned_at")
    .bind(shopId, accountId)
    .all<{ roomId: string }>();
  return results.map((r) => r.roomId);
}

/** Assigns the show to a member of its shop whose role is host; false when they are not one (nothing changes). */
export async function assignHost(db: D1Database, shopId: string, roomId: string, accountId: string): Promise<boolean> {
  const result = await db
    .prepare(
      `INSERT INTO show_hosts (room_id, account_id, shop_id, assigned_at)
       SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM memberships WHERE shop_id = ?3 AND account_id = ?2 AND role = 'host')
       ON CONFLICT (room_id, account_id) DO NOTHING`,
    )
    .bind(roomId, accountId, shopId, Date.now())
    .run();
  return result.meta.changes > 0 || (await isAssigned(db, roomId, accountId));
}

export async function unassignHost(db: D1Database, roomId: string, accountId: string): Promise<void> {
  await db.prepare("DELETE FROM show_hosts WHERE room_id = ? AND account_id = ?").bind(roomId, accountId).run();
}
