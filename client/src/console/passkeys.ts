/**
 * Passkeys in the browser, with @simplewebauthn/browser: add one to the
 * signed-in account, or sign in with one (discoverable, so no email is
 * asked). The landing page loads this module only when the brand taps
 * "Secure your shop with a passkey".
 */
import { browserSupportsWebAuthn, startAuthentication, startRegistration, WebAuthnError } from "@simplewebauthn/browser";
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/browser";
import { api, ApiError } from "../api.ts";
import type { Me } from "./account.ts";

export type Passkey = { id: string; name: string; createdAt: number; lastUsedAt: number | null };

/** Why a passkey ceremony did not finish, for the page to say in its words. */
export type PasskeyProblem = "cancelled" | "unsupported" | "unknown_passkey" | "other";

export class PasskeyError extends Error {
  constructor(readonly problem: PasskeyProblem, message: string) {
    super(message);
  }
}

function problemOf(error: unknown): PasskeyError {
  if (error instanceof PasskeyError) return error;
  if (error instanceof ApiError) return new PasskeyError(error.code === "passkey_refused" ? "unknown_passkey" : "other", error.message);
  // The person closed the prompt, or it timed out: the browser does not say which.
  if (error instanceof WebAuthnError && error.code === "ERROR_CEREMONY_ABORTED") return new PasskeyError("cancelled", error.message);
  if (error instanceof Error && error.name === "NotAllowedError") return new PasskeyError("cancelled", error.message);
  return new PasskeyError("other", error instanceof Error ? error.message : String(error));
}

function requireWebAuthn() {
  if (!browserSupportsWebAuthn()) throw new PasskeyError("unsupported", "This browser has no WebAuthn.");
}

/** A name for this device's passkey, until the brand types another. */
export function deviceName(userAgent = navigator.userAgent): string {
  if (/iPhone/.test(userAgent)) return "iPhone";
  if (/iPad/.test(userAgent)) return "iPad";
  if (/Android/.test(userAgent)) return "Android phone";
  if (/Mac OS X/.test(userAgent)) return "Mac";
  if (/Windows/.test(userAgent)) return "Windows PC";
  if (/CrOS/.test(userAgent)) return "Chromebook";
  if (/Linux/.test(userAgent)) return "Linux computer";
  return "This device";
}

/** Creates a passkey on this device for the signed-in account; the first one comes with the account's recovery code. */
export async function addPasskey(name: string): Promise<{ passkey: Passkey; recoveryCode: string | null }> {
  try {
    requireWebAuthn();
    const { challengeId, options } = await api<{ challengeId: string; options: PublicKeyCredentialCreationOptionsJSON }>(
      "/api/auth/passkeys/register/options",
      { method: "POST", body: {} },
    );
    const response = await startRegistration({ optionsJSON: options });
    return await api("/api/auth/passkeys/register", { method: "POST", body: { challengeId, name, response } });
  } catch (error) {
    throw problemOf(error);
  }
}

/** Signs in with a passkey this device (or a phone nearby) has for this site. */
export async function signInWithPasskey(): Promise<Me> {
  try {
    requireWebAuthn();
    const { challengeId, options } = await api<{ challengeId: string; options: PublicKeyCredentialRequestOptionsJSON }>(
      "/api/auth/passkeys/sign-in/options",
      { method: "POST", body: {} },
    );
    const response = await startAuthentication({ optionsJSON: options });
    return await api<Me>("/api/auth/passkeys/sign-in", { method: "POST", body: { challengeId, response } });
  } catch (error) {
    throw problemOf(error);
  }
}
