/**
 * A shop's members: listed with their role and since when, their role
 * changed, removed. A shop always keeps at least one owner: the statements
 * that would take its last one away change nothing (checked in the same
 * statement, so two owners demoting each other at once leave one).
 */
import type { Role } from "../accounts/accounts.ts";

export type Member = { accountId: string; displayName: string; email: string | null; role: Role; since: number; shows: string[] };

export async function listMembers(db: D1Database, shopId: string): Promise<Member[]> {
  const [members, hosts] = await db.batch<{ accountId: string; displayName: string; email: string | null; role: Role; since: number } & { roomId: string }>([
    db
      .prepare(
        `SELECT a.id AS accountId, a.display_name AS displayName, a.email, m.role, m.created_at AS since
         FROM memberships m JOIN accounts a ON a.id = m.account_id WHERE m.shop_id = ? ORDER BY m.created_at, a.id`,
      )
      .bind(shopId),
    db.prepare("SELECT account_id AS accountId, room_id AS roomId FROM show_hosts WHERE shop_id = ? ORDER BY assigned_at").bind(shopId),
  ]);
  return members!.results.map(({ accountId, displayName, email, role, since }) => ({
    accountId,
    displayName,
    email,
    role,
    since,
    shows: hosts!.results.filter((h) => h.accountId === accountId).map((h) => h.roomId),
  }));
}

/** Keeps the last owner an owner: true for a row that is not an owner, or when another owner remains. */
const KEEPS_AN_OWNER = "(role != 'owner' OR (SELECT count(*) FROM memberships WHERE shop_id = ?1 AND role = 'owner') > 1)";

export type Change = "changed" | "not_member" | "last_owner";

export async function changeRole(db: D1Database, shopId: string, accountId: string, role: Role): Promise<Change> {
  const [updated] = await db.batch([
    db.prepare(`UPDATE memberships SET role = ?3 WHERE shop_id = ?1 AND account_id = ?2 AND (?3 = 'owner' OR ${KEEPS_AN_OWNER})`).bind(shopId, accountId, role),
    // Assigned shows belong to hosts only.
    db
      .prepare("DELETE FROM show_hosts WHERE shop_id = ?1 AND account_id = ?2 AND NOT EXISTS (SELECT 1 FROM memberships WHERE shop_id = ?1 AND account_id = ?2 AND role = 'host')")
      .bind(shopId, accountId),
  ]);
  return updated!.meta.changes > 0 ? "changed" : whyUnchanged(db, shopId, accountId);
}

export async function removeMember(db: D1Database, shopId: string, accountId: string): Promise<Change> {
  const [deleted] = await db.batch([
    db.prepare(`DELETE FROM memberships WHERE shop_id = ?1 AND account_id = ?2 AND ${KEEPS_AN_OWNER}`).bind(shopId, accountId),
    db
      .prepare("DELETE FROM show_hosts WHERE shop_id = ?1 AND account_id = ?2 AND NOT EXISTS (SELECT 1 FROM memberships WHERE shop_id = ?1 AND account_id = ?2)")
      .bind(shopId, accountId),
  ]);
  return deleted!.meta.changes > 0 ? "changed" : whyUnchanged(db, shopId, accountId);
}

async function whyUnchanged(db: D1Database, shopId: string, accountId: string): Promise<Change> {
  const row = await db.prepare("SELECT role FROM memberships WHERE shop_id = ? AND account_id = ?").bind(shopId, accountId).first<{ role: Role }>();
  if (!row) return "not_member";
  // Setting the role it already has changes no row either.
  return row.role === "owner" ? "last_owner" : "changed";
}
