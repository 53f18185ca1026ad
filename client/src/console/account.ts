/**
 * The console's state and its calls to /api/auth: who is signed in (a
 * signal every part of the page reads), signing in by email link or
 * recovery code, the account's sessions and passkeys, and a shop's shows.
 * The session itself is an HttpOnly cookie: this page never sees it.
 */
import { signal } from "@preact/signals";
import { api, ApiError } from "../api.ts";
import type { Passkey } from "./passkeys.ts";

export type Role = "owner" | "manager" | "host" | "moderator";
export type Me = {
  account: { id: string; email: string | null; displayName: string; photoUrl: string | null; createdAt: number };
  shops: { id: string; name: string; currency: string; role: Role }[];
  session: { id: string; expiresAt: number };
};
export type Show = {
  id: string;
  title: string;
  status: "scheduled" | "live" | "ended";
  /** Cancelled before it started (its status is then ended). */
  cancelled: boolean;
  startsAt: string | null;
  createdAt: number;
  /** When it went live and ended (ms); null if it has not. */
  liveAt: number | null;
  endedAt: number | null;
  viewerLink: string;
  /** Recorded for its replay (the brand's switch). */
  recording: boolean;
  orders: number;
  revenueCents: number;
  /** Confirmed email reminders ("Remind me"). */
  rsvps: number;
};
export type SessionInfo = { id: string; createdAt: number; lastSeenAt: number; expiresAt: number; userAgent: string; current: boolean };

/** undefined while loading; null when signed out. */
export const me = signal<Me | null | undefined>(undefined);

export async function loadMe(): Promise<void> {
  try {
    me.value = await api<Me>("/api/auth/me");
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) me.value = null;
    else throw error;
  }
}

const post = <T>(path: string, body: unknown = {}) => api<T>(path, { method: "POST", body });

export async function signInWithEmailToken(token: string): Promise<void> {
  me.value = await post<Me>("/api/auth/email-link/sign-in", { token });
}

export const requestEmailLink = (email: string) => post("/api/auth/email-link", { email });

/** Signs in with the recovery code; resolves with who is signed in and the new code that replaces the one used (shown before the console). */
export async function signInWithRecoveryCode(code: string): Promise<{ signedIn: Me; recoveryCode: string }> {
  const { recoveryCode, ...signedIn } = await post<Me & { recoveryCode: string }>("/api/auth/recovery-code", { code });
  return { signedIn, recoveryCode };
}

export async function signOut(): Promise<void> {
  await post("/api/auth/sign-out");
  me.value = null;
}

export const confirmEmail = (email: string) => post("/api/auth/email", { email });
export const listSessions = () => api<{ sessions: SessionInfo[] }>("/api/auth/sessions").then((r) => r.sessions);
export const revokeSession = (id: string) => post(`/api/auth/sessions/${encodeURIComponent(id)}/revoke`);
export const listPasskeys = () => api<{ passkeys: Passkey[] }>("/api/auth/passkeys").then((r) => r.passkeys);
export const removePasskey = (id: string) => post(`/api/auth/passkeys/${encodeURIComponent(id)}/revoke`);
export const listShows = (shopId: string) => api<{ shows: Show[] }>(`/api/shops/${encodeURIComponent(shopId)}/rooms`).then((r) => r.shows);

/** `#token=el_…` from an emailed link, taken out of the address bar at once (it works once, and should not linger in history). */
export function takeEmailToken(): string | null {
  const token = /^#token=(el_[0-9A-Za-z]{32})$/.exec(location.hash)?.[1] ?? null;
  if (location.hash) history.replaceState(null, "", location.pathname + location.search);
  return token;
}
