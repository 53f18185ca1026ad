// How every peer connection of the local SFU is configured: ICE on loopback
// only, no STUN or TURN (there is no internet here), ICE-lite like Calls, and
// the codecs Chromium offers that can be forwarded without transcoding.
import { networkInterfaces } from "node:os";
import {
  RTCPeerConnection,
  useNACK,
  useOPUS,
  usePLI,
  useSdesMid,
  useVP8,
} from "werift";
import type { PeerConfig, RTCPeerConnectionConfig } from "werift";

/**
 * Only VP8 and Opus are offered. One codec per kind means a publisher's
 * packets can be forwarded to any receiver unchanged; with two video codecs a
 * receiver could settle on one the publisher is not sending.
 */
function codecs(): PeerConfig["codecs"] {
  return {
    audio: [useOPUS()],
    video: [useVP8({ rtcpFeedback: [useNACK(), usePLI()] })],
  };
}

/** ICE on 127.0.0.1 and nothing else: one host candidate, no STUN/TURN servers, no IPv6. */
export function loopbackIceConfig(): RTCPeerConnectionConfig {
  return {
    iceServers: [],
    iceUseIpv4: false,
    iceUseIpv6: false,
    iceUseTcp: false,
    iceAdditionalHostAddresses: ["127.0.0.1"],
    iceInterfaceAddresses: { udp4: "127.0.0.1" },
    bundlePolicy: "max-bundle",
    codecs: codecs(),
    headerExtensions: { audio: [useSdesMid()], video: [useSdesMid()] },
  };
}

/**
 * A session's peer connection. ICE-lite, as Calls is: the SFU only answers
 * connectivity checks and never sends its own, so the only addresses it ever
 * talks to are ones that reached it first, and among those only this machine's
 * (or, with `loopbackOnly`, only 127.0.0.0/8 and ::1).
 * Every answered check is reported through `onStunRequest` as a sign of life:
 * browsers repeat them every few seconds (consent freshness) while they live.
 */
export function createSessionPeerConnection(onStunRequest: () => void, options: { loopbackOnly: boolean }): RTCPeerConnection {
  const accept = options.loopbackOnly ? isLoopback : isThisMachine;
  return new RTCPeerConnection({
    ...loopbackIceConfig(),
    iceLite: true,
    iceFilterStunResponse: (_message, address) => {
      if (!accept(address[0])) return false;
      onStunRequest();
      return true;
    },
  });
}

export function isLoopback(host: string): boolean {
  const address = host.startsWith("::ffff:") ? host.slice("::ffff:".length) : host;
  return address.startsWith("127.") || address === "::1";
}

/**
 * Loopback, or an address of one of this machine's interfaces. A browser
 * without `--allow-loopback-in-peer-connection` (every browser a person opens)
 * never uses a loopback socket: it reaches 127.0.0.1 from a socket bound to its
 * LAN address, and the SFU's answers to that address stay inside the machine.
 */
export function isThisMachine(host: string): boolean {
  if (isLoopback(host)) return true;
  const address = host.startsWith("::ffff:") ? host.slice("::ffff:".length) : host;
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? []) {
      if (entry.address === address) return true;
    }
  }
  return false;
}
