/**
 * The Worker's side of Cloudflare Calls (Realtime SFU): it adds the app
 * secret, which never reaches a browser. With no credentials set, `npm start`
 * runs the local Calls-compatible SFU (sfu/) and points CALLS_API_BASE at it.
 */
export interface CallsConfig {
  base: string;
  appId: string;
  secret: string;
}

export function callsConfig(env: Env): CallsConfig | null {
  if (!env.CALLS_APP_ID || !env.CALLS_APP_SECRET) return null;
  return { base: (env.CALLS_API_BASE || "https://rtc.live.cloudflare.com/v1").replace(/\/$/, ""), appId: env.CALLS_APP_ID, secret: env.CALLS_APP_SECRET };
}

export type CallsResponse = { status: number; body: Record<string, unknown> };

/** One call to the Calls API; network failures come back as a 502 in Calls' own error shape. */
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
    return { status: 502, body: { errorCode: "relay_unreachable", errorDescription: "The video relay could not be reached." } };
  }
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
