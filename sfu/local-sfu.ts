// The engine behind the HTTP API: the registry of sessions and published
// tracks, one method per Calls operation, and the cleanup of what went away.
import { MediaStream } from "werift";
import type { RTCRtpTransceiver } from "werift";
import { PublishedTrack, Subscription } from "./forwarding.ts";
import { CallsError } from "./protocol.ts";
import type {
  CloseTracksRequest,
  CloseTracksResponse,
  NewSessionRequest,
  NewSessionResponse,
  RenegotiateRequest,
  RenegotiateResponse,
  SessionStateResponse,
  TrackResult,
  TracksRequest,
  TracksResponse,
  TrackStatus,
} from "./protocol.ts";
import { Session } from "./session.ts";

export type LocalSfuOptions = {
  /**
   * A session with no API call and no connectivity check from its client for
   * this long is closed (browsers send a check every few seconds while alive).
   * Calls keeps a disconnected session for 30 s too.
   */
  sessionIdleMs?: number;
  /** A published track that receives no media for this long is closed, as in Calls. */
  trackIdleMs?: number;
  /** How often the cleanup runs. */
  sweepIntervalMs?: number;
  /**
   * Answer connectivity checks from 127.0.0.0/8 and ::1 only. Off by default,
   * because a browser a person opens reaches the SFU from its LAN address (see
   * peer.ts); on for tests whose Chromium runs with
   * `--allow-loopback-in-peer-connection`, so no packet targets anything but loopback.
   */
  loopbackOnly?: boolean;
  log?: (line: string) => void;
};

export class LocalSfu {
  private readonly sessions = new Map<string, Session>();
  /** Published tracks by `${sessionId}/${trackName}`: what a pull names. */
  private readonly tracks = new Map<string, PublishedTrack>();
  private readonly sessionIdleMs: number;
  private readonly trackIdleMs: number;
  private readonly sweeper: NodeJS.Timeout;
  private readonly log: (line: string) => void;
  private readonly loopbackOnly: boolean;

