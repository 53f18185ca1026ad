// One Calls "session": one werift peer connection with one client, the tracks
// it publishes (by mid) and the tracks it pulls (by mid), and the offer/answer
// steps the API drives on it.
import { randomBytes } from "node:crypto";
import type { RTCPeerConnection, RTCRtpTransceiver } from "werift";
import type { PublishedTrack, Subscription } from "./forwarding.ts";
import { createSessionPeerConnection } from "./peer.ts";
import { CallsError } from "./protocol.ts";
import type { SessionDescription, TrackResult } from "./protocol.ts";

export class Session {
  /** 32 hex characters, the shape of a Calls session id. */
  readonly id = randomBytes(16).toString("hex");
  readonly pc: RTCPeerConnection;
  /** Last API call or answered connectivity check: what idle cleanup measures from. */
  lastActivityAt = Date.now();
  connected = false;
  closed = false;
  readonly published = new Map<string, PublishedTrack>();
  readonly pulled = new Map<string, Subscription>();
  /** Pulls offered by the SFU whose answer (PUT renegotiate) has not come yet. */
  readonly awaitingAnswer = new Set<Subscription>();
  /** Tracks closed in this session, still reported (as inactive) by `GET sessions/{id}`. */
  private readonly closedTrackLog: TrackResult[] = [];

  private queue: Promise<unknown> = Promise.resolve();
  private readonly watchedTransports = new WeakSet<object>();
  private readonly onClose: (session: Session, reason: string) => void;

  constructor(options: { loopbackOnly: boolean; onClose: (session: Session, reason: string) => void }) {
    this.onClose = options.onClose;
    this.pc = createSessionPeerConnection(
      () => {
        this.lastActivityAt = Date.now();
      },
      { loopbackOnly: options.loopbackOnly },
    );
    this.pc.connectionStateChange.subscribe((state) => {
      if (state === "connected") this.connected = true;
      if (state === "failed" || state === "closed") this.close(`peer connection ${state}`);
    });
  }

  /**
   * Runs API operations on this session one at a time: werift's offer/answer
   * steps are asynchronous and must not interleave (Calls asks clients to
   * serialize per session too; this keeps a client that does not from
   * corrupting the negotiation).
   */
  exclusive<T>(operation: () => Promise<T>): Promise<T> {
    this.lastActivityAt = Date.now();
    const run = this.queue.then(() => {
      if (this.closed) throw new CallsError(404, "not_found", `session ${this.id} was closed`);
      return operation();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  get closedTracks(): readonly TrackResult[] {
    return this.closedTrackLog;
  }

  /** Remembers a closed track for `GET sessions/{id}`; the most recent 64 are kept. */
  recordClosedTrack(track: TrackResult): void {
    this.closedTrackLog.push(track);
    if (this.closedTrackLog.length > 64) this.closedTrackLog.shift();
  }

  /** A mid that werift reuses for a new track no longer reports the closed one. */
  forgetClosedTrack(mid: string): void {
    const index = this.closedTrackLog.findIndex((track) => track.mid === mid);
    if (index >= 0) this.closedTrackLog.splice(index, 1);
  }

  transceiver(mid: string): RTCRtpTransceiver | undefined {
    return this.pc.getTransceivers().find((transceiver) => transceiver.mid === mid);
  }

  async applyRemote(description: SessionDescription): Promise<void> {
    try {
      await this.pc.setRemoteDescription(description);
    } catch (error) {
      throw sdpError(`could not apply the ${description.type}`, error);
    }
    this.watchTransports();
  }

  async createAnswer(): Promise<SessionDescription> {
    try {
      await this.pc.setLocalDescription(await this.pc.createAnswer());
    } catch (error) {
      throw sdpError("could not create an answer", error);
    }
    this.watchTransports();
    return this.localDescription("answer");
  }

  async createOffer(): Promise<SessionDescription> {
    try {
      await this.pc.setLocalDescription(await this.pc.createOffer());
    } catch (error) {
      throw sdpError("could not create an offer", error);
    }
    this.watchTransports();
    return this.localDescription("offer");
  }

  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    for (const subscription of this.pulled.values()) subscription.close();
    for (const track of this.published.values()) track.close();
    this.onClose(this, reason);
    void this.pc.close().catch(() => undefined);
  }

  /**
   * A browser that closes its peer connection sends a DTLS close alert. werift
   * does not turn that into a peer connection state (which follows ICE, and an
   * ICE-lite agent never times out), so the alert is watched here. A transport
   * werift closes itself, when every m-line on it was stopped by tracks/close,
   * does not end the session: Calls keeps such a session for later pulls.
   */
  private watchTransports(): void {
    for (const transport of this.pc.dtlsTransports) {
      if (this.watchedTransports.has(transport)) continue;
      this.watchedTransports.add(transport);
      transport.onStateChange.subscribe((state) => {
        if (state === "failed") this.close("DTLS failed");
        if (state === "connected") {
          transport.dtls?.onClose.subscribe(() => this.close("client closed its peer connection (DTLS close alert)"));
        }
      });
    }
  }

  private localDescription(type: "offer" | "answer"): SessionDescription {
    const sdp = this.pc.localDescription?.sdp;
    if (!sdp) throw new CallsError(500, "internal_error", `no local ${type} after setLocalDescription`);
    return { type, sdp };
  }
}

function sdpError(what: string, error: unknown): CallsError {
  const detail = error instanceof Error ? error.message : String(error);
  return new CallsError(
    400,
    "bad_request",
    `${what}: ${detail} (is it a complete SDP for this session's current state, and are calls on this session serialized?)`,
  );
}
