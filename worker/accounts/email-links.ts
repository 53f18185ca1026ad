/**
 * Email sign-in links: a single-use token, good for 15 minutes, in the
 * fragment of a link to the console (`/console#token=el_…`), which the page
 * posts back. The same link confirms the address: following it gives the
 * account that email, unless another account already has it.
 */
import { sha256Hex } from "../digests.ts";
import { sendEmail } from "../email/send-email.ts";
import { normalizeEmail, setEmail } from "./accounts.ts";
import { newEmailToken } from "./secrets.ts";

export const EMAIL_LINK_MS = 15 * 60_000;

/** Records a new token for the account and email; returns the token (it is stored only as its hash). */
export async function issueEmailToken(db: D1Database, accountId: string, email: string): Promise<string> {
  const token = newEmailToken();
  const now = Date.now();
  await db.batch([
    db.prepare("DELETE FROM email_tokens WHERE expires_at < ?").bind(now - EMAIL_LINK_MS),
    db
      .prepare("INSERT INTO email_tokens (token_hash, account_id, email, created_at, expires_at) VALUES (?, ?, ?, ?, ?)")
      .bind(await sha256Hex(token), accountId, normalizeEmail(email), now, now + EMAIL_LINK_MS),
  ]);
  return token;
}

/** Issues a token and emails its link. `confirming`: the owner gave this address, rather than asked to sign in. */
export async function emailSignInLink(env: Env, origin: string, accountId: string, email: string, confirming = false): Promise<void> {
  const token = await issueEmailToken(env.DB, accountId, email);
  const link = `${origin}/console#token=${token}`;
  const subject = confirming ? "Confirm your email for shop-along" : "Your shop-along sign-in link";
  const lead = confirming
    ? "Open this link to confirm this address for your shop-along account and sign in:"
    : "Open this link to sign in to your shop-along console:";
  await sendEmail(env, {
    to: normalizeEmail(email),
    subject,
    text: `${lead}\n\n${link}\n\nThe link works once, within 15 minutes. If you did not ask for it, ignore this email.\n`,
    html:
      `<p>${lead}</p><p><a href="${link}">${subject}</a></p>` +
      "<p>The link works once, within 15 minutes. If you did not ask for it, ignore this email.</p>",
  });
}

/**
 * Uses the token up (single use, in one statement) and returns the account it
 * signs in to; the token's email becomes the account's when no other account
 * has it. Null for an unknown, used or expired token.
 */
export async function consumeEmailToken(db: D1Database, token: string): Promise<string | null> {
  const now = Date.now();
  const row = await db
    .prepare(
      `UPDATE email_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?
       RETURNING account_id AS accountId, email`,
    )
    .bind(now, await sha256Hex(token), now)
    .first<{ accountId: string; email: string }>();
  if (!row) return null;
  await setEmail(db, row.accountId, row.email);
  return row.accountId;
}
