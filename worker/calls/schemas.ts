/**
 * The subset of the Calls (Realtime SFU) HTTP API that the room's proxy
 * accepts from browsers: the same shapes as Calls, plus two fields of ours on
 * published tracks (`kind`, `source`) that the proxy keeps and strips before
 * forwarding.
 */
import { z } from "@hono/zod-openapi";
import { IDS } from "../openapi-examples.ts";
import { RoomAddress } from "../schemas.ts";

/** A publisher's offer, shortened: a camera's audio (mid 0) and video (mid 1). */
const SDP_EXAMPLE = [
  "v=0",
  "o=- 4611731400430051336 2 IN IP4 127.0.0.1",
  "s=-",
  "t=0 0",
  "a=group:BUNDLE 0 1",
  "m=audio 9 UDP/TLS/RTP/SAVPF 111",
  "c=IN IP4 0.0.0.0",
  "a=ice-ufrag:4ZcD",
  "a=ice-pwd:2/1muCWoOi3uHTiCUMn1T8Kt",
  "a=fingerprint:sha-256 6B:8B:5D:EA:59:04:20:23:29:C8:87:1C:CC:87:32:BE:DD:8C:66:A5:8E:50:55:EA:8C:D3:B6:5C:09:5E:D6:BC",
  "a=setup:actpass",
  "a=mid:0",
  "a=sendonly",
  "a=rtpmap:111 opus/48000/2",
  "m=video 9 UDP/TLS/RTP/SAVPF 96",
  "c=IN IP4 0.0.0.0",
  "a=mid:1",
  "a=sendonly",
  "a=rtpmap:96 VP8/90000",
  "",
].join("\r\n");

const SessionDescription = z
  .object({
    type: z.enum(["offer", "answer"]),
    sdp: z
      .string()
      .max(60_000)
      .refine((sdp) => sdp.trimStart().startsWith("v=0"), "not an SDP (it must start with v=0)")
      .openapi({ example: SDP_EXAMPLE }),
  })
  .openapi("SessionDescription");

const TrackName = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, "1–64 letters, digits, _ . : -").openapi({ example: "camera-video-1" });
const SessionId = z.string().regex(/^[A-Za-z0-9_-]{8,128}$/, "not a Calls session id").openapi({ example: IDS.callsSession });
const Mid = z.string().max(32).openapi({ example: "1" });

export const LocalTrack = z.object({
  location: z.literal("local"),
  mid: Mid,
  trackName: TrackName,
  kind: z.enum(["audio", "video"]).openapi({ description: "Ours, not Calls': how viewers should play it.", example: "video" }),
  source: z.enum(["camera", "screen"]).default("camera"),
  paused: z.boolean().optional().openapi({ description: "Ours, not Calls': published turned off (camera off), so viewers show a poster.", example: false }),
});
export const RemoteTrack = z.object({
  location: z.literal("remote"),
  sessionId: SessionId,
  trackName: TrackName,
  mid: Mid.optional(),
});

export const NewSession = z
  .object({
    sessionDescription: SessionDescription.optional(),
  })
  .openapi("CallsNewSession");
export const NewTracks = z
  .object({
    sessionDescription: SessionDescription.optional(),
    tracks: z.array(z.discriminatedUnion("location", [LocalTrack, RemoteTrack])).min(1).max(16),
  })
  .refine((body) => body.tracks.every((t) => t.location === "local") || body.tracks.every((t) => t.location === "remote"), "publish and pull in separate requests")
  .openapi("CallsNewTracks");
export const Renegotiate = z.object({ sessionDescription: SessionDescription }).openapi("CallsRenegotiate");
export const CloseTracks = z
  .object({
    sessionDescription: SessionDescription.optional(),
    tracks: z.array(z.object({ mid: Mid })).min(1).max(16),
    force: z.boolean().optional().openapi({ example: false }),
  })
  .openapi("CallsCloseTracks");

/** Ours, not Calls': a publisher says which of its tracks it turned off (camera off) or on again. */
export const PauseTracks = z
  .object({
    tracks: z.array(z.object({ mid: Mid })).min(1).max(16),
    paused: z.boolean().openapi({ example: true }),
  })
  .openapi("PauseTracks");

export const CallsParams = z.object({
  roomId: RoomAddress.openapi({ param: { name: "roomId", in: "path" } }),
  sessionId: SessionId.openapi({ param: { name: "sessionId", in: "path" } }),
});
export const RemoveFromStage = z.object({ sessionId: SessionId }).openapi("RemoveFromStage");

/** What Calls answers is passed through as is. */
export const CallsAnswer = z.record(z.string(), z.unknown()).openapi("CallsAnswer", {
  description: "The Calls API's answer, passed through.",
  example: { requiresImmediateRenegotiation: false, tracks: [{ mid: "1", trackName: "camera-video-1" }] },
});
export const SessionOpened = z
  .object({
    sessionId: z.string().openapi({ example: IDS.callsSession }),
    sessionDescription: SessionDescription.optional(),
    sessionToken: z.string().openapi({ description: "Send as `X-Session-Token` on every later call for this session.", example: "st_Kx7Vq2Lm9Nb4Rc1Zt8Wp3Hd6Fs0Jy5Ga" }),
  })
  .openapi("CallsSessionOpened");
export const IceServers = z
  .object({
    iceServers: z
      .array(z.object({ urls: z.union([z.string(), z.array(z.string())]), username: z.string().optional(), credential: z.string().optional() }))
      .openapi({
        example: [
          { urls: ["stun:stun.cloudflare.com:3478", "stun:stun.cloudflare.com:53"] },
          {
            urls: ["turn:turn.cloudflare.com:3478?transport=udp", "turns:turn.cloudflare.com:443?transport=tcp"],
            username: "g0b9a2c7e4f1d8a3b6c5e0f9d2a7b4c1e8f3a6d0b5c9e2f7a4d1b8c3e6f0a9d2",
            credential: "5c1e8a3f6b0d9c2e7a4f1b8d3c6e0a9f",
          },
        ],
      }),
  })
  .openapi("IceServers");
