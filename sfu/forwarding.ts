// Media forwarding: one published track fans its RTP out to every session that
// pulled it, and keyframe requests flow back from those sessions to the
// publisher. Nothing is decoded; packets are re-stamped per receiver by werift's
// sender (its own SSRC, the negotiated payload type, continuous sequence numbers).
import { RtpHeader, RtpPacket } from "werift";
import type { MediaStreamTrack, RTCRtpTransceiver } from "werift";

/** A keyframe costs the publisher bandwidth; many viewers asking at once need only one. */
const KEYFRAME_REQUEST_INTERVAL_MS = 300;

export class PublishedTrack {
  readonly sessionId: string;
  readonly trackName: string;
  readonly mid: string;
  readonly kind: "audio" | "video";
  readonly publishedAt = Date.now();
  lastPacketAt: number | undefined;
  packetCount = 0;
  keyframeRequests = 0;
  closed = false;

  private readonly transceiver: RTCRtpTransceiver;
  private readonly subscriptions = new Set<Subscription>();
  private readonly unsubscribeSource: () => void;
  private lastKeyframeRequestAt = 0;
  private pendingKeyframeRequest: NodeJS.Timeout | undefined;

  constructor(options: { sessionId: string; trackName: string; transceiver: RTCRtpTransceiver }) {
    this.sessionId = options.sessionId;
    this.trackName = options.trackName;
    this.transceiver = options.transceiver;
    this.mid = options.transceiver.mid ?? "";
    this.kind = options.transceiver.kind === "audio" ? "audio" : "video";
    const source: MediaStreamTrack = options.transceiver.receiver.track;
    const { unSubscribe } = source.onReceiveRtp.subscribe((packet) => this.forward(packet));
    this.unsubscribeSource = unSubscribe;
  }

  get subscriberCount(): number {
    return this.subscriptions.size;
  }

  subscribe(subscription: Subscription): void {
    this.subscriptions.add(subscription);
  }

  unsubscribe(subscription: Subscription): void {
    this.subscriptions.delete(subscription);
  }

  /**
   * Asks the publisher for a keyframe (RTCP PLI), at most once per interval;
   * a request inside the interval is deferred to its end rather than dropped,
   * so the last viewer to ask is still served.
   */
  requestKeyframe(): void {
    if (this.closed || this.kind !== "video") return;
    const wait = this.lastKeyframeRequestAt + KEYFRAME_REQUEST_INTERVAL_MS - Date.now();
    if (wait > 0) {
      this.pendingKeyframeRequest ??= setTimeout(() => {
        this.pendingKeyframeRequest = undefined;
        this.requestKeyframe();
      }, wait);
      return;
    }
    // The media SSRC is known once the publisher's SDP or first packet named it.
    const ssrc = this.transceiver.receiver.track.ssrc;
    if (ssrc === undefined) return;
    this.lastKeyframeRequestAt = Date.now();
    this.keyframeRequests++;
    void this.transceiver.receiver.sendRtcpPLI(ssrc);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.pendingKeyframeRequest);
    this.unsubscribeSource();
    for (const subscription of this.subscriptions) subscription.sourceClosed();
    this.subscriptions.clear();
  }

  private forward(packet: RtpPacket): void {
    this.lastPacketAt = Date.now();
    this.packetCount++;
    if (this.subscriptions.size === 0) return;
    // The publisher's header-extension ids mean nothing in a receiver's
    // negotiation (the same id can name another extension there), so they are
    // dropped; each sender writes the extensions it negotiated itself.
    const header = new RtpHeader({
      marker: packet.header.marker,
      payloadType: packet.header.payloadType,
      sequenceNumber: packet.header.sequenceNumber,
      timestamp: packet.header.timestamp,
      ssrc: packet.header.ssrc,
    });
    const stripped = new RtpPacket(header, packet.payload);
    for (const subscription of this.subscriptions) subscription.send(stripped);
  }
}

/** One pulled track: a sendonly transceiver in the pulling session fed by a published track. */
export class Subscription {
  readonly source: PublishedTrack;
  readonly transceiver: RTCRtpTransceiver;
  closed = false;
  private readonly disposers: Array<() => void> = [];

  constructor(source: PublishedTrack, transceiver: RTCRtpTransceiver) {
    this.source = source;
    this.transceiver = transceiver;
    const sender = transceiver.sender;
    this.disposers.push(
      // Only PLI is negotiated (`a=rtcp-fb nack pli`), so receivers never send FIR.
      sender.onPictureLossIndication.subscribe(() => source.requestKeyframe()).unSubscribe,
      // Packets sent before DTLS is up are dropped, so the first keyframe the
      // receiver can use is one asked for once its transport is ready.
      sender.onReady.subscribe(() => source.requestKeyframe()).unSubscribe,
    );
    source.subscribe(this);
  }

  /** Whether this pull's DTLS transport is up, so that packets sent now arrive. */
  get transportReady(): boolean {
    return this.transceiver.sender.transport?.state === "connected";
  }

  /** True once this transceiver has a negotiated codec and a connected transport. */
  get negotiated(): boolean {
    return this.transceiver.sender.codec !== undefined && this.transceiver.currentDirection !== null;
  }

  send(packet: RtpPacket): void {
    if (this.closed) return;
    this.transceiver.sender.sendRtp(packet).catch(() => {
      // A send racing a closing transport is not worth surfacing: the session's
      // own state change does the cleanup.
    });
  }

  /** The publisher went away: the receiver's track simply stops getting media, as in Calls. */
  sourceClosed(): void {
    this.dispose();
  }

  close(): void {
    if (this.closed) return;
    this.source.unsubscribe(this);
    this.dispose();
  }

  private dispose(): void {
    this.closed = true;
    for (const dispose of this.disposers.splice(0)) dispose();
  }
}
