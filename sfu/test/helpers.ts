// Shared by the local SFU's tests: a running SFU on a free loopback port, a
// Calls client for it, werift peers that stay on 127.0.0.1, and generated VP8.
import { MediaStreamTrack, RTCPeerConnection, RtpHeader, RtpPacket } from "werift";
import { LocalSfu } from "../local-sfu.ts";
import type { LocalSfuOptions } from "../local-sfu.ts";
import { loopbackIceConfig } from "../peer.ts";
import { startCallsServer } from "../server.ts";
import type { RunningCallsServer } from "../server.ts";

export const APP_ID = "test-app";
export const APP_SECRET = "test-secret";

export type TestSfu = {
  sfu: LocalSfu;
  server: RunningCallsServer;
  /** Calls the API like the Worker's proxy does; returns status and parsed JSON. */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
};

export async function startTestSfu(options: LocalSfuOptions = {}): Promise<TestSfu> {
  const sfu = new LocalSfu({ loopbackOnly: true, ...options });
  const server = await startCallsServer({ sfu, appId: APP_ID, appSecret: APP_SECRET, port: 0 });
  return {
    sfu,
    server,
    async call(method, path, body, headers) {
      const response = await fetch(`${server.apiBase}/apps/${APP_ID}${path}`, {
        method,
        headers: { authorization: `Bearer ${APP_SECRET}`, ...headers },
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
        signal: AbortSignal.timeout(5_000),
      });
      return { status: response.status, body: await response.json() };
    },
    async stop() {
      sfu.close();
      await server.close();
    },
  };
}

/** A client peer connection confined to 127.0.0.1, like the SFU's own (but full ICE, as browsers are). */
export function clientPeer(): RTCPeerConnection {
  return new RTCPeerConnection(loopbackIceConfig());
}

/** Polls until `condition` holds, or fails naming what it waited for. */
export async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Like waitFor, for conditions that need a request to check. */
export async function waitForAsync(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * A fake VP8 camera: one RTP packet per frame at 30 fps, a keyframe first and
 * whenever `requestKeyframe()` is called (what a real encoder does on PLI).
 * The payloads are not decodable pictures; the SFU never decodes.
 */
export class FakeVp8Camera {
  readonly track = new MediaStreamTrack({ kind: "video" });
  framesSent = 0;
  keyframesSent = 0;
  private sequenceNumber = 1000;
  private timestamp = 90_000;
  private keyframeWanted = true;
  private timer: NodeJS.Timeout | undefined;

  start(): void {
    this.timer = setInterval(() => this.sendFrame(), 33);
  }

  requestKeyframe(): void {
    this.keyframeWanted = true;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private sendFrame(): void {
    const keyframe = this.keyframeWanted;
    this.keyframeWanted = false;
    // VP8 payload descriptor (S bit: start of partition), then a frame tag
    // whose lowest bit is 0 for a keyframe, then the keyframe start code.
    const payload = Buffer.alloc(200, 0x55);
    payload[0] = 0x10;
    payload[1] = keyframe ? 0x10 : 0x11;
    payload[2] = 0x00;
    payload[3] = 0x00;
    if (keyframe) payload.set([0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01], 4);
    const header = new RtpHeader({
      payloadType: 96,
      sequenceNumber: this.sequenceNumber,
      timestamp: this.timestamp,
      ssrc: 0x1234,
      marker: true,
    });
    this.sequenceNumber = (this.sequenceNumber + 1) & 0xffff;
    this.timestamp = (this.timestamp + 3000) >>> 0;
    this.track.writeRtp(new RtpPacket(header, payload));
    this.framesSent++;
    if (keyframe) this.keyframesSent++;
  }
}

export function isVp8Keyframe(packet: RtpPacket): boolean {
  return packet.payload.length > 1 && (packet.payload[0]! & 0x10) !== 0 && (packet.payload[1]! & 0x01) === 0;
}
