/**
 * Passkeys (WebAuthn) with SimpleWebAuthn: an account registers as many as it
 * likes, each named after its device; signing in uses discoverable
 * credentials, so the browser offers the passkeys it has for this site and
 * nobody types an email. Challenges are single use and live five minutes.
 */
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { isoBase64URL, isoUint8Array } from "@simplewebauthn/server/helpers";
import { ApiError } from "../errors.ts";
import type { Account } from "./accounts.ts";
import { RP_NAME } from "./relying-party.ts";
import { newChallengeId } from "./secrets.ts";

const CHALLENGE_MS = 5 * 60_000;

type Purpose = "register" | "authenticate";
type RelyingParty = { id: string; origin: string };

export type PasskeyView = { id: string; name: string; createdAt: number; lastUsedAt: number | null };

type PasskeyRow = { id: string; accountId: string; publicKey: string; counter: number; transports: string };

async function saveChallenge(db: D1Database, challenge: string, purpose: Purpose, accountId: string | null): Promise<string> {
  const id = newChallengeId();
  await db.batch([
    db.prepare("DELETE FROM webauthn_challenges WHERE expires_at < ?").bind(Date.now()),
    db
      .prepare("INSERT INTO webauthn_challenges (id, challenge, purpose, account_id, expires_at) VALUES (?, ?, ?, ?, ?)")
      .bind(id, challenge, purpose, accountId, Date.now() + CHALLENGE_MS),
  ]);
  return id;
}

/** Takes the challenge (so it can never be answered twice); refuses one that is unknown, expired or someone else's. */
async function takeChallenge(db: D1Database, id: string, purpose: Purpose, accountId: string | null): Promise<string> {
  const row = await db
    .prepare("DELETE FROM webauthn_challenges WHERE id = ? AND purpose = ? RETURNING challenge, account_id AS accountId, expires_at AS expiresAt")
    .bind(id, purpose)
    .first<{ challenge: string; accountId: string | null; expiresAt: number }>();
  if (!row || row.expiresAt < Date.now() || row.accountId !== accountId) {
    throw new ApiError(400, "challenge_expired", "This passkey request has expired or was already used. Start again.");
  }
  return row.challenge;
}

export async function registrationOptions(db: D1Database, rp: RelyingParty, account: Account) {
  const { results: existing } = await db
    .prepare("SELECT id, transports FROM passkeys WHERE account_id = ?")
    .bind(account.id)
    .all<{ id: string; transports: string }>();
  const options = await generateRegistrationOptions({
    rpName: RP_NAME,
    rpID: rp.id,
    userName: account.email ?? account.displayName,
    userDisplayName: account.displayName,
    userID: isoUint8Array.fromUTF8String(account.id),
    attestationType: "none",
    excludeCredentials: existing.map((p) => ({ id: p.id, transports: JSON.parse(p.transports) as string[] })),
    authenticatorSelection: { residentKey: "required", userVerification: "preferred" },
  });
  return { challengeId: await saveChallenge(db, options.challenge, "register", account.id), options };
}

/** Verifies the authenticator's answer and stores the new passkey's public key. */
export async function registerPasskey(
  db: D1Database,
  rp: RelyingParty,
  account: Account,
  input: { challengeId: string; name: string; response: unknown },
): Promise<PasskeyView> {
  const expectedChallenge = await takeChallenge(db, input.challengeId, "register", account.id);
  let verified;
  try {
    verified = await verifyRegistrationResponse({
      response: input.response as RegistrationResponseJSON,
      expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: false,
    });
  } catch (error) {
    throw new ApiError(400, "passkey_refused", `The passkey could not be verified: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!verified.verified) throw new ApiError(400, "passkey_refused", "The passkey could not be verified.");
  const { credential } = verified.registrationInfo;
  const now = Date.now();
  const result = await db
    .prepare(
      `INSERT INTO passkeys (id, account_id, public_key, counter, transports, device_name, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
    )
    .bind(credential.id, account.id, isoBase64URL.fromBuffer(credential.publicKey), credential.counter, JSON.stringify(credential.transports ?? []), input.name, now)
    .run();
  if (result.meta.changes === 0) throw new ApiError(409, "passkey_exists", "This passkey is already registered.");
  return { id: credential.id, name: input.name, createdAt: now, lastUsedAt: null };
}

export async function authenticationOptions(db: D1Database, rp: RelyingParty) {
  const options = await generateAuthenticationOptions({ rpID: rp.id, userVerification: "preferred" });
  return { challengeId: await saveChallenge(db, options.challenge, "authenticate", null), options };
}

/** Verifies a sign-in with a passkey; returns the account it belongs to. */
export async function authenticatePasskey(db: D1Database, rp: RelyingParty, input: { challengeId: string; response: unknown }): Promise<string> {
  const expectedChallenge = await takeChallenge(db, input.challengeId, "authenticate", null);
  const response = input.response as AuthenticationResponseJSON;
  const refused = () => new ApiError(401, "passkey_refused", "This passkey is not known here. Sign in another way, then add it again.");
  const passkey = typeof response?.id === "string"
    ? await db
        .prepare("SELECT id, account_id AS accountId, public_key AS publicKey, counter, transports FROM passkeys WHERE id = ?")
        .bind(response.id)
        .first<PasskeyRow>()
    : null;
  if (!passkey) throw refused();
  let verified;
  try {
    verified = await verifyAuthenticationResponse({
      response,
      expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: false,
      credential: {
        id: passkey.id,
        publicKey: isoBase64URL.toBuffer(passkey.publicKey),
        counter: passkey.counter,
        transports: JSON.parse(passkey.transports) as string[],
      },
    });
  } catch (error) {
    throw new ApiError(401, "passkey_refused", `The passkey could not be verified: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!verified.verified) throw refused();
  await db
    .prepare("UPDATE passkeys SET counter = ?, last_used_at = ? WHERE id = ?")
    .bind(verified.authenticationInfo.newCounter, Date.now(), passkey.id)
    .run();
  return passkey.accountId;
}

export async function listPasskeys(db: D1Database, accountId: string): Promise<PasskeyView[]> {
  const { results } = await db
    .prepare("SELECT id, device_name AS name, created_at AS createdAt, last_used_at AS lastUsedAt FROM passkeys WHERE account_id = ? ORDER BY created_at")
    .bind(accountId)
    .all<PasskeyView>();
  return results;
}

/** Removes one of the account's passkeys; false when it has no such passkey. */
export async function removePasskey(db: D1Database, accountId: string, passkeyId: string): Promise<boolean> {
  const result = await db.prepare("DELETE FROM passkeys WHERE id = ? AND account_id = ?").bind(passkeyId, accountId).run();
  return result.meta.changes > 0;
}
