/**
 * A Cloudflare Calls (Realtime SFU) session, spoken through the room's proxy
 * (/api/rooms/{id}/calls/…, which adds the app secret): one
 * RTCPeerConnection per session, every track bundled on it. Viewers only
 * pull; the studio and guests also publish. Written for size (the viewer page
 * carries it): no partytracks, no rxjs.
 *
 * Negotiation follows what Calls (and the local SFU, sfu/README.md) accept:
 * publishing sends our offer with `tracks/new` and applies the answer;
 * pulling and closing without an offer get Calls' offer back
 * (`requiresImmediateRenegotiation`), which we answer through `renegotiate`.
 */
import { origin } from "../origin.ts";
import { viewerToken } from "../viewer-token.ts";

/**
 * Why a call failed: the proxy's `{error: {code}}` (removed_from_stage,
 * not_on_stage, show_ended, video_unavailable, relay_unreachable and
 * relay_error when the relay is down or failing, the relay's own code such
 * as not_found when it refused), or "network" when no answer came.
 */
export class VideoError extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

export type TrackRef = { sessionId: string; trackName: string };
type Answer = {
  sessionId?: string;
  sessionToken?: string;
  iceServers?: RTCIceServer[];
  sessionDescription?: RTCSessionDescriptionInit;
  requiresImmediateRenegotiation?: boolean;
  tracks?: Array<{ mid?: string; errorCode?: string }>;
};
export type CallsSession = Awaited<ReturnType<typeof openSession>>;

/** True when this browser can take part in live video at all. */
export const hasWebRTC = () => typeof RTCPeerConnection == "function";

/**
 * Opens a session: with the host's or a guest's key it may publish, without
 * one it may only pull; `asTeamHost` (no key) publishes as the signed-in
 * team member who runs the show, with the session cookie. The ICE servers are fetched alongside, not after.
 * A publisher presents this browser's viewer token: when all its pages are
 * gone for good, the room takes its tracks off the stage.
 */
export async function openSession(roomId: string, key?: string | null, asTeamHost = false) {
  const base = `${origin}/api/rooms/${encodeURIComponent(roomId)}/calls/`;
  const call = async (method: string, path: string, body?: unknown, token?: string): Promise<Answer> => {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (token) headers["x-session-token"] = token;
    else if (key || asTeamHost) {
      if (key) headers.authorization = `Bearer ${key}`;
      else headers["x-room-role"] = "host";
      const viewer = viewerToken();
      if (viewer) headers["x-viewer-token"] = viewer;
    }
    let response: Response;
    try {
      // keepalive: a page on its way out still takes its tracks off the stage (tracks/close).
      response = await fetch(base + path, { method, headers, body: body ? JSON.stringify(body) : undefined, keepalive: method == "PUT" });
    } catch {
      throw new VideoError("network");
    }
    const answer = await response.json().catch(() => ({}));
    const code = answer.error?.code;
    if (!response.ok || code) throw new VideoError(code ?? `http_${response.status}`);
    return answer;
  };
  const [{ iceServers }, { sessionId, sessionToken }] = await Promise.all([call("GET", "ice-servers"), call("POST", "sessions/new", {})]);
  const pc = new RTCPeerConnection({ iceServers, bundlePolicy: "max-bundle" });
  const api = (method: string, path: string, body?: unknown) => call(method, `sessions/${sessionId}${path && "/" + path}`, body, sessionToken);

  /** Applies Calls' answer to our offer, or answers Calls' offer. */
  async function settle(answer: Answer) {
    if (answer.sessionDescription) await pc.setRemoteDescription(answer.sessionDescription);
    if (answer.requiresImmediateRenegotiation) {
      await pc.setLocalDescription();
      await api("PUT", "renegotiate", { sessionDescription: pc.localDescription });
    }
    return answer.tracks ?? [];
  }

  return {
    id: sessionId!,
    pc,
    api,
    settle,
    /** Pulls tracks on the stage; each comes back with its m-line, or undefined if the relay could not serve it. */
    async pull(tracks: TrackRef[]) {
      const pulled = await settle(await api("POST", "tracks/new", { tracks: tracks.map((t) => ({ location: "remote", ...t })) }));
      return pulled.map(({ mid, errorCode }) => {
        const track = !errorCode && pc.getTransceivers().find((t) => t.mid == mid)?.receiver.track;
        return track ? { mid: mid!, track } : undefined;
      });
    },
    /** Stops receiving (or sending) on these m-lines. */
    async close(mids: string[]) {
      await settle(await api("PUT", "tracks/close", { tracks: mids.map((mid) => ({ mid })) }));
    },
  };
}
