/** Accounts and what they may do: their memberships of shops, each with a role. */
import { photoUrlOf } from "../media/served-file.ts";
import { newAccountId } from "./secrets.ts";

export const ROLES = ["owner", "manager", "host", "moderator"] as const;
export type Role = (typeof ROLES)[number];

export type Account = { id: string; email: string | null; displayName: string; photoUrl: string | null; createdAt: number };
export type Membership = { id: string; name: string; currency: string; role: Role };

const ACCOUNT_COLUMNS = `id, email, display_name AS displayName, ${photoUrlOf("photo_r2_key")} AS photoUrl, created_at AS createdAt`;

export async function findAccount(db: D1Database, accountId: string): Promise<Account | null> {
  return db
    .prepare(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE id = ?`)
    .bind(accountId)
    .first<Account>();
}

export async function accountByEmail(db: D1Database, email: string): Promise<Account | null> {
  return db
    .prepare(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE email = ?`)
    .bind(normalizeEmail(email))
    .first<Account>();
}

/** Emails are compared as typed, less case and surrounding spaces. */
export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/** The shops the account belongs to, with its role in each, oldest first. */
export async function membershipsOf(db: D1Database, accountId: string): Promise<Membership[]> {
  const { results } = await db
    .prepare(
      `SELECT s.id, s.name, s.currency, m.role FROM memberships m JOIN shops s ON s.id = m.shop_id
       WHERE m.account_id = ? ORDER BY m.created_at, s.id`,
    )
    .bind(accountId)
    .all<Membership>();
  return results;
}

/** The account's role in the shop, or null when it is not a member. */
export async function roleIn(db: D1Database, accountId: string, shopId: string): Promise<Role | null> {
  const row = await db.prepare("SELECT role FROM memberships WHERE account_id = ? AND shop_id = ?").bind(accountId, shopId).first<{ role: Role }>();
  return row?.role ?? null;
}

export const createAccountStatement = (db: D1Database, displayName: string) => {
  const id = newAccountId();
  return { id, statement: db.prepare("INSERT INTO accounts (id, display_name, created_at) VALUES (?, ?, ?)").bind(id, displayName, Date.now()) };
};

/**
 * Makes the account the shop's owner, unless the shop has one already
 * (checked in the same statement, so two claims at once make one owner).
 */
export const becomeOwnerStatement = (db: D1Database, shopId: string, accountId: string) =>
  db
    .prepare(
      `INSERT INTO memberships (shop_id, account_id, role, created_at)
       SELECT ?1, ?2, 'owner', ?3 WHERE NOT EXISTS (SELECT 1 FROM memberships WHERE shop_id = ?1 AND role = 'owner')`,
    )
    .bind(shopId, accountId, Date.now());

/** Gives the account this email, unless another account has it already; true when the account now has it. */
export async function setEmail(db: D1Database, accountId: string, email: string): Promise<boolean> {
  const normalized = normalizeEmail(email);
  await db
    .prepare("UPDATE accounts SET email = ?1 WHERE id = ?2 AND NOT EXISTS (SELECT 1 FROM accounts WHERE email = ?1 AND id != ?2)")
    .bind(normalized, accountId)
    .run();
  return (await findAccount(db, accountId))?.email === normalized;
}
