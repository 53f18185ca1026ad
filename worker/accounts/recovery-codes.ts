/**
 * Recovery codes: one per account, made when its first passkey is added and
 * shown once. It signs in once; a new code then replaces it (shown once too).
 */
import { sha256Hex } from "../digests.ts";
import { newRecoveryCode, normalizeRecoveryCode } from "./secrets.ts";

/** Makes (or replaces) the account's code; returns it in the clear, the only time it exists outside the owner's hands. */
export async function newRecoveryCodeFor(db: D1Database, accountId: string): Promise<string> {
  const code = newRecoveryCode();
  await db
    .prepare(
      `INSERT INTO recovery_codes (account_id, code_hash, created_at) VALUES (?, ?, ?)
       ON CONFLICT (account_id) DO UPDATE SET code_hash = excluded.code_hash, created_at = excluded.created_at`,
    )
    .bind(accountId, await sha256Hex(code), Date.now())
    .run();
  return code;
}

export async function hasRecoveryCode(db: D1Database, accountId: string): Promise<boolean> {
  return (await db.prepare("SELECT 1 AS yes FROM recovery_codes WHERE account_id = ?").bind(accountId).first()) !== null;
}

/** Uses the code up; returns its account, or null when no account has it. */
export async function useRecoveryCode(db: D1Database, typed: string): Promise<string | null> {
  const row = await db
    .prepare("DELETE FROM recovery_codes WHERE code_hash = ? RETURNING account_id AS accountId")
    .bind(await sha256Hex(normalizeRecoveryCode(typed)))
    .first<{ accountId: string }>();
  return row?.accountId ?? null;
}
