/**
 * Invites to a shop's team: a link with a role, single use, for 7 days. The
 * link carries the token in its fragment (`/console#invite=s_….iv_…`); D1
 * keeps only the token's hash. Accepting uses the invite up and makes the
 * membership in one batch (a transaction), so a link never makes two.
 */
import { randomBase62 } from "../../durable-objects/random-ids.ts";
import type { Role } from "../accounts/accounts.ts";
import { newAccountId } from "../accounts/secrets.ts";
import { sha256Hex } from "../digests.ts";
import { sendEmail } from "../email/send-email.ts";

export const INVITE_DAYS = 7;
const INVITE_MS = INVITE_DAYS * 24 * 3600_000;

export type InviteRole = Exclude<Role, "owner">;
export type Invite = { id: string; role: InviteRole; name: string | null; email: string | null; createdAt: number; expiresAt: number };

const newInviteId = () => `in_${randomBase62(16)}`;
const newInviteToken = () => `iv_${randomBase62(32)}`;

/** The link an invite is opened with: the shop and the token, in the fragment. */
export const inviteLink = (origin: string, shopId: string, token: string) => `${origin}/console#invite=${shopId}.${token}`;

export async function createInvite(
  db: D1Database,
  shopId: string,
  createdBy: string,
  fields: { role: InviteRole; name?: string; email?: string },
): Promise<{ invite: Invite; token: string }> {
  const token = newInviteToken();
  const now = Date.now();
  const invite: Invite = { id: newInviteId(), role: fields.role, name: fields.name || null, email: fields.email?.trim().toLowerCase() || null, createdAt: now, expiresAt: now + INVITE_MS };
  await db
    .prepare("INSERT INTO invites (id, shop_id, token_hash, role, name, email, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
    .bind(invite.id, shopId, await sha256Hex(token), invite.role, invite.name, invite.email, createdBy, now, invite.expiresAt)
    .run();
  return { invite, token };
}

/** The shop's invites that can still be accepted, newest first. */
export async function pendingInvites(db: D1Database, shopId: string): Promise<Invite[]> {
  const { results } = await db
    .prepare(
      `SELECT id, role, name, email, created_at AS createdAt, expires_at AS expiresAt FROM invites
       WHERE shop_id = ? AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ? ORDER BY created_at DESC LIMIT 100`,
    )
    .bind(shopId, Date.now())
    .all<Invite>();
  return results;
}

export async function revokeInvite(db: D1Database, shopId: string, inviteId: string): Promise<boolean> {
  const result = await db
    .prepare("UPDATE invites SET revoked_at = ? WHERE id = ? AND shop_id = ? AND accepted_at IS NULL AND revoked_at IS NULL")
    .bind(Date.now(), inviteId, shopId)
    .run();
  return result.meta.changes > 0;
}

/** The live invite a token opens in this shop: what the invitee is shown before accepting. */
export async function findInvite(db: D1Database, shopId: string, token: string): Promise<(Invite & { shopName: string }) | null> {
  return db
    .prepare(
      `SELECT i.id, i.role, i.name, i.email, i.created_at AS createdAt, i.expires_at AS expiresAt, s.name AS shopName
       FROM invites i JOIN shops s ON s.id = i.shop_id
       WHERE i.shop_id = ? AND i.token_hash = ? AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > ?`,
    )
    .bind(shopId, await sha256Hex(token), Date.now())
    .first();
}

/**
 * Uses the invite up for the account (an existing one, or a new one named
 * `newAccountName`, made in the same transaction) and makes its membership.
 * Returns the account that joined, or null when the invite was no longer
 * live (used, revoked, expired: then nothing was written).
 */
export async function acceptInvite(
  db: D1Database,
  shopId: string,
  token: string,
  who: { accountId: string } | { newAccountName: string },
): Promise<string | null> {
  const hash = await sha256Hex(token);
  const now = Date.now();
  const live = "token_hash = ?1 AND shop_id = ?2 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ?3";
  const statements: D1PreparedStatement[] = [];
  let accountId: string;
  if ("accountId" in who) {
    accountId = who.accountId;
  } else {
    accountId = newAccountId();
    statements.push(
      db.prepare(`INSERT INTO accounts (id, display_name, created_at) SELECT ?4, ?5, ?3 WHERE EXISTS (SELECT 1 FROM invites WHERE ${live})`).bind(hash, shopId, now, accountId, who.newAccountName),
    );
  }
  statements.push(
    db.prepare(`UPDATE invites SET accepted_at = ?3, accepted_by = ?4 WHERE ${live}`).bind(hash, shopId, now, accountId),
    db
      .prepare(
        `INSERT INTO memberships (shop_id, account_id, role, created_at)
         SELECT ?2, ?4, role, ?3 FROM invites WHERE token_hash = ?1 AND accepted_by = ?4 AND accepted_at = ?3
         ON CONFLICT (shop_id, account_id) DO NOTHING`,
      )
      .bind(hash, shopId, now, accountId),
  );
  const results = await db.batch(statements);
  return results.at(-1)!.meta.changes > 0 ? accountId : null;
}

/** Emails the link to the invitee (queue-backed: it goes out even if the mail service is slow). */
export async function emailInvite(env: Env, to: string, shopName: string, role: InviteRole, link: string): Promise<void> {
  const subject = `You are invited to ${shopName} on shop-along`;
  const lead = `You are invited to join ${shopName}'s team on shop-along as ${role === "manager" ? "a manager" : `a ${role}`}.`;
  const escape = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
  await sendEmail(env, {
    to,
    subject,
    text: `${lead}\n\nOpen this link to accept:\n\n${link}\n\nThe link works once, within ${INVITE_DAYS} days.\n`,
    html: `<p>${escape(lead)}</p><p><a href="${escape(link)}">Accept the invite</a></p><p>The link works once, within ${INVITE_DAYS} days.</p>`,
  });
}
