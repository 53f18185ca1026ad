/**
 * Signed-in browsers. A session is a random token in an HttpOnly cookie; D1
 * keeps only its hash, with the account, when it expires, when it was last
 * seen and the browser's user agent, so the owner can list and revoke it.
 *
 * The cookie is `__Host-session` (Secure, Path=/, no Domain) on https. On
 * plain http, which only a local `wrangler dev` serves, it is `session`
 * without Secure: a `__Host-` cookie must be Secure, and not every browser
 * takes a Secure cookie from an http page. (Chromium does, from
 * http://localhost and http://127.0.0.1 alike, `__Host-` ones included, as
 * potentially trustworthy origins; Safari does not. One name per scheme
 * works in all of them.)
 */
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../app-env.ts";
import { sha256Hex } from "../digests.ts";
import { visitorLang } from "../visitor-lang.ts";
import { newSessionId, newSessionToken } from "./secrets.ts";

export const SESSION_DAYS = 30;
const SESSION_MS = SESSION_DAYS * 24 * 3600_000;
/** last_seen_at is written at most this often per session: a signed-in page does not cost a D1 write per request. */
const SEEN_EVERY_MS = 5 * 60_000;

export type Session = { id: string; accountId: string; createdAt: number; expiresAt: number; lastSeenAt: number };

const isHttps = (c: Context<AppEnv>) => new URL(c.req.url).protocol === "https:";

/** The session token the request's cookie carries, if any. */
export function sessionToken(c: Context<AppEnv>): string | null {
  const token = isHttps(c) ? getCookie(c, "session", "host") : getCookie(c, "session");
  return token?.startsWith("ss_") ? token : null;
}

export function hasSessionCookie(c: Context<AppEnv>): boolean {
  return sessionToken(c) !== null;
}

/** The language the member uses the site in now, for the emails sent to them alone (a host's reminder). */
async function recordLanguage(c: Context<AppEnv>, accountId: string): Promise<void> {
  await c.env.DB.prepare("UPDATE accounts SET locale = ?1 WHERE id = ?2 AND locale IS NOT ?1").bind(visitorLang(c.req.raw), accountId).run();
}

/** Starts a session for the account and sets its cookie on the response. */
export async function startSession(c: Context<AppEnv>, accountId: string): Promise<Session> {
  const token = newSessionToken();
  const now = Date.now();
  const session: Session = { id: newSessionId(), accountId, createdAt: now, expiresAt: now + SESSION_MS, lastSeenAt: now };
  const userAgent = (c.req.header("User-Agent") ?? "").slice(0, 300);
  await c.env.DB.prepare(
    "INSERT INTO sessions (id, token_hash, account_id, created_at, expires_at, last_seen_at, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?)",
  )
    .bind(session.id, await sha256Hex(token), accountId, now, session.expiresAt, now, userAgent)
    .run();
  await recordLanguage(c, accountId);
  const options = { httpOnly: true, sameSite: "Lax", path: "/", maxAge: SESSION_MS / 1000 } as const;
  if (isHttps(c)) setCookie(c, "session", token, { ...options, secure: true, prefix: "host" });
  else setCookie(c, "session", token, options);
  return session;
}

/** The live session of the request's cookie: not expired, not revoked; null otherwise. */
export async function currentSession(c: Context<AppEnv>): Promise<Session | null> {
  const token = sessionToken(c);
  if (!token) return null;
  const db = c.env.DB;
  const now = Date.now();
  const session = await db
    .prepare(
      `SELECT id, account_id AS accountId, created_at AS createdAt, expires_at AS expiresAt, last_seen_at AS lastSeenAt
       FROM sessions WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ?`,
    )
    .bind(await sha256Hex(token), now)
    .first<Session>();
  if (session && now - session.lastSeenAt > SEEN_EVERY_MS) {
    await db.prepare("UPDATE sessions SET last_seen_at = ? WHERE id = ?").bind(now, session.id).run();
    await recordLanguage(c, session.accountId);
    session.lastSeenAt = now;
  }
  return session;
}

/** Revokes the request's own session, if it has one (a new sign-in replaces it). */
export async function revokeOwnSession(c: Context<AppEnv>): Promise<void> {
  const token = sessionToken(c);
  if (!token) return;
  await c.env.DB.prepare("UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL").bind(Date.now(), await sha256Hex(token)).run();
}

/** Ends the request's own session (if any) and clears its cookie. */
export async function endSession(c: Context<AppEnv>): Promise<void> {
  await revokeOwnSession(c);
  if (isHttps(c)) deleteCookie(c, "session", { path: "/", secure: true, prefix: "host" });
  else deleteCookie(c, "session", { path: "/" });
}

/** Revokes one of the account's sessions; false when it has no such live session. */
export async function revokeSession(db: D1Database, accountId: string, sessionId: string): Promise<boolean> {
  const result = await db
    .prepare("UPDATE sessions SET revoked_at = ? WHERE id = ? AND account_id = ? AND revoked_at IS NULL AND expires_at > ?")
    .bind(Date.now(), sessionId, accountId, Date.now())
    .run();
  return result.meta.changes > 0;
}

export type SessionView = { id: string; createdAt: number; lastSeenAt: number; expiresAt: number; userAgent: string; current: boolean };

/** The account's live sessions, newest first. */
export async function listSessions(db: D1Database, accountId: string, currentId: string): Promise<SessionView[]> {
  const { results } = await db
    .prepare(
      `SELECT id, created_at AS createdAt, last_seen_at AS lastSeenAt, expires_at AS expiresAt, user_agent AS userAgent
       FROM sessions WHERE account_id = ? AND revoked_at IS NULL AND expires_at > ? ORDER BY created_at DESC LIMIT 100`,
    )
    .bind(accountId, Date.now())
    .all<Omit<SessionView, "current">>();
  return results.map((s) => ({ ...s, current: s.id === currentId }));
}