  constructor(options: LocalSfuOptions = {}) {
    this.sessionIdleMs = options.sessionIdleMs ?? 30_000;
    this.trackIdleMs = options.trackIdleMs ?? 30_000;
    this.log = options.log ?? (() => undefined);
    this.loopbackOnly = options.loopbackOnly ?? false;
    this.sweeper = setInterval(() => this.sweep(), options.sweepIntervalMs ?? 5_000);
    this.sweeper.unref();
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  /** For tests and diagnostics: the published track behind a `sessionId`/`trackName` pair. */
  publishedTrack(sessionId: string, trackName: string): PublishedTrack | undefined {
    return this.tracks.get(trackKey(sessionId, trackName));
  }

  /** `POST sessions/new`: a session, and the answer to its offer when one is sent. */
  async newSession(request: NewSessionRequest): Promise<NewSessionResponse> {
    const session = new Session({
      loopbackOnly: this.loopbackOnly,
      onClose: (closed, reason) => this.forget(closed, reason),
    });
    this.sessions.set(session.id, session);
    this.log(`session ${session.id} created`);
    const offer = request.sessionDescription;
    if (!offer) return { sessionId: session.id };
    if (offer.type !== "offer") {
      session.close("rejected at creation");
      throw new CallsError(400, "bad_request", "sessionDescription of sessions/new must be an offer");
    }
    try {
      const answer = await session.exclusive(async () => {
        await session.applyRemote(offer);
        return session.createAnswer();
      });
      return { sessionId: session.id, sessionDescription: answer };
    } catch (error) {
      session.close("rejected at creation");
      throw error;
    }
  }

  /** `POST sessions/{id}/tracks/new`: publish local tracks and/or pull remote ones. */
  newTracks(sessionId: string, request: TracksRequest): Promise<TracksResponse> {
    const session = this.session(sessionId);
    return session.exclusive(async () => {
      const offer = request.sessionDescription;
      if (offer && offer.type !== "offer") {
        throw new CallsError(400, "bad_request", "sessionDescription of tracks/new must be an offer");
      }
      if (offer) await session.applyRemote(offer);

      const results: TrackResult[] = [];
      // Pulls whose mid is only known once the SFU has made its offer.
      const awaitingMid: Array<{ result: TrackResult; subscription: Subscription }> = [];
      for (const track of request.tracks) {
        if (track.location === "local") {
          results.push(this.publish(session, track.mid ?? undefined, track.trackName));
          continue;
        }
        const pulled = this.pull(session, track, offer !== undefined);
        results.push(pulled.result);
        if (pulled.subscription && !pulled.result.mid) awaitingMid.push({ result: pulled.result, subscription: pulled.subscription });
      }

      if (offer) {
        const answer = await session.createAnswer();
        return { requiresImmediateRenegotiation: false, sessionDescription: answer, tracks: results };
      }
      if (awaitingMid.length === 0) return { requiresImmediateRenegotiation: false, tracks: results };
      const sfuOffer = await session.createOffer();
      for (const { result, subscription } of awaitingMid) {
        const mid = subscription.transceiver.mid ?? undefined;
        result.mid = mid;
        if (mid === undefined) continue;
        session.pulled.set(mid, subscription);
        session.awaitingAnswer.add(subscription);
        session.forgetClosedTrack(mid);
      }
      return { requiresImmediateRenegotiation: true, sessionDescription: sfuOffer, tracks: results };
    });
  }

  /** `PUT sessions/{id}/renegotiate`: the client's answer to the SFU's offer, or a new client offer. */
  renegotiate(sessionId: string, request: RenegotiateRequest): Promise<RenegotiateResponse> {
    const session = this.session(sessionId);
    return session.exclusive(async () => {
      const description = request.sessionDescription;
      await session.applyRemote(description);
      if (description.type === "offer") return { sessionDescription: await session.createAnswer() };
      // Pulls negotiated just now can carry media: ask their publishers for a
      // keyframe so the receiver shows a picture at once instead of waiting
      // for the next periodic one. On a transport still connecting, the
      // subscription asks once it is up (a keyframe sent before is lost).
      for (const subscription of session.awaitingAnswer) {
        if (!subscription.closed && subscription.transportReady) subscription.source.requestKeyframe();
      }
      session.awaitingAnswer.clear();
      return {};
    });
  }

  /** `PUT sessions/{id}/tracks/close`: stop publishing or pulling tracks, by mid. */
  closeTracks(sessionId: string, request: CloseTracksRequest): Promise<CloseTracksResponse> {
    const session = this.session(sessionId);
    return session.exclusive(async () => {
      const offer = request.sessionDescription;
      if (offer && offer.type !== "offer") {
        throw new CallsError(400, "bad_request", "sessionDescription of tracks/close must be an offer");
      }
      const results: CloseTracksResponse["tracks"] = [];
      const toStop: RTCRtpTransceiver[] = [];
      for (const { mid } of request.tracks) {
        const published = session.published.get(mid);
        const subscription = session.pulled.get(mid);
        if (published) {
          this.unpublish(session, published);
        } else if (subscription) {
          subscription.close();
          session.pulled.delete(mid);
          session.recordClosedTrack({
            location: "remote",
            mid,
            sessionId: subscription.source.sessionId,
            trackName: subscription.source.trackName,
          });
        } else {
          results.push({ mid, errorCode: "not_found", errorDescription: `no open track with mid ${mid} in session ${session.id}` });
          continue;
        }
        results.push({ mid });
        const transceiver = session.transceiver(mid);
        if (transceiver) toStop.push(transceiver);
      }

      if (offer) {
        // The client stopped its transceivers and says so in its offer (port 0).
        await session.applyRemote(offer);
        return { requiresImmediateRenegotiation: false, sessionDescription: await session.createAnswer(), tracks: results };
      }
      // `force` closes without an SDP exchange: media stops, the m-lines stay as negotiated.
      if (request.force || toStop.length === 0) return { requiresImmediateRenegotiation: false, tracks: results };
      for (const transceiver of toStop) transceiver.stop();
      return { requiresImmediateRenegotiation: true, sessionDescription: await session.createOffer(), tracks: results };
    });
  }

  /** `GET sessions/{id}`: the session's tracks and their state. */
  sessionState(sessionId: string): SessionStateResponse {
    // A read is not a sign of life: polling a dead session must not keep it.
    const session = this.session(sessionId);
    const tracks: SessionStateResponse["tracks"] = [];
    for (const track of session.published.values()) {
      const status: TrackStatus = track.packetCount > 0 ? "active" : "waiting";
      tracks.push({ location: "local", mid: track.mid, trackName: track.trackName, status });
    }
    for (const [mid, subscription] of session.pulled) {
      const status: TrackStatus = subscription.closed
        ? "inactive"
        : subscription.negotiated && session.connected
          ? "active"
          : "waiting";
      tracks.push({
        location: "remote",
        mid,
        sessionId: subscription.source.sessionId,
        trackName: subscription.source.trackName,
        status,
      });
    }
    for (const closed of session.closedTracks) tracks.push({ ...closed, status: "inactive" });
    return { tracks };
  }

  /** Closes every session; used on shutdown. */
  close(): void {
    clearInterval(this.sweeper);
    for (const session of [...this.sessions.values()]) session.close("SFU shutting down");
  }

  private session(sessionId: string): Session {
    const session = this.sessions.get(sessionId);
    if (!session) {
      throw new CallsError(
        404,
        "not_found",
        `session ${sessionId} not found: it never existed, was closed, or was cleaned up after its peer connection went away`,
      );
    }
    return session;
  }

  private publish(session: Session, mid: string | undefined, trackName: string | undefined): TrackResult {
    const result: TrackResult = { location: "local", mid, trackName };
    if (!mid || !trackName) {
      return { ...result, errorCode: "bad_request", errorDescription: "a local track needs both mid and trackName" };
    }
    const transceiver = session.transceiver(mid);
    if (!transceiver) {
      return {
        ...result,
        errorCode: "not_found",
        errorDescription: `no transceiver with mid ${mid}: send the offer that contains it with this call or with sessions/new`,
      };
    }
    const receives = [transceiver.offerDirection, transceiver.currentDirection].some(
      (direction) => direction === "recvonly" || direction === "sendrecv",
    );
    if (!receives) {
      return { ...result, errorCode: "bad_request", errorDescription: `the client does not send media on mid ${mid}` };
    }
    const key = trackKey(session.id, trackName);
    if (this.tracks.has(key)) {
      return { ...result, errorCode: "bad_request", errorDescription: `track ${trackName} is already published in session ${session.id}` };
    }
    if (session.published.has(mid)) {
      return { ...result, errorCode: "bad_request", errorDescription: `mid ${mid} already publishes ${session.published.get(mid)?.trackName}` };
    }
    const track = new PublishedTrack({ sessionId: session.id, trackName, transceiver });
    this.tracks.set(key, track);
    session.published.set(mid, track);
    session.forgetClosedTrack(mid);
    this.log(`session ${session.id} publishes ${track.kind} track ${trackName} (mid ${mid})`);
    return result;
  }

  private pull(
    session: Session,
    track: TracksRequest["tracks"][number],
    withClientOffer: boolean,
  ): { result: TrackResult; subscription?: Subscription } {
    const result: TrackResult = { location: "remote", sessionId: track.sessionId, trackName: track.trackName };
    if (!track.sessionId || !track.trackName) {
      return { result: { ...result, errorCode: "bad_request", errorDescription: "a remote track needs both sessionId and trackName" } };
    }
    const source = this.tracks.get(trackKey(track.sessionId, track.trackName));
    if (!source || source.closed) {
      const why = this.sessions.has(track.sessionId)
        ? `session ${track.sessionId} does not publish a track named ${track.trackName}`
        : `session ${track.sessionId} not found`;
      return { result: { ...result, errorCode: "not_found", errorDescription: why } };
    }

    let transceiver: RTCRtpTransceiver | undefined;
    if (withClientOffer) {
      // The client offered a receive-only m-line for this pull and named it.
      const mid = track.mid ?? undefined;
      transceiver = mid === undefined ? undefined : session.transceiver(mid);
      if (!transceiver || transceiver.kind !== source.kind) {
        return {
          result: {
            ...result,
            errorCode: "bad_request",
            errorDescription: `with a sessionDescription, a remote track needs the mid of a ${source.kind} m-line of that offer`,
          },
        };
      }
      transceiver.setDirection("sendonly");
      result.mid = mid;
    } else {
      // Stream id = the publisher's session, so a browser groups one
      // publisher's audio and video into one MediaStream (lip sync).
      transceiver = session.pc.addTransceiver(source.kind, {
        direction: "sendonly",
        streams: [new MediaStream({ id: source.sessionId })],
      });
    }
    const subscription = new Subscription(source, transceiver);
    if (result.mid !== undefined) {
      session.pulled.set(result.mid, subscription);
      session.forgetClosedTrack(result.mid);
    }
    this.log(`session ${session.id} pulls ${source.trackName} from session ${source.sessionId}`);
    return { result, subscription };
  }

  private unpublish(session: Session, track: PublishedTrack): void {
    track.close();
    session.published.delete(track.mid);
    this.tracks.delete(trackKey(track.sessionId, track.trackName));
    session.recordClosedTrack({ location: "local", mid: track.mid, trackName: track.trackName });
    this.log(`session ${session.id} stopped publishing ${track.trackName}`);
  }

  private forget(session: Session, reason: string): void {
    this.sessions.delete(session.id);
    for (const track of session.published.values()) this.tracks.delete(trackKey(track.sessionId, track.trackName));
    this.log(`session ${session.id} closed: ${reason}`);
  }

  private sweep(): void {
    const now = Date.now();
    for (const session of [...this.sessions.values()]) {
      if (now - session.lastActivityAt > this.sessionIdleMs) {
        session.close(session.connected ? "client stopped answering (no connectivity checks)" : "never connected");
        continue;
      }
      for (const track of [...session.published.values()]) {
        if (now - (track.lastPacketAt ?? track.publishedAt) > this.trackIdleMs) this.unpublish(session, track);
      }
    }
  }
}

function trackKey(sessionId: string, trackName: string): string {
  return `${sessionId}/${trackName}`;
}
