/**
 * The Worker's side of Cloudflare Calls (Realtime SFU): it adds the app
 * secret, which never reaches a browser. With no credentials set, `npm start`
 * runs the local Calls-compatible SFU (sfu/) and points CALLS_API_BASE at it.
 */
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ApiError } from "../errors.ts";

export interface CallsConfig {
  base: string;
  appId: string;
  secret: string;
}

export function callsConfig(env: Env): CallsConfig | null {
  if (!env.CALLS_APP_ID || !env.CALLS_APP_SECRET) return null;
  return { base: (env.CALLS_API_BASE || "https://rtc.live.cloudflare.com/v1").replace(/\/$/, ""), appId: env.CALLS_APP_ID, secret: env.CALLS_APP_SECRET };
}

/** Calls' answer as it came; `unreachable` when no answer came at all. */
export type CallsResponse = { status: number; body: Record<string, unknown>; unreachable?: true };

/** One call to the Calls API; a network failure comes back as `unreachable`, for `relayError` to word. */
export async function callsFetch(config: CallsConfig, method: "GET" | "POST" | "PUT", path: string, body?: unknown): Promise<CallsResponse> {
  try {
    const response = await fetch(`${config.base}/apps/${config.appId}${path}`, {
      method,
      headers: { Authorization: `Bearer ${config.secret}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const parsed = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    return { status: response.status, body: parsed };
  } catch (error) {
    console.error("calls: relay unreachable", String(error));
    return { status: 502, body: {}, unreachable: true };
  }
}

// Relay refusals that are the browser's to fix keep their status: a session or track the relay
// no longer knows (404), a request it cannot use (400), too many calls (429). A 401 or 403 is
// about our app secret, not the browser, so it is a relay error like any 5xx.
const CLIENT_STATUSES = new Set([400, 404, 409, 410, 413, 422, 429]);
const CODE_FOR_STATUS: Record<number, string> = { 404: "not_found", 429: "rate_limited" };

/**
 * Calls' own error shape (`{errorCode, errorDescription}` at the top level,
 * or a failing status) as our `{error: {code, message}}`; null for an answer
 * to pass through. Per-track `errorCode`s inside a 2xx answer are part of
 * Calls' answer and stay where they are.
 */
export function relayError(answer: CallsResponse): ApiError | null {
  if (answer.unreachable) return new ApiError(502, "relay_unreachable", "The video relay could not be reached; try again in a moment.");
  const { errorCode, errorDescription } = answer.body;
  if (answer.status < 300 && errorCode === undefined) return null;
  const relayCode = typeof errorCode === "string" ? errorCode.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_|_$/g, "").slice(0, 64) : "";
  const description = typeof errorDescription === "string" ? errorDescription.slice(0, 500) : "";
  if (CLIENT_STATUSES.has(answer.status)) {
    return new ApiError(
      answer.status as ContentfulStatusCode,
      relayCode || CODE_FOR_STATUS[answer.status] || "bad_request",
      description || `The video relay refused this request (HTTP ${answer.status}).`,
    );
  }
  const what = [`HTTP ${answer.status}`, relayCode].filter(Boolean).join(", ");
  return new ApiError(502, "relay_error", `The video relay failed (${what})${description ? `: ${description}` : "."}`);
}

/**
 * ICE servers for browsers: Cloudflare's TURN service when its key is set
 * (short-lived credentials minted per request), otherwise Cloudflare's STUN
 * in production and none at all against the local SFU (loopback needs none).
 */
export async function iceServers(env: Env, config: CallsConfig | null): Promise<RTCIceServerLike[]> {
  if (env.TURN_KEY_ID && env.TURN_KEY_API_TOKEN) {
    try {
      const response = await fetch(`https://rtc.live.cloudflare.com/v1/turn/keys/${env.TURN_KEY_ID}/credentials/generate-ice-servers`, {
        method: "POST",
        headers: { Authorization: `Bearer ${env.TURN_KEY_API_TOKEN}`, "Content-Type": "application/json" },
        body: JSON.stringify({ ttl: 86_400 }),
      });
      if (response.ok) return ((await response.json()) as { iceServers: RTCIceServerLike[] }).iceServers;
    } catch (error) {
      console.error("turn: credentials unavailable", String(error));
    }
  }
  const local = !config || /^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(config.base);
  return local ? [] : [{ urls: "stun:stun.cloudflare.com:3478" }];
}

export type RTCIceServerLike = { urls: string | string[]; username?: string; credential?: string };
